"""Bulk intake from CSV (csdesk.data.intake_import): checks, customers, atomic vs partial, encodings."""

from __future__ import annotations

import codecs
import re
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from csdesk.data.api import CustomerView, TicketQuery
from csdesk.data.intake_import import ContactError, ImportReport, add_contact, import_csv, read_rows, shown
from csdesk.data.store import Store
from csdesk.domain.errors import PermissionDenied, StoreUnavailable, ValidationError
from tests.store.conftest import CARD, ID_NUMBER, PHONE, event_count

HEADER = (
    "kind,channel,priority,subject,description,customer_name,customer_phone,customer_id_number,customer_card_no,vip"
)
NEW_PHONE = "13900001111"
NEW_ID = "440306198506120011"  # valid check digit
NEW_CARD = "6217001234567890122"  # passes Luhn
BAD_ID = "110101199003071234"  # 18 digits, wrong check digit
BAD_PHONE = "1391234567"  # 10 digits
#: every whole number a test puts in a file: none may appear in a message
SAMPLES = (PHONE, ID_NUMBER, CARD, NEW_PHONE, NEW_ID, NEW_CARD, BAD_ID, BAD_PHONE, "1381234567", "6222021234567891234")


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def good(subject: str = "问一下理财产品收益", phone: str = NEW_PHONE, name: str = "王芳", **extra: str) -> str:
    cells = {
        "kind": "consultation",
        "channel": "phone",
        "priority": "",
        "subject": subject,
        "description": "",
        "customer_name": name,
        "customer_phone": phone,
        "customer_id_number": "",
        "customer_card_no": "",
        "vip": "",
    }
    cells.update(extra)
    return ",".join(cells[c] for c in HEADER.split(","))


def tickets(store: Store) -> list[Any]:
    return store.list_tickets("agent1", TicketQuery(order_by="ref", descending=False), limit=10_000)


def assert_no_whole_number(*texts: str) -> None:
    """No sample number appears, even written with spaces or hyphens between its digits."""
    compact = re.sub(r"[\s\-]", "", "\n".join(texts))
    for number in SAMPLES:
        assert number not in compact, number


def messages(report: ImportReport) -> list[str]:
    return [e.message for e in report.errors]


# --------------------------------------------------------------------------- happy path


def test_import_writes_customers_and_tickets(store: Store) -> None:
    data = csv_bytes(
        good(vip="是"),
        good(subject="再问一次", phone="139 0000 1111"),  # same new customer, other spelling
        good(subject="投诉柜台", name="赵强", phone="13700001111", kind="complaint", priority="HIGH"),
    )
    before = event_count(store)
    report = import_csv(store, "agent1", data)
    assert report == ImportReport(3, 3, 0, [], customers_created=2, atomic=True, encoding="UTF-8")
    assert event_count(store) == before + 5  # 2 customers + 3 tickets
    rows = tickets(store)
    assert [t.ref for t in rows] == ["D01-000001", "D01-000002", "D01-000003"]
    assert rows[0].customer_id == rows[1].customer_id != rows[2].customer_id
    assert rows[0].customer_vip and rows[2].priority == "high" and rows[2].kind == "complaint"
    assert rows[0].status == "new" and rows[0].assignee_id is None
    found = store.find_customers("agent1", NEW_PHONE)
    assert [c.name for c in found] == ["王芳"] and found[0].phone == "139****1111"


def test_refs_continue_after_existing_tickets_and_create_ticket_continues_after_import(store: Store) -> None:
    store.create_ticket("agent1", kind="consultation", channel="phone", subject="first")
    import_csv(store, "agent1", csv_bytes(good(), good(subject="two")))
    later = store.create_ticket("agent1", kind="consultation", channel="phone", subject="last")
    assert [t.ref for t in tickets(store)] == [f"D01-00000{i}" for i in range(1, 5)]
    assert later.ref == "D01-000004"


def test_existing_customer_is_matched_by_any_whole_number(store: Store, customer: CustomerView) -> None:
    data = csv_bytes(
        good(phone=PHONE, name=""),
        good(phone="", name="张伟明", customer_card_no=CARD),
        good(phone="", name="someone", customer_id_number=ID_NUMBER.lower()),
    )
    report = import_csv(store, "agent1", data)
    assert (report.imported, report.customers_created) == (3, 0)
    assert {t.customer_id for t in tickets(store)} == {customer.id}
    assert store.get_customer("agent1", customer.id).name == "张伟明"  # never changed by an import


def test_a_number_alone_finds_a_customer_but_cannot_create_one(store: Store, customer: CustomerView) -> None:
    data = csv_bytes(good(phone="", name="", customer_card_no=CARD), good(phone="", name="", customer_card_no=NEW_CARD))
    report = import_csv(store, "agent1", data, partial=True)
    assert report.imported == 1 and tickets(store)[0].customer_id == customer.id
    assert [(e.line, e.field) for e in report.errors] == [(3, "customer_name")]


