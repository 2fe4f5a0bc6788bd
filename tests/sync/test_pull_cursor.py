"""The pull cursor walks transaction ids in numeric order, page after page.

Rule (docs/sync.md, "Pull, and why the cursor cannot skip"): rows are read in
``(xid, server_seq)`` order from the saved cursor, so a page boundary never skips a row.
The order must be the numeric one of ``xid8``: ordered as text, transaction 10 would
come before transaction 9 and a cursor saved inside transaction 10's rows would pass
over all of transaction 9's.
"""

from __future__ import annotations

import psycopg
import pytest

from csdesk.sync.pull import pull
from csdesk.sync.push import push
from csdesk.sync.server import connect
from tests.sync.conftest import DeskFactory, seed_users

pytestmark = pytest.mark.pg


def test_pages_follow_numeric_transaction_order(shared_url: str, new_desk: DeskFactory) -> None:
    """Six events in transactions 9 and 10 ("10" < "9" as text), pulled two per page: all six arrive."""
    a, b = new_desk("A"), new_desk("B")
    seed_users(a)
    a.create_customer("agent1", name="张伟明", phone="13812345678")
    a.create_customer("agent1", name="李娜", phone="13900001111")
    a.create_customer("agent1", name="赵敏", phone="13600003333")
    with connect(shared_url) as conn:
        assert push(conn, a).pushed == 6
    with psycopg.connect(shared_url) as conn:
        conn.execute("UPDATE events SET xid = (CASE WHEN desk_seq <= 3 THEN '9' ELSE '10' END)::xid8")
    with connect(shared_url) as conn:
        report = pull(conn, b, page=2)
    assert report.applied == 6
    assert len(b.list_users()) == 3 and len(b.snapshot()["customer"]) == 3
