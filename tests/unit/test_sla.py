"""Tests of csdesk.domain.sla: working-time arithmetic, SLA states, pauses.

Rules: business hours are 08:30–20:00 Asia/Shanghai on CN working days (make-up
working days 调休 included, public holidays excluded); the clock runs from the start;
time inside waiting states does not count; an open pause freezes the remaining time;
warning at ≤ 20 % left; a done target is met or breached.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.domain.errors import ValidationError
from csdesk.domain.sla import (
    BUSINESS_DAY,
    DEFAULT_HOURS,
    DEFAULT_POLICIES,
    BusinessHours,
    Pause,
    SlaMode,
    SlaPolicy,
    add_working_time,
    default_policy,
    pauses_from_status_history,
    sla_state,
    working_time_between,
)
from csdesk.domain.tickets import Kind, Priority, Status
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

SH = ZoneInfo("Asia/Shanghai")
H = DEFAULT_HOURS
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def at(y: int, mo: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """Desk-local (Asia/Shanghai) time."""
    return datetime(y, mo, d, hh, mm, tzinfo=SH)


def policy(first: timedelta, resolution: timedelta, mode: SlaMode) -> SlaPolicy:
    return SlaPolicy("consultation", "normal", first, resolution, mode)


BIZ = policy(30 * MIN, BUSINESS_DAY, SlaMode.BUSINESS)
CAL = policy(100 * MIN, 15 * timedelta(days=1), SlaMode.CALENDAR)

# 2026-03-10 is a Tuesday, 2026-03-13 a Friday, no holiday nearby.
TUE = (2026, 3, 10)
WED = (2026, 3, 11)


# --- add_working_time / working_time_between: hand-computed -------------------------


def test_friday_evening_plus_one_hour_lands_monday_0900() -> None:
    """Friday 19:30 + 1 working hour = 30 min Friday + 30 min from Monday's 08:30 opening."""
    assert add_working_time(at(2026, 3, 13, 19, 30), HOUR, H) == at(2026, 3, 16, 9, 0)


def test_saturday_start_counts_from_monday_opening() -> None:
    """A start outside hours (ordinary weekend) begins counting at the next opening."""
    assert add_working_time(at(2026, 3, 14, 10, 0), HOUR, H) == at(2026, 3, 16, 9, 30)
    assert working_time_between(at(2026, 3, 13, 20, 0), at(2026, 3, 16, 8, 30), H) == timedelta(0)


def test_national_day_2026_is_skipped() -> None:
    """2026 National Day: Oct 1–7 off; Wed Sep 30 19:30 + 1 h = Thu Oct 8 09:00."""
    assert add_working_time(at(2026, 9, 30, 19, 30), HOUR, H) == at(2026, 10, 8, 9, 0)
    assert working_time_between(at(2026, 9, 30, 20, 0), at(2026, 10, 8, 8, 30), H) == timedelta(0)


def test_makeup_saturday_after_national_day_is_a_workday() -> None:
    """调休: Sat 2026-10-10 is a working day; Fri Oct 9 19:00 + 2 h = Sat Oct 10 09:30."""
    assert add_working_time(at(2026, 10, 9, 19, 0), 2 * HOUR, H) == at(2026, 10, 10, 9, 30)


def test_makeup_saturday_in_may() -> None:
    """调休: Sat 2026-05-09 is a working day; Fri May 8 19:30 + 1 h = Sat May 9 09:00."""
    assert add_working_time(at(2026, 5, 8, 19, 30), HOUR, H) == at(2026, 5, 9, 9, 0)


def test_working_time_across_national_day() -> None:
    """Sep 30 08:30 → Oct 10 20:00 holds four desk days (Sep 30, Oct 8, 9, 10) of 11.5 h."""
    assert working_time_between(at(2026, 9, 30, 8, 30), at(2026, 10, 10, 20, 0), H) == 4 * BUSINESS_DAY


def test_start_exactly_at_closing() -> None:
    """20:00 is outside hours: counting starts at 08:30 the next working day."""
    assert add_working_time(at(*TUE, 20, 0), HOUR, H) == at(*WED, 9, 30)
    assert add_working_time(at(*TUE, 20, 0), timedelta(0), H) == at(*WED, 8, 30)


