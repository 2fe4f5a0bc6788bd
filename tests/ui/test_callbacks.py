"""Callbacks in the app: schedule from a ticket → reminder → outcome → retry → unsatisfied reopens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from csdesk.screens.callback_forms import OutcomeScreen, ScheduleCallbackScreen
from csdesk.screens.callback_reminders import CallbackReminders
from csdesk.screens.callbacks import CallbacksScreen
from csdesk.screens.ticket import TicketScreen
from tests.ui.helpers import make_app, make_desk_store, wait_for, wait_idle, wait_ready


@pytest.fixture
def store_path(tmp_path: Path) -> tuple[Path, str]:
    """The UI desk, with its complaint ticket resolved (so an unsatisfied follow-up can reopen it)."""
    path = tmp_path / "desk.sqlite3"
    store = make_desk_store(path)
    [complaint] = [t for t in store.list_tickets("li") if t.kind == "complaint"]
    store.claim_ticket("li", complaint.id)
    store.change_status("li", complaint.id, "resolved")
    store.close()
    return path, complaint.id


def reminders(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Callback reminder"]  # type: ignore[attr-defined]


async def test_schedule_remind_outcome_retry_reopen(store_path: tuple[Path, str]) -> None:
    """The whole flow by keyboard: b on the ticket, Ctrl+S, a reminder once, no answer → retry, score 2 → reopen."""
    path, ticket_id = store_path
    app = make_app(path, language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        store, clock = app.desk.store, app.desk.clock
        await app.push_screen(TicketScreen(ticket_id))
        await wait_for(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ScheduleCallbackScreen))
        form = app.screen
        await wait_idle(pilot)
        assert form.query_one("#purpose", Select).value == "complaint_follow_up"
        await pilot.press(*"+20m")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen))
        [cb] = store.callbacks.find("li", ticket_id=ticket_id)
        assert cb.purpose == "complaint_follow_up" and cb.assignee_id == "li"

        ticker = CallbackReminders(app, app.desk)
        ticker.tick()
        await wait_idle(pilot)
        assert reminders(app) == []  # due in 20 minutes; reminders come 15 minutes before
        clock.advance(timedelta(minutes=6))  # type: ignore[attr-defined]
        ticker.tick()
        await wait_idle(pilot)
        assert len(reminders(app)) == 1 and "Complaint follow-up" in reminders(app)[0]
        ticker.tick()
        await wait_idle(pilot)
        assert len(reminders(app)) == 1  # never twice for the same due time

        await pilot.press("escape")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CallbacksScreen) and bool(app.screen.rows))
        assert "due now 1" in str(app.screen.query_one("#callbacks-summary", Static).render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OutcomeScreen))
        app.screen.query_one("#outcome", Select).value = "no_answer"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CallbacksScreen))
        retried = store.callbacks.get("li", cb.id)
        assert retried.attempts == 1 and retried.status == "scheduled"
        assert retried.due_at == clock.now() + timedelta(hours=2)
        assert any("Next attempt" in str(n.message) for n in app._notifications)

        clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
        await pilot.press("r")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OutcomeScreen))
        outcome = app.screen
        outcome.query_one("#score", Input).value = "2"
        outcome.query_one("#comment", Input).value = "Fee still not refunded"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CallbacksScreen))
        assert store.get_ticket_row("li", ticket_id).status == "open"
        assert any("reopened" in str(n.message) for n in app._notifications)
        assert store.callbacks.get("li", cb.id).status == "done"


async def test_refused_time_proposes_and_ctrl_n_uses_it(store_path: tuple[Path, str]) -> None:
    """Outside the window: the form says why and proposes the nearest time; Ctrl+N fills it in; nothing is lost."""
    path, ticket_id = store_path
    app = make_app(path, language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        await app.push_screen(ScheduleCallbackScreen(ticket_id=ticket_id))
        await wait_idle(pilot)
        form = app.screen
        form.query_one("#due", Input).value = "2026-11-23 22:00"
        form.query_one("#repeat", Select).value = "weekly"
        form.query_one("#until", Input).value = "2026-12-31"
        await wait_idle(pilot)
        assert "every Monday until 31 Dec" in str(form.query_one("#preview", Static).render())
        await pilot.press("ctrl+s")
        await wait_idle(pilot)
        error = str(form.query_one("#form-error", Static).render())
        assert "outside the customer's contact window" in error and "2026-11-24 09:00" in error
        assert app.screen is form and app.desk.store.callbacks.find("li") == []
        await pilot.press("ctrl+n")
        assert form.query_one("#due", Input).value == "2026-11-24 09:00"
        form.query_one("#interval", Input).value = "0"
        await wait_idle(pilot)
        assert "0 never repeats" in str(form.query_one("#preview", Static).render())


async def test_header_counts_overdue_callbacks(store_path: tuple[Path, str]) -> None:
    """The header shows how many of my callbacks are overdue, refreshed by the reminders timer."""
    path, ticket_id = store_path
    app = make_app(path, language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        store, clock = app.desk.store, app.desk.clock
        store.callbacks.schedule("li", purpose="satisfaction_survey", ticket_id=ticket_id, due="+5m")
        clock.advance(timedelta(minutes=40))  # type: ignore[attr-defined]
        CallbackReminders(app, app.desk).tick()
        await wait_idle(pilot)
        header = str(app.screen.query_one("#header-line", Static).render())
        assert "Overdue callbacks 1" in header
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CallbacksScreen) and bool(app.screen.rows))
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(0)[0]) == "Overdue"
        assert "Overdue callbacks 1" in str(app.screen.query_one("#header-line", Static).render())


async def test_move_and_cancel_from_the_list(store_path: tuple[Path, str]) -> None:
    """p moves the callback under the cursor to a typed time; x cancels it with a reason."""
    from csdesk.screens.pickers import TextPrompt

    path, ticket_id = store_path
    app = make_app(path, language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        store = app.desk.store
        cb = store.callbacks.schedule("li", purpose="satisfaction_survey", ticket_id=ticket_id, due="+1h")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CallbacksScreen) and bool(app.screen.rows))
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"+2h", "enter")  # 19:30 in Beijing, inside the 09:00-20:00 window
        moved_to = app.desk.clock.now() + timedelta(hours=2)
        await wait_for(pilot, lambda: store.callbacks.get("li", cb.id).due_at == moved_to)
        await wait_idle(pilot)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"customer moved abroad", "enter")
        await wait_for(pilot, lambda: store.callbacks.get("li", cb.id).status == "cancelled")
