"""Reading a time an agent types: "15:30", "2026-11-24 09:00", "+45m", "+2h", "+1d".

Times without a zone are the desk's local time (Asia/Shanghai by default). A promised
time must lie in the future; the error says so in a sentence.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from csdesk.domain.errors import ValidationError

DESK_TZ = ZoneInfo("Asia/Shanghai")
_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*([mhd])$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_when(text: str, now: datetime, *, tz: tzinfo = DESK_TZ, field: str = "when") -> datetime:
    """The aware UTC-comparable moment ``text`` names, relative to ``now`` (aware)."""
    raw = text.strip()
    if not raw:
        raise ValidationError(field, "Give a time, e.g. 15:30, 2026-11-24 09:00 or +2h.")
    match = _RELATIVE.match(raw)
    if match:
        return now + timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    local_now = now.astimezone(tz)
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M", "%m-%d %H:%M"):
        try:
            parsed = datetime.strptime(raw, pattern)
        except ValueError:
            continue
        if pattern == "%m-%d %H:%M":
            parsed = parsed.replace(year=local_now.year)
        return parsed.replace(tzinfo=tz)
    try:
        clock = time.fromisoformat(raw)
    except ValueError:
        raise ValidationError(field, f"{raw!r} is not a time; use 15:30, 2026-11-24 09:00 or +2h.") from None
    return datetime.combine(local_now.date(), clock, tzinfo=tz)


def future_time(text: str, now: datetime, *, tz: tzinfo = DESK_TZ, field: str = "when") -> datetime:
    """Like :func:`parse_when`, refusing a moment that is not after ``now``."""
    moment = parse_when(text, now, tz=tz, field=field)
    if moment <= now:
        shown = moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(field, f"{shown} is in the past; promise a time after now.")
    return moment


def today_local(now: datetime, tz: tzinfo = DESK_TZ) -> date:
    """The desk's local date at ``now``."""
    return now.astimezone(tz).date()
