"""Record contacts in bulk from a CSV file (``csdesk intake import``) or one by one (``intake add``).

The file
--------
A header row is required; it names the columns, in any order (names are case-insensitive;
spaces and hyphens count as ``_``). Columns:

=====================  ========  =====================================================
column                 required  value
=====================  ========  =====================================================
kind                   yes       consultation, complaint, suggestion, business, callback
channel                yes       phone, chat, social, email, walk_in, letter, regulator
priority               no        normal (default), high, urgent
subject                yes       one line, at most 200 characters
description            no        free text, at most 20,000 characters
business               no        deposit, loan, bank_card, credit_card, payment,
                                 wealth_fund, insurance_agency, precious_metals, fx, other
cause                  no        service_attitude, process, pricing_fees, product_design,
                                 disclosure, sales_practice, contract_terms,
                                 debt_collection, data_security, system_failure, other
customer_name          (a)       the customer's name
customer_phone         (a)       mobile (13812345678, +86 ...) or landline with area code
customer_id_number     no        18-character resident ID number (check digit verified)
customer_card_no       no        bank card number, 16-19 digits (Luhn verified)
customer_account_no    no        account number, 8-32 digits
vip                    no        yes / no, 1 / 0, true / false, 是 / 否 (default no)
=====================  ========  =====================================================

(a) every row needs a customer name or a phone number; a row may instead give only an ID,
card or account number when that finds a customer on record (or one created earlier in the
file). The header needs at least one customer column. Enumerated values are case-insensitive.

Encoding: UTF-8, with or without a byte-order mark; when the file is not valid UTF-8 but is
valid GB18030 (Chinese Excel "CSV" exports), GB18030. Bytes that are valid in neither make
the rows they are in fail, with their line numbers; they never stop the import. Blank rows
(and rows of empty cells, as Excel leaves at the end) are ignored and not counted.

Rules for each row
------------------
Text is sanitised (:mod:`csdesk.domain.sanitize`: terminal escapes and control characters
go) and checked like the intake form: enumerations, lengths, identifiers (phone, ID number
check digit, card Luhn check, account digits). Messages never contain a whole identifier:
anything echoed passes through :func:`~csdesk.domain.masking.mask_text`, and any other run
of seven or more digits keeps only its last four.

The customer: a row is linked to the customer on record whose phone, ID, card or account
number equals (whole number) one given in the row, as ``Store.find_customers`` matches
numbers; names never match customers on record. With no match a new customer is created,
once per file: later rows with one of its numbers (or, for rows with a name only, the
same name) are linked to it. A row whose numbers match two different customers, or whose
ID number differs from that of the customer matched by another number, is rejected. A new
customer needs a name. Customers on record are never changed by an import.

Atomicity: every event of an import (new customers, then each ticket) is written in ONE
store transaction. By default (atomic) a single bad row means nothing is written and the
report lists every bad row; with ``partial=True`` the good rows are written and the bad
ones reported. The acting user needs ``ticket.create`` and ``customer.write``.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import DatabaseError

from csdesk.data.api import CustomerView, TicketRow
from csdesk.data.reducer import CUSTOMER
from csdesk.data.store import NAME_LIMIT, SUBJECT_LIMIT, TEXT_LIMIT, Store, _account_digits
from csdesk.domain.errors import StoreUnavailable, ValidationError
from csdesk.domain.masking import (
    mask_account,
    mask_card,
    mask_id_number,
    mask_phone,
    mask_text,
    normalize_phone,
    validate_card,
    validate_id_number,
)
from csdesk.domain.roles import Permission
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.tickets import Business, Cause, Channel, Kind, Priority
from csdesk.domain.uuid7 import uuid7

COLUMNS = (
    "kind",
    "channel",
    "priority",
    "subject",
    "description",
    "business",
    "cause",
    "customer_name",
    "customer_phone",
    "customer_id_number",
    "customer_card_no",
    "customer_account_no",
    "vip",
)
REQUIRED_COLUMNS = ("kind", "channel", "subject")
MAX_FILE_BYTES = 256 * 1024 * 1024
_ENUM_CHARS = 40
_ID_CHARS = 64
_YES = frozenset({"yes", "y", "1", "true", "是"})
_NO = frozenset({"no", "n", "0", "false", "否", ""})

# column -> (customer field, validator, masker)
_IDENTIFIERS: dict[str, tuple[str, Callable[[str], str], Callable[[str], str]]] = {
    "customer_phone": ("phone", normalize_phone, mask_phone),
    "customer_id_number": ("id_number", validate_id_number, mask_id_number),
    "customer_card_no": ("card_no", validate_card, mask_card),
    "customer_account_no": ("account_no", _account_digits, mask_account),
}
_COLUMN_OF = {store_field: column for column, (store_field, _, _) in _IDENTIFIERS.items()}
_ENUMS: dict[str, type] = {
    "kind": Kind,
    "channel": Channel,
    "priority": Priority,
    "business": Business,
    "cause": Cause,
}
_BAD_BYTES = re.compile("[\udc80-\udcff]")  # undecodable bytes, kept by "surrogateescape"
_DIGIT_RUN = re.compile("[0-9０-９](?:[ \\-\u00a0]?[0-9０-９]){6,}")


def shown(text: str) -> str:
    """``text`` safe to echo: identifiers masked, any run of 7+ digits reduced to its last 4."""

    def hide(match: re.Match[str]) -> str:
        run = match.group(0)
        positions = [i for i, ch in enumerate(run) if ch.isdigit()]
        keep = set(positions[-4:])
        return "".join("*" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(run))

    return _DIGIT_RUN.sub(hide, mask_text(text))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row (``line``: its first line in the file, the header is line 1) was refused."""

    line: int
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did. ``skipped`` rows were not written (bad rows; in atomic mode, all)."""

    total: int
    imported: int
    skipped: int
    errors: list[RowError] = field(default_factory=list)
    customers_created: int = 0
    atomic: bool = True
    encoding: str = "UTF-8"

    @property
    def rejected_rows(self) -> int:
        """How many rows had at least one error."""
        return len({e.line for e in self.errors})


class ContactError(ValidationError):
    """``intake add`` input that breaks a rule; ``errors`` lists every field at fault."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors[0].field, " ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


