"""Consulting a department (seed 002), linking and merging duplicate tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import Conflict, NotFound, ValidationError


def new_ticket(store: Store, subject: str = "理财赎回多久到账") -> str:
    return store.create_ticket("agent1", kind="consultation", channel="phone", subject=subject).id


def test_consult_waits_for_the_department_and_reply_reopens(store: Store) -> None:
    """Seed 002: consult the department, reply within the promised time."""
    ticket = new_ticket(store)
    store.claim_ticket("agent1", ticket)
    row = store.consult_department("agent1", ticket, "基金运营部", "赎回资金为何未到账？", "+2h")
    assert row.status == "waiting_department"
    detail = store.get_ticket("agent1", ticket)
    consulted = [e for e in detail.timeline if e.kind == "ticket.consulted"]
    assert consulted and consulted[0].data["department"] == "基金运营部"
    assert consulted[0].data["promised_at"].startswith("2026-11-23T11:00")
    row = store.record_department_reply("agent1", ticket, "T+3 个工作日到账")
    assert row.status == "open"


def test_a_promise_in_the_past_is_refused_and_nothing_written(store: Store) -> None:
    ticket = new_ticket(store)
    before = store.info().events
    with pytest.raises(ValidationError) as caught:
        store.consult_department("agent1", ticket, "信用卡中心", "年费能否减免", "2020-01-01 10:00")
    assert caught.value.field == "promised_at"
    assert store.info().events == before


@pytest.mark.parametrize(("department", "question", "field"), [("", "q", "department"), ("部门", "  ", "question")])
def test_consult_needs_department_and_question(store: Store, department: str, question: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        store.consult_department("agent1", new_ticket(store), department, question, "+1h")
    assert caught.value.field == field


def test_link_shows_on_both_tickets(store: Store) -> None:
    a, b = new_ticket(store, "卡被吞"), new_ticket(store, "ATM 吞卡")
    ref_b = store.get_ticket_row("agent1", b).ref
    store.link_tickets("agent1", a, ref_b.lower())  # references are case-insensitive
    kinds_a = [e.data.get("other_ref") for e in store.get_ticket("agent1", a).timeline if e.kind == "ticket.linked"]
    kinds_b = [e.data.get("other_ref") for e in store.get_ticket("agent1", b).timeline if e.kind == "ticket.linked"]
    assert kinds_a == [ref_b]
    assert kinds_b == [store.get_ticket_row("agent1", a).ref]


def test_link_to_itself_or_unknown_is_refused(store: Store) -> None:
    a = new_ticket(store)
    with pytest.raises(ValidationError):
        store.link_tickets("agent1", a, store.get_ticket_row("agent1", a).ref)
    with pytest.raises(NotFound):
        store.link_tickets("agent1", a, "D01-999999")


def test_merge_closes_the_duplicate_and_links_the_target(store: Store, clock: FrozenClock) -> None:
    target, duplicate = new_ticket(store, "年费重复扣收"), new_ticket(store, "年费扣了两次")
    clock.advance(timedelta(minutes=3))
    target_ref = store.get_ticket_row("agent1", target).ref
    row = store.merge_ticket("agent1", duplicate, target_ref)
    assert row.status == "closed"
    timeline = store.get_ticket("agent1", target).timeline
    assert any(e.kind == "ticket.linked" for e in timeline)
    with pytest.raises(Conflict):
        store.merge_ticket("agent1", duplicate, target_ref)
    snapshot = store.snapshot()
    store.rebuild_projections()
    assert store.snapshot() == snapshot
