"""`csdesk sla list|set` from a script."""

from __future__ import annotations

import json
from pathlib import Path


def test_list_and_set(run_cli, tmp_path: Path) -> None:
    store = str(tmp_path / "desk.sqlite3")
    assert run_cli("--store", store, "user", "add", "zhou", "--name", "周敏", "--role", "supervisor").returncode == 0
    listed = run_cli("--store", store, "sla", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 15
    assert {"kind", "priority", "first_response_minutes", "resolution_minutes", "mode"} <= set(rows[0])
    changed = run_cli(
        "--store", store, "--user", "zhou", "sla", "set", "complaint", "urgent", "--first-response", "15",
        "--resolution", "2880",
    )
    assert changed.returncode == 0, changed.stderr
    assert "15m" in changed.stdout and "2d" in changed.stdout
    rows = json.loads(run_cli("--store", store, "sla", "list", "--json").stdout)
    urgent = next(r for r in rows if r["kind"] == "complaint" and r["priority"] == "urgent")
    assert urgent["first_response_minutes"] == 15


def test_set_without_a_supervisor_is_one_sentence(run_cli, tmp_path: Path) -> None:
    store = str(tmp_path / "desk.sqlite3")
    run_cli("--store", store, "user", "add", "li", "--name", "李娜", "--role", "agent")
    refused = run_cli(
        "--store", store, "--user", "li", "sla", "set", "complaint", "urgent", "--first-response", "15",
        "--resolution", "60",
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("csdesk: ") and "Traceback" not in refused.stderr
