"""Callback rules (DOMAIN.md, "Callback 回访"): when a customer may be called, retries, outcomes.

- **Contact window**: allowed hours ``[start, end)`` on allowed weekdays, in the
  customer's own time zone.
- **Do not contact**: a customer who asked not to be called is never scheduled.
- **Public holidays**: no callbacks on CN public holidays (the official 放假 days), unless
  the agent forces it and says why.
- **Retries**: "no answer" schedules the next attempt after the retry interval, at the
  nearest allowed time, until the maximum number of attempts is reached.
- A refused time comes with the nearest allowed time after it, where there is one
  (:class:`ContactRefused.proposal`).
- **Complaint follow-up**: a score of 2 or less, or an explicit "unsatisfied", means the
  customer is not satisfied and the complaint reopens (DOMAIN.md: "if not satisfied, keep
  communicating").
- **Completion KPI**: callbacks done by their due time / callbacks due (target 95 %).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from csdesk.domain.errors import ValidationError
from csdesk.domain.when import DESK_TZ, parse_when
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

#: How far ahead the nearest allowed time is searched for.
SEARCH_DAYS = 62
#: A callback within this span of now (either side) is "due now"; earlier ones are overdue.
DUE_NOW_SPAN = timedelta(minutes=15)
#: A callback whose first attempt came at most this long after its due time was done on time.
ON_TIME_GRACE = timedelta(minutes=30)
UNSATISFIED_SCORE = 2
_DATE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


class Channel(StrEnum):
    """How the customer is called back."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"


class Purpose(StrEnum):
    """Why the customer is called back (DOMAIN.md)."""

    COMPLAINT_FOLLOW_UP = "complaint_follow_up"
    SATISFACTION_SURVEY = "satisfaction_survey"
    KEY_CUSTOMER_CARE = "key_customer_care"
    BUSINESS_PROGRESS = "business_progress"


class Outcome(StrEnum):
    """What happened on one attempt."""

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    REFUSED = "refused"
    RESCHEDULED = "rescheduled"


class CallbackStatus(StrEnum):
    """Where a callback stands: waiting, done, given up, or cancelled."""

    SCHEDULED = "scheduled"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_STATUSES = (CallbackStatus.SCHEDULED.value,)


@dataclass(frozen=True, slots=True)
class ContactWindow:
    """Allowed hours ``[start, end)`` on ``weekdays`` (0 = Monday) in ``time_zone``."""

    start: time = time(9, 0)
    end: time = time(20, 0)
    weekdays: frozenset[int] = frozenset(range(7))
    time_zone: str = "Asia/Shanghai"

    @property
    def tz(self) -> tzinfo:
        """The customer's time zone."""
        return ZoneInfo(self.time_zone)

    def allows(self, local: datetime) -> bool:
        """True when ``local`` (in the customer's zone) is inside the window."""
        return local.weekday() in self.weekdays and self.start <= local.time().replace(tzinfo=None) < self.end


