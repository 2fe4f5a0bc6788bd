"""Fixtures for sync tests: an initialised shared database and desks on fresh local stores."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from csdesk.data import migrate
from csdesk.data.engine import create_store_engine
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.sync.schema import init_shared

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
#: Projections that must be equal on every desk once all have synced (merge_conflict records
#: what each desk saw arrive late, so it legitimately differs).
CONVERGING = (
    "ticket_note", "ticket", "customer", "user", "field_clock", "deferred_event", "sla_policy",
    "complaint", "complaint_step", "callback",
)

DeskFactory = Callable[..., Store]


@pytest.fixture(scope="session")
def empty_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated store file nobody has opened as a desk yet (copying it skips the migrations)."""
    path = tmp_path_factory.mktemp("sync-template") / "empty.sqlite3"
    engine = create_store_engine(path)
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def shared_url(pg_url: str) -> str:
    """A fresh shared database with the csdesk schema."""
    init_shared(pg_url)
    return pg_url


@pytest.fixture
def new_desk(tmp_path: Path, empty_store_template: Path) -> Iterator[DeskFactory]:
    """``new_desk("A", clock=...)`` opens a fresh desk store; all are closed after the test."""
    opened: list[Store] = []

    def make(desk_id: str, clock: Any = None) -> Store:
        path = tmp_path / f"{desk_id}.sqlite3"
        shutil.copyfile(empty_store_template, path)
        store = Store.open(path, desk_id=desk_id, clock=clock or FrozenClock(START))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def converged_view(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The projections that must be identical on every desk after a full sync."""
    snap = store.snapshot()
    return {name: snap[name] for name in CONVERGING}


def seed_users(store: Store) -> None:
    """A supervisor and two agents, created on ``store``."""
    store.add_user(None, "sup", "Supervisor Sun", "supervisor", "A")
    store.add_user("sup", "agent1", "Agent One", "agent", "A")
    store.add_user("sup", "agent2", "Agent Two", "agent", "A")
