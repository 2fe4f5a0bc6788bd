"""The supervisor's room in the store: KPI targets and KPIs, roster and staffing, the live snapshot,
incidents, rebuild (DOMAIN.md, "KPIs", "Staffing", "Emergency response")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from csdesk.data.api import CustomerView, TicketQuery
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import PermissionDenied, ValidationError
from tests.store.conftest import events

S = timedelta(seconds=1)


def phone_ticket(store: Store, clock: FrozenClock, answer_after: timedelta | None, channel: str = "phone") -> str:
    """A contact answered (claimed) ``answer_after`` after it arrived."""
    ticket = store.create_ticket("agent1", kind="consultation", channel=channel, subject="余额查询")
    if answer_after is not None:
        clock.advance(answer_after)
        store.claim_ticket("agent1", ticket.id)
    return ticket.id


def kpi(store: Store, name: str, scope: str = "desk", period: str = "day") -> tuple[int, int]:
    rows = [r for r in store.reports.kpis("sup", period, scope) if r.kpi == name]
    return (sum(r.met for r in rows), sum(r.due for r in rows))


def test_kpi_targets_default_and_set_by_a_supervisor(store: Store) -> None:
    """Targets are DOMAIN.md's defaults until a supervisor edits one; others are refused and audited."""
    targets = {t.kpi: t for t in store.reports.kpi_targets()}
    assert targets["first_response"].value == 0.95 and targets["first_response"].set_by is None
    assert targets["churn"].higher_is_better is False
    changed = store.reports.set_kpi_target("sup", "first_response", 0.9)
    assert (changed.value, changed.set_by) == (0.9, "sup")
    with pytest.raises(PermissionDenied):
        store.reports.set_kpi_target("lead", "first_response", 0.5)
    assert events(store)[-1].kind == "access.denied"
    with pytest.raises(ValidationError, match="share from 0 to 1"):
        store.reports.set_kpi_target("sup", "first_response", 95)
    with pytest.raises(ValidationError):
        store.reports.set_kpi_target("sup", "speed", 0.5)


def test_first_response_kpi_from_tickets(store: Store, clock: FrozenClock) -> None:
    """Phone/chat answered ≤ 30 s (first_response_at − created_at); email does not count."""
    phone_ticket(store, clock, 20 * S)
    phone_ticket(store, clock, 45 * S, channel="chat")
    phone_ticket(store, clock, 5 * S, channel="email")
    assert kpi(store, "first_response") == (1, 2)
    agent = [r for r in store.reports.kpis("sup", "day", "agent") if r.kpi == "first_response"]
    assert [(r.key, r.met, r.due) for r in agent] == [("agent1", 1, 2)]
    [team] = [r for r in store.reports.kpis("sup", "week", "team") if r.kpi == "first_response"]
    assert (team.key, team.on_target) == ("A", False)


def test_consultation_timeliness_from_consult_events(store: Store, clock: FrozenClock) -> None:
    """A reply by the promised time counts as met; an overdue one without reply as missed."""
    on_time = phone_ticket(store, clock, 10 * S)
    late = phone_ticket(store, clock, 10 * S)
    store.consult_department("agent1", on_time, "Cards", "Fee rule?", "+1h")
    store.consult_department("agent1", late, "Loans", "Rate?", "+1h")
    clock.advance(timedelta(minutes=30))
    store.record_department_reply("agent1", on_time, "Fee waived")
    clock.advance(timedelta(hours=1))
    assert kpi(store, "consultation_timeliness") == (1, 2)


def test_business_success_counts_rework(store: Store, clock: FrozenClock) -> None:
    """Business tickets resolved without being reopened / resolved."""
    ids = []
    for _ in range(2):
        ticket = store.create_ticket("agent1", kind="business", channel="walk_in", subject="开户")
        store.claim_ticket("agent1", ticket.id)
        store.change_status("agent1", ticket.id, "resolved")
        ids.append(ticket.id)
    store.reopen("agent1", ids[1], "Documents missing")
    store.change_status("agent1", ids[1], "resolved")
    assert kpi(store, "business_success") == (1, 2)


