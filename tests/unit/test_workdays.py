"""Tests of csdesk.domain.workdays and the CN holiday data (调休 included).

Rule (DOMAIN.md, complaint clock): if the last day of a period falls on a statutory
rest day or public holiday, the period ends on the first working day after it, using
the CN holiday calendar including make-up working days.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from csdesk.domain import cn_holidays
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar


def _holidays_in(year: int) -> set[date]:
    days = (date(year, 1, 1) + timedelta(days=i) for i in range(366))
    return {d for d in days if d.year == year and CN_CALENDAR.is_holiday(d)}


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2026-01-01", "2026-01-03"),
        ("2026-02-15", "2026-02-23"),
        ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"),
        ("2026-06-19", "2026-06-21"),
        ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07"),
        ("2025-01-28", "2025-02-04"),
        ("2025-10-01", "2025-10-08"),
        ("2024-02-10", "2024-02-17"),
    ],
)
def test_official_holiday_spans_are_rest_days(first: str, last: str) -> None:
    day = date.fromisoformat(first)
    while day <= date.fromisoformat(last):
        assert CN_CALENDAR.is_holiday(day), day
        assert not CN_CALENDAR.is_workday(day), day
        day += timedelta(days=1)
    assert not CN_CALENDAR.is_holiday(date.fromisoformat(first) - timedelta(days=1))
    assert not CN_CALENDAR.is_holiday(date.fromisoformat(last) + timedelta(days=1))


@pytest.mark.parametrize(
    "day",
    ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10", "2025-01-26", "2024-02-04"],
)
def test_makeup_weekend_days_are_workdays(day: str) -> None:
    d = date.fromisoformat(day)
    assert d.weekday() >= 5
    assert CN_CALENDAR.is_workday(d)
    assert CN_CALENDAR.is_makeup_workday(d)
    assert not CN_CALENDAR.is_holiday(d)


def test_every_makeup_workday_is_a_weekend_day_outside_holidays() -> None:
    for text in cn_holidays.MAKEUP_WORKDAYS:
        d = date.fromisoformat(text)
        assert d.weekday() >= 5, d
        assert not CN_CALENDAR.is_holiday(d), d


def test_holiday_day_counts_per_year() -> None:
    """2024: 28 days off in spans; 2025: 28 (Spring and Labour Day +1); 2026: 33."""
    assert len(_holidays_in(2024)) == 28
    assert len(_holidays_in(2025)) == 28
    assert len(_holidays_in(2026)) == 33


def test_2026_has_six_makeup_workdays() -> None:
    assert sorted(d for d in cn_holidays.MAKEUP_WORKDAYS if d.startswith("2026")) == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]


def test_ordinary_weekend_and_weekday() -> None:
    assert not CN_CALENDAR.is_workday(date(2026, 11, 21))  # Saturday
    assert not CN_CALENDAR.is_workday(date(2026, 11, 22))  # Sunday
    assert CN_CALENDAR.is_workday(date(2026, 11, 23))  # Monday
    assert not CN_CALENDAR.is_holiday(date(2026, 11, 22))


def test_next_workday() -> None:
    assert CN_CALENDAR.next_workday(date(2026, 11, 23)) == date(2026, 11, 23)
    assert CN_CALENDAR.next_workday(date(2026, 11, 21)) == date(2026, 11, 23)
    assert CN_CALENDAR.next_workday(date(2026, 10, 1)) == date(2026, 10, 8)
    assert CN_CALENDAR.next_workday(date(2026, 2, 15)) == date(2026, 2, 24)
    assert CN_CALENDAR.next_workday(date(2026, 1, 3)) == date(2026, 1, 4)  # a Sunday, but 调休


def test_complaint_deadline_rolls_forward_over_national_day() -> None:
    """15 days from acceptance on 2026-09-16 end on 2026-10-01 (holiday) → 2026-10-08."""
    accepted = date(2026, 9, 16)
    assert CN_CALENDAR.add_calendar_days(accepted, 15) == date(2026, 10, 1)
    assert CN_CALENDAR.add_calendar_days(accepted, 15, roll_forward=True) == date(2026, 10, 8)


def test_add_calendar_days_without_roll_forward_ignores_rest_days() -> None:
    assert CN_CALENDAR.add_calendar_days(date(2026, 2, 10), 5) == date(2026, 2, 15)
    assert CN_CALENDAR.add_calendar_days(date(2026, 2, 10), -5) == date(2026, 2, 5)


def test_roll_forward_lands_on_makeup_saturday() -> None:
    """Period ending Sat 2026-02-28 (a make-up workday) is not moved."""
    assert CN_CALENDAR.add_calendar_days(date(2026, 2, 13), 15, roll_forward=True) == date(2026, 2, 28)


def test_add_workdays_skips_holidays_and_counts_makeup_days() -> None:
    assert CN_CALENDAR.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CN_CALENDAR.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)  # Saturday 调休
    assert CN_CALENDAR.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert CN_CALENDAR.add_workdays(date(2026, 11, 20), 3) == date(2026, 11, 25)
    assert CN_CALENDAR.add_workdays(date(2026, 11, 21), 0) == date(2026, 11, 23)
    with pytest.raises(ValueError):
        CN_CALENDAR.add_workdays(date(2026, 11, 21), -1)


def test_covers() -> None:
    assert CN_CALENDAR.covers(date(2024, 1, 1))
    assert CN_CALENDAR.covers(date(2026, 12, 31))
    assert not CN_CALENDAR.covers(date(2023, 12, 31))
    assert not CN_CALENDAR.covers(date(2027, 1, 1))


def test_uncovered_years_fall_back_to_weekends_only() -> None:
    assert CN_CALENDAR.is_workday(date(2027, 10, 1))  # a Friday; schedule unknown
    assert not CN_CALENDAR.is_workday(date(2027, 10, 2))


def test_custom_calendar_rejects_day_both_holiday_and_workday() -> None:
    d = date(2030, 1, 1)
    with pytest.raises(ValueError):
        HolidayCalendar(holidays=[d], makeup_workdays=[d], years=[2030])


def test_custom_calendar() -> None:
    cal = HolidayCalendar(holidays=[date(2030, 1, 1)], makeup_workdays=[date(2030, 1, 5)], years=[2030])
    assert cal.is_holiday(date(2030, 1, 1))
    assert cal.is_workday(date(2030, 1, 5))  # Saturday made a workday
    assert cal.years == frozenset({2030})