def test_start_exactly_at_opening() -> None:
    """08:30 is inside hours: 08:30 + 1 h = 09:30 the same day."""
    assert add_working_time(at(*TUE, 8, 30), HOUR, H) == at(*TUE, 9, 30)
    assert add_working_time(at(*TUE, 8, 30), timedelta(0), H) == at(*TUE, 8, 30)


def test_amount_ending_at_closing_gives_closing_time() -> None:
    """The earliest instant the amount has passed: 19:00 + 1 h = 20:00, not next morning."""
    assert add_working_time(at(*TUE, 19, 0), HOUR, H) == at(*TUE, 20, 0)


def test_before_opening_starts_at_opening() -> None:
    """06:00 is before opening: + 30 min = 09:00."""
    assert add_working_time(at(*TUE, 6, 0), 30 * MIN, H) == at(*TUE, 9, 0)


def test_utc_input_gives_utc_output() -> None:
    """The result keeps the start's time zone; desk hours are still Shanghai time."""
    start = datetime(2026, 3, 13, 11, 30, tzinfo=UTC)  # Fri 19:30 Shanghai
    result = add_working_time(start, HOUR, H)
    assert result.tzinfo is UTC
    assert result == at(2026, 3, 16, 9, 0)


class CountingCalendar(HolidayCalendar):
    def __init__(self) -> None:
        super().__init__(holidays=(), makeup_workdays=(), years=())
        self.calls = 0

    def is_workday(self, d: date) -> bool:
        self.calls += 1
        return CN_CALENDAR.is_workday(d)


def test_thirty_working_days_steps_by_days() -> None:
    """Fast: 30 desk days (345 h) from Mon 2026-03-02 end Mon Apr 13 20:00 (Apr 6 Qingming off),
    asking the calendar once per calendar day, not per minute."""
    counting = CountingCalendar()
    hours = BusinessHours(calendar=counting)
    assert add_working_time(at(2026, 3, 2, 8, 30), 30 * BUSINESS_DAY, hours) == at(2026, 4, 13, 20, 0)
    assert counting.calls <= 45
    assert working_time_between(at(2026, 3, 2, 8, 30), at(2026, 4, 13, 20, 0), hours) == 30 * BUSINESS_DAY


def test_naive_datetimes_are_refused() -> None:
    """Aware datetimes only: a naive one raises ValueError."""
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_time(datetime(2026, 3, 10, 9, 0), HOUR, H)
    with pytest.raises(ValueError, match="timezone-aware"):
        working_time_between(at(*TUE), datetime(2026, 3, 11), H)
    with pytest.raises(ValueError, match="timezone-aware"):
        sla_state(policy=BIZ, target="first_response", started=datetime(2026, 3, 10), now=at(*TUE))
    with pytest.raises(ValueError, match="timezone-aware"):
        Pause(datetime(2026, 3, 10), None)


def test_bad_inputs_are_refused() -> None:
    """Negative amounts, inverted pauses, closed-before-open hours and bad targets are errors."""
    with pytest.raises(ValueError, match="negative"):
        add_working_time(at(*TUE, 9), -MIN, H)
    with pytest.raises(ValueError, match="ends before"):
        Pause(at(*TUE, 10), at(*TUE, 9))
    with pytest.raises(ValueError, match="open before"):
        BusinessHours(start=time(20, 0), end=time(8, 30))
    with pytest.raises(ValueError, match="positive"):
        SlaPolicy("consultation", "normal", timedelta(0), HOUR)
    with pytest.raises(ValueError, match="target"):
        sla_state(policy=BIZ, target="closing", started=at(*TUE, 9), now=at(*TUE, 9))  # type: ignore[arg-type]


def test_working_time_between_is_zero_when_reversed() -> None:
    """working_time_between(a, b) is 0 when b <= a."""
    assert working_time_between(at(*WED, 12), at(*TUE, 12), H) == timedelta(0)
    assert working_time_between(at(*TUE, 12), at(*TUE, 12), H) == timedelta(0)


# --- policies --------------------------------------------------------------------------


def test_default_policies_cover_every_kind_and_priority() -> None:
    """DEFAULT_POLICIES has a policy for every Kind × Priority, keyed by plain strings."""
    assert set(DEFAULT_POLICIES) == {(k.value, p.value) for k in Kind for p in Priority}
    for (kind, priority), pol in DEFAULT_POLICIES.items():
        assert (pol.kind, pol.priority) == (kind, priority)


