"""Pulled pages are written without waiting for a disk flush, and the store's FULL setting comes back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from csdesk.data.store import Store
from csdesk.data.sync_ledger import Cursor
from csdesk.domain.clock import FrozenClock

NORMAL, FULL = 1, 2
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_relaxed_connection_is_restored_before_it_returns_to_the_pool(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.sqlite3", desk_id="B", clock=FrozenClock(START))
    with store.sync._replayable_writer() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        assert raw.execute("PRAGMA synchronous").fetchone()[0] == NORMAL
    assert raw.execute("PRAGMA synchronous").fetchone()[0] == FULL
    store.close()


def test_a_pulled_page_and_its_cursor_still_commit_together(tmp_path: Path) -> None:
    """Another desk's ticket arrives with the cursor; both are there after the store reopens."""
    a = Store.open(tmp_path / "a.sqlite3", desk_id="A", clock=FrozenClock(START))
    a.add_user(None, "sup", "Sun", "supervisor")
    ticket = a.create_ticket("sup", kind="consultation", channel="phone", subject="年费")
    events = a.sync.pending(10)
    a.close()
    b = Store.open(tmp_path / "b.sqlite3", desk_id="B", clock=FrozenClock(START))
    report = b.sync.apply_pulled(events, Cursor(7, 9))
    b.close()
    b = Store.open(tmp_path / "b.sqlite3", desk_id="B", clock=FrozenClock(START))
    assert report.applied == len(events)
    assert b.sync.cursor() == Cursor(7, 9)
    assert b.get_ticket("sup", ticket.id).row.subject == "年费"
    b.close()
