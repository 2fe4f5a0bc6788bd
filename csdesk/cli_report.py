"""``csdesk report``: KPIs against targets, staffing for a day, and a masked export for analysts.

``kpi`` prints each KPI per period bucket and scope with its target (table, JSON or CSV);
``staffing`` prints per half-hour the forecast arrivals, the Erlang C agents needed for
95 % answered within 30 s (shrinkage included) and the agents on the roster; ``export``
writes tickets of a period as CSV or JSON with every customer identifier masked;
``target`` changes a KPI's target (supervisors). Reading needs a role with reports
(team lead, supervisor, QA, analyst).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

import typer

from csdesk.cli import DemoOpt, _open_store, _settings, app, fail

report_app = typer.Typer(help="Reports: KPIs, staffing, exports for analysts.", no_args_is_help=True)
app.add_typer(report_app, name="report")

FormatOpt = Annotated[str, typer.Option("--format", help="table, json or csv.")]


def _actor(ctx: typer.Context) -> str:
    settings = _settings(ctx)
    if not settings.user:
        raise fail("Say who you are: --user ID (a team lead, supervisor, QA inspector or analyst) or CSDESK_USER.")
    return str(settings.user)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f}%"


def _emit(rows: list[dict[str, Any]], fmt: str, table: list[str]) -> None:
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, default=str))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["kpi"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
    elif fmt == "table":
        for line in table:
            typer.echo(line)
    else:
        raise fail(f"Unknown format {fmt!r}; use table, json or csv.")


@report_app.command("kpi")
def report_kpi(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="day, week or quarter.")] = "week",
    scope: Annotated[str, typer.Option("--scope", help="desk, team or agent.")] = "desk",
    buckets: Annotated[int | None, typer.Option("--buckets", help="How many periods, newest last.")] = None,
    fmt: FormatOpt = "table",
    demo_store: DemoOpt = False,
) -> None:
    """Every KPI of the desk against its target."""
    actor = _actor(ctx)
    store = _open_store(ctx, demo=demo_store)
    try:
        from csdesk.data.reports import kpi_export_rows

        rows = store.reports.kpis(actor, period, scope, buckets)
    finally:
        store.close()
    records = kpi_export_rows(rows)
    lines = [f"{'period':10} {'scope':14} {'kpi':24} {'met':>6} {'due':>6} {'share':>7} {'target':>7}  status"]
    for r in rows:
        status = "-" if r.on_target is None else ("ok" if r.on_target else "BELOW" if r.higher_is_better else "ABOVE")
        lines.append(
            f"{r.bucket:10} {r.key[:14]:14} {r.kpi:24} {r.met:>6} {r.due:>6} {_percent(r.share):>7} "
            f"{_percent(r.target):>7}  {status}"
        )
    if not rows:
        lines.append("(nothing was due in these periods)")
    _emit(records, fmt, lines)


@report_app.command("staffing")
def report_staffing(
    ctx: typer.Context,
    day: Annotated[str, typer.Option("--date", help="The day to plan, YYYY-MM-DD (desk time).")],
    aht: Annotated[int, typer.Option("--aht", help="Average handling time in seconds.")] = 300,
    shrinkage: Annotated[float, typer.Option("--shrinkage", help="Share of rostered time off the phones.")] = 0.3,
    weeks: Annotated[int, typer.Option("--weeks", help="Weeks of history for the forecast.")] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    demo_store: DemoOpt = False,
) -> None:
    """Forecast, Erlang C need (95 % within 30 s) and roster per half-hour."""
    actor = _actor(ctx)
    store = _open_store(ctx, demo=demo_store)
    try:
        plan = store.reports.staffing(actor, day, aht_seconds=aht, shrinkage=shrinkage, weeks=weeks)
    finally:
        store.close()
    intervals = [
        {
            "interval": i.label,
            "forecast": round(i.forecast, 2),
            "erlangs": round(i.erlangs, 3),
            "agents": i.agents,
            "scheduled": i.scheduled,
            "rostered": i.rostered,
            "gap": i.gap,
            "service_level": round(i.service_level, 4),
        }
        for i in plan.intervals
    ]
    if as_json:
        head = {k: getattr(plan, k) for k in ("day", "aht_seconds", "shrinkage", "target", "answer_seconds", "weeks")}
        typer.echo(json.dumps({**head, "intervals": intervals}))
        return
    typer.echo(f"{'time':5} {'forecast':>8} {'erlangs':>8} {'needed':>6} {'rostered':>8} {'gap':>5}")
    for row in intervals:
        if row["forecast"] or row["rostered"]:
            typer.echo(
                f"{row['interval']:5} {row['forecast']:>8} {row['erlangs']:>8} {row['scheduled']:>6} "
                f"{row['rostered']:>8} {row['gap']:>5}"
            )


@report_app.command("export")
def report_export(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    until: Annotated[str, typer.Option("--to", help="Last day (included), YYYY-MM-DD.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    demo_store: DemoOpt = False,
) -> None:
    """Tickets of a period for analysts; phone numbers and text masked, never whole."""
    actor = _actor(ctx)
    try:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
    except ValueError:
        raise fail("Dates are written YYYY-MM-DD.") from None
    if last < first:
        raise fail("--to must not be before --from.")
    if fmt not in ("csv", "json"):
        raise fail(f"Unknown format {fmt!r}; use csv or json.")
    from csdesk.domain.kpi import DESK_TZ

    start = datetime.combine(first, time(0), DESK_TZ).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), DESK_TZ).astimezone(UTC)
    store = _open_store(ctx, demo=demo_store)
    try:
        from csdesk.data.reports import export_tickets

        rows = export_tickets(store, actor, start, end)
    finally:
        store.close()
    _emit(rows, fmt, [])


@report_app.command("target")
def report_target(
    ctx: typer.Context,
    kpi: Annotated[str, typer.Argument(help="first_response, consultation_timeliness, csat, ...")],
    value: Annotated[float, typer.Argument(help="The target as a share, e.g. 0.95.")],
) -> None:
    """Change a KPI's target (supervisors)."""
    actor = _actor(ctx)
    store = _open_store(ctx)
    try:
        target = store.reports.set_kpi_target(actor, kpi, value)
    finally:
        store.close()
    typer.echo(f"{target.kpi}: target {_percent(target.value)}.")
