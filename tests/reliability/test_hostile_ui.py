"""Hostile text pasted into the app's forms (Pilot): an inert render or a clear error, never a crash.

Paths covered: ui.intake_form, ui.note, ui.kb_search, ui.queue_filter (see
tests/hostile_corpus.py, INPUT_PATHS). After every text the app still runs, every
screen renders without escapes, controls or bidi overrides, and the audit chain verifies.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from csdesk.app import CsdeskApp
from csdesk.data.store import Store
from csdesk.screens.intake import NewContactScreen
from tests.hostile_corpus import TEN_MB, assert_inert, texts
from tests.ui.helpers import make_app, make_desk_store, open_first_ticket, wait_for, wait_idle, wait_ready

HOSTILE = [(name, text) for name, text in texts(huge=False) if name != "long_line"]
HUGE_PASTE = "长" * TEN_MB


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    return path


def _screen_text(app: CsdeskApp) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot()))


async def _settle(pilot: Pilot, where: str) -> None:
    await wait_idle(pilot)
    app = pilot.app
    assert app.is_running and app._exception is None, where
    assert_inert(_screen_text(app), where)


def _chain_ok(path: Path) -> None:
    store = Store.open(path, desk_id="D01")
    try:
        assert store.verify_audit().ok
    finally:
        store.close()


async def test_intake_form(store_path: Path) -> None:
    """Subject and description of a new contact: saved inert or refused with the form kept; a 10 MB paste refused."""
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        for name, text in [*HOSTILE, ("ten_megabytes", HUGE_PASTE)]:
            if not isinstance(app.screen, NewContactScreen):
                await wait_ready(pilot)
                await pilot.press("n")
                await wait_for(pilot, lambda: isinstance(app.screen, NewContactScreen))
            screen = app.screen
            subject = screen.query_one("#subject", Input)
            subject.value = ""
            subject.post_message(events.Paste(text[:200]))
            area = screen.query_one("#description")
            area.focus()
            area.post_message(events.Paste(text))
            await pilot.press("ctrl+s")
            await _settle(pilot, f"intake form with {name}")
    _chain_ok(store_path)


async def test_note_box(store_path: Path) -> None:
    """A note: saved inert or refused, the ticket screen stays usable."""
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_first_ticket(pilot)
        box = screen.query_one("#note-input", Input)
        for name, text in [*HOSTILE, ("ten_megabytes", HUGE_PASTE)]:
            box.value = ""
            box.focus()
            box.post_message(events.Paste(text))
            await pilot.pause()
            await pilot.press("enter")
            await _settle(pilot, f"note with {name}")
    _chain_ok(store_path)


async def test_kb_search_and_queue_filter(store_path: Path) -> None:
    """The knowledge-base query and the queue filter: results or none, rendered inert."""
    app = make_app(store_path, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await _paste_each(pilot, app.screen.query_one("#queue-filter", Input), "queue filter")
        await pilot.press("escape", "f3")
        await wait_for(pilot, lambda: bool(app.screen.query("#kb-query")))
        await _paste_each(pilot, app.screen.query_one("#kb-query", Input), "kb search")
    _chain_ok(store_path)


async def _paste_each(pilot: Pilot, field: Input, where: str) -> None:
    """Paste every hostile text (10 MB last) into ``field``, one after the other; the screen stays inert."""
    for name, text in [*HOSTILE, ("ten_megabytes", HUGE_PASTE)]:
        field.value = ""
        field.post_message(events.Paste(text))
        await pilot.pause(0.1)
        await _settle(pilot, f"{where} with {name}")
    field.value = ""
