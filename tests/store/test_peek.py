"""The start-up preview reads exactly what the store would show, or nothing (csdesk.data.peek)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from csdesk.data.api import TicketQuery
from csdesk.data.engine import refresh_planner_stats
from csdesk.data.peek import OPEN_STATUSES, peek_queue
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from tests.store.conftest import START, make_store


def _tickets(store: Store, count: int) -> None:
    for n in range(count):
        store.create_ticket("agent1", kind="consultation", channel="phone", priority="normal", subject=f"问题 {n}")


def test_peek_gives_the_rows_and_total_of_the_default_queue(tmp_path: Path) -> None:
    """Same rows, order, SLA figures and count as Store.list_tickets / count_tickets."""
    path = tmp_path / "desk.sqlite3"
    store = make_store(path, FrozenClock(START))
    _tickets(store, 7)
    closed = store.create_ticket("agent1", kind="consultation", channel="chat", priority="high", subject="done")
    store.change_status("agent1", closed.id, "open")
    store.change_status("agent1", closed.id, "resolved")
    query = TicketQuery(statuses=OPEN_STATUSES)
    expected = store.list_tickets("agent1", query, 0, 5)
    total = store.count_tickets("agent1", query)
    store.close()

    peek = peek_queue(path, "agent1", 5)

    assert peek is not None
    assert peek.rows == expected
    assert peek.total == total == 7
    assert peek.user is not None and peek.user.role == "agent"
    assert peek.demo is False
    assert peek.path == path.resolve()


def test_peek_refuses_what_is_not_simple(tmp_path: Path) -> None:
    """No file, a file that is not a store, an unknown user: nothing to preview, no error."""
    assert peek_queue(tmp_path / "missing.sqlite3", "agent1", 5) is None
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert peek_queue(junk, "agent1", 5) is None
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE ticket (id TEXT)").connection.close()
    assert peek_queue(other, "agent1", 5) is None
    path = tmp_path / "desk.sqlite3"
    make_store(path, FrozenClock(START)).close()
    peek = peek_queue(path, "nobody", 5)
    assert peek is not None and peek.user is None and peek.rows == []


def test_peek_never_writes(tmp_path: Path) -> None:
    """The preview opens the file read-only: the bytes on disk do not change."""
    path = tmp_path / "desk.sqlite3"
    store = make_store(path, FrozenClock(START))
    _tickets(store, 3)
    store.close()
    before = path.read_bytes()
    assert peek_queue(path, "agent1", 5) is not None
    assert path.read_bytes() == before


def test_planner_statistics_follow_the_queue_size(tmp_path: Path) -> None:
    """Statistics are taken when missing or off by 2x, so the first page walks the created_at index."""
    path = tmp_path / "desk.sqlite3"
    store = make_store(path, FrozenClock(START))
    _tickets(store, 300)
    assert refresh_planner_stats(store._engine) is True  # statistics missing
    assert refresh_planner_stats(store._engine) is False  # nothing changed since
    with store._engine.connect() as conn:
        conn.exec_driver_sql("UPDATE sqlite_stat1 SET stat = '10 1' WHERE tbl = 'ticket'")
        conn.commit()
    assert refresh_planner_stats(store._engine) is True  # 300 tickets against 10 recorded
    with store._engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        plan = " ".join(
            str(row[-1])
            for row in raw.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM ticket WHERE status IN (?, ?, ?, ?) "
                "ORDER BY created_at DESC, rowid DESC LIMIT 200",
                OPEN_STATUSES,
            )
        )
    store.close()
    assert "ix_ticket_created_at" in plan
    assert "TEMP B-TREE" not in plan
