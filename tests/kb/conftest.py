"""Fixtures for knowledge-base tests: a desk store with every role and the shipped articles indexed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from tests.store.conftest import DESK, START, make_store

KB_DIR = Path(__file__).resolve().parent.parent.parent / "knowledge_base"


@pytest.fixture(scope="session")
def kb_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store with the users of tests.store.conftest.USERS and all 84 articles indexed."""
    path = tmp_path_factory.mktemp("kb-template") / "desk.sqlite3"
    store = make_store(path, FrozenClock(START))
    report = store.kb.reindex(KB_DIR)
    assert report.added == 84 and not report.errors
    store.close()
    return path


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def kb_store(tmp_path: Path, kb_template: Path, clock: FrozenClock) -> Iterator[Store]:
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(kb_template, path)
    store = Store.open(path, desk_id=DESK, clock=clock)
    yield store
    store.close()
