"""Shared revision s0002: the reporting views read the same from entity_state as from entity_field.

Rule (docs/sync.md, "Shared schema"): ``current_tickets``, ``current_complaints`` and
``current_callbacks`` keep their names and columns; a database upgraded from s0001 with
data reports the same rows, as does one that received the same events at s0002; the
downgrade to s0001 rebuilds entity_field and its views from the log.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from csdesk.data.eventlog import EventData
from csdesk.sync.push import push_batch
from csdesk.sync.schema import init_shared, migrate_shared, shared_revision
from csdesk.sync.server import connect
from tests.sync.conftest import DeskFactory
from tests.sync.history import mixed_history

pytestmark = pytest.mark.pg

VIEWS = ("current_tickets", "current_complaints", "current_callbacks")


def push_all(url: str, events: list[EventData]) -> None:
    """Push ``events`` in batches of five, in their order."""
    with connect(url) as conn:
        for at in range(0, len(events), 5):
            assert push_batch(conn, events[at : at + 5]) == []


def view_rows(url: str) -> dict[str, Any]:
    """Every row of the reporting views (sorted), with the column names."""
    out: dict[str, Any] = {}
    with psycopg.connect(url) as conn:
        for view in VIEWS:
            cur = conn.execute(f"SELECT * FROM {view} ORDER BY 1")
            out[view] = ([col.name for col in cur.description or ()], cur.fetchall())
    return out


def table_exists(url: str, name: str) -> bool:
    """Whether ``name`` is a table or view of the database."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT to_regclass(%s)", (name,)).fetchone()
    return bool(row and row[0])


def test_upgrade_and_downgrade_keep_the_reporting_rows(pg_url: str, new_desk: DeskFactory) -> None:
    """s0001 with data -> s0002 -> more events -> s0001: the views give the rows s0001 gives for the same events."""
    events = mixed_history(new_desk)
    first, rest = events[: len(events) * 2 // 3], events[len(events) * 2 // 3 :]
    migrate_shared(pg_url, "s0001")
    push_all(pg_url, events)
    expected = view_rows(pg_url)  # what s0001 reports for these events
    assert all(rows for _, rows in expected.values())
    migrate_shared(pg_url, "base", downgrade=True)
    assert not table_exists(pg_url, "events")

    migrate_shared(pg_url, "s0001")
    push_all(pg_url, first)
    migrate_shared(pg_url, "s0002")
    assert shared_revision(pg_url) == "s0002"
    assert not table_exists(pg_url, "entity_field")
    push_all(pg_url, rest)
    assert view_rows(pg_url) == expected

    migrate_shared(pg_url, "s0001", downgrade=True)
    assert shared_revision(pg_url) == "s0001"
    assert not table_exists(pg_url, "entity_state")
    assert view_rows(pg_url) == expected
    push_all(pg_url, events[-5:])  # the s0001 trigger is back: a replay is harmless
    assert view_rows(pg_url) == expected


def test_init_reports_each_revision_it_applies(pg_url: str) -> None:
    """`csdesk shared init` on a database at s0001 names s0002 alone; run again, nothing."""
    migrate_shared(pg_url, "s0001")
    assert init_shared(pg_url) == ["s0002"]
    assert shared_revision(pg_url) == "s0002"
    assert init_shared(pg_url) == []
