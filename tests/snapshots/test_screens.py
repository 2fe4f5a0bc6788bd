"""Snapshot of every screen at a fixed size, with fixed data and a frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.helpers import frozen_clock, make_app, make_desk_store, wait_for, wait_idle, wait_ready

SIZE = (120, 32)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store at a relative path (paths appear on screen), settings file absent."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    make_desk_store(Path("desk.sqlite3")).close()
    return Path("desk.sqlite3")


def goto(key: str, mode: str):
    async def run_before(pilot: Pilot) -> None:
        await wait_ready(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: pilot.app.current_mode == mode)
        await wait_idle(pilot)

    return run_before


async def ready(pilot: Pilot) -> None:
    await wait_ready(pilot)
    await wait_idle(pilot)


def test_queue_zh(desk: Path, snap_compare) -> None:
    assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=ready)


def test_queue_en(desk: Path, snap_compare) -> None:
    assert snap_compare(make_app(desk, language="en"), terminal_size=SIZE, run_before=ready)


def test_ticket_detail(desk: Path, snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await wait_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "detail", None) is not None)
        await wait_idle(pilot)

    assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize(
    ("key", "mode"),
    [("f3", "knowledge"), ("f4", "complaints"), ("f5", "callbacks"), ("f6", "live"), ("f7", "trainer"),
     ("f8", "settings")],
)
def test_area(desk: Path, snap_compare, key: str, mode: str) -> None:
    assert snap_compare(make_app(desk, user="sup"), terminal_size=SIZE, run_before=goto(key, mode))


def test_knowledge_search(desk: Path, snap_compare) -> None:
    """Search results with highlighted excerpts and the article in Markdown (agent: no team-lead articles)."""
    from textual.widgets import Input

    async def run_before(pilot: Pilot) -> None:
        await wait_ready(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: pilot.app.current_mode == "knowledge")
        pilot.app.screen.query_one("#kb-query", Input).value = "卡丢了"
        screen = pilot.app.screen
        await wait_for(pilot, lambda: getattr(screen, "article", None) is not None)
        markdown = screen.query_one("#kb-article")
        await wait_for(pilot, lambda: bool(markdown.source))
        await pilot.press("enter")  # focus moves to the results: no blinking cursor in the picture
        await wait_idle(pilot)

    assert snap_compare(make_app(desk), terminal_size=SIZE, run_before=run_before)


def test_demo_mode_shows_the_banner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(Path("demo.sqlite3"), user="", demo=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_knowledge_gaps(desk: Path, snap_compare) -> None:
    """The gaps list an editor reviews (team lead), the newest gap in full on the right."""
    from csdesk.data.store import Store

    store = Store.open(desk, desk_id="D01", clock=frozen_clock())
    store.kb.report_gap("li", None, "客户询问数字人民币钱包如何开通，知识库没有相关文章。", query="数字人民币")
    store.close()

    async def run_before(pilot: Pilot) -> None:
        await wait_ready(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: pilot.app.current_mode == "knowledge")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: bool(getattr(pilot.app.screen, "gaps", None)))
        await wait_idle(pilot)

    assert snap_compare(make_app(desk, user="lead"), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_users(desk: Path, snap_compare, language: str) -> None:
    """F8 then u: every user with role, team, staff number (CJK names and headers line up)."""
    from csdesk.screens.users import UsersScreen

    async def run_before(pilot: Pilot) -> None:
        await goto("f8", "settings")(pilot)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, UsersScreen) and bool(pilot.app.screen.users))
        await wait_idle(pilot)

    assert snap_compare(make_app(desk, user="sup", language=language), terminal_size=SIZE, run_before=run_before)
