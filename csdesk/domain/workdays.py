"""Working days and public holidays, with China's make-up working days (调休).

A day is a working day when it is a listed make-up working day, or a Monday to
Friday that is not a public holiday. Outside the years a calendar covers only
weekends are rest days; ask ``covers()`` before trusting a far-off answer.

Used by the complaint clock: a period whose last day is a rest day ends on the
next working day (Civil Code Art. 203).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from csdesk.domain import cn_holidays
from csdesk.domain.holiday_schedule import YearSchedule

_ONE_DAY = timedelta(days=1)


class HolidayCalendar:
    """Public holidays and make-up working days for a set of covered years."""

    def __init__(
        self,
        holidays: Iterable[date],
        makeup_workdays: Iterable[date],
        years: Iterable[int],
    ) -> None:
        self._holidays = frozenset(holidays)
        self._makeup_workdays = frozenset(makeup_workdays)
        self._years = frozenset(years)
        self.notices: dict[int, str] = {}
        clash = self._holidays & self._makeup_workdays
        if clash:
            raise ValueError(f"days both holiday and workday: {sorted(clash)}")

    def add_years(self, schedules: Iterable[YearSchedule]) -> None:
        """Learn the given years' notices; a year already known is replaced by the new notice."""
        holidays, makeup, years = set(self._holidays), set(self._makeup_workdays), set(self._years)
        for schedule in schedules:
            holidays = {d for d in holidays if d.year != schedule.year}
            makeup = {d for d in makeup if d.year != schedule.year}
            for _, first, last in schedule.holidays:
                holidays.update(_days(first, last))
            makeup.update(schedule.makeup_workdays)
            years.add(schedule.year)
            self.notices[schedule.year] = schedule.notice
        clash = holidays & makeup
        if clash:
            raise ValueError(f"days both holiday and workday: {sorted(clash)}")
        self._holidays, self._makeup_workdays, self._years = frozenset(holidays), frozenset(makeup), frozenset(years)

    @property
    def years(self) -> frozenset[int]:
        """The years whose official schedule this calendar knows."""
        return self._years

    def covers(self, d: date) -> bool:
        """True if the official schedule of ``d``'s year is known."""
        return d.year in self._years

    def is_holiday(self, d: date) -> bool:
        """True on a day off of an official public-holiday span (weekends inside it too)."""
        return d in self._holidays

    def is_makeup_workday(self, d: date) -> bool:
        """True on a weekend day that is a working day (调休上班)."""
        return d in self._makeup_workdays

    def is_workday(self, d: date) -> bool:
        """True on a working day: a make-up workday, or Mon–Fri that is no holiday."""
        if d in self._makeup_workdays:
            return True
        return d.weekday() < 5 and d not in self._holidays

    def next_workday(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def add_calendar_days(self, d: date, n: int, *, roll_forward: bool = False) -> date:
        """``d`` plus ``n`` calendar days; with ``roll_forward``, moved off rest days.

        ``roll_forward`` applies the rule for periods: a period whose last day is a
        rest day or holiday ends on the first working day after it.
        """
        end = d + timedelta(days=n)
        return self.next_workday(end) if roll_forward else end

    def add_workdays(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``n`` >= 0; 0 gives ``next_workday``)."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        day = self.next_workday(d) if n == 0 else d
        for _ in range(n):
            day = self.next_workday(day + _ONE_DAY)
        return day


def _days(first: date, last: date) -> Iterable[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY


def shipped_calendar() -> HolidayCalendar:
    """A new calendar of the schedules csdesk ships (:mod:`csdesk.domain.cn_holidays`)."""
    calendar = HolidayCalendar(
        holidays=(
            d
            for _, first, last in cn_holidays.HOLIDAYS
            for d in _days(date.fromisoformat(first), date.fromisoformat(last))
        ),
        makeup_workdays=(date.fromisoformat(s) for s in cn_holidays.MAKEUP_WORKDAYS),
        years=cn_holidays.YEARS,
    )
    calendar.notices.update(cn_holidays.NOTICES)
    return calendar


#: The calendar every deadline uses; a desk's holidays.toml adds years to it when a store opens.
CN_CALENDAR = shipped_calendar()
