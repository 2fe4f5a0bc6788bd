"""Ticket vocabulary and the status state machine (DOMAIN.md, "What arrives at the desk").

Status moves forward only: new -> open -> waiting_customer / waiting_department ->
resolved -> closed, with an explicit reopen from resolved or closed back to open.
Waiting states pause the SLA clock.
"""

from __future__ import annotations

from enum import StrEnum

from csdesk.domain.errors import Conflict


class Kind(StrEnum):
    """What a contact is about."""

    CONSULTATION = "consultation"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    BUSINESS = "business"
    CALLBACK = "callback"


class Channel(StrEnum):
    """How a contact reached the desk."""

    PHONE = "phone"
    CHAT = "chat"
    SOCIAL = "social"
    EMAIL = "email"
    WALK_IN = "walk_in"
    LETTER = "letter"
    REGULATOR = "regulator"


class Priority(StrEnum):
    """Urgency of a ticket."""

    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Status(StrEnum):
    """Where a ticket stands in its life."""

    NEW = "new"
    OPEN = "open"
    WAITING_CUSTOMER = "waiting_customer"
    WAITING_DEPARTMENT = "waiting_department"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Business(StrEnum):
    """Business line taxonomy (after JR/T 0169-2018)."""

    DEPOSIT = "deposit"
    LOAN = "loan"
    BANK_CARD = "bank_card"
    CREDIT_CARD = "credit_card"
    PAYMENT = "payment"
    WEALTH_FUND = "wealth_fund"
    INSURANCE_AGENCY = "insurance_agency"
    PRECIOUS_METALS = "precious_metals"
    FX = "fx"
    OTHER = "other"


class Cause(StrEnum):
    """Cause taxonomy (after JR/T 0169-2018)."""

    SERVICE_ATTITUDE = "service_attitude"
    PROCESS = "process"
    PRICING_FEES = "pricing_fees"
    PRODUCT_DESIGN = "product_design"
    DISCLOSURE = "disclosure"
    SALES_PRACTICE = "sales_practice"
    CONTRACT_TERMS = "contract_terms"
    DEBT_COLLECTION = "debt_collection"
    DATA_SECURITY = "data_security"
    SYSTEM_FAILURE = "system_failure"
    OTHER = "other"


WAITING = frozenset({Status.WAITING_CUSTOMER, Status.WAITING_DEPARTMENT})
FINISHED = frozenset({Status.RESOLVED, Status.CLOSED})

_FORWARD: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.OPEN, *WAITING, Status.RESOLVED}),
    Status.OPEN: frozenset({*WAITING, Status.RESOLVED}),
    Status.WAITING_CUSTOMER: frozenset({Status.OPEN, Status.WAITING_DEPARTMENT, Status.RESOLVED}),
    Status.WAITING_DEPARTMENT: frozenset({Status.OPEN, Status.WAITING_CUSTOMER, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

_RANK = {
    Status.NEW: 0,
    Status.OPEN: 1,
    Status.WAITING_CUSTOMER: 1,
    Status.WAITING_DEPARTMENT: 1,
    Status.RESOLVED: 2,
    Status.CLOSED: 3,
}


def allowed_next(current: Status) -> frozenset[Status]:
    """Statuses reachable from ``current`` by an ordinary status change."""
    return _FORWARD[current]


def check_transition(current: Status, new: Status) -> None:
    """Raise :class:`Conflict` unless ``current`` may move to ``new`` (reopen excluded)."""
    if new not in _FORWARD[current]:
        raise Conflict(f"A ticket that is {current.value} cannot move to {new.value}.")


def can_reopen(current: Status) -> bool:
    """Only resolved or closed tickets are reopened, and only by an explicit reopen."""
    return current in FINISHED


def status_rank(status: Status) -> int:
    """Order of progress used when merging concurrent status changes: higher wins."""
    return _RANK[status]
