"""``csdesk shared init`` and ``csdesk sync --once|--watch``: the shared PostgreSQL database.

``shared init --url URL`` creates or upgrades the shared schema. ``sync --once`` pushes
this desk's pending events and pulls the other desks' (exit 0, a one-line summary, or
``--json``); ``sync --watch`` keeps syncing until interrupted, printing state changes.
Demo stores refuse to sync. Messages never show customer data (events are not printed).
"""

from __future__ import annotations

import json
import signal
from typing import Annotated, Any

import typer

from csdesk.cli import DemoOpt, _open_store, _settings, fail

shared_app = typer.Typer(help="The shared PostgreSQL database all desks sync with.", no_args_is_help=True)
UrlOpt = Annotated[str | None, typer.Option("--url", help="Shared PostgreSQL URL (postgresql://...).")]


def _url(ctx: typer.Context, url: str | None) -> str:
    chosen = url or _settings(ctx).shared_db_url
    if not chosen:
        raise fail("No shared database: pass --url or set shared_db_url (CSDESK_SHARED_DB_URL).")
    return chosen


@shared_app.command("init")
def shared_init(ctx: typer.Context, url: UrlOpt = None) -> None:
    """Create or upgrade the shared schema (its own Alembic version table)."""
    import psycopg

    from csdesk.sync.schema import SHARED_HEAD, init_shared

    try:
        applied = init_shared(_url(ctx, url))
    except psycopg.OperationalError as exc:
        raise fail(f"Cannot reach the shared database: {str(exc).splitlines()[0]}.") from None
    state = f"applied {', '.join(applied)}" if applied else "already up to date"
    typer.echo(f"Shared schema {SHARED_HEAD}: {state}.")


def _summary(report: Any) -> dict[str, Any]:
    return {
        "pushed": report.push.pushed,
        "push_batches": report.push.batches,
        "flagged_clock_ahead": report.push.flagged,
        "pulled": report.pull.applied,
        "duplicates": report.pull.duplicates,
        "quarantined": [{"event_id": e, "reason": r} for e, r in report.push.quarantined + report.pull.quarantined],
    }


def sync_command(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Push and pull once, then exit.")] = False,
    watch: Annotated[bool, typer.Option("--watch", help="Keep syncing until interrupted (Ctrl-C).")] = False,
    url: UrlOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    demo_store: DemoOpt = False,
) -> None:
    """Sync this desk with the shared database (push pending events, pull the others')."""
    from csdesk.sync.engine import SyncRefused, SyncWorker, sync_once
    from csdesk.sync.server import CONNECTION_ERRORS

    if once == watch:
        raise fail("Choose one of --once or --watch.")
    store = _open_store(ctx, demo=demo_store)
    try:
        chosen = url or _settings(ctx).shared_db_url
        if once:
            report = sync_once(store, chosen)
            summary = _summary(report)
            if as_json:
                typer.echo(json.dumps(summary, ensure_ascii=False))
            else:
                typer.echo(
                    f"Pushed {summary['pushed']}, pulled {summary['pulled']}, "
                    f"quarantined {len(summary['quarantined'])}, clock flags {summary['flagged_clock_ahead']}."
                )
                for item in summary["quarantined"]:
                    typer.echo(f"  quarantined {item['event_id']}: {item['reason']}")
            return
        last: list[str] = [""]

        def show(status: Any) -> None:
            line = _status_line(status)
            if line != last[0]:  # print changes only
                last[0] = line
                typer.echo(line, err=not status.online)

        worker = SyncWorker(store, chosen, on_status=show)
        signal.signal(signal.SIGTERM, lambda *_: worker.stop())
        try:
            worker.run()
        except KeyboardInterrupt:
            worker.stop()
    except SyncRefused as exc:
        raise fail(exc.message) from None
    except CONNECTION_ERRORS as exc:
        raise fail(f"Cannot reach the shared database: {str(exc).splitlines()[0]}.") from None
    finally:
        store.close()


def _status_line(status: Any) -> str:
    if not status.online:
        since = status.offline_since.strftime("%H:%M") if status.offline_since else "?"
        return f"offline since {since} UTC: {status.last_error}; {status.pending} pending"
    state = "synced" if status.pending == 0 else f"{status.pending} pending"
    return f"{state}; {status.conflicts} conflicts"
