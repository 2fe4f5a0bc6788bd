"""Survey campaign definitions, call plans and results (csdesk.domain.survey, survey_plan, survey_results)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from csdesk.domain.errors import ValidationError
from csdesk.domain.survey import CampaignDefinition, check_definition, check_launch, check_score, sample_target
from csdesk.domain.survey_plan import assign_callers, plan_calls
from csdesk.domain.survey_results import Response, TargetMark, csat, csat_by, question_means, target_mark, trend

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 23)


def _definition(**changes: object) -> CampaignDefinition:
    values: dict[str, object] = {"name": "Q4", "start": date(2026, 10, 1), "end": date(2026, 12, 31), "sample_size": 10}
    values.update(changes)
    return CampaignDefinition(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "name"),
        ({"start": date(2026, 11, 1), "end": date(2026, 11, 1)}, "must start before it ends"),
        ({"start": date(2026, 12, 1)}, "after today"),
        ({"questions": ()}, "at least one question"),
        ({"questions": ("Overall?", " ")}, "none of them empty"),
        ({"sample_size": 0}, "at least 1"),
        ({"sample_size": None, "sample_share": 1.5}, "at most 1"),
        ({"sample_size": None, "sample_share": 0.0}, "more than 0"),
        ({"sample_size": 5, "sample_share": 0.5}, "not both"),
        ({"fatigue_days": -1}, "0 to 366"),
        ({"call_days": 0}, "1 to 60"),
    ],
)
def test_definition_rules(changes: dict[str, object], message: str) -> None:
    """A campaign: period start before end and not in the future, questions not empty,
    a sample size > 0 or a share in (0, 1] (one of them), fatigue 0–366 days, calls over 1–60 days."""
    with pytest.raises(ValidationError, match=message):
        check_definition(_definition(**changes), TODAY)


def test_a_period_running_into_the_future_is_allowed() -> None:
    """The current quarter's campaign: customers served so far are the population."""
    assert check_definition(_definition(), TODAY).end == date(2026, 12, 31)


def test_launch_at_most_a_quarter_after_the_period() -> None:
    """A campaign is launched at most 92 days after its period ends (customers recall the service)."""
    q2 = _definition(start=date(2026, 4, 1), end=date(2026, 6, 30))
    check_launch(q2, date(2026, 9, 30))  # day 92
    with pytest.raises(ValidationError, match="ended 2026-06-30, more than 92 days ago"):
        check_launch(q2, date(2026, 10, 1))


def test_sample_target_refuses_empty_population_naming_filters_and_oversize_with_both_numbers() -> None:
    with pytest.raises(ValidationError, match=r"No customer was served .*kinds complaint"):
        sample_target(0, 10, None, "kinds complaint")
    with pytest.raises(ValidationError, match="sample of 30 exceeds the population: only 20"):
        sample_target(20, 30, None)


def test_sample_share_rounds_half_up_and_is_at_least_one() -> None:
    assert sample_target(25, None, 0.1) == 3  # 2.5 → 3
    assert sample_target(3, None, 0.1) == 1  # 0.3 → at least one


def test_scores_are_whole_numbers_from_1_to_5() -> None:
    assert check_score(5) == 5
    for bad in (0, 6, True):
        with pytest.raises(ValidationError, match=r"1 .* to 5"):
            check_score(bad)  # type: ignore[arg-type]


def test_callers_are_balanced_and_never_survey_their_own_customers() -> None:
    """No one grades their own work: a customer is not surveyed by the agent who served them."""
    served_by = ["a", "b", "c", "a", "b", "c"]
    callers = assign_callers(served_by, ["a", "b", "c"])
    assert all(caller != served for caller, served in zip(callers, served_by, strict=True))
    assert sorted(callers.count(c) for c in "abc") == [2, 2, 2]


def test_calls_spread_over_working_days_skipping_weekends_and_holidays() -> None:
    """Launched on Tue 29 Sep 2026: 1–7 Oct is the National Day holiday, Sat 10 Oct a make-up workday."""
    calls = plan_calls(["x"] * 8, ["a", "b"], date(2026, 9, 29), 4)
    days = sorted({c.due.date() for c in calls})
    assert days == [date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
    assert all(c.due.tzinfo == SH and 10 <= c.due.hour < 17 for c in calls)
    assert [c.due for c in calls if c.due.date() == date(2026, 9, 30)] == [
        datetime(2026, 9, 30, 10, 0, tzinfo=SH), datetime(2026, 9, 30, 13, 30, tzinfo=SH),
    ]


def _responses(*scores: int | None, agent: str = "a", team: str = "T1", business: str = "loan") -> list[Response]:
    return [Response(agent, team, business, (s,) if s else ()) for s in scores]


def test_csat_is_the_share_of_4_and_5_on_the_overall_question() -> None:
    """DOMAIN.md KPI CSAT: "mean of 1–5 surveys, shown as % satisfied (4–5)"; unanswered count in
    the response rate only."""
    value = csat("Q4", _responses(5, 4, 3, 2, None))
    assert (value.answered, value.satisfied, value.share, value.mean) == (4, 2, 0.5, 3.5)
    assert value.response_rate == 0.8


def test_target_marks_65_floor_and_75_goal() -> None:
    """DOMAIN.md KPI CSAT target "65 % → 75 %"."""
    assert [target_mark(v) for v in (0.6, 0.65, 0.7, 0.75, None)] == [
        TargetMark.BELOW, TargetMark.FLOOR, TargetMark.FLOOR, TargetMark.GOAL, TargetMark.NONE,
    ]


def test_roll_up_per_agent_team_business_and_question_means() -> None:
    rows = _responses(5, 4, agent="a", team="T1") + _responses(2, agent="b", team="T2", business="deposit")
    assert [(c.key, c.satisfied, c.answered) for c in csat_by(rows, "agent_id")] == [("a", 2, 2), ("b", 0, 1)]
    assert [c.key for c in csat_by(rows, "business")] == ["deposit", "loan"]
    assert question_means([Response("a", "", "", (5, 3)), Response("b", "", "", (4,))], 2) == [4.5, 3.0]


def test_trend_groups_campaigns_by_quarter_with_change_in_points() -> None:
    points = trend([
        (date(2026, 7, 1), _responses(5, 4, 2, 1)),  # 50 %
        (date(2026, 10, 1), _responses(5, 4, 4, 1)),  # 75 %
    ])
    assert [(p.quarter, p.csat.share) for p in points] == [("2026-Q3", 0.5), ("2026-Q4", 0.75)]
    assert points[0].change is None and points[1].change == pytest.approx(25.0)
