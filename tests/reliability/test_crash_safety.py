"""Crash safety: a writer killed with SIGKILL in the middle of heavy writes never damages the store.

Rule (ARCHITECTURE.md, local store): every change is an event written with its projections
in one transaction; the log is gap-free per desk and hash-chained, and projections can be
rebuilt from it. After every kill: SQLite ``integrity_check`` is ok, the event sequence is
gap-free and the chain verifies, and (every few rounds and at the end) the projections
equal a rebuild from the log.
"""

from __future__ import annotations

import itertools
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from sqlalchemy import create_engine

from csdesk.data.eventlog import verify_chain
from csdesk.data.store import Store
from tests.conftest import cli_env
from tests.reliability.writers import kill_writer_mid_flight

ROUNDS = 200
REBUILD_EVERY = 25


def _check(path: Path, rebuild: bool) -> int:
    """integrity_check, gap-free chain, and optionally projections == rebuild; return the event count."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            report = verify_chain(conn)
    finally:
        engine.dispose()
    assert report.ok, report
    if rebuild:
        store = Store.open(path, desk_id="D01")
        try:
            before = store.snapshot()
            store.rebuild_projections()
            assert store.snapshot() == before
        finally:
            store.close()
    return report.events


def test_kill_9_during_heavy_writes(store: Store) -> None:
    """ARCHITECTURE.md: one transaction per change; a crash leaves the store whole, gap-free and rebuildable."""
    path = store.path
    store.close()
    rng = random.Random(20261123)
    counts = [_check(path, rebuild=True)]
    patience = 1.0  # grows while the machine is too busy for a writer to get anything done in time
    for round_no in range(1, ROUNDS + 1):
        kill_writer_mid_flight(path, seed=round_no, delay=rng.uniform(0.03, 0.12) * patience)
        counts.append(_check(path, rebuild=round_no % REBUILD_EVERY == 0 or round_no == ROUNDS))
        patience = max(1.0, patience / 2) if counts[-1] > counts[-2] else min(16.0, patience * 2)
    grew = sum(1 for before, after in itertools.pairwise(counts) if after > before)
    assert grew >= ROUNDS // 2, f"writers got nothing done in most rounds ({grew}/{ROUNDS}): the test proves little"
    assert counts[-1] > counts[0] + 2 * ROUNDS


def _csv(path: Path, rows: int) -> Path:
    lines = ["kind,channel,subject,customer_name,customer_phone,description"]
    lines += [f"consultation,phone,Question {i},Customer {i},139{i:08d},{'d' * 400}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_kill_9_of_the_cli_during_an_import(
    store: Store, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
    run_cli: Callable[..., CompletedProcess[str]],
) -> None:
    """README: an import writes all contacts in one transaction or none; SIGKILL half-way leaves none, store whole."""
    path = store.path
    before = store.info()
    store.close()
    big = _csv(tmp_path / "big.csv", 1500)
    env = cli_env(tmp_path, tmp_path_factory.getbasetemp() / "pycache")
    proc = subprocess.Popen(
        [sys.executable, "-m", "csdesk", "--store", str(path), "--desk", "D01", "--user", "agent1",
         "intake", "import", str(big)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wal = Path(f"{path}-wal")
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:  # wait until the import is writing
        if wal.exists() and wal.stat().st_size > 200_000:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the import finished before it could be killed; give it more rows"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _check(path, rebuild=True) == before.events
    reopened = Store.open(path, desk_id="D01")
    try:
        assert reopened.info().tickets == before.tickets
    finally:
        reopened.close()
    verified = run_cli("--store", str(path), "--desk", "D01", "audit", "verify")
    assert verified.returncode == 0, verified.stderr
