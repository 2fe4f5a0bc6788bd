"""Plain result types of the supervisor's room (``store.reports`` and ``store.qa``); no SQLAlchemy.

Screens and commands receive these. Nothing here carries a whole customer identifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class KpiRow:
    """One KPI for one scope (agent, team or desk) and one day, week or quarter."""

    kpi: str
    bucket: str
    scope: str
    key: str
    met: int
    due: int
    share: float | None
    target: float
    higher_is_better: bool
    on_target: bool | None


@dataclass(frozen=True, slots=True)
class KpiTargetView:
    """A KPI's target in force; ``set_by`` is None for DOMAIN.md's default."""

    kpi: str
    value: float
    higher_is_better: bool
    set_by: str | None = None
    set_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IntervalStaffing:
    """One half-hour of a day: forecast arrivals, Erlang C need, and who is on the roster."""

    index: int
    label: str
    forecast: float
    erlangs: float
    agents: int
    scheduled: int
    rostered: int
    service_level: float

    @property
    def gap(self) -> int:
        """Rostered minus needed (negative: short of people)."""
        return self.rostered - self.scheduled


@dataclass(frozen=True, slots=True)
class StaffingPlan:
    """A day's staffing: the parameters used and every half-hour."""

    day: str
    aht_seconds: int
    shrinkage: float
    target: float
    answer_seconds: int
    weeks: int
    intervals: tuple[IntervalStaffing, ...]


@dataclass(frozen=True, slots=True)
class RosterShift:
    """An agent on the roster for a day, half-hours ``start_interval`` to ``end_interval`` (excluded)."""

    id: str
    agent_id: str
    day: str
    start_interval: int
    end_interval: int


@dataclass(frozen=True, slots=True)
class WaitingCount:
    """How many tickets of a kind and channel wait for the desk."""

    kind: str
    channel: str
    count: int


@dataclass(frozen=True, slots=True)
class SlaAlert:
    """A ticket past (or close to) its SLA deadline."""

    ticket_id: str
    ref: str
    kind: str
    channel: str
    priority: str
    status: str
    assignee_id: str | None
    due: datetime
    breached: bool


@dataclass(frozen=True, slots=True)
class AgentLoad:
    """An agent's availability and how many open tickets they hold."""

    id: str
    name: str
    role: str
    team: str
    availability: str
    open_tickets: int


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An emergency incident and its standard script."""

    id: str
    kind: str
    title: str
    script: str
    status: str
    raised_by: str
    raised_at: datetime
    closed_at: datetime | None = None
    tickets: int = 0


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """What the supervisor's live view shows at one moment."""

    at: datetime
    token: int
    waiting: tuple[WaitingCount, ...]
    waiting_total: int
    longest_wait_s: int
    longest_wait_ref: str | None
    alerts: tuple[SlaAlert, ...]
    agents: tuple[AgentLoad, ...]
    incidents: tuple[IncidentView, ...]
    arrivals_today: tuple[int, ...] = ()
    forecast_today: tuple[float, ...] = ()
    answered_30s: float | None = None
    csat_trend: tuple[tuple[str, float | None], ...] = ()
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def breaches(self) -> int:
        """Tickets past their deadline."""
        return sum(1 for a in self.alerts if a.breached)

    @property
    def near_breaches(self) -> int:
        """Tickets close to their deadline."""
        return sum(1 for a in self.alerts if not a.breached)


@dataclass(frozen=True, slots=True)
class QaReview:
    """A ticket sampled for QA and, once scored, its marks."""

    id: str
    ticket_id: str
    ticket_ref: str
    subject: str
    agent_id: str
    status: str
    sampled_at: datetime
    score: float | None = None
    marks: dict[str, int] = field(default_factory=dict)
    comment: str = ""
    inspector_id: str | None = None
    scored_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PenaltyView:
    """A recorded penalty decision."""

    id: str
    agent_id: str
    step: str
    violation: str
    reason: str
    evidence: tuple[str, ...]
    approver_id: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class WhistleReport:
    """An anonymous report: what it is about and what it says, never who filed it."""

    id: str
    subject: str
    text: str
    filed_at: datetime
