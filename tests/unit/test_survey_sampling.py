"""Fair survey samples (csdesk.domain.survey_sampling): stratified by agent, proportional, reproducible.

Rules (seed 004 / issue 12): "csdesk samples fairly (stratified by agent so every agent is
measured)"; one survey per customer per campaign; the recorded seed makes the sample
reproducible and auditable.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.domain.errors import ValidationError
from csdesk.domain.survey_sampling import Served, allocate, one_per_customer, per_agent, stratified_sample

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _population(sizes: dict[str, int]) -> list[Served]:
    return [
        Served(f"{agent}-c{i:03d}", agent, T0 + timedelta(minutes=i), f"t-{agent}-{i}")
        for agent, n in sizes.items()
        for i in range(n)
    ]


strata = st.dictionaries(st.sampled_from([f"a{i}" for i in range(8)]), st.integers(1, 40), min_size=1)


@settings(max_examples=150, deadline=None)
@given(strata, st.data())
def test_allocation_measures_every_agent_and_is_proportional(sizes: dict[str, int], data: st.DataObject) -> None:
    """Every agent who served anyone gets ≥ 1; the total is exact; never more than a stratum;
    when every agent's proportional share is ≥ 1, each allocation is within one of it (largest remainder)."""
    population = sum(sizes.values())
    total = data.draw(st.integers(len(sizes), population))
    given_ = allocate(sizes, total)
    assert sum(given_.values()) == total
    assert all(1 <= given_[a] <= sizes[a] for a in sizes)
    ideal = {a: total * n / population for a, n in sizes.items()}
    if all(v >= 1 for v in ideal.values()):
        assert all(math.floor(ideal[a]) <= given_[a] <= math.ceil(ideal[a]) for a in sizes)


def test_largest_remainder_example() -> None:
    """10 of 100 over strata 55/30/15: ideal 5.5/3.0/1.5 → floors 5/3/1, the one left goes to
    the larger remainder (ties by agent id: a before c)."""
    assert allocate({"a": 55, "b": 30, "c": 15}, 10) == {"a": 6, "b": 3, "c": 1}


def test_small_agent_still_measured_and_large_one_gives_way() -> None:
    """Proportional share of a 1-customer agent in a sample of 5 out of 100 is 0.05, yet they get one."""
    assert allocate({"big": 99, "small": 1}, 5) == {"big": 4, "small": 1}


def test_sample_smaller_than_agents_is_refused_with_numbers() -> None:
    with pytest.raises(ValidationError, match="cannot measure each of the 3 agents; ask for at least 3"):
        allocate({"a": 5, "b": 5, "c": 5}, 2)


def test_sample_larger_than_population_is_refused_with_both_numbers() -> None:
    with pytest.raises(ValidationError, match="sample of 12 exceeds the population of 10"):
        allocate({"a": 5, "b": 5}, 12)


@settings(max_examples=60, deadline=None)
@given(strata, st.integers(0, 2**32), st.data())
def test_sample_is_reproducible_without_duplicates_whatever_the_order(
    sizes: dict[str, int], seed: int, data: st.DataObject
) -> None:
    """Same population and seed → same sample, even read in another order; no customer twice;
    each agent's draw matches the allocation."""
    population = _population(sizes)
    total = data.draw(st.integers(len(sizes), len(population)))
    first = stratified_sample(population, total, seed)
    shuffled = population[:]
    random.Random(seed).shuffle(shuffled)
    assert stratified_sample(shuffled, total, seed) == first
    assert len({m.customer_id for m in first}) == len(first) == total
    assert per_agent(first) == dict(sorted(allocate(sizes, total).items()))


def test_another_seed_draws_another_sample() -> None:
    population = _population({"a": 50, "b": 50})
    assert stratified_sample(population, 10, 1) != stratified_sample(population, 10, 2)


def test_one_survey_per_customer_goes_to_the_agent_of_the_latest_ticket() -> None:
    """A customer served twice in the period belongs to the agent of their latest ticket."""
    tickets = [
        Served("c1", "a", T0, "t1"),
        Served("c1", "b", T0 + timedelta(days=3), "t2"),
        Served("c2", "a", T0, "t3"),
    ]
    kept = one_per_customer(tickets)
    assert [(m.customer_id, m.agent_id) for m in kept] == [("c1", "b"), ("c2", "a")]
