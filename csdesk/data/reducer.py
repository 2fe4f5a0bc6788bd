"""The one reducer: applies an event to the projections, in the writer's transaction.

Merge rules (ARCHITECTURE.md, "Data: local store"):
- fields are last-writer-wins by (HLC, event id); a write that loses to a newer one is
  kept in ``merge_conflict`` (marked ``needs_review`` for money and legal fields);
- notes are grow-only;
- status moves forward only; going back needs an explicit ``ticket.reopened`` event.
Applying the same events in HLC order always gives the same projections, which is what
:func:`rebuild` relies on. Events of other desks arrive in any order (sync): an event
about a row that does not exist yet is parked in ``deferred_event`` and applied when the
row is created (:func:`defer`), and every timestamp column moves only forward, so the
projections do not depend on arrival order (``merge_conflict`` records what each desk saw
arrive late, and so may differ between desks).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, case, delete, func, insert, literal, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement

from csdesk.data.eventlog import EVENT, EventData, events_for, is_redacted, iter_events
from csdesk.data.rows import sla_policy_from_row
from csdesk.data.sync_tables import DeferredEvent
from csdesk.data.tables import (
    PROJECTION_TABLES,
    Customer,
    FieldClock,
    MergeConflict,
    SlaPolicyRow,
    SQLModel,
    Ticket,
    TicketNote,
    User,
)
from csdesk.domain.sla import SlaPolicy, default_policy, pauses_from_status_history
from csdesk.domain.sla_due import deadlines
from csdesk.domain.tickets import Status, status_rank

USER: Table = User.__table__  # type: ignore[assignment]
CUSTOMER: Table = Customer.__table__  # type: ignore[assignment]
TICKET: Table = Ticket.__table__  # type: ignore[assignment]
NOTE: Table = TicketNote.__table__  # type: ignore[assignment]
CLOCK: Table = FieldClock.__table__  # type: ignore[assignment]
CONFLICT: Table = MergeConflict.__table__  # type: ignore[assignment]
SLA_POLICY: Table = SlaPolicyRow.__table__  # type: ignore[assignment]
DEFERRED: Table = DeferredEvent.__table__  # type: ignore[assignment]

#: Fields whose concurrent edits are never silently resolved.
REVIEW_FIELDS = frozenset({"amount", "amount_in_dispute", "deadline", "promised_at", "decision"})
CREATED = "*"

Handler = Callable[[Connection, EventData, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register a handler for events of ``kind``."""

    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def reduce(conn: Connection, ev: EventData) -> None:
    """Apply ``ev``, already in the event log, to the projections.

    Audit-only kinds change no projection; nor do events whose data a retention purge
    removed (their records were deleted with them).
    """
    if is_redacted(ev.payload):
        return
    handler = HANDLERS.get(ev.kind)
    if handler is not None:
        handler(conn, ev, ev.data())


def _stamp(ev: EventData) -> tuple[int, str]:
    return (ev.hlc, ev.event_id)


_UPSERT = sqlite_insert(CLOCK)
CLOCK_UPSERT = _UPSERT.on_conflict_do_update(
    index_elements=["entity", "entity_id", "field"],
    set_={"hlc": _UPSERT.excluded.hlc, "event_id": _UPSERT.excluded.event_id},
)
CLOCK_SELECT = select(CLOCK.c.field, CLOCK.c.hlc, CLOCK.c.event_id).where(
    CLOCK.c.entity == bindparam("entity"),
    CLOCK.c.entity_id == bindparam("entity_id"),
    CLOCK.c.field.in_(bindparam("fields", expanding=True)),
)


_ROW_ID = bindparam("_row_id")
_ROWS = (USER, CUSTOMER, TICKET, SLA_POLICY)
_BY_ID = {t.name: select(t).where(t.c.id == _ROW_ID) for t in _ROWS}
_EXISTS = {t.name: select(t.c.id).where(t.c.id == _ROW_ID) for t in _ROWS}
_UPDATE = {t.name: update(t).where(t.c.id == _ROW_ID) for t in _ROWS}
_TOUCH = {
    t.name: update(t)
    .where(t.c.id == _ROW_ID, t.c.updated_at < bindparam("_when"))
    .values(updated_at=bindparam("_when"))
    for t in (TICKET, CUSTOMER)
}
_DEFER = sqlite_insert(DEFERRED).on_conflict_do_nothing(index_elements=["event_id"])
_DEFERRED_FOR = (
    select(*EVENT.c)
    .join(DEFERRED, DEFERRED.c.event_id == EVENT.c.event_id)
    .where(DEFERRED.c.entity == bindparam("entity"), DEFERRED.c.entity_id == _ROW_ID)
    .order_by(EVENT.c.hlc, EVENT.c.event_id)
)
_NOTE_INSERT = sqlite_insert(NOTE).on_conflict_do_nothing(index_elements=["id"])


