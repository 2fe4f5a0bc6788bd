"""`csdesk report kpi|staffing|export|target` (DOMAIN.md, "KPIs", "Staffing"; analysts see masked data only)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from csdesk.data.store import Store

PHONE = "13812345678"


@pytest.fixture
def store_path(tmp_path: Path) -> str:
    """A desk with a supervisor, an analyst, an agent and two answered phone tickets."""
    path = tmp_path / "desk.sqlite3"
    store = Store.open(path, desk_id="D01")
    store.add_user(None, "sup", "周主管", "supervisor")
    store.add_user("sup", "ana", "马超", "analyst")
    store.add_user("sup", "li", "李娜", "agent")
    customer = store.create_customer("li", name="张伟", phone=PHONE)
    for subject in ("查询余额 13812345678", "挂失"):
        ticket = store.create_ticket(
            "li", kind="consultation", channel="phone", subject=subject, customer_id=customer.id
        )
        store.claim_ticket("li", ticket.id)
    store.close()
    return str(path)


def test_kpi_table_json_and_csv(run_cli, store_path: str) -> None:
    """The same KPI rows in three formats; answered at once, so first response is on target."""
    table = run_cli("--store", store_path, "--user", "sup", "report", "kpi", "--period", "week")
    assert table.returncode == 0, table.stderr
    assert "first_response" in table.stdout and "ok" in table.stdout
    rows = json.loads(run_cli("--store", store_path, "--user", "ana", "report", "kpi", "--format", "json").stdout)
    [first] = [r for r in rows if r["kpi"] == "first_response"]
    assert (first["met"], first["due"], first["share"], first["on_target"]) == (2, 2, 1.0, True)
    as_csv = run_cli("--store", store_path, "--user", "sup", "report", "kpi", "--period", "quarter", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert parsed[0]["kpi"] == "first_response" and parsed[0]["due"] == "2"


def test_staffing_json(run_cli, store_path: str) -> None:
    """48 half-hours with forecast, Erlang C need and roster."""
    done = run_cli("--store", store_path, "--user", "sup", "report", "staffing", "--date", "2026-11-30", "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["target"] == 0.95 and plan["answer_seconds"] == 30 and len(plan["intervals"]) == 48
    assert {"forecast", "agents", "scheduled", "rostered", "gap"} <= set(plan["intervals"][0])


def test_export_is_masked(run_cli, store_path: str) -> None:
    """The analysts' export never carries a whole phone number, not even inside a subject."""
    done = run_cli(
        "--store", store_path, "--user", "ana", "report", "export", "--from", "2000-01-01", "--to", "2100-01-01"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 2 and rows[0]["customer_phone"] == "138****5678"
    assert PHONE not in done.stdout


def test_refusals_are_one_sentence(run_cli, store_path: str) -> None:
    """An agent may not read reports; a bad period or target is explained; exit status 2."""
    for args in (
        ("--user", "li", "report", "kpi"),
        ("--user", "sup", "report", "kpi", "--period", "month"),
        ("--user", "ana", "report", "target", "csat", "0.7"),
        ("--user", "sup", "report", "target", "csat", "70"),
    ):
        refused = run_cli("--store", store_path, *args)
        assert refused.returncode == 2, args
        assert refused.stderr.startswith("csdesk: ") and "Traceback" not in refused.stderr
    changed = run_cli("--store", store_path, "--user", "sup", "report", "target", "csat", "0.7")
    assert changed.returncode == 0 and "70.0%" in changed.stdout
