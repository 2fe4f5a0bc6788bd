"""Merge conflicts between desks: kept, flagged for review on money/legal fields, resolved by a supervisor.

Rule (ARCHITECTURE.md merge rules): per-field last-writer-wins by HLC with the losing
value kept as a conflict a supervisor can resolve; resolving is a new event that syncs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from csdesk.data.sync_ledger import Cursor
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from tests.sync.conftest import START, DeskFactory, seed_users


def _two_desks_disagree(new_desk: DeskFactory):
    clock = FrozenClock(START)
    a, b = new_desk("A", clock), new_desk("B", clock)
    seed_users(a)
    ticket = a.create_ticket("agent1", kind="consultation", channel="phone", subject="Card")
    b.sync.apply_pulled(a.sync.pending(100), Cursor(1, 1))
    clock.advance(timedelta(seconds=1))
    a.assign_ticket("sup", ticket.id, "agent1")
    clock.advance(timedelta(seconds=1))
    b.assign_ticket("sup", ticket.id, "agent2")  # newer: wins everywhere
    b.sync.apply_pulled([ev for ev in a.sync.pending(100) if ev.kind == "ticket.assigned"], Cursor(1, 2))
    return a, b, ticket


def test_late_loser_is_kept_as_a_conflict_and_resolved_by_a_supervisor(new_desk: DeskFactory) -> None:
    """B receives A's older assignment late: B keeps its own and lists A's as a conflict; sup keeps A's."""
    a, b, ticket = _two_desks_disagree(new_desk)
    assert b.get_ticket_row("sup", ticket.id).assignee_id == "agent2"
    [conflict] = b.conflicts.list_open("sup")
    assert (conflict.field, conflict.kept_value, conflict.lost_value) == ("assignee_id", "agent2", "agent1")
    assert not conflict.needs_review
    assert b.sync.state().conflicts == 1
    b.conflicts.resolve("sup", conflict.id, "lost")
    assert b.get_ticket_row("sup", ticket.id).assignee_id == "agent1"
    assert b.conflicts.list_open("sup") == []
    resolution = [ev for ev in b.sync.pending(100) if ev.kind == "conflict.resolved"]
    a.sync.apply_pulled(b.sync.pending(100), Cursor(1, 1))  # the choice reaches desk A too
    assert a.get_ticket_row("sup", ticket.id).assignee_id == "agent1"
    assert len(resolution) == 1


def test_only_supervisors_resolve_and_bad_choices_are_refused(new_desk: DeskFactory) -> None:
    """Conflicts are a supervisor's decision; an unknown choice or conflict is refused with the rule."""
    _, b, _ = _two_desks_disagree(new_desk)
    with pytest.raises(PermissionDenied):
        b.conflicts.list_open("agent1")
    [conflict] = b.conflicts.list_open("sup")
    with pytest.raises(ValidationError, match="kept"):
        b.conflicts.resolve("sup", conflict.id, "both")
    with pytest.raises(NotFound):
        b.conflicts.resolve("sup", 999, "kept")
