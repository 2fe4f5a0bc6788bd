"""Availability, skills and fair automatic assignment through the store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import Conflict, PermissionDenied, ValidationError


def ticket(store: Store, kind: str = "consultation") -> str:
    return store.create_ticket("agent1", kind=kind, channel="phone", subject=f"{kind} 来电").id


def test_round_robin_takes_turns_between_available_agents(store: Store, clock: FrozenClock) -> None:
    for user in ("lead", "spec"):
        store.set_availability(user, "offline")
    chosen = []
    for _ in range(4):
        clock.advance(timedelta(minutes=1))
        chosen.append(store.auto_assign("agent1", ticket(store)).assignee_id)
    assert chosen == ["agent1", "agent2", "agent1", "agent2"] or chosen == ["agent2", "agent1", "agent2", "agent1"]


def test_agents_on_break_get_nothing(store: Store) -> None:
    for user in ("agent1", "agent2", "lead", "spec"):
        store.set_availability(user, "break")
    with pytest.raises(Conflict) as caught:
        store.auto_assign("agent1", ticket(store))
    assert "Nobody available" in caught.value.message


def test_specialist_gets_their_kind(store: Store) -> None:
    """DOMAIN.md: specialists are routed the tickets of their specialty."""
    store.set_skills("sup", "spec", ["complaint"])
    assert store.get_user("spec").skills == ("complaint",)
    assert store.auto_assign("agent1", ticket(store, "complaint")).assignee_id == "spec"


def test_load_cap_spreads_the_work(store: Store, clock: FrozenClock) -> None:
    for user in ("agent2", "lead", "spec"):
        store.set_availability(user, "offline")
    first = store.auto_assign("agent1", ticket(store), load_cap=1)
    assert first.assignee_id == "agent1"
    with pytest.raises(Conflict):
        store.auto_assign("agent1", ticket(store), load_cap=1)


def test_availability_of_others_needs_a_supervisor(store: Store) -> None:
    with pytest.raises(PermissionDenied):
        store.set_availability("agent1", "offline", user_id="agent2")
    assert store.set_availability("sup", "offline", user_id="agent2").availability == "offline"
    with pytest.raises(ValidationError):
        store.set_availability("agent1", "asleep")


def test_an_assigned_ticket_is_not_rerouted(store: Store) -> None:
    tid = ticket(store)
    store.claim_ticket("agent2", tid)
    with pytest.raises(Conflict):
        store.auto_assign("agent1", tid)


def test_rebuild_keeps_availability_and_last_assignment(store: Store) -> None:
    store.set_availability("agent2", "busy")
    store.auto_assign("agent1", ticket(store))
    snapshot = store.snapshot()
    store.rebuild_projections()
    assert store.snapshot() == snapshot
