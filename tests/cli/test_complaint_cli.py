"""`csdesk complaint list|notice` from a script: JSON with the clock, numbers masked, the notice text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from csdesk.data.store import Store
from csdesk.domain import complaint_clock
from csdesk.domain.when import today_local


def _desk(path: Path) -> tuple[str, str]:
    """A store (real clock, like the CLI's) with one complaint decided and one major open one."""
    store = Store.open(path, desk_id="D01")
    try:
        store.add_user(None, "zhou", "周敏", "supervisor")
        customer = store.create_customer("zhou", name="张伟", phone="13812345678")
        first = store.complaints.log(
            "zhou", customer_id=customer.id, channel="phone", business="credit_card", cause="pricing_fees",
            description="年费重复扣收",
        )
        store.complaints.decide("zhou", first.row.id, findings="属实", decision="退还年费", basis="合约第 5 条")
        major = store.complaints.log(
            "zhou", customer_id=customer.id, channel="letter", business="loan", cause="sales_practice",
            description="集体投诉", complainants=30,
        )
        return first.row.ref, major.row.id
    finally:
        store.close()


def test_list_json_has_the_clock_and_masks_numbers(run_cli, tmp_path: Path) -> None:
    """Issue 6 CLI: id, customer masked, accepted_at, deadline, days_remaining, paused, major."""
    path = tmp_path / "desk.sqlite3"
    _, major_id = _desk(path)
    done = run_cli("--store", str(path), "--user", "zhou", "complaint", "list", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert {"id", "customer", "accepted_at", "deadline", "days_remaining", "paused", "major"} <= set(rows[0])
    assert "13812345678" not in done.stdout and "138****5678" in rows[0]["customer"]
    today = today_local(datetime.now(UTC))
    deadline = complaint_clock.decision_deadline(today)
    assert all(r["deadline"] == deadline.isoformat() for r in rows)
    assert [r["major"] for r in rows if r["id"] == major_id] == [True]
    assert rows[0]["status"] == "open"  # undecided before decided
    soon = run_cli("--store", str(path), "--user", "zhou", "complaint", "list", "--due-within", "3", "--json")
    assert json.loads(soon.stdout) == []
    decided = run_cli("--store", str(path), "--user", "zhou", "complaint", "list", "--status", "decided", "--json")
    assert [r["status"] for r in json.loads(decided.stdout)] == ["decided"]


def test_notice_prints_in_both_languages(run_cli, tmp_path: Path) -> None:
    """Art. 19: the notice states the decision and the remedies, hotline 12378."""
    path = tmp_path / "desk.sqlite3"
    ref, major_id = _desk(path)
    zh = run_cli("--store", str(path), "--user", "zhou", "complaint", "notice", ref)
    assert zh.returncode == 0, zh.stderr
    assert "退还年费" in zh.stdout and "12378" in zh.stdout and "仲裁" in zh.stdout
    en = run_cli("--store", str(path), "--user", "zhou", "complaint", "notice", ref, "--lang", "en")
    assert "Decision" in en.stdout and "arbitration" in en.stdout
    undecided = run_cli("--store", str(path), "--user", "zhou", "complaint", "notice", major_id)
    assert undecided.returncode == 2 and undecided.stderr.startswith("csdesk: ") and "decide" in undecided.stderr
    nobody = run_cli("--store", str(path), "complaint", "list")
    assert nobody.returncode == 2 and "--user" in nobody.stderr
