"""Plain result types of the complaints sub-gateway (``store.complaints``); light to import.

Customer numbers arrive masked; free text arrives sanitised and masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from csdesk.data.api import TimelineEntry


class ComplaintStatus(StrEnum):
    """Where a complaint stands: handled, decided, notice sent, closed; a review reopens handling."""

    OPEN = "open"
    DECIDED = "decided"
    NOTIFIED = "notified"
    REVIEW = "review"
    CLOSED = "closed"


OPEN_STATUSES = (ComplaintStatus.OPEN.value, ComplaintStatus.DECIDED.value, ComplaintStatus.REVIEW.value)


@dataclass(frozen=True, slots=True)
class ComplaintRowView:
    """One line of the complaints list, with the clock as of today."""

    id: str
    ticket_id: str
    ref: str
    customer_id: str | None
    customer_name: str
    customer_phone: str | None
    business: str
    cause: str
    status: str
    accepted_at: datetime
    deadline: date
    days_remaining: int
    promised_at: date
    paused: bool
    major: bool
    allowed_days: int
    due_soon: bool
    lead_handler_id: str | None


@dataclass(frozen=True, slots=True)
class PauseView:
    """A period the clock stood still."""

    id: str
    reason: str
    note: str
    start_on: date
    end_on: date | None


@dataclass(frozen=True, slots=True)
class ExtensionView:
    """An approved extension."""

    from_days: int
    to_days: int
    reason: str
    approved_by: str
    approved_at: datetime


@dataclass(frozen=True, slots=True)
class StepView:
    """A recorded step of the handling (investigation, department reply, escalation, repeat)."""

    kind: str
    department: str
    text: str
    actor_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ComplaintDetail:
    """Everything about one complaint."""

    row: ComplaintRowView
    channel: str
    description: str
    remedy: str
    severity: str
    complainants: int
    amount_in_dispute: str
    major_grounds: tuple[str, ...]
    departments: tuple[str, ...]
    members: tuple[str, ...]
    conflicted: tuple[str, ...]
    findings: str
    decision: str
    basis: str
    root_cause: str
    decided_at: datetime | None
    notice_sent_at: datetime | None
    notice_channel: str
    notice_proof: str
    closed_at: datetime | None
    follow_up_due: date | None
    review_due: date | None
    reopened_count: int
    linked_to: str | None
    pauses: tuple[PauseView, ...] = ()
    extensions: tuple[ExtensionView, ...] = ()
    steps: tuple[StepView, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