def test_higher_priority_is_never_slower() -> None:
    """Urgent ≤ high ≤ normal for both targets of every kind."""
    for kind in Kind:
        normal, high, urgent = (DEFAULT_POLICIES[(kind, p)] for p in (Priority.NORMAL, Priority.HIGH, Priority.URGENT))
        assert urgent.first_response <= high.first_response <= normal.first_response
        assert urgent.resolution <= high.resolution <= normal.resolution
        assert urgent.first_response < urgent.resolution


def test_default_policy_table_values() -> None:
    """Consultation: 30 min / 1 business day; complaint: 2 h / 15 calendar days; callback: 1 business day."""
    consult = default_policy("consultation", "normal")
    assert (consult.first_response, consult.resolution, consult.mode) == (30 * MIN, 11.5 * HOUR, SlaMode.BUSINESS)
    complaint = default_policy(Kind.COMPLAINT, Priority.NORMAL)
    assert (complaint.first_response, complaint.resolution) == (2 * HOUR, timedelta(days=15))
    assert complaint.mode is SlaMode.CALENDAR
    callback = default_policy("callback", "normal")
    assert (callback.resolution, callback.mode) == (BUSINESS_DAY, SlaMode.BUSINESS)
    assert default_policy("consultation", "urgent").first_response < consult.first_response


def test_default_policy_unknown_names() -> None:
    """Unknown kind or priority raises ValidationError naming the field."""
    with pytest.raises(ValidationError) as kind_error:
        default_policy("gossip", "normal")
    assert kind_error.value.field == "kind"
    with pytest.raises(ValidationError) as priority_error:
        default_policy("complaint", "asap")
    assert priority_error.value.field == "priority"


# --- sla_state -------------------------------------------------------------------------


def test_business_first_response_running() -> None:
    """BUSINESS mode: started Tue 10:00, 30 min target, seen 10:10 → 20 min left, due 10:30, ok."""
    state = sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*TUE, 10, 10))
    assert state.remaining == 20 * MIN
    assert state.due == at(*TUE, 10, 30)
    assert state.status == "ok"
    assert not state.paused
    assert state.fraction_left == pytest.approx(2 / 3)


def test_business_clock_stops_overnight() -> None:
    """BUSINESS mode: a first response due at 20:00+ rolls to the next opening; night time does not count."""
    state = sla_state(policy=BIZ, target="first_response", started=at(*TUE, 19, 50), now=at(*WED, 8, 0))
    assert state.remaining == 20 * MIN
    assert state.due == at(*WED, 8, 50)
    assert state.status == "ok"


def test_pause_inside_business_hours() -> None:
    """Waiting time does not count: Tue 10:00 start, paused 10:10–10:40, seen 10:45 → 15 min used."""
    pauses = [Pause(at(*TUE, 10, 10), at(*TUE, 10, 40))]
    state = sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*TUE, 10, 45), pauses=pauses)
    assert state.remaining == 15 * MIN
    assert state.due == at(*TUE, 11, 0)
    assert state.status == "ok"


def test_pause_spanning_a_night_subtracts_working_time_only() -> None:
    """BUSINESS mode: pause Tue 19:00 → Wed 10:00 removes 1 h + 1.5 h of working time.

    Started Tue 14:00, seen Wed 12:00: 9.5 working hours passed, 2.5 paused → 7 h used,
    4.5 h of the 11.5 h resolution left, due Wed 16:30.
    """
    pauses = [Pause(at(*TUE, 19), at(*WED, 10))]
    kwargs = {"policy": BIZ, "target": "resolution", "started": at(*TUE, 14), "now": at(*WED, 12)}
    unpaused = sla_state(**kwargs)
    assert unpaused.remaining == 2 * HOUR
    state = sla_state(**kwargs, pauses=pauses)
    assert state.remaining == 4.5 * HOUR
    assert state.due == at(*WED, 16, 30)
    assert state.status == "ok"


def test_pause_spanning_a_night_in_calendar_mode() -> None:
    """CALENDAR mode: the same night pause removes its full 15 wall-clock hours."""
    pauses = [Pause(at(*TUE, 19), at(*WED, 10))]
    state = sla_state(policy=CAL, target="resolution", started=at(*TUE, 14), now=at(*WED, 12), pauses=pauses)
    assert state.remaining == timedelta(days=15) - 7 * HOUR
    assert state.due == at(*TUE, 14) + timedelta(days=15) + 15 * HOUR


