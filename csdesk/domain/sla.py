"""Service-level targets of the desk: first response and resolution clocks.

A ticket's clock runs from ``started``. Time inside pauses (the ticket waiting for the
customer or for another department) does not count. A policy counts either wall-clock
time (``SlaMode.CALENDAR``) or only business hours on working days
(``SlaMode.BUSINESS``: 08:30–20:00 Asia/Shanghai by default, working days from the CN
holiday calendar with its make-up working days, 调休).

Durations of a ``BUSINESS`` policy are working time: ``timedelta(hours=23)`` means 23
working hours, i.e. two full desk days of 11.5 h (``BUSINESS_DAY``).

Default targets (``DEFAULT_POLICIES``; a supervisor may override them in settings).
"bd" is one business day = 11.5 working hours; "d" is a calendar day:

=============  ========  ==============  ==============  ========
kind           priority  first response  resolution      mode
=============  ========  ==============  ==============  ========
consultation   normal    30 min          1 bd            business
consultation   high      15 min          4 h             business
consultation   urgent    5 min           1 h             business
complaint      normal    2 h             15 d            calendar
complaint      high      1 h             10 d            calendar
complaint      urgent    30 min          5 d             calendar
suggestion     normal    4 h             5 bd            business
suggestion     high      2 h             3 bd            business
suggestion     urgent    1 h             1 bd            business
business       normal    30 min          3 bd            business
business       high      15 min          1 bd            business
business       urgent    5 min           2 h             business
callback       normal    2 h             1 bd            business
callback       high      1 h             4 h             business
callback       urgent    30 min          2 h             business
=============  ========  ==============  ==============  ========

The complaint resolution target is the desk's own goal; the regulatory complaint clock
(15/30/60 calendar days, DOMAIN.md) is computed elsewhere. A policy has one mode for both
targets, so a complaint's 2 h first response is wall-clock time too.

Status of a target (``sla_state``): ``met`` or ``breached`` once done; otherwise
``breached`` when less than nothing is left, ``paused`` while a pause is open, ``warning``
when at most 20 % of the target is left, else ``ok``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from csdesk.domain.errors import ValidationError
from csdesk.domain.tickets import WAITING, Kind, Priority
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_MAX_REST_DAYS = 3660
"""Give up after this many consecutive days without business hours (a broken calendar)."""

DESK_TZ = ZoneInfo("Asia/Shanghai")
DESK_OPENS = time(8, 30)
DESK_CLOSES = time(20, 0)
BUSINESS_DAY = timedelta(hours=11, minutes=30)
"""Working time of one full desk day with the default hours (08:30–20:00)."""

WARNING_SHARE = 0.2
"""A running target is in ``warning`` when at most this share of it is left."""

Target = Literal["first_response", "resolution"]
_TARGETS: frozenset[str] = frozenset({"first_response", "resolution"})


class SlaMode(StrEnum):
    """How an SLA duration is counted."""

    CALENDAR = "calendar"
    BUSINESS = "business"


@dataclass(frozen=True)
class BusinessHours:
    """The desk's opening hours: ``start``–``end`` local time on every working day."""

    start: time = DESK_OPENS
    end: time = DESK_CLOSES
    tz: tzinfo = DESK_TZ
    calendar: HolidayCalendar = CN_CALENDAR

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("business hours are local times: give start and end without tzinfo")
        if not self.start < self.end:
            raise ValueError(f"business hours must open before they close, got {self.start}–{self.end}")

    def window(self, day: date) -> tuple[datetime, datetime]:
        """Opening and closing instant of ``day`` (in UTC), whether or not it is a working day."""
        opens = datetime.combine(day, self.start, tzinfo=self.tz).astimezone(UTC)
        closes = datetime.combine(day, self.end, tzinfo=self.tz).astimezone(UTC)
        return opens, closes

    def local_date(self, at: datetime) -> date:
        """The desk's calendar date at the instant ``at``."""
        return at.astimezone(self.tz).date()


DEFAULT_HOURS = BusinessHours()


