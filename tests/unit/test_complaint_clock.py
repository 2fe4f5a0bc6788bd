"""Tests of the complaint clock (csdesk.domain.complaint_clock), each citing the rule it checks.

CBIRC Order 2020 No. 3 (银行保险机构消费投诉处理管理办法) and Civil Code Art. 201/203.
"""

from __future__ import annotations

from datetime import date

import pytest

from csdesk.domain import complaint_clock as cc
from csdesk.domain.complaint_notice import NoticeFacts, render_notice
from csdesk.domain.errors import ValidationError


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("accepted", "days", "due"),
    [
        ("2026-11-23", 15, "2026-12-08"),  # plain working day
        ("2026-11-13", 15, "2026-11-30"),  # Saturday 11-28 -> Monday
        ("2026-01-31", 15, "2026-02-24"),  # month end into the Spring Festival (02-15..02-23)
        ("2026-09-16", 15, "2026-10-08"),  # National Day 2026 (10-01..10-07) -> first working day
        ("2026-09-25", 15, "2026-10-10"),  # Saturday 10-10 is a make-up working day: stays
        ("2028-02-14", 15, "2028-02-29"),  # leap day is an ordinary Tuesday
        ("2027-12-31", 60, "2028-02-29"),  # 60 days across a year end onto the leap day
        ("2026-03-31", 30, "2026-04-30"),  # 31st + 30 days
    ],
)
def test_deadline_counts_from_the_day_after_acceptance_and_rolls_off_rest_days(
    accepted: str, days: int, due: str
) -> None:
    """Art. 16 (15/30/60 days); Civil Code Art. 201 (from the next day) and Art. 203 (rest-day end)."""
    assert cc.decision_deadline(d(accepted), days) == d(due)


def test_roll_forward_can_be_switched_off() -> None:
    """Civil Code Art. 203 roll-forward is a default a stricter firm may switch off (DOMAIN.md)."""
    assert cc.decision_deadline(d("2026-09-16"), 15, roll_forward=False) == d("2026-10-01")
    assert cc.decision_deadline(d("2026-01-31"), 15, roll_forward=False) == d("2026-02-15")


def test_acceptance_day_itself_is_not_counted() -> None:
    """Civil Code Art. 201: a period in days starts on the day after the event."""
    assert cc.period_end(d("2026-11-23"), 1, roll_forward=False) == d("2026-11-24")


def test_paused_days_are_not_counted() -> None:
    """Art. 16: appraisal/inspection/expert assessment/mediation periods do not count."""
    pauses = [(d("2026-11-25"), d("2026-11-30"))]
    assert cc.paused_days(pauses, d("2026-12-01")) == 5
    state = cc.clock_state(d("2026-11-23"), 15, pauses, d("2026-12-01"))
    assert state.deadline == d("2026-12-14")  # 12-08 + 5 paused days = 12-13 (Sunday) -> Monday
    assert not state.paused


def test_a_running_pause_moves_the_deadline_out_day_for_day() -> None:
    """Art. 16: while the clock stands, days remaining stay the same."""
    pauses = [(d("2026-11-25"), None)]
    first = cc.clock_state(d("2026-11-23"), 15, pauses, d("2026-11-26"), roll_forward=False)
    later = cc.clock_state(d("2026-11-23"), 15, pauses, d("2026-11-29"), roll_forward=False)
    assert first.paused and later.paused
    assert first.days_remaining == later.days_remaining == 13
    assert later.deadline == d("2026-12-12")


def test_pause_across_an_extension_adds_to_the_extended_period() -> None:
    """Art. 16: a pause before an extension to 30 days still does not count after it."""
    pauses = [(d("2026-11-05"), d("2026-11-10"))]
    before = cc.clock_state(d("2026-11-02"), 15, pauses, d("2026-11-12"))
    after = cc.clock_state(d("2026-11-02"), 30, pauses, d("2026-11-12"))
    assert before.deadline == d("2026-11-23")  # 11-17 + 5 = 11-22 (Sunday) -> Monday
    assert after.deadline == d("2026-12-07")  # 11-02 + 30 + 5
    assert after.days_remaining == 25


def test_same_day_pause_and_resume_costs_nothing() -> None:
    """Art. 16: only days the clock stood still are excluded."""
    assert cc.paused_days([(d("2026-11-25"), d("2026-11-25"))], d("2026-12-01")) == 0


def test_days_remaining_and_due_soon() -> None:
    """DOMAIN.md: the supervisor sees complaints due in ≤ 3 days first."""
    assert cc.days_remaining(d("2026-12-08"), d("2026-12-05")) == 3
    assert cc.due_soon(3) and cc.due_soon(0) and cc.due_soon(-2)
    assert not cc.due_soon(4)


