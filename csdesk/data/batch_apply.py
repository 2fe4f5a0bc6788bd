"""Applying a page of pulled events in one pass: the bulk path of :mod:`csdesk.data.sync_ledger`.

A desk returning from an outage pulls tens of thousands of events, most of them about
tickets it has never seen: created, assigned, moved through their statuses and noted on
other desks. Sending each through the reducer costs several statements per event (field
clocks, existence checks, the status history, the SLA policy as of the event). Here the
page is split:

- **new tickets** — every event of the ticket is in this page, its ``ticket.created`` is
  the oldest of them by (HLC, event id), and the desk holds no row, log entry or parked
  event for it. Such a ticket is folded in memory in (HLC, event id) order with the
  reducer's own rules (last writer wins per field, :func:`~csdesk.data.reducer.fold_status`,
  ``updated_at`` only forward, notes first-wins by id), its SLA deadlines computed once
  from the final state, and written with one multi-row insert per table;
- **everything else** goes through :func:`~csdesk.data.reducer.reduce` one event at a
  time, in arrival order, exactly as before.

The fold gives the rows the reducer gives when it replays the log in HLC order
(:func:`~csdesk.data.reducer.rebuild`); ``tests/sync/test_batch_apply.py`` compares both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlmodel.sql.sqltypes import UTCDateTime

from csdesk.data.eventlog import EVENT, FIELDS, EventData, is_redacted, stored_time_text
from csdesk.data.reducer import (
    _LAST_ASSIGNED,
    _TICKET_FIELDS,
    CLOCK,
    CREATED,
    DEFERRED,
    NOTE,
    STATUS_KINDS,
    TICKET,
    fold_status,
    policy_from_payload,
)
from csdesk.domain.sla import SlaPolicy, default_policy, pauses_from_status_history
from csdesk.domain.sla_due import deadlines
from csdesk.domain.tickets import Status

#: Ticket event kinds the bulk path folds; any other kind on a ticket sends it the slow way.
FOLDED_KINDS = frozenset(
    {
        "ticket.created",
        "ticket.updated",
        "ticket.assigned",
        *STATUS_KINDS,
        "ticket.note_added",
        "ticket.consulted",
        "ticket.department_replied",
        "ticket.linked",
        "ticket.merged",
    }
)
CLOCK_COLUMNS = ("entity", "entity_id", "field", "hlc", "event_id")
#: What :data:`csdesk.data.reducer.CLOCK_UPSERT` does on a clock that exists.
CLOCK_ON_CONFLICT = (
    "ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc, event_id = excluded.event_id"
)
NOTE_COLUMNS = ("id", "ticket_id", "author_id", "body", "created_at")
_POLICY_KIND = "sla.policy_set"


def as_utc(at: datetime) -> datetime:
    """``at`` as the aware UTC value the store reads back (it keeps UTC without an offset)."""
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def _stamp(ev: EventData) -> tuple[int, str]:
    return (ev.hlc, ev.event_id)


def _present(conn: Connection, table: Table, column: str, ids: Sequence[str], **where: str) -> set[str]:
    """Which of ``ids`` appear in ``table.column`` (with the extra equality filters).

    One statement whatever the number of ids: they travel as one JSON array, so no
    statement with thousands of bound parameters is compiled for each page.
    """
    if not ids:
        return set()
    extra = "".join(f' AND "{name}" = ?' for name in where)
    sql = f'SELECT "{column}" FROM "{table.name}" WHERE "{column}" IN (SELECT value FROM json_each(?)){extra}'
    rows = conn.exec_driver_sql(sql, (json.dumps(list(ids)), *where.values()))
    return {row[0] for row in rows}


def fresh_events(conn: Connection, events: Sequence[EventData]) -> list[EventData]:
    """The events of the page not yet in the log (first copy of an id repeated in the page)."""
    known = _present(conn, EVENT, "event_id", [ev.event_id for ev in events])
    fresh: list[EventData] = []
    for ev in events:
        if ev.event_id not in known:
            known.add(ev.event_id)
            fresh.append(ev)
    return fresh


Grouped = dict[str, list[EventData]]
Payloads = dict[str, dict[str, Any]]


def split_new_tickets(conn: Connection, events: Sequence[EventData]) -> tuple[Grouped, list[EventData]]:
    """``({ticket id: its events oldest first}, the other events in arrival order)``."""
    by_ticket: dict[str, list[EventData]] = {}
    for ev in events:
        if ev.entity == "ticket":
            by_ticket.setdefault(ev.entity_id, []).append(ev)
    candidates: Grouped = {}
    for ticket_id, evs in by_ticket.items():
        evs.sort(key=_stamp)
        creates = sum(1 for ev in evs if ev.kind == "ticket.created")
        foldable = all(ev.kind in FOLDED_KINDS and not is_redacted(ev.payload) for ev in evs)
        if foldable and creates == 1 and evs[0].kind == "ticket.created":
            candidates[ticket_id] = evs
    ids = list(candidates)
    seen = _present(conn, EVENT, "entity_id", ids, entity="ticket")
    seen |= _present(conn, TICKET, "id", ids)
    seen |= _present(conn, DEFERRED, "entity_id", ids, entity="ticket")
    new = {tid: evs for tid, evs in candidates.items() if tid not in seen}
    rest = [ev for ev in events if not (ev.entity == "ticket" and ev.entity_id in new)]
    return new, rest


@dataclass(slots=True)
class _Policies:
    """SLA policy events by ``kind:priority``, oldest first: the log's plus this page's."""

    events: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection, page: Sequence[EventData]) -> _Policies:
        rows = conn.execute(
            select(EVENT.c.entity_id, EVENT.c.hlc, EVENT.c.event_id, EVENT.c.payload).where(
                EVENT.c.kind == _POLICY_KIND, EVENT.c.entity == "sla_policy"
            )
        ).all()
        items = {(r.entity_id, r.hlc, r.event_id, r.payload) for r in rows}
        items |= {(ev.entity_id, ev.hlc, ev.event_id, ev.payload) for ev in page if ev.kind == _POLICY_KIND}
        policies = cls()
        for key, hlc, event_id, payload in sorted(items, key=lambda item: (item[1], item[2])):
            policies.events.setdefault(key, []).append((hlc, event_id, payload))
        return policies

    def as_of(self, kind: str, priority: str, hlc: int) -> SlaPolicy:
        """Like :func:`csdesk.data.reducer.policy_as_of`: the newest policy set before ``hlc``."""
        newest = None
        for at, _event_id, payload in self.events.get(f"{kind}:{priority}", ()):
            if at >= hlc:
                break
            newest = payload
        return default_policy(kind, priority) if newest is None else policy_from_payload(kind, priority, newest)


@dataclass(slots=True)
class _Fold:
    """One new ticket folded from its events."""

    row: dict[str, Any]
    clocks: dict[str, tuple[int, str]]
    notes: list[dict[str, Any]] = field(default_factory=list)
    assigned: list[tuple[str, datetime]] = field(default_factory=list)
    history: list[tuple[datetime, str]] = field(default_factory=list)
    sla_hlc: int = 0


def fold_ticket(events: Sequence[EventData], payloads: Payloads | None = None) -> _Fold:
    """The reducer's result for a ticket whose every event is in ``events`` (oldest first).

    ``payloads`` may hold payloads already decoded, by event id.
    """
    decoded = payloads or {}

    def payload_of(ev: EventData) -> dict[str, Any]:
        return decoded.get(ev.event_id) or ev.data()

    created = events[0]
    data = payload_of(created)
    when = as_utc(created.recorded_at)
    row: dict[str, Any] = {k: data.get(k) for k in _TICKET_FIELDS}
    row.update(
        id=created.entity_id,
        ref=data["ref"],
        desk_id=created.desk_id,
        status=data.get("status", Status.NEW.value),
        description=data.get("description") or "",
        created_by=created.actor,
        created_at=when,
        updated_at=when,
        first_response_at=None,
        resolved_at=None,
        closed_at=None,
    )
    fold = _Fold(row, {CREATED: _stamp(created)}, sla_hlc=created.hlc)
    statuses: list[tuple[str, str | dict[str, Any], datetime]] = []
    for ev in events[1:]:
        at = as_utc(ev.recorded_at)
        touched = True
        if ev.kind in ("ticket.updated", "ticket.assigned"):
            payload = payload_of(ev)
            fields = {k: v for k, v in payload.items() if k in _TICKET_FIELDS}
            row.update(fields)
            fold.clocks.update(dict.fromkeys(fields, _stamp(ev)))
            touched = bool(fields)
            if {"kind", "priority"} & set(fields):
                fold.sla_hlc = max(fold.sla_hlc, ev.hlc)
            if ev.kind == "ticket.assigned" and payload.get("assignee_id"):
                fold.assigned.append((payload["assignee_id"], ev.recorded_at))
        elif ev.kind in STATUS_KINDS:
            statuses.append((ev.kind, decoded.get(ev.event_id) or ev.payload, at))
            fold.sla_hlc = max(fold.sla_hlc, ev.hlc)
        elif ev.kind == "ticket.note_added":
            payload = payload_of(ev)
            note = {"id": payload["note_id"], "ticket_id": ev.entity_id, "author_id": ev.actor,
                    "body": payload["body"], "created_at": ev.recorded_at}
            fold.notes.append(note)
        if touched and row["updated_at"] < at:
            row["updated_at"] = at
    if statuses:
        values, fold.history = fold_status(statuses)
        row.update(values)
    return fold


def _with_deadlines(fold: _Fold, policies: _Policies) -> dict[str, Any]:
    """The ticket row with its SLA deadlines, as :func:`csdesk.data.reducer.refresh_sla` leaves them."""
    row = dict(fold.row)
    policy = policies.as_of(row["kind"], row["priority"], fold.sla_hlc)
    due = deadlines(policy, row["created_at"], pauses_from_status_history(fold.history), row["first_response_at"])
    row.update(sla_response_due=due.response_due, sla_resolution_due=due.resolution_due, sla_paused_at=due.paused_at)
    return row


def apply_new_tickets(
    conn: Connection, tickets: Grouped, page: Sequence[EventData], payloads: Payloads | None = None
) -> None:
    """Write the folded rows of new tickets: tickets, field clocks, notes, assignees' last assignment."""
    if not tickets:
        return
    policies = _Policies.load(conn, page)
    folds = [fold_ticket(evs, payloads) for evs in tickets.values()]
    rows = [_with_deadlines(fold, policies) for fold in folds]
    columns = list(rows[0])
    times = {ev.recorded_at: ev.stored_at for evs in tickets.values() for ev in evs if ev.stored_at}
    bulk_insert(conn, TICKET, columns, ([row[name] for name in columns] for row in rows), times=times)
    clocks = (
        ("ticket", fold.row["id"], name, hlc, event_id)
        for fold in folds
        for name, (hlc, event_id) in fold.clocks.items()
    )
    bulk_insert(conn, CLOCK, CLOCK_COLUMNS, clocks, CLOCK_ON_CONFLICT)
    notes = ((note[name] for name in NOTE_COLUMNS) for fold in folds for note in fold.notes)
    bulk_insert(conn, NOTE, NOTE_COLUMNS, (tuple(note) for note in notes), "ON CONFLICT (id) DO NOTHING", times=times)
    latest: dict[str, datetime] = {}
    for fold in folds:
        for user_id, at in fold.assigned:
            latest[user_id] = max(at, latest.get(user_id, at))
    if latest:
        conn.execute(_LAST_ASSIGNED, [{"_row_id": user_id, "_when": at} for user_id, at in latest.items()])


