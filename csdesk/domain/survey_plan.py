"""Spreading a campaign's survey calls over agents and working days.

Rules:
- **Callers**: calls go round the campaign's callers, each taking the next call in turn
  (fewest calls so far first); a customer is not surveyed by the agent who served them
  when another caller is available (no one grades their own work).
- **Days**: calls are spread evenly over the next ``days`` CN working days after the
  launch day (holidays and make-up working days included), in slots between 10:00 and
  17:00 desk time; the data layer then moves each into the customer's contact window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from csdesk.domain.errors import ValidationError
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

DESK_TZ = ZoneInfo("Asia/Shanghai")
DAY_START = time(10, 0)
DAY_END = time(17, 0)


@dataclass(frozen=True, slots=True)
class PlannedCall:
    """Who calls which sampled customer, and when (desk time, before the window check)."""

    index: int
    caller_id: str
    due: datetime


def assign_callers(served_by: Sequence[str], callers: Sequence[str]) -> list[str]:
    """A caller for each sampled customer (given the agent who served them), balanced and not self."""
    if not callers:
        raise ValidationError("callers", "No active agent can make the survey calls; add agents first.")
    load = dict.fromkeys(sorted(set(callers)), 0)
    result = []
    for served in served_by:
        candidates = [c for c in load if c != served] or list(load)
        caller = min(candidates, key=lambda c: (load[c], c))
        load[caller] += 1
        result.append(caller)
    return result


def call_days(launch: date, days: int, calendar: HolidayCalendar = CN_CALENDAR) -> list[date]:
    """The ``days`` working days after ``launch``."""
    return [calendar.add_workdays(launch, n) for n in range(1, days + 1)]


def plan_calls(
    served_by: Sequence[str],
    callers: Sequence[str],
    launch: date,
    days: int,
    calendar: HolidayCalendar = CN_CALENDAR,
) -> list[PlannedCall]:
    """One call per sampled customer: caller and a desk-time slot, spread evenly over the days."""
    if not served_by:
        return []
    assigned = assign_callers(served_by, callers)
    dates = call_days(launch, days, calendar)
    per_day = -(-len(served_by) // len(dates))
    span = datetime.combine(launch, DAY_END) - datetime.combine(launch, DAY_START)
    step = span / per_day
    result = []
    for index, caller in enumerate(assigned):
        day, slot = dates[index % len(dates)], index // len(dates)
        start = datetime.combine(day, DAY_START, tzinfo=DESK_TZ)
        result.append(PlannedCall(index, caller, start + step * slot))
    return result

