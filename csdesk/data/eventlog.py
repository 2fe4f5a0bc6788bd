"""The event log: append with a gap-free per-desk sequence and a hash chain; verify it.

Each event's hash covers the previous event's hash of the same desk and the event's
canonical content, so editing, deleting or reordering a row breaks the chain at that row.

The payload enters the hash as its SHA-256 digest. A retention purge may therefore
replace an old payload by a *redaction marker* that keeps only that digest (see
:mod:`csdesk.data.retention`): the chain still verifies, and the customer data is gone.
A marker is accepted only on an event whose entity a ``retention.purged`` event names;
anywhere else it is reported as tampering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from json.encoder import encode_basestring  # the C escaper canonical_json uses (ensure_ascii=False)
from typing import Any

from sqlalchemy import Connection, insert, select

from csdesk.data.api import AuditReport
from csdesk.data.tables import Event

GENESIS_HASH = "0" * 64
PURGE_KIND = "retention.purged"
_REDACTED_PREFIX = '{"_redacted":"'

EVENT = Event.__table__
EVENT_INSERT = insert(EVENT)


@dataclass(frozen=True, slots=True)
class EventData:
    """An event as written to (or read from) the log."""

    event_id: str
    desk_id: str
    desk_seq: int
    hlc: int
    actor: str
    entity: str
    entity_id: str
    kind: str
    payload: str
    prev_hash: str
    hash: str
    recorded_at: datetime
    #: ``recorded_at`` as the store keeps it (:func:`stored_time_text`) when the source gave it
    #: ready-made (the shared database formats it for pulled events); not part of the event.
    stored_at: str | None = field(default=None, compare=False, repr=False)

    def data(self) -> dict[str, Any]:
        """The decoded payload."""
        return json.loads(self.payload)

    def content_hash(self, prev_hash: str) -> str:
        """The hash this event must carry when it follows ``prev_hash``."""
        return compute_hash(
            prev_hash, self.event_id, self.desk_id, self.desk_seq, self.hlc, self.actor, self.entity,
            self.entity_id, self.kind, self.payload, self.recorded_at,
        )


FIELDS = (
    "event_id",
    "desk_id",
    "desk_seq",
    "hlc",
    "actor",
    "entity",
    "entity_id",
    "kind",
    "payload",
    "prev_hash",
    "hash",
    "recorded_at",
)
EVENT_COLUMNS = [EVENT.c[name] for name in FIELDS]
HASHED_FIELDS = tuple(name for name in FIELDS if name not in ("prev_hash", "hash"))


def redaction_marker(payload: str, purge_event_id: str) -> str:
    """The payload text that replaces ``payload`` in a purge: its digest and the purge that removed it."""
    return canonical_json({"_redacted": payload_digest(payload), "purge": purge_event_id})


def is_redacted(payload: str) -> bool:
    """True when ``payload`` is a redaction marker (the data was purged)."""
    return payload.startswith(_REDACTED_PREFIX)


def payload_digest(payload: str) -> str:
    """SHA-256 of a payload's text; for a redaction marker, the digest it keeps."""
    if is_redacted(payload):
        return str(json.loads(payload)["_redacted"])
    return _sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


