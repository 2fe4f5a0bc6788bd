"""QA score sheet and penalty ladder (DOMAIN.md, "Service standards and quality", seed 001)."""

from __future__ import annotations

import random

import pytest

from csdesk.domain.errors import ValidationError
from csdesk.domain.qa import WEIGHTS, Criterion, check_penalty, next_rung, sample_per_agent, total_score

FULL = {c.value: 5 for c in Criterion}


def test_weights_sum_to_100() -> None:
    """The score sheet is weighted to 100."""
    assert sum(WEIGHTS.values()) == 100


def test_total_is_weighted() -> None:
    """Full marks give 100; accuracy (20) at 3/5 loses 8 points; identity check (15) at 0 loses 15."""
    assert total_score(FULL) == 100
    assert total_score({**FULL, "accuracy": 3}) == 92
    assert total_score({**FULL, "accuracy": 3, "identity_check": 0}) == 77


@pytest.mark.parametrize(
    "marks", [{**FULL, "greeting": 6}, {**FULL, "greeting": -1}, {"greeting": 5}, {**FULL, "x": 1}]
)
def test_bad_sheets_are_refused(marks: dict[str, int]) -> None:
    """Every criterion is marked, 0 to 5, and nothing else."""
    with pytest.raises(ValidationError):
        total_score(marks)


def test_ladder_goes_one_rung_at_a_time() -> None:
    """Verbal warning -> written warning -> fine -> demotion -> dismissal; no skipping."""
    assert next_rung([]) == "verbal_warning"
    assert next_rung(["verbal_warning"]) == "written_warning"
    assert next_rung(["verbal_warning", "written_warning", "fine", "demotion", "dismissal"]) == "dismissal"
    assert check_penalty("written_warning", "service_attitude", ["verbal_warning"]) == "written_warning"
    assert check_penalty("verbal_warning", "service_attitude", ["fine"]) == "verbal_warning"  # lighter is allowed
    with pytest.raises(ValidationError) as err:
        check_penalty("fine", "service_attitude", ["verbal_warning"])
    assert "written_warning" in err.value.message


def test_serious_violations_skip_steps() -> None:
    """Leaking customer data or falsifying records may go straight to dismissal."""
    assert check_penalty("dismissal", "data_leak", []) == "dismissal"
    assert check_penalty("demotion", "falsified_records", []) == "demotion"


def test_sampling_takes_up_to_n_per_agent() -> None:
    """Random N per agent, without replacement; an agent with fewer gives all of theirs."""
    picked = sample_per_agent({"li": list(range(10)), "wang": [1]}, 3, random.Random(7))
    assert len(picked["li"]) == 3 and len(set(picked["li"])) == 3 and picked["wang"] == [1]
    with pytest.raises(ValidationError):
        sample_per_agent({"li": [1]}, 0, random.Random(1))
