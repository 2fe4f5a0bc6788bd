"""SLA deadlines kept by the store, policies edited by supervisors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import PermissionDenied, ValidationError


def complaint(store: Store, priority: str = "normal") -> str:
    return store.create_ticket("agent1", kind="complaint", channel="phone", priority=priority, subject="扣费投诉").id


def test_new_ticket_gets_both_deadlines_from_the_default_policy(store: Store, clock: FrozenClock) -> None:
    row = store.get_ticket_row("agent1", complaint(store))
    assert row.sla_target == "first_response"
    assert row.sla_due == clock.now() + timedelta(hours=2)  # complaint, normal: 2 h first response
    store.claim_ticket("agent1", row.id)
    row = store.get_ticket_row("agent1", row.id)
    assert row.sla_target == "resolution" and row.sla_due == clock.now() + timedelta(days=15)


def test_supervisor_policy_applies_to_new_tickets_only(store: Store, clock: FrozenClock) -> None:
    before = store.get_ticket_row("agent1", complaint(store, "high"))
    policy = store.set_sla_policy("sup", "complaint", "high", 20, 60 * 24 * 3, "calendar")
    assert policy.first_response == timedelta(minutes=20)
    after = store.get_ticket_row("agent1", complaint(store, "high"))
    assert after.sla_due == clock.now() + timedelta(minutes=20)
    assert store.get_ticket_row("agent1", before.id).sla_due == before.sla_due
    snapshot = store.snapshot()
    store.rebuild_projections()
    assert store.snapshot() == snapshot


def test_only_supervisors_edit_policies(store: Store) -> None:
    with pytest.raises(PermissionDenied):
        store.set_sla_policy("lead", "complaint", "high", 20, 600, "calendar")


@pytest.mark.parametrize(
    ("first", "resolution", "mode", "field"),
    [(0, 60, "calendar", "first_response_minutes"), (120, 60, "calendar", "first_response_minutes"),
     (10, 60, "weekly", "mode")],
)
def test_bad_policy_values_are_refused(store: Store, first: int, resolution: int, mode: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        store.set_sla_policy("sup", "consultation", "normal", first, resolution, mode)
    assert caught.value.field == field


def test_breaching_filter_finds_overdue_unpaused_tickets(store: Store, clock: FrozenClock) -> None:
    from csdesk.data.api import TicketQuery

    late, waiting = complaint(store), complaint(store)
    store.claim_ticket("agent1", waiting)
    store.change_status("agent1", waiting, "waiting_customer")
    clock.advance(timedelta(hours=3))
    found = {t.id for t in store.list_tickets("agent1", TicketQuery(breaching=True))}
    assert late in found and waiting not in found
    assert len(store.sla_policies()) == 15
