"""How often a callback repeats: once, every N days, weekly on given weekdays, monthly.

A rule ends on a date (``until``, inclusive) or after a number of occurrences (``count``),
or runs on. Dates are computed by dateutil's ``rrule`` (RFC 5545) in the local wall time
of the first occurrence, then given that occurrence's time zone, so a rule keeps its
hour when the offset changes. Impossible rules (zero interval, an end before the start,
a day of the month that never comes, both an end date and a count) are refused with a
sentence by :func:`check_rule`; :func:`describe` says a rule in words, in zh-CN or English
("every Monday until 31 Dec").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from dateutil import rrule

from csdesk.domain.errors import ValidationError

MAX_INTERVAL = 99
MAX_COUNT = 500
#: How many occurrences a rule may produce at most, whatever its end.
HORIZON = 1000

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RRULE_FREQ = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}


class Frequency(StrEnum):
    """The repeat unit of a rule."""

    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class RecurrenceRule:
    """A repeat rule.

    ``weekdays``: 0 = Monday … 6 = Sunday (weekly rules only); ``month_day``: 1–31
    (monthly rules; default: the first occurrence's day).
    """

    frequency: Frequency = Frequency.ONCE
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int | None = None
    until: date | None = None
    count: int | None = None

    @property
    def repeats(self) -> bool:
        """True unless the rule is "once"."""
        return self.frequency is not Frequency.ONCE

    def to_payload(self) -> dict[str, Any]:
        """The rule as JSON-ready values (kept in the ``callback.scheduled`` event)."""
        return {
            "frequency": self.frequency.value,
            "interval": self.interval,
            "weekdays": list(self.weekdays),
            "month_day": self.month_day,
            "until": self.until.isoformat() if self.until else None,
            "count": self.count,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any] | None) -> RecurrenceRule:
        """Read a rule written by :meth:`to_payload` (None: once)."""
        if not data:
            return cls()
        until = data.get("until")
        return cls(
            frequency=Frequency(data.get("frequency", "once")),
            interval=int(data.get("interval") or 1),
            weekdays=tuple(int(d) for d in data.get("weekdays") or ()),
            month_day=data.get("month_day"),
            until=date.fromisoformat(until) if until else None,
            count=data.get("count"),
        )


ONCE = RecurrenceRule()


def check_rule(rule: RecurrenceRule, first: datetime) -> None:
    """Refuse an impossible rule with a sentence naming the broken rule.

    ``first`` is the first occurrence (aware, in the time zone the rule is read in).
    """
    if not rule.repeats:
        if rule.until or rule.count or rule.weekdays or rule.month_day:
            raise ValidationError("rule", "A callback made once has no end date, count, weekdays or day of month.")
        return
    if not 1 <= rule.interval <= MAX_INTERVAL:
        raise ValidationError("interval", f"The interval is a whole number from 1 to {MAX_INTERVAL}; 0 never repeats.")
    if rule.until and rule.count:
        raise ValidationError("rule", "End a rule on a date or after a number of times, not both.")
    if rule.count is not None and not 1 <= rule.count <= MAX_COUNT:
        raise ValidationError("count", f"The number of times is from 1 to {MAX_COUNT}.")
    if rule.until is not None and rule.until < first.date():
        raise ValidationError(
            "until", f"The end date {rule.until.isoformat()} is before the first callback ({first.date().isoformat()})."
        )
    if rule.weekdays and rule.frequency is not Frequency.WEEKLY:
        raise ValidationError("weekdays", "Weekdays belong to a weekly rule only.")
    if any(not 0 <= d <= 6 for d in rule.weekdays):
        raise ValidationError("weekdays", "Weekdays are 0 (Monday) to 6 (Sunday).")
    if rule.month_day is not None:
        if rule.frequency is not Frequency.MONTHLY:
            raise ValidationError("month_day", "A day of the month belongs to a monthly rule only.")
        if not 1 <= rule.month_day <= 31:
            raise ValidationError("month_day", f"There is no day {rule.month_day} in any month; use 1 to 31.")
    if next(occurrences(rule, first), None) is None:
        raise ValidationError("rule", "This rule gives no date at all before its end; change the day or the end.")


def _rrule(rule: RecurrenceRule, first: datetime) -> rrule.rrule:
    local = first.replace(tzinfo=None)
    kwargs: dict[str, Any] = {"dtstart": local, "interval": rule.interval}
    if rule.frequency is Frequency.WEEKLY:
        kwargs["byweekday"] = rule.weekdays or (local.weekday(),)
    if rule.frequency is Frequency.MONTHLY:
        kwargs["bymonthday"] = rule.month_day or local.day
    if rule.until:
        kwargs["until"] = datetime.combine(rule.until, time.max)
    if rule.count:
        kwargs["count"] = rule.count
    return rrule.rrule(_RRULE_FREQ[rule.frequency.value], **kwargs)


def occurrences(rule: RecurrenceRule, first: datetime) -> Iterator[datetime]:
    """Every occurrence from ``first`` on, in ``first``'s time zone (at most :data:`HORIZON`).

    A monthly rule on the 31st skips months without one, as RFC 5545 says; the first
    occurrence itself is included only when the rule produces it.
    """
    if not rule.repeats:
        yield first
        return
    for n, local in enumerate(_rrule(rule, first)):
        if n >= HORIZON:
            return
        yield local.replace(tzinfo=first.tzinfo)


def next_occurrence(rule: RecurrenceRule, first: datetime, after: datetime) -> datetime | None:
    """The first occurrence strictly after ``after`` (None when the rule has ended)."""
    for moment in occurrences(rule, first):
        if moment > after:
            return moment
    return None


def _until_en(until: date, first: date) -> str:
    shown = f"{until.day} {MONTHS_EN[until.month - 1]}"
    return shown if until.year == first.year else f"{shown} {until.year}"


def _until_zh(until: date, first: date) -> str:
    shown = f"{until.month}月{until.day}日"
    return shown if until.year == first.year else f"{until.year}年{shown}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(rule: RecurrenceRule, first: datetime, language: str = "en") -> str:
    """The rule in words: "every Monday until 31 Dec" / "每周一，至12月31日"."""
    zh = language == "zh-CN"
    weekdays = rule.weekdays or (first.weekday(),)
    n = rule.interval
    if not rule.repeats:
        return "仅一次" if zh else "once"
    if rule.frequency is Frequency.DAILY:
        head = ("每天" if n == 1 else f"每{n}天") if zh else ("every day" if n == 1 else f"every {n} days")
    elif rule.frequency is Frequency.WEEKLY:
        if zh:
            days = "、".join(WEEKDAYS_ZH[d] for d in sorted(weekdays))
            head = f"每{days}" if n == 1 else f"每{n}周的{days}"
        else:
            names = [WEEKDAYS_EN[d] for d in sorted(weekdays)]
            days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            head = f"every {days}" if n == 1 else f"every {n} weeks on {days}"
    else:
        day = rule.month_day or first.day
        if zh:
            head = f"每月{day}日" if n == 1 else f"每{n}个月的{day}日"
        else:
            head = f"every month on the {_ordinal(day)}" if n == 1 else f"every {n} months on the {_ordinal(day)}"
    if rule.until:
        tail = f"，至{_until_zh(rule.until, first.date())}" if zh else f" until {_until_en(rule.until, first.date())}"
    elif rule.count:
        tail = f"，共{rule.count}次" if zh else (", once" if rule.count == 1 else f", {rule.count} times")
    else:
        tail = ""
    return head + tail


WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _whole(text: str, field: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(field, f"{what} is a whole number, not {text!r}.")
    return int(text)


def rule_from_text(
    frequency: str,
    interval: str = "1",
    weekdays: str = "",
    until: str = "",
    count: str = "",
    month_day: str = "",
) -> RecurrenceRule:
    """A rule from what a person typed ("weekly", "1", "mon,thu", "2026-12-31", ""); refused with a sentence.

    Check it against its first date with :func:`check_rule`.
    """
    try:
        freq = Frequency(frequency.strip().lower() or "once")
    except ValueError:
        raise ValidationError("frequency", "Repeat once, daily, weekly or monthly.") from None
    days: list[int] = []
    for part in weekdays.replace("，", ",").replace(" ", ",").split(","):
        code = part.strip().lower()[:3]
        if not code:
            continue
        if code not in WEEKDAY_CODES:
            message = f"{part.strip()!r} is not a weekday; use mon, tue, wed, thu, fri, sat, sun."
            raise ValidationError("weekdays", message)
        days.append(WEEKDAY_CODES.index(code))
    end = None
    if until.strip():
        try:
            end = date.fromisoformat(until.strip())
        except ValueError:
            raise ValidationError("until", f"{until.strip()!r} is not a date; write YYYY-MM-DD.") from None
    every = _whole(interval, "interval", "The interval")
    return RecurrenceRule(
        freq,
        1 if every is None else every,
        tuple(sorted(set(days))),
        _whole(month_day, "month_day", "The day of the month"),
        end,
        _whole(count, "count", "The number of times"),
    )
