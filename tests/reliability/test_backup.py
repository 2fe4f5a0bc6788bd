"""``csdesk db backup`` / ``db restore``: consistent online copies and checked restores.

Rule (issue: backups): the backup uses SQLite's online backup API and is consistent while
the app runs; a restore refuses a file that is not a whole, untampered store of the same
kind, verifies the audit chain before replacing anything, and keeps the old store aside.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from csdesk.data.api import StoreMode
from csdesk.data.backup import backup_store, check_store_file, restore_store
from csdesk.data.store import Store
from csdesk.domain.errors import StoreUnavailable
from tests.reliability.writers import kill, start_writer
from tests.store.conftest import START, event_count, raw_sql


def _consistent(path: Path) -> int:
    """Open a copy of the store file at ``path``: chain verifies, projections equal a rebuild; return events."""
    store = Store.open(path, desk_id="D01")
    try:
        assert store.verify_audit().ok
        before = store.snapshot()
        store.rebuild_projections()
        assert store.snapshot() == before
        return store.info().events
    finally:
        store.close()


def test_backup_is_consistent_while_another_process_writes(store: Store, tmp_path: Path) -> None:
    """The online backup API copies one consistent snapshot even while a writer is busy."""
    path = store.path
    store.close()
    writer = start_writer(path, seed=7)
    counts = []
    try:
        for i in range(4):
            time.sleep(0.15)
            report = backup_store(path, tmp_path / f"backup-{i}.sqlite3")
            assert report.events > 0
            counts.append(_consistent(Path(report.path)))
    finally:
        kill(writer, path)
    assert counts == sorted(counts) and counts[-1] > counts[0], "the writer was not writing during the backups"
    assert (tmp_path / "backup-0.sqlite3").stat().st_mode & 0o077 == 0  # customer data: owner only


def test_restore_brings_back_the_backup_and_keeps_the_old_store(store: Store, customer: object, tmp_path: Path) -> None:
    """A restore replaces the store by the verified backup; the replaced store is kept aside, not deleted."""
    backup = backup_store(store.path, tmp_path / "backup.sqlite3")
    store.create_ticket("agent1", kind="consultation", channel="chat", subject="After the backup")
    after = event_count(store)
    store.close()
    report = restore_store(Path(backup.path), store.path, START)
    assert report.events == backup.events < after
    assert _consistent(store.path) == backup.events
    assert report.kept_aside and _consistent(Path(report.kept_aside)) == after


def _not_sqlite(path: Path, tmp_path: Path) -> None:
    path.write_bytes(b"name,phone\nZhang,13812345678\n")


def _garbled(path: Path, tmp_path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(8192, min(len(data), 8192 * 4), 7):
        data[offset] ^= 0xA5
    path.write_bytes(bytes(data))


def _not_a_store(path: Path, tmp_path: Path) -> None:
    path.unlink()
    raw_sql(path, "CREATE TABLE contacts (name TEXT)")


def _tampered(path: Path, tmp_path: Path) -> None:
    raw_sql(path, """UPDATE event SET payload = '{"name":"Nobody"}' WHERE desk_seq = 3""")


def _truncated(path: Path, tmp_path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_BACKUPS = {
    "not_sqlite": (_not_sqlite, "not a SQLite database"),
    "garbled_pages": (_garbled, "damaged"),
    "truncated": (_truncated, "damaged"),
    "sqlite_not_a_store": (_not_a_store, "not a csdesk store"),
    "tampered_event": (_tampered, "audit trail"),
}


@pytest.mark.parametrize("damage", list(BAD_BACKUPS), ids=str)
def test_restore_refuses_a_bad_backup_and_changes_nothing(store: Store, tmp_path: Path, damage: str) -> None:
    """A restore checks the file before touching the store: a bad one is refused, the store stays as it was."""
    backup = Path(backup_store(store.path, tmp_path / "backup.sqlite3").path)
    spoil, reason = BAD_BACKUPS[damage]
    spoil(backup, tmp_path)
    store.close()
    original = store.path.read_bytes()
    with pytest.raises(StoreUnavailable) as info:
        restore_store(backup, store.path, START)
    assert reason in info.value.message
    assert "nothing was changed" in info.value.message
    assert store.path.read_bytes() == original
    assert sorted(p.name for p in store.path.parent.iterdir() if "restor" in p.name) == []


def test_restore_refuses_a_demo_store_over_a_live_one(store: Store, tmp_path: Path) -> None:
    """Demo data never replaces a desk's real store (ARCHITECTURE.md: demo mode never touches a real store)."""
    demo = Store.open(tmp_path / "demo.sqlite3", desk_id="DEMO", mode=StoreMode.DEMO)
    demo.close()
    store.close()
    with pytest.raises(StoreUnavailable, match="demo store"):
        restore_store(tmp_path / "demo.sqlite3", store.path, START)


def test_backup_never_overwrites(store: Store, tmp_path: Path) -> None:
    """A backup goes to a new file only."""
    existing = tmp_path / "important.txt"
    existing.write_text("keep me")
    with pytest.raises(StoreUnavailable, match="already exists"):
        backup_store(store.path, existing)
    assert existing.read_text() == "keep me"


def test_cli_backup_and_restore(store: Store, tmp_path: Path, run_cli: Callable[..., CompletedProcess[str]]) -> None:
    """`csdesk db backup PATH` then `db restore PATH`: exit 0, the restored store verifies; a bad file: exit 2."""
    path = store.path
    events = event_count(store)
    store.close()
    target = tmp_path / "nightly.sqlite3"
    made = run_cli("--store", str(path), "db", "backup", str(target))
    assert made.returncode == 0, made.stderr
    assert f"Backed up {events} events" in made.stdout
    assert check_store_file(target).events == events
    restored = run_cli("--store", str(path), "db", "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout
    verified = run_cli("--store", str(path), "audit", "verify")
    assert verified.returncode == 0 and f"{events} events" in verified.stdout
    bogus = tmp_path / "bogus.sqlite3"
    shutil.copyfile(target, bogus)
    _tampered(bogus, tmp_path)
    refused = run_cli("--store", str(path), "db", "restore", str(bogus))
    assert refused.returncode == 2
    assert "audit trail" in refused.stderr and "Traceback" not in refused.stderr
