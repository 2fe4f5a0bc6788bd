"""Customer use cases: validated identifiers, exact-number search, masking, audited reveal.

Rule (DOMAIN.md, Data protection): identifiers are masked by default; an agent may reveal
one for the current ticket, which is audited; analysts never see customer PII unmasked.
"""

from __future__ import annotations

import json

import pytest

from csdesk.data.api import CustomerView
from csdesk.data.store import Store
from csdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from tests.store.conftest import CARD, CUSTOMER_NAME, ID_NUMBER, PHONE, event_count, events


def _ticket_of(store: Store, customer_id: str) -> str:
    """A ticket of the customer: numbers are revealed for a ticket (DOMAIN.md, data protection)."""
    ticket = store.create_ticket(
        "agent1", kind="consultation", channel="phone", subject="Call", customer_id=customer_id
    )
    return ticket.id

MASKED_PHONE = "138****5678"
MASKED_ID = "110***********1233"
MASKED_CARD = "6222 **** **** 1233"


def test_customer_is_created_masked(store: Store, customer: CustomerView) -> None:
    assert customer.name == CUSTOMER_NAME
    assert (customer.phone, customer.id_number, customer.card_no) == (MASKED_PHONE, MASKED_ID, MASKED_CARD)
    assert customer.account_no is None
    assert store.get_customer("analyst", customer.id) == customer
    last = events(store)[-1]
    assert (last.kind, last.actor, last.entity_id) == ("customer.created", "agent1", customer.id)


def test_identifiers_are_stored_in_canonical_form(store: Store) -> None:
    made = store.create_customer(
        "agent1",
        name="Li Na",
        phone="+86 138-1234-5678",
        id_number=" 110101 19900307 1233 ",
        card_no="6222 0212 3456 7891 233",
        account_no="6217-0000-1234",
    )
    ticket = _ticket_of(store, made.id)
    assert store.reveal("agent1", made.id, "phone", ticket) == PHONE
    assert store.reveal("agent1", made.id, "id_number", ticket) == ID_NUMBER
    assert store.reveal("agent1", made.id, "card_no", ticket) == CARD
    assert store.reveal("agent1", made.id, "account_no", ticket) == "621700001234"
    assert made.account_no == "6217 **** 1234"


@pytest.mark.parametrize(
    ("field", "value", "fields"),
    [
        ("phone", "12345", {"phone"}),
        ("phone", "1381234567", {"phone"}),  # 10 digits
        ("id_number", "110101199003071234", {"id_number"}),  # wrong check digit
        ("id_number", "110101199002301233", {"id_number"}),  # 30 February
        ("card_no", "6222021234567891234", {"card_no", "card_number"}),  # fails Luhn
        ("card_no", "6222 0212", {"card_no", "card_number"}),  # too short
        ("account_no", "12ab", {"account_no"}),
    ],
)
def test_invalid_identifier_is_refused_naming_the_field(store: Store, field: str, value: str, fields: set[str]) -> None:
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        store.create_customer("agent1", name="Wrong Number", **{field: value})
    assert info.value.field in fields
    assert info.value.message
    assert event_count(store) == before
    assert store.find_customers("agent1", "Wrong Number") == []


def test_invalid_card_names_the_store_field(store: Store) -> None:
    with pytest.raises(ValidationError) as info:
        store.create_customer("agent1", name="Wrong Card", card_no="6222021234567891234")
    assert info.value.field == "card_no"


def test_customer_needs_a_name(store: Store) -> None:
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        store.create_customer("agent1", name=" \x1b[0m ", phone=PHONE)
    assert info.value.field == "name"
    assert event_count(store) == before


@pytest.fixture
def other(store: Store) -> CustomerView:
    """A second customer, so searches must pick the right one."""
    return store.create_customer(
        "agent2", name="王芳", phone="13987654321", id_number="44030619851215017X", card_no="6217001234567890122"
    )


@pytest.mark.parametrize(
    "text",
    [
        PHONE,
        "+86 138 1234 5678",
        "+8613812345678",
        "138 1234 5678",
        "138-1234-5678",
        ID_NUMBER,
        CARD,
        "6222 0212 3456 7891 233",
        "张伟",
        "伟明",
        CUSTOMER_NAME,
    ],
)
def test_find_by_whole_number_or_name_part(
    store: Store, customer: CustomerView, other: CustomerView, text: str
) -> None:
    assert store.find_customers("agent1", text) == [customer]


def test_find_by_id_number_with_x(store: Store, customer: CustomerView, other: CustomerView) -> None:
    assert store.find_customers("agent1", "44030619851215017x") == [other]


