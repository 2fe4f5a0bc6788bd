"""Tests of csdesk.domain.uuid7 (RFC 9562 UUIDv7)."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

from csdesk.domain.clock import FrozenClock, ms
from csdesk.domain.uuid7 import uuid7

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _timestamp_ms(value: str) -> int:
    return uuid.UUID(value).int >> 80


def test_format_version_and_variant() -> None:
    """RFC 9562 §5.7: version nibble 0b0111, variant bits 0b10."""
    value = uuid7()
    assert UUID_TEXT.match(value), value
    parsed = uuid.UUID(value)
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_timestamp_is_the_clock_milliseconds() -> None:
    clock = FrozenClock(T0 + timedelta(days=400))  # far from other tests' times
    assert _timestamp_ms(uuid7(clock)) == ms(clock.now())


def test_system_clock_timestamp_is_now() -> None:
    before = ms(datetime.now(UTC))
    stamp = _timestamp_ms(uuid7())
    after = ms(datetime.now(UTC))
    assert before <= stamp <= after + 1


def test_ids_sort_by_time() -> None:
    clock = FrozenClock(T0 + timedelta(days=800))
    ids = []
    for _ in range(20):
        ids.append(uuid7(clock))
        clock.advance(timedelta(milliseconds=3))
    assert sorted(ids) == ids
    assert len(set(ids)) == 20


def test_monotonic_within_the_same_millisecond() -> None:
    clock = FrozenClock(T0 + timedelta(days=1200))
    ids = [uuid7(clock) for _ in range(5000)]  # more than the 12-bit counter holds
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert _timestamp_ms(ids[0]) == ms(clock.now())


def test_small_backward_step_keeps_order() -> None:
    clock = FrozenClock(T0 + timedelta(days=1600))
    first = uuid7(clock)
    clock.advance(timedelta(milliseconds=-200))
    second = uuid7(clock)
    assert second > first


def test_random_part_differs_between_ids() -> None:
    clock = FrozenClock(T0 + timedelta(days=2000))
    tails = {uuid.UUID(uuid7(clock)).int & ((1 << 62) - 1) for _ in range(100)}
    assert len(tails) == 100


def test_thread_safe_uniqueness_and_order_per_thread() -> None:
    results: list[list[str]] = [[] for _ in range(4)]

    def work(out: list[str]) -> None:
        out.extend(uuid7() for _ in range(2000))

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = [value for out in results for value in out]
    assert len(set(merged)) == len(merged)
    for out in results:
        assert out == sorted(out)
