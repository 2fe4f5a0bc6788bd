"""The event hash written out directly equals the canonical JSON form it replaces.

Every desk's chain was hashed by ``canonical_json`` of the content list; the fast writer in
:func:`csdesk.data.eventlog.compute_hash` must give the same digest for any content, or
every existing log would stop verifying.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.data.eventlog import EventData, canonical_json, compute_hash, payload_digest, redaction_marker

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)  # any character, controls and CJK too
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=8))])
WHEN = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=ZONES)


def reference_hash(prev_hash: str, values: list[object], payload: str, recorded_at: datetime) -> str:
    """The hash as first defined: SHA-256 of the previous hash and the canonical JSON list."""
    core = canonical_json([*values, payload_digest(payload), recorded_at.isoformat()])
    return hashlib.sha256((prev_hash + core).encode("utf-8")).hexdigest()


@settings(max_examples=300, deadline=None)
@given(
    prev=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    strings=st.lists(TEXT, min_size=6, max_size=6),
    seq=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    hlc=st.integers(min_value=0, max_value=2**63 - 1),
    payload=st.text(max_size=200),
    when=WHEN,
)
def test_fast_hash_equals_canonical_json(
    prev: str, strings: list[str], seq: int, hlc: int, payload: str, when: datetime
) -> None:
    event_id, desk_id, actor, entity, entity_id, kind = strings
    ev = EventData(event_id, desk_id, seq, hlc, actor, entity, entity_id, kind, payload, prev, "", when)
    got = ev.content_hash(prev)
    assert got == reference_hash(prev, [event_id, desk_id, seq, hlc, actor, entity, entity_id, kind], payload, when)


def test_unusual_values_take_the_general_encoder() -> None:
    """A bool sequence, a None actor or a float HLC are hashed as JSON writes them, not as f-strings."""
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for seq, hlc, actor in ((True, 5, "a"), (3, 5, None), (3, 5.0, "a")):
        values = ["e", "d", seq, hlc, actor, "ticket", "t1", "ticket.created"]
        got = compute_hash(
            "0" * 64, event_id="e", desk_id="d", desk_seq=seq, hlc=hlc, actor=actor,  # type: ignore[arg-type]
            entity="ticket", entity_id="t1", kind="ticket.created", payload="{}", recorded_at=when,
        )
        assert got == reference_hash("0" * 64, values, "{}", when)


def test_redaction_marker_hashes_as_the_payload_it_replaced() -> None:
    """A purged payload keeps its digest, so the event's hash is unchanged."""
    when = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    payload = canonical_json({"body": "客户身份证 110101199003071234"})
    marker = redaction_marker(payload, "purge-1")
    common = {"event_id": "e", "desk_id": "d", "desk_seq": 1, "hlc": 7, "actor": "a", "entity": "ticket",
              "entity_id": "t", "kind": "ticket.note_added", "recorded_at": when}
    assert compute_hash("0" * 64, payload=marker, **common) == compute_hash("0" * 64, payload=payload, **common)