def _row(conn: Connection, table: Table, entity_id: str) -> Any:
    return conn.execute(_BY_ID[table.name], {"_row_id": entity_id}).first()


def _update(conn: Connection, table: Table, entity_id: str, values: dict[str, Any]) -> None:
    conn.execute(_UPDATE[table.name], {"_row_id": entity_id, **values})


def defer(conn: Connection, ev: EventData) -> None:
    """Park ``ev``: the row it changes is not here yet (its create comes from another desk)."""
    conn.execute(_DEFER, {"event_id": ev.event_id, "entity": ev.entity, "entity_id": ev.entity_id, "hlc": ev.hlc})


def needs_row(table: Table) -> Callable[[Handler], Handler]:
    """Wrap the handler of events that change an existing row of ``table`` (id = the event's entity id).

    When the row is not here yet (its create comes from another desk and has not arrived),
    the event is parked (:func:`defer`); the room's create handler calls
    :func:`apply_deferred`, which applies it then.
    """
    exists = select(table.c.id).where(table.c.id == _ROW_ID)

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
            if conn.execute(exists, {"_row_id": ev.entity_id}).first() is None:
                defer(conn, ev)
                return
            handler(conn, ev, data)

        return run

    return wrap


def later_of(column: ColumnElement[Any], when: datetime) -> ColumnElement[Any]:
    """SQL for the later of ``column`` and ``when``: timestamps only move forward, whatever the arrival order."""
    value = literal(when, type_=column.type)
    return case((column.is_(None), value), (column < value, value), else_=column)


def apply_deferred(conn: Connection, entity: str, entity_id: str) -> None:
    """Apply, in (HLC, event id) order, the events parked until this row existed."""
    from csdesk.data.eventlog import event_from_row

    parked = [event_from_row(row) for row in conn.execute(_DEFERRED_FOR, {"entity": entity, "_row_id": entity_id})]
    if not parked:
        return
    conn.execute(delete(DEFERRED).where(DEFERRED.c.event_id.in_([ev.event_id for ev in parked])))
    for ev in parked:
        reduce(conn, ev)


def _set_clocks(conn: Connection, entity: str, entity_id: str, fields: list[str], ev: EventData) -> None:
    rows = [
        {"entity": entity, "entity_id": entity_id, "field": f, "hlc": ev.hlc, "event_id": ev.event_id} for f in fields
    ]
    conn.execute(CLOCK_UPSERT, rows)


def _clocks(conn: Connection, entity: str, entity_id: str, fields: list[str]) -> dict[str, tuple[int, str]]:
    rows = conn.execute(CLOCK_SELECT, {"entity": entity, "entity_id": entity_id, "fields": [*fields, CREATED]})
    return {row.field: (row.hlc, row.event_id) for row in rows}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def apply_fields(
    conn: Connection, table: Table, entity: str, entity_id: str, fields: dict[str, Any], ev: EventData
) -> dict[str, Any]:
    """Last-writer-wins update of ``fields``; return the fields that won.

    When the row does not exist yet the event is parked (:func:`defer`) and nothing wins.
    """
    if not fields:
        return {}
    clocks = _clocks(conn, entity, entity_id, list(fields))
    created = clocks.get(CREATED)
    if created is None and conn.execute(_EXISTS[table.name], {"_row_id": entity_id}).first() is None:
        defer(conn, ev)
        return {}
    winners: dict[str, Any] = {}
    current = None
    for name, value in fields.items():
        clock = clocks.get(name, created)
        if clock is None or _stamp(ev) > clock:
            winners[name] = value
            continue
        if current is None:
            current = _row(conn, table, entity_id)
        kept = getattr(current, name, None) if current is not None else None
        if kept != value:
            conn.execute(
                insert(CONFLICT).values(
                    entity=entity,
                    entity_id=entity_id,
                    field=name,
                    kept_value=_text(kept),
                    lost_value=_text(value),
                    kept_event_id=clock[1],
                    lost_event_id=ev.event_id,
                    needs_review=name in REVIEW_FIELDS,
                    resolved=False,
                )
            )
    if winners:
        _update(conn, table, entity_id, winners)
        _set_clocks(conn, entity, entity_id, list(winners), ev)
    return winners


