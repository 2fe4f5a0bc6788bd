"""Rules of business assistance (业务协助): the stage machine, document completeness, success.

A business case (account opening, fund redemption, loss report, ...) goes to the
responsible department and moves through its stages::

    submitted -> in_review -> returned_for_rework -> in_review (resubmitted) -> approved | rejected
    approved -> completed

A case may pass to the department only when every required document is received (none
missing or invalid), unless a team lead or above overrides with a reason. A case is a
success when it is completed without any rework.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from csdesk.domain.errors import Conflict


class Stage(StrEnum):
    """Where a business case stands."""

    DRAFT = "draft"  # opened by the agent, documents being checked
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED_FOR_REWORK = "returned_for_rework"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMPLETED = "completed"


class DocStatus(StrEnum):
    """What the agent found for one required document."""

    PENDING = "pending"
    RECEIVED = "received"
    MISSING = "missing"
    INVALID = "invalid"


#: Stage -> the stages it may move to (a returned case is resubmitted straight into review).
NEXT_STAGES: dict[Stage, tuple[Stage, ...]] = {
    Stage.DRAFT: (Stage.SUBMITTED,),
    Stage.SUBMITTED: (Stage.IN_REVIEW,),
    Stage.IN_REVIEW: (Stage.RETURNED_FOR_REWORK, Stage.APPROVED, Stage.REJECTED),
    Stage.RETURNED_FOR_REWORK: (Stage.IN_REVIEW,),
    Stage.APPROVED: (Stage.COMPLETED,),
    Stage.REJECTED: (),
    Stage.COMPLETED: (),
}

#: Stages where the case is over (counted in the success rate).
CLOSED_STAGES = (Stage.COMPLETED, Stage.REJECTED)


def check_transition(current: Stage | str, target: Stage | str) -> Stage:
    """``target`` as a :class:`Stage` when the case may move there from ``current``.

    Raises :class:`Conflict` naming the allowed next stages otherwise (issue 12: "a stage
    change out of order is refused with the allowed next stages named").
    """
    now, wanted = Stage(current), Stage(target)
    allowed = NEXT_STAGES[now]
    if wanted not in allowed:
        names = ", ".join(stage.value for stage in allowed) or "none (the case is closed)"
        raise Conflict(f"A case {now.value} cannot move to {wanted.value}; allowed next stages: {names}.")
    return wanted


def incomplete_documents(required: Iterable[str], statuses: Mapping[str, str]) -> list[str]:
    """The required document ids not yet received (pending, missing or invalid), in checklist order."""
    return [doc for doc in required if statuses.get(doc, DocStatus.PENDING) != DocStatus.RECEIVED]


def is_success(stage: Stage | str, rework_count: int) -> bool:
    """A case succeeded when it is completed without any rework (the success-rate numerator)."""
    return Stage(stage) is Stage.COMPLETED and rework_count == 0


def success_rate(cases: Iterable[tuple[str, int]]) -> tuple[int, int, float | None]:
    """(successes, closed, rate) over ``(stage, rework_count)`` pairs; rate is None when none closed."""
    closed = successes = 0
    for stage, rework in cases:
        if Stage(stage) in CLOSED_STAGES:
            closed += 1
            successes += is_success(stage, rework)
    return successes, closed, (successes / closed if closed else None)