def test_extension_to_30_by_team_lead_or_supervisor() -> None:
    """Art. 16: a complex case may be extended to 30 days with approval (team lead and up)."""
    cc.check_extension(15, 30, "team_lead")
    cc.check_extension(15, 25, "supervisor")
    with pytest.raises(ValidationError, match="team lead or supervisor"):
        cc.check_extension(15, 30, "agent")


def test_further_extension_needs_a_supervisor_and_never_exceeds_60() -> None:
    """Art. 16: a further extension, 60 days in total at most, approved one level higher."""
    cc.check_extension(30, 60, "supervisor")
    with pytest.raises(ValidationError, match="by a supervisor"):
        cc.check_extension(30, 45, "team_lead")
    with pytest.raises(ValidationError, match="never beyond"):
        cc.check_extension(30, 61, "supervisor")
    with pytest.raises(ValidationError, match="first"):
        cc.check_extension(15, 60, "supervisor")
    with pytest.raises(ValidationError, match="beyond the current"):
        cc.check_extension(30, 30, "supervisor")


def test_acceptance_cannot_be_in_the_future() -> None:
    """Art. 16: the clock starts at acceptance; a future acceptance date is refused."""
    cc.check_acceptance(d("2026-11-23"), d("2026-11-23"))
    with pytest.raises(ValidationError, match="after today"):
        cc.check_acceptance(d("2026-11-24"), d("2026-11-23"))


def test_promise_never_after_the_legal_deadline() -> None:
    """Art. 16 and seed 002: the reply promised to the customer is within the legal period."""
    deadline = cc.decision_deadline(d("2026-11-23"))
    cc.check_promise(deadline, deadline, d("2026-11-23"))
    with pytest.raises(ValidationError, match="after the legal deadline"):
        cc.check_promise(d("2026-12-09"), deadline, d("2026-11-23"))
    assert cc.propose_promise(deadline, d("2026-11-23")) == deadline


def test_review_window_and_review_due() -> None:
    """Art. 20: review requested within 30 days of the notice; decided within 30 days of the request."""
    assert cc.check_review_request(d("2026-09-01"), d("2026-10-08")) == d("2026-11-09")  # 11-07 Sat -> Mon
    with pytest.raises(ValidationError, match="within 30 days"):
        cc.check_review_request(d("2026-09-01"), d("2026-10-09"))  # 10-01 rolled to 10-08, then late
    with pytest.raises(ValidationError, match="after the decision notice"):
        cc.check_review_request(None, d("2026-10-01"))


@pytest.mark.parametrize(
    ("complainants", "grounds", "expected"),
    [
        (1, [], ()),
        (19, [], ()),
        (20, [], ("group",)),
        (1, ["regulator"], ("regulator",)),
        (1, ["disaster", "public_health"], ("disaster", "public_health")),
        (3, ["group"], ()),  # "group" is a count, not a claim
        (25, ["accident"], ("accident", "group")),
    ],
)
def test_major_complaint_grounds(complainants: int, grounds: list[str], expected: tuple[str, ...]) -> None:
    """Art. 29: disaster or accident, public-health event, ≥ 20 complainants, regulator designated."""
    assert cc.major_grounds(complainants, grounds) == expected


def test_repeat_merges_while_open_new_facts_make_a_new_linked_one() -> None:
    """Art. 14: same customer, same matter, one open -> merged; new facts/reasons -> new complaint."""
    assert cc.repeat_outcome(False, False) is cc.RepeatOutcome.NEW
    assert cc.repeat_outcome(True, False) is cc.RepeatOutcome.MERGED
    assert cc.repeat_outcome(True, True) is cc.RepeatOutcome.NEW_LINKED


def test_conflicted_handler_is_refused() -> None:
    """Art. 17 (recusal): a handler marked as conflicted may never handle the complaint."""
    cc.check_not_conflicted("li", ["wang"])
    with pytest.raises(ValidationError, match="conflict of interest"):
        cc.check_not_conflicted("wang", ["wang"])


@pytest.mark.parametrize(("language", "words"), [("zh-CN", ["处理意见", "核查", "调解", "仲裁", "诉讼"]),
                                                 ("en", ["Findings", "review", "mediation", "arbitration",
                                                         "litigation"])])
def test_notice_states_findings_decision_basis_and_remedies(language: str, words: list[str]) -> None:
    """Art. 19: findings, decision and basis, remedies incl. review, mediation, arbitration, litigation, 12378."""
    facts = NoticeFacts("D01-000001", "张伟", d("2026-11-23"), d("2026-12-01"), "F-text", "D-text", "B-text",
                        d("2026-12-31"))
    text = render_notice(facts, language)
    for word in [*words, "12378", "F-text", "D-text", "B-text", "2026-12-31", "D01-000001"]:
        assert word in text
    with pytest.raises(ValueError):
        render_notice(facts, "fr")
