"""Snapshots of the supervisor's screens at a fixed size, with fixed data and a frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.helpers import make_app, wait_for, wait_idle, wait_ready
from tests.ui.supervisor_data import make_supervisor_store

SIZE = (120, 32)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The supervisor's store at a relative path, settings file absent."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    make_supervisor_store(Path("desk.sqlite3")).close()
    return Path("desk.sqlite3")


def open_from_live(key: str | None, loaded: str):
    """F6, then ``key`` (if any), until the screen's ``loaded`` attribute is set and workers are idle."""

    async def run_before(pilot: Pilot) -> None:
        await wait_ready(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "snapshot", None) is not None)
        if key:
            await pilot.press(key)
            await wait_for(pilot, lambda: getattr(pilot.app.screen, loaded, None))
        await wait_idle(pilot)
        await pilot.press("down", "up")  # the cursor row is drawn again with the final column widths
        await wait_idle(pilot)
        await pilot.pause(0.2)

    return run_before


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_live_view(desk: Path, snap_compare, language: str) -> None:
    assert snap_compare(
        make_app(desk, user="sup", language=language), terminal_size=SIZE, run_before=open_from_live(None, "snapshot")
    )


def test_wallboard(desk: Path, snap_compare) -> None:
    assert snap_compare(
        make_app(desk, user="sup", language="en"), terminal_size=SIZE, run_before=open_from_live("w", "snapshot")
    )


def test_kpis(desk: Path, snap_compare) -> None:
    assert snap_compare(make_app(desk, user="sup"), terminal_size=SIZE, run_before=open_from_live("k", "rows"))


def test_staffing(desk: Path, snap_compare) -> None:
    assert snap_compare(
        make_app(desk, user="sup", language="en"), terminal_size=SIZE, run_before=open_from_live("s", "plan")
    )


def test_qa(desk: Path, snap_compare) -> None:
    assert snap_compare(make_app(desk, user="sup"), terminal_size=SIZE, run_before=open_from_live("u", "reviews"))
