"""The demo store holds complaints at every stage of the clock (trainer scenarios, screenshots)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from csdesk.data.api import StoreMode
from csdesk.data.demo_seed import DemoSize, seed_demo
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock

NOW = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)  # Monday 11:30 in China


def test_demo_complaints_cover_every_stage(tmp_path: Path) -> None:
    """DOMAIN.md clock: some due ≤ 3 days, paused, extended, major, decided, closed; rebuild gives the same."""
    store = Store.open(tmp_path / "demo.sqlite3", desk_id="DEMO", mode=StoreMode.DEMO, clock=FrozenClock(NOW))
    try:
        seed_demo(store, seed=7, size=DemoSize(customers=120, tickets=600, days=30))
        rows = store.complaints.list("wu.hong")
        statuses = Counter(r.status for r in rows)
        assert statuses["open"] and statuses["decided"] and statuses["closed"]
        assert any(r.paused for r in rows) and any(r.major for r in rows)
        assert any(r.allowed_days == 30 for r in rows)
        assert any(r.due_soon for r in rows)
        assert all(r.accepted_at < NOW for r in rows)
        before = store.snapshot()
        store.rebuild_projections()
        assert store.snapshot() == before
    finally:
        store.close()
