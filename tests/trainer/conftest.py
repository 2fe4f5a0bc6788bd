"""Fixtures for trainer tests: a small seeded demo store with the knowledge base indexed, a frozen clock."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from csdesk.data.api import StoreMode
from csdesk.data.demo_seed import DemoSize, seed_demo
from csdesk.data.store import Store
from csdesk.domain.clock import Clock, FrozenClock
from tests.kb.conftest import KB_DIR

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in China: the morning peak
TRAINER = "david.wong"
TRAINEE = "li.na"


def open_demo(path: Path, clock: Clock) -> Store:
    return Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO, clock=clock)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed demo store: 20 customers, 40 tickets over 10 days, every KB article indexed."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    store = open_demo(path, FrozenClock(START))
    seed_demo(store, seed=7, size=DemoSize(customers=20, tickets=40, days=10))
    assert not store.kb.reindex(KB_DIR).errors
    store.close()
    return path


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def copy_demo(template: Path, path: Path, clock: Clock) -> Store:
    """A copy of the demo ``template`` at ``path``, opened on ``clock``."""
    shutil.copyfile(template, path)
    return open_demo(path, clock)


@pytest.fixture
def demo(tmp_path: Path, demo_template: Path, clock: FrozenClock) -> Iterator[Store]:
    """A copy of the demo template, opened on the frozen ``clock``."""
    store = copy_demo(demo_template, tmp_path / "demo.sqlite3", clock)
    yield store
    store.close()
