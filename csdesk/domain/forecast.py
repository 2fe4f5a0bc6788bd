"""Forecast of arrivals per 30-minute interval (DOMAIN.md, "Staffing").

The forecast for a day is, for each of its 48 half-hours in desk time, the mean number of
arrivals in the same half-hour on the same weekday over the recent weeks (four by default).
Mondays and Fridays are busier, so comparing like weekday with like keeps their peaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csdesk.domain.errors import ValidationError

DESK_TZ = ZoneInfo("Asia/Shanghai")
INTERVAL = timedelta(minutes=30)
INTERVALS_PER_DAY = 48
DEFAULT_WEEKS = 4


def interval_of(moment: datetime, tz: ZoneInfo = DESK_TZ) -> tuple[date, int]:
    """The desk-time day and half-hour index (0 = 00:00-00:30, 47 = 23:30-24:00) of ``moment``."""
    local = moment.astimezone(tz)
    return local.date(), local.hour * 2 + local.minute // 30


def interval_label(index: int) -> str:
    """``"09:30"`` for index 19: when the half-hour starts."""
    if not 0 <= index < INTERVALS_PER_DAY:
        raise ValidationError("interval", "A half-hour index runs from 0 to 47.")
    return time(index // 2, 30 * (index % 2)).strftime("%H:%M")


def interval_start(day: date, index: int, tz: ZoneInfo = DESK_TZ) -> datetime:
    """The instant (in desk time) the half-hour ``index`` of ``day`` starts."""
    return datetime.combine(day, time(index // 2, 30 * (index % 2)), tzinfo=tz)


def counts_per_interval(arrivals: Iterable[datetime], day: date, tz: ZoneInfo = DESK_TZ) -> list[int]:
    """How many of ``arrivals`` fell in each half-hour of ``day`` (desk time)."""
    counts = [0] * INTERVALS_PER_DAY
    for moment in arrivals:
        arrival_day, index = interval_of(moment, tz)
        if arrival_day == day:
            counts[index] += 1
    return counts


def history_days(day: date, weeks: int = DEFAULT_WEEKS) -> list[date]:
    """The same weekday in each of the ``weeks`` weeks before ``day``, most recent first."""
    if weeks < 1:
        raise ValidationError("weeks", "Forecast from at least one week of history.")
    return [day - timedelta(weeks=k) for k in range(1, weeks + 1)]


def forecast_day(
    arrivals: Iterable[datetime], day: date, weeks: int = DEFAULT_WEEKS, tz: ZoneInfo = DESK_TZ
) -> list[float]:
    """Expected arrivals per half-hour of ``day``: the mean over the same weekday of past ``weeks``.

    Weeks before the first arrival in the history (a desk that is new) are not averaged in
    as zeros; with no history at all every interval is 0.
    """
    moments = list(arrivals)
    if not moments:
        return [0.0] * INTERVALS_PER_DAY
    first_day = min(interval_of(m, tz)[0] for m in moments)
    days = [d for d in history_days(day, weeks) if d >= first_day]
    if not days:
        return [0.0] * INTERVALS_PER_DAY
    wanted = set(days)
    totals = [0] * INTERVALS_PER_DAY
    for moment in moments:
        arrival_day, index = interval_of(moment, tz)
        if arrival_day in wanted:
            totals[index] += 1
    return [total / len(days) for total in totals]
