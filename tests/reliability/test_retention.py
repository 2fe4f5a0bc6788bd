"""Retention purge: closed records past the period are removed, audited, and the audit chain still verifies.

Rule (DOMAIN.md, complaint clock): "Records of complaint handling are kept (retention: at
least 3 years, configurable)"; Data protection: no customer data kept beyond that.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from csdesk.data.eventlog import redaction_marker
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import PermissionDenied, ValidationError
from tests.pii_scan import SAMPLES, find_pii
from tests.store.conftest import event_count, events, raw_sql


def _closed_ticket(store: Store, subject: str, customer_id: str | None, note: str) -> str:
    ticket = store.create_ticket("agent1", kind="complaint", channel="phone", subject=subject, customer_id=customer_id)
    store.add_note("agent1", ticket.id, note)
    store.change_status("agent1", ticket.id, "resolved")
    store.change_status("agent1", ticket.id, "closed")
    return ticket.id


@pytest.fixture
def aged(store: Store, clock: FrozenClock) -> dict[str, str]:
    """An old closed ticket of an old customer, an old open ticket, and a recent closed one of a kept customer."""
    gone = store.create_customer("agent1", name="Old Customer", phone=SAMPLES["phone"], card_no=SAMPLES["card_no"])
    kept = store.create_customer("agent1", name="Kept Customer", id_number=SAMPLES["id_number"])
    old = _closed_ticket(store, "Old matter", gone.id, f"Customer called from {SAMPLES['phone']}")
    old_of_kept = _closed_ticket(store, "Old matter of a kept customer", kept.id, f"Card {SAMPLES['card_no']}")
    still_open = store.create_ticket("agent1", kind="consultation", channel="chat", subject="Never closed").id
    store.reveal("agent1", gone.id, "phone", old)
    clock.advance(timedelta(days=3 * 365 + 2))
    recent = _closed_ticket(store, "Recent matter", kept.id, "Called back, satisfied")
    return {"gone": gone.id, "kept": kept.id, "old": old, "old_of_kept": old_of_kept, "open": still_open,
            "recent": recent}


def test_purge_removes_expired_records_and_keeps_the_chain(store: Store, aged: dict[str, str]) -> None:
    """DOMAIN.md: records kept at least 3 years; a purge after that removes them and the audit trail verifies."""
    report = store.purge_closed("sup", years=3)
    assert (report.tickets, report.customers) == (2, 1)
    # per ticket: created, note, resolved, closed; the customer: created, revealed
    assert report.events_redacted == 2 * 4 + 2
    remaining = {t.id for t in store.list_tickets("sup")}
    assert remaining == {aged["open"], aged["recent"]}
    assert [c.id for c in store.find_customers("sup", "Customer")] == [aged["kept"]]
    audit = store.verify_audit()
    assert audit.ok, audit
    before = store.snapshot()
    store.rebuild_projections()
    assert store.snapshot() == before
    purge = events(store)[-1]
    assert (purge.kind, purge.actor) == ("retention.purged", "sup")
    assert json.loads(purge.payload)["entities"] == {"ticket": sorted([aged["old"], aged["old_of_kept"]]),
                                                     "customer": [aged["gone"]]}


def test_purged_customer_data_leaves_the_file(store: Store, aged: dict[str, str]) -> None:
    """DOMAIN.md data protection: after the purge no byte of the file (or its WAL) holds the purged numbers."""
    store.purge_closed("sup", years=3)
    store.close()
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = store.path.read_bytes().decode("latin-1")
    assert find_pii(raw, {"phone": SAMPLES["phone"], "card_no": SAMPLES["card_no"]}) == []
    assert SAMPLES["id_number"] in raw  # the kept customer's record is still there


def test_nothing_is_purged_inside_the_period(store: Store, aged: dict[str, str], clock: FrozenClock) -> None:
    """DOMAIN.md: retention is configurable, at least 3 years: a longer period keeps everything."""
    report = store.purge_closed("sup", years=5)
    assert (report.tickets, report.customers, report.events_redacted) == (0, 0, 0)
    assert store.count_tickets("sup") == 4
    assert store.verify_audit().ok


@pytest.mark.parametrize("years", [0, 2, -1, 101])
def test_period_below_the_minimum_is_refused(store: Store, aged: dict[str, str], years: int) -> None:
    """DOMAIN.md: retention at least 3 years; a shorter period is refused and nothing is written."""
    before = event_count(store)
    with pytest.raises(ValidationError) as info:
        store.purge_closed("sup", years=years)
    assert "at least 3" in info.value.message
    assert event_count(store) == before


@pytest.mark.parametrize("actor", ["agent1", "lead", "qa", "analyst", "trainer"])
def test_only_a_supervisor_purges_and_refusals_are_audited(store: Store, aged: dict[str, str], actor: str) -> None:
    """DOMAIN.md: the supervisor edits settings; a refusal is recorded as access.denied."""
    before = event_count(store)
    with pytest.raises(PermissionDenied):
        store.purge_closed(actor, years=3)
    assert [ev.kind for ev in events(store)[before:]] == ["access.denied"]
    assert store.count_tickets("sup") == 4


def test_a_redaction_marker_outside_a_purge_is_tampering(store: Store, aged: dict[str, str]) -> None:
    """The audit trail shows a blanked event as tampering unless a retention purge named its record."""
    victim = next(ev for ev in events(store) if ev.kind == "ticket.note_added")
    marker = redaction_marker(victim.payload, "forged").replace("'", "''")
    store.close()
    raw_sql(store.path, f"UPDATE event SET payload = '{marker}' WHERE desk_seq = {victim.desk_seq}")
    reopened = Store.open(store.path, desk_id="D01")
    try:
        report = reopened.verify_audit()
    finally:
        reopened.close()
    assert not report.ok
    assert (report.desk_id, report.desk_seq) == ("D01", victim.desk_seq)
    assert "retention purge" in (report.problem or "")


def test_cli_purge(store: Store, run_cli: Callable[..., CompletedProcess[str]], tmp_path: Path) -> None:
    """`csdesk db purge` uses the retention_years setting; an agent is refused (exit 2), a supervisor purges."""
    path = store.path
    store.close()
    past = Store.open(path, desk_id="D01", clock=FrozenClock(datetime(2021, 3, 1, tzinfo=UTC)))
    gone = past.create_customer("agent1", name="Old Customer", phone=SAMPLES["phone"])
    _closed_ticket(past, "Old matter", gone.id, "Done")
    past.close()
    base = ("--store", str(path), "--desk", "D01")
    refused = run_cli(*base, "--user", "agent1", "db", "purge")
    assert refused.returncode == 2 and "retention.purge" in refused.stderr
    kept = run_cli(*base, "--user", "sup", "db", "purge", CSDESK_RETENTION_YEARS="10")
    assert kept.returncode == 0 and "0 tickets" in kept.stdout
    config = tmp_path / "csdesk.toml"
    config.write_text("retention_years = 2\n")
    bad = run_cli(*base, "--config", str(config), "--user", "sup", "db", "purge")
    assert bad.returncode == 2 and "retention_years" in bad.stderr
    done = run_cli(*base, "--user", "sup", "db", "purge")
    assert done.returncode == 0, done.stderr
    assert "1 tickets, 1 customers, 5 events redacted" in done.stdout
    assert run_cli(*base, "audit", "verify").returncode == 0
