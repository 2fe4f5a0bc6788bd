"""Every shipped scenario played end to end on a demo store by a good and a sloppy scripted trainee."""

from __future__ import annotations

import pytest

from csdesk.data.scenario_files import load_scenarios
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from tests.trainer.conftest import TRAINEE, TRAINER
from tests.trainer.trainees import good_trainee, sloppy_trainee

SCENARIOS, PROBLEMS = load_scenarios()
SEVEN = ("lost-card", "fee-complaint", "suspected-fraud", "key-customer-fund", "system-outage", "mass-complaint",
         "elderly-customer")


def test_the_seven_training_scenarios_ship_and_load() -> None:
    """DOMAIN.md "Training": lost card, fee complaint, fraud, key customer, outage, mass complaint, elderly."""
    assert PROBLEMS == []
    assert set(SEVEN) <= set(SCENARIOS)
    for scenario in SCENARIOS.values():
        assert scenario.briefing.zh != scenario.briefing.en, scenario.id  # briefed in both languages


@pytest.mark.parametrize("scenario_id", SEVEN)
def test_a_good_trainee_scores_full_marks(demo: Store, clock: FrozenClock, scenario_id: str) -> None:
    """Answering in time, from the right article, with every expected step earns every point."""
    run = demo.trainer.start(TRAINER, scenario_id, TRAINEE, seed=3)
    good_trainee(demo, clock, run.id, SCENARIOS[scenario_id])
    report = demo.trainer.finish(TRAINER, run.id)
    failed = [(r.check, r.reason) for r in report.results if not r.passed]
    assert failed == []
    assert report.percent == 100


@pytest.mark.parametrize("scenario_id", SEVEN)
def test_a_sloppy_trainee_scores_low_with_reasons(demo: Store, clock: FrozenClock, scenario_id: str) -> None:
    """Waiting five minutes, the wrong article and a needless reveal each cost their points, with the reason."""
    run = demo.trainer.start(TRAINER, scenario_id, TRAINEE, seed=3)
    sloppy_trainee(demo, clock, run.id, SCENARIOS[scenario_id])
    report = demo.trainer.finish(TRAINER, run.id)
    codes = {r.check: r.code for r in report.results}
    assert report.percent <= 40, [(r.check, r.earned, r.reason) for r in report.results]
    assert codes["first_answer"] == "answer_late"
    assert codes["kb_article"] == "kb_wrong"
    if "masking" in codes:
        assert codes["masking"] == "masking_broken"
    if "deadline" in codes:
        assert codes["deadline"] == "deadline_late"
    if "complaint_fields" in codes:
        assert codes["complaint_fields"] == "complaint_incomplete"
    if "callback" in codes:
        assert codes["callback"] == "callback_missing"
    assert all(r.reason for r in report.results)
