"""``csdesk complaint list|notice``: complaints and their regulatory clock, for scripts and people.

``list`` prints each complaint with its days remaining (customer numbers masked), ordered
by days remaining; ``--due-within 3`` gives those a supervisor must see first. ``notice``
prints the decision notice (CBIRC Order 2020 No. 3 Art. 19) in zh-CN or en.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from csdesk.cli import _open_store, _settings, app, fail

complaint_app = typer.Typer(help="Complaints and their regulatory clock.", no_args_is_help=True)


def _user(ctx: typer.Context) -> str:
    settings = _settings(ctx)
    if not settings.user:
        raise fail("Say who you are: --user ID or CSDESK_USER.")
    return str(settings.user)


def _as_dict(row: Any) -> dict[str, Any]:
    from csdesk.domain.masking import mask_text

    customer = mask_text(row.customer_name)
    return {
        "id": row.id,
        "ref": row.ref,
        "customer": f"{customer} {row.customer_phone}" if row.customer_phone else customer,
        "status": row.status,
        "accepted_at": row.accepted_at.isoformat(),
        "deadline": row.deadline.isoformat(),
        "days_remaining": row.days_remaining,
        "paused": row.paused,
        "major": row.major,
    }


@complaint_app.command("list")
def complaint_list(
    ctx: typer.Context,
    due_within: Annotated[int | None, typer.Option("--due-within", help="Only open ones due within DAYS.")] = None,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="open, decided, notified, review or closed (repeatable).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Complaints ordered by days remaining."""
    user = _user(ctx)
    store = _open_store(ctx)
    try:
        rows = [_as_dict(r) for r in store.complaints.list(user, due_within=due_within, statuses=status or ())]
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        marks = ("P" if r["paused"] else "-") + ("!" if r["major"] else "-")
        typer.echo(
            f"{r['ref']}  {r['days_remaining']:>4}d  {r['deadline']}  {marks}  {r['status']:8}  {r['customer']}"
        )


@complaint_app.command("notice")
def complaint_notice(
    ctx: typer.Context,
    complaint: Annotated[str, typer.Argument(help="The complaint's id or its ticket reference.")],
    lang: Annotated[str, typer.Option("--lang", help="zh-CN or en.")] = "zh-CN",
) -> None:
    """Print the decision notice."""
    user = _user(ctx)
    store = _open_store(ctx)
    try:
        found = store.complaints.find(user, complaint)
        text = store.complaints.notice_text(user, found.id, lang)
    finally:
        store.close()
    typer.echo(text, nl=False)


app.add_typer(complaint_app, name="complaint")
