"""Arrivals forecast per 30-minute interval (DOMAIN.md, "Staffing": same weekday, recent weeks; Monday/Friday peaks)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from csdesk.domain.errors import ValidationError
from csdesk.domain.forecast import (
    counts_per_interval,
    forecast_day,
    history_days,
    interval_label,
    interval_of,
)

MONDAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int) -> datetime:
    """A Beijing wall time as UTC (Beijing is UTC+8 all year)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def test_intervals_are_half_hours_of_desk_time() -> None:
    """09:29 Beijing is interval 18 (09:00), 09:30 is 19; labels read as wall times."""
    assert interval_of(at(MONDAY, 9, 29)) == (MONDAY, 18)
    assert interval_of(at(MONDAY, 9, 30)) == (MONDAY, 19)
    assert interval_label(19) == "09:30"
    with pytest.raises(ValidationError):
        interval_label(48)


def test_forecast_is_the_mean_of_the_same_weekday_over_four_weeks() -> None:
    """Mondays 4 weeks back had 3, 1, 2, 2 calls at 10:00: forecast 2.0; a Tuesday call does not count."""
    arrivals = []
    for weeks_back, calls in zip((1, 2, 3, 4), (3, 1, 2, 2), strict=True):
        day = MONDAY - timedelta(weeks=weeks_back)
        arrivals += [at(day, 10, 5)] * calls
    arrivals.append(at(MONDAY - timedelta(days=6), 10, 5))  # the Tuesday after a Monday
    arrivals.append(at(MONDAY - timedelta(weeks=5), 10, 5))  # five weeks back: too old
    forecast = forecast_day(arrivals, MONDAY)
    assert forecast[20] == 2.0
    assert sum(forecast) == 2.0


def test_a_new_desk_averages_only_the_weeks_it_has() -> None:
    """History starting two weeks ago: divide by 2, not 4 (no invented zero weeks)."""
    arrivals = [at(MONDAY - timedelta(weeks=1), 9, 0), at(MONDAY - timedelta(weeks=2), 9, 0)] * 2
    assert forecast_day(arrivals, MONDAY)[18] == 2.0
    assert forecast_day([], MONDAY) == [0.0] * 48


def test_monday_peak_shows_against_tuesday() -> None:
    """Monday's history is busier than Tuesday's: the forecast keeps the peak."""
    arrivals = []
    for weeks_back in range(1, 5):
        monday = MONDAY - timedelta(weeks=weeks_back)
        arrivals += [at(monday, 10, 0)] * 13
        arrivals += [at(monday + timedelta(days=1), 10, 0)] * 10
    assert forecast_day(arrivals, MONDAY)[20] == 13.0
    assert forecast_day(arrivals, MONDAY + timedelta(days=1))[20] == 10.0


def test_counts_and_history_days() -> None:
    """Counts fall in the right half-hour; history is the same weekday, most recent first."""
    counts = counts_per_interval([at(MONDAY, 0, 0), at(MONDAY, 23, 59), at(MONDAY + timedelta(days=1), 0, 0)], MONDAY)
    assert counts[0] == 1 and counts[47] == 1 and sum(counts) == 2
    assert history_days(MONDAY, 2) == [date(2026, 11, 16), date(2026, 11, 9)]
    with pytest.raises(ValidationError):
        history_days(MONDAY, 0)
