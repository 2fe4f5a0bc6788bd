"""Retention purge: records closed longer ago than the retention period are removed, audited.

A purge is one write transaction:

1. the closed tickets past the cut-off, and the customers no remaining record refers to,
   are chosen;
2. one ``retention.purged`` event names them (ids only, no customer data); its reducer
   handler deletes their projection rows;
3. every earlier event about them has its payload replaced by a redaction marker that
   keeps the payload's SHA-256 digest (:func:`csdesk.data.eventlog.redaction_marker`).

The hash chain covers payloads by digest, so ``csdesk audit verify`` still passes after a
purge, while a marker on any record *not* named by a purge is reported as tampering. A
rebuild skips redacted events, so projections still equal a rebuild from the log.

Rooms whose tables hang off tickets or customers extend :data:`TICKET_CHILDREN` (rows
deleted with their ticket) and :data:`CUSTOMER_REFERENCES` (a customer referred to there
is kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, bindparam, delete, select, update

from csdesk.data.api import PurgeReport
from csdesk.data.eventlog import EVENT, PURGE_KIND, EventData, is_redacted, redaction_marker
from csdesk.data.reducer import CLOCK, CONFLICT, CUSTOMER, TICKET, handles
from csdesk.data.tables import SQLModel
from csdesk.domain.retention import check_years, retention_cutoff
from csdesk.domain.roles import Permission

if TYPE_CHECKING:
    from csdesk.data.store import Store

#: (table, column naming the ticket): rows removed together with a purged ticket.
TICKET_CHILDREN: list[tuple[str, str]] = [("ticket_note", "ticket_id"), ("ticket_kb_use", "ticket_id")]
#: (table, column naming a customer): a customer referred to by a remaining row is kept.
CUSTOMER_REFERENCES: list[tuple[str, str]] = [("ticket", "customer_id")]
_CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _table(name: str) -> Any:
    return SQLModel.metadata.tables.get(name)


def _expired_tickets(conn: Connection, cutoff: Any) -> list[str]:
    rows = conn.execute(
        select(TICKET.c.id).where(TICKET.c.status == "closed", TICKET.c.closed_at < cutoff).order_by(TICKET.c.id)
    )
    return [r.id for r in rows]


def _orphan_customers(conn: Connection, cutoff: Any, purged_tickets: set[str]) -> list[str]:
    """Customers untouched since ``cutoff`` whom no remaining record refers to."""
    candidates = {r.id for r in conn.execute(select(CUSTOMER.c.id).where(CUSTOMER.c.updated_at < cutoff))}
    for name, column in CUSTOMER_REFERENCES:
        table = _table(name)
        if table is None or not candidates:
            continue
        stmt = select(table.c[column]).where(table.c[column].is_not(None))
        if name == "ticket":
            rows = conn.execute(stmt.add_columns(TICKET.c.id))
            candidates -= {r[0] for r in rows if r[1] not in purged_tickets}
        else:
            candidates -= {r[0] for r in conn.execute(stmt)}
    return sorted(candidates)


def purge_closed(store: Store, actor_id: str, years: int) -> PurgeReport:
    """Remove tickets closed more than ``years`` ago and customers left without records (supervisors)."""
    store._require(actor_id, Permission.RETENTION_PURGE)
    years = check_years(years)
    cutoff = retention_cutoff(store.clock.now(), years)
    with store._read() as conn:
        tickets = _expired_tickets(conn, cutoff)
        customers = _orphan_customers(conn, cutoff, set(tickets))
    entities = {"ticket": tickets, "customer": customers}
    payload = {"cutoff": cutoff.isoformat(), "years": years, "entities": entities}
    redacted: list[int] = []

    def redact(conn: Connection, written: list[EventData]) -> None:
        redacted.append(_redact(conn, written[0], entities))

    [ev] = store._write(actor_id, [("retention", "purge", PURGE_KIND, payload)], then=redact)
    return PurgeReport(cutoff, years, len(tickets), len(customers), redacted[0], ev.event_id)


def _redact(conn: Connection, purge: EventData, entities: dict[str, list[str]]) -> int:
    """Replace the payloads of earlier events about ``entities`` by markers; return how many."""
    count = 0
    purge_seq = int(conn.execute(select(EVENT.c.seq).where(EVENT.c.event_id == purge.event_id)).scalar_one())
    _set = update(EVENT).where(EVENT.c.seq == bindparam("_seq")).values(payload=bindparam("_payload"))
    for entity, ids in entities.items():
        for chunk in _chunks(ids):
            rows = conn.execute(
                select(EVENT.c.seq, EVENT.c.payload).where(
                    EVENT.c.entity == entity, EVENT.c.entity_id.in_(chunk), EVENT.c.seq < purge_seq
                )
            ).all()
            changes = [
                {"_seq": r.seq, "_payload": redaction_marker(r.payload, purge.event_id)}
                for r in rows
                if not is_redacted(r.payload)
            ]
            if changes:
                conn.execute(_set, changes)
            count += len(changes)
    return count


def _delete_in(conn: Connection, table: Any, column: str, ids: Iterable[str]) -> None:
    for chunk in _chunks(list(ids)):
        conn.execute(delete(table).where(table.c[column].in_(chunk)))


@handles(PURGE_KIND)
def _purged(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    """Delete the projection rows of the purged records (nothing, when a rebuild never made them)."""
    entities: dict[str, list[str]] = data.get("entities") or {}
    tickets = entities.get("ticket", [])
    for name, column in TICKET_CHILDREN:
        table = _table(name)
        if table is not None:
            _delete_in(conn, table, column, tickets)
    for entity, ids in entities.items():
        for chunk in _chunks(ids):
            conn.execute(delete(CLOCK).where(and_(CLOCK.c.entity == entity, CLOCK.c.entity_id.in_(chunk))))
            conn.execute(delete(CONFLICT).where(and_(CONFLICT.c.entity == entity, CONFLICT.c.entity_id.in_(chunk))))
    _delete_in(conn, TICKET, "id", tickets)
    _delete_in(conn, CUSTOMER, "id", entities.get("customer", []))
