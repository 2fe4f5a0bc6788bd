"""A desk store holding one merge conflict (for the conflicts screen tests and snapshot)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csdesk.data.store import Store
from csdesk.data.sync_ledger import Cursor
from tests.ui.helpers import frozen_clock, make_desk_store


def make_store_with_conflict(path: Path) -> None:
    """Desk D01 and desk D02 assign the same ticket concurrently; D02's older choice arrives late."""
    clock = frozen_clock()
    store = make_desk_store(path, clock)
    other = Store.open(path.with_name("other.sqlite3"), desk_id="D02", clock=clock)
    other.sync.apply_pulled(store.sync.pending(1000), Cursor(1, 1))
    ticket = sorted(store.list_tickets("sup"), key=lambda t: t.ref)[0]
    clock.advance(timedelta(seconds=1))
    other.assign_ticket("sup", ticket.id, "li")
    clock.advance(timedelta(seconds=1))
    store.assign_ticket("sup", ticket.id, "lead")
    store.sync.apply_pulled([ev for ev in other.sync.pending(1000) if ev.desk_id == "D02"], Cursor(1, 2))
    other.close()
    store.close()