def test_name_only_rows_never_match_customers_on_record(store: Store, customer: CustomerView) -> None:
    report = import_csv(
        store, "agent1", csv_bytes(good(phone="", name=customer.name), good(phone="", name=customer.name))
    )
    assert report.customers_created == 1  # one new customer for both rows of the file
    ids = {t.customer_id for t in tickets(store)}
    assert len(ids) == 1 and customer.id not in ids


def test_duplicate_new_customer_rows_create_it_once_and_collect_its_numbers(store: Store) -> None:
    data = csv_bytes(
        good(),
        good(subject="b", customer_id_number=NEW_ID),
        good(subject="c", phone="", customer_id_number=NEW_ID),
        good(subject="d", phone="", name="王芳", customer_card_no=NEW_CARD, customer_id_number=NEW_ID),
    )
    report = import_csv(store, "agent1", data)
    assert (report.imported, report.customers_created, report.errors) == (4, 1, [])
    [one] = {t.customer_id for t in tickets(store)}
    view = store.get_customer("agent1", one)
    assert view.id_number == "440***********0011" and view.card_no == "6217 **** **** 0122"


def test_numbers_of_two_customers_in_one_row_are_refused(store: Store, customer: CustomerView) -> None:
    data = csv_bytes(good(), good(subject="mixed", phone=NEW_PHONE, customer_card_no=CARD))
    report = import_csv(store, "agent1", data, partial=True)
    assert report.imported == 1
    assert [(e.line, e.field) for e in report.errors] == [(3, "customer")]


def test_other_id_number_for_a_matched_customer_is_refused(store: Store, customer: CustomerView) -> None:
    report = import_csv(store, "agent1", csv_bytes(good(phone=PHONE, customer_id_number=NEW_ID)))
    assert [(e.line, e.field) for e in report.errors] == [(2, "customer_id_number")]
    assert_no_whole_number(*messages(report))


def test_a_new_customer_needs_a_name(store: Store) -> None:
    report = import_csv(store, "agent1", csv_bytes(good(name="")))
    assert [(e.line, e.field) for e in report.errors] == [(2, "customer_name")]
    report = import_csv(store, "agent1", csv_bytes(good(name="", phone="")))
    assert [(e.line, e.field) for e in report.errors] == [(2, "customer_name")]


def test_header_only_file_imports_nothing(store: Store) -> None:
    assert import_csv(store, "agent1", csv_bytes()) == ImportReport(0, 0, 0, [])


def test_blank_and_empty_rows_are_ignored_but_lines_still_count(store: Store) -> None:
    data = csv_bytes("", good(), ",,,,,,,,,", "", good(kind="nope"))
    report = import_csv(store, "agent1", data, partial=True)
    assert (report.total, report.imported) == (2, 1)
    assert [e.line for e in report.errors] == [6]


def test_quoted_multiline_cell_keeps_later_line_numbers_right(store: Store) -> None:
    description = '"第一行\n第二行\n第三行"'
    data = csv_bytes(good(description=description), good(kind="nope"))
    report = import_csv(store, "agent1", data, partial=True)
    assert [e.line for e in report.errors] == [5]
    detail = store.get_ticket("agent1", tickets(store)[0].id)
    assert detail.description == "第一行\n第二行\n第三行"


def test_progress_reaches_the_total(store: Store) -> None:
    calls: list[tuple[int, int]] = []
    import_csv(
        store,
        "agent1",
        csv_bytes(*(good(subject=f"s{i}") for i in range(5))),
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1] == (10, 10)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert all(d <= t for d, t in calls)


# --------------------------------------------------------------------------- bad rows

