"""Store tests of survey campaigns (store.surveys): define, preview, launch, answers, results, refusals.

Rules: issue 12 "Satisfaction survey campaigns" and DOMAIN.md ("quarterly survey of served
customers"; KPI CSAT "% satisfied (4–5)", target 65 % → 75 %).
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from csdesk.data.store import Store
from csdesk.data.survey_reducer import SURVEY_MEMBER
from csdesk.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tests.store.conftest import event_count, events
from tests.store.survey_data import SERVED, define, serve_customers

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def owners(store: Store) -> dict[str, str]:
    """Ten customers served this month: agent1 six, agent2 three, spec one."""
    return serve_customers(store)


def _members(store: Store, campaign_id: str) -> list[tuple[str, str, str, str]]:
    with store._read() as conn:
        rows = conn.execute(select(SURVEY_MEMBER).where(SURVEY_MEMBER.c.campaign_id == campaign_id))
        return sorted((r.customer_id, r.agent_id, r.callback_id, r.caller_id) for r in rows)


def test_only_a_supervisor_defines_and_the_refusal_is_audited(store: Store, owners: dict[str, str]) -> None:
    with pytest.raises(PermissionDenied):
        store.surveys.define("lead", name="Q4", start="2026-11-01", end="2026-11-23", sample_size=5)
    assert events(store)[-1].kind == "access.denied"
    with pytest.raises(PermissionDenied):
        store.surveys.list("agent1")
    campaign = store.surveys.get("analyst", define(store))
    assert campaign.status == "defined" and campaign.seed > 0 and len(campaign.questions) == 3


def test_preview_measures_every_agent_proportionally(store: Store, owners: dict[str, str]) -> None:
    """Stratified by agent: 5 of 10 → agent1 3 (ideal 3), agent2 1 (1.5), spec 1 (0.5 → at least one)."""
    preview = store.surveys.preview_campaign("sup", define(store))
    assert (preview.population, preview.sample) == (10, 5)
    assert [(a.agent_id, a.served, a.sampled) for a in preview.agents] == [
        ("agent1", 6, 3), ("agent2", 3, 1), ("spec", 1, 1),
    ]


def test_do_not_contact_and_recently_surveyed_customers_are_left_out(store: Store, owners: dict[str, str]) -> None:
    """Do-not-contact is respected; survey fatigue: anyone surveyed in the last 90 days is left out."""
    blocked, recent, *_ = sorted(owners)
    store.callbacks.set_contact_prefs("agent1", blocked, do_not_contact=True)
    store.callbacks.schedule("agent1", purpose="satisfaction_survey", customer_id=recent, due="2026-11-24 10:00")
    preview = store.surveys.preview_campaign("sup", define(store))
    assert (preview.population, preview.excluded_dnc, preview.excluded_recent) == (8, 1, 1)
    launched = store.surveys.launch("sup", define(store, name="again"))
    assert blocked not in {m[0] for m in _members(store, launched.id)}
    assert recent not in {m[0] for m in _members(store, launched.id)}


def test_empty_population_names_the_filters(store: Store, owners: dict[str, str]) -> None:
    campaign_id = define(store, kinds=["complaint"], businesses=["loan"])
    with pytest.raises(ValidationError, match=r"No customer was served .*2026-11-01 to 2026-11-23; kinds complaint; "
                                              r"businesses loan"):
        store.surveys.launch("sup", campaign_id)
    assert store.surveys.get("sup", campaign_id).status == "defined"


def test_a_period_long_past_is_not_launched(store: Store, owners: dict[str, str]) -> None:
    campaign_id = define(store, name="Q2", start="2026-04-01", end="2026-06-30")
    with pytest.raises(ValidationError, match="more than 92 days ago"):
        store.surveys.launch("sup", campaign_id)
    assert store.surveys.get("sup", campaign_id).status == "defined"


def test_sample_larger_than_population_gives_both_numbers(store: Store, owners: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="sample of 11 exceeds the population: only 10"):
        store.surveys.preview_campaign("sup", define(store, sample_size=11))


def test_bad_definitions_are_refused_with_the_rule(store: Store) -> None:
    with pytest.raises(ValidationError, match="start before it ends"):
        store.surveys.define("sup", name="x", start="2026-11-20", end="2026-11-01", sample_size=1)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        store.surveys.define("sup", name="x", start="1 Nov", end="2026-11-20", sample_size=1)
    with pytest.raises(ValidationError, match="kind"):
        store.surveys.define("sup", name="x", start="2026-11-01", end="2026-11-20", sample_size=1, kinds=["pizza"])
    with pytest.raises(NotFound):
        store.surveys.define("sup", name="x", start="2026-11-01", end="2026-11-20", sample_size=1, agents=["ghost"])


def test_launch_schedules_every_survey_call_in_one_write(store: Store, owners: dict[str, str]) -> None:
    """One write: survey.launched and a satisfaction_survey callback per sampled customer, spread over
    agents and working days inside the contact window, never by the agent who served the customer."""
    campaign_id = define(store, call_days=3)
    preview = store.surveys.preview_campaign("sup", campaign_id)
    before = event_count(store)
    launched = store.surveys.launch("sup", campaign_id)
    written = events(store)[before:]
    assert [e.kind for e in written] == ["survey.launched"] + ["callback.scheduled"] * 5
    assert (launched.status, launched.population, launched.sampled) == ("launched", 10, 5)
    members = _members(store, campaign_id)
    assert {a.agent_id: a.sampled for a in preview.agents} == {
        agent: sum(1 for m in members if m[1] == agent) for agent in SERVED
    }
    calls = [store.callbacks.get("sup", m[2]) for m in members]
    assert all(c.purpose == "satisfaction_survey" and c.status == "scheduled" for c in calls)
    assert all(m[3] != m[1] for m in members)
    local = sorted(c.due_at.astimezone(SH) for c in calls)
    assert {d.date().isoformat() for d in local} == {"2026-11-24", "2026-11-25", "2026-11-26"}
    assert all(9 <= d.hour < 20 for d in local)
    with pytest.raises(Conflict, match="already launched"):
        store.surveys.launch("sup", campaign_id)


def test_answers_roll_up_into_csat_per_agent_team_business(store: Store, owners: dict[str, str]) -> None:
    campaign_id = define(store)
    store.surveys.launch("sup", campaign_id)
    members = _members(store, campaign_id)
    first, second, third = members[:3]
    with pytest.raises(ValidationError, match="each of the 3 questions"):
        store.surveys.record_answers(first[3], first[2], [5, 4])
    with pytest.raises(ValidationError, match=r"1 .* to 5"):
        store.surveys.record_answers(first[3], first[2], [6, 4, 4])
    store.surveys.record_answers(first[3], first[2], [5, 4, 3], "很满意\x1b[31m")
    store.surveys.record_answers(second[3], second[2], [4, 4, 4])
    store.surveys.record_answers(third[3], third[2], [2, 3, 1], "等太久")
    attempted = [json.loads(e.payload) for e in events(store) if e.kind == "callback.attempted"]
    assert [a["answers"] for a in attempted] == [[5, 4, 3], [4, 4, 4], [2, 3, 1]]
    assert "\x1b" not in attempted[0]["comment"]
    results = store.surveys.results("qa", campaign_id)
    assert (results.overall.sampled, results.overall.answered, results.overall.satisfied) == (5, 3, 2)
    assert results.overall.share == pytest.approx(2 / 3) and results.overall.mark == "floor"
    assert results.question_means == pytest.approx((11 / 3, 11 / 3, 8 / 3))
    assert sum(row.answered for row in results.by_agent) == 3
    assert [row.key for row in results.by_team] == ["A"] and [row.key for row in results.by_business] == ["deposit"]
    assert [p.quarter for p in results.trend] == ["2026-Q4"]
    listed = store.surveys.get("sup", campaign_id)
    assert (listed.answered, listed.satisfied) == (3, 2) and listed.csat == pytest.approx(2 / 3)


def test_survey_answers_feed_the_csat_kpi(store: Store, owners: dict[str, str]) -> None:
    """DOMAIN.md: survey "results feed KPIs" — the overall score is the callback's score."""
    campaign_id = define(store)
    store.surveys.launch("sup", campaign_id)
    member = _members(store, campaign_id)[0]
    store.surveys.record_answers(member[3], member[2], [5, 2, 2])
    assert store.callbacks.get("sup", member[2]).score == 5


