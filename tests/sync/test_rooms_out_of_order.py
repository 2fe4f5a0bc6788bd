"""Every room parks an event whose row has not arrived yet, and applies it when the row arrives.

Rule (docs/sync.md, "Merging: the reducer and arrival order"): other desks' events arrive
in any order; an event about a complaint, callback or business case that arrives before
the event creating it (``complaint.logged``, ``callback.scheduled``,
``business.case_opened``) is parked in ``deferred_event`` and applied once the row
exists, so the desk ends with the rows of the log replayed in HLC order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from csdesk.data.eventlog import EventData
from csdesk.data.store import Store
from csdesk.data.sync_ledger import Cursor
from csdesk.domain.clock import FrozenClock
from tests.sync.conftest import START, DeskFactory, seed_users
from tests.sync.history import own

ROOM_TABLES = {
    "complaint": ("complaint", "complaint_pause", "complaint_step", "complaint_extension"),
    "callback": ("callback",),
    "business": ("business_case", "business_document"),
}


def _complaint_work(desk: Store, clock: FrozenClock, ticket_id: str, customer_id: str) -> None:
    detail = desk.complaints.log(
        "agent1", ticket_id=ticket_id, customer_id=customer_id, channel="phone", business="credit_card",
        cause="pricing_fees", description="年费被重复扣收", remedy="退还年费", amount_in_dispute="300",
    )
    clock.advance(timedelta(minutes=5))
    desk.complaints.pause("agent1", detail.row.id, "appraisal", "交易鉴定")
    desk.complaints.record_step("agent1", detail.row.id, "called the card centre")
    clock.advance(timedelta(days=2))
    desk.complaints.resume("agent1", detail.row.id)


def _callback_work(desk: Store, clock: FrozenClock, ticket_id: str, customer_id: str) -> None:
    callback = desk.callbacks.schedule("agent1", purpose="satisfaction_survey", customer_id=customer_id, due="+1h")
    clock.advance(timedelta(hours=2))
    desk.callbacks.record_outcome("agent1", callback.id, "no_answer")


def _business_work(desk: Store, clock: FrozenClock, ticket_id: str, customer_id: str) -> None:
    case = desk.business.open_case("agent1", ticket_id, "card_loss")
    clock.advance(timedelta(minutes=3))
    for doc in case.documents:
        desk.business.check_document("agent1", case.id, doc.doc_id, "received")
    clock.advance(timedelta(minutes=3))
    desk.business.pass_to_department("agent1", case.id)


WORK: dict[str, Callable[[Store, FrozenClock, str, str], None]] = {
    "complaint": _complaint_work,
    "callback": _callback_work,
    "business": _business_work,
}
CREATES = {"complaint": "complaint.logged", "callback": "callback.scheduled", "business": "business.case_opened"}


def _room_events(new_desk: DeskFactory, room: str) -> list[EventData]:
    clock = FrozenClock(START)
    desk = new_desk("A", clock)
    seed_users(desk)
    customer = desk.create_customer("agent1", name="李娜", phone="13900001111")
    ticket = desk.create_ticket("agent1", kind="business", channel="phone", subject="挂失", customer_id=customer.id)
    desk.claim_ticket("agent1", ticket.id)
    clock.advance(timedelta(minutes=1))
    WORK[room](desk, clock, ticket.id, customer.id)
    return own(desk)


def _rows(store: Store, room: str) -> dict[str, list[tuple[object, ...]]]:
    snap = store.snapshot()
    return {name: snap[name] for name in (*ROOM_TABLES[room], "deferred_event")}


@pytest.mark.parametrize("room", sorted(ROOM_TABLES))
def test_event_before_its_row_is_parked_then_applied(new_desk: DeskFactory, room: str) -> None:
    """The room's later events arrive first: parked, nothing written; its create arrives: all applied."""
    events = _room_events(new_desk, room)
    reference = new_desk("R")
    reference.sync.apply_pulled(sorted(events, key=lambda ev: (ev.hlc, ev.event_id)), Cursor(1, 1))
    expected = _rows(reference, room)
    assert expected["deferred_event"] == [] and expected[ROOM_TABLES[room][0]]

    create = CREATES[room]
    later = [ev for ev in events if ev.kind.startswith(f"{room}.") and ev.kind != create]
    assert later, "the room's work wrote events after its create"
    early = [ev for ev in events if ev not in later]
    store = new_desk("X")
    store.sync.apply_pulled([ev for ev in early if ev.kind != create], Cursor(1, 1))
    store.sync.apply_pulled(list(reversed(later)), Cursor(1, 2))
    parked = _rows(store, room)
    assert len(parked["deferred_event"]) == len(later)
    assert parked[ROOM_TABLES[room][0]] == []
    store.sync.apply_pulled([ev for ev in early if ev.kind == create], Cursor(1, 3))
    assert _rows(store, room) == expected
    store.rebuild_projections()
    assert _rows(store, room) == expected
