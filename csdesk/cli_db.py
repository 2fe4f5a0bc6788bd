"""``csdesk db backup|restore|purge``: copies of the store, checked restores, the retention purge.

``backup`` and ``restore`` work on the file (whoever may read the store file may copy it;
the copy is made readable by its owner only). ``purge`` is a use case of the store and
needs a supervisor (``--user``). Exit status 2 with one sentence for every refusal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csdesk.cli import DemoOpt, _open_store, _settings, db_app, fail


def _store_path(ctx: typer.Context, demo: bool) -> Path:
    settings = _settings(ctx)
    return Path(settings.demo_store_path if demo else settings.store_path)


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="New file to write the copy to (never overwritten).")],
    demo_store: DemoOpt = False,
) -> None:
    """Copy the store to TARGET, consistently, even while csdesk is running."""
    from csdesk.data.backup import backup_store

    report = backup_store(_store_path(ctx, demo_store), target)
    typer.echo(f"Backed up {report.events:,} events of desk {report.desk_id} to {report.path} (audit trail intact).")


@db_app.command("restore")
def db_restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A backup made by `csdesk db backup`.")],
    demo_store: DemoOpt = False,
) -> None:
    """Replace the store by a checked backup; the current store is kept aside, never deleted."""
    from csdesk.data.api import StoreMode
    from csdesk.data.backup import restore_store
    from csdesk.domain.clock import SystemClock

    mode = StoreMode.DEMO if demo_store else StoreMode.LIVE
    report = restore_store(source, _store_path(ctx, demo_store), SystemClock().now(), mode=mode)
    typer.echo(f"Restored {report.events:,} events of desk {report.desk_id} into {report.path}.")
    if report.kept_aside:
        typer.echo(f"The store it replaced is kept as {report.kept_aside}.")


@db_app.command("purge")
def db_purge(
    ctx: typer.Context,
    years: Annotated[int | None, typer.Option(help="Retention in years (default: setting retention_years).")] = None,
    demo_store: DemoOpt = False,
) -> None:
    """Remove records closed longer ago than the retention period (supervisors); the purge is audited."""
    settings = _settings(ctx)
    if not settings.user:
        raise fail("No user is set: a supervisor runs the purge with `csdesk --user ID db purge`.")
    store = _open_store(ctx, demo=demo_store)
    try:
        report = store.purge_closed(settings.user, years if years is not None else settings.retention_years)
    finally:
        store.close()
    typer.echo(
        f"Purged records closed before {report.cutoff:%Y-%m-%d}: {report.tickets:,} tickets, "
        f"{report.customers:,} customers, {report.events_redacted:,} events redacted (audit trail kept)."
    )
