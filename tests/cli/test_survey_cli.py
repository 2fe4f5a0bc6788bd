"""`csdesk survey` from a script: define (options and file), preview, launch, results --json, errors."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from csdesk.data.store import Store


def _desk(path: Path) -> None:
    """A store (real clock) where two agents served four customers today."""
    store = Store.open(path, desk_id="D01")
    try:
        store.add_user(None, "zhou", "周敏", "supervisor", "A")
        store.add_user("zhou", "li", "李娜", "agent", "A")
        store.add_user("zhou", "wang", "王强", "agent", "B")
        for number, agent in enumerate(("li", "li", "li", "wang")):
            customer = store.create_customer(agent, name=f"客户{number}", phone=f"1381234567{number}")
            ticket = store.create_ticket(
                agent, kind="consultation", channel="phone", subject="问", customer_id=customer.id
            )
            store.claim_ticket(agent, ticket.id)
    finally:
        store.close()


def test_define_launch_and_results_json(run_cli, tmp_path: Path) -> None:
    """Issue 12: `csdesk survey results CAMPAIGN --json`; output carries no customer numbers."""
    path = tmp_path / "desk.sqlite3"
    _desk(path)
    base = ("--store", str(path), "--user", "zhou", "survey")
    today = date.today()
    spec = tmp_path / "q.yaml"
    spec.write_text(
        f"name: 本季度满意度调查\nstart: {today - timedelta(days=3)}\nend: {today + timedelta(days=1)}\n"
        "sample_size: 3\nquestions: ['总体满意度?', '服务态度?']\n",
        encoding="utf-8",
    )
    defined = run_cli(*base, "define", "--file", str(spec), "--json")
    assert defined.returncode == 0, defined.stderr
    campaign = json.loads(defined.stdout)
    assert campaign["questions"] == ["总体满意度?", "服务态度?"] and campaign["status"] == "defined"
    preview = run_cli(*base, "preview", "本季度满意度调查", "--json")
    assert json.loads(preview.stdout)["agents"] == [
        {"agent_id": "li", "served": 3, "sampled": 2}, {"agent_id": "wang", "served": 1, "sampled": 1},
    ]
    launched = run_cli(*base, "launch", campaign["id"][:13])
    assert launched.returncode == 0, launched.stderr
    assert "3 survey calls scheduled out of 4 customers" in launched.stdout
    results = run_cli(*base, "results", campaign["id"], "--json")
    assert results.returncode == 0, results.stderr
    data = json.loads(results.stdout)
    assert data["overall"]["sampled"] == 3 and data["overall"]["csat"] is None
    assert [row["name"] for row in data["by_agent"]] == ["李娜", "王强"]
    assert data["target"] == {"floor": 0.65, "goal": 0.75}
    listed = run_cli(*base, "list", "--json")
    assert [row["status"] for row in json.loads(listed.stdout)] == ["launched"]
    assert "1381234567" not in results.stdout + listed.stdout + preview.stdout


def test_errors_are_one_sentence_with_exit_status_2(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    _desk(path)
    base = ("--store", str(path), "--user", "zhou", "survey")
    today = date.today()
    period = ("--from", str(today - timedelta(days=3)), "--to", str(today + timedelta(days=1)))
    empty = run_cli(*base, "define", "--name", "big", *period, "--size", "9", "--kind", "complaint")
    assert empty.returncode == 0, empty.stderr
    refused = run_cli(*base, "launch", "big")
    assert refused.returncode == 2 and "No customer was served" in refused.stderr and "Traceback" not in refused.stderr
    assert "kinds complaint" in refused.stderr
    old = run_cli(*base, "define", "--name", "old", "--from", "2025-01-01", "--to", "2025-03-31", "--size", "1")
    assert old.returncode == 0, old.stderr
    late = run_cli(*base, "launch", "old")
    assert late.returncode == 2 and "more than 92 days ago" in late.stderr
    backwards = run_cli(*base, "define", "--name", "x", "--from", "2026-02-01", "--to", "2026-01-01", "--size", "1")
    assert backwards.returncode == 2 and "must start before it ends" in backwards.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nstart: [2026\n", encoding="utf-8")
    unreadable = run_cli(*base, "define", "--file", str(broken))
    assert unreadable.returncode == 2 and "not valid JSON or YAML at line" in unreadable.stderr
    missing = run_cli(*base, "results", "nothing-like-this")
    assert missing.returncode == 2 and "no survey campaign" in missing.stderr
    agent = run_cli("--store", str(path), "--user", "li", "survey", "launch", "big")
    assert agent.returncode == 2 and "may not" in agent.stderr
