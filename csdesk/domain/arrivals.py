"""When contacts arrive: the desk's daily peak profile and a seeded Poisson process.

The profile (DOMAIN.md, "Staffing"): arrivals follow a business-hours curve in China
time (UTC+8) with peaks around 10:00 and 15:00 and a dip at lunch; Monday and Friday
are about 30 % busier than Tuesday to Thursday, weekends about 40 % of a weekday.

The simulator of demo mode draws arrivals as a non-homogeneous Poisson process whose
rate is constant within each 30-minute interval of the desk's day: the number of
arrivals in an interval is Poisson distributed with mean ``rate × length`` and the
arrivals are spread uniformly inside it. All randomness comes from the ``random.Random``
the caller passes, so a seed gives the same arrivals.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")
"""Local time of the desk: business hours and weekdays are counted in it."""

INTERVAL = timedelta(minutes=30)
#: Day-of-week factor (Monday = 0): Monday and Friday peaks, quiet weekends.
DAY_FACTOR = (1.3, 1.0, 1.0, 1.0, 1.3, 0.4, 0.4)

RateFn = Callable[[datetime], float]


def _gauss(x: float, mu: float, sigma: float) -> float:
    return math.exp(-0.5 * ((x - mu) / sigma) ** 2)


def hour_weight(hour: float) -> float:
    """Relative arrival rate at local ``hour`` (0–24) of a working day; about 1.5 at the 10:00 peak."""
    if hour < 7:
        return 0.02
    if hour < 8.5:
        return 0.04 + 0.25 * (hour - 7) / 1.5
    if hour < 20:
        lunch = 0.25 * _gauss(hour, 12.5, 0.5)
        return 0.45 + 1.0 * _gauss(hour, 10.0, 1.0) + 0.85 * _gauss(hour, 15.0, 1.2) - lunch
    if hour < 22:
        return 0.12
    return 0.04


PEAK_WEIGHT = max(hour_weight(h / 10) for h in range(240)) * max(DAY_FACTOR)


def interval_start(at: datetime) -> datetime:
    """The start of the 30-minute interval of the desk's day holding ``at`` (same time zone as ``at``)."""
    local = at.astimezone(CHINA)
    floored = local.replace(minute=30 if local.minute >= 30 else 0, second=0, microsecond=0)
    return floored.astimezone(at.tzinfo)


def profile_rate(peak_per_hour: float) -> RateFn:
    """Arrivals per hour at a moment: ``peak_per_hour`` at the busiest half hour of a Monday or Friday.

    The rate is constant within each 30-minute interval (taken at its middle).
    """

    def rate(at: datetime) -> float:
        middle = interval_start(at).astimezone(CHINA) + INTERVAL / 2
        weight = DAY_FACTOR[middle.weekday()] * hour_weight(middle.hour + middle.minute / 60)
        return peak_per_hour * weight / PEAK_WEIGHT

    return rate


def constant_rate(per_hour: float) -> RateFn:
    """The same rate at every moment (a surge of calls after an outage)."""
    return lambda _at: per_hour


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count with ``mean`` (Knuth below 30, normal approximation above)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def arrival_times(rng: random.Random, start: datetime, end: datetime, rate: RateFn) -> list[datetime]:
    """Sorted arrival times in ``[start, end)``: Poisson counts per 30-minute interval, uniform inside."""
    if end <= start:
        return []
    times: list[datetime] = []
    at = interval_start(start)
    while at < end:
        low, high = max(at, start), min(at + INTERVAL, end)
        span = (high - low).total_seconds()
        if span > 0:
            for _ in range(poisson(rng, rate(low) * span / 3600)):
                times.append(low + timedelta(seconds=rng.random() * span))
        at += INTERVAL
    times.sort()
    return times
