"""Callbacks through the store gateway (``store.callbacks``): schedule, work, remind, report.

The store fixture's clock stands at Monday 2026-11-23 09:00 UTC (17:00 in Beijing); the
default contact window is 09:00–20:00 every day, customer's time (Beijing).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from csdesk.data.api import CustomerView
from csdesk.data.store import Store
from csdesk.domain.callback_rules import ContactRefused
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from csdesk.domain.recurrence import Frequency, RecurrenceRule
from tests.store.conftest import event_count, events

SH = ZoneInfo("Asia/Shanghai")
TOMORROW_10 = datetime(2026, 11, 24, 10, 0, tzinfo=SH)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


@pytest.fixture
def complaint_ticket(store: Store, customer: CustomerView) -> str:
    ticket = store.create_ticket(
        "agent1", kind="complaint", channel="phone", subject="年费重复扣收", customer_id=customer.id
    )
    store.claim_ticket("agent1", ticket.id)
    store.change_status("agent1", ticket.id, "resolved")
    return ticket.id


def test_schedule_from_a_ticket_takes_its_customer(store: Store, customer: CustomerView, complaint_ticket: str) -> None:
    """A callback scheduled from a ticket calls that ticket's customer, assigned to the scheduler."""
    cb = store.callbacks.schedule("agent1", purpose="complaint_follow_up", ticket_id=complaint_ticket, due=TOMORROW_10)
    assert cb.customer_id == customer.id and cb.ticket_ref is not None
    assert cb.assignee_id == "agent1" and cb.status == "scheduled" and cb.attempts == 0
    assert cb.due_at == TOMORROW_10.astimezone(UTC)
    assert cb.customer_phone == "138****5678"  # masked
    [ev] = [e for e in events(store) if e.kind == "callback.scheduled"]
    payload = json.loads(ev.payload)
    assert {"customer_id", "ticket_id", "complaint_id", "purpose", "channel", "due_at", "assignee_id", "rule"} <= set(
        payload
    )


def test_schedule_from_a_customer_with_typed_time(store: Store, customer: CustomerView) -> None:
    """Typed due times are desk time; "+1h" from 17:00 Beijing is 18:00."""
    cb = store.callbacks.schedule("agent1", purpose="key_customer_care", customer_id=customer.id, due="+1h")
    assert cb.due_at == sh(2026, 11, 23, 18, 0).astimezone(UTC)


def test_refusals_propose_the_nearest_allowed_time(store: Store, customer: CustomerView, clock: FrozenClock) -> None:
    """Bad input: outside the window, in the past, on a holiday, Feb 30, zero interval: nothing written."""
    before = event_count(store)

    def survey(due: str) -> object:
        return store.callbacks.schedule("agent1", purpose="satisfaction_survey", customer_id=customer.id, due=due)

    with pytest.raises(ContactRefused) as late:
        survey("2026-11-23 21:30")
    assert late.value.proposal == sh(2026, 11, 24, 9, 0)
    with pytest.raises(ContactRefused, match="in the past"):
        survey("2026-11-23 08:00")
    clock.set(datetime(2026, 9, 28, 2, 0, tzinfo=UTC))
    with pytest.raises(ContactRefused, match="public holiday") as holiday:
        survey("2026-10-02 10:00")
    assert holiday.value.proposal == sh(2026, 10, 8, 9, 0)
    with pytest.raises(ValidationError, match="no 30 February"):
        survey("2027-02-30 10:00")
    with pytest.raises(ValidationError, match="0 never repeats"):
        store.callbacks.schedule(
            "agent1", purpose="satisfaction_survey", customer_id=customer.id, due=TOMORROW_10,
            rule=RecurrenceRule(Frequency.DAILY, interval=0),
        )
    assert event_count(store) == before
    forced = store.callbacks.schedule(
        "agent1", purpose="satisfaction_survey", customer_id=customer.id, due="2026-10-02 10:00",
        force_reason="Customer is only free during the holiday",
    )
    assert forced.forced_reason == "Customer is only free during the holiday"


