"""Satisfaction survey campaigns: the definition and its checks (DOMAIN.md, "Service standards").

DOMAIN.md: "Satisfaction monitoring: after-service survey (1–5), quarterly survey of served
customers; results feed KPIs." A supervisor defines a campaign:

- a **period** of service (desk dates, both ends included; the start before the end, not
  in the future): the population is the customers served in it, optionally only tickets
  of some kinds, businesses or agents;
- a **sample** of a fixed size (> 0) or a share of the population in (0, 1];
- a **channel** (phone, SMS, email) and the **questions**, each answered with a score from
  1 (very unsatisfied) to 5 (very satisfied) plus a comment. The first question is the
  overall one, the one CSAT is computed from;
- **survey fatigue**: customers surveyed in the last ``fatigue_days`` (default 90) are left
  out, so nobody is asked twice a quarter;
- a **launch** at most 92 days after the period ends, while customers recall the service;
- a **seed** recorded with the campaign, which makes the sample reproducible and auditable
  (:mod:`csdesk.domain.survey_sampling`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from csdesk.domain.errors import ValidationError

SCORES = range(1, 6)
DEFAULT_FATIGUE_DAYS = 90
DEFAULT_CALL_DAYS = 10
#: A campaign is launched at most this long after its period ends (customers still recall the service).
LAUNCH_WITHIN_DAYS = 92
MAX_QUESTIONS = 10
QUESTION_LIMIT = 200
NAME_LIMIT = 100
#: The questions a campaign asks unless the supervisor writes others (the first is the overall one).
DEFAULT_QUESTIONS = (
    "Overall, how satisfied are you with our service?",
    "How satisfied are you with the agent's attitude?",
    "How satisfied are you with the speed of handling?",
)


class CampaignStatus(StrEnum):
    """Where a campaign stands: defined, launched (calls scheduled), closed, cancelled."""

    DEFINED = "defined"
    LAUNCHED = "launched"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class CampaignDefinition:
    """What a supervisor decides about a campaign; checked by :func:`check_definition`."""

    name: str
    start: date
    end: date
    questions: tuple[str, ...] = DEFAULT_QUESTIONS
    sample_size: int | None = None
    sample_share: float | None = None
    channel: str = "phone"
    kinds: tuple[str, ...] = ()
    businesses: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    fatigue_days: int = DEFAULT_FATIGUE_DAYS
    call_days: int = DEFAULT_CALL_DAYS
    seed: int = 0


def check_definition(definition: CampaignDefinition, today: date) -> CampaignDefinition:
    """Return ``definition`` if every rule holds; else :class:`ValidationError` saying which rule.

    Rules: a name; the period's start before its end and not after ``today``; 1 to 10
    non-empty questions; exactly one of a sample size (> 0) or a share in (0, 1];
    fatigue days 0–366; the calls spread over 1–60 working days.
    """
    if not definition.name.strip():
        raise ValidationError("name", "Give the campaign a name, e.g. 2026 Q4 satisfaction survey.")
    if definition.start >= definition.end:
        raise ValidationError(
            "period", f"The period must start before it ends ({definition.start} is not before {definition.end})."
        )
    if definition.start > today:
        raise ValidationError("period", f"The period starts {definition.start}, after today: nobody was served yet.")
    if not definition.questions or any(not q.strip() for q in definition.questions):
        message = "Ask at least one question, none of them empty (the first is the overall one)."
        raise ValidationError("questions", message)
    if len(definition.questions) > MAX_QUESTIONS:
        raise ValidationError("questions", f"Ask at most {MAX_QUESTIONS} questions.")
    check_sample_rule(definition.sample_size, definition.sample_share)
    if not 0 <= definition.fatigue_days <= 366:
        message = "Survey fatigue is 0 to 366 days (customers surveyed that recently are left out)."
        raise ValidationError("fatigue_days", message)
    if not 1 <= definition.call_days <= 60:
        raise ValidationError("call_days", "Spread the calls over 1 to 60 working days.")
    return definition


def check_sample_rule(size: int | None, share: float | None) -> None:
    """Exactly one of a sample size > 0 or a share in (0, 1]."""
    if (size is None) == (share is None):
        message = "Give either a sample size (e.g. 200) or a share of the population (e.g. 0.1), not both."
        raise ValidationError("sample", message)
    if size is not None and size <= 0:
        raise ValidationError("sample", f"A sample size is at least 1 (got {size}).")
    if share is not None and not 0 < share <= 1:
        raise ValidationError("sample", f"A sample share is more than 0 and at most 1 (got {share}).")


def sample_target(population: int, size: int | None, share: float | None, filters: str = "") -> int:
    """How many customers to survey out of ``population``.

    An empty population and a size larger than the population are refused with both
    numbers; a share is rounded half up and is at least 1.
    """
    check_sample_rule(size, share)
    if population == 0:
        where = f" ({filters})" if filters else ""
        message = f"No customer was served in this period with these filters{where}; nobody to survey."
        raise ValidationError("population", message)
    if size is not None:
        if size > population:
            raise ValidationError(
                "sample", f"The sample of {size} exceeds the population: only {population} customers can be surveyed."
            )
        return size
    assert share is not None
    return max(1, min(population, int(population * share + 0.5)))


def check_score(score: int, question: str = "overall") -> int:
    """A survey answer is a whole score from 1 (very unsatisfied) to 5 (very satisfied)."""
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        message = f"Answer {question!r} with a score from 1 (very unsatisfied) to 5 (very satisfied)."
        raise ValidationError("score", message)
    return score


def check_launch(definition: CampaignDefinition, today: date) -> None:
    """Refuse a launch more than 92 days (a quarter) after the period ends.

    Customers surveyed that late no longer recall the service they were asked about.
    """
    last = definition.end.toordinal() + LAUNCH_WITHIN_DAYS
    if today.toordinal() > last:
        message = (
            f"The period ended {definition.end}, more than {LAUNCH_WITHIN_DAYS} days ago; customers no longer "
            f"recall that service. Define a campaign over a recent period."
        )
        raise ValidationError("period", message)
