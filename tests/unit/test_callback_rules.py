"""Contact windows, do-not-contact, CN holidays, retries, outcomes and the completion KPI."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from csdesk.domain.callback_rules import (
    CallbackStatus,
    Completion,
    CompletionRecord,
    ContactPrefs,
    ContactRefused,
    ContactWindow,
    Outcome,
    RetryPolicy,
    bucket,
    check_contact_time,
    check_score,
    completion_rate,
    is_unsatisfied,
    make_window,
    nearest_allowed,
    next_retry,
    parse_due,
    status_after,
)
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import ValidationError

SH = ZoneInfo("Asia/Shanghai")
CLOCK = FrozenClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Monday 10:00 in Beijing
NOW = CLOCK.now()
WEEKDAYS_9_TO_18 = ContactPrefs(window=ContactWindow(time(9), time(18), frozenset(range(5))))


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


def refusal(due: datetime, prefs: ContactPrefs = WEEKDAYS_9_TO_18, **kwargs: str) -> ContactRefused:
    with pytest.raises(ContactRefused) as info:
        check_contact_time(due, prefs, NOW, **kwargs)
    return info.value


def test_inside_the_window_is_accepted() -> None:
    """Window rule: a weekday at 14:00 inside 09:00–18:00 Mon–Fri is allowed."""
    check_contact_time(sh(2026, 11, 24, 14, 0), WEEKDAYS_9_TO_18, NOW)


def test_after_hours_proposes_next_morning() -> None:
    """Window rule: 19:30 is refused; the nearest allowed time is 09:00 the next allowed day."""
    error = refusal(sh(2026, 11, 24, 19, 30))
    assert "outside the customer's contact window" in error.message
    assert error.proposal == sh(2026, 11, 25, 9, 0)


def test_end_of_window_is_outside() -> None:
    """Window rule: the window is [start, end); 18:00 itself is outside."""
    assert refusal(sh(2026, 11, 24, 18, 0)).proposal == sh(2026, 11, 25, 9, 0)


def test_saturday_proposes_monday() -> None:
    """Window rule: a day not allowed moves to the next allowed weekday."""
    assert refusal(sh(2026, 11, 28, 10, 0)).proposal == sh(2026, 11, 30, 9, 0)


def test_window_is_read_in_the_customers_zone() -> None:
    """Window rule: hours are the customer's; 10:00 in Beijing is 03:00 in London (outside)."""
    london = ContactPrefs(window=ContactWindow(time(9), time(18), frozenset(range(7)), "Europe/London"))
    error = refusal(sh(2026, 11, 24, 10, 0), london)
    assert "Europe/London" in error.message
    assert error.proposal is not None
    assert error.proposal.astimezone(ZoneInfo("Europe/London")) == datetime(
        2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/London")
    )


def test_do_not_contact_is_refused_without_proposal() -> None:
    """Do-not-contact rule: never scheduled, so nothing is proposed."""
    error = refusal(sh(2026, 11, 24, 10, 0), ContactPrefs(do_not_contact=True))
    assert "asked not to be contacted" in error.message
    assert error.proposal is None


def test_past_time_proposes_a_time_after_now() -> None:
    """A due time in the past is refused; the proposal is the nearest allowed time after now."""
    error = refusal(sh(2026, 11, 23, 9, 0))
    assert "in the past" in error.message
    assert error.proposal is not None and error.proposal > NOW


def test_national_day_is_refused_unless_forced() -> None:
    """Holiday rule: 2026-10-02 (国庆节) is refused, proposing the first day after the holiday."""
    clock = FrozenClock(datetime(2026, 9, 28, 2, 0, tzinfo=UTC))
    everyday = ContactPrefs()
    with pytest.raises(ContactRefused) as info:
        check_contact_time(sh(2026, 10, 2, 10, 0), everyday, clock.now())
    assert "public holiday" in info.value.message
    assert info.value.proposal == sh(2026, 10, 8, 9, 0)
    check_contact_time(sh(2026, 10, 2, 10, 0), everyday, clock.now(), force_reason="customer asked for this day")


def test_blank_force_reason_does_not_force() -> None:
    """Holiday rule: forcing needs a reason; blank text is no reason."""
    clock = FrozenClock(datetime(2026, 9, 28, 2, 0, tzinfo=UTC))
    with pytest.raises(ContactRefused):
        check_contact_time(sh(2026, 10, 2, 10, 0), ContactPrefs(), clock.now(), force_reason="  ")


def test_makeup_workday_is_not_a_holiday() -> None:
    """Holiday rule: a make-up working day (调休, Sunday 2026-09-20) is allowed."""
    assert nearest_allowed(sh(2026, 9, 20, 10, 0), ContactWindow()) == sh(2026, 9, 20, 10, 0)


def test_forced_search_allows_holidays() -> None:
    """Holiday rule: without the calendar (forced) a holiday Thursday is allowed; with it, the next Thursday."""
    thursdays = ContactWindow(weekdays=frozenset({3}))
    assert nearest_allowed(sh(2026, 10, 1, 0, 0), thursdays, holidays=None) == sh(2026, 10, 1, 9, 0)
    assert nearest_allowed(sh(2026, 10, 1, 0, 0), thursdays) == sh(2026, 10, 8, 9, 0)


