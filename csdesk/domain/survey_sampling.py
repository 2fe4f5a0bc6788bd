"""Fair samples of served customers, stratified by agent (seed 004: "every agent is measured").

Rules:
- **One survey per customer per campaign**: a customer served by several agents in the
  period belongs to the agent of their latest ticket (ties: the larger ticket id).
- **Stratified by agent**: each agent's share of the sample is their share of the
  population (proportional allocation), but every agent who served anyone gets at least
  one survey, so every agent is measured. Rounding is by largest remainder (Hamilton):
  floors first, then one more to the strata with the largest fractional parts.
- **Reproducible**: inside each agent's stratum the customers are drawn by a random
  generator seeded with the campaign's recorded seed and the agent's id, so the same
  population and seed always give the same sample, whatever the order it was read in.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from csdesk.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class Served:
    """One ticket of the period: the customer, the agent who served them and what about."""

    customer_id: str
    agent_id: str
    at: datetime
    ticket_id: str = ""
    team: str = ""
    business: str = ""


def one_per_customer(tickets: Iterable[Served]) -> list[Served]:
    """The latest ticket of each customer (ties: larger ticket id), sorted by customer id."""
    latest: dict[str, Served] = {}
    for ticket in tickets:
        held = latest.get(ticket.customer_id)
        if held is None or (ticket.at, ticket.ticket_id) > (held.at, held.ticket_id):
            latest[ticket.customer_id] = ticket
    return [latest[c] for c in sorted(latest)]


def allocate(strata: Mapping[str, int], total: int) -> dict[str, int]:
    """How many of ``total`` to draw from each stratum (sizes ``strata``).

    Proportional with at least one per non-empty stratum, largest-remainder rounding, never
    more than a stratum holds. Refused when ``total`` cannot give every stratum one or
    exceeds the population, with the numbers.
    """
    sizes = {key: n for key, n in strata.items() if n > 0}
    population = sum(sizes.values())
    if total > population:
        raise ValidationError("sample", f"The sample of {total} exceeds the population of {population}.")
    if total < len(sizes):
        raise ValidationError(
            "sample",
            f"A sample of {total} cannot measure each of the {len(sizes)} agents; ask for at least {len(sizes)}.",
        )
    ideal = {key: total * n / population for key, n in sizes.items()}
    given = {key: min(n, max(1, math.floor(ideal[key]))) for key, n in sizes.items()}
    order = sorted(sizes)
    while sum(given.values()) < total:
        key = max((k for k in order if given[k] < sizes[k]), key=lambda k: (ideal[k] - given[k], -order.index(k)))
        given[key] += 1
    while sum(given.values()) > total:
        key = min((k for k in order if given[k] > 1), key=lambda k: (ideal[k] - given[k], order.index(k)))
        given[key] -= 1
    return given


def stratified_sample(population: Sequence[Served], total: int, seed: int) -> list[Served]:
    """Draw ``total`` of ``population`` (one entry per customer), stratified by agent, reproducibly."""
    strata: dict[str, list[Served]] = defaultdict(list)
    for member in population:
        strata[member.agent_id].append(member)
    quota = allocate({agent: len(members) for agent, members in strata.items()}, total)
    chosen: list[Served] = []
    for agent in sorted(strata):
        members = sorted(strata[agent], key=lambda m: m.customer_id)
        chosen += random.Random(f"{seed}:{agent}").sample(members, quota[agent])
    return sorted(chosen, key=lambda m: (m.agent_id, m.customer_id))


def per_agent(members: Iterable[Served]) -> dict[str, int]:
    """How many of ``members`` each agent served."""
    counts: dict[str, int] = defaultdict(int)
    for member in members:
        counts[member.agent_id] += 1
    return dict(sorted(counts.items()))
