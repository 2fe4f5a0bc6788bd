"""Plain result types of the trainer gateway (``store.trainer``); light to import.

Scores are :class:`csdesk.domain.scoring.ScoreReport` values; scenarios are described
by :class:`ScenarioInfo` so screens need not know the scenario file format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from csdesk.domain.scenario import Text

#: Every export of training data carries this marker (demo data is never real).
DEMO_MARKER = "DEMO"


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """A scenario as the trainer picks it: title, briefing, what is checked."""

    id: str
    title: Text
    briefing: Text
    checks: tuple[str, ...]
    contacts: int
    minutes: int
    source: str


@dataclass(frozen=True, slots=True)
class RunInfo:
    """A run of a scenario by a trainee."""

    id: str
    scenario_id: str
    trainee: str
    started_by: str
    started_at: datetime
    seed: int
    finished: bool
    played: int
    planned: int


@dataclass(frozen=True, slots=True)
class ClockState:
    """The simulated clock the trainer controls."""

    now: datetime
    factor: float
    paused: bool
    adjustable: bool


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one step of the simulator did."""

    contacts: int
    lines: int
    reactions: int
    elapsed_s: int
    over: bool


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One thing that happened during a run, for the trainer's live feed (text masked)."""

    at: datetime
    actor: str
    kind: str
    ticket_ref: str
    detail: str
    by_trainee: bool
