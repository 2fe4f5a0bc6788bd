"""A desk id reused by a new store: its events are quarantined, never silently dropped.

Rule (docs/sync.md, Push step 3): an event whose ``(desk_id, desk_seq)`` the shared log
already holds under another event id is quarantined with the reason and acknowledged; the
rest of the batch goes in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.sync.push import push
from csdesk.sync.server import connect
from tests.sync.conftest import START, DeskFactory, seed_users

pytestmark = pytest.mark.pg


def test_reused_desk_id_is_quarantined(
    shared_url: str, new_desk: DeskFactory, empty_store_template: Path, tmp_path: Path
) -> None:
    """Desk A's three users are in the log; a new store also called A writes four: three clash, one goes in."""
    first = new_desk("A")
    seed_users(first)
    with connect(shared_url) as conn:
        assert push(conn, first).pushed == 3
    path = tmp_path / "A-again.sqlite3"
    shutil.copyfile(empty_store_template, path)
    again = Store.open(path, desk_id="A", clock=FrozenClock(START))
    seed_users(again)
    again.add_user("sup", "agent3", "Agent Three", "agent", "A")
    with connect(shared_url) as conn:
        report = push(conn, again)
    assert report.pushed == 1
    assert [reason for _, reason in report.quarantined] == [
        "the shared log already holds another event with this desk and sequence (desk id reused?)"
    ] * 3
    with psycopg.connect(shared_url) as conn:
        assert conn.execute("SELECT count(*) FROM quarantine").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (4,)
    assert again.sync.state().pending == 0
    again.close()
