"""The supervisor's live view: snapshot on screen, updates within a poll, only changed cells redrawn,
drill down, reassign, incidents on every header (DOMAIN.md, "Live queue view", "Emergency response")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from csdesk.screens.live import LiveScreen
from csdesk.screens.ticket import TicketScreen
from csdesk.widgets.keyed_table import KeyedTable
from tests.ui.helpers import make_app, make_desk_store, wait_for, wait_ready


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    return path


async def open_live(pilot) -> LiveScreen:
    await wait_ready(pilot)
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LiveScreen) and pilot.app.screen.snapshot is not None)
    return pilot.app.screen


async def test_live_view_shows_waiting_agents_and_alerts(store_path: Path) -> None:
    """Waiting by kind and channel, agents with load, SLA alerts once deadlines pass."""
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 36)) as pilot:
        screen = await open_live(pilot)
        waiting = screen.query_one("#live-waiting", KeyedTable)
        assert set(waiting.shown) == {
            "complaint:phone",
            "consultation:chat",
            "business:walk_in",
            "consultation:phone",
            "suggestion:email",
        }
        assert {"li", "lead", "sup"} <= set(screen.query_one("#live-agents", KeyedTable).shown)
        assert app.desk is not None
        app.desk.clock.advance(timedelta(days=3))  # type: ignore[attr-defined]
        screen.reload()
        alerts = screen.query_one("#live-alerts", KeyedTable)
        await wait_for(pilot, lambda: len(alerts.shown) == 5)
        assert "breached 5" in str(screen.query_one("#live-summary").render())


async def test_a_change_arrives_within_a_poll_and_redraws_only_its_cells(store_path: Path) -> None:
    """A new ticket written to the store shows up without a key press; only changed cells are written."""
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 36)) as pilot:
        screen = await open_live(pilot)
        waiting = screen.query_one("#live-waiting", KeyedTable)
        agents = screen.query_one("#live-agents", KeyedTable)
        before_agents = agents.cell_writes
        before_waiting = waiting.cell_writes
        assert app.desk is not None
        app.desk.store.create_ticket("li", kind="complaint", channel="phone", subject="another one")
        await wait_for(pilot, lambda: waiting.shown["complaint:phone"][2] == "2")
        assert waiting.cell_writes == before_waiting + 1  # just the count
        assert agents.cell_writes == before_agents  # nobody's load changed


async def test_drill_down_and_reassign(store_path: Path) -> None:
    """Enter opens the ticket of an alert; g reassigns it to the chosen agent."""
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 36)) as pilot:
        screen = await open_live(pilot)
        assert app.desk is not None
        app.desk.clock.advance(timedelta(days=3))  # type: ignore[attr-defined]
        screen.reload()
        alerts = screen.query_one("#live-alerts", KeyedTable)
        await wait_for(pilot, lambda: len(alerts.shown) == 5)
        alerts.focus()
        target = alerts.current_key
        await pilot.press("g")
        await pilot.pause()
        from textual.widgets import OptionList

        options = pilot.app.screen.query_one(OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "lead"
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.desk.store.get_ticket_row("sup", target).assignee_id == "lead")
        await wait_for(pilot, lambda: alerts.shown.get(target, ("",) * 8)[5] == "lead")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TicketScreen))
        assert pilot.app.screen.ticket_id == target


async def test_incident_banner_on_every_desk_header(store_path: Path) -> None:
    """A supervisor raises an incident with the standard script; the header shows it; tickets are linked."""
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 36)) as pilot:
        screen = await open_live(pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")  # system outage
        await pilot.pause()
        for text in ("Online banking down",):
            await pilot.press(*text)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # keep the standard script
        await pilot.pause()
        await pilot.press(*"信用卡", "enter")
        assert app.desk is not None
        await wait_for(pilot, lambda: bool(app.desk.store.incidents.active()))
        [incident] = app.desk.store.incidents.active()
        assert incident.tickets == 1 and "system is being repaired" in incident.script
        banner = screen.query_one("#incident-banner")
        await wait_for(pilot, lambda: banner.display and "Online banking down" in str(banner.render()))
        await pilot.press("f2")
        await wait_for(pilot, lambda: pilot.app.current_mode == "queue")
        queue_banner = pilot.app.screen.query_one("#incident-banner")
        pilot.app.screen.query_one("DeskHeader").refresh_incidents(always=True)
        await wait_for(pilot, lambda: queue_banner.display)


async def test_agents_cannot_open_the_live_view(store_path: Path) -> None:
    """F6 is refused politely for an agent (the store refuses too)."""
    app = make_app(store_path, user="li", language="en")
    async with app.run_test(size=(130, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert pilot.app.current_mode == "queue"
