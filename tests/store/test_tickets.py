"""Ticket use cases of the store gateway: create, claim, assign, status, reopen, notes, queue reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from csdesk.data.api import CustomerView, TicketQuery
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from csdesk.domain.sanitize import TextTooLong
from tests.store.conftest import event_count, events


def _ticket(store: Store, subject: str = "Card swallowed by ATM", actor: str = "agent1", **extra: str):
    fields = {"kind": "complaint", "channel": "phone", **extra}
    return store.create_ticket(actor, subject=subject, **fields)


# --------------------------------------------------------------------------- create


def test_create_ticket_is_new_unassigned_with_desk_ref(store: Store, customer: CustomerView) -> None:
    row = _ticket(store, customer_id=customer.id, priority="high")
    assert row.ref == "D01-000001"
    assert row.status == "new"
    assert row.assignee_id is None
    assert row.priority == "high"
    assert row.customer_id == customer.id
    assert row.customer_name == customer.name
    second = _ticket(store, "Second")
    assert second.ref == "D01-000002"
    last = events(store)[-1]
    assert (last.kind, last.actor, last.entity_id) == ("ticket.created", "agent1", second.id)


def test_create_ticket_with_unknown_customer_is_not_found(store: Store) -> None:
    before = event_count(store)
    with pytest.raises(NotFound):
        _ticket(store, customer_id="no-such-customer")
    assert event_count(store) == before


@pytest.mark.parametrize("subject", ["", "   ", "\x1b[2J\x00"])
def test_empty_subject_is_refused(store: Store, subject: str) -> None:
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        _ticket(store, subject)
    assert info.value.field == "subject"
    assert event_count(store) == before


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("kind", "praise", ["consultation", "complaint", "suggestion", "business", "callback"]),
        ("channel", "pigeon", ["phone", "chat", "social", "email", "walk_in", "letter", "regulator"]),
        ("priority", "whenever", ["normal", "high", "urgent"]),
    ],
)
def test_unknown_vocabulary_is_refused_naming_allowed_values(
    store: Store, field: str, value: str, allowed: list[str]
) -> None:
    before = event_count(store)
    fields = {"kind": "complaint", "channel": "phone", "priority": "normal", field: value}
    with pytest.raises(ValidationError) as info:
        store.create_ticket("agent1", subject="Fee question", **fields)
    assert info.value.field == field
    assert value in info.value.message
    for name in allowed:
        assert name in info.value.message
    assert event_count(store) == before


def test_ten_megabyte_description_is_refused_and_nothing_written(store: Store) -> None:
    before = event_count(store)
    with pytest.raises(TextTooLong) as info:
        _ticket(store, description="投" * (10 * 1024 * 1024))
    assert isinstance(info.value, ValidationError)
    assert info.value.length == 10 * 1024 * 1024
    assert event_count(store) == before
    assert store.count_tickets("agent1") == 0


def test_control_and_bidi_characters_are_stripped(store: Store) -> None:
    subject = "\x1b[31mRed\x1b[0m \u202eevil\u202c\x00 subject\x07"
    description = "line one\x1b]0;pwned\x07\nline\u2066 two\x00\r\nend\u200f"
    row = _ticket(store, subject, description=description)
    expected_subject = "Red evil subject"
    assert row.subject == expected_subject
    [listed] = store.list_tickets("agent1")
    assert listed.subject == expected_subject
    detail = store.get_ticket("agent1", row.id)
    assert detail.row.subject == expected_subject
    assert detail.description == "line one\nline two\nend"
    for text in (listed.subject, detail.description):
        assert not any(ch in text for ch in "\x1b\x00\x07\u202e\u202c\u2066\u200f\r")


# --------------------------------------------------------------------------- claim / assign


def test_claim_assigns_to_self_and_opens(store: Store) -> None:
    row = _ticket(store)
    claimed = store.claim_ticket("agent1", row.id)
    assert claimed.assignee_id == "agent1"
    assert claimed.assignee_name is not None
    assert claimed.status == "open"
    kinds = [ev.kind for ev in events(store)[-2:]]
    assert kinds == ["ticket.assigned", "ticket.status_changed"]


def test_claiming_own_ticket_again_writes_nothing(store: Store) -> None:
    row = _ticket(store)
    store.claim_ticket("agent1", row.id)
    before = event_count(store)
    again = store.claim_ticket("agent1", row.id)
    assert again.assignee_id == "agent1"
    assert event_count(store) == before


def test_claim_of_ticket_owned_by_someone_else_is_a_conflict(store: Store) -> None:
    row = _ticket(store)
    store.claim_ticket("agent1", row.id)
    before = event_count(store)
    with pytest.raises(Conflict):
        store.claim_ticket("agent2", row.id)
    assert store.get_ticket_row("agent2", row.id).assignee_id == "agent1"
    assert event_count(store) == before


def test_claim_unknown_ticket_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.claim_ticket("agent1", "no-such-ticket")


def test_team_lead_assigns_and_unassigns(store: Store) -> None:
    row = _ticket(store)
    assigned = store.assign_ticket("lead", row.id, "agent2")
    assert assigned.assignee_id == "agent2"
    assert assigned.status == "new"  # assigning does not open the ticket
    unassigned = store.assign_ticket("lead", row.id, None)
    assert unassigned.assignee_id is None
    assert unassigned.assignee_name is None


def test_assign_to_unknown_user_is_not_found(store: Store) -> None:
    row = _ticket(store)
    with pytest.raises(NotFound):
        store.assign_ticket("lead", row.id, "ghost")
    assert store.get_ticket_row("lead", row.id).assignee_id is None


def test_assign_by_agent_is_denied_and_recorded(store: Store) -> None:
    row = _ticket(store)
    before = event_count(store)
    with pytest.raises(PermissionDenied):
        store.assign_ticket("agent1", row.id, "agent2")
    assert store.get_ticket_row("agent1", row.id).assignee_id is None
    new = events(store)[before:]
    assert [(ev.kind, ev.actor, ev.entity, ev.entity_id) for ev in new] == [
        ("access.denied", "agent1", "user", "agent1")
    ]
    assert new[0].payload == '{"permission":"ticket.assign"}'


# --------------------------------------------------------------------------- status / reopen


def test_status_walks_forward_to_closed(store: Store) -> None:
    row = _ticket(store)
    for status in ("open", "waiting_customer", "waiting_department", "open", "resolved", "closed"):
        assert store.change_status("agent1", row.id, status).status == status
    detail = store.get_ticket("agent1", row.id)
    assert detail.resolved_at is not None
    assert detail.closed_at is not None
    assert detail.first_response_at is not None


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ((), "closed"),  # new -> closed skips resolution
        (("resolved", "closed"), "open"),  # closed -> open needs reopen
        (("resolved",), "open"),
        (("open",), "new"),
        (("resolved", "closed"), "resolved"),
    ],
)
def test_backward_or_skipping_transitions_are_conflicts(store: Store, path: tuple[str, ...], refused: str) -> None:
    row = _ticket(store)
    for status in path:
        store.change_status("agent1", row.id, status)
    before = event_count(store)
    current = store.get_ticket_row("agent1", row.id).status
    with pytest.raises(Conflict):
        store.change_status("agent1", row.id, refused)
    assert store.get_ticket_row("agent1", row.id).status == current
    assert event_count(store) == before


def test_unknown_status_is_a_validation_error(store: Store) -> None:
    row = _ticket(store)
    with pytest.raises(ValidationError) as info:
        store.change_status("agent1", row.id, "done")
    assert info.value.field == "status"
    assert "resolved" in info.value.message


def test_reopen_closed_ticket_with_reason(store: Store) -> None:
    row = _ticket(store)
    store.change_status("agent1", row.id, "resolved")
    store.change_status("agent1", row.id, "closed")
    reopened = store.reopen("agent1", row.id, "Customer called back: refund never arrived")
    assert reopened.status == "open"
    detail = store.get_ticket("agent1", row.id)
    assert detail.resolved_at is None
    assert detail.closed_at is None
    assert detail.timeline[-1].kind == "ticket.reopened"
    assert detail.timeline[-1].data["reason"] == "Customer called back: refund never arrived"


@pytest.mark.parametrize("reason", ["", "   \n\t", "\x1b[0m\x00"])
def test_reopen_needs_a_reason(store: Store, reason: str) -> None:
    row = _ticket(store)
    store.change_status("agent1", row.id, "resolved")
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        store.reopen("agent1", row.id, reason)
    assert info.value.field == "reason"
    assert store.get_ticket_row("agent1", row.id).status == "resolved"
    assert event_count(store) == before


@pytest.mark.parametrize("status", ["new", "open", "waiting_customer"])
def test_reopen_of_unfinished_ticket_is_a_conflict(store: Store, status: str) -> None:
    row = _ticket(store)
    if status != "new":
        store.change_status("agent1", row.id, status)
    with pytest.raises(Conflict):
        store.reopen("agent1", row.id, "why not")
    assert store.get_ticket_row("agent1", row.id).status == status


# --------------------------------------------------------------------------- notes


def test_notes_are_added_in_order_and_masked(store: Store) -> None:
    row = _ticket(store)
    first = store.add_note("agent1", row.id, "Customer phone 13812345678, call back after 3pm")
    assert first.body == "Customer phone 138****5678, call back after 3pm"
    store.add_note("spec", row.id, "Card 6222021234567891233 blocked")
    detail = store.get_ticket("agent1", row.id)
    assert [(n.author, n.body) for n in detail.notes] == [
        ("agent1", "Customer phone 138****5678, call back after 3pm"),
        ("spec", "Card 6222 **** **** 1233 blocked"),
    ]
    joined = repr(detail)
    assert "13812345678" not in joined
    assert "6222021234567891233" not in joined


def test_description_and_timeline_are_masked(store: Store) -> None:
    row = _ticket(store, description="ID 110101199003071233, mobile +86 138 1234 5678")
    detail = store.get_ticket("agent1", row.id)
    assert "110***********1233" in detail.description
    assert "138****5678" in detail.description
    for raw in ("110101199003071233", "12345678"):
        assert raw not in detail.description
        assert raw not in repr(detail.timeline)


def test_empty_note_is_refused(store: Store) -> None:
    row = _ticket(store)
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        store.add_note("agent1", row.id, " \n ")
    assert info.value.field == "body"
    assert event_count(store) == before


def test_note_on_unknown_ticket_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.add_note("agent1", "no-such-ticket", "hello")


def test_timeline_lists_every_event_with_its_actor(store: Store, clock: FrozenClock) -> None:
    row = _ticket(store)
    clock.advance(timedelta(minutes=1))
    store.claim_ticket("agent1", row.id)
    clock.advance(timedelta(minutes=1))
    store.add_note("agent1", row.id, "Asked for the receipt")
    clock.advance(timedelta(minutes=1))
    store.assign_ticket("lead", row.id, "spec")
    clock.advance(timedelta(minutes=1))
    store.change_status("spec", row.id, "resolved")
    clock.advance(timedelta(minutes=1))
    store.reopen("lead", row.id, "Not fixed")
    timeline = store.get_ticket("agent1", row.id).timeline
    assert [(t.kind, t.actor) for t in timeline] == [
        ("ticket.created", "agent1"),
        ("ticket.assigned", "agent1"),
        ("ticket.status_changed", "agent1"),
        ("ticket.note_added", "agent1"),
        ("ticket.assigned", "lead"),
        ("ticket.status_changed", "spec"),
        ("ticket.reopened", "lead"),
    ]
    ticket_events = [ev for ev in events(store) if ev.entity_id == row.id]
    assert len(timeline) == len(ticket_events)
    assert [t.at for t in timeline] == sorted(t.at for t in timeline)
    assert timeline[4].data["assignee_id"] == "spec"
    assert timeline[5].data == {"from": "open", "to": "resolved"}


# --------------------------------------------------------------------------- queue reads


@pytest.fixture
def queue(store: Store, clock: FrozenClock, customer: CustomerView) -> dict[str, str]:
    """Six tickets created a minute apart; returns subject -> id."""
    made = {}
    specs = [
        ("Refund of 100% fee", "complaint", "high", None),
        ("Refund of 100 yuan fee", "complaint", "normal", None),
        ("card_lost", "business", "urgent", customer.id),
        ("cardXlost", "consultation", "normal", None),
        ("Mortgage rate question", "consultation", "normal", customer.id),
        ("Branch hours", "suggestion", "normal", None),
    ]
    for subject, kind, priority, customer_id in specs:
        clock.advance(timedelta(minutes=1))
        row = store.create_ticket(
            "agent1", kind=kind, channel="chat", subject=subject, priority=priority, customer_id=customer_id
        )
        made[subject] = row.id
    store.claim_ticket("agent1", made["card_lost"])
    store.assign_ticket("lead", made["Mortgage rate question"], "agent2")
    store.change_status("agent2", made["Mortgage rate question"], "resolved")
    return made


def _subjects(store: Store, query: TicketQuery, **window: int) -> list[str]:
    return [row.subject for row in store.list_tickets("agent1", query, **window)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (TicketQuery(text="refund"), {"Refund of 100% fee", "Refund of 100 yuan fee"}),
        (TicketQuery(text="100%"), {"Refund of 100% fee"}),
        (TicketQuery(text="%"), {"Refund of 100% fee"}),
        (TicketQuery(text="card_lost"), {"card_lost"}),
        (TicketQuery(text="_"), {"card_lost"}),
        (TicketQuery(text="D01-000005"), {"Mortgage rate question"}),
        (TicketQuery(text="伟明"), {"card_lost", "Mortgage rate question"}),
        (TicketQuery(text="no such thing"), set()),
        (TicketQuery(statuses=("open",)), {"card_lost"}),
        (TicketQuery(statuses=("new", "resolved"), kinds=("consultation",)), {"cardXlost", "Mortgage rate question"}),
        (TicketQuery(kinds=("complaint",)), {"Refund of 100% fee", "Refund of 100 yuan fee"}),
        (TicketQuery(priorities=("urgent", "high")), {"card_lost", "Refund of 100% fee"}),
        (TicketQuery(assignee_id="agent2"), {"Mortgage rate question"}),
        (
            TicketQuery(unassigned=True),
            {"Refund of 100% fee", "Refund of 100 yuan fee", "cardXlost", "Branch hours"},
        ),
        (TicketQuery(text="card", unassigned=True), {"cardXlost"}),
    ],
)
def test_list_filters_and_count_agree(store: Store, queue: dict[str, str], query: TicketQuery, expected: set) -> None:
    subjects = _subjects(store, query)
    assert set(subjects) == expected
    assert len(subjects) == len(expected)
    assert store.count_tickets("agent1", query) == len(expected)


def test_default_order_is_newest_first(store: Store, queue: dict[str, str]) -> None:
    assert _subjects(store, TicketQuery()) == list(reversed(queue))
    assert _subjects(store, TicketQuery(descending=False)) == list(queue)


def test_order_by_subject(store: Store, queue: dict[str, str]) -> None:
    ascending = _subjects(store, TicketQuery(order_by="subject", descending=False))
    assert ascending == sorted(queue)


def test_order_by_unknown_column_is_refused(store: Store, queue: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as info:
        store.list_tickets("agent1", TicketQuery(order_by="nonsense"))
    assert info.value.field == "order_by"


def test_equal_times_order_by_ref_descending(store: Store) -> None:
    made = [_ticket(store, f"same time {i}").ref for i in range(4)]
    assert [row.ref for row in store.list_tickets("agent1")] == list(reversed(made))


@pytest.mark.parametrize("page", [1, 2, 4, 5, 10])
def test_offset_limit_windows_tile_the_list(store: Store, queue: dict[str, str], page: int) -> None:
    full = [row.id for row in store.list_tickets("agent1")]
    assert len(full) == 6 == store.count_tickets("agent1")
    windows: list[str] = []
    for offset in range(0, len(full) + page, page):
        chunk = [row.id for row in store.list_tickets("agent1", offset=offset, limit=page)]
        assert len(chunk) == min(page, max(0, len(full) - offset))
        windows.extend(chunk)
    assert windows == full


def test_count_without_query_counts_everything(store: Store, queue: dict[str, str]) -> None:
    assert store.count_tickets("analyst") == len(store.list_tickets("analyst")) == len(queue)


def test_get_unknown_ticket_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.get_ticket("agent1", "no-such-ticket")
    with pytest.raises(NotFound):
        store.get_ticket_row("agent1", "no-such-ticket")