# --------------------------------------------------------------------------- one row


@dataclass(slots=True)
class Contact:
    """A checked row: the ticket payload (without customer) and who the customer is."""

    line: int
    ticket: dict[str, Any]
    name: str
    identifiers: dict[str, str]  # customer field -> canonical value
    vip: bool


def _enum(cells: Mapping[str, str], column: str, errors: list[RowError], line: int) -> str | None:
    raw = cells.get(column, "")
    try:
        value = sanitize_line(raw, max_chars=_ENUM_CHARS).strip().lower().replace("-", "_").replace(" ", "_")
    except ValidationError as exc:
        errors.append(RowError(line, column, exc.message))
        return None
    if not value:
        if column == "priority":
            return Priority.NORMAL.value
        if column in REQUIRED_COLUMNS:
            errors.append(RowError(line, column, f"Choose a {column}."))
        return None
    enum = _ENUMS[column]
    try:
        return str(enum(value).value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        errors.append(RowError(line, column, shown(f"Unknown {column} {value!r}; use one of: {allowed}.")))
        return None


def _text(
    cells: Mapping[str, str], column: str, limit: int, errors: list[RowError], line: int, *, one_line: bool
) -> str:
    raw = cells.get(column, "")
    try:
        if one_line:
            return sanitize_line(raw, max_chars=limit).strip()
        return sanitize_text(raw, max_chars=limit)
    except ValidationError as exc:
        errors.append(RowError(line, column, exc.message))
        return ""


def check_row(
    line: int, cells: Mapping[str, str], *, today: date | None = None
) -> tuple[Contact | None, list[RowError]]:
    """Check one row (column -> raw cell); return the contact, or None and every error found.

    Needs no store: customers are matched afterwards. Error messages never hold a whole number.
    """
    errors: list[RowError] = []
    for column, value in cells.items():
        if _BAD_BYTES.search(value):
            errors.append(
                RowError(line, column, "Holds bytes that are neither UTF-8 nor GB18030; save the file as CSV UTF-8.")
            )
    if errors:
        return None, errors
    kind = _enum(cells, "kind", errors, line)
    channel = _enum(cells, "channel", errors, line)
    priority = _enum(cells, "priority", errors, line)
    business = _enum(cells, "business", errors, line)
    cause = _enum(cells, "cause", errors, line)
    subject = _text(cells, "subject", SUBJECT_LIMIT, errors, line, one_line=True)
    if not subject and not any(e.field == "subject" for e in errors):
        errors.append(RowError(line, "subject", "Give the ticket a subject."))
    description = _text(cells, "description", TEXT_LIMIT, errors, line, one_line=False)
    name = _text(cells, "customer_name", NAME_LIMIT, errors, line, one_line=True)
    identifiers: dict[str, str] = {}
    for column, (store_field, validate, mask) in _IDENTIFIERS.items():
        try:
            raw = sanitize_line(cells.get(column, ""), max_chars=_ID_CHARS).strip()
        except ValidationError as exc:
            errors.append(RowError(line, column, exc.message))
            continue
        if not raw:
            continue
        try:
            if column == "customer_id_number":
                identifiers[store_field] = validate_id_number(raw, today=today)
            else:
                identifiers[store_field] = validate(raw)
        except ValidationError as exc:
            errors.append(RowError(line, column, shown(exc.message.replace(raw, mask(raw)))))
    vip_raw = sanitize_line(cells.get("vip", "")[:_ENUM_CHARS]).strip().lower()
    if vip_raw not in _YES | _NO:
        errors.append(RowError(line, "vip", shown(f"{vip_raw!r} is not yes or no (1/0, 是/否).")))
    if not name and not identifiers and not any(e.field.startswith("customer_") for e in errors):
        errors.append(
            RowError(line, "customer_name", "Give the customer's name, or a phone, ID, card or account number.")
        )
    if errors:
        return None, errors
    ticket = {
        "kind": kind,
        "channel": channel,
        "priority": priority,
        "subject": subject,
        "description": description,
        "business": business,
        "cause": cause,
        "assignee_id": None,
    }
    return Contact(line, ticket, name, identifiers, vip_raw in _YES), []


# --------------------------------------------------------------------------- customers


@dataclass(slots=True)
class _NewCustomer:
    id: str
    line: int
    payload: dict[str, Any]


class _Customers:
    """Finds the customer of each row: on record (whole numbers) or new in this file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.new: list[_NewCustomer] = []
        self._by_number: dict[tuple[str, str], _NewCustomer] = {}
        self._by_name: dict[str, list[_NewCustomer]] = {}
        self._cache: dict[tuple[str, str], list[Any]] = {}

    def _on_record(self, contact: Contact) -> list[Any]:
        wanted = [(f, v) for f, v in contact.identifiers.items() if (f, v) not in self._cache]
        if wanted:
            columns = {
                "phone": CUSTOMER.c.phone,
                "id_number": CUSTOMER.c.id_number,
                "card_no": CUSTOMER.c.card_no,
                "account_no": CUSTOMER.c.account_no,
            }
            with self.store._read() as conn:
                rows = list(conn.execute(select(CUSTOMER).where(or_(*(columns[f] == v for f, v in wanted)))))
            for f, v in wanted:
                self._cache[(f, v)] = [r for r in rows if getattr(r, f) == v]
        found: dict[str, Any] = {}
        for key in contact.identifiers.items():
            for row in self._cache[key]:
                found[row.id] = row
        return list(found.values())

    def resolve(self, contact: Contact) -> tuple[str, _NewCustomer | None] | RowError:
        """``(customer id, the new customer to create first or None)``, or why the row is refused."""
        line = contact.line
        records = self._on_record(contact)
        pending = {id(c): c for f_v in contact.identifiers.items() if (c := self._by_number.get(f_v))}
        if not contact.identifiers and contact.name:
            same_name = self._by_name.get(contact.name, [])
            if len(same_name) > 1:
                lines = ", ".join(str(c.line) for c in same_name)
                return RowError(
                    line,
                    "customer_name",
                    f"Several new customers of this file have this name (lines {lines}); add a phone number.",
                )
            pending = {id(c): c for c in same_name}
        if len(records) + len(pending) > 1:
            return RowError(line, "customer", "The numbers in this row belong to different customers; check them.")
        id_number = contact.identifiers.get("id_number")
        if records:
            row = records[0]
            if id_number and row.id_number and row.id_number != id_number:
                return RowError(
                    line,
                    "customer_id_number",
                    "Differs from the ID number of the customer on record with the same phone, card or account number.",
                )
            return row.id, None
        if pending:
            customer = next(iter(pending.values()))
            known = customer.payload.get("id_number")
            if id_number and known and known != id_number:
                return RowError(
                    line,
                    "customer_id_number",
                    f"Differs from the ID number given for the same customer on line {customer.line}.",
                )
            for store_field, value in contact.identifiers.items():
                if not customer.payload.get(store_field):
                    customer.payload[store_field] = value
                    self._by_number[(store_field, value)] = customer
            customer.payload["vip"] = customer.payload["vip"] or contact.vip
            return customer.id, None
        if not contact.name:
            return RowError(
                line, "customer_name", "No customer on record has this phone number; give the new customer's name."
            )
        payload: dict[str, Any] = {
            "name": contact.name,
            "phone": None,
            "id_number": None,
            "account_no": None,
            "card_no": None,
            "vip": contact.vip,
            "language": "zh-CN",
        }
        payload.update(contact.identifiers)
        customer = _NewCustomer(uuid7(self.store.clock), line, payload)
        self.new.append(customer)
        for key in contact.identifiers.items():
            self._by_number[key] = customer
        self._by_name.setdefault(contact.name, []).append(customer)
        return customer.id, customer


# --------------------------------------------------------------------------- the file


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding; undecodable bytes are kept as lone surrogates.

    UTF-8 (a BOM decides it), else GB18030 if the whole file is valid GB18030, else
    whichever of the two leaves fewer lines with bad bytes (UTF-8 on a tie).
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "surrogateescape"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").lstrip("\ufeff"), "GB18030"
    except UnicodeDecodeError:
        pass
    utf8 = data.decode("utf-8", "surrogateescape")
    gb = data.decode("gb18030", "surrogateescape")

    def bad_lines(text: str) -> int:
        return sum(1 for line in text.split("\n") if _BAD_BYTES.search(line))

    return (utf8, "UTF-8") if bad_lines(utf8) <= bad_lines(gb) else (gb, "GB18030")


def _column_name(raw: str) -> str:
    return sanitize_line(raw).strip().lower().replace(" ", "_").replace("-", "_")


def _header(record: list[str], source: str) -> list[str]:
    if any(_BAD_BYTES.search(cell) for cell in record):
        raise ValidationError("header", f"The header row of {source} has bytes that are neither UTF-8 nor GB18030.")
    names = [_column_name(cell) for cell in record]
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown:
        listed = ", ".join(repr(shown(n)[:40]) for n in unknown[:5])
        raise ValidationError(
            "header",
            f"The first row of {source} must be the header naming the columns; unknown column(s) {listed} "
            f"(the columns are: {', '.join(COLUMNS)}).",
        )
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        raise ValidationError("header", f"The header of {source} names {', '.join(duplicates)} more than once.")
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise ValidationError("header", f"The header of {source} lacks the required column(s) {', '.join(missing)}.")
    if not any(n.startswith("customer_") for n in names):
        raise ValidationError("header", f"The header of {source} needs a customer_name or customer_phone column.")
    return names


def read_rows(data: bytes, source: str = "the file") -> tuple[list[tuple[int, dict[str, str]]], list[RowError], str]:
    """Parse a CSV file: ``(line, column -> cell)`` rows, rows unreadable as such, encoding.

    Raises :class:`ValidationError` (one sentence) when the file as a whole is not a
    contact CSV: empty, binary, UTF-16, no header row, unknown or missing columns.
    """
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError("file", f"{source} is UTF-16 text; save it as CSV UTF-8 (or GB18030).")
    if head.startswith(b"PK\x03\x04"):
        raise ValidationError("file", f"{source} looks like an Excel workbook, not a CSV; save it as CSV UTF-8 first.")
    if b"\x00" in head:
        raise ValidationError("file", f"{source} is not a text CSV file (it holds binary data).")
    text, encoding = decode_csv(data)
    if not text.strip():
        raise ValidationError("file", f"{source} is empty; it needs a header row and one row per contact.")
    if len(text) >= csv.field_size_limit():  # one cell may be the whole file; oversize cells are refused per row
        csv.field_size_limit(min(len(text) + 1, sys.maxsize))
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[RowError] = []
    names: list[str] | None = None
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RowError(start, "row", f"Cannot be read as CSV ({exc}); nothing after it was read."))
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if names is None:
            names = _header(record, source)
            continue
        if len(record) > len(names):
            problems.append(RowError(line, "row", f"Has {len(record)} cells; the header names {len(names)} columns."))
            continue
        cells: dict[str, str] = {}
        stray = False
        for name, cell in zip(names, record, strict=False):
            if name:
                cells[name] = cell
            elif cell.strip():
                stray = True
        if stray:
            problems.append(RowError(line, "row", "Has a value in a column without a name in the header."))
            continue
        rows.append((line, cells))
    if names is None:
        raise ValidationError("header", f"{source} has no header row.")
    return rows, problems, encoding


def _require(store: Store, actor_id: str) -> None:
    store._require(actor_id, Permission.TICKET_CREATE)
    store._require(actor_id, Permission.CUSTOMER_WRITE)


def _items(
    store: Store, contacts: list[tuple[Contact, str, _NewCustomer | None]]
) -> tuple[list[tuple[str, str, str, dict[str, Any]]], list[int], list[str]]:
    items: list[tuple[str, str, str, dict[str, Any]]] = []
    ends: list[int] = []  # events written once row i is done
    ticket_ids: list[str] = []
    for contact, customer_id, new in contacts:
        if new is not None:
            items.append(("customer", new.id, "customer.created", dict(new.payload)))
        ticket_id = uuid7(store.clock)
        ticket_ids.append(ticket_id)
        items.append(("ticket", ticket_id, "ticket.created", {**contact.ticket, "customer_id": customer_id}))
        ends.append(len(items))
    return items, ends, ticket_ids


def _write(
    store: Store,
    actor_id: str,
    items: list[tuple[str, str, str, dict[str, Any]]],
    progress: Callable[[int], None] | None,
) -> None:
    try:
        store.write_events(actor_id, items, progress)
    except DatabaseError as exc:
        reason = str(exc.orig) if getattr(exc, "orig", None) else type(exc).__name__
        raise StoreUnavailable(f"Writing to the store failed ({reason}); nothing was written.") from exc


def import_csv(
    store: Store,
    actor_id: str,
    source: Path | bytes,
    *,
    partial: bool = False,
    progress: Callable[[int, int], None] | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import the contacts of a CSV file (path or bytes); see the module docstring.

    ``progress(done, total)`` counts steps: each row is checked, then each row to write is
    written (``total`` = rows + rows to write; it shrinks when rows are rejected).
    Raises :class:`PermissionDenied`, or :class:`ValidationError` for a file that is not a
    contact CSV (nothing is written then).
    """
    _require(store, actor_id)
    if isinstance(source, Path):
        label = name or source.name
        try:
            if source.stat().st_size > MAX_FILE_BYTES:
                raise ValidationError("file", f"{label} is larger than {MAX_FILE_BYTES // 2**20} MB; split it.")
            data = source.read_bytes()
        except OSError as exc:
            raise ValidationError("file", f"Cannot read {label}: {exc.strerror or exc}.") from None
    else:
        label, data = name or "the file", source
    rows, errors, encoding = read_rows(data, label)
    total = len(rows) + len({e.line for e in errors})
    steps = total * 2
    today = store.clock.now().date()
    customers = _Customers(store)
    good: list[tuple[Contact, str, _NewCustomer | None]] = []
    for done, (line, cells) in enumerate(rows, start=1):
        contact, row_errors = check_row(line, cells, today=today)
        if contact is not None:
            resolved = customers.resolve(contact)
            if isinstance(resolved, RowError):
                row_errors = [resolved]
            else:
                good.append((contact, *resolved))
        errors.extend(row_errors)
        if progress:
            progress(done, steps)
    errors.sort(key=lambda e: e.line)
    if errors and not partial:
        if progress:
            progress(total, total)
        return ImportReport(total, 0, total, errors, 0, True, encoding)
    items, ends, _ = _items(store, good)
    steps = total + len(good)
    if items:
        on_event = None
        if progress:

            def on_event(n: int) -> None:
                rows_done = bisect.bisect_right(ends, n)
                if rows_done and ends[rows_done - 1] == n:
                    progress(total + rows_done, steps)

        _write(store, actor_id, items, on_event)
    if progress:
        progress(steps, steps)
    created = sum(1 for _, _, new in good if new is not None)
    return ImportReport(total, len(good), total - len(good), errors, created, not partial, encoding)


def add_contact(store: Store, actor_id: str, cells: Mapping[str, str]) -> tuple[TicketRow, CustomerView | None]:
    """Record one contact (``csdesk intake add``): find or create its customer, then the ticket.

    ``cells`` uses the CSV column names. Both events are written in one transaction.
    Raises :class:`ContactError` listing every field at fault.
    """
    _require(store, actor_id)
    unknown = sorted(set(cells) - set(COLUMNS))
    if unknown:
        raise ValueError(f"unknown contact fields: {unknown}")
    contact, errors = check_row(0, cells, today=store.clock.now().date())
    if contact is None:
        raise ContactError(errors)
    resolved = _Customers(store).resolve(contact)
    if isinstance(resolved, RowError):
        raise ContactError([resolved])
    customer_id, _new = resolved
    items, _, [ticket_id] = _items(store, [(contact, customer_id, _new)])
    _write(store, actor_id, items, None)
    return store.get_ticket_row(actor_id, ticket_id), store.get_customer(actor_id, customer_id)
