"""``csdesk demo`` for trainers, as a subprocess: scenarios, a run, the score as JSON and CSV (marked DEMO)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

Run = Callable[..., CompletedProcess[str]]


def test_trainer_commands_end_to_end(run_cli: Run, tmp_path: Path) -> None:
    """Seed a small demo store, list scenarios (a broken file is named with its line), run one, score it."""
    scenarios = tmp_path / "my-scenarios"
    scenarios.mkdir()
    (scenarios / "broken.yaml").write_text("id: broken\ntitle: B\nbriefing: B\narrivals: nope\nexpect: []\n")
    env = {"CSDESK_DEMO_STORE_PATH": str(tmp_path / "demo.sqlite3"), "CSDESK_SCENARIO_DIR": str(scenarios)}

    seeded = run_cli("demo", "--tickets", "40", "--customers", "10", "--no-launch", **env)
    assert seeded.returncode == 0, seeded.stderr
    assert "40 tickets, 10 customers" in seeded.stdout

    again = run_cli("demo", "--seed", "3", "--no-launch", **env)
    assert again.returncode == 0 and "add --reset" in again.stderr  # options on a seeded store are not silently lost

    listed = run_cli("--lang", "en", "demo", "scenario", "list", "--json", **env)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert {"lost-card", "mass-complaint", "suspected-fraud"} <= {s["id"] for s in data["scenarios"]}
    assert data["problems"] == [f"{scenarios / 'broken.yaml'}:4: Expected a list here."]
    assert "broken.yaml:4:" in listed.stderr

    none_yet = run_cli("demo", "score", **env)
    assert none_yet.returncode == 2 and "no training run" in none_yet.stderr

    started = run_cli("demo", "scenario", "run", "lost-card", "--once", **env)
    assert started.returncode == 0, started.stderr
    assert "ticket.created" in started.stdout and "钱包丢失" in started.stdout

    scored = run_cli("demo", "score", "--json", **env)
    assert scored.returncode == 0, scored.stderr
    report = json.loads(scored.stdout)
    assert report["marker"] == "DEMO" and report["demo"] is True
    assert report["scenario"] == "lost-card" and report["trainee"] == "li.na"
    assert report["percent"] == 30  # nobody answered; masking kept
    assert {c["check"]: c["passed"] for c in report["checks"]}["masking"] is True

    as_csv = run_cli("demo", "score", "--csv", **env)
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0][:2] == ["marker", "run_id"] and {row[0] for row in rows[1:]} == {"DEMO"}

    runs = run_cli("demo", "runs", "--json", **env)
    assert [r["scenario"] for r in json.loads(runs.stdout)] == ["lost-card"]


def test_the_trainee_may_not_run_scenarios(run_cli: Run, tmp_path: Path) -> None:
    """Starting a run needs the trainer or supervisor role: one sentence, exit status 2."""
    env = {"CSDESK_DEMO_STORE_PATH": str(tmp_path / "demo.sqlite3")}
    assert run_cli("demo", "--tickets", "20", "--customers", "5", "--no-launch", **env).returncode == 0
    refused = run_cli("demo", "--user", "li.na", "scenario", "run", "lost-card", "--once", **env)
    assert refused.returncode == 2
    assert refused.stderr.strip() == "csdesk: Your role (agent) may not do this: demo.run."
