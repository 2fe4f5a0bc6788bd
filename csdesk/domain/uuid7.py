"""UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then randomness.

Layout (128 bits): unix_ts_ms (48) | ver=0b0111 (4) | rand_a (12) | var=0b10 (2) |
rand_b (62). ``rand_a`` is a counter (RFC 9562 §6.2, method 1): seeded randomly in
its lower half on each new millisecond and incremented for further ids in the same
millisecond, so ids made by one process sort in creation order. If the counter runs
out, the timestamp moves on by 1 ms. A clock that steps back by up to a second (NTP)
keeps the previous timestamp; a larger backward jump (or another test clock) starts
afresh from the new time.
"""

from __future__ import annotations

import secrets
import threading
import uuid

from csdesk.domain.clock import Clock, SystemClock, ms

_COUNTER_MAX = 0xFFF
_SEED_BITS = 11  # seed in the lower half of rand_a, leaving room to count
_BACKWARD_TOLERANCE_MS = 1000

_lock = threading.Lock()
_last_ms = -1
_counter = 0
_system_clock = SystemClock()


def _next_timestamp_and_counter(now_ms: int) -> tuple[int, int]:
    """Pick (timestamp, counter) for a new id; caller holds ``_lock``."""
    global _last_ms, _counter
    same_or_slightly_back = _last_ms - _BACKWARD_TOLERANCE_MS <= now_ms <= _last_ms
    if same_or_slightly_back and _counter < _COUNTER_MAX:
        _counter += 1
    elif same_or_slightly_back:
        _last_ms += 1
        _counter = secrets.randbits(_SEED_BITS)
    else:
        _last_ms = now_ms
        _counter = secrets.randbits(_SEED_BITS)
    return _last_ms, _counter


def uuid7(clock: Clock | None = None) -> str:
    """Return a new RFC 9562 UUIDv7 as a lowercase hyphenated string."""
    now_ms = ms((clock or _system_clock).now())
    if not 0 <= now_ms < 1 << 48:
        raise ValueError(f"time out of UUIDv7 range: {now_ms} ms")
    with _lock:
        timestamp, counter = _next_timestamp_and_counter(now_ms)
    value = (timestamp & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | secrets.randbits(62)
    return str(uuid.UUID(int=value))