def test_overlapping_pauses_count_once() -> None:
    """Overlapping or duplicated pauses are merged, never subtracted twice."""
    pauses = [Pause(at(*TUE, 10, 10), at(*TUE, 10, 30)), Pause(at(*TUE, 10, 20), at(*TUE, 10, 40))]
    state = sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*TUE, 10, 45), pauses=pauses)
    assert state.remaining == 15 * MIN


def test_open_pause_freezes_remaining() -> None:
    """A still-open pause → status paused, remaining frozen at the value when it began."""
    pauses = [Pause(at(*TUE, 10, 10), None)]
    early = sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*TUE, 11), pauses=pauses)
    later = sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(2026, 3, 20, 15), pauses=pauses)
    for state in (early, later):
        assert state.status == "paused"
        assert state.paused
        assert state.remaining == 20 * MIN
    assert early.due == at(*TUE, 11, 20)  # the deadline if the clock resumed now
    assert later.due == at(2026, 3, 20, 15, 20)


def test_breach_is_not_hidden_by_a_later_pause() -> None:
    """A target already overdue when paused stays breached (paused flag still set)."""
    pauses = [Pause(at(*TUE, 11), None)]
    state = sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*TUE, 12), pauses=pauses)
    assert state.status == "breached"
    assert state.paused
    assert state.remaining == -30 * MIN
    assert state.due == at(*TUE, 10, 30)


@pytest.mark.parametrize(
    ("minutes_used", "status"),
    [(0, "ok"), (79, "ok"), (80, "warning"), (99, "warning"), (100, "warning"), (101, "breached")],
)
def test_status_thresholds(minutes_used: int, status: str) -> None:
    """Warning when ≤ 20 % of the target is left (exactly 20 % is warning); breached below zero."""
    start = at(*TUE, 10)
    state = sla_state(policy=CAL, target="first_response", started=start, now=start + minutes_used * MIN)
    assert state.status == status
    assert state.remaining == (100 - minutes_used) * MIN
    assert state.due == start + 100 * MIN
    assert state.fraction_left == pytest.approx((100 - minutes_used) / 100)


def test_threshold_exactly_twenty_percent_in_business_mode() -> None:
    """BUSINESS mode: 6 of 30 working minutes left (exactly 20 %) is warning; 7 left is ok."""
    assert sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*TUE, 10, 24)).status == (
        "warning"
    )
    assert sla_state(policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*TUE, 10, 23)).status == "ok"


def test_done_in_time_is_met() -> None:
    """done_at within the target → met, due None, remaining = time to spare."""
    state = sla_state(
        policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*WED, 10), done_at=at(*TUE, 10, 25)
    )
    assert (state.status, state.due, state.remaining, state.paused) == ("met", None, 5 * MIN, False)


def test_done_exactly_at_due_is_met() -> None:
    """done_at at the due instant (nothing left) is still met."""
    state = sla_state(
        policy=BIZ, target="first_response", started=at(*TUE, 10), now=at(*WED, 10), done_at=at(*TUE, 10, 30)
    )
    assert state.status == "met"
    assert state.remaining == timedelta(0)


def test_done_late_is_breached_by_working_time() -> None:
    """done_at after the target → breached; remaining negative = how late in working time.

    Started Tue 19:50 (BUSINESS, 30 min): due Wed 08:50; answered Wed 09:10 → 20 min late.
    """
    state = sla_state(
        policy=BIZ, target="first_response", started=at(*TUE, 19, 50), now=at(*WED, 12), done_at=at(*WED, 9, 10)
    )
    assert state.status == "breached"
    assert state.remaining == -20 * MIN
    assert state.due == at(*WED, 8, 50)
    assert state.fraction_left == pytest.approx(-20 / 30)


def test_done_clips_pauses_and_ignores_open_pause() -> None:
    """Once done the clock stops: a pause opened after done_at changes nothing, status is final."""
    pauses = [Pause(at(*TUE, 10, 10), at(*TUE, 10, 20)), Pause(at(*TUE, 11), None)]
    state = sla_state(
        policy=BIZ,
        target="first_response",
        started=at(*TUE, 10),
        now=at(*TUE, 12),
        pauses=pauses,
        done_at=at(*TUE, 10, 35),
    )
    assert (state.status, state.remaining, state.paused) == ("met", 5 * MIN, False)


