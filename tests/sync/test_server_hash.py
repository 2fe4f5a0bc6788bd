"""The shared database recomputes each pulled event's hash (SERVER_HASH_OK) exactly as the desks do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest

from csdesk.data.store import PlannedEvent
from csdesk.sync.engine import sync_once
from csdesk.sync.pull import SERVER_HASH_OK
from tests.sync.conftest import DeskFactory

pytestmark = pytest.mark.pg

#: Text that JSON escapes (quotes, backslashes, controls) or leaves alone (CJK, emoji, DEL, U+2028).
AWKWARD = ['引号"与\\反斜杠', "tab\there\nnew\rline\b\f", "\x01\x1f\x7f", "\u2028\u2029 😀 ／", "plain"]


def _server_verdicts(url: str) -> dict[str, bool | None]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"SELECT event_id, {SERVER_HASH_OK.replace('%%', '%')} FROM events").fetchall()
    return dict(rows)


def test_the_server_agrees_with_every_hash_a_desk_wrote(shared_url: str, new_desk: DeskFactory) -> None:
    """Awkward text in every hashed column, whole-second and microsecond times, other offsets."""
    a = new_desk("A")
    beijing = timezone(timedelta(hours=8))
    times = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC), datetime(2026, 11, 23, 9, 0, 0, 10, tzinfo=UTC),
             datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=beijing)]
    planned = [
        PlannedEvent(times[i % 3], text, "note", f"{text}-{i}", f"note.{text}", {"body": text, "n": i})
        for i, text in enumerate(AWKWARD * 2)
    ]
    a.write_planned(planned)
    assert sync_once(a, shared_url).push.pushed == len(planned)
    verdicts = _server_verdicts(shared_url)
    assert len(verdicts) == len(planned)
    assert all(verdict is True for verdict in verdicts.values())


def test_an_edited_row_is_not_vouched_for_and_the_desk_still_refuses_it(
    shared_url: str, new_desk: DeskFactory
) -> None:
    a, b = new_desk("A"), new_desk("B")
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    a.write_planned([PlannedEvent(at, "sup", "note", "n1", "note.kept", {"x": 1})])
    sync_once(a, shared_url)
    with psycopg.connect(shared_url) as conn:
        conn.execute("""UPDATE events SET payload = '{"x": 2}'""")
    assert set(_server_verdicts(shared_url).values()) == {False}
    report = sync_once(b, shared_url).pull
    assert report.applied == 0
    assert [reason for _, reason in report.quarantined] == ["the event's content does not match its hash"]
