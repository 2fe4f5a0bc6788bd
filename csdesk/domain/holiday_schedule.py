"""A year's official holiday schedule (放假安排) read from a TOML text, so a desk can add it.

The State Council publishes next year's schedule each November; complaint deadlines
(CBIRC Order 2020 No. 3 with Civil Code Art. 203: a period ending on a rest day ends on
the next working day) cross into that year weeks before a new csdesk release could ship
it. A supervisor writes the notice into ``holidays.toml``::

    [2027]
    notice = "国办发明电〔2026〕N号"
    holidays = [
      { name = "元旦 New Year's Day", first = "2027-01-01", last = "2027-01-03" },
    ]
    makeup_workdays = ["2027-01-09"]

A year given here replaces the shipped schedule of that year (an amended notice).
Every problem is reported with the file and, for syntax errors, the line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from typing import Any

from csdesk.domain.errors import ValidationError

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's notice: its holiday spans (weekends inside included) and make-up workdays."""

    year: int
    notice: str
    holidays: tuple[tuple[str, date, date], ...]
    makeup_workdays: tuple[date, ...]


def parse_schedules(text: str, source: str) -> list[YearSchedule]:
    """The year schedules in ``text`` (TOML); :class:`ValidationError` naming ``source`` otherwise."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _bad(f"{source}: not valid TOML: {exc}.") from None
    schedules = []
    for key, table in data.items():
        where = f"{source} [{key}]"
        if not key.isdigit() or not FIRST_YEAR <= int(key) <= LAST_YEAR:
            raise _bad(f"{where}: a table is named by its year, {FIRST_YEAR}–{LAST_YEAR}.")
        if not isinstance(table, dict):
            raise _bad(f"{where}: must be a table with notice, holidays and makeup_workdays.")
        schedules.append(_year(int(key), table, where))
    return schedules


def _year(year: int, table: dict[str, Any], where: str) -> YearSchedule:
    unknown = set(table) - {"notice", "holidays", "makeup_workdays"}
    if unknown:
        raise _bad(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")
    notice = table.get("notice")
    if not isinstance(notice, str) or not notice.strip():
        raise _bad(f"{where}: notice names the State Council notice (e.g. 国办发明电〔2026〕7号).")
    spans = table.get("holidays")
    if not isinstance(spans, list) or not spans:
        raise _bad(f"{where}: holidays lists the year's spans as {{ name, first, last }}.")
    holidays = []
    for span in spans:
        if not isinstance(span, dict) or not isinstance(span.get("name"), str):
            raise _bad(f"{where}: every holiday is {{ name = \"...\", first = DATE, last = DATE }}.")
        first, last = _day(span.get("first"), year, where), _day(span.get("last"), year, where)
        if last < first:
            raise _bad(f"{where}: {span['name']} ends ({last}) before it starts ({first}).")
        holidays.append((span["name"], first, last))
    makeup = tuple(_day(d, year, where) for d in table.get("makeup_workdays", []))
    for day in makeup:
        if day.weekday() < 5:
            raise _bad(f"{where}: make-up workday {day} is a weekday; only weekend days are listed.")
        if any(first <= day <= last for _, first, last in holidays):
            raise _bad(f"{where}: {day} is both a holiday and a make-up workday.")
    return YearSchedule(year, notice.strip(), tuple(holidays), makeup)


def _day(value: object, year: int, where: str) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise _bad(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None
    if not isinstance(value, date):
        raise _bad(f"{where}: {value!r} is not a date (YYYY-MM-DD).")
    if abs(value.year - year) > 1:
        raise _bad(f"{where}: {value} is not in or next to {year}.")
    return value


def _bad(message: str) -> ValidationError:
    return ValidationError("holidays", message)
