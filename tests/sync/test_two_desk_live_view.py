"""Issue 9 over the real shared PostgreSQL: a ticket recorded on desk A shows in the supervisor's view on desk B."""

from __future__ import annotations

import pytest

from csdesk.sync.engine import sync_once
from tests.sync.conftest import DeskFactory, seed_users

pytestmark = pytest.mark.pg


def test_a_ticket_from_desk_a_reaches_the_live_view_on_desk_b(shared_url: str, new_desk: DeskFactory) -> None:
    """Desk A records a walk-in complaint; after A pushes and B pulls, B's live snapshot counts and names it."""
    a, b = new_desk("A"), new_desk("B")
    seed_users(a)
    sync_once(a, shared_url)
    sync_once(b, shared_url)  # B learns the people from A
    before = b.reports.live("sup")
    ticket = a.create_ticket("agent1", kind="complaint", channel="walk_in", priority="urgent", subject="柜台排队过久")
    sync_once(a, shared_url)
    assert b.reports.change_token() == before.token  # nothing new on B until it pulls
    sync_once(b, shared_url)
    after = b.reports.live("sup")
    assert after.token != before.token
    waiting = {(w.kind, w.channel): w.count for w in after.waiting}
    assert waiting.get(("complaint", "walk_in")) == 1
    assert after.waiting_total == before.waiting_total + 1
    assert b.get_ticket_row("sup", ticket.id).ref == ticket.ref