def test_complaint_and_callback_kpis_from_their_rooms(store: Store, clock: FrozenClock, customer: CustomerView) -> None:
    """Complaint on-time decision, callback completion, CSAT and follow-up satisfaction from the real rooms."""
    values = {"customer_id": customer.id, "channel": "phone", "business": "credit_card", "description": "年费"}
    logged = store.complaints.log("agent1", cause="pricing_fees", **values).row
    decided = logged.id
    store.complaints.log("agent1", cause="service_attitude", **values)
    store.complaints.decide("agent1", decided, findings="属实", decision="退费", basis="合约")
    due = clock.now() + timedelta(hours=2)  # 19:00 in Shanghai, inside the default contact window
    calls = store.callbacks
    survey = calls.schedule("agent1", purpose="satisfaction_survey", due=due, customer_id=customer.id,
                            assignee_id="agent1")
    follow_up = calls.schedule("agent1", purpose="complaint_follow_up", due=due, complaint_id=decided,
                               ticket_id=logged.ticket_id, assignee_id="agent1")
    calls.schedule("agent1", purpose="key_customer_care", due=due, customer_id=customer.id, assignee_id="agent1")
    clock.set(due)  # type: ignore[attr-defined]
    calls.record_outcome("agent1", survey.id, "reached", score=5)
    calls.record_outcome("agent1", follow_up.id, "reached", score=2)
    clock.advance(timedelta(days=40))  # past both legal deadlines and every callback's due time
    assert kpi(store, "complaint_on_time", period="quarter") == (1, 2)
    assert kpi(store, "callback_completion", period="quarter") == (2, 3)
    assert kpi(store, "csat", period="quarter") == (1, 1)
    assert kpi(store, "complaint_satisfaction", period="quarter") == (0, 1)


def test_roster_and_staffing_against_erlang(store: Store, clock: FrozenClock) -> None:
    """Forecast from the same weekday of past weeks, Erlang C need with shrinkage, roster counted per half-hour."""
    monday = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 Beijing
    for weeks in (1, 2):
        clock.set(monday - timedelta(weeks=weeks))  # type: ignore[attr-defined]
        for _ in range(10):
            store.create_ticket("agent1", kind="consultation", channel="phone", subject="查询")
    clock.set(monday)  # type: ignore[attr-defined]
    store.reports.set_shift("lead", "agent1", "2026-11-23", 18, 36)
    store.reports.set_shift("lead", "agent2", "2026-11-23", 20, 22)
    plan = store.reports.staffing("sup", "2026-11-23", aht_seconds=180, shrinkage=0.3)
    ten = plan.intervals[20]
    assert (ten.label, ten.forecast) == ("10:00", 10.0)
    assert ten.erlangs == pytest.approx(1.0)  # 10 x 180 / 1800
    assert ten.agents >= 2 and ten.scheduled >= ten.agents
    assert ten.rostered == 2 and plan.intervals[18].rostered == 1 and plan.intervals[36].rostered == 0
    assert ten.gap == ten.rostered - ten.scheduled
    assert plan.intervals[3].scheduled == 0
    with pytest.raises(PermissionDenied):
        store.reports.set_shift("agent1", "agent1", "2026-11-23", 18, 20)
    with pytest.raises(ValidationError):
        store.reports.set_shift("lead", "agent1", "2026-11-23", 20, 18)
    with pytest.raises(ValidationError):
        store.reports.staffing("sup", "23/11/2026")
    store.reports.remove_shift("lead", store.reports.roster("sup", "2026-11-23")[0].id)
    assert len(store.reports.roster("sup", "2026-11-23")) == 1


def test_live_snapshot(store: Store, clock: FrozenClock) -> None:
    """Waiting by kind and channel, longest wait, breaches, agents' load; agents may not open it."""
    store.create_ticket("agent1", kind="complaint", channel="phone", subject="扣费", priority="urgent")
    clock.advance(timedelta(minutes=5))
    store.create_ticket("agent1", kind="consultation", channel="chat", subject="利率")
    claimed = store.create_ticket("agent1", kind="consultation", channel="chat", subject="汇率")
    store.claim_ticket("agent2", claimed.id)
    clock.advance(timedelta(hours=3))
    snap = store.reports.live("sup")
    assert {(w.kind, w.channel): w.count for w in snap.waiting} == {
        ("complaint", "phone"): 1,
        ("consultation", "chat"): 1,
    }
    assert snap.waiting_total == 2
    assert snap.longest_wait_s == int(timedelta(hours=3, minutes=5).total_seconds())
    assert snap.breaches >= 1 and all(a.breached for a in snap.alerts[: snap.breaches])
    loads = {a.id: a.open_tickets for a in snap.agents}
    assert loads["agent2"] == 1 and "analyst" not in loads
    assert snap.token == store.reports.change_token()
    with pytest.raises(PermissionDenied):
        store.reports.live("agent1")


