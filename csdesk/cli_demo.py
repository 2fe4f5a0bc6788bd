"""``csdesk demo``: open demo mode, and the trainer's commands on the demo store.

- ``csdesk demo [--seed N] [--tickets N] [--customers N] [--reset] [--no-launch]``: seed on
  first run (or after ``--reset``) and open the app on the isolated demo store.
- ``csdesk demo scenario list [--json]``: the scenarios (shipped and the trainer's own);
  files that did not load are listed on stderr with file and line.
- ``csdesk demo scenario run NAME [--trainee ID] [--speed N] [--seed N] [--once]``: start a
  run and drive the simulator in this terminal (contacts arrive, customers answer) until
  the scenario's time is up or Ctrl+C; then print the score.
- ``csdesk demo runs`` and ``csdesk demo score [--run ID] [--json | --csv]``: the score of
  a run (the newest by default); every export carries the DEMO marker.

Scenario commands act as the demo desk's trainer unless ``--user`` names someone else.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csdesk import cli
from csdesk.cli import LangOpt, StoreOpt, UserOpt, _launch, _settings, fail

if TYPE_CHECKING:
    from csdesk.desk import Desk

demo_app = typer.Typer(
    help="Open demo mode: an isolated store with realistic fake data that never syncs.",
    invoke_without_command=True,
)
scenario_app = typer.Typer(help="Training scenarios: list them, run one.", no_args_is_help=True)
demo_app.add_typer(scenario_app, name="scenario")

DEFAULT_SEED = 7
DEMO_TRAINER = "david.wong"
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@demo_app.callback()
def demo(
    ctx: typer.Context,
    seed: Annotated[int | None, typer.Option(help="Random seed: the same seed gives the same data (default 7).")] = (
        None
    ),
    tickets: Annotated[int | None, typer.Option(help="Tickets to seed (default 2,400).", min=1)] = None,
    customers: Annotated[
        int | None, typer.Option(help="Customers to seed (default 600, or a quarter of --tickets if more).", min=1)
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the demo store and seed it anew.")] = False,
    store: StoreOpt = None,
    user: UserOpt = None,
    lang: LangOpt = None,
    no_launch: Annotated[bool, typer.Option("--no-launch", help="Prepare the demo store only.")] = False,
) -> None:
    """Open demo mode: an isolated store with realistic fake data that never syncs."""
    if store is not None:
        ctx.obj["demo_store_path"] = store
    if user is not None:
        ctx.obj["user"] = user
    if lang is not None:
        ctx.obj["language"] = lang
    if reset:  # settings load here only when needed: the app loads them after its first frame
        _remove_demo_store(_settings(ctx).demo_store_path)
    if ctx.invoked_subcommand is not None:
        return
    if tickets and not customers and tickets > 4 * 600:
        customers = tickets // 4  # big stores for benchmarks keep about four tickets per customer
    extra = {
        "demo_seed": DEFAULT_SEED if seed is None else seed,
        "demo_tickets": tickets,
        "demo_customers": customers,
        "demo_shaped": any(value is not None for value in (seed, tickets, customers)),
    }
    if no_launch:
        from csdesk.launch import open_desk

        desk = open_desk(_launch(ctx, demo=True, **extra), progress=lambda m: typer.echo(m, err=True))
        info = desk.store.info()
        desk.store.close()
        typer.echo(f"Demo store {info.path}: {info.tickets:,} tickets, {info.customers:,} customers.")
        return
    cli._run_app(ctx, demo=True, **extra)


def _remove_demo_store(path: Path) -> None:
    from csdesk.data.api import StoreMode
    from csdesk.data.store import Store

    if not path.exists():
        return
    store = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO)  # refuses anything but a demo store
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _trainer_desk(ctx: typer.Context, speed: int = 1) -> Desk:
    """The demo desk signed in as the trainer (seeded first if needed), on a clock running ``speed``×."""
    from csdesk.domain.clock import AcceleratedClock
    from csdesk.launch import open_desk

    if not (ctx.obj or {}).get("user"):
        ctx.obj["user"] = DEMO_TRAINER
    launch = _launch(ctx, demo=True, demo_seed=DEFAULT_SEED, clock=AcceleratedClock(factor=speed))
    return open_desk(launch, progress=lambda m: typer.echo(m, err=True))


@scenario_app.command("list")
def scenario_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The scenarios a trainer can run; broken files are reported with file and line."""
    desk = _trainer_desk(ctx)
    try:
        trainer = desk.store.trainer
        scenarios, problems = trainer.scenarios(), trainer.problems()
    finally:
        desk.store.close()
    language = desk.t.language
    if as_json:
        rows = [
            {"id": s.id, "title": s.title.get(language), "checks": list(s.checks), "contacts": s.contacts,
             "minutes": s.minutes, "source": s.source}
            for s in scenarios
        ]
        typer.echo(json.dumps({"scenarios": rows, "problems": [str(p) for p in problems]}, ensure_ascii=False))
    else:
        for s in scenarios:
            typer.echo(f"{s.id:20} {s.minutes:3} min  {s.contacts:3} contact(s)  {s.title.get(language)}")
    for problem in problems:
        typer.echo(f"csdesk: scenario file not loaded: {problem}", err=True)


