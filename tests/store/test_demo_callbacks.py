"""Demo callbacks: the trainee's day (overdue, due now, upcoming) and done ones with scores."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from csdesk.data.demo_seed import DEMO_TRAINEE, seed_demo
from csdesk.data.store import Store
from tests.store.test_demo_seed import NOW, SMALL, open_store, stable


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(tmp_path_factory.mktemp("demo-callbacks") / "demo.sqlite3")
    seed_demo(store, seed=7, size=SMALL)
    yield store
    store.close()


def test_trainee_has_work_today(demo: Store) -> None:
    """Demo: the trainee opens F5 to callbacks overdue, due now and upcoming."""
    today = demo.callbacks.today(DEMO_TRAINEE, assignee_id=DEMO_TRAINEE)
    assert today.overdue and today.due_now and today.upcoming
    assert demo.callbacks.overdue_count(DEMO_TRAINEE, DEMO_TRAINEE) == len(today.overdue)


def test_history_has_done_callbacks_with_scores(demo: Store) -> None:
    """Demo: earlier callbacks were made, mostly reached with a 1-5 score; follow-ups ended satisfied."""
    done = demo.callbacks.find(DEMO_TRAINEE, statuses=("done",), limit=10_000)
    assert len(done) >= 10
    assert all(1 <= (cb.score or 1) <= 5 for cb in done)
    assert Counter(cb.outcome for cb in done)["reached"] > len(done) / 2
    assert all((cb.score or 5) >= 3 for cb in done if cb.purpose == "complaint_follow_up")
    rows = {(r.scope, r.key): r for r in demo.callbacks.completion(DEMO_TRAINEE)}
    assert rows["desk", "DEMO"].due >= len(done)


def test_demo_callbacks_rebuild_and_stay_before_now(demo: Store) -> None:
    """Demo callbacks are events: the rebuild gives the same rows; none was made after now."""
    before = stable(demo.snapshot())
    demo.rebuild_projections()
    assert stable(demo.snapshot()) == before
    assert all(cb.completed_at is None or cb.completed_at < NOW for cb in demo.callbacks.find(
        DEMO_TRAINEE, statuses=("done",), limit=10_000))