def test_wallboard_adds_arrivals_forecast_and_answered(store: Store, clock: FrozenClock) -> None:
    """Arrivals per half-hour today, the forecast, answered ≤ 30 s today and a week of CSAT."""
    phone_ticket(store, clock, 10 * S)
    snap = store.reports.live("sup", wallboard=True)
    assert sum(snap.arrivals_today) == 1 and len(snap.forecast_today) == 48
    assert snap.answered_30s == 1.0
    assert len(snap.csat_trend) == 7


def test_incidents_raise_link_in_bulk_and_close(store: Store, clock: FrozenClock) -> None:
    """A supervisor raises an incident with a script, links tickets by filter, closes it."""
    for _ in range(3):
        store.create_ticket("agent1", kind="complaint", channel="phone", subject="系统故障 无法转账")
    store.create_ticket("agent1", kind="consultation", channel="chat", subject="other")
    incident = store.incidents.raise_incident("sup", "system_outage", "网银故障", "您好，系统正在抢修……")
    assert [i.id for i in store.incidents.active()] == [incident.id]
    linked = store.incidents.link_matching("sup", incident.id, TicketQuery(text="系统故障"))
    assert linked.tickets == 3
    assert store.incidents.link("sup", incident.id, store.incidents.ticket_ids(incident.id)[:1]).tickets == 3
    with pytest.raises(PermissionDenied):
        store.incidents.raise_incident("agent1", "system_outage", "x", "y")
    with pytest.raises(ValidationError):
        store.incidents.raise_incident("sup", "system_outage", "x", "")
    store.incidents.close("sup", incident.id)
    assert store.incidents.active() == []


def test_rebuild_gives_the_same_rows(store: Store, clock: FrozenClock) -> None:
    """Targets, roster, incidents are projections of events: rebuilding gives the same tables."""
    store.reports.set_kpi_target("sup", "csat", 0.7)
    shift = store.reports.set_shift("lead", "agent1", "2026-11-23", 18, 36)
    store.reports.set_shift("lead", "agent1", "2026-11-23", 20, 30, shift_id=shift.id)
    ticket = phone_ticket(store, clock, 5 * S)
    incident = store.incidents.raise_incident("sup", "mass_complaint", "短信误发", "请安抚客户")
    store.incidents.link("sup", incident.id, [ticket])
    before = store.snapshot()
    assert before["roster_shift"] and before["incident_ticket"] and before["kpi_target"]
    store.rebuild_projections()
    assert store.snapshot() == before


def test_live_counts_complaints_due_soon_major_ones_and_overdue_callbacks(
    store: Store, clock: FrozenClock, customer: CustomerView
) -> None:
    """Complaints due in ≤ 3 days, major complaints and overdue callbacks (DOMAIN.md: due ≤ 3 days first)."""
    assert store.reports.live("sup").extra == {"complaints_due_3d": 0, "major_complaints": 0, "overdue_callbacks": 0}
    values = {"customer_id": customer.id, "channel": "phone", "business": "credit_card", "description": "年费"}
    store.complaints.log("agent1", cause="pricing_fees", complainants=25, **values)  # major (Art. 29: >= 20)
    store.complaints.log("agent1", cause="service_attitude", **values)
    store.callbacks.schedule("agent1", purpose="key_customer_care", due=clock.now() + timedelta(hours=1),
                             customer_id=customer.id, assignee_id="agent1")
    clock.advance(timedelta(days=13))  # the 15-day deadlines (2026-12-08) are now within 3 days
    assert store.reports.live("sup").extra == {"complaints_due_3d": 2, "major_complaints": 1, "overdue_callbacks": 1}
