"""``csdesk business list``: business-assistance cases (业务协助) and their stages, for scripts and people.

``list`` prints each case, newest first, with the customer masked; ``--stage`` keeps the
cases of one stage (repeatable); ``--json`` prints ``[{"id", "ticket_ref", "customer",
"business_type", "stage", "department", "promised_at", "rework_count", "agent_id",
"documents": {doc_id: status}}]`` with times in ISO 8601 UTC.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from csdesk.cli import _open_store, app
from csdesk.cli_complaint import _user

business_app = typer.Typer(help="Business-assistance cases and their stages.", no_args_is_help=True)


def _as_dict(case: Any) -> dict[str, Any]:
    customer = f"{case.customer_name} {case.customer_phone or ''}".strip()
    return {
        "id": case.id,
        "ticket_ref": case.ticket_ref,
        "customer": customer,
        "business_type": case.business_type,
        "stage": case.stage,
        "department": case.department,
        "promised_at": case.promised_at.isoformat() if case.promised_at else None,
        "rework_count": case.rework_count,
        "agent_id": case.agent_id,
        "documents": {doc.doc_id: doc.status for doc in case.documents},
    }


@business_app.command("list")
def business_list(
    ctx: typer.Context,
    stage: Annotated[
        list[str] | None,
        typer.Option("--stage", help="draft, submitted, in_review, returned_for_rework, approved, rejected, completed"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Business cases, newest first."""
    user = _user(ctx)
    store = _open_store(ctx)
    try:
        cases = [c for s in (stage or [None]) for c in store.business.list(user, stage=s)]
    finally:
        store.close()
    rows = [_as_dict(c) for c in cases]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['ticket_ref']}  {r['business_type']:18}  {r['stage']:20}  {r['customer']}")


app.add_typer(business_app, name="business")
