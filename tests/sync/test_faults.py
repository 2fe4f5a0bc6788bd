"""Faults sync must survive, against the real throwaway PostgreSQL (no mocks).

Rule (issue "Sync every desk's local store", ARCHITECTURE.md "shared PostgreSQL and
sync"): nothing is lost and nothing duplicated whatever happens between a desk and the
server; replays are harmless; a poison event is quarantined without blocking the rest.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from csdesk.data import eventlog
from csdesk.data.engine import WRITE_OPTION
from csdesk.data.eventlog import EventData
from csdesk.domain.clock import FrozenClock
from csdesk.sync.engine import SyncWorker, sync_once
from csdesk.sync.pull import pull
from csdesk.sync.push import push, push_batch
from csdesk.sync.server import connect
from tests.pg_server import ThrowawayPostgres
from tests.sync.conftest import DeskFactory, converged_view
from tests.sync.faults import (
    blocked_sync_pid,
    busy_desk,
    events_locked,
    in_thread,
    local_event_ids,
    server_counts,
    wait_until,
)

pytestmark = pytest.mark.pg


def _own_count(store) -> int:
    return len(store.sync.pending(1_000_000)) + store.sync.pushed_seq()


def test_terminated_backend_mid_batch_loses_nothing(shared_url: str, new_desk: DeskFactory) -> None:
    """pg_terminate_backend while a batch waits inside its transaction: nothing acked, all pushed later."""
    a, b = new_desk("A"), new_desk("B")
    busy_desk(a, 30)
    total = _own_count(a)
    with events_locked(shared_url):
        thread, outcome = in_thread(lambda: sync_once(a, shared_url))
        pid = blocked_sync_pid(shared_url)
        with psycopg.connect(shared_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        thread.join(30)
    assert isinstance(outcome[0], psycopg.OperationalError)
    assert a.sync.pushed_seq() == 0  # the batch never committed, so nothing was acknowledged
    assert server_counts(shared_url) == (0, 0)
    assert sync_once(a, shared_url).push.pushed == total
    sync_once(b, shared_url)
    assert server_counts(shared_url) == (total, total)
    assert converged_view(a) == converged_view(b)


def test_immediate_restart_during_watch(pg_server: ThrowawayPostgres, shared_url: str, new_desk: DeskFactory) -> None:
    """pg_ctl restart -m immediate while the worker syncs: it goes offline, reconnects, catches up."""
    a, b = new_desk("A"), new_desk("B")
    busy_desk(a, 5)
    statuses = []
    worker = SyncWorker(a, shared_url, on_status=statuses.append, poll_s=0.05, retry_s=0.1)
    thread, _ = in_thread(worker.run)
    try:
        wait_until(lambda: a.sync.state().pending == 0, "the first push")
        with events_locked(shared_url):
            busy_desk(a, 5)  # the worker's next batch blocks on the lock...
            blocked_sync_pid(shared_url)
            pg_server.restart(mode="immediate")  # ...and the server crashes under it
        busy_desk(a, 5)
        wait_until(lambda: a.sync.state().pending == 0, "the push after the restart")
    finally:
        worker.stop()
        thread.join(30)
    assert any(not status.online for status in statuses)
    assert statuses[-1].online
    total = _own_count(a)
    sync_once(b, shared_url)
    assert server_counts(shared_url) == (total, total)
    assert sorted(local_event_ids(b)) == sorted(local_event_ids(a))


def _raw_insert(conn: psycopg.Connection, events: list[EventData]) -> None:
    cols = ", ".join(eventlog.FIELDS)
    marks = ", ".join(["%s"] * len(eventlog.FIELDS))
    for ev in events:
        conn.execute(f"INSERT INTO events ({cols}) VALUES ({marks})", [getattr(ev, f) for f in eventlog.FIELDS])


def test_held_open_writer_is_not_skipped(shared_url: str, new_desk: DeskFactory) -> None:
    """A writer that took its sequence numbers first and commits last is still pulled.

    With a bare BIGSERIAL cursor the reader would move past the held rows while desk B's
    later rows are visible, and never see the held ones (the reproduced skip).
    """
    h, b, c = new_desk("H"), new_desk("B"), new_desk("C")
    busy_desk(h, 3)
    busy_desk(b, 3)
    held = psycopg.connect(shared_url)
    try:
        _raw_insert(held, h.sync.pending(1000))  # open transaction: xid and server_seq taken first
        sync_once(b, shared_url)  # commits after H took its numbers
        first = sync_once(c, shared_url)
        assert first.pull.applied == 0  # B's rows wait behind the open transaction's xid
        held.commit()
    finally:
        held.close()
    sync_once(c, shared_url)
    with psycopg.connect(shared_url) as conn:
        seqs = conn.execute("SELECT desk_id, min(server_seq) FROM events GROUP BY desk_id ORDER BY 2").fetchall()
    assert [desk for desk, _ in seqs] == ["H", "B"]  # H's rows really have the lower sequence numbers
    expected = len(local_event_ids(h)) + len(local_event_ids(b))
    assert len(local_event_ids(c)) == expected


def test_kill_between_server_commit_and_ack(shared_url: str, new_desk: DeskFactory, tmp_path) -> None:
    """kill -9 after the server committed a batch but before the local ack: the re-push is harmless."""
    a, b = new_desk("A"), new_desk("B")
    busy_desk(a, 10)
    total = _own_count(a)
    path = a.path
    a.close()
    script = textwrap.dedent(
        f"""
        import os, signal
        from csdesk.data.store import Store
        from csdesk.sync.push import push_batch
        from csdesk.sync.server import connect
        store = Store.open({str(path)!r}, desk_id="A")
        with connect({shared_url!r}) as conn:
            push_batch(conn, store.sync.pending(1000))
        os.kill(os.getpid(), signal.SIGKILL)  # before store.sync.ack(...)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert server_counts(shared_url) == (total, total)
    a = _reopen(path)
    try:
        assert a.sync.pushed_seq() == 0  # never acknowledged
        report = sync_once(a, shared_url)
        assert report.push.pushed == total  # sent again ...
        assert server_counts(shared_url) == (total, total)  # ... and ignored by the server
        sync_once(b, shared_url)
        assert sorted(local_event_ids(b)) == sorted(local_event_ids(a))
    finally:
        a.close()


