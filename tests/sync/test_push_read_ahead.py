"""Push reads the next batch ahead on a thread; what it reports and acknowledges stays exact.

Rule (docs/sync.md, "Push"): acknowledgements follow the commits in order; ``max_batches``
sends that many batches and acknowledges only them; a desk clock more than a day ahead
is quarantined with the reason, more than five minutes ahead is flagged.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from csdesk.domain.clock import FrozenClock
from csdesk.sync.push import TOO_FAR_REASON, push
from csdesk.sync.read_ahead import ReadAhead
from csdesk.sync.server import connect
from tests.sync.conftest import DeskFactory
from tests.sync.faults import busy_desk, server_counts


def test_read_ahead_gives_every_item_in_order_then_the_producers_error() -> None:
    """Items come in order; an error of the producer is raised after the items before it."""

    def produce() -> Iterator[int]:
        yield from range(5)
        raise ValueError("disk gone")

    seen = []
    with pytest.raises(ValueError, match="disk gone"), ReadAhead(produce()) as items:
        seen.extend(items)
    assert seen == [0, 1, 2, 3, 4]


def test_leaving_read_ahead_early_stops_the_producer() -> None:
    """Breaking out after one item: the producer has read at most two more (one queued, one waiting)."""
    produced = []

    def produce() -> Iterator[int]:
        for n in range(1000):
            produced.append(n)
            yield n

    with ReadAhead(produce()) as items:
        for _ in items:
            break
    assert len(produced) <= 3


@pytest.mark.pg
def test_max_batches_sends_and_acks_only_those(shared_url: str, new_desk: DeskFactory) -> None:
    """Two batches of four: eight events on the server and acknowledged, the rest still pending."""
    a = new_desk("A")
    busy_desk(a, 6)
    total = len(a.sync.pending(1000))
    with connect(shared_url) as conn:
        report = push(conn, a, batch=4, max_batches=2)
    assert (report.batches, report.pushed, report.quarantined) == (2, 8, [])
    assert a.sync.pushed_seq() == 8
    assert server_counts(shared_url) == (8, 8)
    with connect(shared_url) as conn:
        rest = push(conn, a, batch=4)
    assert rest.pushed == total - 8 and a.sync.state().pending == 0


@pytest.mark.pg
def test_clock_days_ahead_is_quarantined_and_minutes_ahead_flagged(shared_url: str, new_desk: DeskFactory) -> None:
    """A desk two days ahead: quarantined with the reason; ten minutes ahead: pushed and counted as flagged."""
    server_now = datetime.now(UTC)  # the shared database's clock is the real one
    far = new_desk("F", FrozenClock(server_now + timedelta(days=2)))
    near = new_desk("N", FrozenClock(server_now + timedelta(minutes=10)))
    for desk in (far, near):
        desk.add_user(None, "sup", "Supervisor Sun", "supervisor", desk.desk_id)
    with connect(shared_url) as conn:
        refused = push(conn, far)
        flagged = push(conn, near)
    assert [reason for _, reason in refused.quarantined] == [TOO_FAR_REASON] and refused.pushed == 0
    assert (flagged.pushed, flagged.flagged) == (1, 1)
    with psycopg.connect(shared_url) as conn:
        assert conn.execute("SELECT desk_id, reason FROM quarantine").fetchall() == [("F", TOO_FAR_REASON)]
        ahead = conn.execute("SELECT clock_ahead_ms FROM events WHERE desk_id = 'N'").fetchone()
    assert ahead is not None and 9 * 60_000 < ahead[0] < 11 * 60_000