BAD_ROWS = {
    "invalid phone": (good(phone=BAD_PHONE), "customer_phone"),
    "bad ID check digit": (good(customer_id_number=BAD_ID), "customer_id_number"),
    "unknown kind": (good(kind="chitchat"), "kind"),
    "unknown channel": (good(channel="fax"), "channel"),
    "empty subject": (good(subject="  "), "subject"),
    "subject too long": (good(subject="长" * 201), "subject"),
    "10 MB description": (good(description="x" * 10_000_000), "description"),
    "bad vip": (good(vip="maybe"), "vip"),
    "bad card": (good(customer_card_no="6222021234567891234"), "customer_card_no"),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_atomic_import_with_a_bad_row_writes_nothing(store: Store, case: str) -> None:
    row, field = BAD_ROWS[case]
    before = event_count(store)
    report = import_csv(store, "agent1", csv_bytes(good(), good(subject="second"), row, good(subject="fourth")))
    assert event_count(store) == before
    assert tickets(store) == []
    assert (report.total, report.imported, report.skipped) == (4, 0, 4)
    assert [(e.line, e.field) for e in report.errors] == [(4, field)]
    assert all(len(m) < 400 for m in messages(report))
    assert_no_whole_number(*messages(report))


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_partial_import_writes_the_good_rows(store: Store, case: str) -> None:
    row, field = BAD_ROWS[case]
    report = import_csv(store, "agent1", csv_bytes(good(), row, good(subject="third")), partial=True)
    assert (report.total, report.imported, report.skipped, report.atomic) == (3, 2, 1, False)
    assert [(e.line, e.field) for e in report.errors] == [(3, field)]
    assert [t.subject for t in tickets(store)] == ["问一下理财产品收益", "third"]


def test_every_bad_row_is_reported_with_its_line(store: Store) -> None:
    rows = [good(), good(kind="x"), good(), good(phone=BAD_PHONE, channel="fax"), good(subject="")]
    report = import_csv(store, "agent1", csv_bytes(*rows))
    assert [(e.line, e.field) for e in report.errors] == [
        (3, "kind"),
        (5, "channel"),
        (5, "customer_phone"),
        (6, "subject"),
    ]
    assert report.rejected_rows == 3


def test_ansi_escapes_are_stored_sanitised(store: Store) -> None:
    subject = "\x1b[31m红色\x1b[0m标题\x1b]0;pwned\x07"
    description = '"描述\x1b[2J\x1b[H正文\x07\u202e"'
    report = import_csv(store, "agent1", csv_bytes(good(subject=subject, description=description, name="\x1b[1m王芳")))
    assert report.errors == []
    [row] = tickets(store)
    assert row.subject == "红色标题"
    assert row.customer_name == "王芳"
    assert store.get_ticket("agent1", row.id).description == "描述正文"


def test_error_messages_never_hold_a_whole_number(store: Store) -> None:
    rows = [
        good(phone=BAD_PHONE),
        good(phone="138-1234-567"),
        good(customer_id_number=BAD_ID),
        good(customer_id_number="11010119901307123X"),
        good(customer_card_no="6222021234567891234"),
        good(kind=PHONE),
        good(channel=NEW_ID),
        good(vip=NEW_CARD),
    ]
    report = import_csv(store, "agent1", csv_bytes(*rows))
    assert len(report.errors) == len(rows)
    assert_no_whole_number(*messages(report))
    for message in messages(report):
        assert not re.search(r"\d{7,}", message.replace("-", "").replace(" ", "")), message


def test_shown_masks_identifiers_and_long_digit_runs() -> None:
    assert shown(f"a {PHONE} b") == "a 138****5678 b"
    assert shown("1391234567") == "******4567"
    assert shown("139-1234-567") == "***-***4-567"
    assert shown("12-34") == "12-34"


# --------------------------------------------------------------------------- encodings


def test_utf8_with_bom(store: Store) -> None:
    report = import_csv(store, "agent1", codecs.BOM_UTF8 + csv_bytes(good()))
    assert (report.imported, report.encoding) == (1, "UTF-8")


def test_gb18030_file_from_excel(store: Store) -> None:
    other = good(subject="信用卡分期手续费太高", name="欧阳娜娜", phone="13700001111")
    data = csv_bytes(good(), other, encoding="gb18030")
    data.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = import_csv(store, "agent1", data)
    assert (report.imported, report.encoding, report.errors) == (2, "GB18030", [])
    assert [t.subject for t in tickets(store)] == ["问一下理财产品收益", "信用卡分期手续费太高"]
    assert tickets(store)[1].customer_name == "欧阳娜娜"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_invalid_bytes_fail_their_row_only(store: Store, encoding: str) -> None:
    lines = [HEADER.encode(), good().encode(encoding), good(subject="坏\udcff字节").encode(encoding, "surrogateescape")]
    lines += [good(subject="第四行").encode(encoding), b"consultation,phone,,\xff\xfe,,n,,,,"]
    report = import_csv(store, "agent1", b"\n".join(lines) + b"\n", partial=True)
    assert report.imported == 2
    assert [(e.line, e.field) for e in report.errors] == [(3, "subject"), (5, "subject")]
    assert report.encoding == encoding.upper()


def test_invalid_bytes_in_an_atomic_import_write_nothing(store: Store) -> None:
    before = event_count(store)
    data = csv_bytes(good()) + b"consultation,phone,,\xc3\x28,,n,,,,\n"
    report = import_csv(store, "agent1", data)
    assert [(e.line, e.field) for e in report.errors] == [(3, "subject")]
    assert event_count(store) == before


# --------------------------------------------------------------------------- the file as a whole


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (csv_bytes(good(), header="kind,channel,subject,colour"), "colour"),
        (csv_bytes(good(), header="kind,channel,customer_name"), "subject"),
        (csv_bytes(good(), header="kind,channel,subject,customer_name,Kind"), "more than once"),
        (csv_bytes(good(), header="kind,channel,subject,description"), "customer_name or customer_phone"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, "Excel"),
        (codecs.BOM_UTF16_LE + "kind,channel".encode("utf-16-le"), "UTF-16"),
        (b"kind\x00,channel\n", "binary"),
    ],
    ids=[
        "empty",
        "blank",
        "unknown column",
        "missing subject",
        "duplicate",
        "no customer column",
        "xlsx",
        "utf16",
        "nul",
    ],
)
def test_a_file_that_is_not_a_contact_csv_is_refused_whole(store: Store, data: bytes, needle: str) -> None:
    before = event_count(store)
    with pytest.raises(ValidationError) as err:
        import_csv(store, "agent1", data, name="contacts.csv")
    assert needle in err.value.message
    assert "\n" not in err.value.message
    assert event_count(store) == before


