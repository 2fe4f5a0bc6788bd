"""Hand-edits of the event log with sqlite3 are found by `csdesk audit verify`, which names the first broken link.

Rule (ARCHITECTURE.md): "The audit trail is the hash chain over the event log (per desk):
`csdesk audit verify` recomputes it and names the first broken link." The store-level
cases live in tests/store/test_event_log.py; here every kind of tampering goes through
the command too (exit status 1, desk and sequence named, JSON for scripts).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from csdesk.data.store import Store
from tests.store.conftest import DESK, raw_sql

#: name -> (SQL run by hand, first broken desk_seq, words of the problem).
TAMPERING: dict[str, tuple[tuple[str, ...], int, str]] = {
    "edit_payload": (("""UPDATE event SET payload = '{"subject":"Nothing"}' WHERE desk_seq = 9""",), 9, "edited"),
    "delete_row": (("DELETE FROM event WHERE desk_seq = 6",), 7, "gap"),
    "swap_desk_seq": (
        (
            "UPDATE event SET desk_seq = -1 WHERE desk_seq = 4",
            "UPDATE event SET desk_seq = 4 WHERE desk_seq = 5",
            "UPDATE event SET desk_seq = 5 WHERE desk_seq = -1",
        ),
        4,
        "reordered",
    ),
    "swap_hlc": (
        (
            "CREATE TEMP TABLE old_hlc AS SELECT desk_seq, hlc FROM event WHERE desk_seq IN (10, 11)",
            "UPDATE event SET hlc = (SELECT hlc FROM old_hlc WHERE old_hlc.desk_seq = 21 - event.desk_seq) "
            "WHERE desk_seq IN (10, 11)",
        ),
        10,
        "edited",
    ),
    "two_edits_first_named": (
        (
            "UPDATE event SET actor = 'sup' WHERE desk_seq = 11",
            "UPDATE event SET recorded_at = '2020-01-01 00:00:00.000000' WHERE desk_seq = 5",
        ),
        5,
        "edited",
    ),
}


@pytest.fixture
def closed_store(store: Store) -> Path:
    """A closed store file with 11 events of desk D01 (8 users, 2 tickets, 1 note)."""
    first = store.create_ticket("agent1", kind="complaint", channel="phone", subject="Fee charged twice")
    store.create_ticket("agent2", kind="consultation", channel="chat", subject="Opening hours")
    store.add_note("agent1", first.id, "Refund of 35.00 promised")
    store.close()
    return store.path


def test_every_tampering_is_named_by_store_and_cli(
    closed_store: Path, tmp_path: Path, run_cli: Callable[..., CompletedProcess[str]]
) -> None:
    """Editing, deleting or reordering rows by hand: verify fails (exit 1) at the first broken desk and sequence."""
    intact = run_cli("--store", str(closed_store), "audit", "verify", "--json")
    assert intact.returncode == 0
    assert json.loads(intact.stdout)["ok"] is True
    for name, (statements, seq, words) in TAMPERING.items():
        copy = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(closed_store, copy)
        raw_sql(copy, *statements)
        store = Store.open(copy, desk_id=DESK)
        try:
            report = store.verify_audit()
        finally:
            store.close()
        assert (report.ok, report.desk_id, report.desk_seq) == (False, DESK, seq), name
        assert words in (report.problem or ""), (name, report.problem)
        shown = run_cli("--store", str(copy), "audit", "verify")
        assert shown.returncode == 1, name
        assert f"BROKEN at desk {DESK} event #{seq} " in shown.stderr, (name, shown.stderr)
        as_json = json.loads(run_cli("--store", str(copy), "audit", "verify", "--json").stdout)
        assert (as_json["ok"], as_json["desk_id"], as_json["desk_seq"]) == (False, DESK, seq), name
