"""The app shell driven with Pilot: sign-in, navigation, language switch, palette, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from csdesk.app import CsdeskApp
from csdesk.widgets.header import DeskHeader
from csdesk.widgets.ticket_table import TicketTable
from tests.ui.helpers import make_app, make_desk_store, open_first_ticket, wait_for, wait_ready


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    return path


def header_text(app: CsdeskApp) -> str:
    return str(app.screen.query_one(DeskHeader).query_one("#header-line").render())


async def test_signs_in_and_shows_the_queue(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None and app.desk.user.name == "李娜"
        table = app.screen.query_one(TicketTable)
        assert table.total == 5
        assert "李娜" in header_text(app) and "D01" in header_text(app)
        assert not app.screen.query("#demo-banner"), "a live store shows no DEMO banner"


async def test_unknown_user_exits_with_one_sentence(store_path: Path) -> None:
    app = make_app(store_path, user="nobody")
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.failure is not None)
    assert app.failure is not None and "nobody" in app.failure
    assert app.return_code == 2


async def test_language_switch_relabels_open_screens(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        assert "席位" in header_text(app)
        await pilot.press("ctrl+l")
        await wait_ready(pilot)
        assert "Desk" in header_text(app)
        assert app.desk is not None and app.desk.t.language == "en"
        await pilot.press("ctrl+l")
        await wait_ready(pilot)
        assert "席位" in header_text(app)


async def test_agent_cannot_open_the_live_view_but_supervisor_can(store_path: Path) -> None:
    app = make_app(store_path, user="li")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert app.current_mode == "queue"
    app = make_app(store_path, user="sup")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.current_mode == "live")


async def test_every_area_opens_by_key(store_path: Path) -> None:
    app = make_app(store_path, user="sup")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        for key, mode in [("f3", "knowledge"), ("f4", "complaints"), ("f5", "callbacks"), ("f6", "live"),
                          ("f7", "trainer"), ("f8", "settings"), ("f2", "queue")]:
            await pilot.press(key)
            await wait_for(pilot, lambda mode=mode: app.current_mode == mode)


async def test_filter_as_you_type_and_claim(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        table = app.screen.query_one(TicketTable)
        await pilot.press("/")
        await pilot.press(*"年费")
        await wait_for(pilot, lambda: table.total == 1)
        await pilot.press("enter")  # back to the table
        await wait_for(pilot, lambda: table.current is not None)
        await pilot.press("c")
        await wait_for(pilot, lambda: table.current is not None and table.current.assignee_id == "li")
        assert table.current is not None and table.current.status == "open"


async def test_hostile_filter_text_is_inert(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        table = app.screen.query_one(TicketTable)
        await pilot.press("/")
        for key in ["percent", "underscore", "quotation_mark", "left_square_bracket", "asterisk"]:
            await pilot.press(key)
        await wait_for(pilot, lambda: table.total == 0)
        assert app.screen.query_one("#queue-status").render()


async def test_ticket_detail_note_and_status(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_first_ticket(pilot)
        await pilot.press("n")
        await pilot.press(*"客户来电 13812345678")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.detail is not None and len(screen.detail.notes) == 1)
        assert screen.detail is not None
        assert "138****5678" in screen.detail.notes[0].body
        assert "13812345678" not in str(screen.query_one("#ticket-notes").render())
        await pilot.press("escape")  # leave the note box
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # new -> open / waiting customer / waiting dept.
        await wait_for(pilot, lambda: screen.detail is not None and screen.detail.row.status != "new")


async def test_empty_note_and_huge_note_lose_nothing(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_first_ticket(pilot)
        note = screen.query_one("#note-input")
        huge = "x" * 25_000
        note.value = huge  # type: ignore[attr-defined]
        note.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app._notifications) > 0)
        assert note.value == huge, "a refused note stays in the box"  # type: ignore[attr-defined]
        assert screen.detail is not None and screen.detail.notes == []


async def test_command_palette_lists_navigation(store_path: Path) -> None:
    app = make_app(store_path, language="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_ready(pilot)
        from csdesk.commands import DeskCommands

        provider = DeskCommands(app.screen)
        labels = [label for label, _key, _cb in provider._commands()]
        for expected in ("Queue", "Knowledge", "Complaints", "Callbacks", "Switch language (中文 / English)",
                         "Claim", "Filter"):
            assert expected in labels
        assert "Live view" not in labels, "an agent's palette offers no supervisor view"


async def test_reveal_shows_the_whole_number_briefly_and_is_recorded(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_first_ticket(pilot)  # the newest ticket, whose customer has a phone on record
        panel = screen.query_one("#ticket-customer")
        assert "139****1111" in str(panel.render())
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: "13900001111" in str(panel.render()))
        assert app.desk is not None
        with app.desk.store._engine.connect() as conn:
            from sqlalchemy import text

            kinds = [row[0] for row in conn.execute(text("SELECT kind FROM event WHERE actor = 'li'"))]
        assert "pii.revealed" in kinds
        screen._hide("phone")
        await pilot.pause()
        assert "13900001111" not in str(panel.render())


async def test_sort_facets_waiting_and_assign(store_path: Path) -> None:
    app = make_app(store_path, user="lead")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        table = app.screen.query_one(TicketTable)
        from csdesk.screens.pickers import ChoicePicker, FacetPicker
        from csdesk.screens.queue import QueueScreen

        queue = app.screen
        assert isinstance(queue, QueueScreen)
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePicker))
        app.screen.dismiss("subject")
        await wait_for(pilot, lambda: queue.query_state.order_by == "subject" and table.current is not None)
        await pilot.press("O")  # ascending by subject
        await wait_for(pilot, lambda: not queue.query_state.descending)
        await wait_ready(pilot)
        subjects = [table.row_at(i).subject for i in range(table.total)]  # type: ignore[union-attr]
        assert subjects == sorted(subjects)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacetPicker))
        app.screen.dismiss(["kind:complaint", "kind:suggestion"])
        await wait_for(pilot, lambda: table.total == 2)
        await pilot.press("g")  # assign the first one to li
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePicker))
        app.screen.dismiss("li")
        await wait_for(pilot, lambda: table.row_at(0) is not None and table.row_at(0).assignee_id == "li")
        await pilot.press("w")
        await wait_for(pilot, lambda: table.total == 0)


async def test_agent_may_not_assign(store_path: Path) -> None:
    app = make_app(store_path, user="li")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        from csdesk.screens.pickers import ChoicePicker

        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePicker))
        app.screen.dismiss("sup")
        await wait_for(pilot, lambda: any("ticket.assign" in str(n.message) for n in app._notifications))
        assert app.screen.query_one(TicketTable).current.assignee_id is None  # type: ignore[union-attr]


async def test_availability_cycles_from_the_keyboard_and_routing_respects_it(store_path: Path) -> None:
    app = make_app(store_path, user="lead", language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        assert "Available" in header_text(app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: "Busy" in header_text(app))
        assert app.desk is not None and app.desk.store.get_user("lead").availability == "busy"
        table = app.screen.query_one(TicketTable)
        await pilot.press("R")  # li (agent) is the only one available now
        await wait_for(pilot, lambda: table.row_at(0) is not None and table.row_at(0).assignee_id == "li")