def test_a_missing_header_is_named_without_leaking_the_first_row(store: Store) -> None:
    data = "\n".join([good(), good()]).encode()
    with pytest.raises(ValidationError) as err:
        import_csv(store, "agent1", data, name="contacts.csv")
    assert "header" in err.value.message
    assert_no_whole_number(err.value.message)


def test_header_names_are_case_and_space_insensitive(store: Store) -> None:
    header = "Kind, Channel ,SUBJECT,customer name,Customer-Phone"
    report = import_csv(store, "agent1", csv_bytes(f"complaint,walk-in,x,王芳,{NEW_PHONE}", header=header))
    assert report.imported == 1 and tickets(store)[0].channel == "walk_in"


def test_too_many_cells_fail_the_row(store: Store) -> None:
    report = import_csv(store, "agent1", csv_bytes(good() + ",extra"), partial=True)
    assert [(e.line, e.field) for e in report.errors] == [(2, "row")]


def test_read_rows_numbers_lines_from_the_header() -> None:
    rows, problems, encoding = read_rows(csv_bytes(good(), "", good()))
    assert [line for line, _ in rows] == [2, 4] and problems == [] and encoding == "UTF-8"


# --------------------------------------------------------------------------- atomicity, roles


def test_a_failure_while_writing_leaves_the_store_as_it_was(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    before = event_count(store)
    original = store._append
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return original(*args, **kwargs)

    monkeypatch.setattr(store, "_append", flaky)
    with pytest.raises(StoreUnavailable, match="nothing was written"):
        import_csv(
            store, "agent1", csv_bytes(good(), good(subject="b", name="李", phone="13700001111"), good(subject="c"))
        )
    monkeypatch.undo()
    assert calls["n"] == 4
    assert event_count(store) == before
    assert tickets(store) == []
    assert store.find_customers("agent1", NEW_PHONE) == []
    assert store.verify_audit().ok


@pytest.mark.parametrize("actor", ["analyst", "qa"])
def test_roles_without_create_rights_are_refused(store: Store, actor: str) -> None:
    with pytest.raises(PermissionDenied):
        import_csv(store, actor, csv_bytes(good()))
    with pytest.raises(PermissionDenied):
        add_contact(store, actor, {"kind": "consultation", "channel": "phone", "subject": "x", "customer_name": "王"})
    assert tickets(store) == []


def test_trainer_and_supervisor_may_import(store: Store) -> None:
    assert import_csv(store, "trainer", csv_bytes(good())).imported == 1
    assert import_csv(store, "sup", csv_bytes(good(subject="b"))).imported == 1


# --------------------------------------------------------------------------- one contact


def test_add_contact_creates_then_finds_the_customer(store: Store) -> None:
    cells = {
        "kind": "complaint",
        "channel": "phone",
        "subject": "扣费",
        "customer_name": "王芳",
        "customer_phone": NEW_PHONE,
    }
    ticket, customer = add_contact(store, "agent1", {**cells, "vip": "yes"})
    assert ticket.ref == "D01-000001" and ticket.kind == "complaint" and ticket.priority == "normal"
    assert customer is not None and customer.phone == "139****1111" and customer.vip
    again, same = add_contact(store, "agent1", {**cells, "customer_name": ""})
    assert same is not None and same.id == customer.id and again.ref == "D01-000002"


def test_add_contact_reports_every_field_masked(store: Store) -> None:
    with pytest.raises(ContactError) as err:
        add_contact(store, "agent1", {"kind": "x", "channel": "phone", "subject": "", "customer_phone": BAD_PHONE})
    assert [e.field for e in err.value.errors] == ["kind", "subject", "customer_phone"]
    assert_no_whole_number(err.value.message)
    assert tickets(store) == []
