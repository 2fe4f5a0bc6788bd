"""The desk's own holiday notices: ``holidays.toml`` in the config dir, added to the CN calendar.

See :mod:`csdesk.domain.holiday_schedule` for the format. Loaded whenever a desk or
the CLI opens a store; a broken file is reported in one sentence with file and line and the
shipped calendar stays in force, so no deadline is computed from half a file.
"""

from __future__ import annotations

from pathlib import Path

from csdesk.domain.errors import ValidationError
from csdesk.domain.holiday_schedule import YearSchedule, parse_schedules
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

FILE_NAME = "holidays.toml"


def local_holiday_file() -> Path:
    """Where a supervisor puts next year's notice before a csdesk release ships it."""
    from platformdirs import user_config_path

    return user_config_path("csdesk") / FILE_NAME


def load_local_holidays(path: Path | None = None, calendar: HolidayCalendar = CN_CALENDAR) -> list[YearSchedule]:
    """Add the years in ``path`` (default :func:`local_holiday_file`) to ``calendar``; raises ValidationError."""
    path = path or local_holiday_file()
    if not path.is_file():
        return []
    schedules = parse_schedules(path.read_text(encoding="utf-8"), str(path))
    calendar.add_years(schedules)
    return schedules


def install_local_holidays() -> list[str]:
    """Load the desk's ``holidays.toml`` into the CN calendar; problems as sentences (the shipped one stays)."""
    try:
        load_local_holidays()
    except ValidationError as exc:
        return [f"{exc.message} The shipped holiday calendar is used until it is fixed."]
    return []
