"""Push, pull and convergence between desks through the real shared PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest

from csdesk.data.store import PlannedEvent
from csdesk.sync.engine import sync_once
from tests.sync.conftest import DeskFactory, converged_view, seed_users

pytestmark = pytest.mark.pg


def test_two_desks_converge(shared_url: str, new_desk: DeskFactory) -> None:
    """Events of desk A reach desk B through push and pull; projections become equal."""
    a, b = new_desk("A"), new_desk("B")
    seed_users(a)
    customer = a.create_customer("agent1", name="张伟明", phone="13812345678")
    ticket = a.create_ticket("agent1", kind="consultation", channel="phone", subject="Fees?", customer_id=customer.id)
    a.add_note("agent1", ticket.id, "asked about fees")
    first = sync_once(a, shared_url)
    assert first.push.pushed == 6 and first.pull.applied == 0
    second = sync_once(b, shared_url)
    assert second.pull.applied == 6
    assert second.pull.pages == 1 and second.pull.pages_one_by_one == 0  # applied in bulk, no fallback
    b.claim_ticket("agent2", ticket.id)
    sync_once(b, shared_url)
    sync_once(a, shared_url)
    assert converged_view(a) == converged_view(b)
    assert a.get_ticket_row("sup", ticket.id).assignee_id == "agent2"
    assert a.verify_audit().ok and b.verify_audit().ok
    assert b.verify_audit().desks == 2
    with psycopg.connect(shared_url) as conn:
        row = conn.execute("SELECT status, assignee_id, desk_id FROM current_tickets").fetchone()
    assert row == ("open", "agent2", "A")


def test_pulled_times_are_stored_as_the_writing_desk_stored_them(shared_url: str, new_desk: DeskFactory) -> None:
    """The server formats ``recorded_at`` for the pulling desk: whole seconds, microseconds, +08:00 wall times."""
    a, b = new_desk("A"), new_desk("B")
    beijing = timezone(timedelta(hours=8))
    times = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC), datetime(2026, 11, 23, 9, 0, 0, 1, tzinfo=UTC),
             datetime(2026, 11, 23, 18, 30, 5, 999999, tzinfo=beijing)]
    a.write_planned([PlannedEvent(at, "sup", "note", f"n{i}", "note.kept", {"i": i}) for i, at in enumerate(times)])
    sync_once(a, shared_url)
    assert sync_once(b, shared_url).pull.applied == 3
    query = "SELECT event_id, recorded_at FROM event WHERE desk_id = 'A' ORDER BY desk_seq"
    with a._read() as conn_a, b._read() as conn_b:
        assert conn_b.exec_driver_sql(query).all() == conn_a.exec_driver_sql(query).all()
    assert b.verify_audit().ok
