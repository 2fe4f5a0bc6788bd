"""Clocks: the one place where csdesk asks what time it is.

Every clock returns timezone-aware UTC datetimes. Code takes a ``Clock`` instead of
calling ``datetime.now()`` so tests can freeze time and demo mode can run it faster.

- ``SystemClock``: real wall-clock time.
- ``FrozenClock``: stands still until told to move (tests, snapshots).
- ``AcceleratedClock``: simulated time running ``factor`` times faster than real time
  (trainer / demo mode); can be paused, resumed and re-tuned without jumps.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)
MAX_FACTOR = 3600.0


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """Return the current time, timezone-aware, in UTC."""
        ...


def _require_aware(at: datetime, what: str = "datetime") -> datetime:
    """Return ``at`` converted to UTC; reject naive datetimes with ValueError."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {at.isoformat()}")
    return at.astimezone(UTC)


def ms(dt: datetime) -> int:
    """Milliseconds since the Unix epoch for an aware datetime (floored, exact)."""
    return (_require_aware(dt) - _EPOCH) // _ONE_MS


class SystemClock:
    """Real wall-clock time in UTC."""

    def now(self) -> datetime:
        """Return the real current time in UTC."""
        return datetime.now(UTC)


class _MonotonicClock:
    """Real time that never jumps: UTC at creation plus monotonic elapsed time."""

    def __init__(self) -> None:
        self._anchor_utc = datetime.now(UTC)
        self._anchor_mono = time.monotonic_ns()

    def now(self) -> datetime:
        """Return anchor time plus the monotonic time elapsed since creation."""
        elapsed_us = (time.monotonic_ns() - self._anchor_mono) // 1000
        return self._anchor_utc + timedelta(microseconds=elapsed_us)


class FrozenClock:
    """A clock that only moves when told to (for tests and snapshots)."""

    def __init__(self, at: datetime) -> None:
        self._at = _require_aware(at, "FrozenClock time")
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the frozen time."""
        with self._lock:
            return self._at

    def advance(self, delta: timedelta) -> None:
        """Move the clock by ``delta`` (may be negative)."""
        with self._lock:
            self._at = self._at + delta

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (must be timezone-aware)."""
        aware = _require_aware(at, "FrozenClock time")
        with self._lock:
            self._at = aware


def _check_factor(factor: float) -> float:
    """Return ``factor`` as float if 0 < factor <= MAX_FACTOR, else raise ValueError."""
    value = float(factor)
    if not 0 < value <= MAX_FACTOR:  # also rejects NaN
        raise ValueError(f"clock factor must be > 0 and <= {MAX_FACTOR:g}, got {factor!r}")
    return value


class AcceleratedClock:
    """Simulated time that runs ``factor`` times as fast as the ``base`` clock.

    ``start`` is the simulated time at creation (default: the base clock's now).
    The default base is a monotonic real-time clock, so wall-clock steps (NTP) do not
    make simulated time jump. Changing the factor, pausing and resuming never make
    the simulated time jump: the clock re-anchors at the current simulated instant.
    """

    def __init__(
        self,
        start: datetime | None = None,
        factor: float = 1.0,
        base: Clock | None = None,
    ) -> None:
        self._base: Clock = base if base is not None else _MonotonicClock()
        self._factor = _check_factor(factor)
        self._lock = threading.Lock()
        self._anchor_real = _require_aware(self._base.now(), "base clock time")
        self._anchor_sim = _require_aware(start, "start") if start is not None else self._anchor_real
        self._paused = False

    def _sim_at(self, real: datetime) -> datetime:
        """Simulated time at base time ``real`` (caller holds the lock)."""
        if self._paused:
            return self._anchor_sim
        return self._anchor_sim + (real - self._anchor_real) * self._factor

    def _reanchor(self) -> None:
        """Make the current instant the new anchor (caller holds the lock)."""
        real = _require_aware(self._base.now(), "base clock time")
        self._anchor_sim = self._sim_at(real)
        self._anchor_real = real

    def now(self) -> datetime:
        """Return the current simulated time in UTC."""
        with self._lock:
            return self._sim_at(_require_aware(self._base.now(), "base clock time"))

    @property
    def factor(self) -> float:
        """How many simulated seconds pass per real second."""
        with self._lock:
            return self._factor

    @property
    def paused(self) -> bool:
        """True while simulated time stands still."""
        with self._lock:
            return self._paused

    def set_factor(self, factor: float) -> None:
        """Change the speed from now on, without a jump in simulated time."""
        value = _check_factor(factor)
        with self._lock:
            self._reanchor()
            self._factor = value

    def pause(self) -> None:
        """Stop simulated time at its current value (no-op if already paused)."""
        with self._lock:
            if not self._paused:
                self._reanchor()
                self._paused = True

    def resume(self) -> None:
        """Let simulated time run again from where it was paused."""
        with self._lock:
            if self._paused:
                self._anchor_real = _require_aware(self._base.now(), "base clock time")
                self._paused = False

    def set(self, at: datetime) -> None:
        """Jump simulated time to ``at`` (a trainer skipping ahead); keeps factor."""
        aware = _require_aware(at, "AcceleratedClock time")
        with self._lock:
            self._anchor_real = _require_aware(self._base.now(), "base clock time")
            self._anchor_sim = aware
