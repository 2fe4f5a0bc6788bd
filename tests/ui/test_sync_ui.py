"""Sync in the app: the supervisor's conflicts screen, who may open it, and the header's sync state."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from csdesk.screens.conflicts import ConflictsScreen
from csdesk.sync.schema import init_shared
from tests.ui.helpers import make_app, wait_for, wait_idle, wait_ready
from tests.ui.sync_helpers import make_store_with_conflict


async def test_supervisor_resolves_a_conflict(tmp_path: Path) -> None:
    """Ctrl+K lists the conflict (values shown); 'o' takes the other value, which becomes the assignee."""
    path = tmp_path / "desk.sqlite3"
    make_store_with_conflict(path)
    app = make_app(path, user="sup", language="en")
    async with app.run_test(size=(120, 32)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen))
        await wait_idle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert [str(cell) for cell in table.get_row_at(0)[1:4]] == ["assignee_id", "lead", "li"]
        await pilot.press("o")
        await wait_for(pilot, lambda: table.row_count == 0)
        assert app.desk is not None
        rows = app.desk.store.list_tickets("sup")
        assert "li" in {row.assignee_id for row in rows}
        assert app.desk.store.conflicts.list_open("sup") == []


async def test_agent_may_not_open_conflicts(tmp_path: Path) -> None:
    """Resolving conflicts is a supervisor's decision: an agent gets a warning, not the screen."""
    path = tmp_path / "desk.sqlite3"
    make_store_with_conflict(path)
    app = make_app(path, user="li", language="en")
    async with app.run_test(size=(120, 32)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictsScreen)
        assert any("Merge conflicts" in str(n.message) for n in app._notifications)


@pytest.mark.pg
async def test_header_shows_the_sync_state(tmp_path: Path, pg_url: str) -> None:
    """With a shared database configured the background worker syncs and the header says so."""
    init_shared(pg_url)
    path = tmp_path / "desk.sqlite3"
    make_store_with_conflict(path)
    launch_app = make_app(path, user="sup", language="en")
    launch_app.launch.overrides["shared_db_url"] = pg_url
    async with launch_app.run_test(size=(120, 32)) as pilot:
        await wait_ready(pilot)

        def header() -> str:
            return str(launch_app.screen.query_one("#header-line", Static).render())

        await wait_for(pilot, lambda: "synced" in header())
        assert "1 conflicts" in header()
        await pilot.press("ctrl+q")