def test_retry_after_no_answer_until_max_attempts() -> None:
    """Retry rule: next attempt after the interval, moved into the window; none after the maximum."""
    policy = RetryPolicy(max_attempts=3, interval=timedelta(hours=2))
    late = sh(2026, 11, 24, 17, 0)
    assert next_retry(late, 1, policy, WEEKDAYS_9_TO_18.window) == sh(2026, 11, 25, 9, 0)
    assert next_retry(sh(2026, 11, 24, 10, 0), 2, policy, WEEKDAYS_9_TO_18.window) == sh(2026, 11, 24, 12, 0)
    assert next_retry(late, 3, policy, WEEKDAYS_9_TO_18.window) is None


@pytest.mark.parametrize(
    ("outcome", "attempts", "status"),
    [
        (Outcome.REACHED, 1, CallbackStatus.DONE),
        (Outcome.REFUSED, 1, CallbackStatus.DONE),
        (Outcome.WRONG_NUMBER, 1, CallbackStatus.FAILED),
        (Outcome.NO_ANSWER, 1, CallbackStatus.SCHEDULED),
        (Outcome.NO_ANSWER, 3, CallbackStatus.FAILED),
        (Outcome.RESCHEDULED, 2, CallbackStatus.SCHEDULED),
    ],
)
def test_status_after_an_attempt(outcome: Outcome, attempts: int, status: CallbackStatus) -> None:
    """Outcome rule: reached/refused end it, wrong number fails it, no answer retries up to the maximum."""
    assert status_after(outcome, attempts, RetryPolicy(max_attempts=3)) is status


def test_unsatisfied_follow_up() -> None:
    """Complaint follow-up rule: score ≤ 2 or an explicit "unsatisfied" reopens; surveys never do."""
    assert is_unsatisfied("complaint_follow_up", 2, False)
    assert is_unsatisfied("complaint_follow_up", None, True)
    assert not is_unsatisfied("complaint_follow_up", 3, False)
    assert not is_unsatisfied("satisfaction_survey", 1, True)


def test_scores_are_one_to_five_for_surveys_only() -> None:
    """Score rule: 1–5, and only for surveys and complaint follow-ups."""
    assert check_score(5, "satisfaction_survey") == 5
    with pytest.raises(ValidationError, match="1 \\(very unsatisfied\\) to 5"):
        check_score(6, "satisfaction_survey")
    with pytest.raises(ValidationError, match="Only surveys"):
        check_score(4, "key_customer_care")


def test_buckets_around_now() -> None:
    """Today's list: overdue beyond 15 minutes late, due now within 15 minutes, upcoming later."""
    assert bucket(NOW - timedelta(minutes=16), NOW) == "overdue"
    assert bucket(NOW - timedelta(minutes=10), NOW) == "due_now"
    assert bucket(NOW + timedelta(minutes=15), NOW) == "due_now"
    assert bucket(NOW + timedelta(minutes=16), NOW) == "upcoming"


def test_completion_rate_counts_due_callbacks_done_in_time() -> None:
    """KPI "callback completion": done by due time (30 min grace) / due; cancelled and future ones do not count."""
    due = NOW - timedelta(hours=3)
    records = [
        CompletionRecord(due, due + timedelta(minutes=10)),  # on time
        CompletionRecord(due, due + timedelta(minutes=45)),  # late
        CompletionRecord(due, None),  # not attempted
        CompletionRecord(due, None, cancelled=True),
        CompletionRecord(NOW + timedelta(hours=1), None),  # not yet due
    ]
    result = completion_rate(records, NOW)
    assert result == Completion(due=3, on_time=1)
    assert result.rate == pytest.approx(1 / 3)
    assert completion_rate([], NOW).rate is None


def test_window_from_typed_values() -> None:
    """Window input: HH:MM start before end, weekdays 0–6, a real time zone name."""
    window = make_window("08:30", "19:00", [0, 1, 2], "Asia/Hong_Kong")
    assert window.start == time(8, 30) and window.weekdays == frozenset({0, 1, 2})
    for args, words in [
        (("20:00", "09:00", [0], "Asia/Shanghai"), "start before it ends"),
        (("9am", "18:00", [0], "Asia/Shanghai"), "HH:MM"),
        (("09:00", "18:00", [], "Asia/Shanghai"), "at least one weekday"),
        (("09:00", "18:00", [0], "Mars/Olympus"), "not a time zone"),
    ]:
        with pytest.raises(ValidationError, match=words):
            make_window(*args)  # type: ignore[arg-type]


def test_impossible_date_is_named() -> None:
    """Due input: 30 February does not exist, and the sentence says how many days the month has."""
    with pytest.raises(ValidationError, match="There is no 30 February 2027; February 2027 has 28 days"):
        parse_due("2027-02-30 10:00", NOW)
    with pytest.raises(ValidationError, match="no month 13"):
        parse_due("2027-13-01 10:00", NOW)
    assert parse_due("2027-02-28 10:00", NOW) == sh(2027, 2, 28, 10, 0)
