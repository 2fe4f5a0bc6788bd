"""Read models of survey campaigns: a campaign, its sample preview and its results; no SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from csdesk.domain.survey_results import Csat, TrendPoint


@dataclass(frozen=True, slots=True)
class CampaignView:
    """A campaign as screens and commands see it."""

    id: str
    name: str
    period_start: date
    period_end: date
    kinds: tuple[str, ...]
    businesses: tuple[str, ...]
    agents: tuple[str, ...]
    sample_size: int | None
    sample_share: float | None
    channel: str
    questions: tuple[str, ...]
    seed: int
    fatigue_days: int
    call_days: int
    status: str
    population: int
    sampled: int
    answered: int
    satisfied: int  # overall answers 4–5
    excluded_dnc: int
    excluded_recent: int
    excluded_no_time: int
    reason: str
    created_by: str
    created_at: datetime
    launched_at: datetime | None
    closed_at: datetime | None

    @property
    def csat(self) -> float | None:
        """Satisfied (4–5) answers over answers so far (None without answers)."""
        return self.satisfied / self.answered if self.answered else None


@dataclass(frozen=True, slots=True)
class AgentSample:
    """One agent's stratum: customers they served (after exclusions) and how many are drawn."""

    agent_id: str
    agent_name: str
    served: int
    sampled: int


@dataclass(frozen=True, slots=True)
class SamplePreview:
    """What a launch would do now: population, exclusions and the sample per agent."""

    population: int
    sample: int
    excluded_dnc: int
    excluded_recent: int
    agents: tuple[AgentSample, ...]


@dataclass(frozen=True, slots=True)
class SurveyResults:
    """A campaign's results: CSAT overall and per agent, team, business; question means; the trend."""

    campaign: CampaignView
    overall: Csat
    by_agent: tuple[Csat, ...]
    by_team: tuple[Csat, ...]
    by_business: tuple[Csat, ...]
    question_means: tuple[float | None, ...]
    trend: tuple[TrendPoint, ...]
    target_floor: float
    target_goal: float
    agent_names: dict[str, str]  # agent id -> name, for the per-agent rows