@dataclass(frozen=True)
class SlaPolicy:
    """Targets for one kind and priority of ticket."""

    kind: str
    priority: str
    first_response: timedelta
    resolution: timedelta
    mode: SlaMode = SlaMode.CALENDAR

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", SlaMode(self.mode))
        for name in _TARGETS:
            if getattr(self, name) <= _ZERO:
                raise ValueError(f"SLA {name} target must be positive, got {getattr(self, name)}")


#: The longest target a supervisor may set, in minutes (a year).
MAX_TARGET_MINUTES = 60 * 24 * 366


def check_target_minutes(first_response_minutes: int, resolution_minutes: int) -> None:
    """Refuse targets outside 1 minute .. a year, or a first response due after the resolution.

    Raises :class:`~csdesk.domain.errors.ValidationError` naming the field and the rule.
    """
    for field, minutes in (
        ("first_response_minutes", first_response_minutes),
        ("resolution_minutes", resolution_minutes),
    ):
        if not 1 <= minutes <= MAX_TARGET_MINUTES:
            raise ValidationError(field, "A target is between 1 minute and a year, in minutes.")
    if first_response_minutes > resolution_minutes:
        raise ValidationError("first_response_minutes", "The first response cannot be due after the resolution.")


def _bd(n: float) -> timedelta:
    return BUSINESS_DAY * n


def _policy_rows() -> dict[tuple[str, str], SlaPolicy]:
    minute, hour, day = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
    calendar, business = SlaMode.CALENDAR, SlaMode.BUSINESS
    rows: list[tuple[Kind, Priority, timedelta, timedelta, SlaMode]] = [
        (Kind.CONSULTATION, Priority.NORMAL, 30 * minute, _bd(1), business),
        (Kind.CONSULTATION, Priority.HIGH, 15 * minute, 4 * hour, business),
        (Kind.CONSULTATION, Priority.URGENT, 5 * minute, 1 * hour, business),
        (Kind.COMPLAINT, Priority.NORMAL, 2 * hour, 15 * day, calendar),
        (Kind.COMPLAINT, Priority.HIGH, 1 * hour, 10 * day, calendar),
        (Kind.COMPLAINT, Priority.URGENT, 30 * minute, 5 * day, calendar),
        (Kind.SUGGESTION, Priority.NORMAL, 4 * hour, _bd(5), business),
        (Kind.SUGGESTION, Priority.HIGH, 2 * hour, _bd(3), business),
        (Kind.SUGGESTION, Priority.URGENT, 1 * hour, _bd(1), business),
        (Kind.BUSINESS, Priority.NORMAL, 30 * minute, _bd(3), business),
        (Kind.BUSINESS, Priority.HIGH, 15 * minute, _bd(1), business),
        (Kind.BUSINESS, Priority.URGENT, 5 * minute, 2 * hour, business),
        (Kind.CALLBACK, Priority.NORMAL, 2 * hour, _bd(1), business),
        (Kind.CALLBACK, Priority.HIGH, 1 * hour, 4 * hour, business),
        (Kind.CALLBACK, Priority.URGENT, 30 * minute, 2 * hour, business),
    ]
    return {
        (kind.value, priority.value): SlaPolicy(kind.value, priority.value, first, resolution, mode)
        for kind, priority, first, resolution, mode in rows
    }


DEFAULT_POLICIES: dict[tuple[str, str], SlaPolicy] = _policy_rows()
"""The desk's default targets for every kind × priority (table in the module docstring)."""


def default_policy(kind: str, priority: str) -> SlaPolicy:
    """The default policy for ``kind`` and ``priority`` (plain strings or the enums)."""
    try:
        kind_value = Kind(kind).value
    except ValueError:
        raise ValidationError("kind", f"Unknown ticket kind: {kind!r}.") from None
    try:
        priority_value = Priority(priority).value
    except ValueError:
        raise ValidationError("priority", f"Unknown priority: {priority!r}.") from None
    return DEFAULT_POLICIES[(kind_value, priority_value)]


