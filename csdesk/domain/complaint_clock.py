"""The complaint clock of CBIRC Order 2020 No. 3 (银行保险机构消费投诉处理管理办法).

Pure rules, counted in the desk's calendar days:

- Art. 16: a decision within **15 days** of acceptance; a complex case may be extended to
  **30 days** (approval, customer told the reason); an especially complex or multi-party
  case by a further 30 days, **60 in total** at most (approval one level higher).
- Periods of appraisal, inspection, expert assessment or mediation do not count: the clock
  pauses (Art. 16), and paused days push the deadline out day for day.
- Civil Code Art. 201: a period in days is counted from the day after the day it starts.
  Civil Code Art. 203: a period whose last day is a statutory rest day or public holiday
  ends on the first working day after it (CN calendar with make-up working days); a firm
  with a stricter policy may switch this roll-forward off.
- Art. 20: the customer may ask for a review within **30 days** of the decision notice;
  the review decision is due within **30 days** of the request.
- Art. 29: a major complaint (natural disaster or accident, public-health event, a group of
  at least **20** complainants, designated by the regulator) is flagged and escalated.
- Art. 14 (repeat complaints): the same customer on the same matter while one is open is
  merged into it; new facts or reasons make a new complaint, linked to the old one.
- Art. 17 (recusal): a handler with a conflict of interest never handles the complaint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from csdesk.domain.errors import ValidationError
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

DECISION_DAYS = 15
EXTENDED_DAYS = 30
MAX_DAYS = 60
REVIEW_REQUEST_DAYS = 30
REVIEW_DECISION_DAYS = 30
MAJOR_GROUP_SIZE = 20
DUE_SOON_DAYS = 3


class PauseReason(StrEnum):
    """Why the clock may stop (Art. 16: these periods are not counted)."""

    APPRAISAL = "appraisal"
    INSPECTION = "inspection"
    EXPERT_ASSESSMENT = "expert_assessment"
    MEDIATION = "mediation"


class MajorGround(StrEnum):
    """What makes a complaint major (Art. 29)."""

    DISASTER = "disaster"
    ACCIDENT = "accident"
    PUBLIC_HEALTH = "public_health"
    GROUP = "group"
    REGULATOR = "regulator"


class RepeatOutcome(StrEnum):
    """What a further complaint on the same matter becomes (Art. 14)."""

    NEW = "new"
    MERGED = "merged"
    NEW_LINKED = "new_linked"


# ------------------------------------------------------------------ periods
def period_end(start: date, days: int, *, roll_forward: bool = True, calendar: HolidayCalendar = CN_CALENDAR) -> date:
    """Last day of a period of ``days`` calendar days that starts on ``start``.

    Counted from the day after ``start`` (Civil Code Art. 201), so the last day is
    ``start + days``; with ``roll_forward`` a last day on a rest day or holiday moves to
    the next working day (Civil Code Art. 203).
    """
    if days < 0:
        raise ValueError(f"a period cannot be negative: {days}")
    return calendar.add_calendar_days(start, days, roll_forward=roll_forward)


def paused_days(pauses: Iterable[tuple[date, date | None]], today: date) -> int:
    """Calendar days the clock stood still: from each pause's first day up to the day it resumed.

    A pause still running counts up to ``today``. A pause and its resume on the same day
    cost nothing.
    """
    total = 0
    for start, end in pauses:
        stop = end if end is not None else today
        total += max(0, (stop - start).days)
    return total


def decision_deadline(
    accepted_on: date,
    allowed_days: int = DECISION_DAYS,
    paused: int = 0,
    *,
    roll_forward: bool = True,
    calendar: HolidayCalendar = CN_CALENDAR,
) -> date:
    """The day the decision is due: acceptance + allowed days + paused days, rolled off rest days.

    Art. 16: 15 days, 30 or at most 60 after extension; paused periods are not counted.
    """
    if not 0 < allowed_days <= MAX_DAYS:
        raise ValueError(f"allowed days must be 1..{MAX_DAYS}, got {allowed_days}")
    return period_end(accepted_on, allowed_days + paused, roll_forward=roll_forward, calendar=calendar)


def days_remaining(deadline: date, today: date) -> int:
    """Whole days from ``today`` to the deadline (0 on the day it is due, negative when late)."""
    return (deadline - today).days


def due_soon(remaining: int) -> bool:
    """True when the decision is due within :data:`DUE_SOON_DAYS` days (or late): shown first, highlighted."""
    return remaining <= DUE_SOON_DAYS


@dataclass(frozen=True, slots=True)
class ClockState:
    """Where a complaint's clock stands on a given day."""

    deadline: date
    days_remaining: int
    paused: bool


def clock_state(
    accepted_on: date,
    allowed_days: int,
    pauses: Iterable[tuple[date, date | None]],
    today: date,
    *,
    roll_forward: bool = True,
    calendar: HolidayCalendar = CN_CALENDAR,
) -> ClockState:
    """Deadline and remaining days on ``today``; a running pause moves the deadline out each day."""
    pauses = list(pauses)
    deadline = decision_deadline(
        accepted_on, allowed_days, paused_days(pauses, today), roll_forward=roll_forward, calendar=calendar
    )
    running = any(end is None for _, end in pauses)
    return ClockState(deadline, days_remaining(deadline, today), running)


