"""Call values: the placeholders a call fills in (agent number, ticket number, dates).

Rule (knowledge base, "use this answer"): a script used on a call names the agent who is
speaking, the ticket's number and the call's own dates, never one firm-wide value.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from csdesk.domain.call_values import CallFacts, call_values, spoken_date
from csdesk.domain.kb_values import fill


def test_dates_read_as_the_sentences_expect() -> None:
    assert spoken_date(date(2026, 3, 5)) == {"zh-CN": "3月5日", "en": "5 March"}
    assert spoken_date(date(2026, 12, 31)) == {"zh-CN": "12月31日", "en": "31 December"}


def test_the_day_raised_is_the_desk_local_day() -> None:
    late_evening_utc = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)  # 01:30 on 5 March in Shanghai
    values = call_values(CallFacts("1024", raised_at=late_evening_utc))
    assert values["event_date"] == {"zh-CN": "3月5日", "en": "5 March"}


def test_only_what_the_call_knows_is_given() -> None:
    assert call_values(CallFacts("1024")) == {"agent_id": {"*": "1024"}}
    assert call_values(CallFacts()) == {}  # no staff number: the firm value, or flagged
    full = call_values(CallFacts("1024", "D01-000042", datetime(2026, 11, 23, 1, tzinfo=UTC), date(2026, 12, 8)))
    assert full["ticket_number"] == {"*": "D01-000042"}
    assert full["reply_deadline"] == {"zh-CN": "12月8日", "en": "8 December"}


def test_call_values_win_over_the_firm_values() -> None:
    firm = {"agent_id": {"*": "1024"}, "bank_name": {"zh-CN": "华信银行", "en": "Huaxin Bank"}}
    values = {**firm, **call_values(CallFacts("A0731"))}
    filled = fill("{{bank_name}}客服，工号{{agent_id}}", values, "zh-CN")
    assert filled.text == "华信银行客服，工号A0731" and filled.missing == ()


def test_staff_numbers_are_short_and_said_aloud() -> None:
    import pytest

    from csdesk.domain.errors import ValidationError
    from csdesk.domain.staff_no import checked_staff_no

    assert checked_staff_no(" SH-0417 ") == "SH-0417"
    assert checked_staff_no("1024") == "1024"
    assert checked_staff_no("\x1b[31m1024\x1b[0m") == "1024"  # pasted with colour: the escapes go
    for bad in ("", "   ", "li.na", "工号1024", "1" * 17, "10 24"):
        with pytest.raises(ValidationError, match="staff number"):
            checked_staff_no(bad)