def _utc(at: datetime, what: str) -> datetime:
    """``at`` as UTC; ValueError for a naive datetime."""
    if not isinstance(at, datetime):
        raise TypeError(f"{what} must be a datetime, got {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {at.isoformat()}")
    return at.astimezone(UTC)


def add_working_time(start: datetime, amount: timedelta, hours: BusinessHours = DEFAULT_HOURS) -> datetime:
    """The earliest instant at which ``amount`` of working time has passed since ``start``.

    Only time inside business hours on working days counts; a ``start`` outside hours
    begins counting at the next opening (so a zero ``amount`` gives that opening). An
    amount that runs out exactly at closing time gives the closing time, not the next
    opening. Steps day by day, never minute by minute. The result is in ``start``'s zone.
    """
    at = _utc(start, "start")
    if amount < _ZERO:
        raise ValueError(f"amount must not be negative, got {amount}")
    left = amount
    day = hours.local_date(at)
    rest_days = 0
    while True:
        if hours.calendar.is_workday(day):
            opens, closes = hours.window(day)
            if at < closes:
                begin = max(at, opens)
                available = closes - begin
                if left <= available:
                    return (begin + left).astimezone(start.tzinfo)
                left -= available
            rest_days = 0
        else:
            rest_days += 1
            if rest_days > _MAX_REST_DAYS:
                raise ValueError("the calendar has no working day in ten years")
        day += _ONE_DAY


def working_time_between(a: datetime, b: datetime, hours: BusinessHours = DEFAULT_HOURS) -> timedelta:
    """Working time (inside business hours on working days) from ``a`` to ``b``; zero if ``b <= a``."""
    lo, hi = _utc(a, "a"), _utc(b, "b")
    if hi <= lo:
        return _ZERO
    total = _ZERO
    day, last = hours.local_date(lo), hours.local_date(hi)
    while day <= last:
        if hours.calendar.is_workday(day):
            opens, closes = hours.window(day)
            begin, end = max(opens, lo), min(closes, hi)
            if end > begin:
                total += end - begin
        day += _ONE_DAY
    return total


@dataclass(frozen=True)
class Pause:
    """An interval in which the SLA clock stands still; ``end`` None = still paused."""

    start: datetime
    end: datetime | None

    def __post_init__(self) -> None:
        start = _utc(self.start, "pause start")
        if self.end is not None and _utc(self.end, "pause end") < start:
            raise ValueError(f"pause ends before it starts: {self.start.isoformat()} > {self.end.isoformat()}")


@dataclass(frozen=True)
class SlaState:
    """Where one SLA target stands at a moment."""

    due: datetime | None
    remaining: timedelta
    fraction_left: float
    status: str
    paused: bool


def _elapsed(a: datetime, b: datetime, mode: SlaMode, hours: BusinessHours) -> timedelta:
    if mode is SlaMode.BUSINESS:
        return working_time_between(a, b, hours)
    return max(b - a, _ZERO)


def _advance(at: datetime, amount: timedelta, mode: SlaMode, hours: BusinessHours) -> datetime:
    if mode is SlaMode.BUSINESS:
        return add_working_time(at, amount, hours)
    return at + amount


def _clipped_pauses(pauses: Sequence[Pause], lo: datetime, hi: datetime) -> list[tuple[datetime, datetime]]:
    """Pauses clipped to ``[lo, hi]`` (an open pause runs to ``hi``), in UTC, sorted; may overlap."""
    clipped: list[tuple[datetime, datetime]] = []
    for pause in pauses:
        begin = max(_utc(pause.start, "pause start"), lo)
        end = hi if pause.end is None else min(_utc(pause.end, "pause end"), hi)
        if end > begin:
            clipped.append((begin, end))
    return sorted(clipped)


def _is_paused_at(pauses: Sequence[Pause], at: datetime) -> bool:
    for pause in pauses:
        if _utc(pause.start, "pause start") <= at and (pause.end is None or _utc(pause.end, "pause end") > at):
            return True
    return False


