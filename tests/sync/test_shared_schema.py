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
    """Complaint events (a room sync knows nothing of) reach desk B's log and the server's views."""
    a, b = new_desk("A"), new_desk("B")
    seed_users(a)
    customer = a.create_customer("agent1", name="张伟", phone="13812345678")
    logged = a.complaints.log(
        "agent1", customer_id=customer.id, channel="phone", business="credit_card", cause="pricing_fees",
        description="Fee charged twice", remedy="refund", amount_in_dispute="300.00", severity="serious",
    )
    cid = logged.row.id
    a.complaints.decide("agent1", cid, findings="charged twice", decision="refund 300", basis="card terms 5")
    a.complaints.record_notice_sent("agent1", cid, "letter", "EMS 1234567890")
    a.complaints.close("agent1", cid, "batch job without de-duplication")
    ticket = a.get_ticket_row("agent1", logged.row.ticket_id)
    sync_once(a, shared_url)
    assert sync_once(b, shared_url).pull.applied == a.sync.pushed_seq()
    assert shared_revision(shared_url) == SHARED_HEAD
    with psycopg.connect(shared_url) as conn:
        complaint = conn.execute(
            "SELECT ticket_id, severity, amount_in_dispute, status FROM current_complaints"
        ).fetchone()
        tickets = conn.execute("SELECT ref, kind, status, desk_id FROM current_tickets").fetchall()
        customers = conn.execute("SELECT count(*) FROM entity_state WHERE entity = 'customer'").fetchone()
    assert complaint == (ticket.id, "serious", "300.00", "closed")
    assert tickets == [(ticket.ref, "complaint", "closed", "A")]
    assert customers == (0,)  # no customer identifiers in the reporting projection
