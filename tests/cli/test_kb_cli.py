"""``csdesk kb``: stable JSON for scripts, one-sentence errors, reindex."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from csdesk.data.store import Store
from tests.kb.conftest import KB_DIR

Run = Callable[..., subprocess.CompletedProcess[str]]


def _store(tmp_path: Path) -> str:
    path = tmp_path / "desk.sqlite3"
    store = Store.open(path, desk_id="D01")
    store.add_user(None, "sup", "Sup", "supervisor")
    store.add_user("sup", "li", "Li", "agent")
    store.close()
    return str(path)


def test_search_json_best_first(run_cli: Run, tmp_path: Path) -> None:
    store = _store(tmp_path)
    result = run_cli("--store", store, "kb", "search", "丢卡", "--lang", "zh-CN", "--limit", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 3 and data[0]["id"] == "card-loss-report"
    assert set(data[0]) >= {"id", "title", "score", "snippet"}
    assert data[0]["title"] == "银行卡挂失"
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)


def test_search_without_a_user_is_agent_level_and_a_lead_sees_more(run_cli: Run, tmp_path: Path) -> None:
    store = _store(tmp_path)
    anonymous = run_cli("--store", store, "kb", "search", "escalate complaint supervisor", "--json", "--limit", "84")
    ids = {d["id"] for d in json.loads(anonymous.stdout)}
    assert "complaint-escalation" not in ids
    as_sup = run_cli("--store", store, "--user", "sup", "kb", "search", "escalate complaint supervisor", "--json")
    assert "complaint-escalation" in {d["id"] for d in json.loads(as_sup.stdout)}


def test_fts_syntax_is_just_text(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("--store", _store(tmp_path), "kb", "search", 'NEAR( "lost AND card* OR', "--json")
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)


def test_show_and_errors(run_cli: Run, tmp_path: Path) -> None:
    store = _store(tmp_path)
    shown = run_cli("--store", store, "kb", "show", "card-loss-report", "--lang", "en")
    assert shown.returncode == 0 and "Reporting a lost or stolen card" in shown.stdout and "## Script" in shown.stdout
    for args in (("kb", "show", "no-such-topic"), ("kb", "search", "x", "--lang", "fr"),
                 ("kb", "show", "complaint-escalation")):
        result = run_cli("--store", store, *args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("csdesk: ") and "Traceback" not in result.stderr


def test_reindex_reports_new_changed_unchanged(run_cli: Run, tmp_path: Path) -> None:
    store = _store(tmp_path)
    kb = tmp_path / "kb"
    shutil.copytree(KB_DIR, kb)
    first = run_cli("--store", store, "kb", "reindex", "--path", str(kb))
    assert first.returncode == 0 and "84 new" in first.stdout, first.stderr
    article = kb / "en" / "fees-schedule.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nNew line.\n", encoding="utf-8")
    second = run_cli("--store", store, "kb", "reindex", "--path", str(kb))
    assert "0 new, 1 changed, 83 unchanged" in second.stdout


def test_gaps_for_editors_as_json_and_refused_for_agents(run_cli: Run, tmp_path: Path) -> None:
    """`csdesk kb gaps --json` lists reported gaps for a supervisor; an agent is refused (exit 2)."""
    path = _store(tmp_path)
    store = Store.open(Path(path), desk_id="D01")
    store.kb.report_gap("li", None, "客户问数字人民币钱包怎么开通，知识库没有", query="数字人民币")
    store.close()
    result = run_cli("--store", path, "--user", "sup", "kb", "gaps", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [g["query"] for g in data] == ["数字人民币"] and data[0]["status"] == "open"
    refused = run_cli("--store", path, "--user", "li", "kb", "gaps")
    assert refused.returncode == 2 and "agent" in refused.stderr


def test_values_lists_every_placeholder_and_show_fills_them(run_cli: Run, tmp_path: Path) -> None:
    """`kb values` names what the firm has not set and where to set it; `kb show` puts the values in."""
    store = _store(tmp_path)
    listed = json.loads(run_cli("--store", store, "kb", "values", "--json").stdout)
    assert listed["file"] == str(tmp_path / "xdg-config" / "csdesk" / "kb_values.toml")
    assert listed["unset"] == len(listed["placeholders"]) > 100
    Path(listed["file"]).parent.mkdir(parents=True)
    Path(listed["file"]).write_text('[temporary_loss_report_validity]\nen = "5 days"\n', encoding="utf-8")
    missing = json.loads(run_cli("--store", store, "kb", "values", "--missing", "--json").stdout)
    assert missing["unset"] == listed["unset"] - 1
    assert "temporary_loss_report_validity" not in {p["name"] for p in missing["placeholders"]}
    shown = run_cli("--store", store, "kb", "show", "card-loss-report", "--lang", "en")
    assert shown.returncode == 0 and "lasts 5 days" in shown.stdout
    assert "not set by the firm yet" in shown.stderr and "cc_reissue_days" in shown.stderr