@dataclass(frozen=True, slots=True)
class ContactPrefs:
    """What a customer agreed to: whether to be called at all, and when."""

    do_not_contact: bool = False
    window: ContactWindow = ContactWindow()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``max_attempts`` attempts, ``interval`` apart (moved into the window)."""

    max_attempts: int = 3
    interval: timedelta = timedelta(hours=2)


class ContactRefused(ValidationError):
    """A time the customer may not be called at; ``proposal`` is the nearest allowed time (or None)."""

    def __init__(self, field: str, message: str, proposal: datetime | None = None) -> None:
        super().__init__(field, message)
        self.proposal = proposal


def make_window(start: str, end: str, weekdays: Iterable[int], time_zone: str) -> ContactWindow:
    """A window from typed values ("09:00", "20:00", [0..6], "Asia/Shanghai"); refused with a sentence."""
    try:
        first, last = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise ValidationError("window", "Give the window's hours as HH:MM, e.g. 09:00 and 20:00.") from None
    if first >= last:
        raise ValidationError("window", f"The window must start before it ends ({start}–{end}).")
    days = frozenset(int(d) for d in weekdays)
    if not days or any(not 0 <= d <= 6 for d in days):
        raise ValidationError("weekdays", "Allow at least one weekday, 0 (Monday) to 6 (Sunday).")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"{time_zone!r} is not a time zone; use a name like Asia/Shanghai."
        raise ValidationError("time_zone", message) from None
    return ContactWindow(first, last, days, time_zone)


def parse_due(text: str, now: datetime, *, tz: tzinfo = DESK_TZ) -> datetime:
    """The moment an agent typed (desk time unless it says otherwise); a date that does not exist is named."""
    match = _DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            raise ValidationError("due", f"There is no month {month}; months are 1 to 12.")
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            name = calendar.month_name[month]
            raise ValidationError("due", f"There is no {day} {name} {year}; {name} {year} has {days} days.")
    return parse_when(text, now, tz=tz, field="due")


def nearest_allowed(
    after: datetime, window: ContactWindow, *, holidays: HolidayCalendar | None = CN_CALENDAR
) -> datetime | None:
    """The first moment at or after ``after`` inside ``window`` and not on a holiday (None within 62 days).

    ``holidays=None`` allows public holidays (a forced callback).
    """
    tz = window.tz
    local = after.astimezone(tz)
    for offset in range(SEARCH_DAYS):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in window.weekdays or (holidays is not None and holidays.is_holiday(day)):
            continue
        opening = datetime.combine(day, window.start, tzinfo=tz)
        closing = datetime.combine(day, window.end, tzinfo=tz)
        candidate = max(opening, local)
        if candidate < closing:
            return candidate.astimezone(after.tzinfo)
    return None


def _shown(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _weekday_names(days: frozenset[int]) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return ", ".join(names[d] for d in sorted(days))


def check_contact_time(
    due: datetime,
    prefs: ContactPrefs,
    now: datetime,
    *,
    force_reason: str | None = None,
    holidays: HolidayCalendar = CN_CALENDAR,
) -> None:
    """Refuse a due time the customer may not be called at, proposing the nearest allowed one.

    Rules in order: do-not-contact (no proposal), in the past, outside the window, on a
    CN public holiday (allowed only with a ``force_reason``).
    """
    window = prefs.window
    if prefs.do_not_contact:
        raise ContactRefused("customer", "This customer asked not to be contacted; no callback can be scheduled.")
    forced = bool(force_reason and force_reason.strip())
    calendar_used = None if forced else holidays
    tz = window.tz
    if due <= now:
        proposal = nearest_allowed(now + timedelta(minutes=5), window, holidays=calendar_used)
        raise ContactRefused("due", f"{_shown(due, DESK_TZ)} is in the past; schedule a time after now.", proposal)
    local = due.astimezone(tz)
    if not window.allows(local):
        proposal = nearest_allowed(due, window, holidays=calendar_used)
        raise ContactRefused(
            "due",
            f"{_shown(due, tz)} ({window.time_zone}) is outside the customer's contact window "
            f"({window.start:%H:%M}–{window.end:%H:%M}, {_weekday_names(window.weekdays)}).",
            proposal,
        )
    if not forced and holidays.is_holiday(local.date()):
        proposal = nearest_allowed(due, window, holidays=holidays)
        raise ContactRefused(
            "due",
            f"{local.date().isoformat()} is a public holiday in China; no callbacks unless forced with a reason.",
            proposal,
        )


def next_retry(
    now: datetime,
    attempts_made: int,
    policy: RetryPolicy,
    window: ContactWindow,
    holidays: HolidayCalendar = CN_CALENDAR,
) -> datetime | None:
    """When to try again after "no answer": None once ``attempts_made`` reaches the maximum."""
    if attempts_made >= policy.max_attempts:
        return None
    return nearest_allowed(now + policy.interval, window, holidays=holidays)


def check_retry_policy(max_attempts: int, retry_minutes: int) -> RetryPolicy:
    """A retry policy from typed numbers; refused with a sentence."""
    if not 1 <= max_attempts <= 10:
        raise ValidationError("max_attempts", "A callback is tried 1 to 10 times.")
    if not 5 <= retry_minutes <= 60 * 24 * 7:
        raise ValidationError("retry_minutes", "The retry interval is from 5 minutes to 7 days.")
    return RetryPolicy(max_attempts, timedelta(minutes=retry_minutes))


def check_score(score: int | None, purpose: str) -> int | None:
    """A satisfaction score is 1–5 and belongs to surveys and complaint follow-ups."""
    if score is None:
        return None
    if purpose not in (Purpose.SATISFACTION_SURVEY, Purpose.COMPLAINT_FOLLOW_UP):
        raise ValidationError("score", "Only surveys and complaint follow-ups record a satisfaction score.")
    if not 1 <= score <= 5:
        raise ValidationError("score", "A satisfaction score is 1 (very unsatisfied) to 5 (very satisfied).")
    return score


def is_unsatisfied(purpose: str, score: int | None, unsatisfied: bool) -> bool:
    """True when a complaint follow-up finds the customer unsatisfied (score ≤ 2 or said so)."""
    if purpose != Purpose.COMPLAINT_FOLLOW_UP:
        return False
    return unsatisfied or (score is not None and score <= UNSATISFIED_SCORE)


def status_after(outcome: Outcome, attempts_made: int, policy: RetryPolicy) -> CallbackStatus:
    """Status once an attempt with ``outcome`` is recorded (``attempts_made`` includes it)."""
    if outcome in (Outcome.REACHED, Outcome.REFUSED):
        return CallbackStatus.DONE
    if outcome is Outcome.WRONG_NUMBER:
        return CallbackStatus.FAILED
    if outcome is Outcome.NO_ANSWER and attempts_made >= policy.max_attempts:
        return CallbackStatus.FAILED
    return CallbackStatus.SCHEDULED


def bucket(due: datetime, now: datetime) -> str:
    """"overdue", "due_now" or "upcoming" for a callback still to make."""
    if due < now - DUE_NOW_SPAN:
        return "overdue"
    if due <= now + DUE_NOW_SPAN:
        return "due_now"
    return "upcoming"


@dataclass(frozen=True, slots=True)
class CompletionRecord:
    """One callback for the KPI: its first due time, first attempt, and whether it was cancelled."""

    due_at: datetime
    first_attempt_at: datetime | None
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Completion:
    """Callbacks done by their due time out of those due; ``rate`` is None when none was due."""

    due: int
    on_time: int

    @property
    def rate(self) -> float | None:
        """on_time / due, or None."""
        return self.on_time / self.due if self.due else None


def completion_rate(records: Iterable[CompletionRecord], now: datetime, grace: timedelta = ON_TIME_GRACE) -> Completion:
    """Callbacks done by due time / callbacks due (DOMAIN.md KPI "callback completion", target 95 %).

    A callback is due once its due time has passed and it was not cancelled; it was done
    on time when its first attempt was recorded no later than ``grace`` after the due time
    (an unreachable customer is not the agent's lateness).
    """
    due = on_time = 0
    for record in records:
        if record.cancelled or record.due_at > now:
            continue
        due += 1
        if record.first_attempt_at is not None and record.first_attempt_at <= record.due_at + grace:
            on_time += 1
    return Completion(due, on_time)


def week_days(day: date) -> list[date]:
    """Monday to Sunday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]