def test_now_before_start() -> None:
    """Before the clock starts nothing is used: full target left, due = start + target."""
    state = sla_state(policy=CAL, target="first_response", started=at(*TUE, 10), now=at(*TUE, 9))
    assert (state.status, state.remaining, state.fraction_left) == ("ok", 100 * MIN, 1.0)
    assert state.due == at(*TUE, 11, 40)


# --- pauses_from_status_history --------------------------------------------------------


def test_history_to_pauses() -> None:
    """Each stretch in waiting_customer / waiting_department becomes one pause."""
    history = [
        (at(*TUE, 9), Status.NEW),
        (at(*TUE, 9, 5), Status.OPEN),
        (at(*TUE, 10), Status.WAITING_CUSTOMER),
        (at(*TUE, 11), Status.OPEN),
        (at(*TUE, 14), "waiting_department"),
        (at(*WED, 9), "resolved"),
    ]
    assert pauses_from_status_history(history) == [
        Pause(at(*TUE, 10), at(*TUE, 11)),
        Pause(at(*TUE, 14), at(*WED, 9)),
    ]


def test_history_consecutive_waiting_states_and_duplicates_are_one_pause() -> None:
    """waiting_customer → waiting_department → waiting_department (duplicate) → open is one pause."""
    history = [
        (at(*TUE, 10), Status.WAITING_CUSTOMER),
        (at(*TUE, 11), Status.WAITING_DEPARTMENT),
        (at(*TUE, 12), Status.WAITING_DEPARTMENT),
        (at(*TUE, 13), Status.OPEN),
        (at(*TUE, 13, 30), Status.OPEN),
    ]
    assert pauses_from_status_history(history) == [Pause(at(*TUE, 10), at(*TUE, 13))]


def test_history_open_pause_and_unsorted_input() -> None:
    """Changes are taken in time order; a waiting state at the end leaves the pause open."""
    history = [(at(*TUE, 15), "waiting_customer"), (at(*TUE, 9), "open")]
    assert pauses_from_status_history(history) == [Pause(at(*TUE, 15), None)]
    assert pauses_from_status_history([]) == []


def test_history_zero_length_pause_is_dropped() -> None:
    """A waiting state left at the same instant makes no pause."""
    history = [(at(*TUE, 10), "waiting_customer"), (at(*TUE, 10), "open")]
    assert pauses_from_status_history(history) == []


def test_history_pauses_feed_sla_state() -> None:
    """Pauses from the history stop the clock: 10:00 start, waiting 10:10–10:40, seen 10:45."""
    history = [(at(*TUE, 10), "open"), (at(*TUE, 10, 10), "waiting_customer"), (at(*TUE, 10, 40), "open")]
    state = sla_state(
        policy=BIZ,
        target="first_response",
        started=at(*TUE, 10),
        now=at(*TUE, 10, 45),
        pauses=pauses_from_status_history(history),
    )
    assert state.remaining == 15 * MIN


# --- properties ------------------------------------------------------------------------

_FIRST = datetime(2024, 1, 1, tzinfo=SH)
_SPAN_S = int((datetime(2026, 11, 30, tzinfo=SH) - _FIRST).total_seconds())
_OPEN_S = int(BUSINESS_DAY.total_seconds())

instants = st.integers(0, _SPAN_S).map(lambda s: _FIRST + timedelta(seconds=s))
amounts = st.integers(0, 40 * _OPEN_S).map(lambda s: timedelta(seconds=s))


@st.composite
def inside_hours(draw: st.DrawFn) -> datetime:
    """An instant strictly after opening and strictly before closing on a working day."""
    day = CN_CALENDAR.next_workday(_FIRST.date() + timedelta(days=draw(st.integers(0, 1000))))
    opening = datetime.combine(day, time(8, 30), tzinfo=SH)
    return opening + timedelta(seconds=draw(st.integers(1, _OPEN_S - 1)))


@given(x=inside_hours(), back=st.integers(0, 60 * 86400))
def test_add_inverts_between_inside_hours(x: datetime, back: int) -> None:
    """add_working_time(start, working_time_between(start, x)) == x when x is inside business hours."""
    start = x - timedelta(seconds=back)
    assert add_working_time(start, working_time_between(start, x, H), H) == x


