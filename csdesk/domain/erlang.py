"""Erlang C: how many agents an interval needs (DOMAIN.md, "Staffing").

Calls arrive at random (Poisson) and wait in one queue for ``n`` agents, each call taking
an average handling time (AHT). With offered traffic ``A = calls x AHT / interval`` in
Erlangs, the probability that a call has to wait is Erlang's C formula, and the share
answered within ``T`` seconds (the service level) is
``1 - P(wait) x exp(-(n - A) x T / AHT)``. Agents on the roster are only partly on the
phones (breaks, training, meetings): shrinkage ``s`` turns the ``n`` agents needed on the
phones into ``ceil(n / (1 - s))`` scheduled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from csdesk.domain.errors import ValidationError

INTERVAL_SECONDS = 1800
DEFAULT_TARGET = 0.95
DEFAULT_ANSWER_SECONDS = 30
DEFAULT_SHRINKAGE = 0.30
MAX_AGENTS = 10_000


def traffic_erlangs(calls: float, aht_seconds: float, interval_seconds: float = INTERVAL_SECONDS) -> float:
    """Offered traffic in Erlangs: ``calls`` arriving in the interval, each ``aht_seconds`` long."""
    if calls < 0:
        raise ValidationError("calls", "The number of calls cannot be negative.")
    if aht_seconds <= 0 or interval_seconds <= 0:
        raise ValidationError("aht_seconds", "The average handling time and the interval must be positive.")
    return calls * aht_seconds / interval_seconds


def probability_of_waiting(agents: int, traffic: float) -> float:
    """Erlang C: the chance that a call waits, with ``agents`` and ``traffic`` Erlangs (1 when overloaded).

    Computed through the Erlang B recursion ``B(k) = A B(k-1) / (k + A B(k-1))``, which never
    overflows, then ``C = n B / (n - A (1 - B))``.
    """
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic * blocking / (k + traffic * blocking)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(agents: int, traffic: float, aht_seconds: float, answer_seconds: float) -> float:
    """Share of calls answered within ``answer_seconds`` (0 when the agents cannot keep up)."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waiting = probability_of_waiting(agents, traffic)
    return max(0.0, 1.0 - waiting * math.exp(-(agents - traffic) * answer_seconds / aht_seconds))


def average_speed_of_answer(agents: int, traffic: float, aht_seconds: float) -> float:
    """Mean wait in seconds, ``P(wait) x AHT / (n - A)`` (infinite when overloaded)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return probability_of_waiting(agents, traffic) * aht_seconds / (agents - traffic)


@dataclass(frozen=True, slots=True)
class Staffing:
    """What one interval needs."""

    calls: float
    traffic: float
    agents: int  # on the phones
    scheduled: int  # on the roster, shrinkage included
    service_level: float
    probability_of_waiting: float


def agents_required(
    calls: float,
    aht_seconds: float,
    *,
    target: float = DEFAULT_TARGET,
    answer_seconds: float = DEFAULT_ANSWER_SECONDS,
    shrinkage: float = DEFAULT_SHRINKAGE,
    interval_seconds: float = INTERVAL_SECONDS,
) -> Staffing:
    """The fewest agents reaching ``target`` answered within ``answer_seconds`` (95 % / 30 s by default)."""
    if not 0 < target < 1:
        raise ValidationError("target", "The service-level target is a share between 0 and 1 (e.g. 0.95).")
    if not 0 <= shrinkage < 1:
        raise ValidationError("shrinkage", "Shrinkage is a share from 0 up to (not including) 1, e.g. 0.3.")
    if answer_seconds < 0:
        raise ValidationError("answer_seconds", "The answer time cannot be negative.")
    traffic = traffic_erlangs(calls, aht_seconds, interval_seconds)
    if traffic == 0:
        return Staffing(calls, 0.0, 0, 0, 1.0, 0.0)
    agents = max(1, math.floor(traffic) + 1)
    while service_level(agents, traffic, aht_seconds, answer_seconds) < target:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValidationError("calls", f"More than {MAX_AGENTS} agents would be needed; check the inputs.")
    scheduled = math.ceil(agents / (1 - shrinkage) - 1e-9)
    return Staffing(
        calls,
        traffic,
        agents,
        scheduled,
        service_level(agents, traffic, aht_seconds, answer_seconds),
        probability_of_waiting(agents, traffic),
    )
