"""Settings (F8): supervisors edit SLA targets in the app; others see them read-only."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from csdesk.data.api import StoreMode
from csdesk.data.store import Store
from csdesk.screens.settings import SettingsScreen, SlaPolicyForm
from tests.ui.helpers import frozen_clock, make_app, make_desk_store, wait_for, wait_idle, wait_ready


async def _open_settings(pilot) -> SettingsScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen) and bool(pilot.app.screen.policies))
    return pilot.app.screen  # type: ignore[return-value]


async def test_supervisor_changes_a_target_and_a_bad_one_is_explained(tmp_path: Path) -> None:
    """First response after resolution is refused in the form with the rule; a good value is saved."""
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    app = make_app(path, user="sup", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_settings(pilot)
        table = screen.query_one("#sla-table", DataTable)
        assert table.row_count == len(screen.policies) == 15
        target = screen.policies[1]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SlaPolicyForm))
        form = app.screen
        form.query_one("#sla-first", Input).value = "900"
        form.query_one("#sla-resolution", Input).value = "60"
        await pilot.click("#sla-save")
        assert isinstance(app.screen, SlaPolicyForm)  # still open, values kept
        assert "after the resolution" in str(form.query_one("#sla-error", Static).render())
        form.query_one("#sla-first", Input).value = "20"
        form.query_one("#sla-first", Input).focus()
        await pilot.press("enter")  # Enter in a field saves too
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await wait_idle(pilot)
        changed = next(p for p in screen.policies if (p.kind, p.priority) == (target.kind, target.priority))
        assert int(changed.first_response.total_seconds()) == 20 * 60
        assert int(changed.resolution.total_seconds()) == 60 * 60
    store = Store.open(path, desk_id="D01", mode=StoreMode.LIVE, clock=frozen_clock())
    saved = next(p for p in store.sla_policies() if (p.kind, p.priority) == (target.kind, target.priority))
    store.close()
    assert int(saved.resolution.total_seconds()) == 3600


async def test_an_agent_sees_the_targets_but_cannot_open_the_editor(tmp_path: Path) -> None:
    """The editor is for supervisors (Permission.SETTINGS_EDIT); the table is there for everyone."""
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    app = make_app(path, user="li", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_settings(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "Only a supervisor" in str(screen.query_one("#sla-hint", Static).render())
