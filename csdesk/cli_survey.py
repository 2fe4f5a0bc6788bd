"""``csdesk survey``: satisfaction survey campaigns (满意度调查) for supervisors and scripts.

- ``list`` prints every campaign (``--json``: id, name, period, status, population, sampled, answered);
- ``define`` records a campaign from options or a JSON/YAML file (``--file``) with the same keys;
- ``preview CAMPAIGN`` shows the sample per agent a launch would draw now;
- ``launch CAMPAIGN`` draws the sample and schedules the survey callbacks;
- ``results CAMPAIGN [--json]`` prints CSAT overall, per agent, team and business, the
  question means and the quarter-over-quarter trend against the 65 % → 75 % target;
- ``close CAMPAIGN`` / ``cancel CAMPAIGN --reason``.
A campaign is named by its id, the start of its id, or its exact name. Bad input ends
with exit status 2 and the rule; output carries no customer identifiers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from csdesk.cli import _open_store, app, fail
from csdesk.cli_complaint import _user

survey_app = typer.Typer(help="Satisfaction survey campaigns: define, launch, results.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
T = TypeVar("T")
FILE_KEYS = (
    "name", "start", "end", "questions", "sample_size", "sample_share", "channel", "kinds", "businesses", "agents",
    "fatigue_days", "call_days",
)


def _call(ctx: typer.Context, use: Callable[[Any, str], T]) -> T:
    """``use(store, user)`` on the desk's store, closed afterwards."""
    user = _user(ctx)
    store = _open_store(ctx)
    try:
        return use(store, user)
    finally:
        store.close()


def _id(store: Any, user: str, campaign: str) -> str:
    """The id of the campaign named by id, id prefix or exact name."""
    return str(store.surveys.find(user, campaign).id)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def _campaign(c: Any) -> dict[str, Any]:
    return {
        "id": c.id, "name": c.name, "period_start": c.period_start.isoformat(), "period_end": c.period_end.isoformat(),
        "status": c.status, "channel": c.channel, "kinds": list(c.kinds), "businesses": list(c.businesses),
        "agents": list(c.agents), "sample_size": c.sample_size, "sample_share": c.sample_share,
        "questions": list(c.questions), "seed": c.seed, "fatigue_days": c.fatigue_days, "call_days": c.call_days,
        "population": c.population, "sampled": c.sampled, "answered": c.answered, "csat": c.csat,
        "excluded": {"do_not_contact": c.excluded_dnc, "recently_surveyed": c.excluded_recent,
                     "no_allowed_time": c.excluded_no_time},
    }


def _csat(row: Any, names: dict[str, str] | None = None) -> dict[str, Any]:
    result = {
        "key": row.key, "sampled": row.sampled, "answered": row.answered, "satisfied": row.satisfied,
        "csat": row.share, "mean": row.mean, "response_rate": row.response_rate, "target": row.mark.value,
    }
    if names is not None:
        result["name"] = names.get(row.key, row.key)
    return result


def _results(r: Any) -> dict[str, Any]:
    return {
        "campaign": _campaign(r.campaign),
        "overall": _csat(r.overall),
        "by_agent": [_csat(row, r.agent_names) for row in r.by_agent],
        "by_team": [_csat(row) for row in r.by_team],
        "by_business": [_csat(row) for row in r.by_business],
        "questions": [{"question": q, "mean": m} for q, m in zip(r.campaign.questions, r.question_means, strict=True)],
        "trend": [{"quarter": p.quarter, "csat": p.csat.share, "answered": p.csat.answered, "change_points": p.change}
                  for p in r.trend],
        "target": {"floor": r.target_floor, "goal": r.target_goal},
    }


