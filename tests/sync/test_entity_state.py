"""The server's reporting projection (entity_state) and the optimistic push path.

Rules (docs/sync.md, "Shared schema" and "Push"): per field, the last writer by
``(hlc, event_id)`` wins in ``entity_state`` whatever order batches arrive in, with
replays; a batch the server already holds makes the optimistic ``COPY`` fail and goes the
staged ``ON CONFLICT DO NOTHING`` way, so nothing is stored twice.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csdesk.data.eventlog import EventData
from csdesk.sync.push import push_batch
from csdesk.sync.server import connect
from tests.sync.conftest import DeskFactory
from tests.sync.faults import server_counts
from tests.sync.history import mixed_history

pytestmark = pytest.mark.pg

State = dict[tuple[str, str], dict[str, Any]]


def folded(conn: psycopg.Connection, events: list[EventData]) -> State:
    """Pure-Python last-writer-wins fold of ``events`` by ``projected_kind`` (what entity_state must hold)."""
    kinds = {
        row[0]: row[1:]
        for row in conn.execute("SELECT kind, copy_fields, status_from, status_value FROM projected_kind")
    }
    state: State = {}
    for ev in sorted(events, key=lambda ev: (ev.hlc, ev.event_id)):
        if ev.kind not in kinds:
            continue
        copy_fields, status_from, status_value = kinds[ev.kind]
        data = json.loads(ev.payload)
        doc = state.setdefault((ev.entity, ev.entity_id), {})
        if copy_fields:
            doc.update(data)
        if status_from is not None or status_value is not None:
            doc["status"] = data.get(status_from, status_value)
        if copy_fields and ev.kind.endswith(".created"):
            doc["_desk_id"] = ev.desk_id
        doc["_last_event_at"] = ev.recorded_at
    return state


def projected(conn: psycopg.Connection) -> State:
    """entity_state as read back, ``_last_event_at`` as a datetime."""
    state: State = {}
    for entity, entity_id, doc in conn.execute("SELECT entity, entity_id, doc FROM entity_state"):
        doc["_last_event_at"] = datetime.fromisoformat(doc["_last_event_at"])
        state[(entity, entity_id)] = doc
    return state


@pytest.fixture
def history(new_desk: DeskFactory) -> list[EventData]:
    """Three desks' mixed work (tickets worked on every desk, a complaint, a callback)."""
    return mixed_history(new_desk)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    seed=st.integers(0, 2**32 - 1),
    sizes=st.lists(st.integers(1, 15), min_size=1, max_size=8),
    replays=st.integers(0, 4),
)
def test_entity_state_is_the_last_writer_fold_whatever_the_arrival(
    shared_url: str, history: list[EventData], seed: int, sizes: list[int], replays: int
) -> None:
    """Shuffled batches from three desks, some sent twice: entity_state equals the fold of every event in HLC order."""
    rnd = random.Random(seed)
    events = rnd.sample(history, len(history))
    batches, at = [], 0
    while at < len(events):
        size = sizes[len(batches) % len(sizes)]
        batches.append(events[at : at + size])
        at += size
    sent = batches + [rnd.choice(batches) for _ in range(replays)]
    with connect(shared_url) as conn:
        conn.execute("TRUNCATE events, quarantine, entity_state RESTART IDENTITY")
        conn.commit()
        for batch in sent:
            assert push_batch(conn, sorted(batch, key=lambda ev: (ev.desk_id, ev.desk_seq))) == []
        assert projected(conn) == folded(conn, history)
    assert server_counts(shared_url) == (len(history), len(history))


def test_an_older_write_arriving_late_does_not_win(shared_url: str, history: list[EventData]) -> None:
    """Each event is pushed alone, newest first: every field still ends with its newest writer."""
    newest_first = sorted(history, key=lambda ev: (ev.hlc, ev.event_id), reverse=True)
    with connect(shared_url) as conn:
        for ev in newest_first:
            assert push_batch(conn, [ev]) == []
        assert projected(conn) == folded(conn, history)


def test_a_replayed_copy_falls_back_and_stores_nothing_twice(shared_url: str, history: list[EventData]) -> None:
    """A batch overlapping one the server holds (a crash before the ack) goes in once; the new part goes in too."""
    own = [ev for ev in history if ev.desk_id == "A"]
    half = len(own) // 2
    with connect(shared_url) as conn:
        assert push_batch(conn, own[:half]) == []
        assert push_batch(conn, own[half // 2 :]) == []  # its first events are already on the server
        assert push_batch(conn, own) == []
        before = projected(conn)
        assert before == folded(conn, own)
    assert server_counts(shared_url) == (len(own), len(own))
    with psycopg.connect(shared_url) as conn:
        seqs = [row[0] for row in conn.execute("SELECT desk_seq FROM events ORDER BY server_seq")]
    assert seqs == [ev.desk_seq for ev in own]
