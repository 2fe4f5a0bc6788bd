"""Hybrid Logical Clock (HLC) timestamps packed in a signed 64-bit integer.

Layout: ``physical_ms << 16 | logical`` — 47 bits of Unix milliseconds (good until
the year 6429) and a 16-bit logical counter. Packed values compare like the
(physical, logical) pairs they encode, so events order by a plain integer column.

Algorithm after Kulkarni et al., "Logical Physical Clocks" (2014):
- ``now()`` for a local or send event: strictly greater than every value this clock
  produced or received, and close to wall time while the wall clock is sane.
- ``update(remote)`` for a receive event: strictly greater than both the local last
  value and ``remote``. A remote physical time more than ``max_skew_ms`` ahead of
  the local wall clock is refused (``FarFutureClock``) so one desk with a broken
  clock cannot drag every other desk into the future.
When the logical counter would pass 65535, the physical part is bumped by 1 ms.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from csdesk.domain.clock import Clock, ms

LOGICAL_BITS = 16
LOGICAL_MAX = (1 << LOGICAL_BITS) - 1
PHYSICAL_MAX = (1 << (63 - LOGICAL_BITS)) - 1
DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def pack(physical_ms: int, logical: int) -> int:
    """Pack milliseconds and a logical counter into one non-negative int64."""
    if not 0 <= physical_ms <= PHYSICAL_MAX:
        raise ValueError(f"physical_ms out of range 0..{PHYSICAL_MAX}: {physical_ms}")
    if not 0 <= logical <= LOGICAL_MAX:
        raise ValueError(f"logical out of range 0..{LOGICAL_MAX}: {logical}")
    return (physical_ms << LOGICAL_BITS) | logical


def unpack(value: int) -> tuple[int, int]:
    """Split a packed HLC value into ``(physical_ms, logical)``."""
    if not 0 <= value <= (PHYSICAL_MAX << LOGICAL_BITS | LOGICAL_MAX):
        raise ValueError(f"not a valid HLC value: {value}")
    return value >> LOGICAL_BITS, value & LOGICAL_MAX


def hlc_to_datetime(value: int) -> datetime:
    """The physical part of an HLC value as an aware UTC datetime."""
    physical, _ = unpack(value)
    return _EPOCH + timedelta(milliseconds=physical)


class FarFutureClock(ValueError):
    """A remote HLC value is further ahead of our wall clock than allowed."""

    def __init__(self, skew_ms: int, max_skew_ms: int) -> None:
        super().__init__(f"remote clock is {skew_ms} ms ahead of local wall time (limit {max_skew_ms} ms)")
        self.skew_ms = skew_ms
        self.max_skew_ms = max_skew_ms


def _next(physical: int, logical: int) -> int:
    """Pack ``(physical, logical)``, carrying a logical overflow into the next ms."""
    if logical > LOGICAL_MAX:
        return pack(physical + 1, 0)
    return pack(physical, logical)


class HybridLogicalClock:
    """Thread-safe HLC over a wall ``Clock``; values are packed ints (see ``pack``)."""

    def __init__(
        self,
        clock: Clock,
        last: int = 0,
        max_skew_ms: int = DEFAULT_MAX_SKEW_MS,
    ) -> None:
        unpack(last)  # validates
        if max_skew_ms < 0:
            raise ValueError(f"max_skew_ms must be >= 0, got {max_skew_ms}")
        self._clock = clock
        self._last = last
        self._max_skew_ms = max_skew_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        """The most recent value produced by ``now`` or ``update``."""
        with self._lock:
            return self._last

    def now(self) -> int:
        """Timestamp a local or send event; strictly greater than ``last``."""
        wall = ms(self._clock.now())
        with self._lock:
            last_physical, last_logical = unpack(self._last)
            value = pack(wall, 0) if wall > last_physical else _next(last_physical, last_logical + 1)
            self._last = value
            return value

    def update(self, remote: int) -> int:
        """Timestamp a receive event; strictly greater than ``last`` and ``remote``.

        Raises ``FarFutureClock`` (state unchanged) when the remote physical time is
        more than ``max_skew_ms`` ahead of the local wall clock.
        """
        remote_physical, remote_logical = unpack(remote)
        wall = ms(self._clock.now())
        skew = remote_physical - wall
        if skew > self._max_skew_ms:
            raise FarFutureClock(skew, self._max_skew_ms)
        with self._lock:
            last_physical, last_logical = unpack(self._last)
            physical = max(wall, last_physical, remote_physical)
            if physical == last_physical == remote_physical:
                logical = max(last_logical, remote_logical) + 1
            elif physical == last_physical:
                logical = last_logical + 1
            elif physical == remote_physical:
                logical = remote_logical + 1
            else:
                logical = 0
            value = _next(physical, logical)
            self._last = value
            return value
