"""The ``csdesk`` command: the app, demo mode, and scriptable commands.

Every failure a person can cause (bad settings, an unusable store, a refused action)
prints one sentence to stderr and exits with status 2: never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from csdesk import __version__

app = typer.Typer(
    name="csdesk",
    help="csdesk: the customer-service desk workstation. Without a command it opens the desk.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="The local store: schema upgrades, facts, backups, retention.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail (hash-chained event log).", no_args_is_help=True)
user_app = typer.Typer(help="People who work at this desk.", no_args_is_help=True)
config_app = typer.Typer(help="Where settings come from.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(config_app, name="config")

EXIT_USER_ERROR = 2

StoreOpt = Annotated[Path | None, typer.Option("--store", help="SQLite store file of this desk.", show_default=False)]
DeskOpt = Annotated[str | None, typer.Option("--desk", help="Desk id (letters, digits, - and _).")]
UserOpt = Annotated[str | None, typer.Option("--user", help="User id to sign in as.")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Interface language: zh-CN or en.")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Settings file (TOML).", show_default=False)]
SharedOpt = Annotated[str | None, typer.Option("--shared-db", help="Shared PostgreSQL URL (postgresql://...).")]
DemoOpt = Annotated[bool, typer.Option("--demo", help="Act on the demo store instead of the desk's store.")]


def fail(message: str) -> typer.Exit:
    """Print ``message`` as one sentence on stderr; return the exit to raise."""
    typer.echo(f"csdesk: {message}", err=True)
    return typer.Exit(EXIT_USER_ERROR)


def _overrides(ctx: typer.Context, **extra: Any) -> dict[str, Any]:
    base = dict(ctx.obj or {})
    base.update({k: v for k, v in extra.items() if v is not None})
    return base


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csdesk {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    store: StoreOpt = None,
    desk: DeskOpt = None,
    user: UserOpt = None,
    lang: LangOpt = None,
    config: ConfigOpt = None,
    shared_db: SharedOpt = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Open the desk (the intake queue) unless a command is given."""
    ctx.obj = {
        "store_path": store,
        "desk_id": desk,
        "user": user,
        "language": lang,
        "shared_db_url": shared_db,
        "_config": config,
    }
    if ctx.invoked_subcommand is None:
        _run_app(ctx, demo=False)


def _launch(ctx: typer.Context, *, demo: bool, **extra: Any) -> Any:
    from csdesk.launch import Launch

    overrides = _overrides(ctx)
    config = overrides.pop("_config", None)
    return Launch(config_file=config, overrides=overrides, demo=demo, **extra)


def _run_app(ctx: typer.Context, *, demo: bool, **extra: Any) -> None:
    from csdesk.entry import run_app

    status = run_app(_launch(ctx, demo=demo, **extra))
    if status:
        raise typer.Exit(status)


def _settings(ctx: typer.Context) -> Any:
    from csdesk.config import load_settings

    overrides = _overrides(ctx)
    config = overrides.pop("_config", None)
    return load_settings(config, **overrides)


def _open_store(ctx: typer.Context, *, demo: bool = False) -> Any:
    from csdesk.data.api import StoreMode
    from csdesk.data.holiday_files import install_local_holidays
    from csdesk.data.store import Store

    settings = _settings(ctx)
    if demo:
        store = Store.open(settings.demo_store_path, desk_id="DEMO", mode=StoreMode.DEMO)
    else:
        store = Store.open(settings.store_path, desk_id=settings.desk_id)
    for warning in install_local_holidays():  # deadlines computed here follow the desk's notices too
        typer.echo(f"csdesk: {warning}", err=True)
    return store


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, demo_store: DemoOpt = False) -> None:
    """Create the store or bring its schema to this version of csdesk."""
    store = _open_store(ctx, demo=demo_store)
    info = store.info()
    store.close()
    typer.echo(f"Store {info.path} is at schema {info.schema_revision}.")