@scenario_app.command("run")
def scenario_run(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Scenario id, e.g. lost-card (see `csdesk demo scenario list`).")],
    trainee: Annotated[str, typer.Option(help="Who is being trained (default: the demo agent li.na).")] = "li.na",
    speed: Annotated[int, typer.Option(help="Simulated time runs this many times as fast (1-60).", min=1, max=60)] = 1,
    seed: Annotated[int, typer.Option(help="Random seed of the run's unscripted arrivals.")] = 1,
    once: Annotated[bool, typer.Option("--once", help="Start the run, play what is due now, and return.")] = False,
) -> None:
    """Start a scenario and drive it here: contacts arrive, customers answer, then the score."""
    desk = _trainer_desk(ctx, speed)
    trainer, actor = desk.store.trainer, desk.user.id
    try:
        run = trainer.start(actor, name, trainee, seed=seed)
    except BaseException:
        desk.store.close()
        raise
    try:
        typer.echo(f"Run {run.id}: {name} for {trainee} at ×{speed} (Ctrl+C ends it).")
        shown = 0
        while True:
            report = trainer.tick(actor, run.id)
            feed = trainer.feed(actor, run.id, limit=1000)
            for entry in feed[shown:]:
                who = "*" if entry.by_trainee else " "
                typer.echo(f"{who} {entry.at:%H:%M:%S} {entry.ticket_ref:12} {entry.kind:24} {entry.detail}")
            shown = len(feed)
            if once:
                return
            if report.over:
                break
            time.sleep(1)
    except KeyboardInterrupt:
        typer.echo("Stopped by the trainer.", err=True)
    finally:
        if not once:
            _print_report(trainer.finish(actor, run.id), run.id)
        desk.store.close()


def _print_report(report: Any, run_id: str) -> None:
    typer.echo(f"DEMO score of {report.trainee} on {report.scenario_id} (run {run_id}): {report.percent} / 100")
    for result in report.results:
        mark = "ok " if result.passed else "-- "
        typer.echo(f"  {mark}{result.check:18} {result.earned:3}/{result.points:<3} {result.reason}")


@demo_app.command("runs")
def runs(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every training run on the demo store, newest first."""
    desk = _trainer_desk(ctx)
    try:
        found = desk.store.trainer.runs(desk.user.id)
    finally:
        desk.store.close()
    rows = [
        {"id": r.id, "scenario": r.scenario_id, "trainee": r.trainee, "started_at": r.started_at.isoformat(),
         "finished": r.finished, "contacts": r.played}
        for r in found
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        state = "finished" if row["finished"] else "running"
        typer.echo(f"{row['id']}  {row['scenario']:20} {row['trainee']:12} {row['started_at'][:19]}  {state}")


@demo_app.command("score")
def score(
    ctx: typer.Context,
    run_id: Annotated[str | None, typer.Option("--run", help="Run id (default: the newest run).")] = None,
    as_json: JsonOpt = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row per check.")] = False,
) -> None:
    """The score of a trainee on a run, with the reason for each check; exports say DEMO."""
    from csdesk.data.score_export import score_csv, score_json

    desk = _trainer_desk(ctx)
    trainer, actor = desk.store.trainer, desk.user.id
    try:
        if run_id is None:
            latest = trainer.latest_run(actor)
            if latest is None:
                raise fail("There is no training run yet; start one with `csdesk demo scenario run NAME`.")
            run_id = latest.id
        run = trainer.run(actor, run_id)
        report = trainer.score(actor, run_id)
    finally:
        desk.store.close()
    if as_json:
        typer.echo(json.dumps(score_json(report, run), ensure_ascii=False))
    elif as_csv:
        typer.echo(score_csv(report, run), nl=False)
    else:
        _print_report(report, run_id)
