"""Roles and the role matrix: which role may perform which use case.

This is the one place access is decided. The store gateway calls :func:`require`
before every use case, so a refusal holds whatever screen or command asked.
"""

from __future__ import annotations

from enum import StrEnum

from csdesk.domain.errors import PermissionDenied


class Role(StrEnum):
    """The people who use csdesk (DOMAIN.md, "People and roles")."""

    AGENT = "agent"
    SPECIALIST = "specialist"
    TEAM_LEAD = "team_lead"
    SUPERVISOR = "supervisor"
    QA = "qa"
    TRAINER = "trainer"
    ANALYST = "analyst"


class Permission(StrEnum):
    """Use cases that are subject to a role check."""

    TICKET_READ = "ticket.read"
    TICKET_CREATE = "ticket.create"
    TICKET_CLAIM = "ticket.claim"
    TICKET_ASSIGN = "ticket.assign"
    TICKET_STATUS = "ticket.status"
    TICKET_NOTE = "ticket.note"
    CUSTOMER_READ = "customer.read"
    CUSTOMER_WRITE = "customer.write"
    PII_REVEAL = "pii.reveal"
    USER_MANAGE = "user.manage"
    SETTINGS_EDIT = "settings.edit"
    AUDIT_VERIFY = "audit.verify"
    REPORT_READ = "report.read"
    LIVE_VIEW = "live.view"
    DEMO_RUN = "demo.run"
    KB_READ = "kb.read"
    KB_READ_TEAM_LEAD = "kb.read.team_lead"
    KB_READ_SUPERVISOR = "kb.read.supervisor"
    KB_EDIT = "kb.edit"
    KB_GAP_REPORT = "kb.gap.report"
    COMPLAINT_READ = "complaint.read"
    COMPLAINT_LOG = "complaint.log"
    COMPLAINT_HANDLE = "complaint.handle"
    COMPLAINT_GROUP = "complaint.group"
    COMPLAINT_RECUSE = "complaint.recuse"
    COMPLAINT_EXTEND = "complaint.extend"
    COMPLAINT_EXTEND_FURTHER = "complaint.extend.further"
    CALLBACK_READ = "callback.read"
    CALLBACK_SCHEDULE = "callback.schedule"
    CALLBACK_OUTCOME = "callback.outcome"
    CALLBACK_ASSIGN = "callback.assign"
    CONFLICT_RESOLVE = "conflict.resolve"
    RETENTION_PURGE = "retention.purge"
    KPI_TARGET_EDIT = "kpi.target.edit"
    ROSTER_EDIT = "roster.edit"
    QA_REVIEW = "qa.review"
    QA_READ_ALL = "qa.read.all"
    PENALTY_RECORD = "penalty.record"
    PENALTY_APPROVE = "penalty.approve"
    WHISTLE_FILE = "whistle.file"
    WHISTLE_READ = "whistle.read"
    INCIDENT_MANAGE = "incident.manage"
    BUSINESS_READ = "business.read"
    BUSINESS_WORK = "business.work"
    BUSINESS_OVERRIDE = "business.override"
    SURVEY_MANAGE = "survey.manage"
    SURVEY_READ = "survey.read"


_FRONT_LINE = frozenset({Role.AGENT, Role.SPECIALIST, Role.TEAM_LEAD, Role.SUPERVISOR})
_LEADS = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR})
_EVERYONE = frozenset(Role)

