"""Push: this desk's unacknowledged events to the shared log, one short transaction per batch.

A batch is first sent the optimistic way: one ``COPY`` straight into ``events``, with the
clock flags computed here from the server clock read once at the start of the
transaction. If the server refuses it — a unique violation, when the batch was already
pushed before a crash between the server's commit and the local acknowledgement, or a
desk id reused by a new store; or any other error — the transaction is rolled back and
the batch goes the staged way: copied into a session-local staging table and inserted
with ``ON CONFLICT DO NOTHING`` (``UNIQUE(event_id)``, ``UNIQUE(desk_id, desk_seq)``), so
a replayed batch is harmless. Malformed events, events whose HLC is more than a day
ahead of the server clock, and events whose desk sequence the server already holds under
another id are quarantined with the reason and acknowledged, never blocking the queue.
HLCs more than five minutes ahead are accepted and flagged (``events.clock_ahead_ms``).
While the server takes one batch, the next is read and checked on a helper thread
(:mod:`csdesk.sync.read_ahead`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import psycopg

from csdesk.data.eventlog import FIELDS, EventData
from csdesk.data.store import Store
from csdesk.data.sync_ledger import problem_with
from csdesk.sync.read_ahead import ReadAhead
from csdesk.sync.server import CONNECTION_ERRORS

DEFAULT_BATCH = 2000
FLAG_AHEAD_MS = 5 * 60 * 1000
REFUSE_AHEAD_MS = 24 * 60 * 60 * 1000
COLUMNS = ", ".join(FIELDS)
COPY_COLUMNS = (*FIELDS, "clock_ahead_ms")
#: Binary COPY: about twice as fast as text ``write_row`` or text built here (measured).
COPY_EVENTS = f"COPY events ({', '.join(COPY_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
COPY_TYPES = tuple(
    {"desk_seq": "int8", "hlc": "int8", "recorded_at": "timestamptz", "clock_ahead_ms": "int8"}.get(name, "text")
    for name in COPY_COLUMNS
)
SERVER_NOW_MS = "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint"
TOO_FAR_REASON = "clock more than a day ahead of the server"

STAGE = """
CREATE TEMP TABLE IF NOT EXISTS push_stage (
    event_id text, desk_id text, desk_seq bigint, hlc bigint, actor text, entity text, entity_id text,
    kind text, payload text, prev_hash text, hash text, recorded_at timestamptz
) ON COMMIT DELETE ROWS
"""
_AHEAD = "((s.hlc >> 16) - (extract(epoch FROM clock_timestamp()) * 1000)::bigint)"
TOO_FAR = f"""
INSERT INTO quarantine (event_id, desk_id, desk_seq, kind, reason, raw)
SELECT s.event_id, s.desk_id, s.desk_seq, s.kind, '{TOO_FAR_REASON}', left(s.payload, 10000)
FROM push_stage s WHERE {_AHEAD} > {REFUSE_AHEAD_MS}
ON CONFLICT DO NOTHING
RETURNING event_id
"""
INSERT = f"""
INSERT INTO events ({COLUMNS}, clock_ahead_ms)
SELECT {", ".join("s." + name for name in FIELDS)}, CASE WHEN {_AHEAD} > {FLAG_AHEAD_MS} THEN {_AHEAD} END
FROM push_stage s WHERE {_AHEAD} <= {REFUSE_AHEAD_MS}
ORDER BY s.desk_seq
ON CONFLICT DO NOTHING
"""
#: One index probe per staged event (``LATERAL ... LIMIT 1`` keeps the planner from
#: hashing the whole shared log for every batch, which made a push O(log size)).
COLLISIONS = """
SELECT s.event_id FROM push_stage s
CROSS JOIN LATERAL (
    SELECT e.event_id FROM events e WHERE e.desk_id = s.desk_id AND e.desk_seq = s.desk_seq LIMIT 1
) AS e
WHERE e.event_id <> s.event_id
"""
QUARANTINE_ONE = """
INSERT INTO quarantine (event_id, desk_id, desk_seq, kind, reason, raw) VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT DO NOTHING
"""
FLAGGED = "SELECT count(*) FROM events WHERE desk_id = %s AND desk_seq BETWEEN %s AND %s AND clock_ahead_ms IS NOT NULL"


@dataclass(slots=True)
class PushReport:
    """What a push did."""

    pushed: int = 0
    batches: int = 0
    flagged: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)


def push(
    conn: psycopg.Connection, store: Store, *, batch: int = DEFAULT_BATCH, max_batches: int | None = None
) -> PushReport:
    """Push every unacknowledged event of ``store`` (or ``max_batches`` batches of them)."""
    report = PushReport()
    with ReadAhead(_checked_batches(store, batch, max_batches), "csdesk-push-read-ahead") as batches:
        for checked in batches:
            events = checked.events
            refused, flagged = _push_checked(conn, checked)
            store.sync.ack(events[-1].desk_seq, refused)
            report.batches += 1
            report.pushed += len(events) - len(refused)
            report.quarantined.extend((ev.event_id, reason) for ev, reason in refused)
            report.flagged += flagged if flagged is not None else _flagged(conn, events)
    return report


def push_batch(conn: psycopg.Connection, events: Sequence[EventData]) -> list[tuple[EventData, str]]:
    """Send one batch in one transaction; return the events quarantined (with reasons).

    Connection faults propagate (nothing is acknowledged, the batch is sent again later).
    """
    return _push_checked(conn, check(list(events)))[0]


@dataclass(slots=True)
class CheckedBatch:
    """Events of one batch in desk order, and those that failed the local checks (with the reason)."""

    events: list[EventData]
    refused: list[tuple[EventData, str]]


def check(events: list[EventData]) -> CheckedBatch:
    """The batch with the events that fail ``problem_with`` set apart."""
    return CheckedBatch(events, [(ev, reason) for ev in events if (reason := problem_with(ev)) is not None])


def _checked_batches(store: Store, batch: int, max_batches: int | None) -> Iterator[CheckedBatch]:
    """Pending batches, read and checked (on the read-ahead thread) before the previous one is acked."""
    after, count = store.sync.pushed_seq(), 0
    while max_batches is None or count < max_batches:
        events = store.sync.pending(batch, after=after)
        if not events:
            return
        yield check(events)
        after, count = events[-1].desk_seq, count + 1


def _push_checked(conn: psycopg.Connection, checked: CheckedBatch) -> tuple[list[tuple[EventData, str]], int | None]:
    """Send a checked batch: the optimistic ``COPY``, else the staged path.

    Returns the events quarantined and the number flagged as ahead of the server clock
    (None when the staged path ran: the caller then asks the server).
    """
    try:
        return _copy_batch(conn, checked)
    except CONNECTION_ERRORS:
        raise
    except psycopg.DatabaseError:
        pass  # rolled back: replayed, colliding or refused by the database
    return _staged_batch(conn, checked), None


def _copy_batch(conn: psycopg.Connection, checked: CheckedBatch) -> tuple[list[tuple[EventData, str]], int]:
    """One transaction: quarantine what is refused, ``COPY`` the rest straight into ``events``."""
    refused = list(checked.refused)
    bad_ids = {ev.event_id for ev, _ in refused}
    with conn.transaction(), conn.cursor() as cur:
        row = cur.execute(SERVER_NOW_MS).fetchone()
        now_ms = int(row[0]) if row else 0
        rows: list[tuple[EventData, int | None]] = []
        for ev in checked.events:
            if ev.event_id in bad_ids:
                continue
            ahead = (ev.hlc >> 16) - now_ms
            if ahead > REFUSE_AHEAD_MS:
                refused.append((ev, TOO_FAR_REASON))
            else:
                rows.append((ev, ahead if ahead > FLAG_AHEAD_MS else None))
        _quarantine(conn, refused)
        if rows:
            with cur.copy(COPY_EVENTS) as copy:
                copy.set_types(COPY_TYPES)
                for ev, ahead in rows:
                    copy.write_row(
                        (ev.event_id, ev.desk_id, ev.desk_seq, ev.hlc, ev.actor, ev.entity, ev.entity_id, ev.kind,
                         ev.payload, ev.prev_hash, ev.hash, ev.recorded_at, ahead)
                    )  # fmt: skip
    order = {ev.event_id: n for n, ev in enumerate(checked.events)}
    refused.sort(key=lambda item: order[item[0].event_id])
    return refused, sum(1 for _, ahead in rows if ahead is not None)


def _staged_batch(conn: psycopg.Connection, checked: CheckedBatch) -> list[tuple[EventData, str]]:
    """The staged path: ``ON CONFLICT DO NOTHING``; any other database error isolates the culprit."""
    events, refused = checked.events, list(checked.refused)
    reasons = {ev.event_id: reason for ev, reason in refused}
    good = [ev for ev in events if ev.event_id not in reasons]
    try:
        with conn.transaction():
            _quarantine(conn, refused)
            refused += _send(conn, good)
        return refused
    except CONNECTION_ERRORS:
        raise
    except psycopg.DatabaseError:
        pass
    refused = []
    for ev in events:
        reason = reasons.get(ev.event_id)
        try:
            with conn.transaction():
                if reason is None:
                    refused += _send(conn, [ev])
                    continue
        except CONNECTION_ERRORS:
            raise
        except psycopg.DatabaseError as exc:
            reason = f"refused by the shared database: {str(exc).splitlines()[0][:200]}"
        with conn.transaction():
            _quarantine(conn, [(ev, reason)])
        refused.append((ev, reason))
    return refused


def _send(conn: psycopg.Connection, events: Sequence[EventData]) -> list[tuple[EventData, str]]:
    if not events:
        return []
    with conn.cursor() as cur:
        cur.execute(STAGE)
        with cur.copy(f"COPY push_stage ({COLUMNS}) FROM STDIN") as copy:
            for ev in events:
                copy.write_row([getattr(ev, name) for name in FIELDS])
        too_far = {row[0] for row in cur.execute(TOO_FAR).fetchall()}
        cur.execute(INSERT)
        collided = {row[0] for row in cur.execute(COLLISIONS).fetchall()}
    refused = [(ev, TOO_FAR_REASON) for ev in events if ev.event_id in too_far]
    clash = [ev for ev in events if ev.event_id in collided]
    reason = "the shared log already holds another event with this desk and sequence (desk id reused?)"
    _quarantine(conn, [(ev, reason) for ev in clash])
    return refused + [(ev, reason) for ev in clash]


def _quarantine(conn: psycopg.Connection, items: Sequence[tuple[EventData, str]]) -> None:
    for ev, reason in items:
        raw = ev.payload[:10_000].replace("\x00", "\\u0000")
        conn.execute(QUARANTINE_ONE, (ev.event_id, ev.desk_id, ev.desk_seq, ev.kind or "?", reason, raw))


def _flagged(conn: psycopg.Connection, events: Sequence[EventData]) -> int:
    row = conn.execute(FLAGGED, (events[0].desk_id, events[0].desk_seq, events[-1].desk_seq)).fetchone()
    conn.commit()
    return int(row[0]) if row else 0
