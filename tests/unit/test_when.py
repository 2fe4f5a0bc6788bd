"""Reading typed times (consultation flow: the promised reply time must be in the future)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.domain.errors import ValidationError
from csdesk.domain.when import DESK_TZ, future_time, parse_when

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+45m", NOW + timedelta(minutes=45)),
        ("+2h", NOW + timedelta(hours=2)),
        ("+1d", NOW + timedelta(days=1)),
        ("15:30", datetime(2026, 11, 23, 15, 30, tzinfo=DESK_TZ)),
        ("2026-11-24 09:00", datetime(2026, 11, 24, 9, 0, tzinfo=DESK_TZ)),
        ("2026/11/24 09:00", datetime(2026, 11, 24, 9, 0, tzinfo=DESK_TZ)),
        ("11-25 14:00", datetime(2026, 11, 25, 14, 0, tzinfo=DESK_TZ)),
    ],
)
def test_accepted_forms(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


def test_local_time_is_the_desk_time_zone() -> None:
    assert parse_when("15:30", NOW).astimezone(UTC) == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


def test_a_promise_in_the_past_is_refused_with_a_sentence() -> None:
    """Seed 002: reply within the promised time, so the promise must lie ahead."""
    with pytest.raises(ValidationError) as caught:
        future_time("09:00", NOW, field="promised_at")
    assert caught.value.field == "promised_at"
    assert "past" in caught.value.message


@pytest.mark.parametrize("text", ["", "tomorrow-ish", "25:99", "+5y", "2026-13-40 10:00", "\x1b[31m10:00"])
def test_garbage_is_a_validation_error(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_when(text, NOW)


@given(st.text(max_size=40))
def test_any_text_gives_a_time_or_a_validation_error(text: str) -> None:
    try:
        moment = parse_when(text, NOW)
    except ValidationError:
        return
    assert moment.tzinfo is not None
