"""``csdesk intake add|import`` and ``csdesk queue list``: record contacts and read the queue from scripts.

Every command acts as the configured user (``csdesk --user ID``, ``CSDESK_USER`` or ``user``
in the settings file). Customer identifiers are masked in everything printed.

Exit status: 0 done; 1 ``intake import`` rejected rows (atomic: nothing was written;
``--partial``: the other rows were); 2 a mistake of the person (one sentence on stderr).

JSON for scripts:

- ``intake add --json``: ``{"id", "ref", "kind", "channel", "priority", "status", "subject",
  "customer": {"id", "name", "phone", "id_number", "card_no", "account_no", "vip"}}``
  (identifiers masked, ``null`` when not on record);
- ``intake import --json``: ``{"total", "imported", "skipped", "customers_created", "mode",
  "encoding", "errors": [{"line", "field", "message"}]}``;
- ``queue list --json``: an array of ``{"id", "ref", "kind", "channel", "priority", "status",
  "subject", "created_at", "updated_at", "customer": {"id", "name", "vip"} | null,
  "assignee": {"id", "name"} | null}``, newest first.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csdesk.cli import DemoOpt, _open_store, _settings, fail

if TYPE_CHECKING:
    from csdesk.data.api import CustomerView, TicketRow
    from csdesk.data.intake_import import ImportReport

intake_app = typer.Typer(
    help="Record contacts: one from the command line, or many from a CSV file.", no_args_is_help=True
)
queue_app = typer.Typer(help="The intake queue, for scripts.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]

#: CSV column -> the option of ``intake add`` that fills it (for error messages)
_OPTION = {
    "kind": "--kind",
    "channel": "--channel",
    "priority": "--priority",
    "subject": "--subject",
    "description": "--description",
    "business": "--business",
    "cause": "--cause",
    "customer_name": "--customer-name",
    "customer_phone": "--customer-phone",
    "customer_id_number": "--customer-id-number",
    "customer_card_no": "--customer-card",
    "customer_account_no": "--customer-account",
    "vip": "--vip",
}


def _actor(ctx: typer.Context) -> str:
    user = _settings(ctx).user
    if not user:
        raise fail(
            "No user is set: name who is acting with `csdesk --user ID ...`, the CSDESK_USER "
            'environment variable, or `user = "ID"` in the settings file (`csdesk config path`).'
        )
    return str(user)


def _customer_json(customer: CustomerView | None) -> dict[str, Any] | None:
    if customer is None:
        return None
    from csdesk.domain.masking import mask_text

    return {
        "id": customer.id,
        "name": mask_text(customer.name),
        "phone": customer.phone,
        "id_number": customer.id_number,
        "card_no": customer.card_no,
        "account_no": customer.account_no,
        "vip": customer.vip,
    }


# --------------------------------------------------------------------------- intake add


@intake_app.command("add")
def intake_add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Option("--kind", help="consultation, complaint, suggestion, business or callback.")],
    channel: Annotated[
        str, typer.Option("--channel", help="phone, chat, social, email, walk_in, letter or regulator.")
    ],
    subject: Annotated[str, typer.Option("--subject", help="One line, at most 200 characters.")],
    priority: Annotated[str, typer.Option("--priority", help="normal, high or urgent.")] = "normal",
    description: Annotated[str, typer.Option("--description", help="What the customer said.")] = "",
    business: Annotated[str, typer.Option("--business", help="Business line (deposit, loan, ...).")] = "",
    cause: Annotated[str, typer.Option("--cause", help="Cause (service_attitude, process, ...).")] = "",
    customer_name: Annotated[str, typer.Option("--customer-name", help="The customer's name.")] = "",
    customer_phone: Annotated[str, typer.Option("--customer-phone", help="Mobile or landline.")] = "",
    customer_id_number: Annotated[str, typer.Option("--customer-id-number", help="18-character ID number.")] = "",
    customer_card: Annotated[str, typer.Option("--customer-card", help="Bank card number.")] = "",
    customer_account: Annotated[str, typer.Option("--customer-account", help="Account number.")] = "",
    vip: Annotated[bool, typer.Option("--vip", help="A key customer (new customers only).")] = False,
    as_json: JsonOpt = False,
    demo_store: DemoOpt = False,
) -> None:
    """Record one contact: find the customer by a whole number (or create one), then the ticket."""
    from csdesk.data.intake_import import ContactError, add_contact

    actor = _actor(ctx)
    cells = {
        "kind": kind,
        "channel": channel,
        "subject": subject,
        "priority": priority,
        "description": description,
        "business": business,
        "cause": cause,
        "customer_name": customer_name,
        "customer_phone": customer_phone,
        "customer_id_number": customer_id_number,
        "customer_card_no": customer_card,
        "customer_account_no": customer_account,
        "vip": "yes" if vip else "no",
    }
    store = _open_store(ctx, demo=demo_store)
    try:
        ticket, customer = add_contact(store, actor, cells)
    except ContactError as exc:
        raise fail(" ".join(f"{_OPTION.get(e.field, e.field)}: {e.message}" for e in exc.errors)) from None
    finally:
        store.close()
    if as_json:
        data = {
            "id": ticket.id,
            "ref": ticket.ref,
            "kind": ticket.kind,
            "channel": ticket.channel,
            "priority": ticket.priority,
            "status": ticket.status,
            "subject": _masked(ticket.subject),
            "customer": _customer_json(customer),
        }
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        typer.echo(ticket.ref)


def _masked(text: str) -> str:
    from csdesk.domain.masking import mask_text

    return mask_text(text)


# --------------------------------------------------------------------------- intake import


@intake_app.command("import")
def intake_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV file with a header row (UTF-8 or GB18030).", show_default=False)],
    partial: Annotated[
        bool,
        typer.Option("--partial", help="Write the good rows even when some are rejected (default: all or nothing)."),
    ] = False,
    as_json: JsonOpt = False,
    demo_store: DemoOpt = False,
) -> None:
    """Record many contacts from a CSV file; every bad row is reported with its line number."""
    from csdesk.data.intake_import import import_csv

    actor = _actor(ctx)
    if not file.exists():
        raise fail(f"There is no file {file}.")
    if file.is_dir():
        raise fail(f"{file} is a directory, not a CSV file.")
    store = _open_store(ctx, demo=demo_store)
    try:
        if sys.stderr.isatty():
            report = _import_with_progress(store, actor, file, partial)
        else:
            report = import_csv(store, actor, file, partial=partial)
    finally:
        store.close()
    if as_json:
        data = {
            "total": report.total,
            "imported": report.imported,
            "skipped": report.skipped,
            "customers_created": report.customers_created,
            "mode": "atomic" if report.atomic else "partial",
            "encoding": report.encoding,
            "errors": [{"line": e.line, "field": e.field, "message": e.message} for e in report.errors],
        }
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        typer.echo(_summary(report, file.name))
        for error in report.errors:
            typer.echo(f"line {error.line}: {error.field}: {error.message}")
    if report.errors:
        raise typer.Exit(1)


def _import_with_progress(store: Any, actor: str, file: Path, partial: bool) -> ImportReport:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from csdesk.data.intake_import import import_csv

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(f"Importing {file.name}", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return import_csv(store, actor, file, partial=partial, progress=progress)


def _summary(report: ImportReport, name: str) -> str:
    rejected = report.rejected_rows
    rows = f"{report.total:,} row{'s' if report.total != 1 else ''}"
    if rejected and report.atomic:
        good = report.total - rejected
        return (
            f"Nothing imported from {name}: {rejected:,} of {rows} rejected (all or nothing; fix them, "
            f"or use --partial to import the other {good:,})."
        )
    new = f"{report.customers_created:,} new customer{'s' if report.customers_created != 1 else ''}"
    if rejected:
        return f"Imported {report.imported:,} of {rows} from {name} ({new}); {rejected:,} rejected."
    return f"Imported {report.imported:,} of {rows} from {name} ({new})."


# --------------------------------------------------------------------------- queue list


def _choices(values: list[str] | None, enum: type[StrEnum], option: str) -> tuple[str, ...]:
    from csdesk.domain.masking import mask_text

    chosen: list[str] = []
    for value in values or ():
        for part in value.split(","):
            part = part.strip().lower().replace("-", "_")
            if not part:
                continue
            if part not in {m.value for m in enum}:
                allowed = ", ".join(m.value for m in enum)
                raise fail(f"Unknown {option} value {mask_text(part)[:40]!r}; use one of: {allowed}.")
            chosen.append(part)
    return tuple(dict.fromkeys(chosen))


@queue_app.command("list")
def queue_list(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="new, open, waiting_customer, ... (repeat).")
    ] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Ticket kind (repeat).")] = None,
    channel: Annotated[list[str] | None, typer.Option("--channel", help="Channel (repeat).")] = None,
    priority: Annotated[list[str] | None, typer.Option("--priority", help="normal, high, urgent (repeat).")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only tickets assigned to you.")] = False,
    unassigned: Annotated[bool, typer.Option("--unassigned", help="Only tickets nobody has.")] = False,
    text: Annotated[str, typer.Option("--text", help="Part of the subject, customer name or ticket id.")] = "",
    limit: Annotated[int, typer.Option("--limit", help="Most tickets to print.", min=1, max=100_000)] = 50,
    as_json: JsonOpt = False,
    demo_store: DemoOpt = False,
) -> None:
    """List tickets, newest first (all statuses unless --status is given)."""
    from csdesk.data.api import TicketQuery
    from csdesk.domain.tickets import Channel, Kind, Priority, Status

    actor = _actor(ctx)
    if mine and unassigned:
        raise fail("--mine and --unassigned exclude each other; choose one.")
    query = TicketQuery(
        text=text,
        statuses=_choices(status, Status, "--status"),
        kinds=_choices(kind, Kind, "--kind"),
        channels=_choices(channel, Channel, "--channel"),
        priorities=_choices(priority, Priority, "--priority"),
        assignee_id=actor if mine else None,
        unassigned=unassigned,
    )
    store = _open_store(ctx, demo=demo_store)
    try:
        rows = store.list_tickets(actor, query, limit=limit)
        total = None if as_json else store.count_tickets(actor, query)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([_ticket_json(r) for r in rows], ensure_ascii=False))
        return
    if not rows:
        typer.echo("No ticket matches.")
        return
    for line in _table(rows):
        typer.echo(line)
    typer.echo(f"{len(rows):,} of {total:,} matching ticket{'s' if total != 1 else ''}.")


def _ticket_json(row: TicketRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "ref": row.ref,
        "kind": row.kind,
        "channel": row.channel,
        "priority": row.priority,
        "status": row.status,
        "subject": _masked(row.subject),
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "customer": None
        if row.customer_id is None
        else {"id": row.customer_id, "name": _masked(row.customer_name or ""), "vip": row.customer_vip},
        "assignee": None if row.assignee_id is None else {"id": row.assignee_id, "name": row.assignee_name or ""},
    }


#: header, widest a column may grow (terminal cells)
_COLUMNS = (
    ("REF", 14),
    ("STATUS", 18),
    ("PRIORITY", 8),
    ("KIND", 12),
    ("CHANNEL", 9),
    ("CUSTOMER", 18),
    ("ASSIGNEE", 14),
    ("CREATED", 16),
    ("SUBJECT", 48),
)


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells (CJK counts two) with an ellipsis, then padded."""
    from rich.cells import cell_len

    if cell_len(text) > width:
        while text and cell_len(text) + 1 > width:
            text = text[:-1]
        text += "…"
    return text + " " * (width - cell_len(text))


def _table(rows: list[TicketRow]) -> list[str]:
    from rich.cells import cell_len

    from csdesk.domain.sanitize import sanitize_line

    cells = [
        [
            r.ref,
            r.status,
            r.priority,
            r.kind,
            r.channel,
            ("VIP " if r.customer_vip else "") + _masked(sanitize_line(r.customer_name or "-")),
            sanitize_line(r.assignee_name or "-"),
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            _masked(sanitize_line(r.subject)),
        ]
        for r in rows
    ]
    widths = [
        min(cap, max(cell_len(head), *(cell_len(row[i]) for row in cells))) for i, (head, cap) in enumerate(_COLUMNS)
    ]
    lines = ["  ".join(_fit(head, w) for (head, _), w in zip(_COLUMNS, widths, strict=True)).rstrip()]
    lines += ["  ".join(_fit(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return lines
