"""Tests of csdesk.domain.clock: frozen, system and accelerated clocks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from csdesk.domain.clock import AcceleratedClock, FrozenClock, SystemClock, ms

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))


def test_system_clock_is_aware_utc_and_close_to_real_time() -> None:
    now = SystemClock().now()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_frozen_clock_stands_still_until_advanced() -> None:
    clock = FrozenClock(T0)
    assert clock.now() == T0
    assert clock.now() == T0
    clock.advance(timedelta(minutes=5))
    assert clock.now() == T0 + timedelta(minutes=5)
    clock.advance(timedelta(minutes=-10))
    assert clock.now() == T0 - timedelta(minutes=5)


def test_frozen_clock_converts_other_zones_to_utc() -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 17, 0, tzinfo=BEIJING))
    assert clock.now() == T0
    assert clock.now().tzinfo == UTC


def test_frozen_clock_set_jumps() -> None:
    clock = FrozenClock(T0)
    clock.set(T0 + timedelta(days=3))
    assert clock.now() == T0 + timedelta(days=3)


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 11, 23, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        FrozenClock(naive)
    clock = FrozenClock(T0)
    with pytest.raises(ValueError):
        clock.set(naive)
    with pytest.raises(ValueError):
        ms(naive)
    with pytest.raises(ValueError):
        AcceleratedClock(start=naive, base=FrozenClock(T0))


def test_ms_is_exact_epoch_milliseconds() -> None:
    assert ms(datetime(1970, 1, 1, tzinfo=UTC)) == 0
    assert ms(datetime(1970, 1, 1, 0, 0, 1, 999_999, tzinfo=UTC)) == 1999
    assert ms(T0) == 1_795_424_400_000
    assert ms(datetime(2026, 11, 23, 17, 0, tzinfo=BEIJING)) == ms(T0)


def test_accelerated_clock_runs_factor_times_faster() -> None:
    base = FrozenClock(T0)
    sim_start = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    clock = AcceleratedClock(start=sim_start, factor=60, base=base)
    assert clock.now() == sim_start
    base.advance(timedelta(seconds=10))
    assert clock.now() == sim_start + timedelta(minutes=10)


def test_accelerated_clock_starts_at_base_time_by_default() -> None:
    base = FrozenClock(T0)
    clock = AcceleratedClock(factor=2, base=base)
    assert clock.now() == T0
    base.advance(timedelta(seconds=1))
    assert clock.now() == T0 + timedelta(seconds=2)


def test_set_factor_keeps_continuity() -> None:
    base = FrozenClock(T0)
    clock = AcceleratedClock(start=T0, factor=10, base=base)
    base.advance(timedelta(seconds=6))
    before = clock.now()
    assert before == T0 + timedelta(seconds=60)
    clock.set_factor(1)
    assert clock.now() == before  # no jump at the switch
    base.advance(timedelta(seconds=6))
    assert clock.now() == before + timedelta(seconds=6)
    assert clock.factor == 1


def test_pause_stops_time_and_resume_continues_without_jump() -> None:
    base = FrozenClock(T0)
    clock = AcceleratedClock(start=T0, factor=30, base=base)
    base.advance(timedelta(seconds=2))
    clock.pause()
    assert clock.paused
    paused_at = clock.now()
    assert paused_at == T0 + timedelta(minutes=1)
    base.advance(timedelta(hours=1))
    assert clock.now() == paused_at
    clock.resume()
    assert not clock.paused
    assert clock.now() == paused_at
    base.advance(timedelta(seconds=1))
    assert clock.now() == paused_at + timedelta(seconds=30)


def test_pause_and_resume_are_idempotent() -> None:
    base = FrozenClock(T0)
    clock = AcceleratedClock(start=T0, factor=2, base=base)
    clock.pause()
    base.advance(timedelta(seconds=5))
    clock.pause()
    assert clock.now() == T0
    clock.resume()
    clock.resume()
    base.advance(timedelta(seconds=1))
    assert clock.now() == T0 + timedelta(seconds=2)


def test_set_factor_while_paused_applies_after_resume() -> None:
    base = FrozenClock(T0)
    clock = AcceleratedClock(start=T0, factor=1, base=base)
    clock.pause()
    clock.set_factor(60)
    base.advance(timedelta(seconds=10))
    assert clock.now() == T0
    clock.resume()
    base.advance(timedelta(seconds=1))
    assert clock.now() == T0 + timedelta(minutes=1)


def test_accelerated_clock_set_jumps_and_keeps_running() -> None:
    base = FrozenClock(T0)
    clock = AcceleratedClock(start=T0, factor=5, base=base)
    target = T0 + timedelta(days=2)
    clock.set(target)
    assert clock.now() == target
    base.advance(timedelta(seconds=1))
    assert clock.now() == target + timedelta(seconds=5)


@pytest.mark.parametrize("factor", [0, -1, 3600.5, float("nan"), float("inf")])
def test_factor_out_of_range_is_rejected(factor: float) -> None:
    with pytest.raises(ValueError, match="factor"):
        AcceleratedClock(factor=factor, base=FrozenClock(T0))
    clock = AcceleratedClock(factor=1, base=FrozenClock(T0))
    with pytest.raises(ValueError, match="factor"):
        clock.set_factor(factor)
    assert clock.factor == 1


def test_factor_bounds_are_inclusive_of_3600() -> None:
    base = FrozenClock(T0)
    clock = AcceleratedClock(start=T0, factor=3600, base=base)
    base.advance(timedelta(seconds=1))
    assert clock.now() == T0 + timedelta(hours=1)


def test_accelerated_clock_on_real_time_moves_forward_fast() -> None:
    clock = AcceleratedClock(start=T0, factor=3600)
    first = clock.now()
    threading.Event().wait(0.02)
    second = clock.now()
    assert first.tzinfo == UTC
    # 20 ms of real time at 3600x is at least 72 simulated seconds.
    assert second - first >= timedelta(seconds=60)


def test_accelerated_clock_is_monotonic_under_concurrent_factor_changes() -> None:
    clock = AcceleratedClock(start=T0, factor=1)
    stop = threading.Event()
    errors: list[str] = []

    def reader() -> None:
        last = clock.now()
        while not stop.is_set():
            current = clock.now()
            if current < last:
                errors.append(f"{current} < {last}")
            last = current

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for i in range(300):
        clock.set_factor(1 + i % 60)
        if i % 7 == 0:
            clock.pause()
            clock.resume()
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
