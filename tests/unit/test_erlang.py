"""Erlang C against the textbook worked example (DOMAIN.md, "Staffing": agents per interval via Erlang C).

The example (Call Centre Helper's "Erlang C formula – made simple"): 100 calls in 30 minutes,
AHT 180 s, so A = 100 x 180 / 1800 = 10 Erlangs; target 80 % answered within 20 s, answer
14 agents. The figures below were worked out from the formula, C(n, A) =
(A^n/n! x n/(n-A)) / (sum_{k<n} A^k/k! + A^n/n! x n/(n-A)) and SL = 1 - C x e^{-(n-A) T/AHT},
e.g. for n = 14: C = 0.1741, SL = 1 - 0.1741 x e^{-4 x 20/180} = 0.8884.
"""

from __future__ import annotations

import math

import pytest

from csdesk.domain.erlang import (
    agents_required,
    average_speed_of_answer,
    probability_of_waiting,
    service_level,
    traffic_erlangs,
)
from csdesk.domain.errors import ValidationError


def test_traffic_is_calls_times_handling_time_over_the_interval() -> None:
    """A = calls x AHT / interval: 100 x 180 / 1800 = 10 Erlangs."""
    assert traffic_erlangs(100, 180) == 10.0


def test_one_agent_erlang_c_equals_the_load() -> None:
    """With one agent Erlang C reduces to P(wait) = A (M/M/1): A = 0.5 gives 0.5."""
    assert probability_of_waiting(1, 0.5) == pytest.approx(0.5)


def test_two_agents_by_hand() -> None:
    """n = 2, A = 1: C = (A²/2! x 2/(2-1)) / (1 + A + A²/2! x 2) = 1 / 3."""
    assert probability_of_waiting(2, 1.0) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("agents", "waiting", "level"),
    [(11, 0.6821, 0.3896), (12, 0.4494, 0.6402), (13, 0.2853, 0.7956), (14, 0.1741, 0.8884), (15, 0.1020, 0.9415)],
)
def test_worked_example_table(agents: int, waiting: float, level: float) -> None:
    """P(wait) and the 20 s service level for 11–15 agents at 10 Erlangs, AHT 180 s."""
    assert probability_of_waiting(agents, 10.0) == pytest.approx(waiting, abs=5e-4)
    assert service_level(agents, 10.0, 180, 20) == pytest.approx(level, abs=5e-4)


def test_worked_example_needs_14_agents_for_80_in_20() -> None:
    """13 agents reach only 79.6 %, 14 reach 88.8 %: 14 is the answer."""
    need = agents_required(100, 180, target=0.80, answer_seconds=20, shrinkage=0)
    assert need.agents == 14
    assert need.service_level == pytest.approx(0.888, abs=1e-3)
    assert average_speed_of_answer(14, 10.0, 180) == pytest.approx(7.84, abs=0.01)


def test_desk_standard_95_in_30_with_shrinkage() -> None:
    """95 % within 30 s needs 15 on the phones (94.1 % with 14); 30 % shrinkage: ceil(15 / 0.7) = 22 rostered."""
    assert service_level(14, 10.0, 180, 30) < 0.95
    need = agents_required(100, 180, shrinkage=0.30)
    assert (need.agents, need.scheduled) == (15, 22)


def test_overload_and_no_traffic() -> None:
    """Fewer agents than Erlangs never catch up: everyone waits, service level 0; no calls needs nobody."""
    assert probability_of_waiting(10, 10.0) == 1.0
    assert service_level(9, 10.0, 180, 30) == 0.0
    assert math.isinf(average_speed_of_answer(10, 10.0, 180))
    assert agents_required(0, 180).scheduled == 0


def test_large_traffic_does_not_overflow() -> None:
    """The Erlang B recursion keeps 1,000 Erlangs finite (A^n / n! would overflow a float)."""
    need = agents_required(6000, 300, interval_seconds=1800)
    assert 1000 < need.agents < 1100


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"target": 1.0}, "target"), ({"shrinkage": 1.0}, "shrinkage"), ({"answer_seconds": -1}, "answer_seconds")],
)
def test_bad_inputs_are_refused_with_the_rule(kwargs: dict[str, float], field: str) -> None:
    """A target is a share in (0, 1); shrinkage in [0, 1); no negative answer time."""
    with pytest.raises(ValidationError) as err:
        agents_required(100, 180, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field
