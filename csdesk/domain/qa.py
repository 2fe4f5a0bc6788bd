"""Quality assurance rules (DOMAIN.md, "Service standards and quality", seed 001).

A QA inspector scores a handled ticket on a sheet of seven criteria weighted to 100; each
criterion gets a mark from 0 to 5 and earns ``weight x mark / 5`` points. Violations are
met with the penalty ladder, one rung at a time; serious violations (leaking customer
data, falsifying records) may go straight to any rung.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from csdesk.domain.errors import ValidationError

T = TypeVar("T")
MAX_MARK = 5


class Criterion(StrEnum):
    """The score sheet's criteria, in the order they are scored."""

    GREETING = "greeting"
    IDENTITY_CHECK = "identity_check"
    ACCURACY = "accuracy"
    ATTITUDE = "attitude"
    COMPLIANCE = "compliance"
    RESOLUTION = "resolution"
    RECORD_QUALITY = "record_quality"


#: Points each criterion carries; they sum to 100.
WEIGHTS: dict[Criterion, int] = {
    Criterion.GREETING: 10,
    Criterion.IDENTITY_CHECK: 15,
    Criterion.ACCURACY: 20,
    Criterion.ATTITUDE: 15,
    Criterion.COMPLIANCE: 15,
    Criterion.RESOLUTION: 15,
    Criterion.RECORD_QUALITY: 10,
}


def check_marks(marks: Mapping[str, int]) -> dict[str, int]:
    """Every criterion marked 0–5, nothing else; raises :class:`ValidationError` naming the rule."""
    unknown = set(marks) - {c.value for c in Criterion}
    if unknown:
        raise ValidationError(
            "marks", f"Unknown criteria {sorted(unknown)}; the sheet has {[c.value for c in Criterion]}."
        )
    result: dict[str, int] = {}
    for criterion in Criterion:
        if criterion.value not in marks:
            raise ValidationError(criterion.value, f"Mark every criterion; {criterion.value} is missing.")
        mark = marks[criterion.value]
        if not isinstance(mark, int) or isinstance(mark, bool) or not 0 <= mark <= MAX_MARK:
            raise ValidationError(criterion.value, f"A mark is a whole number from 0 to {MAX_MARK}.")
        result[criterion.value] = mark
    return result


def total_score(marks: Mapping[str, int]) -> float:
    """The weighted total out of 100."""
    checked = check_marks(marks)
    return round(sum(WEIGHTS[Criterion(name)] * mark / MAX_MARK for name, mark in checked.items()), 2)


class Penalty(StrEnum):
    """The penalty ladder, lightest first."""

    VERBAL_WARNING = "verbal_warning"
    WRITTEN_WARNING = "written_warning"
    FINE = "fine"
    DEMOTION = "demotion"
    DISMISSAL = "dismissal"


LADDER: tuple[Penalty, ...] = tuple(Penalty)


class Violation(StrEnum):
    """What the agent did wrong; the first two are serious."""

    DATA_LEAK = "data_leak"
    FALSIFIED_RECORDS = "falsified_records"
    SERVICE_ATTITUDE = "service_attitude"
    PROCESS_BREACH = "process_breach"
    SCRIPT_BREACH = "script_breach"
    OTHER = "other"


SERIOUS = frozenset({Violation.DATA_LEAK, Violation.FALSIFIED_RECORDS})


def next_rung(previous: Iterable[str]) -> Penalty:
    """The rung after the heaviest penalty already given (verbal warning for a first one)."""
    heaviest = max((LADDER.index(Penalty(p)) for p in previous), default=-1)
    return LADDER[min(heaviest + 1, len(LADDER) - 1)]


def check_penalty(step: str, violation: str, previous: Iterable[str]) -> Penalty:
    """Refuse skipping rungs unless the violation is serious; return the penalty."""
    try:
        penalty = Penalty(step)
    except ValueError:
        raise ValidationError("step", f"Unknown penalty {step!r}; use one of: {', '.join(LADDER)}.") from None
    try:
        kind = Violation(violation)
    except ValueError:
        raise ValidationError(
            "violation", f"Unknown violation {violation!r}; use one of: {', '.join(Violation)}."
        ) from None
    allowed = next_rung(previous)
    if kind not in SERIOUS and LADDER.index(penalty) > LADDER.index(allowed):
        raise ValidationError(
            "step",
            f"The next step on the ladder is {allowed.value}; only serious violations "
            "(data leak, falsified records) may skip steps.",
        )
    return penalty


def sample_per_agent(candidates: Mapping[str, Sequence[T]], per_agent: int, rng: random.Random) -> dict[str, list[T]]:
    """Up to ``per_agent`` items drawn at random (without replacement) from each agent's candidates."""
    if per_agent < 1:
        raise ValidationError("per_agent", "Sample at least one ticket per agent.")
    return {agent: rng.sample(list(items), min(per_agent, len(items))) for agent, items in sorted(candidates.items())}
