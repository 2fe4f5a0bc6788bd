"""KPIs of DOMAIN.md's table, with hand-computed examples (DOMAIN.md, "KPIs")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from csdesk.domain.errors import ValidationError
from csdesk.domain.kpi import (
    Answer,
    BusinessCase,
    Complainant,
    FirstContact,
    Kpi,
    Observation,
    Period,
    Promise,
    Scope,
    Target,
    bucket_of,
    bucket_start,
    business_observations,
    callback_observations,
    churn_observations,
    complaint_on_time_observations,
    consultation_observations,
    csat_mean,
    first_response_observations,
    satisfaction_observations,
    summarise,
)

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # Monday 12:00 in Beijing
S = timedelta(seconds=1)


def test_first_response_counts_phone_and_chat_within_30_seconds() -> None:
    """First response ≤ 30 s: phone/chat only; 30 s exactly is on time; unanswered counts once past 30 s."""
    t = NOW - timedelta(hours=1)
    contacts = [
        FirstContact("phone", t, t + 30 * S),  # on time (boundary)
        FirstContact("chat", t, t + 31 * S),  # late
        FirstContact("email", t, t + 3600 * S),  # not a phone/chat contact
        FirstContact("phone", NOW - 40 * S, None),  # unanswered 40 s: missed
        FirstContact("phone", NOW - 10 * S, None),  # unanswered 10 s: not due yet
    ]
    obs = first_response_observations(contacts, NOW)
    assert [o.ok for o in obs] == [True, False, False]
    [row] = summarise(obs, Period.DAY, Scope.DESK)
    assert (row.met_count, row.due_count) == (1, 3)
    assert row.share == pytest.approx(1 / 3)
    assert row.on_target is False  # target 95 %


def test_consultation_reply_timeliness() -> None:
    """Consultations answered by their promised time / all due: 2 of 3 due -> 66.7 %, below 98 %."""
    promised = NOW - timedelta(hours=2)
    promises = [
        Promise(promised, promised - timedelta(minutes=5)),  # early
        Promise(promised, promised),  # exactly on time
        Promise(promised, None),  # overdue, no reply
        Promise(NOW + timedelta(hours=1), None),  # not yet due
        Promise(NOW + timedelta(hours=1), NOW),  # replied early although not due: counts, on time
    ]
    obs = consultation_observations(promises, NOW)
    assert [o.ok for o in obs] == [True, True, False, True]
    assert all(o.kpi is Kpi.CONSULTATION_TIMELINESS for o in obs)


def test_complaint_on_time_and_callbacks_share_the_promise_rule() -> None:
    """Complaint decided after the regulatory deadline is late; a callback done after its due time is late."""
    deadline = NOW - timedelta(days=1)
    late = complaint_on_time_observations([Promise(deadline, deadline + timedelta(hours=1))], NOW)
    assert [(o.kpi, o.ok) for o in late] == [(Kpi.COMPLAINT_ON_TIME, False)]
    done = callback_observations([Promise(deadline, deadline - timedelta(hours=1))], NOW)
    assert [(o.kpi, o.ok) for o in done] == [(Kpi.CALLBACK_COMPLETION, True)]


def test_csat_is_the_share_of_4_and_5() -> None:
    """CSAT: mean of 1–5 surveys, shown as % satisfied (4–5): scores 5,4,3,2 -> mean 3.5, 50 %."""
    answers = [Answer(NOW, s) for s in (5, 4, 3, 2)]
    obs = satisfaction_observations(Kpi.CSAT, answers)
    [row] = summarise(obs, Period.WEEK, Scope.DESK)
    assert row.share == 0.5 and row.on_target is False  # target 65 %
    assert csat_mean([5, 4, 3, 2]) == 3.5
    assert csat_mean([]) is None
    with pytest.raises(ValidationError):
        csat_mean([6])


def test_complaint_satisfaction_target_75() -> None:
    """Satisfied answers on complaint follow-up / answers: 3 of 4 = 75 % meets the 75 % target."""
    obs = satisfaction_observations(Kpi.COMPLAINT_SATISFACTION, [Answer(NOW, s) for s in (5, 4, 4, 1)])
    [row] = summarise(obs, Period.DAY, Scope.DESK)
    assert row.share == 0.75 and row.on_target is True


def test_business_success_counts_closed_cases_without_rework() -> None:
    """Completed without rework / closed: an open case does not count, a reopened one fails."""
    cases = [BusinessCase(NOW, True, False), BusinessCase(NOW, True, True), BusinessCase(NOW, False, False)]
    obs = business_observations(cases)
    assert [o.ok for o in obs] == [True, False]


def test_churn_within_90_days_lower_is_better() -> None:
    """Customers who closed accounts within 90 days of a complaint; target 15 % is a ceiling."""
    old = NOW - timedelta(days=100)
    recent = NOW - timedelta(days=10)
    people = [
        Complainant(old, old + timedelta(days=30)),  # left within 90 days
        Complainant(old, old + timedelta(days=95)),  # left after the window: stayed for the KPI
        Complainant(old, None),  # stayed
        Complainant(recent, None),  # window still open: not counted yet
        Complainant(recent, recent + timedelta(days=2)),  # already left: counted
    ]
    obs = churn_observations(people, NOW)
    assert [o.ok for o in obs] == [True, False, False, True]
    rows = summarise(obs, Period.QUARTER, Scope.DESK)
    assert {r.bucket: (r.met_count, r.due_count) for r in rows} == {"2026-Q3": (1, 3), "2026-Q4": (1, 1)}
    assert Target(0.15, higher_is_better=False).met(0.10)
    assert not Target(0.15, higher_is_better=False).met(0.2)


def test_buckets_use_desk_time() -> None:
    """Days, ISO weeks and quarters are counted in Beijing time: 23:30 UTC Sunday is Monday there."""
    sunday_night_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert bucket_of(sunday_night_utc, Period.DAY) == "2026-11-23"
    assert bucket_of(sunday_night_utc, Period.WEEK) == "2026-W48"
    assert bucket_of(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), Period.QUARTER) == "2027-Q1"
    assert str(bucket_start("2026-W48")) == "2026-11-23"
    assert str(bucket_start("2026-Q4")) == "2026-10-01"


def test_per_agent_and_team_scopes() -> None:
    """Per agent and per team; cases without an agent count for the desk only."""
    obs = [
        Observation(Kpi.FIRST_RESPONSE, NOW, "li", True, "A"),
        Observation(Kpi.FIRST_RESPONSE, NOW, "li", False, "A"),
        Observation(Kpi.FIRST_RESPONSE, NOW, "wang", True, "B"),
        Observation(Kpi.FIRST_RESPONSE, NOW, None, False, ""),
    ]
    agents = {r.key: (r.met_count, r.due_count) for r in summarise(obs, Period.DAY, Scope.AGENT)}
    assert agents == {"li": (1, 2), "wang": (1, 1)}
    teams = {r.key: (r.met_count, r.due_count) for r in summarise(obs, Period.DAY, Scope.TEAM)}
    assert teams == {"A": (1, 2), "B": (1, 1)}
    [desk] = summarise(obs, Period.DAY, Scope.DESK, desk_id="D01")
    assert (desk.key, desk.met_count, desk.due_count) == ("D01", 2, 4)


def test_targets_a_supervisor_set_replace_the_defaults() -> None:
    """Targets are defaults a supervisor may change: 50 % makes 1 of 2 on target."""
    obs = [Observation(Kpi.CSAT, NOW, "li", True), Observation(Kpi.CSAT, NOW, "li", False)]
    [row] = summarise(obs, Period.DAY, Scope.DESK, {Kpi.CSAT: Target(0.5)})
    assert row.target == 0.5 and row.on_target is True