def _create(conn: Connection, table: Table, entity: str, ev: EventData, row: dict[str, Any]) -> bool:
    """Insert the row of a create event; a later create of the same id updates it.

    Two desks may create the same id (a user id, an SLA policy): the oldest create by
    (HLC, event id) is the creation. When an older create arrives after a newer one, the
    row is rebuilt from the log in HLC order, so every desk ends with the same row and clocks.
    """
    exists = conn.execute(_EXISTS[table.name], {"_row_id": ev.entity_id}).first()
    if exists:
        created = _clocks(conn, entity, ev.entity_id, []).get(CREATED)
        if created is not None and _stamp(ev) < created:
            _recreate(conn, table, entity, ev, row)
            return True
        fields = {k: v for k, v in row.items() if k != "id"}
        apply_fields(conn, table, entity, ev.entity_id, fields, ev)
        return False
    _insert(conn, table, entity, ev, row)
    return True


def _recreate(conn: Connection, table: Table, entity: str, ev: EventData, row: dict[str, Any]) -> None:
    conn.execute(delete(table).where(table.c.id == ev.entity_id))
    conn.execute(delete(CLOCK).where(CLOCK.c.entity == entity, CLOCK.c.entity_id == ev.entity_id))
    _insert(conn, table, entity, ev, row)
    for other in events_for(conn, entity, ev.entity_id):
        if other.event_id != ev.event_id:
            reduce(conn, other)


def _insert(conn: Connection, table: Table, entity: str, ev: EventData, row: dict[str, Any]) -> None:
    conn.execute(insert(table), {"id": ev.entity_id, **row})
    _set_clocks(conn, entity, ev.entity_id, [CREATED], ev)
    apply_deferred(conn, entity, ev.entity_id)


def _when(ev: EventData) -> datetime:
    return ev.recorded_at


_ASSIGNED_TO = select(func.max(EVENT.c.recorded_at)).where(
    EVENT.c.kind == "ticket.assigned", func.json_extract(EVENT.c.payload, "$.assignee_id") == _ROW_ID
)