_sha256 = hashlib.sha256
_quote = encode_basestring
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the form that is hashed and stored."""
    return _CANONICAL.encode(value)


def compute_hash(
    prev_hash: str,
    event_id: str,
    desk_id: str,
    desk_seq: int,
    hlc: int,
    actor: str,
    entity: str,
    entity_id: str,
    kind: str,
    payload: str,
    recorded_at: datetime,
) -> str:
    """SHA-256 over the previous hash and the event's content (the payload by its digest).

    The content is the canonical JSON of a list, written out directly: byte for byte
    ``canonical_json([event_id, desk_id, desk_seq, hlc, actor, entity, entity_id, kind,
    payload digest, recorded_at.isoformat()])`` (strings through the same C escaper,
    integers as ``int.__repr__``); a property test holds the two together. Verifying a
    pulled page hashes every event, so the encoder's per-call set-up is worth skipping.
    """
    digest = payload_digest(payload)
    try:
        if type(desk_seq) is not int or type(hlc) is not int:
            raise TypeError  # a bool or float: JSON writes it differently from an f-string
        core = (
            f"[{_quote(event_id)},{_quote(desk_id)},{desk_seq},{hlc},{_quote(actor)},{_quote(entity)},"
            f"{_quote(entity_id)},{_quote(kind)},{_quote(digest)},{_quote(recorded_at.isoformat())}]"
        )
    except TypeError:  # a value that is not a str (None, a number): the general encoder decides
        core = canonical_json(
            [event_id, desk_id, desk_seq, hlc, actor, entity, entity_id, kind, digest, recorded_at.isoformat()]
        )
    return _sha256((prev_hash + core).encode("utf-8")).hexdigest()


def chain_head(conn: Connection, desk_id: str) -> tuple[int, str]:
    """The last (desk_seq, hash) of ``desk_id``, or (0, GENESIS_HASH) for a new desk."""
    row = conn.execute(
        select(EVENT.c.desk_seq, EVENT.c.hash)
        .where(EVENT.c.desk_id == desk_id)
        .order_by(EVENT.c.desk_seq.desc())
        .limit(1)
    ).first()
    return (row.desk_seq, row.hash) if row else (0, GENESIS_HASH)


def append(
    conn: Connection,
    *,
    event_id: str,
    desk_id: str,
    hlc: int,
    actor: str,
    entity: str,
    entity_id: str,
    kind: str,
    payload: dict[str, Any],
    recorded_at: datetime,
    head: tuple[int, str] | None = None,
) -> EventData:
    """Append one event of this desk inside the caller's write transaction.

    ``head`` may carry the chain head from the previous append in the same transaction,
    saving a query when many events are written at once.
    """
    last_seq, prev_hash = head if head is not None else chain_head(conn, desk_id)
    recorded_at = recorded_at.astimezone(UTC)  # stored and read back as UTC: hash the same value
    text = canonical_json(payload)
    desk_seq = last_seq + 1
    unsigned = EventData(
        event_id, desk_id, desk_seq, hlc, actor, entity, entity_id, kind, text, prev_hash, "", recorded_at
    )
    ev = replace(unsigned, hash=unsigned.content_hash(prev_hash))
    conn.execute(EVENT_INSERT, _columns(ev))
    return ev


def _columns(ev: EventData) -> dict[str, Any]:
    return {name: getattr(ev, name) for name in FIELDS}


def event_from_row(row: Any) -> EventData:
    """An :class:`EventData` from a row that has (at least) the event columns."""
    return EventData(**{name: getattr(row, name) for name in FIELDS})


_from_row = event_from_row

#: The event columns in :data:`FIELDS` order, for statements that skip SQLAlchemy's result processing.
RAW_COLUMNS = ", ".join(f'"{name}"' for name in FIELDS)


def stored_time(text: str) -> datetime:
    """A time as the store keeps it (UTC, no offset, ``YYYY-MM-DD HH:MM:SS.ffffff``), aware."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def stored_time_text(at: datetime) -> str:
    """The text the store keeps for an aware time: what SQLAlchemy's SQLite ``DateTime`` writes.

    Naive times are refused as the column type refuses them. Bulk writers use this instead
    of the type's bind processor (the same text, a test compares them, at a fraction of the cost).
    """
    if at.tzinfo is UTC:  # the common case (the store and sync sessions work in UTC): no conversion
        return at.isoformat(" ", "microseconds")[:26]
    if at.utcoffset() is None:
        raise ValueError("Datetime values must have timezone information.")
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def events_from_raw(rows: Iterable[Sequence[Any]]) -> list[EventData]:
    """Events from raw SQLite rows of :data:`RAW_COLUMNS` (``recorded_at`` still as stored text).

    Reading a page of events through SQLAlchemy's type processors costs more than the rest
    of a push; this gives the same values (the test of the pending reader compares them).
    """
    return [EventData(*row[:11], stored_time(row[11])) for row in rows]


def iter_events(conn: Connection, *, order: str = "hlc", batch: int = 2000) -> Iterator[EventData]:
    """Every event, in merge order (hlc, desk, seq) or in per-desk chain order ("chain")."""
    query = select(*EVENT_COLUMNS)
    if order == "chain":
        query = query.order_by(EVENT.c.desk_id, EVENT.c.desk_seq)
    else:
        query = query.order_by(EVENT.c.hlc, EVENT.c.desk_id, EVENT.c.desk_seq)
    result = conn.execution_options(yield_per=batch).execute(query)
    for row in result:
        yield _from_row(row)


def events_for(conn: Connection, entity: str, entity_id: str) -> list[EventData]:
    """The events about one entity, oldest first."""
    rows = conn.execute(
        select(*EVENT_COLUMNS)
        .where(EVENT.c.entity == entity, EVENT.c.entity_id == entity_id)
        .order_by(EVENT.c.hlc, EVENT.c.desk_id, EVENT.c.desk_seq)
    )
    return [_from_row(row) for row in rows]


def purged_entities(conn: Connection) -> set[tuple[str, str]]:
    """``(entity, entity_id)`` of every record a retention purge removed."""
    purged: set[tuple[str, str]] = set()
    for (payload,) in conn.execute(select(EVENT.c.payload).where(EVENT.c.kind == PURGE_KIND)):
        data = json.loads(payload)
        for entity, ids in (data.get("entities") or {}).items():
            purged.update((entity, entity_id) for entity_id in ids)
    return purged


def verify_chain(conn: Connection) -> AuditReport:
    """Recompute every desk's chain and name the first broken link, if any."""
    purged = purged_entities(conn)
    count = 0
    desks: set[str] = set()
    expected_seq, prev_hash, current_desk = 1, GENESIS_HASH, None
    for ev in iter_events(conn, order="chain"):
        if ev.desk_id != current_desk:
            current_desk, expected_seq, prev_hash = ev.desk_id, 1, GENESIS_HASH
            desks.add(ev.desk_id)
        count += 1
        problem = None
        if ev.desk_seq != expected_seq:
            problem = f"sequence gap: expected {expected_seq}, found {ev.desk_seq}"
        elif ev.prev_hash != prev_hash:
            problem = "the link to the previous event does not match (an event was removed or reordered)"
        elif ev.hash != ev.content_hash(prev_hash):
            problem = "the event's content does not match its hash (it was edited)"
        elif is_redacted(ev.payload) and (ev.entity, ev.entity_id) not in purged:
            problem = "the event's data was blanked outside a retention purge"
        if problem:
            return AuditReport(False, count, len(desks), problem, ev.desk_id, ev.desk_seq, ev.event_id)
        expected_seq, prev_hash = ev.desk_seq + 1, ev.hash
    return AuditReport(True, count, len(desks))
