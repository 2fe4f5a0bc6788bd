"""Users (F8 then u): supervisors set staff numbers, availability and skills; everyone reads the list."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input, OptionList, SelectionList, Static

from csdesk.data.api import StoreMode
from csdesk.data.store import Store
from csdesk.screens.pickers import ChoicePicker, FacetPicker, TextPrompt
from csdesk.screens.users import UsersScreen
from tests.ui.helpers import frozen_clock, make_app, make_desk_store, wait_for, wait_idle, wait_ready


async def _open_users(pilot) -> UsersScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    await pilot.press("f8")
    await wait_for(pilot, lambda: pilot.app.current_mode == "settings")
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, UsersScreen) and bool(pilot.app.screen.users))
    await wait_idle(pilot)
    return pilot.app.screen  # type: ignore[return-value]


async def _highlight(pilot, screen: UsersScreen, user_id: str) -> None:  # type: ignore[no-untyped-def]
    table = screen.query_one("#users-table", DataTable)
    table.move_cursor(row=[u.id for u in screen.users].index(user_id))
    await pilot.pause()


def _user(path: Path, user_id: str):  # type: ignore[no-untyped-def]
    store = Store.open(path, desk_id="D01", mode=StoreMode.LIVE, clock=frozen_clock())
    try:
        return store.get_user(user_id)
    finally:
        store.close()


async def test_supervisor_sets_a_staff_number_and_a_bad_one_writes_nothing(tmp_path: Path) -> None:
    """A staff number with a space is refused with the rule; 1024 is saved and shown."""
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    app = make_app(path, user="sup", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_users(pilot)
        assert "3 without a staff number" in str(screen.query_one("#users-status", Static).render())
        await _highlight(pilot, screen, "li")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = "10 24"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen))
        await wait_idle(pilot)
        assert any("letters, digits" in str(n.message) for n in app._notifications)
        assert _user(path, "li").staff_no == ""
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = "1024"
        await pilot.press("enter")
        await wait_for(pilot, lambda: next(u for u in screen.users if u.id == "li").staff_no == "1024")
        assert "2 without a staff number" in str(screen.query_one("#users-status", Static).render())
    assert _user(path, "li").staff_no == "1024"


async def test_supervisor_sets_availability_and_skills(tmp_path: Path) -> None:
    """Availability from a picker, skills from ticks: routing reads both."""
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    app = make_app(path, user="sup", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_users(pilot)
        await _highlight(pilot, screen, "lead")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePicker))
        options = app.screen.query_one(OptionList)
        options.highlighted = [o.id for o in options._options].index("break")
        await pilot.press("enter")
        await wait_for(pilot, lambda: next(u for u in screen.users if u.id == "lead").availability == "break")
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, FacetPicker))
        ticks = app.screen.query_one(SelectionList)
        ticks.select("complaint")
        await pilot.press("enter")
        await wait_for(pilot, lambda: next(u for u in screen.users if u.id == "lead").skills == ("complaint",))
    saved = _user(path, "lead")
    assert (saved.availability, saved.skills) == ("break", ("complaint",))


async def test_an_agent_reads_the_list_but_changes_nobody(tmp_path: Path) -> None:
    """Permission.USER_MANAGE: an agent's s opens no prompt and writes nothing."""
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    app = make_app(path, user="li", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_users(pilot)
        assert [u.id for u in screen.users] and "Only a supervisor" in str(
            screen.query_one("#users-hint", Static).render()
        )
        await _highlight(pilot, screen, "lead")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
    assert _user(path, "lead").staff_no == ""


async def test_staff_number_prompt_refuses_a_huge_paste_and_strips_escapes(tmp_path: Path) -> None:
    """A 3,000-character paste is refused with the limit named, nothing pasted; a pasted escape is stripped."""
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    app = make_app(path, user="sup", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_users(pilot)
        await _highlight(pilot, screen, "li")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        answer = app.screen.query_one(Input)
        answer.post_message(events.Paste("9" * 3_000))
        await wait_for(pilot, lambda: any("Nothing was pasted" in str(n.message) for n in app._notifications))
        assert answer.value == ""
        answer.post_message(events.Paste("\x1b[31m1024\x1b[0m"))
        await wait_for(pilot, lambda: answer.value != "")
        assert answer.value == "1024"
        await pilot.press("enter")
        await wait_for(pilot, lambda: next(u for u in screen.users if u.id == "li").staff_no == "1024")
