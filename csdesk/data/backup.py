"""Backups of a desk's store: an online copy while csdesk runs, and a checked restore.

``backup_store`` uses SQLite's online backup API (:meth:`sqlite3.Connection.backup`),
which copies one consistent snapshot of the file even while another process writes: the
copy is then checked (``integrity_check``, the audit chain) before it gets its final name.

``restore_store`` refuses anything that is not a whole, untampered csdesk store of the
same kind (not SQLite, damaged, no event log, a schema this csdesk does not know, a broken
audit chain, a demo store over a live one), refuses while another process is writing the
store, and keeps the replaced store aside as ``NAME.before-restore-YYYYmmddTHHMMSS``.
Nothing is overwritten before every check passed.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine

from csdesk.data import migrate
from csdesk.data.api import BackupReport, StoreMode
from csdesk.data.engine import SQLITE_HEADER
from csdesk.data.eventlog import verify_chain
from csdesk.domain.errors import StoreUnavailable

_REQUIRED_TABLES = {"meta", "event", "alembic_version"}


def _is_sqlite(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size < len(SQLITE_HEADER):
        return False
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def check_store_file(path: Path, *, mode: StoreMode | None = None) -> BackupReport:
    """Check that ``path`` is a whole csdesk store with an intact audit chain; raise :class:`StoreUnavailable`."""
    if not _is_sqlite(path):
        raise StoreUnavailable(f"{path} is not a csdesk store (not a SQLite database); nothing was changed.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            facts = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreUnavailable(f"{path} is damaged ({exc}); nothing was changed.") from None
    if integrity != [("ok",)]:
        raise StoreUnavailable(f"{path} is damaged (SQLite integrity check: {integrity[0][0]}); nothing was changed.")
    if not tables >= _REQUIRED_TABLES or "mode" not in facts:
        raise StoreUnavailable(f"{path} is a SQLite file but not a csdesk store; nothing was changed.")
    if mode is not None and facts["mode"] != mode.value:
        raise StoreUnavailable(f"{path} is a {facts['mode']} store, not a {mode.value} one; nothing was changed.")
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        migrate.pending_revisions(engine)  # refuses a schema written by a newer csdesk
        with engine.connect() as conn:
            report = verify_chain(conn)
    finally:
        engine.dispose()
    if not report.ok:
        raise StoreUnavailable(
            f"The audit trail of {path} is broken at desk {report.desk_id} event #{report.desk_seq} "
            f"({report.problem}); nothing was changed."
        )
    return BackupReport(str(path), facts.get("desk_id", ""), report.events, None)


def backup_store(store_path: Path, target: Path) -> BackupReport:
    """Copy the store at ``store_path`` to the new file ``target`` (consistent while others write)."""
    store_path, target = Path(store_path).expanduser(), Path(target).expanduser()
    if not _is_sqlite(store_path):
        raise StoreUnavailable(f"There is no csdesk store at {store_path} to back up.")
    if target.exists():
        raise StoreUnavailable(f"{target} already exists; a backup never overwrites a file. Choose a new name.")
    if not target.parent.is_dir():
        raise StoreUnavailable(f"The folder {target.parent} does not exist.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        source = sqlite3.connect(store_path, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # one step: a single read transaction, so one consistent snapshot
        finally:
            copy.close()
            source.close()
        partial.chmod(0o600)  # the copy holds customer data whole
        report = check_store_file(partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        raise StoreUnavailable(f"The backup to {target} failed: {exc}.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BackupReport(str(target), report.desk_id, report.events, None)


def _quiesce(store_path: Path) -> None:
    """Fold the WAL into the file; refuse when another process is using the store."""
    conn = sqlite3.connect(store_path, timeout=1)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise StoreUnavailable(f"The store {store_path} is in use; close csdesk everywhere, then restore.")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError:
        raise StoreUnavailable(f"The store {store_path} is in use; close csdesk everywhere, then restore.") from None
    finally:
        conn.close()


def restore_store(backup: Path, store_path: Path, now: datetime, *, mode: StoreMode = StoreMode.LIVE) -> BackupReport:
    """Replace the store at ``store_path`` by the checked ``backup``; the old file is kept aside."""
    backup, store_path = Path(backup).expanduser(), Path(store_path).expanduser()
    report = check_store_file(backup, mode=mode)
    aside: Path | None = None
    staged = store_path.with_name(f".{store_path.name}.restoring")
    try:
        shutil.copyfile(backup, staged)
        staged.chmod(0o600)
        if store_path.exists():
            if _is_sqlite(store_path):
                _quiesce(store_path)
            aside = store_path.with_name(f"{store_path.name}.before-restore-{now:%Y%m%dT%H%M%S}")
            store_path.replace(aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        staged.replace(store_path)
    except OSError as exc:
        raise StoreUnavailable(f"The restore into {store_path} failed: {exc}.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
    return BackupReport(str(store_path), report.desk_id, report.events, str(aside) if aside else None)