# ------------------------------------------------------------------ input checks
def check_acceptance(accepted_on: date, today: date) -> None:
    """Acceptance cannot lie in the future (a backdated clock would be a false record)."""
    if accepted_on > today:
        raise ValidationError(
            "accepted_at", f"A complaint cannot be accepted on {accepted_on}, after today ({today})."
        )


def check_promise(promised_on: date, deadline: date, today: date) -> None:
    """The reply promised to the customer lies between today and the legal deadline (Art. 16)."""
    if promised_on > deadline:
        raise ValidationError(
            "promised_at",
            f"The promised reply date {promised_on} is after the legal deadline {deadline}; "
            "promise a date on or before it.",
        )
    if promised_on < today:
        raise ValidationError("promised_at", f"The promised reply date {promised_on} is already past.")


def propose_promise(deadline: date, today: date) -> date:
    """The reply date the log form proposes: the legal deadline itself, never before today."""
    return max(deadline, today)


#: Who may approve an extension up to the given total (Art. 16 and DOMAIN.md roles).
EXTENSION_APPROVERS: dict[int, frozenset[str]] = {
    EXTENDED_DAYS: frozenset({"team_lead", "supervisor"}),
    MAX_DAYS: frozenset({"supervisor"}),
}


def check_extension(current_days: int, new_days: int, approver_role: str) -> None:
    """An extension of the clock: to 30 days by a team lead or above, then to ≤ 60 by a supervisor.

    Art. 16: a complex case may go to 30 days; an especially complex or multi-party one
    by a further 30 days, 60 in total; never beyond 60. Each step needs its approver.
    """
    if new_days > MAX_DAYS:
        raise ValidationError("days", f"A complaint may be extended to {MAX_DAYS} days in total, never beyond.")
    if new_days <= current_days:
        raise ValidationError("days", f"An extension must go beyond the current {current_days} days.")
    if current_days < EXTENDED_DAYS < new_days:
        raise ValidationError(
            "days",
            f"Extend to {EXTENDED_DAYS} days first; only then may a supervisor extend to at most {MAX_DAYS}.",
        )
    tier = EXTENDED_DAYS if new_days <= EXTENDED_DAYS else MAX_DAYS
    if approver_role not in EXTENSION_APPROVERS[tier]:
        who = "a team lead or supervisor" if tier == EXTENDED_DAYS else "a supervisor"
        raise ValidationError("approver", f"An extension to {new_days} days must be approved by {who}.")


def review_request_due(notice_sent_on: date, *, roll_forward: bool = True) -> date:
    """Last day the customer may ask for a review: 30 days after the decision notice (Art. 20)."""
    return period_end(notice_sent_on, REVIEW_REQUEST_DAYS, roll_forward=roll_forward)


def review_decision_due(requested_on: date, *, roll_forward: bool = True) -> date:
    """The review decision is due 30 days after the request (Art. 20)."""
    return period_end(requested_on, REVIEW_DECISION_DAYS, roll_forward=roll_forward)


def check_review_request(notice_sent_on: date | None, requested_on: date, *, roll_forward: bool = True) -> date:
    """Refuse a review request without a notice or after its window; return the review's due day."""
    if notice_sent_on is None:
        raise ValidationError("review", "A review can be requested only after the decision notice was sent.")
    last = review_request_due(notice_sent_on, roll_forward=roll_forward)
    if requested_on > last:
        raise ValidationError(
            "review",
            f"A review must be requested within {REVIEW_REQUEST_DAYS} days of the decision notice "
            f"(by {last}); this request came on {requested_on}.",
        )
    return review_decision_due(requested_on, roll_forward=roll_forward)


def major_grounds(complainants: int, grounds: Iterable[str] = ()) -> tuple[str, ...]:
    """Art. 29 grounds that make a complaint major; a group of ≥ 20 complainants is one by itself."""
    found = {MajorGround(g).value for g in grounds}
    if complainants >= MAJOR_GROUP_SIZE:
        found.add(MajorGround.GROUP.value)
    elif MajorGround.GROUP.value in found:
        found.discard(MajorGround.GROUP.value)
    return tuple(g.value for g in MajorGround if g.value in found)


def repeat_outcome(open_on_same_matter: bool, new_facts: bool) -> RepeatOutcome:
    """Art. 14: merge a repeat while one is open; new facts or reasons make a new, linked complaint."""
    if not open_on_same_matter:
        return RepeatOutcome.NEW
    return RepeatOutcome.NEW_LINKED if new_facts else RepeatOutcome.MERGED


def check_not_conflicted(handler_id: str, conflicted: Iterable[str]) -> None:
    """Art. 17: a handler marked as conflicted is never assigned to the complaint."""
    if handler_id in set(conflicted):
        raise ValidationError(
            "handler", f"{handler_id} has a conflict of interest with this complaint and may not handle it."
        )


def follow_up_due(closed_on: date, days: int = 3) -> date:
    """When the follow-up callback after closing is due (seed 002: follow up until satisfied)."""
    return closed_on + timedelta(days=days)
