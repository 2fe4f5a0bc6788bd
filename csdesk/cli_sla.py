"""``csdesk sla list|set``: the desk's service-level targets per kind and priority.

``list`` prints every kind × priority with its first-response and resolution targets and
whether they count calendar time or business hours (08:30-20:00 on CN working days);
``set`` changes one (supervisors only); new tickets use it, open tickets keep theirs.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from csdesk.cli import _open_store, _settings, fail

sla_app = typer.Typer(help="Service-level targets per ticket kind and priority.", no_args_is_help=True)


def _minutes(value: float) -> str:
    minutes = int(value)
    if minutes % (60 * 24) == 0:
        return f"{minutes // (60 * 24)}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


@sla_app.command("list")
def sla_list(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Print the targets in force."""
    store = _open_store(ctx)
    try:
        policies = store.sla_policies()
    finally:
        store.close()
    rows = [
        {
            "kind": p.kind,
            "priority": p.priority,
            "first_response_minutes": int(p.first_response.total_seconds() // 60),
            "resolution_minutes": int(p.resolution.total_seconds() // 60),
            "mode": p.mode.value,
        }
        for p in policies
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        typer.echo(
            f"{row['kind']:13} {row['priority']:7} first response {_minutes(row['first_response_minutes']):>6}"
            f"  resolution {_minutes(row['resolution_minutes']):>6}  {row['mode']}"
        )


@sla_app.command("set")
def sla_set(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="consultation, complaint, suggestion, business or callback.")],
    priority: Annotated[str, typer.Argument(help="normal, high or urgent.")],
    first_response: Annotated[int, typer.Option("--first-response", help="Minutes to the first response.")],
    resolution: Annotated[int, typer.Option("--resolution", help="Minutes to resolution.")],
    mode: Annotated[str, typer.Option(help="calendar or business (working hours).")] = "calendar",
) -> None:
    """Change one target (supervisors)."""
    settings = _settings(ctx)
    if not settings.user:
        raise fail("Say who you are: --user ID (a supervisor) or CSDESK_USER.")
    store = _open_store(ctx)
    try:
        policy = store.set_sla_policy(settings.user, kind, priority, first_response, resolution, mode)
    finally:
        store.close()
    typer.echo(
        f"{policy.kind} {policy.priority}: first response {_minutes(policy.first_response.total_seconds() // 60)}, "
        f"resolution {_minutes(policy.resolution.total_seconds() // 60)} ({policy.mode.value})."
    )
