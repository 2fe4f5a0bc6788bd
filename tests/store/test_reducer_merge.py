"""Merge rules of the reducer, driven by hand-made events in any arrival order.

Rules (ARCHITECTURE.md, "Data: local store"): fields are last-writer-wins by (HLC, event id)
and a losing write is kept in ``merge_conflict`` (``needs_review`` for money and legal
fields); notes are grow-only; status moves forward only, going back needs ``ticket.reopened``.
Whatever order events arrive in, the projections must end up the same.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from csdesk.data.eventlog import EVENT, FIELDS, EventData
from csdesk.data.reducer import CONFLICT, NOTE, REVIEW_FIELDS, TICKET, apply_fields, reduce
from csdesk.data.store import Store
from tests.store.conftest import DESK, START

_ids = itertools.count(1)


def make_event(kind: str, entity_id: str, payload: dict[str, Any], hlc: int, event_id: str | None = None) -> EventData:
    """An event as the reducer sees it; hashes are dummies (reduce does not check them)."""
    return EventData(
        event_id=event_id or f"ev-{hlc:06d}-{next(_ids):04d}",
        desk_id=DESK,
        desk_seq=0,
        hlc=hlc,
        actor="agent1",
        entity="ticket",
        entity_id=entity_id,
        kind=kind,
        payload=json.dumps(payload),
        prev_hash="dummy",
        hash="dummy",
        recorded_at=START + timedelta(seconds=hlc),
    )


def created(entity_id: str, hlc: int = 100) -> EventData:
    payload = {
        "ref": f"D01-{entity_id}",
        "kind": "complaint",
        "channel": "phone",
        "priority": "normal",
        "subject": "original",
        "description": "",
        "customer_id": None,
        "assignee_id": None,
    }
    return make_event("ticket.created", entity_id, payload, hlc)


def status(entity_id: str, to: str, hlc: int) -> EventData:
    return make_event("ticket.status_changed", entity_id, {"to": to}, hlc)


def reopened(entity_id: str, hlc: int) -> EventData:
    return make_event("ticket.reopened", entity_id, {"reason": "not fixed"}, hlc)


def updated(entity_id: str, hlc: int, event_id: str | None = None, **fields: Any) -> EventData:
    return make_event("ticket.updated", entity_id, fields, hlc, event_id)


@pytest.fixture
def conn(store: Store) -> Iterator[Connection]:
    with store._engine.connect() as connection, connection.begin():
        yield connection


_seqs = itertools.count(10_000)


def apply(conn: Connection, events: Iterable[EventData]) -> None:
    """Arrive like a synced event: into the log first, then through the reducer."""
    for ev in events:
        columns = {k: getattr(ev, k) for k in FIELDS}
        row = {**columns, "desk_id": "REMOTE", "desk_seq": next(_seqs)}
        conn.execute(sqlite_insert(EVENT).values(**row).on_conflict_do_nothing(index_elements=["event_id"]))
        reduce(conn, ev)


def ticket(conn: Connection, entity_id: str) -> Any:
    return conn.execute(select(TICKET).where(TICKET.c.id == entity_id)).one()


def conflicts(conn: Connection, entity_id: str) -> list[Any]:
    return list(conn.execute(select(CONFLICT).where(CONFLICT.c.entity_id == entity_id).order_by(CONFLICT.c.id)))


# --------------------------------------------------------------------------- last writer wins


def test_newer_write_wins_in_arrival_order(conn: Connection) -> None:
    old, new = updated("t1", 200, subject="old"), updated("t1", 300, subject="new")
    apply(conn, [created("t1"), old, new])
    assert ticket(conn, "t1").subject == "new"
    assert conflicts(conn, "t1") == []


def test_older_write_arriving_late_loses_and_is_kept(conn: Connection) -> None:
    old, new = updated("t1", 200, subject="old"), updated("t1", 300, subject="new")
    apply(conn, [created("t1"), new, old])
    assert ticket(conn, "t1").subject == "new"
    [conflict] = conflicts(conn, "t1")
    assert (conflict.entity, conflict.field, conflict.kept_value, conflict.lost_value) == (
        "ticket",
        "subject",
        "new",
        "old",
    )
    assert (conflict.kept_event_id, conflict.lost_event_id) == (new.event_id, old.event_id)
    assert not conflict.needs_review
    assert not conflict.resolved


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_equal_hlc_is_broken_by_event_id(conn: Connection, order: str) -> None:
    low = updated("t1", 200, event_id="ev-a", priority="high")
    high = updated("t1", 200, event_id="ev-b", priority="urgent")
    apply(conn, [created("t1"), *([low, high] if order == "forward" else [high, low])])
    assert ticket(conn, "t1").priority == "urgent"


def test_fields_merge_independently(conn: Connection) -> None:
    apply(
        conn,
        [created("t1"), updated("t1", 300, subject="newer subject"), updated("t1", 200, priority="urgent")],
    )
    row = ticket(conn, "t1")
    assert (row.subject, row.priority) == ("newer subject", "urgent")
    assert conflicts(conn, "t1") == []


def test_write_older_than_creation_loses_to_it(conn: Connection) -> None:
    apply(conn, [created("t1", hlc=500), updated("t1", 400, subject="stale")])
    assert ticket(conn, "t1").subject == "original"
    [conflict] = conflicts(conn, "t1")
    assert (conflict.kept_value, conflict.lost_value) == ("original", "stale")


def test_same_value_losing_is_not_a_conflict(conn: Connection) -> None:
    apply(conn, [created("t1"), updated("t1", 300, subject="same"), updated("t1", 200, subject="same")])
    assert conflicts(conn, "t1") == []


def test_assignment_is_last_writer_wins(conn: Connection) -> None:
    to_1 = make_event("ticket.assigned", "t1", {"assignee_id": "agent1"}, 200)
    to_2 = make_event("ticket.assigned", "t1", {"assignee_id": "agent2"}, 300)
    apply(conn, [created("t1"), to_2, to_1])
    assert ticket(conn, "t1").assignee_id == "agent2"
    [conflict] = conflicts(conn, "t1")
    assert (conflict.field, conflict.kept_value, conflict.lost_value) == ("assignee_id", "agent2", "agent1")


# --------------------------------------------------------------------------- review fields


def test_review_fields_are_money_and_legal() -> None:
    assert {"amount", "deadline", "decision", "promised_at"} <= REVIEW_FIELDS
    assert not {"subject", "priority", "assignee_id", "description"} & REVIEW_FIELDS


def test_lost_money_and_legal_writes_need_review(conn: Connection) -> None:
    """A write that loses (here: older than the ticket's creation) is kept; money/legal ones are flagged."""
    apply(conn, [created("t1", hlc=500)])
    stale = updated("t1", 400)
    fields = {"amount": "300.00", "deadline": "2026-12-01", "decision": "decline", "subject": "stale"}
    assert apply_fields(conn, TICKET, "ticket", "t1", fields, stale) == {}
    assert ticket(conn, "t1").subject == "original"
    rows = {c.field: c for c in conflicts(conn, "t1")}
    assert set(rows) == set(fields)
    for name in ("amount", "deadline", "decision"):
        assert rows[name].needs_review, name
        assert rows[name].lost_value == fields[name]
        assert rows[name].lost_event_id == stale.event_id
    assert not rows["subject"].needs_review
    assert (rows["subject"].kept_value, rows["subject"].lost_value) == ("original", "stale")


def test_winning_write_returns_the_winners(conn: Connection) -> None:
    apply(conn, [created("t1", hlc=100), updated("t1", 300, subject="newer")])
    mixed = updated("t1", 200)
    assert apply_fields(conn, TICKET, "ticket", "t1", {"subject": "older", "priority": "high"}, mixed) == {
        "priority": "high"
    }
    row = ticket(conn, "t1")
    assert (row.subject, row.priority) == ("newer", "high")


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize("late", [("open", 200), ("new", 200), ("open", 400), ("waiting_customer", 400)])
def test_status_never_moves_backwards(conn: Connection, late: tuple[str, int]) -> None:
    apply(conn, [created("t1"), status("t1", "resolved", 300), status("t1", *late)])
    row = ticket(conn, "t1")
    assert row.status == "resolved"
    assert row.resolved_at is not None


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_forward_status_wins_whatever_the_order(conn: Connection, order: str) -> None:
    opened, resolved = status("t1", "open", 300), status("t1", "resolved", 200)
    apply(conn, [created("t1"), *([opened, resolved] if order == "forward" else [resolved, opened])])
    assert ticket(conn, "t1").status == "resolved"


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_sideways_status_is_last_writer_wins(conn: Connection, order: str) -> None:
    customer, department = status("t1", "waiting_customer", 300), status("t1", "waiting_department", 200)
    apply(conn, [created("t1"), *([department, customer] if order == "forward" else [customer, department])])
    assert ticket(conn, "t1").status == "waiting_customer"


def test_reopen_newer_than_resolve_reopens(conn: Connection) -> None:
    apply(conn, [created("t1"), status("t1", "resolved", 200), status("t1", "closed", 250), reopened("t1", 300)])
    row = ticket(conn, "t1")
    assert row.status == "open"
    assert row.resolved_at is None
    assert row.closed_at is None


def test_reopen_older_than_resolve_is_ignored(conn: Connection) -> None:
    apply(conn, [created("t1"), status("t1", "resolved", 300), reopened("t1", 200)])
    assert ticket(conn, "t1").status == "resolved"


def test_reopen_newer_than_resolve_wins_whatever_the_arrival_order(conn: Connection) -> None:
    apply(conn, [created("t1"), reopened("t1", 300), status("t1", "resolved", 200)])
    assert ticket(conn, "t1").status == "open"


# --------------------------------------------------------------------------- notes


def _note(entity_id: str, note_id: str, body: str, hlc: int) -> EventData:
    return make_event("ticket.note_added", entity_id, {"note_id": note_id, "body": body}, hlc)


def test_notes_are_grow_only_and_idempotent(conn: Connection) -> None:
    first = _note("t1", "n1", "Called the branch", 200)
    second = _note("t1", "n2", "Branch confirmed", 150)
    apply(conn, [created("t1"), first, first, second, first])
    rows = list(conn.execute(select(NOTE).where(NOTE.c.ticket_id == "t1").order_by(NOTE.c.id)))
    assert [(r.id, r.body, r.author_id) for r in rows] == [
        ("n1", "Called the branch", "agent1"),
        ("n2", "Branch confirmed", "agent1"),
    ]
    # later ticket changes never remove notes
    apply(conn, [status("t1", "closed", 400), updated("t1", 500, subject="changed")])
    ids = conn.execute(select(NOTE.c.id).where(NOTE.c.ticket_id == "t1").order_by(NOTE.c.id)).scalars().all()
    assert ids == ["n1", "n2"]


def test_duplicate_creation_event_does_not_duplicate_the_ticket(conn: Connection) -> None:
    event = created("t1")
    apply(conn, [event, event])
    assert len(conn.execute(select(TICKET.c.id).where(TICKET.c.id == "t1")).all()) == 1
    assert conflicts(conn, "t1") == []
