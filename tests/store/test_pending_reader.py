"""Events and times read and written past SQLAlchemy's type processing give the values the types give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from csdesk.data.eventlog import iter_events, stored_time, stored_time_text
from csdesk.data.store import PlannedEvent, Store
from csdesk.data.sync_ledger import problem_with
from csdesk.data.tables import Event
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


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]),
    )
)
def test_bulk_writers_store_times_as_the_column_type_does(at: datetime) -> None:
    """``stored_time_text`` is the text SQLAlchemy's SQLite time column writes, and reads back as ``at``."""
    process = Event.__table__.c.recorded_at.type._cached_bind_processor(sqlite.dialect())
    assert stored_time_text(at) == process(at)
    assert stored_time(stored_time_text(at)) == at


def test_a_naive_time_is_refused_as_the_column_type_refuses_it() -> None:
    with pytest.raises(ValueError, match="timezone"):
        stored_time_text(datetime(2026, 11, 23, 9, 0))
