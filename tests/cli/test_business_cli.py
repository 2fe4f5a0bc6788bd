"""`csdesk business list --json` from a script: stages, customers masked, the --stage filter."""

from __future__ import annotations

import json
from pathlib import Path

from csdesk.data.store import Store


def _desk(path: Path) -> str:
    """A store (real clock) with one fund redemption passed to the department and one draft loss report."""
    store = Store.open(path, desk_id="D01")
    try:
        store.add_user(None, "zhou", "周敏", "supervisor")
        customer = store.create_customer("zhou", name="张伟", phone="13812345678")
        ticket = store.create_ticket("zhou", kind="business", channel="phone", subject="赎回", customer_id=customer.id)
        case = store.business.open_case("zhou", ticket.id, "fund_redemption")
        for doc in case.documents:
            store.business.check_document("zhou", case.id, doc.doc_id, "received")
        store.business.pass_to_department("zhou", case.id)
        store.business.open_case("zhou", ticket.id, "card_loss")
        return case.id
    finally:
        store.close()


def test_list_json_filters_by_stage_and_masks_customers(run_cli, tmp_path: Path) -> None:
    """Issue 12: `csdesk business list [--stage ...] --json`, customers masked."""
    path = tmp_path / "desk.sqlite3"
    passed = _desk(path)
    done = run_cli("--store", str(path), "--user", "zhou", "business", "list", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert sorted(r["stage"] for r in rows) == ["draft", "submitted"]
    assert "13812345678" not in done.stdout and all("138****5678" in r["customer"] for r in rows)
    submitted = run_cli("--store", str(path), "--user", "zhou", "business", "list", "--stage", "submitted", "--json")
    (row,) = json.loads(submitted.stdout)
    assert (row["id"], row["business_type"], row["department"]) == (passed, "fund_redemption", "Fund Operations")
    assert row["documents"] == {"id_card": "received", "redemption_form": "received", "bank_card": "received"}
    bad = run_cli("--store", str(path), "--user", "zhou", "business", "list", "--stage", "lost")
    assert bad.returncode != 0 and "A stage is one of" in bad.stderr