#: Permission -> roles allowed. Trainers act on demo stores, where they also hold
#: front-line rights so they can demonstrate every flow.
ROLE_MATRIX: dict[Permission, frozenset[Role]] = {
    Permission.TICKET_READ: _EVERYONE,
    Permission.TICKET_CREATE: _FRONT_LINE | {Role.TRAINER},
    Permission.TICKET_CLAIM: _FRONT_LINE | {Role.TRAINER},
    Permission.TICKET_ASSIGN: _LEADS | {Role.TRAINER},
    Permission.TICKET_STATUS: _FRONT_LINE | {Role.TRAINER},
    Permission.TICKET_NOTE: _FRONT_LINE | {Role.QA, Role.TRAINER},
    Permission.CUSTOMER_READ: _EVERYONE,
    Permission.CUSTOMER_WRITE: _FRONT_LINE | {Role.TRAINER},
    Permission.PII_REVEAL: _FRONT_LINE,
    Permission.USER_MANAGE: frozenset({Role.SUPERVISOR}),
    Permission.SETTINGS_EDIT: frozenset({Role.SUPERVISOR}),
    Permission.AUDIT_VERIFY: _LEADS | {Role.QA},
    Permission.REPORT_READ: _LEADS | {Role.QA, Role.ANALYST},
    Permission.LIVE_VIEW: _LEADS | {Role.QA},
    Permission.DEMO_RUN: frozenset({Role.TRAINER, Role.SUPERVISOR}),
    Permission.KB_READ: _EVERYONE,
    Permission.KB_READ_TEAM_LEAD: _LEADS,
    Permission.KB_READ_SUPERVISOR: frozenset({Role.SUPERVISOR}),
    Permission.KB_EDIT: _LEADS,
    Permission.KB_GAP_REPORT: _FRONT_LINE | {Role.QA, Role.TRAINER},
    Permission.COMPLAINT_READ: _EVERYONE,
    Permission.COMPLAINT_LOG: _FRONT_LINE | {Role.TRAINER},
    Permission.COMPLAINT_HANDLE: _FRONT_LINE | {Role.TRAINER},
    Permission.COMPLAINT_GROUP: frozenset({Role.SUPERVISOR}),
    Permission.COMPLAINT_RECUSE: _LEADS,
    Permission.COMPLAINT_EXTEND: _LEADS,  # to 30 days (CBIRC Order 2020 No. 3 Art. 16)
    Permission.COMPLAINT_EXTEND_FURTHER: frozenset({Role.SUPERVISOR}),  # beyond 30, at most 60
    Permission.CALLBACK_READ: _EVERYONE,
    Permission.CALLBACK_SCHEDULE: _FRONT_LINE | {Role.TRAINER},
    Permission.CALLBACK_OUTCOME: _FRONT_LINE | {Role.TRAINER},
    # scheduling for someone else, or recording on someone else's callback
    Permission.CALLBACK_ASSIGN: _LEADS | {Role.TRAINER},
    Permission.CONFLICT_RESOLVE: frozenset({Role.SUPERVISOR}),
    Permission.RETENTION_PURGE: frozenset({Role.SUPERVISOR}),
    Permission.KPI_TARGET_EDIT: frozenset({Role.SUPERVISOR}),
    Permission.ROSTER_EDIT: _LEADS,
    Permission.QA_REVIEW: frozenset({Role.QA, Role.SUPERVISOR}),
    Permission.QA_READ_ALL: _LEADS | {Role.QA},
    Permission.PENALTY_RECORD: frozenset({Role.QA, Role.SUPERVISOR}),
    Permission.PENALTY_APPROVE: frozenset({Role.SUPERVISOR}),
    Permission.WHISTLE_FILE: _EVERYONE,
    Permission.WHISTLE_READ: frozenset({Role.SUPERVISOR}),
    Permission.INCIDENT_MANAGE: frozenset({Role.SUPERVISOR}),
    Permission.BUSINESS_READ: _EVERYONE,
    Permission.BUSINESS_WORK: _FRONT_LINE | {Role.TRAINER},
    # passing an incomplete file to the department, with a reason
    Permission.BUSINESS_OVERRIDE: _LEADS,
    # satisfaction survey campaigns: a supervisor defines, launches, closes; results for reporting roles
    Permission.SURVEY_MANAGE: frozenset({Role.SUPERVISOR}),
    Permission.SURVEY_READ: _LEADS | {Role.QA, Role.ANALYST},
}

#: A knowledge-base article's ``audience`` -> the permission needed to read it
#: (DOMAIN.md: some courseware is visible only to team leads and above).
KB_AUDIENCE: dict[str, Permission] = {
    "agent": Permission.KB_READ,
    "team_lead": Permission.KB_READ_TEAM_LEAD,
    "supervisor": Permission.KB_READ_SUPERVISOR,
}


def kb_audiences(role: Role | str) -> tuple[str, ...]:
    """The article audiences ``role`` may read, e.g. ``("agent",)`` for an agent."""
    return tuple(audience for audience, permission in KB_AUDIENCE.items() if can(role, permission))


def can(role: Role | str, permission: Permission) -> bool:
    """Return True when ``role`` may perform ``permission``."""
    try:
        role = Role(role)
    except ValueError:
        return False
    return role in ROLE_MATRIX[permission]


def require(role: Role | str, permission: Permission) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may perform ``permission``."""
    if not can(role, permission):
        raise PermissionDenied(f"Your role ({role}) may not do this: {permission.value}.")
