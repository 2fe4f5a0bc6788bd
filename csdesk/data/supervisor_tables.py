"""SQLModel tables of the supervisor's room (schema revision 0007).

All are projections of events (``kpi.*``, ``roster.*``, ``qa.*``, ``whistle.*``,
``incident.*``) kept by :mod:`csdesk.data.supervisor_reducer` and rebuilt from the log.
Timestamps are naive UTC; roster days are desk-time dates (``YYYY-MM-DD``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class KpiTargetRow(SQLModel, table=True):
    """A KPI target a supervisor set (absent: DOMAIN.md's default)."""

    __tablename__ = "kpi_target"

    id: str = Field(primary_key=True)  # the KPI
    value: float
    set_by: str
    set_at: datetime


class RosterShiftRow(SQLModel, table=True):
    """An agent on the roster for a day, from one half-hour to another (end excluded)."""

    __tablename__ = "roster_shift"
    __table_args__ = (Index("ix_roster_shift_day", "day"),)

    id: str = Field(primary_key=True)
    agent_id: str
    day: str
    start_interval: int
    end_interval: int


class QaReviewRow(SQLModel, table=True):
    """A handled ticket picked for a QA check, and its score once marked."""

    __tablename__ = "qa_review"
    __table_args__ = (Index("ix_qa_review_agent", "agent_id", "status"),)

    id: str = Field(primary_key=True)
    ticket_id: str = Field(index=True)
    agent_id: str
    sampled_by: str
    sampled_at: datetime
    status: str = "sampled"  # sampled | scored
    inspector_id: str | None = None
    marks: str | None = None  # JSON {criterion: 0..5}
    score: float | None = None
    comment: str = ""
    scored_at: datetime | None = None


class QaPenaltyRow(SQLModel, table=True):
    """A recorded penalty decision: step of the ladder, reason, evidence, approver."""

    __tablename__ = "qa_penalty"
    __table_args__ = (Index("ix_qa_penalty_agent", "agent_id"),)

    id: str = Field(primary_key=True)
    agent_id: str
    step: str
    violation: str
    reason: str
    evidence: str  # JSON array of ticket ids
    approver_id: str
    decided_by: str
    decided_at: datetime


class WhistleReportRow(SQLModel, table=True):
    """An anonymous report to the supervisor. The reporter is never stored."""

    __tablename__ = "whistle_report"

    id: str = Field(primary_key=True)
    subject: str
    text: str
    filed_at: datetime


class IncidentRow(SQLModel, table=True):
    """An emergency (system outage, mass complaint) with the script every desk shows."""

    __tablename__ = "incident"

    id: str = Field(primary_key=True)
    kind: str
    title: str
    script: str
    status: str = "open"  # open | closed
    raised_by: str
    raised_at: datetime
    closed_by: str | None = None
    closed_at: datetime | None = None


class IncidentTicketRow(SQLModel, table=True):
    """A ticket linked to an incident."""

    __tablename__ = "incident_ticket"

    incident_id: str = Field(primary_key=True)
    ticket_id: str = Field(primary_key=True, index=True)
    linked_by: str
    linked_at: datetime


SUPERVISOR_TABLES = (
    "kpi_target",
    "roster_shift",
    "qa_review",
    "qa_penalty",
    "whistle_report",
    "incident",
    "incident_ticket",
)
