"""Staff numbers (工号): set by supervisors, carried by events, kept through upgrades and rebuilds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from csdesk.data import migrate
from csdesk.data.engine import create_store_engine
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import ValidationError
from tests.store.conftest import event_count


def test_a_user_is_added_with_a_staff_number_and_it_survives_a_rebuild(store: Store) -> None:
    added = store.add_user("sup", "new.hire", "New Hire", "agent", "Team 1", staff_no=" 2048 ")
    assert added.staff_no == "2048"
    assert store.set_staff_no("sup", "agent1", "SH-0417").staff_no == "SH-0417"
    before = store.snapshot()
    store.rebuild_projections()
    assert store.snapshot() == before
    assert store.get_user("agent1").staff_no == "SH-0417"


def test_a_bad_staff_number_is_refused_and_nothing_is_written(store: Store) -> None:
    events = event_count(store)
    with pytest.raises(ValidationError, match="staff number"):
        store.set_staff_no("sup", "agent1", "agent1@branch")
    with pytest.raises(ValidationError, match="staff number"):
        store.add_user("sup", "new.hire", "New Hire", "agent", staff_no="工号 7")
    assert event_count(store) == events
    assert store.get_user("agent1").staff_no == ""


def test_users_of_an_older_store_get_an_empty_staff_number(tmp_path: Path, clock: FrozenClock) -> None:
    """A store at revision 0009 with users upgrades to 0010; the users stay, without a staff number."""
    path = tmp_path / "old.sqlite3"
    engine = create_store_engine(path)
    with engine.connect() as conn:
        config = migrate._config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
        conn.commit()
    engine.dispose()
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO user (id, name, role, team, active, created_at, availability, skills) "
            "VALUES ('li.na', '李娜', 'agent', '', 1, '2026-11-23 09:00:00.000000', 'available', '')"
        )
    store = Store.open(path, desk_id="D01", clock=clock)
    try:
        assert migrate.current_revision(store._engine) == "0010"
        assert store.get_user("li.na").staff_no == ""
    finally:
        store.close()
