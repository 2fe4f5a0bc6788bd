"""Key performance indicators of the desk (DOMAIN.md, "KPIs").

Every KPI in the table is a share: the cases that met the standard over the cases that were
due. Each ``*_observations`` function below turns plain facts (times, answers, flags) into
:class:`Observation` values, one per case that counts, deciding which cases are due at
``now``; :func:`summarise` then groups them per agent, team or the whole desk and per day,
week or quarter, and compares each share with its target. Nothing here reads a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from csdesk.domain.errors import ValidationError

DESK_TZ = ZoneInfo("Asia/Shanghai")
FIRST_RESPONSE_LIMIT = timedelta(seconds=30)
FIRST_RESPONSE_CHANNELS = frozenset({"phone", "chat"})
CHURN_WINDOW = timedelta(days=90)
SATISFIED_SCORES = frozenset({4, 5})


class Kpi(StrEnum):
    """The KPIs of DOMAIN.md's table, in its order."""

    FIRST_RESPONSE = "first_response"
    CONSULTATION_TIMELINESS = "consultation_timeliness"
    COMPLAINT_ON_TIME = "complaint_on_time"
    COMPLAINT_SATISFACTION = "complaint_satisfaction"
    BUSINESS_SUCCESS = "business_success"
    CALLBACK_COMPLETION = "callback_completion"
    CSAT = "csat"
    CHURN = "churn"


class Period(StrEnum):
    """How observations are bucketed in time."""

    DAY = "day"
    WEEK = "week"
    QUARTER = "quarter"


class Scope(StrEnum):
    """Whose KPIs: each agent, each team, or the whole desk."""

    AGENT = "agent"
    TEAM = "team"
    DESK = "desk"


@dataclass(frozen=True, slots=True)
class Target:
    """A KPI's target; ``higher_is_better`` is False for churn (a ceiling, not a floor)."""

    value: float
    higher_is_better: bool = True

    def met(self, share: float) -> bool:
        """Whether ``share`` reaches the target."""
        return share >= self.value - 1e-12 if self.higher_is_better else share <= self.value + 1e-12


#: DOMAIN.md defaults (CSAT 65 % rising to 75 %, churn 15 % falling to 10 %: the first figure).
DEFAULT_TARGETS: dict[Kpi, Target] = {
    Kpi.FIRST_RESPONSE: Target(0.95),
    Kpi.CONSULTATION_TIMELINESS: Target(0.98),
    Kpi.COMPLAINT_ON_TIME: Target(1.0),
    Kpi.COMPLAINT_SATISFACTION: Target(0.75),
    Kpi.BUSINESS_SUCCESS: Target(0.95),
    Kpi.CALLBACK_COMPLETION: Target(0.95),
    Kpi.CSAT: Target(0.65),
    Kpi.CHURN: Target(0.15, higher_is_better=False),
}


@dataclass(frozen=True, slots=True)
class Observation:
    """One case that counts towards a KPI: when, whose, and whether it met the standard."""

    kpi: Kpi
    at: datetime
    agent_id: str | None
    ok: bool
    team: str = ""


@dataclass(frozen=True, slots=True)
class KpiValue:
    """One KPI for one scope and one time bucket, against its target."""

    kpi: Kpi
    bucket: str
    scope: Scope
    key: str
    met_count: int
    due_count: int
    target: float
    higher_is_better: bool

    @property
    def share(self) -> float | None:
        """``met_count / due_count``, or None when nothing was due."""
        return self.met_count / self.due_count if self.due_count else None

    @property
    def on_target(self) -> bool | None:
        """Whether the share reaches the target (None when nothing was due)."""
        share = self.share
        return None if share is None else Target(self.target, self.higher_is_better).met(share)


# --------------------------------------------------------------------------- facts -> observations
@dataclass(frozen=True, slots=True)
class FirstContact:
    """A contact and when it was first answered (``first_response_at`` None while unanswered)."""

    channel: str
    created_at: datetime
    first_response_at: datetime | None
    agent_id: str | None = None
    team: str = ""


def first_response_observations(
    contacts: Iterable[FirstContact], now: datetime, limit: timedelta = FIRST_RESPONSE_LIMIT
) -> list[Observation]:
    """Phone and chat contacts answered within ``limit`` (30 s).

    A contact still unanswered counts (as missed) once it has waited longer than the limit;
    one waiting less is not yet due. Other channels do not count.
    """
    result = []
    for c in contacts:
        if c.channel not in FIRST_RESPONSE_CHANNELS:
            continue
        if c.first_response_at is None:
            if now - c.created_at > limit:
                result.append(Observation(Kpi.FIRST_RESPONSE, c.created_at, c.agent_id, False, c.team))
            continue
        ok = c.first_response_at - c.created_at <= limit
        result.append(Observation(Kpi.FIRST_RESPONSE, c.created_at, c.agent_id, ok, c.team))
    return result


@dataclass(frozen=True, slots=True)
class Promise:
    """Something promised by ``due_at`` and done at ``done_at`` (None while not done)."""

    due_at: datetime
    done_at: datetime | None
    agent_id: str | None = None
    team: str = ""


def promise_observations(kpi: Kpi, promises: Iterable[Promise], now: datetime) -> list[Observation]:
    """Promises kept on time: due ones (deadline passed, or done) count, bucketed by their deadline.

    Used for consultation replies (promised reply time), complaint decisions (regulatory
    deadline) and callbacks (due time).
    """
    result = []
    for p in promises:
        if p.done_at is None and p.due_at > now:
            continue
        ok = p.done_at is not None and p.done_at <= p.due_at
        result.append(Observation(kpi, p.due_at, p.agent_id, ok, p.team))
    return result


