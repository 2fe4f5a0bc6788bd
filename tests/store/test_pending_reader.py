"""``store.sync.pending`` reads events past SQLAlchemy's result processing: same values, same hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from csdesk.data.eventlog import iter_events
from csdesk.data.store import PlannedEvent, Store
from csdesk.data.sync_ledger import problem_with
from csdesk.domain.clock import FrozenClock

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_pending_gives_what_the_log_reader_gives(tmp_path: Path) -> None:
    """Whole seconds, microseconds and a +08:00 wall time all come back as the same aware UTC time."""
    store = Store.open(tmp_path / "d.sqlite3", desk_id="D", clock=FrozenClock(START))
    beijing = timezone(timedelta(hours=8))
    times = [START, START + timedelta(microseconds=1), datetime(2026, 11, 23, 18, 30, 0, 123456, tzinfo=beijing)]
    body = "第{}条 \t\\ \"q\""
    store.write_planned(
        [PlannedEvent(at, "sup", "note", f"n{i}", "note.kept", {"body": body.format(i)}) for i, at in enumerate(times)]
    )
    pending = store.sync.pending(10)
    with store._read() as conn:
        expected = list(iter_events(conn, order="chain"))
    store.close()
    assert pending == expected
    assert [ev.recorded_at for ev in pending] == [at.astimezone(UTC) for at in times]
    assert all(ev.recorded_at.tzinfo is UTC for ev in pending)
    assert all(problem_with(ev) is None for ev in pending)
