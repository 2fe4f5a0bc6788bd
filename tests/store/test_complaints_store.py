"""Store tests of the complaints room (``store.complaints``): the clock, roles, repeats, recusal, rebuild.

Rules: CBIRC Order 2020 No. 3 (Art. 14, 16, 17, 19, 20, 21, 29), Civil Code Art. 201/203,
DOMAIN.md "The complaint clock" and seed 002's complaint flow. The store clock is
2026-11-23 09:00 UTC (17:00 in Shanghai, a Monday).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from csdesk.data.api import CustomerView
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import Conflict, PermissionDenied, ValidationError
from tests.store.conftest import event_count, events

TODAY = date(2026, 11, 23)


def log(store: Store, customer: CustomerView, actor: str = "agent1", **extra: Any) -> Any:
    values: dict[str, Any] = {
        "customer_id": customer.id,
        "channel": "phone",
        "business": "credit_card",
        "cause": "pricing_fees",
        "description": "年费被重复扣收，客户电话 13812345678",
        "remedy": "退还年费",
        "amount_in_dispute": "300",
    }
    values.update(extra)
    return store.complaints.log(actor, **values)


def decided(store: Store, complaint_id: str, **extra: str) -> Any:
    return store.complaints.decide(
        "agent1", complaint_id, findings="重复扣费属实", decision="退还 300 元", basis="信用卡领用合约第 5 条", **extra
    )


def test_log_directly_creates_a_complaint_ticket_with_the_15_day_clock(store: Store, customer: CustomerView) -> None:
    """Art. 16: decision within 15 days, counted from the day after acceptance (Civil Code Art. 201)."""
    detail = log(store, customer)
    row = detail.row
    assert row.deadline == date(2026, 12, 8)
    assert row.days_remaining == 15
    assert row.promised_at == row.deadline  # the proposal: the legal deadline
    assert not row.paused and not row.major
    ticket = store.get_ticket_row("agent1", row.ticket_id)
    assert (ticket.kind, ticket.customer_id) == ("complaint", customer.id)
    assert "13812345678" not in detail.description and "138****5678" in detail.description
    assert detail.amount_in_dispute == "300.00"
    assert [r.id for r in store.complaints.list("analyst")] == [row.id]


def test_log_from_a_ticket_turns_it_into_a_complaint_once(store: Store, customer: CustomerView) -> None:
    """Seed 002: a complaint recorded from the contact in hand keeps that ticket in the queue."""
    ticket = store.create_ticket("agent1", kind="consultation", channel="chat", subject="年费", customer_id=customer.id)
    detail = store.complaints.log(
        "agent1", ticket_id=ticket.id, business="credit_card", cause="pricing_fees", description="年费问题"
    )
    assert detail.row.ticket_id == ticket.id and detail.channel == "chat"
    assert store.get_ticket_row("agent1", ticket.id).kind == "complaint"
    assert store.complaints.for_ticket("agent1", ticket.id).id == detail.row.id
    with pytest.raises(Conflict):
        store.complaints.log("agent1", ticket_id=ticket.id, business="loan", cause="other", description="again")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"accepted": "2026-11-24"}, "accepted_at"),  # acceptance after today
        ({"promised": "2026-12-09"}, "promised_at"),  # after the legal deadline 12-08
        ({"business": "lottery"}, "business"),
        ({"description": "  "}, "description"),
        ({"amount_in_dispute": "12.345"}, "amount_in_dispute"),
        ({"major_grounds": ["rumour"]}, "major_grounds"),
        ({"complainants": 0}, "complainants"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    store: Store, customer: CustomerView, extra: dict[str, Any], field: str
) -> None:
    """Art. 16 and the product brief: bad input is refused with the rule; nothing half-written."""
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        log(store, customer, **extra)
    assert info.value.field == field and info.value.message.endswith(".")
    assert event_count(store) == before


def test_backdated_acceptance_on_a_friday_ends_on_monday(store: Store, customer: CustomerView) -> None:
    """Civil Code Art. 203: 2026-11-13 + 15 = Saturday 11-28 -> Monday 11-30."""
    assert log(store, customer, accepted="2026-11-13").row.deadline == date(2026, 11, 30)


def test_supervisor_may_switch_the_rest_day_roll_forward_off(store: Store, customer: CustomerView) -> None:
    """DOMAIN.md: a supervisor may switch the Civil Code Art. 203 roll-forward off (stricter policy)."""
    with pytest.raises(PermissionDenied):
        store.complaints.set_roll_forward("agent1", False)
    assert store.complaints.set_roll_forward("sup", False) is False
    assert log(store, customer, accepted="2026-11-13").row.deadline == date(2026, 11, 28)


def test_the_whole_flow_with_pause_and_extensions(store: Store, clock: FrozenClock, customer: CustomerView) -> None:
    """Seed 002 flow; Art. 16 pauses and extensions, Art. 19 notice, Art. 21 proof, reopen keeps history."""
    c = store.complaints
    cid = log(store, customer).row.id
    detail = c.form_group("sup", cid, departments=["信用卡中心", "法务部"], lead_handler_id="agent1", members=["spec"])
    assert detail.departments == ("信用卡中心", "法务部") and detail.members == ("spec",)
    assert store.get_ticket_row("sup", detail.row.ticket_id).assignee_id == "agent1"

    c.pause("agent1", cid, "appraisal", "交易鉴定")
    clock.advance(timedelta(days=5))
    paused = c.get("agent1", cid).row
    assert paused.paused and paused.deadline == date(2026, 12, 14)  # 12-08 + 5 paused = Sunday -> Monday
    assert paused.days_remaining == 16  # the clock stood still (15), plus the Sunday rolled over
    detail = c.resume("agent1", cid)
    assert detail.row.deadline == date(2026, 12, 14)  # 12-08 + 5 = 12-13 (Sunday) -> Monday
    assert detail.pauses[0].end_on == date(2026, 11, 28)

    detail = c.extend("lead", cid, 30, "需调取多方交易记录")
    assert detail.row.deadline == date(2026, 12, 28)  # 11-23 + 30 + 5
    detail = c.extend("sup", cid, 60, "涉及第三方支付机构，多方协调")
    assert detail.row.deadline == date(2027, 1, 27)
    assert [(e.from_days, e.to_days, e.approved_by) for e in detail.extensions] == [(15, 30, "lead"), (30, 60, "sup")]

    c.record_step("agent1", cid, "调取扣费流水")
    c.record_step("spec", cid, "系统重复批扣", department="信用卡中心", kind="department_reply")
    with pytest.raises(ValidationError, match="decision"):
        c.close("agent1", cid, "root")
    decided(store, cid)
    with pytest.raises(ValidationError, match="root-cause"):
        c.close("agent1", cid)
    notice = c.notice_text("agent1", cid, "zh-CN")
    assert "12378" in notice and "退还 300 元" in notice and "仲裁" in notice
    assert "Findings" in c.notice_text("agent1", cid, "en")
    detail = c.record_notice_sent("agent1", cid, "letter", "EMS 1234567890")
    assert detail.row.status == "notified" and detail.notice_channel == "letter"
    sent = json.loads(events(store)[-1].payload)
    assert len(sent["text_sha256"]) == 64

    detail = c.close("agent1", cid, "批扣程序未去重")
    assert detail.row.status == "closed" and detail.follow_up_due == date(2026, 12, 1)
    assert store.get_ticket_row("agent1", detail.row.ticket_id).status == "closed"

    detail = c.reopen("agent1", cid, "回访不满意")
    assert detail.row.status == "open" and detail.reopened_count == 1
    assert detail.decision and detail.root_cause  # history intact
    kinds = [entry.kind for entry in detail.timeline]
    assert kinds[0] == "complaint.logged" and kinds[-1] == "complaint.reopened" and "complaint.closed" in kinds
    assert store.get_ticket_row("agent1", detail.row.ticket_id).status == "open"


def test_rebuild_reproduces_the_complaint_tables(store: Store, clock: FrozenClock, customer: CustomerView) -> None:
    """ARCHITECTURE.md: projections are rebuilt from the log, identically."""
    c = store.complaints
    cid = log(store, customer).row.id
    c.pause("agent1", cid, "mediation")
    clock.advance(timedelta(days=3))
    c.resume("agent1", cid)
    c.extend("lead", cid, 30, "复杂")
    decided(store, cid, root_cause="流程缺陷")
    c.record_notice_sent("agent1", cid, "email", "邮件回执")
    c.close("agent1", cid)
    log(store, customer, complainants=30, business="loan", cause="sales_practice")
    before = store.snapshot()
    assert before["complaint"] and before["complaint_pause"] and before["complaint_step"]
    store.rebuild_projections()
    assert store.snapshot() == before


@pytest.mark.parametrize(
    ("actor", "call"),
    [
        ("agent1", lambda c, cid: c.form_group("agent1", cid, departments=["法务部"], lead_handler_id="agent1")),
        ("agent1", lambda c, cid: c.extend("agent1", cid, 30, "复杂")),
        ("lead", lambda c, cid: c.extend("lead", cid, 45, "复杂")),
        ("agent1", lambda c, cid: c.mark_conflicted("agent1", cid, "agent2", "亲属")),
        ("analyst", lambda c, cid: c.pause("analyst", cid, "appraisal")),
        ("qa", lambda c, cid: c.record_step("qa", cid, "看过")),
    ],
)
def test_roles_are_refused_and_audited(store: Store, customer: CustomerView, actor: str, call: Any) -> None:
    """DOMAIN.md roles: supervisor forms groups; team lead extends to 30; beyond 30 only a supervisor."""
    c = store.complaints
    cid = log(store, customer).row.id
    if actor == "lead":
        c.extend("lead", cid, 30, "复杂")
    before = store.snapshot()
    with pytest.raises(PermissionDenied):
        call(c, cid)
    assert store.snapshot() == before
    assert events(store)[-1].kind == "access.denied" and events(store)[-1].actor == actor


def test_agent_and_analyst_cannot_log(store: Store, customer: CustomerView) -> None:
    """Roles: recording complaints is front-line work; the analyst only reads."""
    with pytest.raises(PermissionDenied):
        log(store, customer, actor="analyst")


def test_extension_beyond_60_or_skipping_30_is_refused(store: Store, customer: CustomerView) -> None:
    """Art. 16: to 30 first, then at most 60 in total, never beyond."""
    cid = log(store, customer).row.id
    with pytest.raises(ValidationError, match="first"):
        store.complaints.extend("sup", cid, 60, "复杂")
    store.complaints.extend("sup", cid, 30, "复杂")
    with pytest.raises(ValidationError, match="never beyond"):
        store.complaints.extend("sup", cid, 61, "复杂")
    with pytest.raises(ValidationError, match="reason"):
        store.complaints.extend("sup", cid, 60, " ")


def test_repeat_on_the_same_matter_is_merged(store: Store, customer: CustomerView) -> None:
    """Art. 14: the same customer on the same matter while one is open: merged, not counted twice."""
    first = log(store, customer)
    again = log(store, customer, description="又打电话投诉年费")
    assert again.row.id == first.row.id
    assert len(store.complaints.list("agent1")) == 1
    assert again.steps[-1].kind == "repeat_merged"
    merged = store.find_ticket_ref("agent1", again.steps[-1].text)
    assert merged.status == "closed" and merged.kind == "complaint"


def test_new_facts_make_a_new_linked_complaint(store: Store, customer: CustomerView) -> None:
    """Art. 14: new facts or reasons make a new complaint with its own clock, linked to the old."""
    first = log(store, customer)
    second = log(store, customer, new_facts=True, description="新发现第二笔重复扣费")
    assert second.row.id != first.row.id and second.linked_to == first.row.id
    kinds = [e.kind for e in store.get_ticket("agent1", first.row.ticket_id).timeline]
    assert "ticket.linked" in kinds


def test_other_matter_is_a_new_complaint(store: Store, customer: CustomerView) -> None:
    """Art. 14: only the same matter (business and cause) merges."""
    first = log(store, customer)
    other = log(store, customer, cause="service_attitude")
    assert other.row.id != first.row.id and other.linked_to is None


def test_major_complaint_is_flagged_and_escalated(store: Store, customer: CustomerView) -> None:
    """Art. 29: ≥ 20 complainants (or disaster, accident, public health, regulator) -> flag and escalate."""
    detail = log(store, customer, complainants=25)
    assert detail.row.major and detail.major_grounds == ("group",)
    assert [s.kind for s in detail.steps] == ["escalation"]
    escalated = [e for e in events(store) if e.kind == "complaint.escalated"]
    assert json.loads(escalated[0].payload)["notified"] == ["sup"]
    assert store.get_ticket_row("sup", detail.row.ticket_id).priority == "urgent"
    regulator = log(store, customer, business="loan", major_grounds=["regulator"])
    assert regulator.row.major and regulator.major_grounds == ("regulator",)


def test_conflicted_handler_is_never_assigned(store: Store, customer: CustomerView) -> None:
    """Art. 17 (recusal): a handler marked as conflicted can never be assigned to the complaint."""
    c = store.complaints
    detail = log(store, customer)
    cid, ticket_id = detail.row.id, detail.row.ticket_id
    store.assign_ticket("lead", ticket_id, "agent2")
    detail = c.mark_conflicted("lead", cid, "agent2", "客户是其亲属")
    assert detail.conflicted == ("agent2",)
    assert store.get_ticket_row("lead", ticket_id).assignee_id is None  # taken off the ticket
    with pytest.raises(ValidationError, match="conflict of interest"):
        c.form_group("sup", cid, departments=["法务部"], lead_handler_id="agent2")
    with pytest.raises(ValidationError, match="conflict of interest"):
        c.form_group("sup", cid, departments=["法务部"], lead_handler_id="agent1", members=["agent2"])
    with pytest.raises(ValidationError, match="conflict of interest"):
        store.assign_ticket("lead", ticket_id, "agent2")
    with pytest.raises(ValidationError, match="conflict of interest"):
        store.claim_ticket("agent2", ticket_id)
    with pytest.raises(ValidationError, match="conflict of interest"):
        c.record_step("agent2", cid, "我来处理")
    store.assign_ticket("lead", ticket_id, "agent1")  # anyone else still can


def test_review_within_30_days_of_the_notice(store: Store, clock: FrozenClock, customer: CustomerView) -> None:
    """Art. 20: review asked within 30 days of the notice; the review decision is due 30 days later."""
    c = store.complaints
    cid = log(store, customer).row.id
    decided(store, cid, root_cause="x")
    c.record_notice_sent("agent1", cid, "sms", "短信回执 42")
    clock.advance(timedelta(days=10))
    detail = c.request_review("agent1", cid)
    assert detail.row.status == "review" and detail.review_due == date(2027, 1, 4)  # 12-03 + 30 = 01-02 (Sat)
    late = log(store, customer, business="loan").row.id
    decided(store, late, root_cause="x")
    c.record_notice_sent("agent1", late, "sms", "回执")
    clock.advance(timedelta(days=33))  # 2027-01-05: the window ended 01-02 (Saturday) -> Monday 01-04
    with pytest.raises(ValidationError, match="within 30 days"):
        c.request_review("agent1", late)


def test_pause_rules(store: Store, customer: CustomerView) -> None:
    """Art. 16: only appraisal/inspection/expert assessment/mediation stop the clock, one pause at a time."""
    c = store.complaints
    cid = log(store, customer).row.id
    with pytest.raises(ValidationError, match="reason"):
        c.pause("agent1", cid, "holiday")
    with pytest.raises(Conflict):
        c.resume("agent1", cid)
    c.pause("agent1", cid, "inspection")
    with pytest.raises(Conflict):
        c.pause("agent1", cid, "mediation")
    with pytest.raises(Conflict, match="paused"):
        decided(store, cid)


def test_list_orders_by_days_remaining_and_filters(store: Store, customer: CustomerView) -> None:
    """DOMAIN.md: every complaint ordered by days remaining; due ≤ 3 days first and marked."""
    fresh = log(store, customer).row
    old = log(store, customer, business="loan", accepted="2026-11-10").row  # due 11-25: 2 days left
    done = log(store, customer, business="deposit", accepted="2026-11-09").row
    decided(store, done.id, root_cause="x")
    store.complaints.close("agent1", done.id)
    rows = store.complaints.list("sup")
    assert [r.id for r in rows] == [old.id, fresh.id, done.id]
    assert rows[0].due_soon and rows[0].days_remaining == 2 and not rows[1].due_soon
    assert [r.id for r in store.complaints.list("sup", due_within=3)] == [old.id]
    assert [r.id for r in store.complaints.list("sup", statuses=["closed"])] == [done.id]
    with pytest.raises(ValidationError):
        store.complaints.list("sup", statuses=["lost"])


def test_hostile_text_is_sanitised_and_huge_text_refused(store: Store, customer: CustomerView) -> None:
    """Product brief: terminal escapes and control characters never reach a screen; 10 MB is refused whole."""
    detail = log(store, customer, description="\x1b[31m红字\x1b]0;title\x07投诉\x00内容")
    assert "\x1b" not in detail.description and "\x00" not in detail.description and "投诉" in detail.description
    before = event_count(store)
    with pytest.raises(ValidationError):
        log(store, customer, business="loan", description="x" * 10_000_000)
    assert event_count(store) == before


def test_acceptance_day_is_the_desks_local_day(store: Store, clock: FrozenClock, customer: CustomerView) -> None:
    """Civil Code Art. 201 counts calendar days of the desk (Asia/Shanghai), not of UTC."""
    clock.advance(timedelta(hours=8, minutes=30))  # 2026-11-23 17:30 UTC = 11-24 01:30 in Shanghai
    assert log(store, customer).row.deadline == date(2026, 12, 9)


def test_auto_assign_skips_a_conflicted_handler(store: Store, customer: CustomerView) -> None:
    """Art. 17 (recusal): fair routing never gives the complaint to the conflicted handler."""
    detail = log(store, customer)
    for user in ("agent1", "spec", "lead", "sup", "trainer"):
        store.set_availability("sup", "offline", user)
    store.complaints.mark_conflicted("lead", detail.row.id, "agent2", "亲属")
    with pytest.raises(Conflict, match="Nobody available"):
        store.auto_assign("sup", detail.row.ticket_id)
    store.set_availability("sup", "available", "agent1")
    assert store.auto_assign("sup", detail.row.ticket_id).assignee_id == "agent1"
