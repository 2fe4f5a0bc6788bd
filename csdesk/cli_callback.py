"""``csdesk callback due|add``: callbacks for scripts.

``due`` prints the callbacks still to make that are overdue, due now or due within
``--within`` minutes (everyone's, or one agent's with ``--agent``); ``add`` schedules one
from a ticket (``--ticket REF``), a complaint (``--complaint ID``) or a customer found by
a whole phone number (``--customer-phone``). Customers are shown masked. A refused time
prints the rule broken and the nearest allowed time, exit status 2.

JSON (``--json``): ``due`` prints an array, ``add`` one object, each
``{"id", "due_at", "status", "purpose", "channel", "attempts", "max_attempts",
"assignee": {"id", "name"} | null, "customer": {"id", "name", "phone"}, "ticket_ref",
"complaint_id", "rule"}`` with times in ISO 8601 UTC and the phone masked.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csdesk.cli import _open_store, app, fail
from csdesk.cli_intake import _actor

if TYPE_CHECKING:
    from csdesk.data.callback_views import CallbackView

callback_app = typer.Typer(help="Callbacks: what is due, schedule one.", no_args_is_help=True)
app.add_typer(callback_app, name="callback")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _as_json(cb: CallbackView) -> dict[str, Any]:
    from csdesk.domain.masking import mask_text

    return {
        "id": cb.id,
        "due_at": cb.due_at.isoformat(),
        "status": cb.status,
        "purpose": cb.purpose,
        "channel": cb.channel,
        "attempts": cb.attempts,
        "max_attempts": cb.max_attempts,
        "assignee": {"id": cb.assignee_id, "name": cb.assignee_name} if cb.assignee_id else None,
        "customer": {"id": cb.customer_id, "name": mask_text(cb.customer_name), "phone": cb.customer_phone},
        "ticket_ref": cb.ticket_ref,
        "complaint_id": cb.complaint_id,
        "rule": cb.rule,
    }


def _line(cb: CallbackView) -> str:
    from csdesk.domain.masking import mask_text
    from csdesk.domain.when import DESK_TZ

    due = cb.due_at.astimezone(DESK_TZ).strftime("%Y-%m-%d %H:%M")
    who = cb.assignee_id or "-"
    return (
        f"{due}  {cb.status:9} {cb.purpose:20} {cb.channel:5} {who:12} "
        f"{mask_text(cb.customer_name)} {cb.customer_phone or ''}  {cb.ticket_ref or ''}".rstrip()
    )


@callback_app.command("due")
def callback_due(
    ctx: typer.Context,
    agent: Annotated[str | None, typer.Option("--agent", help="Only this agent's callbacks.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team's callbacks.")] = None,
    within: Annotated[int, typer.Option("--within", help="Also those due within MINUTES.", min=0)] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Callbacks overdue, due now, or due within --within minutes, earliest first."""
    actor = _actor(ctx)
    store = _open_store(ctx)
    try:
        rows = store.callbacks.due(actor, assignee_id=agent, team=team, within_minutes=within)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([_as_json(cb) for cb in rows], ensure_ascii=False))
        return
    if not rows:
        typer.echo("No callbacks due.")
    for cb in rows:
        typer.echo(_line(cb))


@callback_app.command("add")
def callback_add(
    ctx: typer.Context,
    purpose: Annotated[
        str, typer.Option(help="complaint_follow_up, satisfaction_survey, key_customer_care or business_progress.")
    ],
    due: Annotated[str, typer.Option(help="Desk time: 2026-11-24 10:00, 15:30 or +2h.")],
    ticket: Annotated[str | None, typer.Option("--ticket", help="Ticket reference, e.g. D01-000123.")] = None,
    complaint: Annotated[str | None, typer.Option("--complaint", help="Complaint id.")] = None,
    customer_phone: Annotated[str | None, typer.Option("--customer-phone", help="The customer's whole phone.")] = None,
    channel: Annotated[str, typer.Option(help="phone, sms or email.")] = "phone",
    assignee: Annotated[str | None, typer.Option(help="Who calls (team leads: someone else).")] = None,
    note: Annotated[str, typer.Option(help="What to talk about.")] = "",
    every: Annotated[str | None, typer.Option(help="once, daily, weekly or monthly.")] = None,
    interval: Annotated[str, typer.Option(help="Every N days, weeks or months.")] = "1",
    weekday: Annotated[list[str] | None, typer.Option(help="Weekly on mon..sun (repeat the option).")] = None,
    month_day: Annotated[str, typer.Option("--month-day", help="Monthly on this day (1-31).")] = "",
    until: Annotated[str, typer.Option(help="Last date, YYYY-MM-DD.")] = "",
    count: Annotated[str, typer.Option(help="How many times in all.")] = "",
    force_reason: Annotated[
        str | None, typer.Option("--force-reason", help="Why calling on a public holiday is needed.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Schedule a callback; a refused time names the rule and the nearest allowed time."""
    from csdesk.domain.callback_rules import ContactRefused
    from csdesk.domain.masking import normalize_phone
    from csdesk.domain.recurrence import rule_from_text

    actor = _actor(ctx)
    rule = rule_from_text(every or "once", interval, ",".join(weekday or []), until, count, month_day)
    store = _open_store(ctx)
    try:
        ticket_id = store.find_ticket_ref(actor, ticket).id if ticket else None
        customer_id = None
        if customer_phone:
            wanted = normalize_phone(customer_phone)
            found = [c for c in store.find_customers(actor, customer_phone) if c.phone and c.phone[-4:] == wanted[-4:]]
            if not found:
                raise fail("No customer has that phone number on record.")
            customer_id = found[0].id
        try:
            cb = store.callbacks.schedule(
                actor, purpose=purpose, due=due, customer_id=customer_id, ticket_id=ticket_id,
                complaint_id=complaint, channel=channel, assignee_id=assignee, note=note, rule=rule,
                force_reason=force_reason,
            )
        except ContactRefused as refused:
            raise fail(_refusal(refused)) from None
    finally:
        store.close()
    typer.echo(json.dumps(_as_json(cb), ensure_ascii=False) if as_json else f"Scheduled {_line(cb)}")


def _refusal(refused: Any) -> str:
    from csdesk.domain.when import DESK_TZ

    if refused.proposal is None:
        return str(refused.message)
    nearest = refused.proposal.astimezone(DESK_TZ).strftime("%Y-%m-%d %H:%M")
    return f"{refused.message} Nearest allowed time: {nearest} (desk time)."
