"""Push: this desk's unacknowledged events to the shared log, one short transaction per batch.

A batch is copied into a session-local staging table and inserted with
``ON CONFLICT DO NOTHING`` (``UNIQUE(event_id)``, ``UNIQUE(desk_id, desk_seq)``), so a
replayed batch — after a crash between the server's commit and the local
acknowledgement — is harmless. Malformed events, events whose HLC is more than a day
ahead of the server clock, and events whose desk sequence the server already holds under
another id are quarantined with the reason and acknowledged, never blocking the queue.
HLCs more than five minutes ahead are accepted and flagged (``events.clock_ahead_ms``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import psycopg

from csdesk.data.eventlog import FIELDS, EventData
from csdesk.data.store import Store
from csdesk.data.sync_ledger import problem_with
from csdesk.sync.server import CONNECTION_ERRORS

DEFAULT_BATCH = 2000
FLAG_AHEAD_MS = 5 * 60 * 1000
REFUSE_AHEAD_MS = 24 * 60 * 60 * 1000
COLUMNS = ", ".join(FIELDS)

STAGE = """
CREATE TEMP TABLE IF NOT EXISTS push_stage (
    event_id text, desk_id text, desk_seq bigint, hlc bigint, actor text, entity text, entity_id text,
    kind text, payload text, prev_hash text, hash text, recorded_at timestamptz
) ON COMMIT DELETE ROWS
"""
_AHEAD = "((s.hlc >> 16) - (extract(epoch FROM clock_timestamp()) * 1000)::bigint)"
TOO_FAR = f"""
INSERT INTO quarantine (event_id, desk_id, desk_seq, kind, reason, raw)
SELECT s.event_id, s.desk_id, s.desk_seq, s.kind, 'clock more than a day ahead of the server', left(s.payload, 10000)
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
    while max_batches is None or report.batches < max_batches:
        events = store.sync.pending(batch)
        if not events:
            break
        refused = push_batch(conn, events)
        store.sync.ack(events[-1].desk_seq, refused)
        report.batches += 1
        report.pushed += len(events) - len(refused)
        report.quarantined.extend((ev.event_id, reason) for ev, reason in refused)
        report.flagged += _flagged(conn, events)
    return report


def push_batch(conn: psycopg.Connection, events: Sequence[EventData]) -> list[tuple[EventData, str]]:
    """Send one batch in one transaction; return the events quarantined (with reasons).

    Connection faults propagate (nothing is acknowledged, the batch is sent again later).
    Any other database error isolates the culprit by sending the batch one event at a time.
    """
    refused = [(ev, reason) for ev in events if (reason := problem_with(ev)) is not None]
    bad_ids = {ev.event_id for ev, _ in refused}
    good = [ev for ev in events if ev.event_id not in bad_ids]
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
        reason = problem_with(ev)
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
    refused = [(ev, "clock more than a day ahead of the server") for ev in events if ev.event_id in too_far]
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
