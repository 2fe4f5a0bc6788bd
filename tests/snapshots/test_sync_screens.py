"""Snapshot of the merge-conflicts screen (zh-CN and English), fixed data, frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from csdesk.screens.conflicts import ConflictsScreen
from tests.ui.helpers import make_app, wait_for, wait_idle, wait_ready
from tests.ui.sync_helpers import make_store_with_conflict

SIZE = (120, 32)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with one conflict at a relative path, settings file absent."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    make_store_with_conflict(Path("desk.sqlite3"))
    return Path("desk.sqlite3")


async def _open_conflicts(pilot: Pilot) -> None:
    await wait_ready(pilot)
    await pilot.press("ctrl+k")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConflictsScreen))
    await wait_idle(pilot)
    await wait_for(pilot, lambda: pilot.app.screen.query_one(DataTable).row_count == 1)
    await pilot.pause(0.2)  # the columns widen to the rows on the next layout
    await wait_idle(pilot)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_conflicts_screen(desk: Path, snap_compare, language: str) -> None:
    assert snap_compare(make_app(desk, user="sup", language=language), terminal_size=SIZE, run_before=_open_conflicts)
