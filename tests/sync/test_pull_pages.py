"""The pull's page reader: pages in cursor order, a fetch error raised after the pages before it, no stray thread."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from csdesk.data.sync_ledger import Cursor
from csdesk.sync import pull as pull_module
from csdesk.sync.pull import read_pages


def fake_log(monkeypatch: pytest.MonkeyPatch, total: int, *, fail_after: int | None = None) -> list[Cursor]:
    """Replace ``fetch_page`` by a log of ``total`` rows (xid = row number); returns the cursors asked for."""
    asked: list[Cursor] = []

    def fetch_page(_conn: Any, cursor: Cursor, page: int) -> list[tuple[Any, ...]]:
        asked.append(cursor)
        if fail_after is not None and len(asked) > fail_after:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        start = cursor.server_seq
        return [(str(n), n) for n in range(start + 1, min(start + page, total) + 1)]

    monkeypatch.setattr(pull_module, "fetch_page", fetch_page)
    return asked


def test_pages_come_in_cursor_order_until_a_short_page(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = fake_log(monkeypatch, 25)
    with read_pages(None, Cursor(), 10) as pages:  # type: ignore[arg-type]
        got = [(cursor, [row[1] for row in rows]) for cursor, rows in pages]
    assert [cursor for cursor, _ in got] == [Cursor(10, 10), Cursor(20, 20), Cursor(25, 25)]
    assert [seq for _, seqs in got for seq in seqs] == list(range(1, 26))
    assert asked == [Cursor(), Cursor(10, 10), Cursor(20, 20)]


def test_a_fetch_error_is_raised_after_the_pages_fetched_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_log(monkeypatch, 100, fail_after=2)
    seen: list[Cursor] = []
    with pytest.raises(psycopg.OperationalError), read_pages(None, Cursor(), 10) as pages:  # type: ignore[arg-type]
        for cursor, _rows in pages:
            seen.append(cursor)
    assert seen == [Cursor(10, 10), Cursor(20, 20)]


def test_leaving_early_stops_the_fetching_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """An apply that fails ends the pull; the thread must not keep using the connection."""
    fake_log(monkeypatch, 10_000)
    reader = read_pages(None, Cursor(), 10)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError), reader as pages:
        for _page in pages:
            raise RuntimeError("the reducer could not apply the page")
    assert not reader._thread.is_alive()
