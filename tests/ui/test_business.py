"""Business assistance in the app: a fund redemption from checklist to completion notice, by keyboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from csdesk.app import CsdeskApp
from csdesk.screens.business import BusinessScreen
from csdesk.screens.pickers import ChoicePicker, TextPrompt
from csdesk.screens.ticket import TicketScreen
from tests.ui.helpers import make_app, make_desk_store, wait_for, wait_idle, wait_ready


@pytest.fixture
def store_path(tmp_path: Path) -> tuple[Path, str]:
    """The UI desk and the id of its business ticket (基金赎回到账时间)."""
    path = tmp_path / "desk.sqlite3"
    store = make_desk_store(path)
    [ticket] = [t for t in store.list_tickets("li") if t.kind == "business"]
    store.close()
    return path, ticket.id


async def _pick(pilot, value: str) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoicePicker))
    picker = pilot.app.screen
    for _ in range([v for v, _ in picker.choices].index(value)):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BusinessScreen))
    await wait_idle(pilot)


async def _answer(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BusinessScreen))
    await wait_idle(pilot)


def _errors(app: CsdeskApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def test_fund_redemption_from_checklist_to_completion_notice(store_path: tuple[Path, str]) -> None:
    """Issue 12: B on the ticket, pick the type, tick documents, refused while incomplete, stages, complete."""
    path, ticket_id = store_path
    app = make_app(path, language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        store = app.desk.store
        await app.push_screen(TicketScreen(ticket_id))
        await wait_for(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BusinessScreen))
        await wait_idle(pilot)
        screen = app.screen
        assert "No business case on this ticket" in str(screen.query_one("#biz-detail", Static).render())
        await pilot.press("o")
        await _pick(pilot, "fund_redemption")
        detail = str(screen.query_one("#biz-detail", Static).render())
        assert "Fund redemption" in detail and "Fund Operations" in detail
        assert "redemption fee of at least 1.5%" in detail  # a caution from the checklist file

        await pilot.press("r", "down", "i")  # ID received; the form invalid, with a reason
        await _answer(pilot, "not signed")
        await pilot.press("p")  # refused: the file is incomplete
        await wait_idle(pilot)
        assert any("not received" in message for message in _errors(app))
        [case] = store.business.list("li", ticket_id=ticket_id)
        assert case.stage == "draft"
        assert [d.status for d in case.documents] == ["received", "invalid", "pending"]

        docs = screen.query_one("#biz-docs", DataTable)
        docs.move_cursor(row=1)
        await pilot.press("r", "down", "r")
        await wait_idle(pilot)
        await pilot.press("n", "p")  # notify the customer of each step from now on
        await wait_idle(pilot)
        await pilot.press("g")
        await _pick(pilot, "in_review")
        await pilot.press("g")
        await _pick(pilot, "approved")
        await pilot.press("x")
        await _answer(pilot, "Money arrives within T+3")

        done = store.business.get("li", case.id)
        assert (done.stage, done.rework_count, done.guidance) == ("completed", 0, "Money arrives within T+3")
        assert "Guidance given: Money arrives within T+3" in str(screen.query_one("#biz-detail", Static).render())
        with store._read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT payload FROM event WHERE kind = 'callback.scheduled' ORDER BY desk_seq"
            ).all()
        notices = [json.loads(row.payload) for row in rows]
        assert len(notices) == 4 and {n["purpose"] for n in notices} == {"business_progress"}
        assert notices[-1]["note"] == "Business case completed."
        await wait_idle(pilot)
        assert "my success 1/1 (100%" in str(screen.query_one("#biz-status", Static).render())


async def test_palette_lists_every_case_and_asks_for_a_ticket_to_open_one(store_path: tuple[Path, str]) -> None:
    """The command palette reaches the list of all cases; a new case starts from its ticket."""
    from csdesk.commands import DeskCommands
    from csdesk.screens.business import business_commands

    path, ticket_id = store_path
    app = make_app(path, language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        app.desk.store.business.open_case("li", ticket_id, "card_loss")
        [(label, _, run)] = business_commands(app)
        assert label == "Business cases"
        provider = DeskCommands(app.screen)
        assert "Business cases" in [entry[0] for entry in provider._commands()]
        run()
        await wait_for(pilot, lambda: isinstance(app.screen, BusinessScreen) and bool(app.screen.cases))
        screen = app.screen
        assert [c.business_type for c in screen.cases] == ["card_loss"]
        await pilot.press("o")
        await wait_idle(pilot)
        assert isinstance(app.screen, BusinessScreen)
        assert any("B in the ticket detail" in str(n.message) for n in app._notifications)
