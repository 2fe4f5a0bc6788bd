"""Recurrence of callbacks (csdesk.domain.recurrence): rrule dates, refusals, words."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from csdesk.domain.errors import ValidationError
from csdesk.domain.recurrence import (
    Frequency,
    RecurrenceRule,
    check_rule,
    describe,
    next_occurrence,
    occurrences,
)

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=SH)  # a Monday


def first(rule: RecurrenceRule, n: int, start: datetime = MONDAY) -> list[datetime]:
    out = []
    for moment in occurrences(rule, start):
        out.append(moment)
        if len(out) == n:
            break
    return out


def test_once_gives_the_first_time_only() -> None:
    """Rule "once": exactly one occurrence, the due time itself."""
    assert list(occurrences(RecurrenceRule(), MONDAY)) == [MONDAY]
    assert next_occurrence(RecurrenceRule(), MONDAY, MONDAY) is None


def test_every_three_days_keeps_the_hour_and_zone() -> None:
    """Rule "every N days": N days apart at the same local hour, in the first one's zone."""
    rule = RecurrenceRule(Frequency.DAILY, interval=3, count=3)
    assert first(rule, 5) == [
        MONDAY,
        datetime(2026, 11, 26, 10, 0, tzinfo=SH),
        datetime(2026, 11, 29, 10, 0, tzinfo=SH),
    ]


def test_weekly_on_given_weekdays_until_a_date_inclusive() -> None:
    """Rule "weekly on weekdays until D": every listed weekday up to and including D."""
    rule = RecurrenceRule(Frequency.WEEKLY, weekdays=(0, 3), until=date(2026, 12, 3))
    assert [d.date() for d in occurrences(rule, MONDAY)] == [
        date(2026, 11, 23),
        date(2026, 11, 26),
        date(2026, 11, 30),
        date(2026, 12, 3),
    ]


def test_monthly_on_the_31st_skips_short_months() -> None:
    """Rule "monthly on day 31" (RFC 5545): months without a 31st are skipped, not moved."""
    start = datetime(2027, 1, 31, 9, 0, tzinfo=SH)
    rule = RecurrenceRule(Frequency.MONTHLY, count=3)
    assert [d.date() for d in occurrences(rule, start)] == [date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31)]


def test_next_occurrence_is_strictly_after() -> None:
    """The next occurrence after an occurrence is the following one; after the end there is none."""
    rule = RecurrenceRule(Frequency.WEEKLY, count=2)
    assert next_occurrence(rule, MONDAY, MONDAY) == datetime(2026, 11, 30, 10, 0, tzinfo=SH)
    assert next_occurrence(rule, MONDAY, datetime(2026, 11, 30, 10, 0, tzinfo=SH)) is None


@pytest.mark.parametrize(
    ("rule", "field", "words"),
    [
        (RecurrenceRule(Frequency.DAILY, interval=0), "interval", "0 never repeats"),
        (RecurrenceRule(Frequency.WEEKLY, until=date(2026, 11, 1)), "until", "before the first callback"),
        (RecurrenceRule(Frequency.MONTHLY, month_day=32), "month_day", "no day 32"),
        (RecurrenceRule(Frequency.DAILY, until=date(2026, 12, 1), count=3), "rule", "not both"),
        (RecurrenceRule(Frequency.DAILY, weekdays=(1,)), "weekdays", "weekly rule only"),
        (RecurrenceRule(Frequency.MONTHLY, month_day=30, until=date(2027, 2, 28)), "rule", "no date at all"),
        (RecurrenceRule(until=date(2026, 12, 1)), "rule", "made once"),
    ],
)
def test_impossible_rules_are_refused_with_a_sentence(rule: RecurrenceRule, field: str, words: str) -> None:
    """Impossible rules (zero interval, end before start, day 32, Feb 30 only, both ends) are refused."""
    start = datetime(2027, 2, 1, 10, 0, tzinfo=SH) if rule.month_day == 30 else MONDAY
    with pytest.raises(ValidationError) as info:
        check_rule(rule, start)
    assert info.value.field == field
    assert words in info.value.message


def test_possible_rules_pass() -> None:
    """A plain weekly rule with an end date is accepted."""
    check_rule(RecurrenceRule(Frequency.WEEKLY, until=date(2026, 12, 31)), MONDAY)


@pytest.mark.parametrize(
    ("rule", "en", "zh"),
    [
        (RecurrenceRule(), "once", "仅一次"),
        (RecurrenceRule(Frequency.WEEKLY, until=date(2026, 12, 31)), "every Monday until 31 Dec", "每周一，至12月31日"),
        (RecurrenceRule(Frequency.DAILY, interval=3, count=4), "every 3 days, 4 times", "每3天，共4次"),
        (
            RecurrenceRule(Frequency.WEEKLY, interval=2, weekdays=(0, 2, 4)),
            "every 2 weeks on Monday, Wednesday and Friday",
            "每2周的周一、周三、周五",
        ),
        (RecurrenceRule(Frequency.MONTHLY, until=date(2027, 3, 1)), "every month on the 23rd until 1 Mar 2027",
         "每月23日，至2027年3月1日"),
    ],
)
def test_described_in_words_in_both_languages(rule: RecurrenceRule, en: str, zh: str) -> None:
    """A rule is shown in words ("every Monday until 31 Dec"), in English and in Chinese."""
    assert describe(rule, MONDAY, "en") == en
    assert describe(rule, MONDAY, "zh-CN") == zh


def test_payload_round_trip() -> None:
    """The rule kept in an event reads back the same."""
    rule = RecurrenceRule(Frequency.WEEKLY, interval=2, weekdays=(1, 4), until=date(2027, 1, 15))
    assert RecurrenceRule.from_payload(rule.to_payload()) == rule
    assert RecurrenceRule.from_payload(None) == RecurrenceRule()


def test_rule_from_typed_text() -> None:
    """Typed rules: weekday codes, dates and whole numbers are read; anything else is named in a sentence."""
    from csdesk.domain.recurrence import rule_from_text

    assert rule_from_text("weekly", "1", "thu, mon", "2026-12-31") == RecurrenceRule(
        Frequency.WEEKLY, weekdays=(0, 3), until=date(2026, 12, 31)
    )
    assert rule_from_text("daily", "0").interval == 0  # kept, so check_rule can refuse it with its sentence
    for args, words in [
        (("yearly",), "once, daily, weekly or monthly"),
        (("weekly", "1", "funday"), "not a weekday"),
        (("daily", "1", "", "31/12/2026"), "YYYY-MM-DD"),
        (("daily", "two"), "whole number"),
    ]:
        with pytest.raises(ValidationError, match=words):
            rule_from_text(*args)