def _reopen(path):
    from csdesk.data.store import Store

    return Store.open(path, desk_id="A")


def test_shuffled_and_replayed_batches(shared_url: str, new_desk: DeskFactory) -> None:
    """Batches pushed out of order and several times; a reader pulling in between converges."""
    a, b = new_desk("A"), new_desk("B")
    busy_desk(a, 20)
    events = a.sync.pending(10_000)
    batches = [events[i : i + 7] for i in range(0, len(events), 7)]
    sent = batches + random.Random(8).sample(batches, 4)
    random.Random(9).shuffle(sent)
    with connect(shared_url) as conn:
        for batch in sent:
            assert push_batch(conn, batch) == []
            pull(conn, b)
        assert push(conn, a).pushed == len(events)  # the normal path re-sends it all: harmless
        pull(conn, b)
    assert server_counts(shared_url) == (len(events), len(events))
    assert sorted(local_event_ids(b)) == sorted(ev.event_id for ev in events)
    assert converged_view(a) == converged_view(b)
    assert b.verify_audit().ok


def _append_raw(store, kind: str, entity: str, entity_id: str, payload_text: str) -> EventData:
    """Append an event with a hand-written payload text (correctly hashed) to a desk's log."""
    with store._engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
        seq, prev = eventlog.chain_head(conn, store.desk_id)
        ev = EventData(
            "01900000-0000-7000-8000-" + f"{seq:012d}",
            store.desk_id,
            seq + 1,
            store._hlc.now(),
            "sup",
            entity,
            entity_id,
            kind,
            payload_text,
            prev,
            "",
            datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        )
        ev = EventData(*[*[getattr(ev, f) for f in eventlog.FIELDS[:-2]], ev.content_hash(prev), ev.recorded_at])
        conn.execute(eventlog.EVENT_INSERT, {f: getattr(ev, f) for f in eventlog.FIELDS})
    return ev


def test_poison_events_are_quarantined_not_blocking(shared_url: str, new_desk: DeskFactory) -> None:
    """A payload the server refuses and an event no reducer can apply are set aside with reasons."""
    a, b = new_desk("A"), new_desk("B")
    ids = busy_desk(a, 3)
    poison = _append_raw(a, "ticket.updated", "ticket", ids[0], '{"subject":"\\ud800"}')  # jsonb refuses it
    busy_desk(a, 3)
    report = sync_once(a, shared_url)
    assert [event_id for event_id, _ in report.push.quarantined] == [poison.event_id]
    assert "refused by the shared database" in report.push.quarantined[0][1]
    assert a.sync.state().pending == 0  # the rest went through
    with psycopg.connect(shared_url) as conn:
        assert conn.execute("SELECT event_id FROM quarantine").fetchall() == [(poison.event_id,)]
    # A well-formed event that cannot be applied (a ticket without its reference number):
    bad = _append_raw(a, "ticket.created", "ticket", "T-bad", '{"subject":"x"}')
    with connect(shared_url) as conn:
        push(conn, a)
    pulled = sync_once(b, shared_url).pull
    assert [event_id for event_id, _ in pulled.quarantined] == [bad.event_id]
    assert b.sync.state().quarantined == 1
    assert len(b.list_tickets("sup")) == 6


def test_clock_skew_of_an_hour_between_desks(shared_url: str, new_desk: DeskFactory) -> None:
    """Desk A an hour ahead, desk B an hour behind: they converge, A's events are flagged, causality holds."""
    now = datetime.now(UTC)
    a = new_desk("A", FrozenClock(now + timedelta(hours=1)))
    b = new_desk("B", FrozenClock(now - timedelta(hours=1)))
    [ticket_id] = busy_desk(a, 1)
    report = sync_once(a, shared_url)
    assert report.push.flagged == report.push.pushed > 0
    sync_once(b, shared_url)
    b.add_user("sup", "agent2", "Agent Two", "agent", "A")
    b.assign_ticket("sup", ticket_id, "agent2")  # B saw A's ticket: its edit must win despite its slow clock
    sync_once(b, shared_url)  # B's HLC now follows A's (that keeps causality), so B's edits are flagged too
    sync_once(a, shared_url)
    assert a.get_ticket_row("sup", ticket_id).assignee_id == "agent2"
    assert converged_view(a) == converged_view(b)
    with psycopg.connect(shared_url) as conn:
        flags = dict(conn.execute("SELECT desk_id, clock_flags FROM desk_sync_state").fetchall())
    assert flags["A"] == report.push.pushed
