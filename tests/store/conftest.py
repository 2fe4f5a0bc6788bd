"""Fixtures for tests of the store gateway: a frozen clock, a desk with every role, a customer."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from csdesk.data.api import CustomerView
from csdesk.data.store import Store
from csdesk.data.tables import Event
from csdesk.domain.clock import FrozenClock

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DESK = "D01"

#: Users of the ``store`` fixture: id -> role. "sup" is the bootstrap supervisor.
USERS = {
    "sup": "supervisor",
    "lead": "team_lead",
    "agent1": "agent",
    "agent2": "agent",
    "spec": "specialist",
    "qa": "qa",
    "trainer": "trainer",
    "analyst": "analyst",
}

#: A customer with identifiers that pass their checks (GB 11643 check digit, Luhn).
PHONE = "13812345678"
ID_NUMBER = "110101199003071233"
CARD = "6222021234567891233"
CUSTOMER_NAME = "张伟明"


def make_store(path: Path, clock: FrozenClock, desk_id: str = DESK) -> Store:
    """Open a store at ``path`` and add the users of :data:`USERS`."""
    store = Store.open(path, desk_id=desk_id, clock=clock)
    store.add_user(None, "sup", "Supervisor Sun", "supervisor", "A")
    for user_id, role in USERS.items():
        if user_id != "sup":
            store.add_user("sup", user_id, f"{role.title()} {user_id}", role, "A")
    return store


def events(store: Store) -> list[Event]:
    """Every event row of the store, in desk_seq order."""
    with store._engine.connect() as conn:
        return list(conn.execute(select(Event.__table__).order_by(Event.__table__.c.desk_seq)))


def event_count(store: Store) -> int:
    """How many events the store holds."""
    with store._engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Event.__table__)).scalar() or 0)


def raw_sql(path: Path, *statements: str) -> None:
    """Run ``statements`` on the SQLite file with the plain sqlite3 module and commit."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()




@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture(scope="session")
def desk_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store file with the users of :data:`USERS`, built once (migrations are slow)."""
    path = tmp_path_factory.mktemp("template") / "desk.sqlite3"
    make_store(path, FrozenClock(START)).close()
    assert not Path(f"{path}-wal").exists()  # closed cleanly: everything is in the main file
    return path


@pytest.fixture
def store(tmp_path: Path, clock: FrozenClock, desk_template: Path) -> Iterator[Store]:
    """``Store.open(tmp_path / "desk.sqlite3", desk_id="D01", clock=clock)`` holding the users of :data:`USERS`.

    The file is a copy of :func:`desk_template`, which :func:`make_store` built with the same
    clock, so the store is as if the users had just been added here.
    """
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(desk_template, path)
    store = Store.open(path, desk_id=DESK, clock=clock)
    assert {user.id: user.role for user in store.list_users()} == USERS
    yield store
    store.close()


@pytest.fixture
def customer(store: Store) -> CustomerView:
    return store.create_customer("agent1", name=CUSTOMER_NAME, phone=PHONE, id_number=ID_NUMBER, card_no=CARD)
