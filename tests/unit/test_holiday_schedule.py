"""A year's holiday notice added from holidays.toml: parsing, refusals, and deadlines that follow it.

Rule: a period whose last day is a rest day or public holiday ends on the next working day
(Civil Code Art. 203, as applied to complaint periods under CBIRC Order 2020 No. 3).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from csdesk.data.holiday_files import load_local_holidays
from csdesk.domain.complaint_clock import period_end
from csdesk.domain.errors import ValidationError
from csdesk.domain.holiday_schedule import parse_schedules
from csdesk.domain.workdays import shipped_calendar

NOTICE_2027 = """
[2027]
notice = "国办发明电〔2026〕N号"
holidays = [
  { name = "元旦 New Year's Day", first = 2027-01-01, last = 2027-01-03 },
  { name = "春节 Spring Festival", first = "2027-02-06", last = "2027-02-14" },
]
makeup_workdays = ["2027-01-09", 2027-02-20]
"""


def test_a_notice_is_read_with_dates_quoted_or_bare() -> None:
    (schedule,) = parse_schedules(NOTICE_2027, "holidays.toml")
    assert schedule.year == 2027 and schedule.notice.startswith("国办发明电")
    assert schedule.holidays[0][1:] == (date(2027, 1, 1), date(2027, 1, 3))
    assert schedule.makeup_workdays == (date(2027, 1, 9), date(2027, 2, 20))


def test_a_deadline_in_the_new_year_rolls_over_its_holidays_once_the_notice_is_added() -> None:
    """Accepted 2026-12-17, 15 days: the last day 2027-01-01 is New Year's Day -> 2027-01-04."""
    calendar = shipped_calendar()  # a private copy: the shared one is never touched
    assert not calendar.covers(date(2027, 1, 1))
    assert period_end(date(2026, 12, 17), 15, calendar=calendar) == date(2027, 1, 1)  # a Friday, holiday unknown
    calendar.add_years(parse_schedules(NOTICE_2027, "holidays.toml"))
    assert calendar.covers(date(2027, 1, 1)) and calendar.notices[2027].startswith("国办发明电")
    assert period_end(date(2026, 12, 17), 15, calendar=calendar) == date(2027, 1, 4)
    assert period_end(date(2027, 1, 24), 15, calendar=calendar) == date(2027, 2, 15)  # Spring Festival -> Monday
    assert calendar.is_workday(date(2027, 1, 9))  # a Saturday worked


def test_a_year_given_again_replaces_the_shipped_one() -> None:
    """An amended notice: 2026's National Day moved in this (invented) correction."""
    calendar = shipped_calendar()  # a private copy: the shared one is never touched
    assert calendar.is_holiday(date(2026, 10, 7))
    amended = '[2026]\nnotice = "amended"\nholidays = [{ name = "国庆节", first = 2026-10-01, last = 2026-10-05 }]\n'
    calendar.add_years(parse_schedules(amended, "holidays.toml"))
    assert not calendar.is_holiday(date(2026, 10, 7)) and calendar.is_holiday(date(2026, 10, 5))
    assert not calendar.is_holiday(date(2026, 2, 16))  # the rest of 2026 is the amended notice's too
    assert calendar.is_holiday(date(2025, 10, 1))  # other years untouched


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[2027\nnotice = 1\n", "holidays.toml: not valid TOML"),
        ("[2027\nnotice = 1\n", "line 1"),
        ("[next]\nnotice = 'x'\n", "named by its year"),
        ("[2027]\nholidays = []\n", "notice names"),
        ("[2027]\nnotice = 'x'\nholidays = []\n", "holidays lists"),
        ("[2027]\nnotice = 'x'\nholidays = [{ name = 'a', first = '2027-13-01', last = 2027-01-01 }]\n", "not a date"),
        ("[2027]\nnotice = 'x'\nholidays = [{ name = 'a', first = 2027-01-03, last = 2027-01-01 }]\n", "ends"),
        ("[2027]\nnotice = 'x'\nholidays = [{ name = 'a', first = 2030-01-01, last = 2030-01-01 }]\n", "next to 2027"),
        ("[2027]\nnotice = 'x'\nholidays = [{ name = 'a', first = 2027-01-01, last = 2027-01-01 }]\n"
         "makeup_workdays = [2027-01-06]\n", "is a weekday"),
        ("[2027]\nnotice = 'x'\nholidays = [{ name = 'a', first = 2027-01-01, last = 2027-01-03 }]\n"
         "makeup_workdays = [2027-01-02]\n", "both a holiday and a make-up workday"),
        ("[2027]\nnotice = 'x'\nholiday = []\n", "unknown key"),
    ],
)
def test_a_broken_notice_is_refused_with_the_file_named(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_schedules(text, "holidays.toml")
    assert says in caught.value.message and caught.value.message.startswith("holidays.toml")


def test_the_desk_file_is_loaded_into_the_calendar_given(tmp_path: Path) -> None:
    calendar = shipped_calendar()  # a private copy: the shared one is never touched
    assert load_local_holidays(tmp_path / "none.toml", calendar) == []
    path = tmp_path / "holidays.toml"
    path.write_text(NOTICE_2027, encoding="utf-8")
    assert [s.year for s in load_local_holidays(path, calendar)] == [2027]
    assert calendar.covers(date(2027, 6, 1))