@handles("user.created")
def _user_created(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {k: data[k] for k in ("name", "role", "team", "staff_no", "active") if k in data}
    if _create(conn, USER, "user", ev, {**row, "created_at": _when(ev)}):
        # Assignments from other desks may have arrived before this user did.
        last = conn.execute(_ASSIGNED_TO, {"_row_id": ev.entity_id}).scalar()
        if last is not None:
            _update(conn, USER, ev.entity_id, {"last_assigned_at": last})


_USER_FIELDS = ("name", "role", "team", "staff_no", "active", "availability", "skills")


@handles("user.updated")
def _user_updated(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    fields = {k: v for k, v in data.items() if k in _USER_FIELDS}
    apply_fields(conn, USER, "user", ev.entity_id, fields, ev)


_LAST_ASSIGNED = (
    update(USER)
    .where(
        USER.c.id == _ROW_ID,
        (USER.c.last_assigned_at.is_(None)) | (USER.c.last_assigned_at < bindparam("_when")),
    )
    .values(last_assigned_at=bindparam("_when"))
)


_CUSTOMER_FIELDS = ("name", "phone", "id_number", "account_no", "card_no", "vip", "language")


@handles("customer.created")
def _customer_created(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {k: data.get(k) for k in _CUSTOMER_FIELDS if k in data}
    _create(conn, CUSTOMER, "customer", ev, {**row, "created_at": _when(ev), "updated_at": _when(ev)})


@handles("customer.updated")
def _customer_updated(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    fields = {k: v for k, v in data.items() if k in _CUSTOMER_FIELDS}
    if apply_fields(conn, CUSTOMER, "customer", ev.entity_id, fields, ev):
        conn.execute(_TOUCH[CUSTOMER.name], {"_row_id": ev.entity_id, "_when": _when(ev)})


_TICKET_FIELDS = (
    "kind",
    "channel",
    "priority",
    "customer_id",
    "subject",
    "description",
    "business",
    "cause",
    "assignee_id",
)


def _touch(conn: Connection, ev: EventData) -> None:
    """Move the ticket's ``updated_at`` forward to the event's time; park the event if no ticket yet."""
    done = conn.execute(_TOUCH[TICKET.name], {"_row_id": ev.entity_id, "_when": _when(ev)})
    if done.rowcount == 0 and conn.execute(_EXISTS[TICKET.name], {"_row_id": ev.entity_id}).first() is None:
        defer(conn, ev)


@handles("ticket.created")
def _ticket_created(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {k: data.get(k) for k in _TICKET_FIELDS}
    row.update(
        ref=data["ref"],
        desk_id=ev.desk_id,
        status=data.get("status", Status.NEW.value),
        description=data.get("description") or "",
        created_by=ev.actor,
        created_at=_when(ev),
        updated_at=_when(ev),
    )
    _create(conn, TICKET, "ticket", ev, row)
    refresh_sla(conn, ev.entity_id)


@handles("ticket.updated")
@handles("ticket.assigned")
def _ticket_updated(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    fields = {k: v for k, v in data.items() if k in _TICKET_FIELDS}
    won = apply_fields(conn, TICKET, "ticket", ev.entity_id, fields, ev)
    if won:
        _touch(conn, ev)
    if {"kind", "priority"} & set(won):
        refresh_sla(conn, ev.entity_id)
    if ev.kind == "ticket.assigned" and data.get("assignee_id"):
        conn.execute(_LAST_ASSIGNED, {"_row_id": data["assignee_id"], "_when": _when(ev)})


STATUS_KINDS = ("ticket.status_changed", "ticket.reopened")
_STATUS_EVENTS = (
    select(EVENT.c.kind, EVENT.c.payload, EVENT.c.recorded_at)
    .where(EVENT.c.entity == "ticket", EVENT.c.entity_id == _ROW_ID, EVENT.c.kind.in_(STATUS_KINDS))
    .order_by(EVENT.c.hlc, EVENT.c.event_id)
)


def fold_status(
    rows: Sequence[tuple[str, str | dict[str, Any], datetime]],
) -> tuple[dict[str, Any], list[tuple[datetime, str]]]:
    """Status and its timestamps from a ticket's status events in (HLC, event id) order.

    A change applies only if it does not move backwards; ``ticket.reopened`` always
    applies and clears the resolution. Folding the whole history makes the result the
    same whatever order the events arrived in. Also returns (time, status) of every
    change that applied, from which the SLA pauses are read. A payload may come decoded.
    """
    status, first, resolved, closed = Status.NEW, None, None, None
    history: list[tuple[datetime, str]] = []
    for kind, payload, at in rows:
        if kind == "ticket.reopened":
            status, resolved, closed = Status.OPEN, None, None
            history.append((at, status.value))
            continue
        new = Status((payload if isinstance(payload, dict) else json.loads(payload))["to"])
        if status_rank(new) < status_rank(status):
            continue
        if first is None and new is not Status.NEW:
            first = at
        if new is Status.RESOLVED:
            resolved = at
        if new is Status.CLOSED:
            closed, resolved = at, resolved or at
        status = new
        history.append((at, status.value))
    values = {"status": status.value, "first_response_at": first, "resolved_at": resolved, "closed_at": closed}
    return values, history


def _status_rows(conn: Connection, ticket_id: str) -> list[tuple[str, str, datetime]]:
    return [tuple(r) for r in conn.execute(_STATUS_EVENTS, {"_row_id": ticket_id})]  # type: ignore[misc]


_POLICY = select(SLA_POLICY).where(SLA_POLICY.c.id == _ROW_ID)


def sla_policy(conn: Connection, kind: str, priority: str) -> SlaPolicy:
    """The desk's policy for ``kind`` and ``priority``, or the default one."""
    row = conn.execute(_POLICY, {"_row_id": f"{kind}:{priority}"}).first()
    if row is None:
        return default_policy(kind, priority)
    return sla_policy_from_row(row._mapping)


_POLICY_EVENT_BEFORE = (
    select(EVENT.c.payload)
    .where(
        EVENT.c.entity == "sla_policy",
        EVENT.c.entity_id == _ROW_ID,
        EVENT.c.kind == "sla.policy_set",
        EVENT.c.hlc < bindparam("_hlc"),
    )
    .order_by(EVENT.c.hlc.desc(), EVENT.c.event_id.desc())
    .limit(1)
)
_SLA_CLOCK = select(func.max(CLOCK.c.hlc)).where(
    CLOCK.c.entity == "ticket", CLOCK.c.entity_id == _ROW_ID, CLOCK.c.field.in_([CREATED, "kind", "priority"])
)
_SLA_STATUS_HLC = select(func.max(EVENT.c.hlc)).where(
    EVENT.c.entity == "ticket", EVENT.c.entity_id == _ROW_ID, EVENT.c.kind.in_(STATUS_KINDS)
)


def policy_as_of(conn: Connection, kind: str, priority: str, hlc: int) -> SlaPolicy:
    """The policy for ``kind`` and ``priority`` as set by the newest ``sla.policy_set`` before ``hlc``."""
    payload = conn.execute(_POLICY_EVENT_BEFORE, {"_row_id": f"{kind}:{priority}", "_hlc": hlc}).scalar()
    if payload is None:
        return default_policy(kind, priority)
    return policy_from_payload(kind, priority, payload)


def policy_from_payload(kind: str, priority: str, payload: str) -> SlaPolicy:
    """The policy an ``sla.policy_set`` event's payload sets for ``kind`` and ``priority``."""
    data = json.loads(payload)
    return sla_policy_from_row({**data, "kind": kind, "priority": priority, "mode": data.get("mode", "calendar")})


def _sla_as_of(conn: Connection, ticket_id: str) -> int:
    """HLC of the newest event that makes a ticket's deadlines be recomputed (create, kind, priority, status)."""
    params = {"_row_id": ticket_id}
    return max(conn.execute(_SLA_CLOCK, params).scalar() or 0, conn.execute(_SLA_STATUS_HLC, params).scalar() or 0)


def refresh_sla(conn: Connection, ticket_id: str, history: list[tuple[datetime, str]] | None = None) -> None:
    """Recompute a ticket's stored SLA deadlines from its status history and policy.

    The policy is the one in force at the newest event that recomputes the deadlines, read
    from the log, so the result does not depend on whether a policy change from another
    desk arrived before or after the ticket's events. ``history`` is the applied status
    changes when the caller has just folded them.
    """
    ticket = _row(conn, TICKET, ticket_id)
    if ticket is None:
        return
    if history is None:
        _, history = fold_status(_status_rows(conn, ticket_id))
    pauses = pauses_from_status_history(history)
    if conn.execute(_POLICY, {"_row_id": f"{ticket.kind}:{ticket.priority}"}).first() is None:
        policy = default_policy(ticket.kind, ticket.priority)  # never set: no need to look back
    else:
        policy = policy_as_of(conn, ticket.kind, ticket.priority, _sla_as_of(conn, ticket_id))
    due = deadlines(policy, ticket.created_at, pauses, ticket.first_response_at)
    _update(
        conn,
        TICKET,
        ticket_id,
        {
            "sla_response_due": due.response_due,
            "sla_resolution_due": due.resolution_due,
            "sla_paused_at": due.paused_at,
        },
    )


@handles("ticket.status_changed")
@handles("ticket.reopened")
def _ticket_status(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    current = _row(conn, TICKET, ev.entity_id)
    if current is None:
        defer(conn, ev)
        return
    values, history = fold_status(_status_rows(conn, ev.entity_id))
    if current.updated_at < _when(ev):
        values["updated_at"] = _when(ev)
    _update(conn, TICKET, ev.entity_id, values)
    refresh_sla(conn, ev.entity_id, history)


@handles("ticket.consulted")
@handles("ticket.department_replied")
@handles("ticket.linked")
@handles("ticket.merged")
def _ticket_touched(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    """Grow-only facts kept in the log (the timeline shows them); the ticket is touched."""
    _touch(conn, ev)


@handles("sla.policy_set")
def _sla_policy_set(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    """A supervisor's target for one kind and priority; last writer wins per field."""
    row = {k: data[k] for k in ("kind", "priority", "first_response_minutes", "resolution_minutes", "mode")}
    _create(conn, SLA_POLICY, "sla_policy", ev, row)
    newest = conn.execute(select(func.max(EVENT.c.hlc))).scalar() or 0
    if newest > ev.hlc:  # arrived late (another desk's change): tickets that came after it follow it
        tickets = select(TICKET.c.id).where(TICKET.c.kind == data["kind"], TICKET.c.priority == data["priority"])
        for ticket_id in conn.execute(tickets).scalars().all():
            if _sla_as_of(conn, ticket_id) > ev.hlc:
                refresh_sla(conn, ticket_id)


@handles("ticket.note_added")
def _ticket_note(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "id": data["note_id"],
        "ticket_id": ev.entity_id,
        "author_id": ev.actor,
        "body": data["body"],
        "created_at": _when(ev),
    }
    conn.execute(_NOTE_INSERT, row)
    _touch(conn, ev)


def rebuild(conn: Connection) -> int:
    """Empty every projection and re-apply the whole log in HLC order; return events applied."""
    for name in PROJECTION_TABLES:
        conn.execute(delete(SQLModel.metadata.tables[name]))
    count = 0
    for ev in iter_events(conn):
        reduce(conn, ev)
        count += 1
    return count


# --------------------------------------------------------------------------- knowledge base
def _kb_tables() -> tuple[Table, Table]:
    from csdesk.data.kb_tables import KbGapRow, TicketKbUseRow

    return KbGapRow.__table__, TicketKbUseRow.__table__  # type: ignore[return-value]


@handles("ticket.kb_used")
def _ticket_kb_used(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    """An article version answered the ticket (grow-only, keyed by the event)."""
    _, uses = _kb_tables()
    row = {
        "id": ev.event_id,
        "ticket_id": ev.entity_id,
        "article_id": data["article_id"],
        "language": data["language"],
        "version": int(data["version"]),
        "used_by": ev.actor,
        "used_at": _when(ev),
    }
    conn.execute(sqlite_insert(uses).on_conflict_do_nothing(index_elements=["id"]), row)
    _touch(conn, ev)


@handles("kb.gap_reported")
def _kb_gap_reported(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    gaps, _ = _kb_tables()
    row = {
        "id": ev.entity_id,
        "ticket_id": data.get("ticket_id"),
        "article_id": data.get("article_id"),
        "language": data.get("language"),
        "query": data.get("query") or "",
        "text": data["text"],
        "status": "open",
        "reported_by": ev.actor,
        "reported_at": _when(ev),
    }
    conn.execute(sqlite_insert(gaps).on_conflict_do_nothing(index_elements=["id"]), row)


@handles("kb.gap_resolved")
def _kb_gap_resolved(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    gaps, _ = _kb_tables()
    conn.execute(
        update(gaps)
        .where(gaps.c.id == ev.entity_id, gaps.c.status == "open")
        .values(status="resolved", resolved_by=ev.actor, resolved_at=_when(ev))
    )


@handles("kb.article_edited")
def _kb_article_edited(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    """A version written in the in-app editor (idempotent by event id; see knowledge.apply_version)."""
    from csdesk.data.knowledge import apply_edit_event

    apply_edit_event(conn, ev.event_id, ev.actor, _when(ev), data)
from csdesk.data import business_reducer as _business_reducer  # noqa: E402,F401  (business.* handlers)
from csdesk.data import callback_reducer as _callback_reducer  # noqa: E402,F401  (callbacks room)
from csdesk.data import complaint_reducer as _complaint_reducer  # noqa: E402,F401  (complaint.* handlers)
from csdesk.data import conflicts_reducer as _conflicts_reducer  # noqa: E402,F401  (conflict.resolved)
from csdesk.data import retention as _retention  # noqa: E402,F401  (retention purge handler)
from csdesk.data import supervisor_reducer as _supervisor_reducer  # noqa: E402,F401  (supervisor room handlers)
from csdesk.data import survey_reducer as _survey_reducer  # noqa: E402,F401  (survey.* handlers)