@pytest.mark.parametrize(
    "text",
    [
        "5678",  # last 4 digits of the phone
        "1233",  # last 4 digits of ID and card
        "1381234",  # phone prefix
        "12345678",  # phone suffix
        "1381234567",  # 10 of 11 phone digits
        "11010119900307",  # ID prefix
        "199003071233",  # ID suffix
        "622202123456789",  # card prefix
        "1234567891233",  # card suffix
        "138****5678",  # the mask itself
        "",
        "   ",
    ],
)
def test_partial_numbers_do_not_match(store: Store, customer: CustomerView, other: CustomerView, text: str) -> None:
    assert store.find_customers("agent1", text) == []


def test_find_by_account_number(store: Store, customer: CustomerView) -> None:
    made = store.create_customer("agent1", name="Zhao Lei", account_no="621700001234")
    assert store.find_customers("agent1", "6217 0000 1234") == [made]
    assert store.find_customers("agent1", "00001234") == []


@pytest.mark.parametrize("text", ["010-12345678", "01012345678", "+86 10 1234 5678"])
def test_find_by_whole_landline_number(store: Store, customer: CustomerView, text: str) -> None:
    made = store.create_customer("agent1", name="Beijing Office", phone="(010) 1234 5678")
    ticket = _ticket_of(store, made.id)
    assert store.reveal("agent1", made.id, "phone", ticket) == "010-12345678"
    assert store.find_customers("agent1", text) == [made]


def test_name_search_wildcards_are_literal(store: Store, customer: CustomerView, other: CustomerView) -> None:
    assert store.find_customers("agent1", "%") == []
    assert store.find_customers("agent1", "_") == []


def test_find_results_are_masked(store: Store, customer: CustomerView, other: CustomerView) -> None:
    [found] = store.find_customers("qa", PHONE)
    assert (found.phone, found.id_number, found.card_no) == (MASKED_PHONE, MASKED_ID, MASKED_CARD)
    assert PHONE not in repr(found)
    assert ID_NUMBER not in repr(found)
    assert CARD not in repr(found)


def test_find_respects_limit(store: Store) -> None:
    for i in range(5):
        store.create_customer("agent1", name=f"陈{i}")
    assert len(store.find_customers("agent1", "陈", limit=3)) == 3
    assert len(store.find_customers("agent1", "陈")) == 5


@pytest.mark.parametrize(
    ("actor", "field", "raw"),
    [
        ("agent1", "phone", PHONE),
        ("spec", "id_number", ID_NUMBER),
        ("lead", "card_no", CARD),
        ("sup", "phone", PHONE),
    ],
)
def test_reveal_returns_raw_value_and_is_audited(
    store: Store, customer: CustomerView, actor: str, field: str, raw: str
) -> None:
    ticket = store.create_ticket(
        "agent1", kind="consultation", channel="phone", subject="Balance", customer_id=customer.id
    )
    before = event_count(store)
    assert store.reveal(actor, customer.id, field, ticket_id=ticket.id) == raw
    new = events(store)[before:]
    assert len(new) == 1
    assert (new[0].kind, new[0].actor, new[0].entity, new[0].entity_id) == (
        "pii.revealed",
        actor,
        "customer",
        customer.id,
    )
    assert json.loads(new[0].payload) == {
        "field": field, "ticket_id": ticket.id, "seconds": 30, "until": "2026-11-23T09:00:30+00:00"
    }
    # the audit record itself holds no identifier
    assert raw not in new[0].payload
    # revealing changes nothing that is shown afterwards
    assert store.get_customer(actor, customer.id).phone == MASKED_PHONE


@pytest.mark.parametrize("actor", ["qa", "analyst", "trainer"])
def test_reveal_is_refused_for_non_front_line_roles(store: Store, customer: CustomerView, actor: str) -> None:
    ticket = _ticket_of(store, customer.id)
    before = event_count(store)
    with pytest.raises(PermissionDenied):
        store.reveal(actor, customer.id, "phone", ticket)
    new = events(store)[before:]
    assert [(ev.kind, ev.actor) for ev in new] == [("access.denied", actor)]
    assert json.loads(new[0].payload) == {"permission": "pii.reveal"}
    assert not any(ev.kind == "pii.revealed" for ev in events(store))


def test_reveal_of_unknown_field_is_refused(store: Store, customer: CustomerView) -> None:
    ticket = _ticket_of(store, customer.id)
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        store.reveal("agent1", customer.id, "name", ticket)
    assert info.value.field == "field"
    assert event_count(store) == before


def test_reveal_of_missing_value_or_customer_is_not_found(store: Store, customer: CustomerView) -> None:
    ticket = _ticket_of(store, customer.id)
    before = event_count(store)
    with pytest.raises(NotFound):
        store.reveal("agent1", customer.id, "account_no", ticket)
    with pytest.raises(NotFound):
        store.reveal("agent1", "no-such-customer", "phone", ticket)
    assert event_count(store) == before