def bulk_insert(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    tail: str = "",
    *,
    times: dict[datetime, str] | None = None,
) -> None:
    """``INSERT INTO table (columns) VALUES (?, ...) tail`` for every row, in one DBAPI ``executemany``.

    Values are stored as the column types store them (a time as
    :func:`~csdesk.data.eventlog.stored_time_text`, or its text from ``times`` when the
    caller has it, any other type through SQLAlchemy's own bind processor), so a stored row
    is byte for byte what the reducer's statements store, without a parameter dictionary
    per row. Runs in the connection's current transaction.
    """
    convert = _converters(conn, table, tuple(columns), times or {})
    converted = list(rows) if not convert else [_converted(row, convert) for row in rows]
    insert_converted(conn, table, columns, converted, tail)


def insert_converted(
    conn: Connection, table: Table, columns: Sequence[str], converted: Sequence[Sequence[Any]], tail: str = ""
) -> None:
    """:func:`bulk_insert` of rows whose values are already as SQLite stores them."""
    if not converted:
        return
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" * len(columns))
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks}) {tail}', converted)
    finally:
        cursor.close()


Converter = Callable[[Any], Any]


def _converters(
    conn: Connection, table: Table, columns: tuple[str, ...], times: dict[datetime, str]
) -> list[tuple[int, Converter]]:
    """``(position, converter)`` for each column whose values need converting before SQLite takes them."""
    found: list[tuple[int, Converter]] = []

    def as_stored(at: datetime) -> str:
        return times.get(at) or stored_time_text(at)

    for position, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            found.append((position, as_stored if times else stored_time_text))
        elif (process := column_type._cached_bind_processor(conn.dialect)) is not None:
            found.append((position, process))
    return found


def _converted(row: Sequence[Any], convert: list[tuple[int, Converter]]) -> list[Any]:
    values = list(row)
    for position, process in convert:
        value = values[position]
        if value is not None:
            values[position] = process(value)
    return values


def log_events(conn: Connection, events: Sequence[EventData]) -> None:
    """Append events to the local log in one ``executemany``."""
    rows = [
        (ev.event_id, ev.desk_id, ev.desk_seq, ev.hlc, ev.actor, ev.entity, ev.entity_id, ev.kind, ev.payload,
         ev.prev_hash, ev.hash, ev.stored_at or stored_time_text(ev.recorded_at))
        for ev in events
    ]
    insert_converted(conn, EVENT, FIELDS, rows)
