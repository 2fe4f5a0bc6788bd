"""Tests of csdesk.domain.hlc: packing, send/receive rules, skew guard, monotonicity."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.domain.clock import FrozenClock, ms
from csdesk.domain.hlc import (
    LOGICAL_MAX,
    PHYSICAL_MAX,
    FarFutureClock,
    HybridLogicalClock,
    hlc_to_datetime,
    pack,
    unpack,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
T0_MS = ms(T0)


def test_pack_layout_is_ms_shifted_16_plus_logical() -> None:
    assert pack(1, 0) == 65536
    assert pack(T0_MS, 7) == T0_MS * 65536 + 7
    assert unpack(pack(T0_MS, 7)) == (T0_MS, 7)


def test_packed_values_fit_a_signed_int64() -> None:
    assert pack(PHYSICAL_MAX, LOGICAL_MAX) == 2**63 - 1


@pytest.mark.parametrize(("physical", "logical"), [(-1, 0), (0, -1), (0, 65536), (PHYSICAL_MAX + 1, 0)])
def test_pack_rejects_out_of_range(physical: int, logical: int) -> None:
    with pytest.raises(ValueError):
        pack(physical, logical)


@pytest.mark.parametrize("value", [-1, 2**63])
def test_unpack_rejects_out_of_range(value: int) -> None:
    with pytest.raises(ValueError):
        unpack(value)


@given(
    st.integers(0, PHYSICAL_MAX), st.integers(0, LOGICAL_MAX), st.integers(0, PHYSICAL_MAX), st.integers(0, LOGICAL_MAX)
)
def test_packed_order_equals_pair_order(p1: int, l1: int, p2: int, l2: int) -> None:
    assert (pack(p1, l1) < pack(p2, l2)) == ((p1, l1) < (p2, l2))
    assert unpack(pack(p1, l1)) == (p1, l1)


def test_hlc_to_datetime_returns_physical_part() -> None:
    assert hlc_to_datetime(pack(T0_MS, 123)) == T0
    assert hlc_to_datetime(pack(T0_MS, 0)).tzinfo == UTC


def test_now_follows_wall_clock_when_it_advances() -> None:
    clock = FrozenClock(T0)
    hlc = HybridLogicalClock(clock)
    assert hlc.now() == pack(T0_MS, 0)
    clock.advance(timedelta(milliseconds=5))
    assert hlc.now() == pack(T0_MS + 5, 0)
    assert hlc.last == pack(T0_MS + 5, 0)


def test_now_counts_logically_within_the_same_millisecond() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0))
    values = [hlc.now() for _ in range(3)]
    assert values == [pack(T0_MS, 0), pack(T0_MS, 1), pack(T0_MS, 2)]


def test_now_stays_monotonic_when_wall_clock_goes_back() -> None:
    clock = FrozenClock(T0)
    hlc = HybridLogicalClock(clock)
    first = hlc.now()
    clock.advance(timedelta(seconds=-30))
    second = hlc.now()
    assert second == pack(T0_MS, 1)
    assert second > first


def test_logical_overflow_bumps_physical_by_one_ms() -> None:
    """Rule: the logical part is 16 bits; past 65535 the physical part moves on 1 ms."""
    hlc = HybridLogicalClock(FrozenClock(T0), last=pack(T0_MS, LOGICAL_MAX))
    assert hlc.now() == pack(T0_MS + 1, 0)


def test_update_overflow_bumps_physical_by_one_ms() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0), last=pack(T0_MS, 10))
    assert hlc.update(pack(T0_MS, LOGICAL_MAX)) == pack(T0_MS + 1, 0)


def test_update_with_remote_ahead_adopts_remote_physical() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0))
    remote = pack(T0_MS + 1000, 4)
    assert hlc.update(remote) == pack(T0_MS + 1000, 5)
    # A following local event stays after the received one although wall time lags.
    assert hlc.now() == pack(T0_MS + 1000, 6)


def test_update_with_remote_behind_keeps_local_time() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0))
    assert hlc.update(pack(T0_MS - 5000, 9)) == pack(T0_MS, 0)


def test_update_with_equal_physical_takes_max_logical_plus_one() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0), last=pack(T0_MS, 3))
    assert hlc.update(pack(T0_MS, 8)) == pack(T0_MS, 9)
    assert hlc.update(pack(T0_MS, 2)) == pack(T0_MS, 10)


def test_far_future_remote_is_refused_without_changing_state() -> None:
    """Rule (ARCHITECTURE sync): events with an HLC far in the future are flagged."""
    hlc = HybridLogicalClock(FrozenClock(T0), max_skew_ms=60_000)
    before = hlc.now()
    remote = pack(T0_MS + 60_001, 0)
    with pytest.raises(FarFutureClock) as raised:
        hlc.update(remote)
    assert raised.value.skew_ms == 60_001
    assert isinstance(raised.value, ValueError)
    assert hlc.last == before
    assert hlc.now() == before + 1


def test_remote_exactly_at_the_skew_limit_is_accepted() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0), max_skew_ms=60_000)
    assert hlc.update(pack(T0_MS + 60_000, 0)) == pack(T0_MS + 60_000, 1)


def test_default_skew_limit_is_five_minutes() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0))
    hlc.update(pack(T0_MS + 5 * 60 * 1000, 0))
    with pytest.raises(FarFutureClock):
        hlc.update(pack(T0_MS + 5 * 60 * 1000 + 1, 0))


def test_restart_from_persisted_last_value_never_goes_back() -> None:
    clock = FrozenClock(T0)
    persisted = pack(T0_MS + 10_000, 42)  # wall clock was reset after a restart
    hlc = HybridLogicalClock(clock, last=persisted)
    assert hlc.now() == pack(T0_MS + 10_000, 43)


def test_concurrent_now_calls_give_unique_increasing_values() -> None:
    hlc = HybridLogicalClock(FrozenClock(T0))
    results: list[list[int]] = [[] for _ in range(4)]

    def work(out: list[int]) -> None:
        for _ in range(2000):
            out.append(hlc.now())

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = [value for out in results for value in out]
    assert len(set(merged)) == len(merged) == 8000
    for out in results:
        assert out == sorted(out)


_step = st.one_of(
    st.tuples(st.just("now"), st.integers(-120_000, 120_000)),
    st.tuples(st.just("update"), st.integers(-600_000, 600_000), st.integers(0, LOGICAL_MAX)),
)


@settings(max_examples=300)
@given(st.lists(_step, min_size=1, max_size=60))
def test_monotonic_under_arbitrary_interleavings(steps: list[tuple[int | str, ...]]) -> None:
    """Every value exceeds the previous one and every received value, whatever the wall clock does."""
    clock = FrozenClock(T0)
    hlc = HybridLogicalClock(clock, max_skew_ms=300_000)
    previous = hlc.last
    for step in steps:
        if step[0] == "now":
            clock.advance(timedelta(milliseconds=int(step[1])))
            value = hlc.now()
        else:
            wall = ms(clock.now())
            remote = pack(max(0, wall + int(step[1])), int(step[2]))
            try:
                value = hlc.update(remote)
            except FarFutureClock as refused:
                assert refused.skew_ms > 300_000
                assert hlc.last == previous
                continue
            assert value > remote
        assert value > previous
        assert hlc.last == value
        assert unpack(value)[0] >= ms(clock.now())
        previous = value


@settings(max_examples=200)
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=50))
def test_physical_part_never_behind_wall_clock(moves: list[int]) -> None:
    """HLC invariant: the physical part is at least the wall clock reading of the event."""
    clock = FrozenClock(T0)
    hlc = HybridLogicalClock(clock)
    for move in moves:
        clock.advance(timedelta(milliseconds=move))
        physical, _ = unpack(hlc.now())
        assert physical >= ms(clock.now())
