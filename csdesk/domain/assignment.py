"""Fair automatic assignment: round-robin among available agents with the needed skill.

An agent is eligible when available, active, of a front-line role, has the ticket kind
among their skills (specialists) or has no skills listed (generalists), and carries
fewer open tickets than the load cap. Among the eligible, the one who waited longest
since their last assignment gets the ticket (round-robin that survives restarts because
it is computed from the store, not from a counter in memory); ties go to the lighter
load, then the user id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from csdesk.domain.roles import Role

DEFAULT_LOAD_CAP = 8
ASSIGNABLE_ROLES = frozenset({Role.AGENT, Role.SPECIALIST, Role.TEAM_LEAD})


class Availability(StrEnum):
    """What an agent says about themselves from the app."""

    AVAILABLE = "available"
    BUSY = "busy"
    BREAK = "break"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An agent as the assigner sees them."""

    user_id: str
    role: str
    availability: str
    skills: frozenset[str]
    open_load: int
    last_assigned_at: datetime | None
    active: bool = True


def eligible(candidate: Candidate, kind: str, load_cap: int = DEFAULT_LOAD_CAP) -> bool:
    """Whether ``candidate`` may receive a ticket of ``kind`` now."""
    return (
        candidate.active
        and candidate.role in ASSIGNABLE_ROLES
        and candidate.availability == Availability.AVAILABLE
        and (not candidate.skills or kind in candidate.skills)
        and candidate.open_load < load_cap
    )


def choose_assignee(candidates: list[Candidate], kind: str, load_cap: int = DEFAULT_LOAD_CAP) -> str | None:
    """The user id to assign a ticket of ``kind`` to, or None when nobody is eligible.

    Specialists whose skills name the kind are preferred over generalists.
    """
    pool = [c for c in candidates if eligible(c, kind, load_cap)]
    if not pool:
        return None
    specialists = [c for c in pool if kind in c.skills]
    pool = specialists or pool

    def order(c: Candidate) -> tuple[bool, datetime | float, int, str]:
        waited = c.last_assigned_at
        return (waited is not None, waited or 0.0, c.open_load, c.user_id)

    return min(pool, key=order).user_id  # type: ignore[arg-type]
