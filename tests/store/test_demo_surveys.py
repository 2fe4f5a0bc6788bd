"""Demo survey campaigns: last quarter's closed with results, this quarter's in progress (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from csdesk.data.api import StoreMode
from csdesk.data.demo_seed import SUPERVISOR, DemoSize, plan_demo_events, seed_demo
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock

NOW = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)  # Monday 11:30 in China, Q4
SIZE = DemoSize(customers=80, tickets=300, days=90)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("demo-surveys") / "demo.sqlite3", desk_id="DEMO",
                       mode=StoreMode.DEMO, clock=FrozenClock(NOW))
    seed_demo(store, seed=7, size=SIZE)
    yield store
    store.close()


def test_last_quarter_closed_and_this_quarter_in_progress(demo: Store) -> None:
    """A newcomer sees the trend: Q3 surveyed and closed, Q4 launched with answers so far and calls to come."""
    q4, q3 = demo.surveys.list(SUPERVISOR)
    assert (q3.name, q3.status) == ("2026-Q3 满意度调查", "closed")
    assert (q4.name, q4.status) == ("2026-Q4 满意度调查", "launched")
    assert q3.answered > 0.7 * q3.sampled and 0 < q4.answered < q4.sampled
    results = demo.surveys.results(SUPERVISOR, q4.id)
    assert [p.quarter for p in results.trend] == ["2026-Q3", "2026-Q4"]
    assert all(p.csat.share is not None for p in results.trend)
    assert len(results.by_agent) >= 3 and all(row.sampled >= 1 for row in results.by_agent)
    open_calls = [cb for cb in demo.callbacks.find(SUPERVISOR, limit=10_000) if cb.note.endswith(q4.name)]
    assert open_calls and all(cb.due_at > NOW for cb in open_calls)


def test_demo_survey_projections_rebuild(demo: Store) -> None:
    before = demo.snapshot()
    assert before["survey_campaign"] and before["survey_member"]
    demo.rebuild_projections()
    assert demo.snapshot()["survey_member"] == before["survey_member"]
    assert demo.snapshot()["survey_campaign"] == before["survey_campaign"]


def test_demo_plan_is_deterministic() -> None:
    first = [(e.kind, e.entity_id) for e in plan_demo_events("DEMO", now=NOW, size=SIZE) if e.entity == "survey"]
    again = [(e.kind, e.entity_id) for e in plan_demo_events("DEMO", now=NOW, size=SIZE) if e.entity == "survey"]
    assert first == again and len(first) == 5  # two defined, two launched, one closed
