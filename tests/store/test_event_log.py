"""The event log: gap-free per-desk sequence, hash chain, tamper detection, rebuild, concurrency.

Rule (DOMAIN.md, complaints): records of complaint handling are kept; the audit trail must show
any edit, removal or reordering of what was recorded.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from csdesk.data.eventlog import GENESIS_HASH, compute_hash
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import PermissionDenied
from tests.store.conftest import DESK, event_count, events, raw_sql


def _workload(store: Store, clock: FrozenClock) -> None:
    """A varied day at the desk: customers, tickets, claims, moves, notes, reveals, refusals."""
    alice = store.create_customer("agent1", name="Alice Zhou", phone="13812345678", card_no="6222021234567891233")
    bob = store.create_customer("spec", name="Bob Qian", id_number="110101199003071233", vip=True)
    tickets = []
    for i, (kind, customer) in enumerate(
        [("complaint", alice.id), ("consultation", bob.id), ("business", None), ("callback", alice.id)]
    ):
        clock.advance(timedelta(minutes=7))
        tickets.append(
            store.create_ticket(
                "agent1", kind=kind, channel="phone", subject=f"Case {i}", customer_id=customer, description="desc"
            ).id
        )
    t0, t1, t2, t3 = tickets
    store.claim_ticket("agent1", t0)
    store.add_note("agent1", t0, "Customer phone 13812345678")
    clock.advance(timedelta(minutes=3))
    store.assign_ticket("lead", t1, "spec")
    store.change_status("spec", t1, "waiting_customer")
    store.change_status("spec", t1, "resolved")
    clock.advance(timedelta(hours=1))
    store.change_status("spec", t1, "closed")
    store.reopen("lead", t1, "Customer not satisfied")
    store.claim_ticket("agent2", t2)
    store.change_status("agent2", t2, "waiting_department")
    store.add_note("qa", t2, "Spot check: script followed")
    store.assign_ticket("sup", t3, "agent1")
    store.assign_ticket("sup", t3, None)
    store.reveal("agent1", alice.id, "phone", ticket_id=t0)
    for forbidden in (
        lambda: store.assign_ticket("agent1", t3, "agent1"),
        lambda: store.reveal("analyst", bob.id, "id_number"),
    ):
        with pytest.raises(PermissionDenied):
            forbidden()
    clock.advance(timedelta(days=1))
    store.change_status("agent1", t0, "resolved")


def test_desk_seq_is_gap_free_and_chain_verifies(store: Store, clock: FrozenClock) -> None:
    _workload(store, clock)
    rows = events(store)
    assert [ev.desk_seq for ev in rows] == list(range(1, len(rows) + 1))
    assert {ev.desk_id for ev in rows} == {DESK}
    assert rows[0].prev_hash == GENESIS_HASH
    for previous, current in itertools.pairwise(rows):
        assert current.prev_hash == previous.hash
    report = store.verify_audit()
    assert report.ok
    assert (report.events, report.desks, report.problem, report.desk_seq) == (len(rows), 1, None, None)


def test_hash_covers_the_recorded_content(store: Store) -> None:
    [first, second, *_] = events(store)
    for ev, prev in ((first, GENESIS_HASH), (second, first.hash)):
        fields = {k: getattr(ev, k) for k in ("event_id", "desk_id", "desk_seq", "hlc", "actor", "entity")}
        fields.update(entity_id=ev.entity_id, kind=ev.kind, payload=ev.payload, recorded_at=ev.recorded_at)
        assert ev.hash == compute_hash(prev, **fields)
        assert ev.hash != compute_hash(prev, **{**fields, "payload": ev.payload + " "})


def test_hlc_strictly_increases_with_desk_seq(store: Store, clock: FrozenClock) -> None:
    _workload(store, clock)
    clock.advance(timedelta(minutes=-30))  # a wall clock stepping back must not make HLC go back
    store.create_ticket("agent1", kind="complaint", channel="phone", subject="After clock step")
    hlcs = [ev.hlc for ev in events(store)]
    assert all(later > earlier for earlier, later in itertools.pairwise(hlcs))


def test_projections_equal_a_rebuild(store: Store, clock: FrozenClock) -> None:
    _workload(store, clock)
    snap = store.snapshot()
    assert snap["ticket"] and snap["ticket_note"] and snap["customer"] and snap["field_clock"]
    applied = store.rebuild_projections()
    assert applied == event_count(store)
    assert store.snapshot() == snap


def test_rebuild_restores_damaged_projections(store: Store, clock: FrozenClock) -> None:
    _workload(store, clock)
    snap = store.snapshot()
    raw_sql_statements = ("DELETE FROM ticket_note", "UPDATE ticket SET status = 'new', subject = 'x'")
    with store._engine.begin() as conn:
        for statement in raw_sql_statements:
            conn.exec_driver_sql(statement)
    assert store.snapshot() != snap
    store.rebuild_projections()
    assert store.snapshot() == snap


def test_two_writers_on_one_file_keep_the_chain(store: Store, clock: FrozenClock) -> None:
    ticket = store.create_ticket("agent1", kind="complaint", channel="chat", subject="Busy").id
    other = Store.open(store.path, desk_id=DESK, clock=clock)
    before = event_count(store)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def write(writer: Store, actor: str) -> None:
        try:
            start.wait()
            for i in range(50):
                writer.add_note(actor, ticket, f"{actor} note {i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=args) for args in ((store, "agent1"), (other, "agent2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.close()
    assert errors == []
    rows = events(store)
    assert len(rows) == before + 100
    seqs = [ev.desk_seq for ev in rows]
    assert seqs == list(range(1, len(rows) + 1))
    assert len(set(seqs)) == len(seqs)
    assert sum(1 for ev in rows if ev.kind == "ticket.note_added") == 100
    hlcs = [ev.hlc for ev in rows]
    assert len(set(hlcs)) == len(hlcs)
    assert hlcs == sorted(hlcs)
    assert store.verify_audit().ok
    assert len(store.get_ticket("sup", ticket).notes) == 100


# --------------------------------------------------------------------------- tampering


@pytest.fixture
def closed_store(store: Store) -> Path:
    """A store file with 11 events (8 users, 2 tickets, 1 note), closed."""
    first = store.create_ticket("agent1", kind="complaint", channel="phone", subject="Fee charged twice")
    store.create_ticket("agent2", kind="consultation", channel="chat", subject="Opening hours")
    store.add_note("agent1", first.id, "Refund of 35.00 promised")
    assert event_count(store) == 11
    assert store.verify_audit().ok
    store.close()
    return store.path


def _verify(path: Path, clock: FrozenClock) -> tuple[bool, int | None, str | None]:
    reopened = Store.open(path, desk_id=DESK, clock=clock)
    try:
        report = reopened.verify_audit()
    finally:
        reopened.close()
    return report.ok, report.desk_seq, report.problem


def test_edited_payload_is_found(closed_store: Path, clock: FrozenClock) -> None:
    raw_sql(closed_store, """UPDATE event SET payload = '{"amount":"0.00"}' WHERE desk_seq = 7""")
    ok, seq, problem = _verify(closed_store, clock)
    assert (ok, seq) == (False, 7)
    assert problem is not None and "edited" in problem


def test_edited_actor_is_found(closed_store: Path, clock: FrozenClock) -> None:
    raw_sql(closed_store, "UPDATE event SET actor = 'sup' WHERE desk_seq = 10")
    assert _verify(closed_store, clock)[:2] == (False, 10)


def test_deleted_middle_event_is_found(closed_store: Path, clock: FrozenClock) -> None:
    raw_sql(closed_store, "DELETE FROM event WHERE desk_seq = 6")
    ok, seq, problem = _verify(closed_store, clock)
    assert (ok, seq) == (False, 7)  # the first event after the hole
    assert problem is not None and "gap" in problem


def test_deleted_and_renumbered_events_are_found(closed_store: Path, clock: FrozenClock) -> None:
    """Closing the gap by renumbering still breaks the link to the previous hash."""
    raw_sql(
        closed_store,
        "DELETE FROM event WHERE desk_seq = 6",
        "UPDATE event SET desk_seq = -desk_seq WHERE desk_seq > 6",
        "UPDATE event SET desk_seq = -desk_seq - 1 WHERE desk_seq < 0",
    )
    ok, seq, _ = _verify(closed_store, clock)
    assert (ok, seq) == (False, 6)


def test_swapped_events_are_found(closed_store: Path, clock: FrozenClock) -> None:
    raw_sql(
        closed_store,
        "UPDATE event SET desk_seq = -1 WHERE desk_seq = 4",
        "UPDATE event SET desk_seq = 4 WHERE desk_seq = 5",
        "UPDATE event SET desk_seq = 5 WHERE desk_seq = -1",
    )
    ok, seq, problem = _verify(closed_store, clock)
    assert (ok, seq) == (False, 4)
    assert problem is not None and "reordered" in problem


def test_edited_hlc_is_found(closed_store: Path, clock: FrozenClock) -> None:
    raw_sql(closed_store, "UPDATE event SET hlc = hlc + 1000000 WHERE desk_seq = 8")
    assert _verify(closed_store, clock)[:2] == (False, 8)


def test_edit_with_recomputed_hash_breaks_the_next_link(closed_store: Path, clock: FrozenClock) -> None:
    store = Store.open(closed_store, desk_id=DESK, clock=clock)
    target = events(store)[8]  # desk_seq 9
    store.close()
    forged_payload = target.payload.replace("Fee charged twice", "Nothing happened")
    assert forged_payload != target.payload
    forged = compute_hash(
        target.prev_hash,
        event_id=target.event_id,
        desk_id=target.desk_id,
        desk_seq=target.desk_seq,
        hlc=target.hlc,
        actor=target.actor,
        entity=target.entity,
        entity_id=target.entity_id,
        kind=target.kind,
        payload=forged_payload,
        recorded_at=target.recorded_at,
    )
    escaped = forged_payload.replace("'", "''")
    raw_sql(closed_store, f"UPDATE event SET payload = '{escaped}', hash = '{forged}' WHERE desk_seq = 9")
    assert _verify(closed_store, clock)[:2] == (False, 10)


def test_cli_audit_verify(closed_store: Path, run_cli: Callable[..., CompletedProcess[str]]) -> None:
    intact = run_cli("--store", str(closed_store), "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "11" in intact.stdout
    assert "Traceback" not in intact.stderr

    raw_sql(closed_store, """UPDATE event SET payload = '{"amount":"0.00"}' WHERE desk_seq = 7""")
    broken = run_cli("--store", str(closed_store), "audit", "verify")
    assert broken.returncode == 1
    output = broken.stdout + broken.stderr
    assert "#7 " in output
    assert "BROKEN" in output
    assert "Traceback" not in output
