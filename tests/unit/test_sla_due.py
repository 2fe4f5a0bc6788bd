"""Stored SLA deadlines and the queue badge (rule: waiting for the customer or a department pauses the SLA clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csdesk.domain.sla import Pause, SlaMode, SlaPolicy
from csdesk.domain.sla_due import badge, compact, deadlines, due_after

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing
CAL = SlaPolicy("complaint", "normal", timedelta(hours=2), timedelta(days=15), SlaMode.CALENDAR)
BIZ = SlaPolicy("consultation", "normal", timedelta(minutes=30), timedelta(hours=11, minutes=30), SlaMode.BUSINESS)


def test_calendar_due_without_pauses() -> None:
    d = deadlines(CAL, T0, [], None)
    assert d.response_due == T0 + timedelta(hours=2)
    assert d.resolution_due == T0 + timedelta(days=15)
    assert d.paused_at is None


def test_ended_pause_pushes_the_deadline_by_its_length() -> None:
    """Waiting for the customer or a department does not count against the desk."""
    pause = Pause(T0 + timedelta(hours=1), T0 + timedelta(hours=5))
    assert due_after(T0, timedelta(hours=2), [pause], SlaMode.CALENDAR) == T0 + timedelta(hours=6)


def test_pause_after_the_deadline_changes_nothing() -> None:
    pause = Pause(T0 + timedelta(hours=3), T0 + timedelta(hours=5))
    assert due_after(T0, timedelta(hours=2), [pause], SlaMode.CALENDAR) == T0 + timedelta(hours=2)


def test_open_pause_is_reported_and_freezes_the_badge() -> None:
    d = deadlines(CAL, T0, [Pause(T0 + timedelta(hours=1), None)], None)
    assert d.paused_at == T0 + timedelta(hours=1)
    later = T0 + timedelta(hours=30)
    shown = badge(d.response_due, CAL.first_response, later, mode=CAL.mode, paused_at=d.paused_at)
    assert shown.status == "paused" and shown.remaining == timedelta(hours=1)


def test_business_hours_deadline_skips_the_night() -> None:
    """A consultation at 19:45 Beijing time with 30 working minutes is due 08:45 next morning."""
    evening = datetime(2026, 11, 23, 11, 45, tzinfo=UTC)
    d = deadlines(BIZ, evening, [], None)
    assert d.response_due == datetime(2026, 11, 24, 0, 45, tzinfo=UTC)


def test_badge_bands() -> None:
    total = timedelta(hours=10)
    due = T0 + total
    assert badge(due, total, T0, mode=SlaMode.CALENDAR).status == "ok"
    assert badge(due, total, due - timedelta(hours=2), mode=SlaMode.CALENDAR).status == "warning"
    assert badge(due, total, due - timedelta(hours=2, seconds=1), mode=SlaMode.CALENDAR).status == "ok"
    late = badge(due, total, due + timedelta(minutes=20), mode=SlaMode.CALENDAR)
    assert late.status == "breached" and compact(late.remaining) == "-20m"
    assert badge(due, total, T0, mode=SlaMode.CALENDAR, done_at=due).status == "met"
    assert badge(due, total, T0, mode=SlaMode.CALENDAR, done_at=due + timedelta(1)).status == "breached"
    assert badge(None, total, T0, mode=SlaMode.CALENDAR).status == "none"


def test_first_response_given_leaves_only_the_resolution_target() -> None:
    d = deadlines(CAL, T0, [], T0 + timedelta(minutes=5))
    assert d.response_due is None


def test_compact_forms() -> None:
    assert [compact(timedelta(minutes=m)) for m in (5, 90, 60 * 30)] == ["5m", "1h30", "1d6h"]
