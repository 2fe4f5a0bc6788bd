"""A mixed history written on three desks, for the tests of applying pulled events.

Tickets created on every desk and worked on the others (claims, notes, statuses, a
reopen, consultations), a complaint logged on a ticket (the ticket turns into a
complaint, its SLA recomputed), a pause and a step of that complaint, a callback and its
attempt, SLA policies and a user set on two desks at once, and a merge conflict resolved
by a supervisor. Each desk has seen only part of the others' work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from csdesk.data.api import CustomerView, TicketRow
from csdesk.data.eventlog import EventData
from csdesk.data.store import Store
from csdesk.data.sync_ledger import Cursor
from csdesk.domain.clock import FrozenClock
from tests.sync.conftest import START, DeskFactory, seed_users


def own(store: Store) -> list[EventData]:
    """The events this desk wrote, in its own order."""
    return store.sync.pending(100_000)


@dataclass(frozen=True, slots=True)
class ThreeDesks:
    """Desks A, B and C on one clock; A's users, customer and ticket already reached B and C."""

    clock: FrozenClock
    a: Store
    b: Store
    c: Store
    customer: CustomerView
    ticket: TicketRow


def three_desks(new_desk: DeskFactory) -> ThreeDesks:
    """Desk A creates the users, a customer and a ticket; B and C pull them; the clock moves a minute."""
    clock = FrozenClock(START)
    a, b, c = new_desk("A", clock), new_desk("B", clock), new_desk("C", clock)
    seed_users(a)
    customer = a.create_customer("agent1", name="李娜", phone="13900001111")
    ticket = a.create_ticket("agent1", kind="consultation", channel="phone", subject="Rate?", customer_id=customer.id)
    for desk in (b, c):
        desk.sync.apply_pulled(own(a), Cursor())
    clock.advance(timedelta(minutes=1))
    return ThreeDesks(clock, a, b, c, customer, ticket)


def mixed_history(new_desk: DeskFactory) -> list[EventData]:
    """Every event of three desks' work, grouped per desk in desk order (as pushes deliver them)."""
    start = three_desks(new_desk)
    clock, a, b, c, customer, shared = start.clock, start.a, start.b, start.c, start.customer, start.ticket
    b.set_sla_policy("sup", "consultation", "normal", 20, 900, "calendar")
    c.set_sla_policy("sup", "consultation", "normal", 10, 600, "calendar")
    c.set_sla_policy("sup", "complaint", "high", 15, 700, "calendar")
    b.add_user("sup", "agent3", "Agent Three", "agent", "B")
    c.add_user("sup", "agent3", "Agent 3", "specialist", "C")
    b.claim_ticket("agent2", shared.id)
    c.assign_ticket("sup", shared.id, "agent1")
    for n, desk in enumerate((a, b, c)):
        clock.advance(timedelta(minutes=1))
        ticket = desk.create_ticket("agent1", kind="consultation", channel="phone", subject=f"Card {n}")
        desk.assign_ticket("sup", ticket.id, "agent2")
        desk.change_status("agent2", ticket.id, "waiting_customer")
        clock.advance(timedelta(minutes=7))
        desk.change_status("agent2", ticket.id, "resolved")
        desk.add_note("agent2", ticket.id, f"done {n}")
        desk.reopen("sup", ticket.id, "customer called again")
        desk.consult_department("agent2", ticket.id, "risk", "Is the freeze lifted?", "+2h")
        clock.advance(timedelta(minutes=2))
        desk.add_note("agent2", ticket.id, f"asked risk {n}")
    clock.advance(timedelta(minutes=1))
    complaint = a.complaints.log(
        "agent1", ticket_id=shared.id, customer_id=customer.id, channel="phone", business="credit_card",
        cause="pricing_fees", description="年费被重复扣收", remedy="退还年费", amount_in_dispute="300",
    )
    a.complaints.pause("agent1", complaint.row.id, "appraisal", "交易鉴定")
    a.complaints.record_step("agent1", complaint.row.id, "called the card centre")
    callback = a.callbacks.schedule("agent1", purpose="complaint_follow_up", ticket_id=shared.id, due="+1h")
    clock.advance(timedelta(hours=2))
    a.callbacks.record_outcome("agent1", callback.id, "reached", score=4)
    a.add_note("agent1", shared.id, "customer satisfied")
    b.change_status("agent2", shared.id, "resolved")
    _resolve_a_conflict(c, own(a) + own(b))
    return own(a) + own(b) + own(c)


def _resolve_a_conflict(desk: Store, others: list[EventData]) -> None:
    """Desk ``desk`` sees others' events newest first, so older writes lose late; it resolves one."""
    for ev in sorted(others, key=lambda ev: (ev.hlc, ev.event_id), reverse=True):
        desk.sync.apply_pulled([ev], Cursor(1, 1))
    [first, *_] = desk.conflicts.list_open("sup")
    desk.conflicts.resolve("sup", first.id, "lost")