def consultation_observations(promises: Iterable[Promise], now: datetime) -> list[Observation]:
    """Consultations answered by their promised time / all due (target ≥ 98 %)."""
    return promise_observations(Kpi.CONSULTATION_TIMELINESS, promises, now)


def complaint_on_time_observations(promises: Iterable[Promise], now: datetime) -> list[Observation]:
    """Complaints decided within the regulatory clock / all due (target 100 %)."""
    return promise_observations(Kpi.COMPLAINT_ON_TIME, promises, now)


def callback_observations(promises: Iterable[Promise], now: datetime) -> list[Observation]:
    """Callbacks done by their due time / callbacks due (target ≥ 95 %)."""
    return promise_observations(Kpi.CALLBACK_COMPLETION, promises, now)


@dataclass(frozen=True, slots=True)
class Answer:
    """A satisfaction answer on a 1–5 scale."""

    at: datetime
    score: int
    agent_id: str | None = None
    team: str = ""


def _check_score(score: int) -> None:
    if not 1 <= score <= 5:
        raise ValidationError("score", "A satisfaction answer is a score from 1 to 5.")


def satisfaction_observations(kpi: Kpi, answers: Iterable[Answer]) -> list[Observation]:
    """Satisfied (4–5) answers over all answers: CSAT, and complaint follow-up satisfaction."""
    result = []
    for a in answers:
        _check_score(a.score)
        result.append(Observation(kpi, a.at, a.agent_id, a.score in SATISFIED_SCORES, a.team))
    return result


def csat_mean(scores: Iterable[int]) -> float | None:
    """The mean of 1–5 survey scores (None without answers)."""
    values = list(scores)
    for score in values:
        _check_score(score)
    return sum(values) / len(values) if values else None


@dataclass(frozen=True, slots=True)
class BusinessCase:
    """A business-assistance ticket: closed or not, and whether it had to be reworked (reopened)."""

    at: datetime
    closed: bool
    reworked: bool
    agent_id: str | None = None
    team: str = ""


def business_observations(cases: Iterable[BusinessCase]) -> list[Observation]:
    """Completed without rework / closed (target ≥ 95 %); open cases do not count yet."""
    return [Observation(Kpi.BUSINESS_SUCCESS, c.at, c.agent_id, not c.reworked, c.team) for c in cases if c.closed]


@dataclass(frozen=True, slots=True)
class Complainant:
    """A customer's complaint and when (if ever) the customer closed their accounts."""

    complained_at: datetime
    account_closed_at: datetime | None
    agent_id: str | None = None
    team: str = ""


def churn_observations(
    complainants: Iterable[Complainant], now: datetime, window: timedelta = CHURN_WINDOW
) -> list[Observation]:
    """Complainants who closed their accounts within 90 days (``ok`` means churned; lower is better).

    A complainant counts once the 90 days are over, or earlier if they already left.
    """
    result = []
    for c in complainants:
        left = c.account_closed_at is not None and c.complained_at <= c.account_closed_at <= c.complained_at + window
        if left or now >= c.complained_at + window:
            result.append(Observation(Kpi.CHURN, c.complained_at, c.agent_id, left, c.team))
    return result


# --------------------------------------------------------------------------- buckets and summaries
def bucket_of(moment: datetime, period: Period, tz: ZoneInfo = DESK_TZ) -> str:
    """The bucket label of ``moment`` in desk time: ``2026-11-23``, ``2026-W48`` or ``2026-Q4``."""
    local = moment.astimezone(tz) if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
    day = local.date()
    if period is Period.DAY:
        return day.isoformat()
    if period is Period.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def bucket_start(label: str) -> date:
    """The first day of a bucket labelled by :func:`bucket_of`."""
    if "-W" in label:
        year, week = label.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    if "-Q" in label:
        year, quarter = label.split("-Q")
        return date(int(year), 3 * (int(quarter) - 1) + 1, 1)
    return date.fromisoformat(label)


def _scope_key(obs: Observation, scope: Scope, desk_id: str) -> str | None:
    if scope is Scope.DESK:
        return desk_id
    if scope is Scope.TEAM:
        return obs.team or None
    return obs.agent_id


def summarise(
    observations: Iterable[Observation],
    period: Period,
    scope: Scope,
    targets: Mapping[Kpi, Target] | None = None,
    desk_id: str = "desk",
    tz: ZoneInfo = DESK_TZ,
) -> list[KpiValue]:
    """Count met and due cases per (bucket, scope key, KPI), each against its target.

    Observations without an agent (or team) are left out of agent (team) summaries but count
    for the desk. Rows come sorted by bucket, KPI order, then key.
    """
    targets = {**DEFAULT_TARGETS, **(targets or {})}
    counts: dict[tuple[str, Kpi, str], list[int]] = defaultdict(lambda: [0, 0])
    for obs in observations:
        key = _scope_key(obs, scope, desk_id)
        if key is None:
            continue
        cell = counts[(bucket_of(obs.at, period, tz), obs.kpi, key)]
        cell[0] += int(obs.ok)
        cell[1] += 1
    order = {kpi: i for i, kpi in enumerate(Kpi)}
    rows = []
    ordered = sorted(counts.items(), key=lambda item: (item[0][0], order[item[0][1]], item[0][2]))
    for (bucket, kpi, key), (met, due) in ordered:
        target = targets[kpi]
        rows.append(KpiValue(kpi, bucket, scope, key, met, due, target.value, target.higher_is_better))
    return rows
