"""Plain result types of the callbacks gateway (``store.callbacks``); no SQLAlchemy.

Customer phone numbers arrive masked; notes and comments pass through ``mask_text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class CallbackView:
    """One scheduled callback (one occurrence of a series), as screens and commands see it."""

    id: str
    customer_id: str
    customer_name: str
    customer_phone: str | None
    customer_vip: bool
    customer_time_zone: str
    ticket_id: str | None
    ticket_ref: str | None
    complaint_id: str | None
    purpose: str
    channel: str
    note: str
    due_at: datetime
    first_due_at: datetime
    assignee_id: str | None
    assignee_name: str | None
    status: str
    attempts: int
    max_attempts: int
    retry_minutes: int
    outcome: str | None
    score: int | None
    comment: str
    rule: dict[str, Any] | None
    series_id: str
    occurrence: int
    series_start: datetime
    forced_reason: str | None
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class ContactPrefsView:
    """When a customer may be contacted; ``recorded`` is False for the defaults."""

    customer_id: str
    do_not_contact: bool
    window_start: str
    window_end: str
    weekdays: tuple[int, ...]
    time_zone: str
    recorded: bool


@dataclass(frozen=True, slots=True)
class TodayList:
    """Today's callbacks still to make, in three groups, each by due time."""

    overdue: list[CallbackView] = field(default_factory=list)
    due_now: list[CallbackView] = field(default_factory=list)
    upcoming: list[CallbackView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class WeekAgenda:
    """Callbacks of one week (Monday first), cancelled ones left out."""

    days: dict[date, list[CallbackView]]


@dataclass(frozen=True, slots=True)
class OutcomeResult:
    """What recording an attempt did: the callback now, the next one made, a ticket reopened."""

    callback: CallbackView
    next: CallbackView | None = None
    reopened_ref: str | None = None
    unsatisfied: bool = False


@dataclass(frozen=True, slots=True)
class CompletionRow:
    """The completion KPI for one agent, one team or the whole desk."""

    scope: str  # "agent" | "team" | "desk"
    key: str
    name: str
    due: int
    on_time: int
    rate: float | None
