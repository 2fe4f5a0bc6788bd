"""Push, pull and convergence between desks through the real shared PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest

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
