"""The local side of sync (``store.sync``): pending pushes, acks, pull cursor, pulled events.

Other desks' events are applied through the same reducer as this desk's own.

Bookkeeping lives in the ``meta`` table (``sync.pushed_seq``, ``sync.cursor``) so it is
written in the same SQLite transaction as the events it describes: an acknowledgement
or a cursor is never ahead of what the store holds.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from csdesk.data.batch_apply import apply_new_tickets, fresh_events, log_events, split_new_tickets
from csdesk.data.engine import WRITE_OPTION
from csdesk.data.eventlog import EVENT, FIELDS, RAW_COLUMNS, EventData, events_from_raw
from csdesk.data.reducer import CONFLICT, reduce
from csdesk.data.sync_tables import SyncQuarantine
from csdesk.data.tables import Meta
from csdesk.domain.hlc import unpack

if TYPE_CHECKING:
    from csdesk.data.store import Store

META = Meta.__table__
QUARANTINE = SyncQuarantine.__table__
PUSHED_KEY = "sync.pushed_seq"
CURSOR_KEY = "sync.cursor"
_META_UPSERT = sqlite_insert(META)
META_UPSERT = _META_UPSERT.on_conflict_do_update(index_elements=["key"], set_={"value": _META_UPSERT.excluded.value})
_EVENT_INSERT = sqlite_insert(EVENT).on_conflict_do_nothing()
_PENDING = f"SELECT {RAW_COLUMNS} FROM event WHERE desk_id = ? AND desk_seq > ? ORDER BY desk_seq LIMIT ?"
_QUARANTINE_INSERT = sqlite_insert(QUARANTINE).on_conflict_do_nothing(index_elements=["event_id"])


@dataclass(frozen=True, slots=True)
class Cursor:
    """Position in the shared log: every event with (xid, server_seq) up to here was seen."""

    xid: int = 0
    server_seq: int = 0

    def encode(self) -> str:
        """The form kept in ``meta``."""
        return f"{self.xid}:{self.server_seq}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor:
        """Read the form kept in ``meta`` (a missing one is the start)."""
        if not text:
            return cls()
        xid, seq = text.split(":")
        return cls(int(xid), int(seq))


@dataclass(frozen=True, slots=True)
class ApplyReport:
    """What applying one pulled page did."""

    applied: int
    duplicates: int
    quarantined: list[tuple[str, str]]
    #: True when the page could not be applied in bulk and was applied one event at a time.
    one_by_one: bool = False


@dataclass(frozen=True, slots=True)
class LocalSyncState:
    """Counts the header shows."""

    pending: int
    conflicts: int
    quarantined: int


def problem_with(ev: EventData) -> str | None:
    """Why ``ev`` may not enter a shared or local log, or None when it is well formed.

    An event must carry its own hash (content not edited since it was written), a valid
    HLC, a kind and an entity, and a JSON object payload the shared database can store
    (PostgreSQL's jsonb refuses the NUL character).
    """
    return checked(ev)[0]


def checked(ev: EventData, *, hash_verified: bool = False) -> tuple[str | None, dict[str, Any]]:
    """``(why ev is refused or None, its decoded payload)``: :func:`problem_with` keeping the payload it decoded.

    ``hash_verified``: the shared database recomputed the hash from the same row and it
    matched (:data:`csdesk.sync.pull.SERVER_HASH_OK`), so it is not computed again here.
    """
    try:
        unpack(ev.hlc)
    except (ValueError, TypeError):
        return f"invalid HLC value {ev.hlc!r}", {}
    if not ev.kind or not ev.entity or not ev.entity_id or not ev.desk_id or ev.desk_seq < 1:
        return "kind, entity, entity id, desk id and a positive desk sequence are required", {}
    try:
        data = json.loads(ev.payload)
    except (ValueError, TypeError):
        return "the payload is not JSON", {}
    if not isinstance(data, dict):
        return "the payload is not a JSON object", {}
    if "\\u0000" in ev.payload or "\x00" in ev.payload:
        return "the payload holds a NUL character", {}
    if not hash_verified and ev.hash != ev.content_hash(ev.prev_hash):
        return "the event's content does not match its hash", {}
    return None, data


@dataclass(frozen=True, slots=True)
class CheckedPage:
    """A pulled page with every event checked (:func:`checked`): the good, the refused, the payloads."""

    events: list[EventData]
    good: list[EventData]
    bad: list[tuple[EventData, str]]
    payloads: dict[str, dict[str, Any]]


def check_page(events: Sequence[EventData], hash_verified: Sequence[bool] = ()) -> CheckedPage:
    """Check every event of a page; pure, so it needs neither the store nor its lock.

    ``hash_verified`` may say, per event, that the shared database has checked its hash.
    """
    good: list[EventData] = []
    bad: list[tuple[EventData, str]] = []
    payloads: dict[str, dict[str, Any]] = {}
    verified = list(hash_verified) or [False] * len(events)
    for ev, server_checked in zip(events, verified, strict=True):
        reason, data = checked(ev, hash_verified=server_checked)
        if reason is None:
            good.append(ev)
            payloads[ev.event_id] = data
        else:
            bad.append((ev, reason))
    return CheckedPage(list(events), good, bad, payloads)


class SyncLedger:
    """Local sync bookkeeping of one store; reached as ``store.sync``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _meta(self, conn: Connection, key: str) -> str | None:
        return conn.execute(select(META.c.value).where(META.c.key == key)).scalar()

    def _writer(self) -> Connection:
        return self.store._engine.connect().execution_options(**{WRITE_OPTION: True})

    @contextlib.contextmanager
    def _replayable_writer(self) -> Iterator[Connection]:
        """A write connection whose commits wait for no disk flush, for pages the shared log still holds.

        In WAL mode ``synchronous=NORMAL`` keeps every transaction atomic and the file
        consistent; a power cut may only lose the newest commits. For a pulled page that
        loses the events *and* its cursor together, so the next pull fetches them again.
        The connection goes back to the pool with the store's ``FULL`` setting (or is
        discarded when that cannot be restored).
        """
        conn = self._writer()
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA synchronous=NORMAL")
        try:
            yield conn
        finally:
            try:
                raw.execute("PRAGMA synchronous=FULL")
            except Exception:  # noqa: BLE001 - never hand a relaxed connection to the next writer
                conn.invalidate()
            conn.close()

    # ----------------------------------------------------------------- push side
    def pushed_seq(self) -> int:
        """The highest desk sequence of this desk the shared database acknowledged."""
        with self.store._read() as conn:
            return int(self._meta(conn, PUSHED_KEY) or 0)

    def pending(self, limit: int, *, after: int | None = None) -> list[EventData]:
        """Unacknowledged events of this desk, oldest first, at most ``limit``.

        ``after``: start past this desk sequence instead of the last acknowledged one (a
        push reads the next batch while the current one is still on the server).
        """
        with self.store._read() as conn:
            acked = int(self._meta(conn, PUSHED_KEY) or 0) if after is None else after
            raw = conn.connection.dbapi_connection
            assert raw is not None
            rows = raw.execute(_PENDING, (self.store.desk_id, acked, limit)).fetchall()  # no per-row layers
            return events_from_raw(rows)

    def ack(self, upto_seq: int, quarantined: Sequence[tuple[EventData, str]] = ()) -> None:
        """Record that the shared database holds (or quarantined) every event up to ``upto_seq``."""
        with self.store._lock, self._writer() as conn, conn.begin():
            current = int(self._meta(conn, PUSHED_KEY) or 0)
            if upto_seq > current:
                conn.execute(META_UPSERT, {"key": PUSHED_KEY, "value": str(upto_seq)})
            self._quarantine(conn, quarantined)

    def _quarantine(self, conn: Connection, items: Sequence[tuple[EventData, str]]) -> None:
        now = self.store.clock.now()
        for ev, reason in items:
            row = {
                "event_id": ev.event_id,
                "desk_id": ev.desk_id,
                "desk_seq": ev.desk_seq,
                "kind": ev.kind,
                "reason": reason,
                "raw": ev.payload[:10_000],
                "quarantined_at": now,
            }
            conn.execute(_QUARANTINE_INSERT, row)

    # ----------------------------------------------------------------- pull side
    def cursor(self) -> Cursor:
        """Where the next pull starts."""
        with self.store._read() as conn:
            return Cursor.decode(self._meta(conn, CURSOR_KEY))

    def apply_pulled(self, events: Sequence[EventData] | CheckedPage, cursor: Cursor) -> ApplyReport:
        """Store and apply other desks' events, and move the cursor, in ONE local transaction.

        An event already in the log is skipped (re-delivery is harmless). A malformed event,
        or one the reducer cannot apply, is kept out of the log and recorded in
        ``sync_quarantine``; the rest still apply. ``events`` may come checked already
        (:func:`check_page`, which the pull runs with the shared database's hash verdicts,
        before the store's write lock is taken).
        """
        page = events if isinstance(events, CheckedPage) else check_page(events)
        with self.store._lock, self._replayable_writer() as conn, conn.begin():
            try:
                with conn.begin_nested():
                    report = self._apply_page(conn, page)
            except Exception:  # noqa: BLE001 - a poison event: redo one by one to isolate it
                report = self._apply_each(conn, page)
            conn.execute(META_UPSERT, {"key": CURSOR_KEY, "value": cursor.encode()})
        self.store._policy_cache.clear()  # a pulled event may have changed an SLA policy
        return report

    def _apply_page(self, conn: Connection, page: CheckedPage) -> ApplyReport:
        """The whole page at once: new tickets folded in bulk, every other event through the reducer."""
        good, bad = page.good, page.bad
        fresh = fresh_events(conn, good)
        new, rest = split_new_tickets(conn, fresh)
        log_events(conn, [ev for evs in new.values() for ev in evs])
        apply_new_tickets(conn, new, fresh, page.payloads)
        applied, duplicates = len(fresh) - len(rest), len(good) - len(fresh)
        for ev in rest:
            applied, duplicates = self._apply_one(conn, ev, applied, duplicates)
        self._quarantine(conn, bad)
        return ApplyReport(applied, duplicates, [(ev.event_id, reason) for ev, reason in bad])

    def _apply_each(self, conn: Connection, page: CheckedPage) -> ApplyReport:
        """One savepoint per event, so that one the reducer cannot apply is isolated (the checks are the page's)."""
        applied = duplicates = 0
        refused = {ev.event_id: reason for ev, reason in page.bad}
        bad: list[tuple[EventData, str]] = []
        for ev in page.events:
            reason = refused.get(ev.event_id)
            if reason is not None:
                bad.append((ev, reason))
                continue
            try:
                with conn.begin_nested():
                    applied, duplicates = self._apply_one(conn, ev, applied, duplicates)
            except Exception as exc:  # noqa: BLE001 - any failure of one event must not block the rest
                bad.append((ev, f"cannot be applied: {type(exc).__name__}: {str(exc)[:200]}"))
        self._quarantine(conn, bad)
        return ApplyReport(applied, duplicates, [(ev.event_id, reason) for ev, reason in bad], one_by_one=True)

    @staticmethod
    def _apply_one(conn: Connection, ev: EventData, applied: int, duplicates: int) -> tuple[int, int]:
        row = {name: getattr(ev, name) for name in FIELDS}
        if conn.execute(_EVENT_INSERT, row).rowcount == 0:
            return applied, duplicates + 1
        reduce(conn, ev)
        return applied + 1, duplicates

    # ----------------------------------------------------------------- state
    def state(self) -> LocalSyncState:
        """Pending pushes, unresolved conflicts and locally quarantined events."""
        with self.store._read() as conn:
            acked = int(self._meta(conn, PUSHED_KEY) or 0)
            pending = conn.execute(
                select(func.count()).where(EVENT.c.desk_id == self.store.desk_id, EVENT.c.desk_seq > acked)
            ).scalar()
            conflicts = conn.execute(select(func.count()).where(CONFLICT.c.resolved.is_(False))).scalar()
            quarantined = conn.execute(select(func.count()).select_from(QUARANTINE)).scalar()
        return LocalSyncState(int(pending or 0), int(conflicts or 0), int(quarantined or 0))
