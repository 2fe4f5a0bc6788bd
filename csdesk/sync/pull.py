"""Pull: other desks' events from the shared log, by a cursor that cannot skip any.

The cursor is ``(xid, server_seq)``: each row carries the id of the transaction that
inserted it (``pg_current_xact_id()``, an ``xid8``), and a pull reads only rows whose
transaction id is below ``pg_snapshot_xmin(pg_current_snapshot())`` — every transaction
below that horizon has ended, so no row can later appear behind the cursor. A bare
sequence would skip a transaction that took its numbers early and committed late.
Each page is applied through the reducer and the cursor saved in the same local
transaction (:meth:`csdesk.data.sync_ledger.SyncLedger.apply_pulled`).

The ``ORDER BY`` names the table's columns: a bare ``xid`` would mean the ``xid::text``
output column, sorting transaction 10 before 9 (a cursor saved inside 10's rows would
then pass over 9's) and forcing a sort of every row above the cursor instead of a walk
of the ``(xid, server_seq)`` index that stops at the page size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg

from csdesk.data.eventlog import FIELDS, EventData, stored_time
from csdesk.data.store import Store
from csdesk.data.sync_ledger import CheckedPage, Cursor, check_page
from csdesk.sync.read_ahead import ReadAhead

#: Events per page (one local transaction each). 10 000 pulls a 100k backlog about 15 %
#: faster than 5 000 (measured) and holds the store's write lock for about 0.4 s a page,
#: which a desk only meets while catching up after an outage.
DEFAULT_PAGE = 10_000
#: The event's hash recomputed by the server: :func:`csdesk.data.eventlog.compute_hash`
#: written in SQL (``to_json(text)`` escapes as Python's JSON encoder does, the time as
#: ``isoformat()`` of the UTC time). True means the row's content hashes to the hash it
#: carries; anything else (a redaction marker, a character escaped differently) is
#: checked by the desk in Python, which stays the authority. SHA-256 makes a false
#: "true" impossible: the texts hashed would have to be the ones the writing desk hashed.
_UTC = "(recorded_at AT TIME ZONE 'UTC')"
SERVER_HASH_OK = f"""
    CASE WHEN starts_with(payload, '{{"_redacted":') THEN NULL ELSE hash = encode(sha256(convert_to(
        prev_hash || '[' || to_json(event_id)::text || ',' || to_json(desk_id)::text || ',' || desk_seq || ','
        || hlc || ',' || to_json(actor)::text || ',' || to_json(entity)::text || ',' || to_json(entity_id)::text
        || ',' || to_json(kind)::text || ',"' || encode(sha256(convert_to(payload, 'UTF8')), 'hex') || '","'
        || to_char({_UTC}, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN extract(microseconds FROM {_UTC})::bigint %% 1000000 = 0 THEN ''
                ELSE to_char({_UTC}, '.US') END
        || '+00:00"]', 'UTF8')), 'hex') END
"""
PULL = f"""
SELECT xid::text, server_seq, {", ".join(FIELDS[:-1])},
       to_char({_UTC}, 'YYYY-MM-DD HH24:MI:SS.US'), {SERVER_HASH_OK}
FROM events
WHERE (xid, server_seq) > (%s::text::xid8, %s)
  AND xid < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY events.xid, events.server_seq
LIMIT %s
"""


#: Rows above the cursor are read by walking the ``(xid, server_seq)`` index, which stops
#: at the page size. When the planner underestimates the rows above the cursor it picks a
#: bitmap scan and sorts *every* row above the cursor for each page (on disk past
#: ``work_mem``): a 100k backlog then costs O(n^2 / page). Sorting is ruled out for the
#: page query only (``SET LOCAL``, this transaction).
_WALK_THE_INDEX = "SET LOCAL enable_sort = off"


def fetch_page(conn: psycopg.Connection, cursor: Cursor, page: int) -> list[tuple[Any, ...]]:
    """The next ``page`` rows after ``cursor``, in cursor order.

    A row is ``(xid text, server_seq, *event fields)`` with ``recorded_at`` as the text the
    local store keeps (:func:`~csdesk.data.eventlog.stored_time_text`): the server formats
    the time, so applying a page does not (:func:`pulled_event`).
    """
    conn.execute(_WALK_THE_INDEX)
    rows = conn.execute(PULL, (str(cursor.xid), cursor.server_seq, page)).fetchall()
    conn.commit()
    return rows


def pulled_event(row: tuple[Any, ...]) -> EventData:
    """The event of a pulled row; its time is read from the stored text, so the two always agree."""
    return EventData(*row[2:13], stored_time(row[13]), row[13])


def _hash_verified(row: tuple[Any, ...]) -> bool:
    return row[14] is True


@dataclass(slots=True)
class PullReport:
    """What a pull did."""

    applied: int = 0
    duplicates: int = 0
    pages: int = 0
    #: Pages that could not be applied in bulk (a poison event, or a bulk-path failure).
    pages_one_by_one: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)


def pull(conn: psycopg.Connection, store: Store, *, page: int = DEFAULT_PAGE) -> PullReport:
    """Pull and apply every event other desks pushed since this desk's cursor.

    The next page is fetched while the current one is checked and applied
    (:func:`read_pages`): the server (which also recomputes the hashes) and the network
    work while the desk does. The checks stay on the applying thread: run beside the
    store's writes they cost more than they save, as every row SQLite writes hands the
    interpreter lock back and forth. Pages are applied one at a time, in cursor order,
    each with its cursor in one local transaction.
    """
    report = PullReport()
    own = store.desk_id

    def checked_events(rows: list[tuple[Any, ...]]) -> CheckedPage:
        theirs = [row for row in rows if row[3] != own]
        return check_page([pulled_event(row) for row in theirs], [_hash_verified(row) for row in theirs])

    with read_pages(conn, store.sync.cursor(), page) as pages:
        for cursor, rows in pages:
            done = store.sync.apply_pulled(checked_events(rows), cursor)
            report.pages += 1
            report.pages_one_by_one += done.one_by_one
            report.applied += done.applied
            report.duplicates += done.duplicates
            report.quarantined.extend(done.quarantined)
    return report


Page = tuple[Cursor, list[tuple[Any, ...]]]


def read_pages(conn: psycopg.Connection, cursor: Cursor, page: int) -> ReadAhead[Page]:
    """``(cursor after the page, rows)`` for every page after ``cursor``, fetched one page ahead.

    The fetching thread owns ``conn`` until the context ends (which waits for it), so the
    connection is never used by two threads at once; a fetch error (a dropped connection)
    is raised by the iteration after the pages fetched before it.
    """
    return ReadAhead(_pages(conn, cursor, page), name="csdesk-pull-read-ahead")


def _pages(conn: psycopg.Connection, cursor: Cursor, page: int) -> Iterator[Page]:
    while True:
        rows = fetch_page(conn, cursor, page)
        if rows:
            cursor = Cursor(int(rows[-1][0]), rows[-1][1])
            yield cursor, rows
        if len(rows) < page:
            return
