"""Stored SLA deadlines and what the queue shows for them.

The store keeps, per ticket, the moment each target falls due counting only the pauses
that have ended, plus when an open pause began. From those two values the queue works
out, at any instant and without asking the store, the remaining time, its colour band
and whether the clock stands still (waiting states pause it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from csdesk.domain.sla import (
    DEFAULT_HOURS,
    WARNING_SHARE,
    BusinessHours,
    Pause,
    SlaMode,
    SlaPolicy,
    add_working_time,
    working_time_between,
)

ZERO = timedelta(0)


def elapsed(a: datetime, b: datetime, mode: SlaMode, hours: BusinessHours = DEFAULT_HOURS) -> timedelta:
    """Counted time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    if b < a:
        return -elapsed(b, a, mode, hours)
    return working_time_between(a, b, hours) if mode is SlaMode.BUSINESS else b - a


def advance(at: datetime, amount: timedelta, mode: SlaMode, hours: BusinessHours = DEFAULT_HOURS) -> datetime:
    """The moment ``amount`` of counted time after ``at``."""
    return add_working_time(at, amount, hours) if mode is SlaMode.BUSINESS else at + amount


def due_after(
    started: datetime,
    amount: timedelta,
    pauses: Sequence[Pause],
    mode: SlaMode,
    hours: BusinessHours = DEFAULT_HOURS,
) -> datetime:
    """When ``amount`` of counted time has run from ``started``, skipping the ended ``pauses``."""
    at, remaining = started, amount
    for pause in sorted((p for p in pauses if p.end is not None), key=lambda p: p.start):
        assert pause.end is not None
        if pause.end <= at:
            continue
        before = elapsed(at, pause.start, mode, hours) if pause.start > at else ZERO
        if remaining <= before:
            break
        remaining -= before
        at = max(at, pause.end)
    return advance(at, remaining, mode, hours)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """What the store keeps for a ticket's SLA."""

    response_due: datetime | None
    resolution_due: datetime
    paused_at: datetime | None


def deadlines(
    policy: SlaPolicy,
    started: datetime,
    pauses: Sequence[Pause],
    first_response_at: datetime | None,
    hours: BusinessHours = DEFAULT_HOURS,
) -> Deadlines:
    """Both targets' due moments given the ended pauses, and the start of an open pause."""
    open_pause = next((p.start for p in pauses if p.end is None), None)
    response = None
    if first_response_at is None:
        response = due_after(started, policy.first_response, pauses, policy.mode, hours)
    resolution = due_after(started, policy.resolution, pauses, policy.mode, hours)
    return Deadlines(response, resolution, open_pause)


@dataclass(frozen=True, slots=True)
class Badge:
    """What the queue's SLA column shows."""

    status: str  # "ok" | "warning" | "breached" | "paused" | "met" | "none"
    remaining: timedelta


def badge(
    due: datetime | None,
    total: timedelta,
    now: datetime,
    *,
    mode: SlaMode,
    paused_at: datetime | None = None,
    done_at: datetime | None = None,
    hours: BusinessHours = DEFAULT_HOURS,
) -> Badge:
    """The SLA state of one target at ``now`` (warning when at most 20 % of ``total`` is left)."""
    if due is None:
        return Badge("none", ZERO)
    if done_at is not None:
        late = elapsed(due, done_at, mode, hours)
        return Badge("met" if late <= ZERO else "breached", -late)
    if paused_at is not None:
        remaining = elapsed(paused_at, due, mode, hours)
        return Badge("breached" if remaining < ZERO else "paused", remaining)
    remaining = elapsed(now, due, mode, hours)
    if remaining < ZERO:
        return Badge("breached", remaining)
    if total > ZERO and remaining <= total * WARNING_SHARE:
        return Badge("warning", remaining)
    return Badge("ok", remaining)


def compact(remaining: timedelta) -> str:
    """45m, 3h, 2d, or -20m when overdue."""
    sign = "-" if remaining < ZERO else ""
    seconds = abs(int(remaining.total_seconds()))
    if seconds < 3600:
        return f"{sign}{seconds // 60}m"
    if seconds < 86400:
        return f"{sign}{seconds // 3600}h{(seconds % 3600) // 60:02d}"
    return f"{sign}{seconds // 86400}d{(seconds % 86400) // 3600}h"