@survey_app.command("list")
def survey_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every campaign, newest period first."""
    rows = _call(ctx, lambda store, user: [_campaign(c) for c in store.surveys.list(user)])
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['id'][:13]}  {r['period_start']}..{r['period_end']}  {r['status']:9}  "
                   f"{r['answered']:>4}/{r['sampled']:<4}  {r['name']}")


def _from_file(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"Cannot read the campaign file {path}: {exc.__class__.__name__}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise fail(f"The campaign file {path} is not valid JSON or YAML{where}.") from None
    if not isinstance(data, dict):
        raise fail(f"The campaign file {path} must hold a mapping of {', '.join(FILE_KEYS)}.")
    unknown = sorted(set(data) - set(FILE_KEYS))
    if unknown:
        raise fail(f"Unknown keys in {path}: {', '.join(map(str, unknown))}; use {', '.join(FILE_KEYS)}.")
    return {key: str(value) if key in ("start", "end") else value for key, value in data.items()}


@survey_app.command("define")
def survey_define(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option("--name", help="Campaign name.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="First day of service, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day of service, YYYY-MM-DD.")] = None,
    size: Annotated[int | None, typer.Option("--size", help="Sample size.")] = None,
    share: Annotated[float | None, typer.Option("--share", help="Sample share of the population, (0, 1].")] = None,
    channel: Annotated[str, typer.Option("--channel", help="phone, sms or email.")] = "phone",
    question: Annotated[list[str] | None, typer.Option("--question", help="Question (repeat; first: overall)")] = None,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only tickets of this kind (repeat).")] = None,
    business: Annotated[list[str] | None, typer.Option("--business", help="Only this business (repeat).")] = None,
    agent: Annotated[list[str] | None, typer.Option("--agent", help="Only customers of this agent (repeat).")] = None,
    fatigue_days: Annotated[int, typer.Option("--fatigue-days", help="Leave out those surveyed this recently.")] = 90,
    call_days: Annotated[int, typer.Option("--call-days", help="Spread the calls over this many working days.")] = 10,
    file: Annotated[Path | None, typer.Option("--file", help="JSON or YAML file with the same keys.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Define a campaign (supervisors) from options or a file."""
    options: dict[str, Any] = {
        "name": name, "start": start, "end": end, "sample_size": size, "sample_share": share, "channel": channel,
        "questions": question or None, "kinds": kind or (), "businesses": business or (), "agents": agent or (),
        "fatigue_days": fatigue_days, "call_days": call_days,
    }
    if file is not None:
        options.update(_from_file(file))
    if not options.get("start") or not options.get("end"):
        raise fail("Give the period of service: --from YYYY-MM-DD --to YYYY-MM-DD.")
    campaign = _call(ctx, lambda store, user: store.surveys.define(user, **options))
    if as_json:
        typer.echo(json.dumps(_campaign(campaign), ensure_ascii=False))
    else:
        typer.echo(f"Defined {campaign.id}: {campaign.name} (seed {campaign.seed}).")


@survey_app.command("preview")
def survey_preview(ctx: typer.Context, campaign: str, as_json: JsonOpt = False) -> None:
    """The sample per agent a launch would draw now."""
    preview = _call(ctx, lambda store, user: store.surveys.preview_campaign(user, _id(store, user, campaign)))
    rows = [{"agent_id": a.agent_id, "served": a.served, "sampled": a.sampled} for a in preview.agents]
    if as_json:
        typer.echo(json.dumps({"population": preview.population, "sample": preview.sample,
                               "excluded": {"do_not_contact": preview.excluded_dnc,
                                            "recently_surveyed": preview.excluded_recent},
                               "agents": rows}, ensure_ascii=False))
        return
    typer.echo(f"Population {preview.population}, sample {preview.sample} "
               f"(left out: {preview.excluded_dnc} do-not-contact, {preview.excluded_recent} surveyed recently).")
    for a in preview.agents:
        typer.echo(f"  {a.agent_id:16} served {a.served:>4}  sampled {a.sampled:>4}")


@survey_app.command("launch")
def survey_launch(ctx: typer.Context, campaign: str, as_json: JsonOpt = False) -> None:
    """Draw the sample and schedule the survey callbacks (supervisors)."""
    launched = _call(ctx, lambda store, user: store.surveys.launch(user, _id(store, user, campaign)))
    if as_json:
        typer.echo(json.dumps(_campaign(launched), ensure_ascii=False))
    else:
        typer.echo(f"Launched {launched.name}: {launched.sampled} survey calls scheduled "
                   f"out of {launched.population} customers.")


@survey_app.command("results")
def survey_results(ctx: typer.Context, campaign: str, as_json: JsonOpt = False) -> None:
    """CSAT (share of 4–5 on the overall question) per agent, team, business; trend per quarter."""
    data = _call(ctx, lambda store, user: _results(store.surveys.results(user, _id(store, user, campaign))))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    o = data["overall"]
    typer.echo(f"{data['campaign']['name']}: CSAT {_pct(o['csat'])} ({o['satisfied']}/{o['answered']} answered "
               f"4-5; {o['answered']}/{o['sampled']} responded); target 65 % -> 75 %: {o['target']}")
    for title, rows in (("agent", data["by_agent"]), ("team", data["by_team"]), ("business", data["by_business"])):
        for row in rows:
            typer.echo(f"  {title:8} {row.get('name', row['key']):20} {_pct(row['csat']):>8}  "
                       f"{row['answered']}/{row['sampled']}  {row['target']}")
    for point in data["trend"]:
        typer.echo(f"  quarter  {point['quarter']:20} {_pct(point['csat']):>8}")


def _finish(ctx: typer.Context, campaign: str, reason: str, cancel: bool) -> None:
    def finish(store: Any, user: str) -> Any:
        found = _id(store, user, campaign)
        return store.surveys.cancel(user, found, reason) if cancel else store.surveys.close(user, found, reason)

    done = _call(ctx, finish)
    typer.echo(f"{done.name}: {done.status}.")


@survey_app.command("close")
def survey_close(ctx: typer.Context, campaign: str, reason: Annotated[str, typer.Option("--reason")] = "") -> None:
    """Close a launched campaign; calls still to make are cancelled."""
    _finish(ctx, campaign, reason, cancel=False)


@survey_app.command("cancel")
def survey_cancel(ctx: typer.Context, campaign: str, reason: Annotated[str, typer.Option("--reason")] = "") -> None:
    """Cancel a campaign, saying why; calls still to make are cancelled."""
    _finish(ctx, campaign, reason, cancel=True)


app.add_typer(survey_app, name="survey")
