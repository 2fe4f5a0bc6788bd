"""SQLModel tables of callbacks and customers' contact preferences (schema revision 0005).

Both are projections of events (``callback.*`` and ``customer.contact_prefs_set``),
rebuilt from the log like every other projection. Timestamps are UTC. No foreign keys:
the rebuild empties projections in any order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class CallbackRow(SQLModel, table=True):
    """One scheduled callback (one occurrence of a recurring series)."""

    __tablename__ = "callback"
    __table_args__ = (
        Index("ix_callback_status_due", "status", "due_at"),
        Index("ix_callback_assignee_status", "assignee_id", "status"),
    )

    id: str = Field(primary_key=True)
    customer_id: str = Field(index=True)
    ticket_id: str | None = Field(default=None, index=True)
    complaint_id: str | None = Field(default=None, index=True)
    purpose: str
    channel: str
    note: str = ""
    due_at: datetime
    first_due_at: datetime
    assignee_id: str | None = None
    status: str = "scheduled"
    attempts: int = 0
    max_attempts: int = 3
    retry_minutes: int = 120
    outcome: str | None = None
    score: int | None = None
    comment: str = ""
    rule: str | None = None  # JSON of csdesk.domain.recurrence.RecurrenceRule, None: once
    series_id: str
    occurrence: int = 1
    series_start: datetime
    forced_reason: str | None = None
    reminded_due_at: datetime | None = None
    first_attempt_at: datetime | None = None
    completed_at: datetime | None = None
    created_by: str
    created_at: datetime
    updated_at: datetime


class ContactPrefRow(SQLModel, table=True):
    """When a customer agreed to be contacted (absent: every day 09:00–20:00 Beijing time)."""

    __tablename__ = "customer_contact_pref"

    customer_id: str = Field(primary_key=True)
    do_not_contact: bool = False
    window_start: str = "09:00"
    window_end: str = "20:00"
    weekdays: str = "0123456"
    time_zone: str = "Asia/Shanghai"
    updated_by: str
    updated_at: datetime
