"""Read models of business assistance: a case with its documents, and success-rate rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DocumentCheck:
    """What the agent found for one required document."""

    doc_id: str
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class BusinessCaseView:
    """A business case with the customer masked and its document checks in checklist order."""

    id: str
    ticket_id: str
    ticket_ref: str
    customer_id: str | None
    customer_name: str  # masked
    customer_phone: str | None  # masked
    business_type: str
    stage: str
    department: str
    promised_at: datetime | None
    rework_count: int
    guidance: str
    override_reason: str | None
    agent_id: str
    team: str
    opened_at: datetime
    completed_at: datetime | None
    documents: tuple[DocumentCheck, ...]


@dataclass(frozen=True, slots=True)
class SuccessRow:
    """Business-assistance success rate of one agent, team or the desk (completed without rework / closed)."""

    scope: str  # "agent", "team" or "desk"
    key: str
    successes: int
    closed: int
    rate: float | None
