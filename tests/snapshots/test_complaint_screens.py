"""Snapshots of the complaints list (F4) and a complaint's detail, fixed data, frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from csdesk.screens.complaints import ComplaintDetailScreen, ComplaintsScreen
from tests.ui.complaint_desk import make_complaint_store
from tests.ui.helpers import make_app, wait_for, wait_idle, wait_ready

SIZE = (120, 32)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store with complaints at every stage, at a relative path (paths appear on screen)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    make_complaint_store(Path("desk.sqlite3")).close()
    return Path("desk.sqlite3")


async def open_list(pilot: Pilot) -> None:
    await wait_ready(pilot)
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ComplaintsScreen) and bool(pilot.app.screen.rows))
    await wait_idle(pilot)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_complaint_list(desk: Path, snap_compare, language: str) -> None:
    """Due ≤ 3 days first in red, paused and major marked, decided and closed last."""
    assert snap_compare(make_app(desk, user="sup", language=language), terminal_size=SIZE, run_before=open_list)


def test_complaint_detail(desk: Path, snap_compare) -> None:
    """The decided complaint: clock, facts, decision and the notice preview beside the timeline."""

    async def run_before(pilot: Pilot) -> None:
        await open_list(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ComplaintsScreen)
        target = next(r for r in screen.rows if r.status == "decided")
        screen._open(target.id)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ComplaintDetailScreen)
                       and pilot.app.screen.detail is not None)
        await wait_idle(pilot)

    assert snap_compare(make_app(desk, user="sup", language="en"), terminal_size=(120, 40), run_before=run_before)
