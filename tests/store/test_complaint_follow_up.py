"""Complaints and callbacks together: closing schedules the satisfaction call; "unsatisfied" reopens.

Seed 002's complaint flow: "follow up (callback) until the customer is satisfied; if not
satisfied, keep communicating (reopen)". DOMAIN.md, "What arrives at the desk".
"""

from __future__ import annotations

from datetime import timedelta

from csdesk.data.api import CustomerView
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.when import DESK_TZ
from tests.store.test_complaints_store import decided, log


def _closed(store: Store, customer: CustomerView) -> str:
    c = store.complaints
    cid = log(store, customer).row.id
    decided(store, cid)
    c.record_notice_sent("agent1", cid, "letter", "EMS 1234567890")
    c.close("agent1", cid, "批扣程序未去重")
    return cid


def test_closing_schedules_the_follow_up_call_in_the_same_write(store: Store, customer: CustomerView) -> None:
    """The follow-up (purpose complaint_follow_up) is due on the follow-up day, linked to complaint and ticket."""
    cid = _closed(store, customer)
    detail = store.complaints.get("agent1", cid)
    calls = store.callbacks.find("agent1", ticket_id=detail.row.ticket_id)
    assert len(calls) == 1
    call = calls[0]
    assert (call.purpose, call.complaint_id, call.assignee_id) == ("complaint_follow_up", cid, "agent1")
    local = call.due_at.astimezone(DESK_TZ)
    assert local.date() >= detail.follow_up_due and local.hour >= 8


def test_no_follow_up_call_to_a_customer_who_asked_not_to_be_contacted(store: Store, customer: CustomerView) -> None:
    """Do-not-contact wins: the complaint still closes with its follow-up day, but nobody is scheduled to call."""
    store.callbacks.set_contact_prefs("agent1", customer.id, do_not_contact=True)
    cid = _closed(store, customer)
    detail = store.complaints.get("agent1", cid)
    assert detail.row.status == "closed" and detail.follow_up_due is not None
    assert store.callbacks.find("agent1", ticket_id=detail.row.ticket_id) == []


def test_an_unsatisfied_answer_reopens_the_complaint_with_its_history(
    store: Store, clock: FrozenClock, customer: CustomerView
) -> None:
    """Score 2 on the follow-up: the complaint and its ticket reopen; decision and root cause are kept."""
    cid = _closed(store, customer)
    ticket_id = store.complaints.get("agent1", cid).row.ticket_id
    call = store.callbacks.find("agent1", ticket_id=ticket_id)[0]
    clock.set(call.due_at + timedelta(minutes=1))
    result = store.callbacks.record_outcome("agent1", call.id, "reached", score=2, comment="仍不满意退款时间")
    assert result.unsatisfied and result.reopened_ref is not None
    detail = store.complaints.get("agent1", cid)
    assert detail.row.status == "open" and detail.reopened_count == 1
    assert detail.decision and detail.root_cause
    assert store.get_ticket_row("agent1", ticket_id).status == "open"