@db_app.command("info")
def db_info(
    ctx: typer.Context,
    demo_store: DemoOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts and identity of the store."""
    store = _open_store(ctx, demo=demo_store)
    info = store.info()
    store.close()
    data = {
        "path": info.path,
        "desk_id": info.desk_id,
        "mode": info.mode.value,
        "schema_revision": info.schema_revision,
        "users": info.users,
        "customers": info.customers,
        "tickets": info.tickets,
        "open_tickets": info.open_tickets,
        "events": info.events,
    }
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
    else:
        for key, value in data.items():
            typer.echo(f"{key:16} {value}")


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    demo_store: DemoOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Recompute the hash chain of every desk's events; name the first broken link."""
    store = _open_store(ctx, demo=demo_store)
    report = store.verify_audit()
    store.close()
    if as_json:
        typer.echo(json.dumps(report.__dict__ if hasattr(report, "__dict__") else _asdict(report)))
    elif report.ok:
        typer.echo(f"Audit trail intact: {report.events:,} events from {report.desks} desk(s).")
    else:
        typer.echo(
            f"Audit trail BROKEN at desk {report.desk_id} event #{report.desk_seq} ({report.event_id}): "
            f"{report.problem}.",
            err=True,
        )
    if not report.ok:
        raise typer.Exit(1)


def _asdict(value: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(value)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(help="User id, e.g. wang.fang.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="agent, specialist, team_lead, supervisor, qa, trainer or analyst.")],
    team: Annotated[str, typer.Option(help="Team name.")] = "",
    staff_no: Annotated[str, typer.Option(help="Staff number (工号) the agent gives customers, e.g. 1024.")] = "",
    demo_store: DemoOpt = False,
) -> None:
    """Add a user. The first user of an empty store needs no supervisor."""
    settings = _settings(ctx)
    store = _open_store(ctx, demo=demo_store)
    try:
        added = store.add_user(settings.user or None, user_id, name, role, team, staff_no)
    finally:
        store.close()
    typer.echo(f"Added {added.id} ({added.name}, {added.role}).")


@user_app.command("staff-no")
def user_staff_no(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument(help="User id, e.g. wang.fang.")],
    staff_no: Annotated[str, typer.Argument(help="Staff number (工号), e.g. 1024.")],
    demo_store: DemoOpt = False,
) -> None:
    """Set the staff number a user gives customers; scripts quote it as {{agent_id}} (supervisors)."""
    from csdesk.cli_intake import _actor

    actor = _actor(ctx)
    store = _open_store(ctx, demo=demo_store)
    try:
        user = store.set_staff_no(actor, user_id, staff_no)
    finally:
        store.close()
    typer.echo(f"{user.id} ({user.name}) now has staff number {user.staff_no}.")


@user_app.command("list")
def user_list(ctx: typer.Context, demo_store: DemoOpt = False) -> None:
    """List the users of this desk."""
    store = _open_store(ctx, demo=demo_store)
    users = store.list_users()
    store.close()
    for user in users:
        typer.echo(f"{user.id:20} {user.role:12} {user.team:10} {user.staff_no or '-':8} {user.name}")


@config_app.command("path")
def config_path(ctx: typer.Context) -> None:
    """Print where the settings file is read from."""
    from csdesk.config import default_config_file

    config = (ctx.obj or {}).get("_config")
    typer.echo(str(config or default_config_file()))


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """Print the effective settings (file, environment and flags combined)."""
    settings = _settings(ctx)
    for key, value in settings.model_dump().items():
        if key == "shared_db_url" and value and "@" in value:
            value = value.split("@", 1)[1]
        typer.echo(f"{key:16} {value}")


def main() -> None:
    """Entry point of the ``csdesk`` console script."""
    from csdesk.domain.errors import CsdeskError

    try:
        app()
    except CsdeskError as exc:
        typer.echo(f"csdesk: {exc.message}", err=True)
        sys.exit(EXIT_USER_ERROR)


import csdesk.cli_complaint  # noqa: E402  (registers `csdesk complaint`)
import csdesk.cli_db  # noqa: E402  (registers `csdesk db backup|restore|purge`)
import csdesk.cli_kb  # noqa: E402,F401  (registers `csdesk kb`)
from csdesk.cli_demo import demo_app  # noqa: E402
from csdesk.cli_intake import intake_app, queue_app  # noqa: E402
from csdesk.cli_sla import sla_app  # noqa: E402

app.add_typer(demo_app, name="demo")
app.add_typer(intake_app, name="intake")
app.add_typer(queue_app, name="queue")
app.add_typer(sla_app, name="sla")
from csdesk import cli_callback as _cli_callback  # noqa: E402,F401  (registers `csdesk callback`)
from csdesk.cli_sync import shared_app, sync_command  # noqa: E402

app.add_typer(shared_app, name="shared")
app.command("sync")(sync_command)
from csdesk import cli_business as _cli_business  # noqa: E402,F401  (registers `csdesk business`)
from csdesk import cli_calendar as _cli_calendar  # noqa: E402,F401  (registers `csdesk calendar`)
from csdesk import cli_report as _cli_report  # noqa: E402,F401  (registers `csdesk report`)
from csdesk import cli_survey as _cli_survey  # noqa: E402,F401  (registers `csdesk survey`)
