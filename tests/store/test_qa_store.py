"""QA in the store: sampling, score sheet, who sees what, the penalty ladder, anonymous reports
(DOMAIN.md, "Service standards and quality", seed 001)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import PermissionDenied, ValidationError
from csdesk.domain.qa import Criterion
from tests.store.conftest import events

FULL = {c.value: 5 for c in Criterion}


def handled(store: Store, agent: str, count: int, kind: str = "consultation") -> list[str]:
    ids = []
    for n in range(count):
        ticket = store.create_ticket(agent, kind=kind, channel="phone", subject=f"handled {n}")
        store.claim_ticket(agent, ticket.id)
        store.change_status(agent, ticket.id, "resolved")
        ids.append(ticket.id)
    return ids


@pytest.fixture
def sampled(store: Store, clock: FrozenClock) -> Store:
    handled(store, "agent1", 5)
    handled(store, "agent2", 1)
    handled(store, "spec", 2, kind="business")
    clock.advance(timedelta(minutes=1))
    return store


def window(clock: FrozenClock) -> tuple:
    return clock.now() - timedelta(days=1), clock.now()


def test_random_n_per_agent_never_twice(sampled: Store, clock: FrozenClock) -> None:
    """Up to N per agent at random; a ticket already sampled is not picked again."""
    first = sampled.qa.sample("qa", *window(clock), per_agent=2, seed=1)
    per_agent = {a: sum(r.agent_id == a for r in first) for a in ("agent1", "agent2", "spec")}
    assert per_agent == {"agent1": 2, "agent2": 1, "spec": 2}
    again = sampled.qa.sample("qa", *window(clock), per_agent=10, seed=1)
    assert {r.ticket_id for r in again}.isdisjoint({r.ticket_id for r in first})
    assert len(again) == 3  # agent1's three left


def test_sampling_by_filter(sampled: Store, clock: FrozenClock) -> None:
    """Filtered samples: one kind only, or one agent only."""
    business = sampled.qa.sample("qa", *window(clock), per_agent=5, kind="business", seed=2)
    assert {r.agent_id for r in business} == {"spec"}
    mine = sampled.qa.sample("qa", *window(clock), per_agent=5, agent_id="agent2", seed=2)
    assert [r.agent_id for r in mine] == ["agent2"]
    with pytest.raises(PermissionDenied):
        sampled.qa.sample("agent1", *window(clock))


def test_score_sheet_and_who_sees_results(sampled: Store, clock: FrozenClock) -> None:
    """Weighted to 100; agents see only their own results; nobody scores their own ticket."""
    reviews = sampled.qa.sample("qa", *window(clock), per_agent=1, seed=3)
    mine = next(r for r in reviews if r.agent_id == "agent1")
    scored = sampled.qa.score("qa", mine.id, {**FULL, "accuracy": 3}, "Wrong fee quoted")
    assert (scored.score, scored.status, scored.inspector_id) == (92, "scored", "qa")
    assert [r.id for r in sampled.qa.reviews("agent1")] == [mine.id]
    with pytest.raises(PermissionDenied):
        sampled.qa.reviews("agent1", agent_id="agent2")
    assert events(sampled)[-1].kind == "access.denied"
    assert len(sampled.qa.reviews("lead")) == 3
    with pytest.raises(ValidationError):
        sampled.qa.score("qa", mine.id, {**FULL, "greeting": 9})
    with pytest.raises(PermissionDenied):
        sampled.qa.score("agent2", mine.id, FULL)


def test_penalty_ladder_recorded_with_reason_evidence_and_approver(sampled: Store) -> None:
    """One rung at a time; a serious violation skips; the approver must be a supervisor; evidence must exist."""
    [evidence] = handled(sampled, "agent1", 1)
    ref = sampled.get_ticket_row("sup", evidence).ref
    first = sampled.qa.record_penalty("qa", "agent1", "verbal_warning", "service_attitude", "Rude", [ref], "sup")
    assert (first.step, first.approver_id, first.decided_by, first.evidence) == (
        "verbal_warning",
        "sup",
        "qa",
        (evidence,),
    )
    with pytest.raises(ValidationError, match="written_warning"):
        sampled.qa.record_penalty("qa", "agent1", "fine", "service_attitude", "Again", [evidence], "sup")
    sampled.qa.record_penalty("qa", "agent1", "written_warning", "service_attitude", "Again", [evidence], "sup")
    leak = sampled.qa.record_penalty("qa", "agent2", "dismissal", "data_leak", "Sold data", [evidence], "sup")
    assert leak.step == "dismissal"
    with pytest.raises(ValidationError, match="supervisor"):
        sampled.qa.record_penalty("qa", "agent2", "verbal_warning", "other", "x", [evidence], "lead")
    with pytest.raises(ValidationError, match="evidence"):
        sampled.qa.record_penalty("qa", "agent2", "verbal_warning", "other", "x", ["D01-999999"], "sup")
    with pytest.raises(PermissionDenied):
        sampled.qa.record_penalty("agent1", "agent2", "verbal_warning", "other", "x", [evidence], "sup")
    assert [p.step for p in sampled.qa.penalties("agent1")] == ["verbal_warning", "written_warning"]


def test_whistle_blowing_is_anonymous(store: Store) -> None:
    """The reporter's id is stored nowhere: not in the table, not in the event log."""
    report_id = store.qa.file_report("agent2", "Team A", "Agent shares customer phone numbers 13812345678")
    [row] = store.qa.reports("sup")
    assert row.id == report_id and "13812345678" not in row.text
    last = events(store)[-1]
    assert last.kind == "whistle.filed" and last.actor == "anonymous"
    assert "agent2" not in last.payload and all("agent2" not in str(v) for v in store.snapshot()["whistle_report"])
    with pytest.raises(PermissionDenied):
        store.qa.reports("lead")


def test_qa_rebuild_gives_the_same_rows(sampled: Store, clock: FrozenClock) -> None:
    """Reviews, scores, penalties and reports are projections of events."""
    [review, *_] = sampled.qa.sample("qa", *window(clock), per_agent=1, seed=4)
    sampled.qa.score("qa", review.id, FULL, "Good")
    sampled.qa.record_penalty(
        "sup", "agent1", "verbal_warning", "script_breach", "No greeting", [review.ticket_id], "sup"
    )
    sampled.qa.file_report("agent1", "", "Something happened")
    before = sampled.snapshot()
    assert before["qa_review"] and before["qa_penalty"] and before["whistle_report"]
    sampled.rebuild_projections()
    assert sampled.snapshot() == before
