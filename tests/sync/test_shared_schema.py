"""The shared schema: revision bookkeeping, and the server-side reporting projection.

Rule (issue "Sync every desk's local store"): the shared database is readable by
reporting tools through views of current tickets/complaints/callbacks maintained on the
server; sync ships events of any kind, so rooms added later need no change in sync.
"""

from __future__ import annotations

import psycopg
import pytest

from csdesk.sync.engine import sync_once
from csdesk.sync.schema import MIGRATIONS_DIR, SHARED_HEAD, shared_revision
from tests.sync.conftest import DeskFactory, seed_users


def test_shared_head_matches_the_scripts() -> None:
    """SHARED_HEAD names the newest shared revision script."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SHARED_HEAD


@pytest.mark.pg
def test_unknown_event_kinds_travel_and_feed_the_reporting_views(shared_url: str, new_desk: DeskFactory) -> None:
    """A complaint event no local reducer knows yet reaches desk B's log and the server's view."""
    a, b = new_desk("A"), new_desk("B")
    seed_users(a)
    ticket = a.create_ticket("agent1", kind="complaint", channel="phone", subject="Fee charged twice")
    payload = {"ticket_id": ticket.id, "customer_id": "c1", "severity": "major", "amount_in_dispute": "300.00"}
    a.write_events("agent1", [("complaint", "CMP-1", "complaint.logged", payload)])
    a.write_events("sup", [("complaint", "CMP-1", "complaint.closed", {})])
    sync_once(a, shared_url)
    assert sync_once(b, shared_url).pull.applied == a.sync.pushed_seq()
    assert shared_revision(shared_url) == SHARED_HEAD
    with psycopg.connect(shared_url) as conn:
        complaint = conn.execute(
            "SELECT ticket_id, severity, amount_in_dispute, status FROM current_complaints"
        ).fetchone()
        tickets = conn.execute("SELECT ref, kind, status, desk_id FROM current_tickets").fetchall()
        customers = conn.execute("SELECT count(*) FROM entity_field WHERE entity = 'customer'").fetchone()
    assert complaint == (ticket.id, "major", "300.00", "closed")
    assert tickets == [(ticket.ref, "complaint", "new", "A")]
    assert customers == (0,)  # no customer identifiers in the reporting projection
