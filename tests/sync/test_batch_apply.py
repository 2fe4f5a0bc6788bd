"""Applying a pulled page in bulk gives the reducer's projections.

Rule (issue "sync speed", docs/sync.md "Applying a page"): a page of other desks' events
is applied in one pass (new tickets folded in memory and written with multi-row
inserts, every other event through the reducer); the projections must be those of the
reducer applying the same events one by one, and those of ``rebuild_projections()``.
"""

from __future__ import annotations

import pytest

from csdesk.data import batch_apply
from csdesk.data.eventlog import EventData
from csdesk.data.store import Store
from csdesk.data.sync_ledger import CURSOR_KEY, META_UPSERT, Cursor, check_page
from tests.sync.conftest import DeskFactory
from tests.sync.history import mixed_history

#: What each desk saw arrive late differs by arrival order, not by the way of applying.
PER_DESK = ("merge_conflict",)


def _pages(events: list[EventData], size: int) -> list[list[EventData]]:
    return [events[i : i + size] for i in range(0, len(events), size)]


def _apply_each(store: Store, page: list[EventData], cursor: Cursor) -> None:
    """The event-by-event path (one savepoint per event), with the cursor saved alike."""
    ledger = store.sync
    with store._lock, ledger._writer() as conn, conn.begin():
        ledger._apply_each(conn, check_page(page))
        conn.execute(META_UPSERT, {"key": CURSOR_KEY, "value": cursor.encode()})


def _bulk_only(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The store's pulled pages must take the bulk path: the one-by-one fallback fails the test."""

    def no_fallback(*_args: object) -> None:
        raise AssertionError("the bulk path failed and the page fell back to one by one")

    monkeypatch.setattr(store.sync, "_apply_each", no_fallback)
    return store


@pytest.fixture
def history(new_desk: DeskFactory) -> list[EventData]:
    return mixed_history(new_desk)


def test_the_history_exercises_the_bulk_path(history: list[EventData], new_desk: DeskFactory) -> None:
    """The mixed history holds new tickets the bulk path folds and events it leaves to the reducer."""
    store = new_desk("X")
    with store._read() as conn:
        new, rest = batch_apply.split_new_tickets(conn, history)
    assert len(new) >= 3
    assert {"conflict.resolved", "complaint.logged", "callback.attempted", "sla.policy_set"} <= {e.kind for e in rest}
    kinds = {ev.kind for evs in new.values() for ev in evs}
    assert {"ticket.created", "ticket.assigned", "ticket.status_changed", "ticket.reopened"} <= kinds


@pytest.mark.parametrize("size", [7, 40, 10_000])
def test_bulk_page_equals_event_by_event_and_rebuild(
    history: list[EventData], new_desk: DeskFactory, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same pages, bulk vs one by one: identical projections, and both equal a rebuild from the log."""
    bulk, each = _bulk_only(new_desk("X"), monkeypatch), new_desk("Y")
    for n, page in enumerate(_pages(history, size), start=1):
        bulk.sync.apply_pulled(page, Cursor(1, n))
        _apply_each(each, page, Cursor(1, n))
    got, expected = bulk.snapshot(), each.snapshot()
    assert got["ticket"] and got["ticket_note"] and got["complaint"] and got["callback"]
    for name in expected:
        if name not in PER_DESK:
            assert got[name] == expected[name], name
    bulk.rebuild_projections()
    rebuilt = bulk.snapshot()
    for name in rebuilt:
        if name not in PER_DESK:
            assert rebuilt[name] == got[name], name


def test_bulk_page_in_hlc_order_records_the_same_conflicts(
    history: list[EventData], new_desk: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delivered in HLC order, bulk and one-by-one also agree on merge_conflict (and on its resolution)."""
    ordered = sorted(history, key=lambda ev: (ev.hlc, ev.event_id))
    bulk, each = _bulk_only(new_desk("X"), monkeypatch), new_desk("Y")
    for n, page in enumerate(_pages(ordered, 25), start=1):
        bulk.sync.apply_pulled(page, Cursor(1, n))
        _apply_each(each, page, Cursor(1, n))
    assert bulk.snapshot() == each.snapshot()


def test_replayed_page_changes_nothing(
    history: list[EventData], new_desk: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page delivered twice (a crash before the cursor moved) is skipped as duplicates."""
    store = _bulk_only(new_desk("X"), monkeypatch)
    first = store.sync.apply_pulled(history, Cursor(1, 1))
    before = store.snapshot()
    again = store.sync.apply_pulled(history, Cursor(1, 2))
    assert (again.applied, again.duplicates) == (0, len(history)) and first.applied == len(history)
    assert not first.one_by_one and not again.one_by_one
    assert store.snapshot() == before


def test_a_failing_bulk_page_falls_back_to_one_by_one(
    history: list[EventData], new_desk: DeskFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the bulk write fails, the page is applied event by event with the same result."""
    reference = new_desk("R")
    reference.sync.apply_pulled(history, Cursor(1, 1))

    def boom(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("csdesk.data.sync_ledger.apply_new_tickets", boom)
    store = new_desk("X")
    report = store.sync.apply_pulled(history, Cursor(1, 1))
    assert report.applied == len(history) and not report.quarantined and report.one_by_one
    got, expected = store.snapshot(), reference.snapshot()
    assert {k: v for k, v in got.items() if k not in PER_DESK} == {
        k: v for k, v in expected.items() if k not in PER_DESK
    }
