"""SQLModel tables of the complaints room (schema revision 0004); projections of ``complaint.*`` events.

``complaint`` holds one row per complaint with its regulatory clock; pauses, extensions and
steps (investigation, department replies, escalations) are grow-only child rows. Dates
(``deadline``, ``promised_at``, pause days) are the desk's local calendar days; times are UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class ComplaintRow(SQLModel, table=True):
    """A complaint (CBIRC Order 2020 No. 3) and where its clock stands."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_status_deadline", "status", "deadline"),)

    id: str = Field(primary_key=True)
    ticket_id: str = Field(index=True)
    customer_id: str | None = Field(default=None, index=True)
    channel: str
    business: str
    cause: str
    description: str = ""
    remedy: str = ""
    severity: str = "normal"
    complainants: int = 1
    amount_in_dispute: str = ""
    accepted_at: datetime
    allowed_days: int = 15
    roll_forward: bool = True
    paused_days: int = 0
    paused: bool = False
    paused_since: date | None = None
    deadline: date
    promised_at: date
    status: str = "open"
    major: bool = False
    major_grounds: str = ""
    lead_handler_id: str | None = None
    departments: str = ""
    members: str = ""
    conflicted: str = ""
    findings: str = ""
    decision: str = ""
    basis: str = ""
    root_cause: str = ""
    decided_at: datetime | None = None
    notice_sent_at: datetime | None = None
    notice_channel: str = ""
    notice_proof: str = ""
    closed_at: datetime | None = None
    follow_up_due: date | None = None
    review_requested_at: datetime | None = None
    review_due: date | None = None
    reopened_count: int = 0
    linked_to: str | None = None
    created_by: str
    updated_at: datetime


class ComplaintPauseRow(SQLModel, table=True):
    """A period the clock stood still (appraisal, inspection, expert assessment, mediation)."""

    __tablename__ = "complaint_pause"

    id: str = Field(primary_key=True)
    complaint_id: str = Field(index=True)
    reason: str
    note: str = ""
    start_on: date
    end_on: date | None = None
    paused_by: str
    resumed_by: str | None = None


class ComplaintExtensionRow(SQLModel, table=True):
    """An approved extension of the clock, with the reason told to the customer."""

    __tablename__ = "complaint_extension"

    id: str = Field(primary_key=True)
    complaint_id: str = Field(index=True)
    from_days: int
    to_days: int
    reason: str
    approved_by: str
    approved_at: datetime


class ComplaintStepRow(SQLModel, table=True):
    """One recorded step: investigation, a department's reply, an escalation, a repeat contact."""

    __tablename__ = "complaint_step"

    id: str = Field(primary_key=True)
    complaint_id: str = Field(index=True)
    kind: str
    department: str = ""
    text: str = ""
    actor_id: str
    at: datetime


class ComplaintPolicyRow(SQLModel, table=True):
    """The desk's complaint-clock policy (rest-day roll-forward on or off)."""

    __tablename__ = "complaint_policy"

    id: str = Field(primary_key=True)
    roll_forward: bool = True


COMPLAINT_TABLES = ("complaint", "complaint_pause", "complaint_extension", "complaint_step", "complaint_policy")