def test_do_not_contact_and_window_in_the_customers_zone(store: Store, customer: CustomerView) -> None:
    """Contact preferences are events; do-not-contact refuses, the window is read in the customer's zone."""
    prefs = store.callbacks.set_contact_prefs(
        "agent1", customer.id, window_start="09:00", window_end="12:00", weekdays=[0, 1, 2, 3, 4],
        time_zone="Europe/London",
    )
    assert prefs.recorded and prefs.weekdays == (0, 1, 2, 3, 4)
    with pytest.raises(ContactRefused, match="Europe/London") as info:
        store.callbacks.schedule("agent1", purpose="satisfaction_survey", customer_id=customer.id, due=TOMORROW_10)
    london = ZoneInfo("Europe/London")
    assert info.value.proposal == datetime(2026, 11, 24, 9, 0, tzinfo=london)
    store.callbacks.set_contact_prefs("agent1", customer.id, do_not_contact=True)
    with pytest.raises(ContactRefused, match="not to be contacted"):
        store.callbacks.schedule("agent1", purpose="satisfaction_survey", customer_id=customer.id, due=TOMORROW_10)
    assert [e.kind for e in events(store)].count("customer.contact_prefs_set") == 2


def test_lists_today_week_and_due(store: Store, customer: CustomerView, clock: FrozenClock) -> None:
    """Today's list splits overdue / due now / upcoming; the week agenda keeps every day; `due` looks ahead."""
    make = store.callbacks.schedule
    soon = make("agent1", purpose="key_customer_care", customer_id=customer.id, due="+10m")
    later = make("agent1", purpose="key_customer_care", customer_id=customer.id, due="+2h")
    late = make("agent1", purpose="key_customer_care", customer_id=customer.id, due="+1m")
    other = make("lead", purpose="key_customer_care", customer_id=customer.id, due="+30m", assignee_id="agent2")
    tomorrow = make("agent1", purpose="key_customer_care", customer_id=customer.id, due=TOMORROW_10)
    clock.advance(timedelta(minutes=20))
    today = store.callbacks.today("agent1", assignee_id="agent1")
    assert [c.id for c in today.overdue] == [late.id]
    assert [c.id for c in today.due_now] == [soon.id]
    assert [c.id for c in today.upcoming] == [later.id]
    team = store.callbacks.today("agent1", team="A")
    assert other.id in [c.id for c in team.due_now]
    assert store.callbacks.overdue_count("agent1", "agent1") == 1
    assert [c.id for c in store.callbacks.due("agent1", assignee_id="agent1")] == [late.id, soon.id]
    assert len(store.callbacks.due("agent1", assignee_id="agent1", within_minutes=24 * 60)) == 4
    week = store.callbacks.week("agent1", assignee_id="agent1").days
    assert list(week) == [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    assert [c.id for c in week[date(2026, 11, 24)]] == [tomorrow.id]


def test_no_answer_retries_until_the_maximum(store: Store, customer: CustomerView, clock: FrozenClock) -> None:
    """Retry rule: "no answer" moves the callback by the retry interval (into the window) until max attempts."""
    cb = store.callbacks.schedule(
        "agent1", purpose="satisfaction_survey", customer_id=customer.id, due=TOMORROW_10, max_attempts=2,
        retry_minutes=60,
    )
    clock.set(TOMORROW_10.astimezone(UTC))
    first = store.callbacks.record_outcome("agent1", cb.id, "no_answer")
    assert first.callback.status == "scheduled" and first.callback.attempts == 1
    assert first.callback.due_at == sh(2026, 11, 24, 11, 0).astimezone(UTC)
    assert first.callback.first_due_at == cb.due_at
    second = store.callbacks.record_outcome("agent1", cb.id, "no_answer")
    assert second.callback.status == "failed" and second.callback.attempts == 2
    with pytest.raises(Conflict, match="already failed"):
        store.callbacks.record_outcome("agent1", cb.id, "reached")


def test_survey_score_and_recurrence_next_occurrence(store: Store, customer: CustomerView, clock: FrozenClock) -> None:
    """A reached weekly survey records its score and schedules the next Tuesday (same series)."""
    rule = RecurrenceRule(Frequency.WEEKLY, count=2)
    cb = store.callbacks.schedule(
        "agent1", purpose="satisfaction_survey", customer_id=customer.id, due=TOMORROW_10, rule=rule
    )
    clock.set(TOMORROW_10.astimezone(UTC) + timedelta(minutes=5))
    with pytest.raises(ValidationError, match="1 \\(very unsatisfied\\) to 5"):
        store.callbacks.record_outcome("agent1", cb.id, "reached", score=7)
    result = store.callbacks.record_outcome("agent1", cb.id, "reached", score=4, comment="Happy with the app")
    assert result.callback.status == "done" and result.callback.score == 4
    assert result.next is not None and result.next.series_id == cb.id and result.next.occurrence == 2
    assert result.next.due_at == sh(2026, 12, 1, 10, 0).astimezone(UTC)
    clock.set(sh(2026, 12, 1, 10, 0).astimezone(UTC))
    last = store.callbacks.record_outcome("agent1", result.next.id, "refused")
    assert last.next is None  # count=2: the series is over


def test_unsatisfied_follow_up_reopens_the_complaint_ticket(
    store: Store, customer: CustomerView, complaint_ticket: str, clock: FrozenClock
) -> None:
    """Complaint follow-up answered with score ≤ 2 reopens the resolved complaint ticket, with the reason."""
    cb = store.callbacks.schedule("agent1", purpose="complaint_follow_up", ticket_id=complaint_ticket, due=TOMORROW_10)
    clock.set(TOMORROW_10.astimezone(UTC))
    result = store.callbacks.record_outcome("agent1", cb.id, "reached", score=2, comment="还是不满意")
    assert result.unsatisfied and result.reopened_ref == store.get_ticket_row("agent1", complaint_ticket).ref
    ticket = store.get_ticket("agent1", complaint_ticket)
    assert ticket.row.status == "open"
    assert "还是不满意" in ticket.timeline[-1].data["reason"]


def test_satisfied_follow_up_leaves_the_ticket(store: Store, complaint_ticket: str, clock: FrozenClock) -> None:
    """Score 4 on a complaint follow-up: satisfied, nothing reopens."""
    cb = store.callbacks.schedule("agent1", purpose="complaint_follow_up", ticket_id=complaint_ticket, due=TOMORROW_10)
    result = store.callbacks.record_outcome("agent1", cb.id, "reached", score=4)
    assert not result.unsatisfied and result.reopened_ref is None
    assert store.get_ticket_row("agent1", complaint_ticket).status == "resolved"


def test_no_answer_carries_no_score_and_reopens_nothing(store: Store, complaint_ticket: str) -> None:
    """Outcome rule: only a reached customer gives a score or an unsatisfied answer; nothing is written otherwise."""
    cb = store.callbacks.schedule("agent1", purpose="complaint_follow_up", ticket_id=complaint_ticket, due=TOMORROW_10)
    before = event_count(store)
    for kwargs in ({"score": 1}, {"unsatisfied": True}):
        with pytest.raises(ValidationError, match="only when the customer was reached"):
            store.callbacks.record_outcome("agent1", cb.id, "no_answer", **kwargs)  # type: ignore[arg-type]
    assert event_count(store) == before
    assert store.get_ticket_row("agent1", complaint_ticket).status == "resolved"


def test_reschedule_and_cancel(store: Store, customer: CustomerView) -> None:
    """Rescheduled outcome needs a new allowed time; cancel needs a reason and ends the callback."""
    cb = store.callbacks.schedule("agent1", purpose="business_progress", customer_id=customer.id, due=TOMORROW_10)
    with pytest.raises(ValidationError, match="Say when"):
        store.callbacks.record_outcome("agent1", cb.id, "rescheduled")
    moved = store.callbacks.record_outcome("agent1", cb.id, "rescheduled", reschedule_to="2026-11-25 15:00")
    assert moved.callback.due_at == sh(2026, 11, 25, 15, 0).astimezone(UTC) and moved.callback.status == "scheduled"
    again = store.callbacks.reschedule("agent1", cb.id, "2026-11-26 11:00", reason="customer travelling")
    assert again.due_at == sh(2026, 11, 26, 11, 0).astimezone(UTC)
    with pytest.raises(ValidationError, match="why"):
        store.callbacks.cancel("agent1", cb.id, " ")
    assert store.callbacks.cancel("agent1", cb.id, "Customer closed the account").status == "cancelled"


def test_reminders_once_per_due_time_and_after_restart(
    store: Store, customer: CustomerView, clock: FrozenClock
) -> None:
    """Reminders come from the store N minutes before due, once per (callback, due time), also after reopening."""
    cb = store.callbacks.schedule("agent1", purpose="key_customer_care", customer_id=customer.id, due="+30m")
    assert store.callbacks.take_reminders("agent1", 15) == []
    clock.advance(timedelta(minutes=16))
    assert [c.id for c in store.callbacks.take_reminders("agent1", 15)] == [cb.id]
    assert store.callbacks.take_reminders("agent1", 15) == []
    reopened = Store.open(store.path, desk_id="D01", clock=clock)
    try:
        assert reopened.callbacks.take_reminders("agent1", 15) == []
        reopened.callbacks.reschedule("agent1", cb.id, "+20m")
        assert [c.id for c in reopened.callbacks.take_reminders("agent1", 15)] == []
        clock.advance(timedelta(minutes=6))
        assert [c.id for c in reopened.callbacks.take_reminders("agent1", 15)] == [cb.id]
    finally:
        reopened.close()
    assert store.callbacks.take_reminders("agent2", 15) == []


def test_completion_rate_per_agent_team_and_desk(store: Store, customer: CustomerView, clock: FrozenClock) -> None:
    """KPI: done by due time (first attempt within 30 min) / due, per agent, team and desk."""
    on_time = store.callbacks.schedule("agent1", purpose="key_customer_care", customer_id=customer.id, due="+1h")
    missed = store.callbacks.schedule("agent1", purpose="key_customer_care", customer_id=customer.id, due="+1h")
    store.callbacks.schedule("agent2", purpose="key_customer_care", customer_id=customer.id, due="+1h")
    store.callbacks.schedule("agent2", purpose="key_customer_care", customer_id=customer.id, due=TOMORROW_10)
    clock.advance(timedelta(minutes=70))
    store.callbacks.record_outcome("agent1", on_time.id, "reached")
    clock.advance(timedelta(hours=1))
    store.callbacks.record_outcome("agent1", missed.id, "no_answer")
    rows = {(r.scope, r.key): r for r in store.callbacks.completion("agent1")}
    assert (rows["agent", "agent1"].due, rows["agent", "agent1"].on_time) == (2, 1)
    assert rows["agent", "agent2"].rate == 0.0
    assert (rows["team", "A"].due, rows["team", "A"].on_time) == (3, 1)
    assert rows["desk", "D01"].rate == pytest.approx(1 / 3)


def test_rebuild_reproduces_callback_projections(
    store: Store, customer: CustomerView, complaint_ticket: str, clock: FrozenClock
) -> None:
    """Event log is the source of truth: rebuilding gives the same callback and preference rows."""
    store.callbacks.set_contact_prefs("agent1", customer.id, window_start="08:00", window_end="21:00")
    cb = store.callbacks.schedule(
        "agent1", purpose="complaint_follow_up", ticket_id=complaint_ticket, due=TOMORROW_10,
        rule=RecurrenceRule(Frequency.DAILY, count=3),
    )
    clock.set(TOMORROW_10.astimezone(UTC) - timedelta(minutes=10))
    store.callbacks.take_reminders("agent1", 15)
    clock.set(TOMORROW_10.astimezone(UTC))
    result = store.callbacks.record_outcome("agent1", cb.id, "reached", score=1)
    assert result.next is not None
    store.callbacks.record_outcome("agent1", result.next.id, "no_answer")
    before = store.snapshot()
    assert len(before["callback"]) == 2 and len(before["customer_contact_pref"]) == 1
    store.rebuild_projections()
    assert store.snapshot() == before


def test_role_refusals_are_audited(store: Store, customer: CustomerView) -> None:
    """Access follows role in the data layer: QA cannot schedule; an agent cannot work a colleague's callback."""
    with pytest.raises(PermissionDenied, match=r"callback\.schedule"):
        store.callbacks.schedule("qa", purpose="key_customer_care", customer_id=customer.id, due=TOMORROW_10)
    with pytest.raises(PermissionDenied, match=r"callback\.assign"):
        store.callbacks.schedule(
            "agent1", purpose="key_customer_care", customer_id=customer.id, due=TOMORROW_10, assignee_id="agent2"
        )
    theirs = store.callbacks.schedule(
        "lead", purpose="key_customer_care", customer_id=customer.id, due=TOMORROW_10, assignee_id="agent2"
    )
    before = store.snapshot()
    with pytest.raises(PermissionDenied, match=r"callback\.assign"):
        store.callbacks.record_outcome("agent1", theirs.id, "reached")
    with pytest.raises(PermissionDenied, match=r"customer\.write"):
        store.callbacks.set_contact_prefs("analyst", customer.id, do_not_contact=True)
    assert store.snapshot() == before
    denied = [json.loads(e.payload)["permission"] for e in events(store) if e.kind == "access.denied"]
    assert denied == ["callback.schedule", "callback.assign", "callback.assign", "customer.write"]
    assert store.callbacks.find("analyst", assignee_id="agent2")[0].customer_phone == "138****5678"


def test_links_are_checked(store: Store, customer: CustomerView) -> None:
    """A ticket must exist; a follow-up needs its complaint; unknown purposes and channels are named."""
    with pytest.raises(NotFound):
        store.callbacks.schedule("agent1", purpose="key_customer_care", ticket_id="nope", due=TOMORROW_10)
    with pytest.raises(ValidationError, match="complaint or ticket"):
        store.callbacks.schedule("agent1", purpose="complaint_follow_up", customer_id=customer.id, due=TOMORROW_10)
    with pytest.raises(ValidationError, match="use one of"):
        store.callbacks.schedule("agent1", purpose="gossip", customer_id=customer.id, due=TOMORROW_10)
    with pytest.raises(ValidationError, match="use one of"):
        store.callbacks.schedule(
            "agent1", purpose="key_customer_care", customer_id=customer.id, due=TOMORROW_10, channel="fax"
        )
    bare = store.create_ticket("agent1", kind="consultation", channel="phone", subject="No customer")
    with pytest.raises(ValidationError, match="which customer"):
        store.callbacks.schedule("agent1", purpose="business_progress", ticket_id=bare.id, due=TOMORROW_10)


def test_hostile_note_is_sanitised_and_masked(store: Store, customer: CustomerView) -> None:
    """Free text loses terminal escapes and shows numbers masked."""
    cb = store.callbacks.schedule(
        "agent1", purpose="key_customer_care", customer_id=customer.id, due=TOMORROW_10,
        note="\x1b]52;c;evil\x07call on 13812345678\x1b[2J",
    )
    assert "\x1b" not in cb.note and "13812345678" not in cb.note and "138****5678" in cb.note