def sla_state(
    *,
    policy: SlaPolicy,
    target: Target,
    started: datetime,
    now: datetime,
    pauses: Sequence[Pause] = (),
    done_at: datetime | None = None,
    hours: BusinessHours = DEFAULT_HOURS,
) -> SlaState:
    """State of ``policy``'s ``target`` for a clock started at ``started``, seen at ``now``.

    Time inside ``pauses`` does not count (in ``BUSINESS`` mode only business hours count
    at all, so a pause removes working time only). With ``done_at`` the target is ``met``
    (``due`` None) or ``breached`` (``remaining`` negative: how late, ``due``: when it fell
    due). Without it: ``breached`` once ``remaining`` is negative (even while paused),
    ``paused`` while a pause is open at ``now`` (``remaining`` frozen at its value when the
    pause began, ``due`` the deadline if the clock resumed at ``now``), ``warning`` when
    at most 20 % is left, else ``ok``. ``due`` is the instant ``remaining`` reaches zero
    given the pauses so far and no further pause; it is in ``now``'s time zone.
    ``remaining`` is working time in ``BUSINESS`` mode.
    """
    if target not in _TARGETS:
        raise ValueError(f"target must be 'first_response' or 'resolution', got {target!r}")
    total: timedelta = getattr(policy, target)
    mode = policy.mode
    begin = _utc(started, "started")
    seen = _utc(now, "now")
    done = None if done_at is None else _utc(done_at, "done_at")
    end = seen if done is None else done

    # Walk the running (unpaused) stretches of [begin, end], noting when the target fell due.
    # The cursor only moves forward, so overlapping pauses are counted once.
    used = _ZERO
    due: datetime | None = None
    cursor = begin
    for pause_begin, pause_end in [*_clipped_pauses(pauses, begin, end), (end, end)]:
        if pause_begin > cursor:
            stretch = _elapsed(cursor, pause_begin, mode, hours)
            if due is None and used + stretch >= total:
                due = _advance(cursor, total - used, mode, hours)
            used += stretch
        cursor = max(cursor, pause_end)
    remaining = total - used
    fraction_left = min(1.0, remaining / total)

    if done is not None:
        met = remaining >= _ZERO
        return SlaState(
            due=None if met else _in_zone(due, now),
            remaining=remaining,
            fraction_left=fraction_left,
            status="met" if met else "breached",
            paused=False,
        )

    paused = _is_paused_at(pauses, seen)
    if due is None:  # not yet due: remaining > 0
        due = _advance(max(end, begin), remaining, mode, hours)
    if remaining < _ZERO:
        status = "breached"
    elif paused:
        status = "paused"
    elif remaining <= total * WARNING_SHARE:
        status = "warning"
    else:
        status = "ok"
    return SlaState(
        due=_in_zone(due, now), remaining=remaining, fraction_left=fraction_left, status=status, paused=paused
    )


def _in_zone(at: datetime | None, like: datetime) -> datetime | None:
    return None if at is None else at.astimezone(like.tzinfo)


def pauses_from_status_history(history: Sequence[tuple[datetime, str]]) -> list[Pause]:
    """Pauses of the SLA clock from a ticket's status changes ``(when, new status)``.

    A pause opens when the ticket enters a waiting status (waiting_customer,
    waiting_department) and closes at the next change to any other status; a move from
    one waiting status to the other, or a repeated status, continues the same pause.
    Changes are taken in time order (stable for equal times); a pause still open at the
    end has ``end`` None. Zero-length pauses are dropped.
    """
    pauses: list[Pause] = []
    opened: datetime | None = None
    for at, status in sorted(history, key=lambda change: _utc(change[0], "status change time")):
        if status in WAITING:
            if opened is None:
                opened = at
        elif opened is not None:
            if _utc(at, "status change time") > _utc(opened, "status change time"):
                pauses.append(Pause(opened, at))
            opened = None
    if opened is not None:
        pauses.append(Pause(opened, None))
    return pauses
