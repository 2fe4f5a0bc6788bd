"""The reducer gives the same projections whatever order other desks' events arrive in.

Rule (ARCHITECTURE.md, merge rules; docs/sync.md): per-field last-writer-wins by
(HLC, event id), grow-only notes, status folded from the whole history, and an event
about a row not yet created is parked until the create arrives. No PostgreSQL here: the
events are handed to :meth:`SyncLedger.apply_pulled` directly, in shuffled orders.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csdesk.data.eventlog import EventData
from csdesk.data.store import Store
from csdesk.data.sync_ledger import Cursor
from csdesk.domain.clock import FrozenClock
from tests.sync.conftest import START, DeskFactory, converged_view
from tests.sync.history import own, three_desks


def _history(new_desk: DeskFactory) -> list[EventData]:
    """Three desks editing the same ticket, policy and user id, each having seen only part of the others' work."""
    start = three_desks(new_desk)
    clock, a, b, c, ticket = start.clock, start.a, start.b, start.c, start.ticket
    b.claim_ticket("agent2", ticket.id)
    b.add_note("agent2", ticket.id, "called back")
    b.set_sla_policy("sup", "consultation", "normal", 20, 900, "calendar")  # two desks set the same policy...
    c.set_sla_policy("sup", "consultation", "normal", 10, 600, "calendar")
    b.add_user("sup", "agent3", "Agent Three", "agent", "B")  # ...and create the same user id
    c.add_user("sup", "agent3", "Agent 3", "specialist", "C")
    clock.advance(timedelta(minutes=1))
    c.assign_ticket("sup", ticket.id, "agent1")
    c.change_status("sup", ticket.id, "waiting_customer")
    b.change_status("agent2", ticket.id, "resolved")
    a.add_note("agent1", ticket.id, "customer satisfied")
    return own(a) + own(b) + own(c)


def test_shuffled_arrival_gives_the_same_projections(new_desk: DeskFactory, empty_store_template: Path) -> None:
    """Any arrival order (including updates and notes before the ticket's create) converges."""
    events = _history(new_desk)
    reference = new_desk("R")
    reference.sync.apply_pulled(sorted(events, key=lambda ev: (ev.hlc, ev.event_id)), Cursor())
    expected = converged_view(reference)
    assert expected["deferred_event"] == []
    ticket = expected["ticket"][0]
    assert ticket[TICKET_STATUS] == "resolved"

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(order=st.permutations(events), split=st.integers(1, len(events)))
    def check(order: list[EventData], split: int) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "X.sqlite3"
            shutil.copyfile(empty_store_template, path)
            store = Store.open(path, desk_id="X", clock=FrozenClock(START))
            try:
                store.sync.apply_pulled(order[:split], Cursor(1, 1))
                store.sync.apply_pulled(order[split:] + order[:3], Cursor(1, 2))  # with a replay
                assert converged_view(store) == expected
                assert store.verify_audit().ok
            finally:
                store.close()

    check()


def test_update_before_create_is_parked_then_applied(new_desk: DeskFactory) -> None:
    """A claim from desk B that arrives before desk A's create waits, then wins over the create."""
    events = _history(new_desk)
    creates = [ev for ev in events if ev.kind.endswith(".created")]
    others = [ev for ev in events if not ev.kind.endswith(".created")]
    store = new_desk("Y")
    store.sync.apply_pulled(others, Cursor(1, 1))
    parked = converged_view(store)["deferred_event"]
    assert len(parked) >= 5
    store.sync.apply_pulled(creates, Cursor(1, 2))
    assert converged_view(store)["deferred_event"] == []
    [row] = store.list_tickets("sup")
    assert (row.status, row.assignee_id) == ("resolved", "agent1")


TICKET_STATUS = 6  # column index of ``status`` in the ticket snapshot rows
