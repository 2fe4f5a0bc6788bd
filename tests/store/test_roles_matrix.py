"""The role matrix, enforced by the store gateway for every role and every use case.

Rule (DOMAIN.md, People and roles): "Access follows role ... The rule is enforced in the
data layer, not only by hiding buttons."
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
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


#: Public Store members that are not role-checked use cases: plumbing, facts of the file,
#: sign-in lookups, your own availability, and file-level administration (CLI, no user).
NOT_USE_CASES = {
    "open", "close", "kb", "info", "snapshot", "rebuild_projections", "verify_audit", "write_events",
    "write_planned", "get_user", "list_users", "set_availability", "sla_policies", "backup", "restore",
}
#: Rooms reached as ``store.<room>``: the knowledge base's use cases are rows below; the
#: other rooms' role refusals are tested room by room (tests/store/test_complaints_store.py,
#: test_callbacks_store.py, test_supervisor_store.py, tests/sync, tests/trainer).
SUB_GATEWAYS = {
    "business", "callbacks", "complaints", "conflicts", "incidents", "qa", "reports", "surveys", "sync", "trainer",
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


Call = Callable[[Store, str, dict[str, str]], Any]


def _use(name: str, permission: Permission, call: Call, writes: bool = True) -> UseCase:
    return UseCase(name, permission, call, writes)


#: Every use case of the store gateway (and its sub-gateways) -> the permission it needs.
#: The expected outcome for each role comes from ROLE_MATRIX; a room adds its use cases here.
USE_CASES = [
    # tickets
    _use("create_ticket", Permission.TICKET_CREATE,
         lambda s, a, c: s.create_ticket(a, kind="consultation", channel="chat", subject="New question")),
    _use("claim_ticket", Permission.TICKET_CLAIM, lambda s, a, c: s.claim_ticket(a, c["ticket"])),
    _use("auto_assign", Permission.TICKET_CLAIM, lambda s, a, c: s.auto_assign(a, c["ticket"])),
    _use("assign_ticket", Permission.TICKET_ASSIGN, lambda s, a, c: s.assign_ticket(a, c["ticket"], "agent2")),
    _use("change_status", Permission.TICKET_STATUS, lambda s, a, c: s.change_status(a, c["ticket"], "open")),
    _use("reopen", Permission.TICKET_STATUS, lambda s, a, c: s.reopen(a, c["resolved"], "Customer disagrees")),
    _use("consult_department", Permission.TICKET_STATUS,
         lambda s, a, c: s.consult_department(a, c["ticket"], "Cards", "Why the fee?", "+2h")),
    _use("record_department_reply", Permission.TICKET_STATUS,
         lambda s, a, c: s.record_department_reply(a, c["ticket"], "Fee refunded")),
    _use("merge_ticket", Permission.TICKET_STATUS, lambda s, a, c: s.merge_ticket(a, c["ticket"], c["other_ref"])),
    _use("add_note", Permission.TICKET_NOTE, lambda s, a, c: s.add_note(a, c["ticket"], "Checked the log")),
    _use("link_tickets", Permission.TICKET_NOTE, lambda s, a, c: s.link_tickets(a, c["ticket"], c["other_ref"])),
    _use("list_tickets", Permission.TICKET_READ, lambda s, a, c: s.list_tickets(a), writes=False),
    _use("count_tickets", Permission.TICKET_READ, lambda s, a, c: s.count_tickets(a), writes=False),
    _use("get_ticket", Permission.TICKET_READ, lambda s, a, c: s.get_ticket(a, c["ticket"]), writes=False),
    _use("get_ticket_row", Permission.TICKET_READ, lambda s, a, c: s.get_ticket_row(a, c["ticket"]), writes=False),
    _use("find_ticket_ref", Permission.TICKET_READ, lambda s, a, c: s.find_ticket_ref(a, c["other_ref"]), writes=False),
    # customers
    _use("create_customer", Permission.CUSTOMER_WRITE, lambda s, a, c: s.create_customer(a, name="Matrix Ma")),
    _use("get_customer", Permission.CUSTOMER_READ, lambda s, a, c: s.get_customer(a, c["customer"]), writes=False),
    _use("find_customers", Permission.CUSTOMER_READ, lambda s, a, c: s.find_customers(a, "张"), writes=False),
    _use("reveal", Permission.PII_REVEAL, lambda s, a, c: s.reveal(a, c["customer"], "phone", c["ticket"])),
    # people and settings
    _use("add_user", Permission.USER_MANAGE, lambda s, a, c: s.add_user(a, "new.hire", "New Hire", "agent")),
    _use("set_availability_of_another", Permission.USER_MANAGE,
         lambda s, a, c: s.set_availability(a, "break", "agent2")),
    _use("set_skills", Permission.USER_MANAGE, lambda s, a, c: s.set_skills(a, "spec", ["complaint"])),
    _use("set_staff_no", Permission.USER_MANAGE, lambda s, a, c: s.set_staff_no(a, "agent1", "1024")),
    _use("set_sla_policy", Permission.SETTINGS_EDIT,
         lambda s, a, c: s.set_sla_policy(a, "complaint", "urgent", 15, 2880, "calendar")),
    # knowledge base
    _use("kb.search", Permission.KB_READ, lambda s, a, c: s.kb.search(a, "matrix"), writes=False),
    _use("kb.get_agent_article", Permission.KB_READ,
         lambda s, a, c: s.kb.get(a, "matrix-agent", "en"), writes=False),
    _use("kb.get_team_lead_article", Permission.KB_READ_TEAM_LEAD,
         lambda s, a, c: s.kb.get(a, "matrix-lead", "en"), writes=False),
    _use("kb.get_supervisor_article", Permission.KB_READ_SUPERVISOR,
         lambda s, a, c: s.kb.get(a, "matrix-sup", "en"), writes=False),
    _use("kb.history", Permission.KB_READ, lambda s, a, c: s.kb.history(a, "matrix-agent", "en"), writes=False),
    _use("kb.use_in_ticket", Permission.TICKET_NOTE,
         lambda s, a, c: s.kb.use_in_ticket(a, c["ticket"], "matrix-agent", "en")),
    _use("kb.report_gap", Permission.KB_GAP_REPORT, lambda s, a, c: s.kb.report_gap(a, c["ticket"], "No answer")),
    _use("kb.list_gaps", Permission.KB_EDIT, lambda s, a, c: s.kb.list_gaps(a), writes=False),
    _use("kb.resolve_gap", Permission.KB_EDIT, lambda s, a, c: s.kb.resolve_gap(a, c["gap"], "Article added")),
    _use("kb.edit", Permission.KB_EDIT,
         lambda s, a, c: s.kb.edit(a, "matrix-agent", "en", body="## Script\nA better answer.\n")),
    # business assistance
    _use("business.open_case", Permission.BUSINESS_WORK,
         lambda s, a, c: s.business.open_case(a, c["ticket"], "fund_redemption")),
    _use("business.list", Permission.BUSINESS_READ, lambda s, a, c: s.business.list(a), writes=False),
    _use("business.success_rates", Permission.BUSINESS_READ,
         lambda s, a, c: s.business.success_rates(a), writes=False),
    # records
    _use("purge_closed", Permission.RETENTION_PURGE, lambda s, a, c: s.purge_closed(a, years=3)),
]

_ARTICLE = """---
id: matrix-{level}
title: Matrix {level}
business: deposit
tags: [matrix]
audience: {audience}
version: 1
---
## Script
Matrix answer for {level}.
"""


def write_kb(directory: Path) -> Path:
    """Three English articles, one per audience (agent, team lead, supervisor)."""
    (directory / "en").mkdir(parents=True)
    for level, audience in (("agent", "agent"), ("lead", "team_lead"), ("sup", "supervisor")):
        (directory / "en" / f"matrix-{level}.md").write_text(_ARTICLE.format(level=level, audience=audience))
    return directory


@pytest.fixture
def prepared(store: Store, customer: CustomerView, tmp_path: Path) -> dict[str, str]:
    """A new ticket of a customer, a resolved one, another to link or merge into, a KB gap and three articles."""
    resolved = _new_ticket(store)
    store.change_status("sup", resolved, "resolved")
    other = store.get_ticket_row("sup", _new_ticket(store))
    report = store.kb.reindex(write_kb(tmp_path / "kb"))
    assert report.added == 3 and not report.errors
    gap = store.kb.report_gap("sup", None, "What is the matrix?")
    ticket = store.create_ticket("sup", kind="complaint", channel="phone", subject="Matrix", customer_id=customer.id)
    return {"ticket": ticket.id, "resolved": resolved, "customer": customer.id, "other_ref": other.ref, "gap": gap.id}


@pytest.mark.parametrize("use_case", USE_CASES, ids=lambda u: u.name)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_store_enforces_the_matrix(store: Store, prepared: dict[str, str], role: Role, use_case: UseCase) -> None:
    """DOMAIN.md: access follows role, enforced in the data layer; a refusal writes only its access.denied event."""
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
    assert store.verify_audit().ok


def test_every_role_has_a_user_and_every_use_case_is_covered() -> None:
    assert set(ACTOR) == set(Role)
    assert len({u.name for u in USE_CASES}) == len(USE_CASES)
    gateway = {name for name in dir(Store) if not name.startswith("_")} - NOT_USE_CASES - SUB_GATEWAYS
    assert gateway <= {u.name for u in USE_CASES}, "a store use case has no row in USE_CASES"
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
