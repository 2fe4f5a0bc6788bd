"""Demo mode cannot write to a real desk store nor reach the shared database."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest

from csdesk.data.api import StoreMode
from csdesk.data.store import Store
from csdesk.data.sync_guard import assert_may_sync, may_sync
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import StoreUnavailable
from csdesk.launch import Launch, open_desk
from tests.store.conftest import make_store
from tests.trainer.conftest import START, TRAINER

SHARED = "postgresql://csdesk@db.internal:5432/csdesk"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def live_store(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    make_store(path, FrozenClock(START)).close()
    return path


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt to open a network connection is recorded and fails."""
    attempts: list[str] = []

    def refuse(*args: object, **_kwargs: object) -> None:
        attempts.append(repr(args[-1] if args else ""))
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_a_demo_store_never_syncs() -> None:
    """ARCHITECTURE.md: demo mode never syncs; the guard the sync engine calls refuses a demo store."""

    class Fake:
        def __init__(self, mode: StoreMode) -> None:
            self.mode = mode

    assert may_sync(Fake(StoreMode.LIVE))
    assert_may_sync(Fake(StoreMode.LIVE))
    assert not may_sync(Fake(StoreMode.DEMO))
    with pytest.raises(StoreUnavailable, match="never syncs"):
        assert_may_sync(Fake(StoreMode.DEMO))


def test_demo_and_live_stores_refuse_each_other(live_store: Path, tmp_path: Path) -> None:
    """A live store is never opened in demo mode and a demo store never as a desk's store; neither is changed."""
    before = digest(live_store)
    with pytest.raises(StoreUnavailable, match="live desk store"):
        Store.open(live_store, desk_id="DEMO", mode=StoreMode.DEMO)
    assert digest(live_store) == before

    demo_path = tmp_path / "demo.sqlite3"
    Store.open(demo_path, desk_id="DEMO", mode=StoreMode.DEMO).close()
    with pytest.raises(StoreUnavailable, match="demo store"):
        Store.open(demo_path, desk_id="D01")


def test_a_whole_demo_session_leaves_the_desk_store_alone_and_opens_no_connection(
    live_store: Path, tmp_path: Path, no_network: list[str]
) -> None:
    """csdesk demo with a desk store and a shared database configured: seeds its own file, runs a scenario,
    scores it, and neither touches the desk's store nor opens any network connection."""
    before = digest(live_store)
    overrides = {
        "store_path": live_store,
        "demo_store_path": tmp_path / "demo.sqlite3",
        "shared_db_url": SHARED,
        "user": TRAINER,
    }
    desk = open_desk(Launch(overrides=overrides, demo=True, demo_customers=10, demo_tickets=20))
    try:
        assert desk.is_demo and desk.store.path == tmp_path / "demo.sqlite3"
        with pytest.raises(StoreUnavailable):
            assert_may_sync(desk.store)
        run = desk.store.trainer.start(TRAINER, "suspected-fraud")
        desk.store.trainer.tick(TRAINER, run.id)
        assert desk.store.trainer.score(TRAINER, run.id).results
    finally:
        desk.store.close()
    assert no_network == []
    assert digest(live_store) == before
    with pytest.raises(OSError):  # the guard itself works: a connection attempt would have been seen
        socket.create_connection(("127.0.0.1", 5432))
    assert len(no_network) == 1
