"""Snapshots of the callbacks room at a fixed size, with fixed data and a frozen clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from csdesk.data.store import Store
from csdesk.domain.recurrence import Frequency, RecurrenceRule
from csdesk.screens.callback_forms import OutcomeScreen, ScheduleCallbackScreen
from csdesk.screens.callbacks import CallbacksScreen
from tests.ui.helpers import NOW, frozen_clock, make_app, make_desk_store, wait_for, wait_idle, wait_ready

SIZE = (120, 32)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The UI desk with callbacks overdue, due now, later today, later this week and done (reminders taken)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    clock = frozen_clock()
    clock.set(NOW - timedelta(hours=2))
    store: Store = make_desk_store(Path("desk.sqlite3"), clock)
    tickets = {t.kind: t for t in store.list_tickets("li")}
    vip, plain = tickets["complaint"].customer_id, tickets["suggestion"].customer_id
    make = store.callbacks.schedule
    overdue = make("li", purpose="complaint_follow_up", ticket_id=tickets["complaint"].id, due="+30m",
                   note="回访年费退还进度")
    done = make("li", purpose="satisfaction_survey", customer_id=plain, due="+40m")
    clock.set(NOW - timedelta(minutes=75))  # five minutes after it was due: done on time
    store.callbacks.record_outcome("li", done.id, "reached", score=5, comment="Very helpful")
    clock.set(NOW)
    make("li", purpose="key_customer_care", customer_id=vip, due="+10m", channel="sms")
    make("li", purpose="business_progress", ticket_id=tickets["business"].id, due="+2h", channel="email")
    make("li", purpose="satisfaction_survey", customer_id=plain, due="2026-11-25 10:00",
         rule=RecurrenceRule(Frequency.WEEKLY, count=4))
    make("lead", purpose="key_customer_care", customer_id=vip, due="+1h", assignee_id="lead")
    store.callbacks.take_reminders("li", 15)
    assert overdue.id
    store.close()
    return Path("desk.sqlite3")


async def _callbacks(pilot: Pilot) -> None:
    await wait_ready(pilot)
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CallbacksScreen) and bool(pilot.app.screen.rows))
    await wait_idle(pilot)


def test_today_list_zh(desk: Path, snap_compare) -> None:
    """Overdue in red, due now in yellow, upcoming; masked phones; header counts the overdue one."""
    assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=_callbacks)


def test_week_agenda_en(desk: Path, snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _callbacks(pilot)
        await pilot.press("w")
        await wait_idle(pilot)

    assert snap_compare(make_app(desk, language="en"), terminal_size=SIZE, run_before=run_before)


def test_schedule_form_refusal_en(desk: Path, snap_compare) -> None:
    """The rule in words, its next dates, and a refusal with the nearest allowed time."""

    async def run_before(pilot: Pilot) -> None:
        await _callbacks(pilot)
        screen = pilot.app.screen
        cb = next(iter(screen.rows.values()))
        await pilot.app.push_screen(ScheduleCallbackScreen(customer_id=cb.customer_id))
        await wait_idle(pilot)
        form = pilot.app.screen
        form.query_one("#due", Input).value = "2026-11-23 21:00"
        form.query_one("#repeat", Select).value = "weekly"
        form.query_one("#weekdays", Input).value = "mon,thu"
        form.query_one("#until", Input).value = "2026-12-31"
        await wait_idle(pilot)
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        form.query_one("#purpose", Select).focus()  # no blinking cursor in the picture
        await wait_idle(pilot)

    assert snap_compare(make_app(desk, language="en"), terminal_size=SIZE, run_before=run_before)


def test_outcome_form_zh(desk: Path, snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _callbacks(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, OutcomeScreen))
        await wait_idle(pilot)

    assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=run_before)
