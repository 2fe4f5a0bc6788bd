"""Opening and upgrading the local store; refusing files that are not ours, untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from csdesk.data import migrate
from csdesk.data.api import StoreMode
from csdesk.data.engine import create_store_engine
from csdesk.data.store import Store
from csdesk.data.tables import SQLModel
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import StoreUnavailable
from tests.store.conftest import raw_sql


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master"))
    finally:
        conn.close()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_store_engine(tmp_path / "fresh.sqlite3")
    yield engine
    engine.dispose()


@pytest.fixture
def store_file(tmp_path: Path, clock: FrozenClock) -> Path:
    """A closed live store of desk D01 with one user."""
    path = tmp_path / "existing.sqlite3"
    store = Store.open(path, desk_id="D01", clock=clock)
    store.add_user(None, "sup", "Supervisor Sun", "supervisor")
    store.close()
    assert not Path(f"{path}-wal").exists()
    return path


def test_upgrade_from_empty_creates_every_table(engine: Engine) -> None:
    assert migrate.current_revision(engine) is None
    applied = migrate.upgrade(engine)
    assert applied and applied[-1] == migrate.head_revision()
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    # kb_fts (FTS5, raw SQL in revision 0002) and its shadow tables are not models.
    fts = {name for name in tables if name == "kb_fts" or name.startswith("kb_fts_")}
    assert fts >= {"kb_fts"}
    assert tables - fts == set(SQLModel.metadata.tables) | {"alembic_version"}
    for name, table in SQLModel.metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == {c.name for c in table.columns}, name
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == [
            migrate.head_revision()
        ]


def test_upgrading_twice_is_a_no_op(engine: Engine, tmp_path: Path) -> None:
    migrate.upgrade(engine)
    before = schema(tmp_path / "fresh.sqlite3")
    assert migrate.pending_revisions(engine) == []
    assert migrate.upgrade(engine) == []
    assert schema(tmp_path / "fresh.sqlite3") == before
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_reopening_a_store_keeps_its_data(store_file: Path, clock: FrozenClock) -> None:
    store = Store.open(store_file, desk_id="D01", clock=clock)
    try:
        assert [u.id for u in store.list_users()] == ["sup"]
        assert store.info().schema_revision == migrate.head_revision()
        assert store.info().events == 1
    finally:
        store.close()


def test_newer_schema_is_refused_untouched(store_file: Path, clock: FrozenClock) -> None:
    raw_sql(store_file, "UPDATE alembic_version SET version_num = '9999'")
    before = digest(store_file)
    with pytest.raises(StoreUnavailable, match="newer"):
        Store.open(store_file, desk_id="D01", clock=clock)
    assert digest(store_file) == before
    with pytest.raises(StoreUnavailable, match="newer"):
        Store.open(store_file, desk_id="D01", clock=clock)
    assert digest(store_file) == before


def test_non_sqlite_file_is_refused_untouched(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Dear diary,\n" * 500)
    before = digest(path)
    with pytest.raises(StoreUnavailable, match="not a SQLite"):
        Store.open(path, desk_id="D01", clock=clock)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_corrupt_sqlite_file_is_refused_untouched(store_file: Path, clock: FrozenClock) -> None:
    data = bytearray(store_file.read_bytes())
    assert data[:16] == b"SQLite format 3\x00"
    assert len(data) > 4096
    data[100:4096] = b"\xff" * (4096 - 100)
    store_file.write_bytes(bytes(data))
    before = digest(store_file)
    with pytest.raises(StoreUnavailable) as info:
        Store.open(store_file, desk_id="D01", clock=clock)
    assert "damaged" in info.value.message
    assert "Traceback" not in info.value.message
    assert digest(store_file) == before


def test_directory_is_refused(tmp_path: Path, clock: FrozenClock) -> None:
    with pytest.raises(StoreUnavailable, match="directory"):
        Store.open(tmp_path, desk_id="D01", clock=clock)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory_is_refused(tmp_path: Path, clock: FrozenClock) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreUnavailable):
            Store.open(locked / "desk.sqlite3", desk_id="D01", clock=clock)
        with pytest.raises(StoreUnavailable):
            Store.open(locked / "sub" / "desk.sqlite3", desk_id="D01", clock=clock)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("desk_id", ["", "D 01", "D01;drop", "D01\n", "../x"])
def test_invalid_desk_id_is_refused(tmp_path: Path, clock: FrozenClock, desk_id: str) -> None:
    with pytest.raises(StoreUnavailable, match="desk id"):
        Store.open(tmp_path / "desk.sqlite3", desk_id=desk_id, clock=clock)
    assert not (tmp_path / "desk.sqlite3").exists()


def test_wal_and_full_sync_are_on(store_file: Path, clock: FrozenClock) -> None:
    store = Store.open(store_file, desk_id="D01", clock=clock)
    try:
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def test_demo_store_is_never_opened_as_live(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "demo.sqlite3"
    Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO, clock=clock).close()
    before = digest(path)
    with pytest.raises(StoreUnavailable, match="demo"):
        Store.open(path, desk_id="DEMO", clock=clock)
    assert digest(path) == before
    reopened = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO, clock=clock)
    assert reopened.mode is StoreMode.DEMO
    reopened.close()


def test_live_store_is_never_opened_as_demo(store_file: Path, clock: FrozenClock) -> None:
    before = digest(store_file)
    with pytest.raises(StoreUnavailable, match="live"):
        Store.open(store_file, desk_id="DEMO", mode=StoreMode.DEMO, clock=clock)
    assert digest(store_file) == before


def test_store_keeps_its_desk_id(store_file: Path, clock: FrozenClock) -> None:
    store = Store.open(store_file, desk_id="OTHER-DESK", clock=clock)
    try:
        assert store.desk_id == "D01"
        assert store.info().desk_id == "D01"
        store.add_user("sup", "agent1", "Agent One", "agent")
        rows = sqlite3.connect(store_file).execute("SELECT DISTINCT desk_id FROM event").fetchall()
        assert rows == [("D01",)]
        assert store.verify_audit().ok
    finally:
        store.close()


def test_head_constant_matches_the_migration_scripts() -> None:
    """A store at HEAD_REVISION skips Alembic on open, so the constant must name the newest script."""
    from csdesk.data import migrate

    assert migrate.head_revision() == migrate.HEAD_REVISION


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    """The schema the app runs on comes from migrations only; it must match the SQLModel tables."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from csdesk.data.store import Store
    from csdesk.data.tables import SQLModel

    store = Store.open(tmp_path / "fresh.sqlite3", desk_id="D01")
    with store._engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = [d for d in compare_metadata(context, SQLModel.metadata) if "kb_fts" not in str(d)]
    store.close()
    assert diff == []
