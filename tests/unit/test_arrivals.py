"""Arrivals of demo mode: the desk's peak profile and the seeded Poisson process (DOMAIN.md, "Staffing")."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from statistics import mean

from csdesk.domain.arrivals import (
    CHINA,
    arrival_times,
    constant_rate,
    interval_start,
    poisson,
    profile_rate,
)

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=CHINA)


def test_monday_and_friday_peak_and_mornings_beat_lunch() -> None:
    """Peaks on Monday and Friday; 10:00 busier than 12:30; the night nearly empty."""
    rate = profile_rate(100)
    wednesday_10 = MONDAY_10 + timedelta(days=2)
    friday_10 = MONDAY_10 + timedelta(days=4)
    sunday_10 = MONDAY_10 + timedelta(days=6)
    assert rate(MONDAY_10) == rate(friday_10) > rate(wednesday_10) > rate(sunday_10)
    assert rate(MONDAY_10) > rate(MONDAY_10.replace(hour=12, minute=30)) > rate(MONDAY_10.replace(hour=3))
    assert max(rate(MONDAY_10 + timedelta(minutes=30 * i)) for i in range(-20, 20)) <= 100


def test_the_rate_is_constant_within_each_half_hour() -> None:
    """The profile is given per 30-minute interval of the desk's day (China time)."""
    rate = profile_rate(60)
    assert rate(MONDAY_10 + timedelta(minutes=1)) == rate(MONDAY_10 + timedelta(minutes=29))
    assert interval_start(MONDAY_10 + timedelta(minutes=47)) == MONDAY_10 + timedelta(minutes=30)
    assert interval_start(datetime(2026, 11, 23, 2, 17, tzinfo=UTC)) == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_poisson_counts_have_the_right_mean() -> None:
    """Knuth's method below 30 and the normal approximation above give the requested mean."""
    rng = random.Random(1)
    for wanted in (0.5, 4, 80):
        assert abs(mean(poisson(rng, wanted) for _ in range(4000)) - wanted) < 0.05 * wanted + 0.1
    assert poisson(rng, 0) == 0


def test_arrivals_are_seeded_sorted_inside_the_window_and_near_the_rate() -> None:
    """Same seed, same arrivals; 60 an hour for 10 hours gives about 600 inside [start, end)."""
    start, end = MONDAY_10, MONDAY_10 + timedelta(hours=10)
    first = arrival_times(random.Random(5), start, end, constant_rate(60))
    assert first == arrival_times(random.Random(5), start, end, constant_rate(60))
    assert first == sorted(first)
    assert all(start <= at < end for at in first)
    assert 520 < len(first) < 680
    assert arrival_times(random.Random(5), end, start, constant_rate(60)) == []
