"""The queue is on screen before the store opens, and the real queue takes over without a blank."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from csdesk import app as app_module
from csdesk.data.api import TicketRow
from csdesk.i18n import Translator
from csdesk.screens.queue import QueueScreen
from csdesk.screens.queue_preview import QueuePreviewScreen
from csdesk.widgets.ticket_table import TicketTable
from tests.ui.helpers import NOW, make_app, make_desk_store, wait_for, wait_ready


async def test_preview_shows_the_saved_queue_until_the_store_is_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows come from the file at once; keys wait; then the queue screen shows the same rows."""
    path = tmp_path / "desk.sqlite3"
    store = make_desk_store(path)
    newest = store.list_tickets("li", None, 0, 1)[0]
    store.close()
    gate = threading.Event()
    real_open = app_module.open_desk

    def slow_open(*args: Any, **kwargs: Any) -> Any:
        gate.wait(30)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(app_module, "open_desk", slow_open)
    app = make_app(path)
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QueuePreviewScreen))
        table = app.screen.query_one(TicketTable)
        assert table.total == 5
        assert table.current is not None and table.current.ref == newest.ref
        assert "李娜" in str(app.screen.query_one("#header-line").render())
        from textual.widgets._footer import FooterKey

        await wait_for(pilot, lambda: bool(app.screen.query(FooterKey)))
        labels = [key.description for key in app.screen.query(FooterKey)]
        assert "知识库" in labels and "Knowledge" not in labels  # the footer speaks the desk's language already
        await pilot.press("n", "f3", "down")  # nothing to act on yet: no crash, no screen change
        assert isinstance(app.screen, QueuePreviewScreen)
        assert app.desk is None
        gate.set()
        await wait_ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.table.row_at(0) is not None
        assert app.screen.table.row_at(0).ref == newest.ref  # type: ignore[union-attr]
        assert app.desk is not None and app.desk.first_page is None  # handed over once


async def test_no_preview_for_a_store_that_does_not_exist_yet(tmp_path: Path) -> None:
    """A first demo run has nothing to show: the splash stays until seeding is done."""
    app = make_app(tmp_path / "demo.sqlite3", user="li.na", demo=True)
    seen: list[str] = []
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_for(pilot, lambda: seen.append(type(app.screen).__name__) or app.desk is not None, timeout=60)
        await wait_ready(pilot)
    assert "QueuePreviewScreen" not in seen


def _row(ref: str) -> TicketRow:
    return TicketRow(
        id=ref, ref=ref, kind="consultation", channel="phone", priority="normal", status="new",
        subject=ref, created_at=NOW, updated_at=NOW,
    )


class _TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TicketTable(Translator("en"), lambda: NOW)


async def test_a_refresh_keeps_drawing_the_rows_until_fresh_ones_arrive() -> None:
    """reset(keep_showing=True) draws the old page meanwhile; a new filter (plain reset) does not."""
    async with _TableApp().run_test() as pilot:
        table = pilot.app.query_one(TicketTable)
        table.put_page(table.reset(2), 0, [_row("A-1"), _row("A-2")])
        generation = table.reset(2, keep_showing=True)
        assert table.row_at(1) is not None and table.row_at(1).ref == "A-2"  # type: ignore[union-attr]
        table.put_page(generation, 0, [_row("B-1"), _row("B-2")])
        assert table.row_at(0).ref == "B-1"  # type: ignore[union-attr]
        table.reset(2)
        assert table.row_at(0) is None
