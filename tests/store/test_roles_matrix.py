"""The role matrix, enforced by the store gateway for every role and every use case.

Rule (DOMAIN.md, People and roles): "Access follows role ... The rule is enforced in the
data layer, not only by hiding buttons."
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from csdesk.data.api import CustomerView
from csdesk.data.store import Store
from csdesk.domain.errors import PermissionDenied
from csdesk.domain.roles import ROLE_MATRIX, Permission, Role, can, require
from tests.store.conftest import event_count, events

#: The user of the ``store`` fixture who holds each role.
ACTOR = {
    Role.SUPERVISOR: "sup",
    Role.TEAM_LEAD: "lead",
    Role.AGENT: "agent1",
    Role.SPECIALIST: "spec",
    Role.QA: "qa",
    Role.TRAINER: "trainer",
    Role.ANALYST: "analyst",
}


@dataclass(frozen=True)
class UseCase:
    """A store method, the permission it needs, and how to call it on a prepared ticket."""

    name: str
    permission: Permission
    call: Callable[[Store, str, dict[str, str]], Any]
    writes: bool = True


def _new_ticket(store: Store) -> str:
    return store.create_ticket("sup", kind="complaint", channel="phone", subject="Matrix").id


USE_CASES = [
    UseCase(
        "create_ticket",
        Permission.TICKET_CREATE,
        lambda s, a, ctx: s.create_ticket(a, kind="consultation", channel="chat", subject="New question"),
    ),
    UseCase("claim_ticket", Permission.TICKET_CLAIM, lambda s, a, ctx: s.claim_ticket(a, ctx["ticket"])),
    UseCase("assign_ticket", Permission.TICKET_ASSIGN, lambda s, a, ctx: s.assign_ticket(a, ctx["ticket"], "agent2")),
    UseCase("change_status", Permission.TICKET_STATUS, lambda s, a, ctx: s.change_status(a, ctx["ticket"], "open")),
    UseCase("reopen", Permission.TICKET_STATUS, lambda s, a, ctx: s.reopen(a, ctx["resolved"], "Customer disagrees")),
    UseCase("add_note", Permission.TICKET_NOTE, lambda s, a, ctx: s.add_note(a, ctx["ticket"], "Checked the log")),
    UseCase("create_customer", Permission.CUSTOMER_WRITE, lambda s, a, ctx: s.create_customer(a, name="Matrix Ma")),
    UseCase("reveal", Permission.PII_REVEAL, lambda s, a, ctx: s.reveal(a, ctx["customer"], "phone", ctx["ticket"])),
    UseCase("add_user", Permission.USER_MANAGE, lambda s, a, ctx: s.add_user(a, "new.hire", "New Hire", "agent")),
    UseCase("list_tickets", Permission.TICKET_READ, lambda s, a, ctx: s.list_tickets(a), writes=False),
    UseCase("get_ticket", Permission.TICKET_READ, lambda s, a, ctx: s.get_ticket(a, ctx["ticket"]), writes=False),
]


@pytest.fixture
def prepared(store: Store, customer: CustomerView) -> dict[str, str]:
    """A new ticket, a resolved ticket and a customer, made by the supervisor."""
    resolved = _new_ticket(store)
    store.change_status("sup", resolved, "resolved")
    return {"ticket": _new_ticket(store), "resolved": resolved, "customer": customer.id}


@pytest.mark.parametrize("use_case", USE_CASES, ids=lambda u: u.name)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_store_enforces_the_matrix(store: Store, prepared: dict[str, str], role: Role, use_case: UseCase) -> None:
    actor = ACTOR[role]
    before_events = event_count(store)
    before = store.snapshot()
    if can(role, use_case.permission):
        use_case.call(store, actor, prepared)
        new = events(store)[before_events:]
        assert all(ev.kind != "access.denied" for ev in new)
        if use_case.writes:
            assert new, f"{use_case.name} by {role} wrote no event"
            assert all(ev.actor == actor for ev in new)
        else:
            assert new == []
            assert store.snapshot() == before
    else:
        with pytest.raises(PermissionDenied) as info:
            use_case.call(store, actor, prepared)
        assert use_case.permission.value in info.value.message
        assert store.snapshot() == before
        new = events(store)[before_events:]
        assert [(ev.kind, ev.actor, ev.entity, ev.entity_id) for ev in new] == [("access.denied", actor, "user", actor)]
        assert json.loads(new[0].payload) == {"permission": use_case.permission.value}


def test_every_role_has_a_user_and_every_use_case_is_covered() -> None:
    assert set(ACTOR) == set(Role)
    assert len({u.name for u in USE_CASES}) == len(USE_CASES) == 11
    # every use case is open to some role, and the matrix test above exercises both outcomes overall
    for use_case in USE_CASES:
        allowed = {role for role in Role if can(role, use_case.permission)}
        assert allowed, use_case.name
    refused = [(role, u.name) for role in Role for u in USE_CASES if not can(role, u.permission)]
    assert len(refused) >= 10  # the refusal branch is really exercised


def test_deactivated_user_is_refused_whatever_the_role(store: Store) -> None:
    """DOMAIN.md: access follows role, enforced in the data layer (a deactivated user has none)."""
    from csdesk.data.store import USER

    with store._engine.begin() as conn:
        conn.execute(USER.update().where(USER.c.id == "sup").values(active=False))
    with pytest.raises(PermissionDenied):
        store.list_tickets("sup")


def test_role_change_by_another_writer_takes_effect(store: Store, clock: Any) -> None:
    """DOMAIN.md: access follows role, enforced in the data layer (the current role, not a cached one)."""
    assert store.list_tickets("lead") == []  # the gateway has now seen lead as team_lead
    other = Store.open(store.path, desk_id="D01", clock=clock)
    try:  # e.g. a second process of the same desk (or sync) demotes lead to agent
        other._write("sup", [("user", "lead", "user.updated", {"role": "agent"})])
    finally:
        other.close()
    assert store.get_user("lead").role == "agent"
    with pytest.raises(PermissionDenied):
        store.assign_ticket("lead", _new_ticket(store), "agent2")


# --------------------------------------------------------------------------- the matrix itself


def test_team_lead_assigns_agent_cannot() -> None:
    """DOMAIN.md: team lead reassigns within the team (agents work the queue they are given)."""
    assert can(Role.TEAM_LEAD, Permission.TICKET_ASSIGN)
    assert can(Role.SUPERVISOR, Permission.TICKET_ASSIGN)
    assert not can(Role.AGENT, Permission.TICKET_ASSIGN)
    assert not can(Role.SPECIALIST, Permission.TICKET_ASSIGN)


def test_analyst_never_reveals_pii() -> None:
    """DOMAIN.md: data analyst reads reports and exports, never customer PII unmasked."""
    assert not can(Role.ANALYST, Permission.PII_REVEAL)
    assert can(Role.ANALYST, Permission.REPORT_READ)
    with pytest.raises(PermissionDenied):
        require(Role.ANALYST, Permission.PII_REVEAL)


def test_only_front_line_reveals_pii() -> None:
    """DOMAIN.md: an agent may reveal one identifier for the current ticket, which is audited."""
    assert {role for role in Role if can(role, Permission.PII_REVEAL)} == {
        Role.AGENT,
        Role.SPECIALIST,
        Role.TEAM_LEAD,
        Role.SUPERVISOR,
    }


def test_only_supervisor_manages_users() -> None:
    """DOMAIN.md: the supervisor handles staffing (and edits settings)."""
    assert {role for role in Role if can(role, Permission.USER_MANAGE)} == {Role.SUPERVISOR}
    assert {role for role in Role if can(role, Permission.SETTINGS_EDIT)} == {Role.SUPERVISOR}


def test_agents_and_specialists_work_the_queue() -> None:
    """DOMAIN.md: an agent works the intake queue; a specialist does the same as an agent."""
    for permission in (
        Permission.TICKET_READ,
        Permission.TICKET_CREATE,
        Permission.TICKET_CLAIM,
        Permission.TICKET_STATUS,
        Permission.TICKET_NOTE,
        Permission.CUSTOMER_WRITE,
    ):
        assert can(Role.AGENT, permission), permission
        assert can(Role.SPECIALIST, permission), permission
    assert {p for p in Permission if can(Role.AGENT, p)} == {p for p in Permission if can(Role.SPECIALIST, p)}


def test_analyst_and_qa_do_not_change_tickets() -> None:
    """DOMAIN.md: QA spot-checks handled tickets; the analyst reads reports: neither works the queue."""
    for role in (Role.QA, Role.ANALYST):
        for permission in (Permission.TICKET_CREATE, Permission.TICKET_CLAIM, Permission.TICKET_STATUS):
            assert not can(role, permission), (role, permission)
        assert not can(role, Permission.CUSTOMER_WRITE)
    assert can(Role.QA, Permission.TICKET_READ)


def test_trainer_runs_demo_mode() -> None:
    """DOMAIN.md: trainer runs demo mode: fake data, simulated arrivals, scenarios."""
    assert can(Role.TRAINER, Permission.DEMO_RUN)
    assert not can(Role.AGENT, Permission.DEMO_RUN)
    assert not can(Role.ANALYST, Permission.DEMO_RUN)


def test_supervisor_sees_the_live_queue() -> None:
    """DOMAIN.md: supervisor has the live queue view of all desks."""
    assert can(Role.SUPERVISOR, Permission.LIVE_VIEW)
    assert not can(Role.AGENT, Permission.LIVE_VIEW)
    assert not can(Role.ANALYST, Permission.LIVE_VIEW)


def test_unknown_role_may_do_nothing() -> None:
    """DOMAIN.md: access follows role; a role csdesk does not know gets no access."""
    assert not any(can("cleaner", permission) for permission in Permission)
    assert not any(can("", permission) for permission in Permission)


def test_matrix_covers_every_permission() -> None:
    assert set(ROLE_MATRIX) == set(Permission)
    for roles in ROLE_MATRIX.values():
        assert roles <= set(Role)
