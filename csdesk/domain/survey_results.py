"""Survey results: CSAT per agent, team and business, the quarter-over-quarter trend, the target.

**CSAT** here is DOMAIN.md's KPI "customer satisfaction (CSAT) | mean of 1–5 surveys, shown
as % satisfied (4–5) | 65 % → 75 %": the share of answers scoring 4 or 5 on the campaign's
overall question (its first one) among all answers to it. The mean score is reported beside
it. The **target** is the KPI's "65 % → 75 %": 65 % is the floor to reach now, 75 % the goal
it rises to; every CSAT is marked below the floor, at the floor, or at the goal.

The **response rate** is answered surveys over sampled customers (a refusal, a wrong number
or attempts run out count as not answered).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

SATISFIED = frozenset({4, 5})
TARGET_FLOOR = 0.65
TARGET_GOAL = 0.75


class TargetMark(StrEnum):
    """Where a CSAT stands against the 65 % → 75 % target."""

    BELOW = "below"
    FLOOR = "floor"
    GOAL = "goal"
    NONE = "none"  # no answers


@dataclass(frozen=True, slots=True)
class Response:
    """One sampled customer: who served them, and their 1–5 answers (empty: not answered)."""

    agent_id: str
    team: str
    business: str
    scores: tuple[int, ...] = ()

    @property
    def answered(self) -> bool:
        """True once the customer answered the overall question."""
        return bool(self.scores)


@dataclass(frozen=True, slots=True)
class Csat:
    """CSAT of one group: satisfied answers / answers, mean score, response rate."""

    key: str
    sampled: int
    answered: int
    satisfied: int
    mean: float | None

    @property
    def share(self) -> float | None:
        """Satisfied (4–5) answers over answers (None without answers)."""
        return self.satisfied / self.answered if self.answered else None

    @property
    def response_rate(self) -> float | None:
        """Answered over sampled."""
        return self.answered / self.sampled if self.sampled else None

    @property
    def mark(self) -> TargetMark:
        """Below 65 %, at least 65 %, at least 75 %."""
        return target_mark(self.share)


def target_mark(share: float | None) -> TargetMark:
    """The target band of ``share`` (DOMAIN.md KPI CSAT: 65 % → 75 %)."""
    if share is None:
        return TargetMark.NONE
    if share >= TARGET_GOAL - 1e-12:
        return TargetMark.GOAL
    if share >= TARGET_FLOOR - 1e-12:
        return TargetMark.FLOOR
    return TargetMark.BELOW


def csat(key: str, responses: Iterable[Response]) -> Csat:
    """CSAT of ``responses`` on the overall (first) question."""
    items = list(responses)
    overall = [r.scores[0] for r in items if r.answered]
    return Csat(
        key=key,
        sampled=len(items),
        answered=len(overall),
        satisfied=sum(1 for s in overall if s in SATISFIED),
        mean=sum(overall) / len(overall) if overall else None,
    )


def csat_by(responses: Sequence[Response], attribute: str) -> list[Csat]:
    """CSAT per ``agent_id``, ``team`` or ``business``, sorted by key."""
    groups: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        groups[getattr(response, attribute) or "-"].append(response)
    return [csat(key, groups[key]) for key in sorted(groups)]


def question_means(responses: Iterable[Response], questions: int) -> list[float | None]:
    """The mean score of each question over the customers who answered it."""
    totals = [0] * questions
    counts = [0] * questions
    for response in responses:
        for position, score in enumerate(response.scores[:questions]):
            totals[position] += score
            counts[position] += 1
    return [totals[i] / counts[i] if counts[i] else None for i in range(questions)]


def quarter_of(day: date) -> str:
    """The quarter label of ``day``, e.g. ``2026-Q4``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """CSAT of one quarter (campaigns grouped by the quarter their period starts in)."""

    quarter: str
    csat: Csat
    change: float | None  # percentage points against the previous quarter with answers


def trend(campaigns: Iterable[tuple[date, Sequence[Response]]]) -> list[TrendPoint]:
    """CSAT per quarter, oldest first, with the change against the quarter before."""
    groups: dict[str, list[Response]] = defaultdict(list)
    for start, responses in campaigns:
        groups[quarter_of(start)].extend(responses)
    points = []
    previous: float | None = None
    for quarter in sorted(groups):
        value = csat(quarter, groups[quarter])
        share = value.share
        change = (share - previous) * 100 if share is not None and previous is not None else None
        points.append(TrendPoint(quarter, value, change))
        previous = share if share is not None else previous
    return points