def test_close_and_cancel_end_the_calls_still_to_make(store: Store, owners: dict[str, str]) -> None:
    campaign_id = define(store)
    with pytest.raises(Conflict, match="cancel one that was never launched"):
        store.surveys.close("sup", campaign_id)
    store.surveys.launch("sup", campaign_id)
    member = _members(store, campaign_id)[0]
    store.surveys.record_answers(member[3], member[2], [4, 4, 4])
    with pytest.raises(PermissionDenied):
        store.surveys.close("lead", campaign_id)
    closed = store.surveys.close("sup", campaign_id, "Quarter over")
    assert closed.status == "closed" and closed.answered == 1
    statuses = sorted(store.callbacks.get("sup", m[2]).status for m in _members(store, campaign_id))
    assert statuses == ["cancelled"] * 4 + ["done"]
    other = define(store, name="never")
    with pytest.raises(ValidationError, match="why"):
        store.surveys.cancel("sup", other, " ")
    assert store.surveys.cancel("sup", other, "Duplicate").status == "cancelled"


def test_a_campaign_is_found_by_name_or_id_prefix(store: Store) -> None:
    campaign_id = define(store)
    assert store.surveys.find("sup", "2026 Q4 survey").id == campaign_id
    assert store.surveys.find("sup", campaign_id[:12]).id == campaign_id
    with pytest.raises(NotFound):
        store.surveys.find("sup", "Q9")


def test_rebuild_reproduces_survey_projections(store: Store, owners: dict[str, str]) -> None:
    """Event log is the source of truth: rebuilding gives the same campaign and member rows."""
    campaign_id = define(store)
    store.surveys.launch("sup", campaign_id)
    member = _members(store, campaign_id)[0]
    store.surveys.record_answers(member[3], member[2], [3, 4, 5])
    define(store, name="later")
    before = store.snapshot()
    assert len(before["survey_campaign"]) == 2 and len(before["survey_member"]) == 5
    store.rebuild_projections()
    assert store.snapshot() == before


def test_hostile_names_and_questions_are_sanitised(store: Store) -> None:
    """Terminal escapes and control characters are removed; a 10 MB name is refused, nothing written."""
    campaign = store.surveys.define(
        "sup", name="\x1b]0;pwn\x07Q4\x1b[31m 调查", start="2026-11-01", end="2026-11-23",
        sample_size=1, questions=["总体\x00满意吗？\x1b[2J", "态度？"],
    )
    assert campaign.name == "Q4 调查"
    assert campaign.questions == ("总体满意吗？", "态度？")
    before = event_count(store)
    with pytest.raises(ValidationError, match="limit is 100"):
        store.surveys.define("sup", name="x" * 10_000_000, start="2026-11-01", end="2026-11-23", sample_size=1)
    assert event_count(store) == before