@given(start=instants, amount=amounts)
def test_between_inverts_add(start: datetime, amount: timedelta) -> None:
    """The working time from start to add_working_time(start, amount) is exactly amount."""
    assert working_time_between(start, add_working_time(start, amount, H), H) == amount


@given(start=instants, a=amounts, b=amounts)
def test_add_is_monotonic_in_amount(start: datetime, a: timedelta, b: timedelta) -> None:
    """More working time never lands earlier."""
    low, high = sorted((a, b))
    assert add_working_time(start, low, H) <= add_working_time(start, high, H)


@given(a=instants, gap1=st.integers(0, 30 * 86400), gap2=st.integers(0, 30 * 86400))
def test_between_is_additive(a: datetime, gap1: int, gap2: int) -> None:
    """working_time_between(a, c) == working_time_between(a, m) + working_time_between(m, c) for a ≤ m ≤ c."""
    m = a + timedelta(seconds=gap1)
    c = m + timedelta(seconds=gap2)
    assert working_time_between(a, c, H) == working_time_between(a, m, H) + working_time_between(m, c, H)


@given(a=instants, b=instants)
def test_between_never_exceeds_wall_clock(a: datetime, b: datetime) -> None:
    """Working time is never negative and never more than the wall-clock time."""
    assert timedelta(0) <= working_time_between(a, b, H) <= max(b - a, timedelta(0))


@given(
    started=instants,
    elapsed=st.integers(-86400, 40 * 86400),
    first=st.integers(1, 20 * 86400),
    target=st.sampled_from(["first_response", "resolution"]),
)
def test_calendar_mode_is_plain_arithmetic(started: datetime, elapsed: int, first: int, target: str) -> None:
    """CALENDAR mode without pauses: due = started + target, remaining = target − (now − started)."""
    total = timedelta(seconds=first)
    pol = policy(total, total, SlaMode.CALENDAR)
    now = started + timedelta(seconds=elapsed)
    state = sla_state(policy=pol, target=target, started=started, now=now)  # type: ignore[arg-type]
    assert state.due == started + total
    assert state.remaining == total - max(now - started, timedelta(0))
    assert (state.status == "breached") == (state.remaining < timedelta(0))


@given(started=instants, elapsed=st.integers(0, 20 * 86400))
def test_business_mode_without_pauses_matches_working_time(started: datetime, elapsed: int) -> None:
    """BUSINESS mode: remaining = target − working time since start; the due instant uses it all."""
    now = started + timedelta(seconds=elapsed)
    state = sla_state(policy=BIZ, target="resolution", started=started, now=now)
    assert state.remaining == BUSINESS_DAY - working_time_between(started, now, H)
    assert state.due is not None
    assert working_time_between(started, state.due, H) == BUSINESS_DAY


@given(
    started=instants,
    elapsed=st.integers(0, 10 * 86400),
    pause_at=st.integers(0, 10 * 86400),
    pause_len=st.integers(0, 5 * 86400),
)
def test_pauses_never_use_up_time(started: datetime, elapsed: int, pause_at: int, pause_len: int) -> None:
    """A pause only ever gives time back, and never more than its own working time."""
    now = started + timedelta(seconds=elapsed)
    p_start = started + timedelta(seconds=pause_at)
    pause = Pause(p_start, p_start + timedelta(seconds=pause_len))
    plain = sla_state(policy=BIZ, target="resolution", started=started, now=now)
    paused = sla_state(policy=BIZ, target="resolution", started=started, now=now, pauses=[pause])
    assert plain.remaining <= paused.remaining
    assert paused.remaining - plain.remaining <= working_time_between(pause.start, pause.end, H)  # type: ignore[arg-type]
    assert paused.due is not None and plain.due is not None
    assert plain.due <= paused.due


statuses = st.sampled_from([s.value for s in Status])


@given(changes=st.lists(st.tuples(st.integers(0, 10_000), statuses), max_size=30))
def test_history_pauses_are_sorted_and_disjoint(changes: list[tuple[int, str]]) -> None:
    """Pauses from any history are ordered, non-overlapping, non-empty, and only the last may be open."""
    history = [(_FIRST + timedelta(minutes=t), s) for t, s in changes]
    pauses = pauses_from_status_history(history)
    for earlier, later in pairwise(pauses):
        assert earlier.end is not None
        assert earlier.end <= later.start
    for pause in pauses[:-1]:
        assert pause.end is not None and pause.start < pause.end
