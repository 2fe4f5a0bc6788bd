"""``csdesk shared init`` and ``csdesk sync`` as a person runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from subprocess import CompletedProcess

import pytest

pytestmark = pytest.mark.pg

RunCli = Callable[..., CompletedProcess[str]]


def test_shared_init_then_sync_once(run_cli: RunCli, pg_url: str, tmp_path) -> None:
    """Init creates the schema once (a second run is a no-op); sync --once pushes the desk's events."""
    first = run_cli("shared", "init", "--url", pg_url)
    assert first.returncode == 0, first.stderr
    assert "Shared schema s0002: applied s0001, s0002." in first.stdout  # every revision, oldest first
    again = run_cli("shared", "init", "--url", pg_url)
    assert "Shared schema s0002: already up to date." in again.stdout
    store = str(tmp_path / "desk.sqlite3")
    added = run_cli("--store", store, "--desk", "C1", "user", "add", "sup", "--name", "Sun", "--role", "supervisor")
    assert added.returncode == 0, added.stderr
    synced = run_cli("--store", store, "--desk", "C1", "sync", "--once", "--json", CSDESK_SHARED_DB_URL=pg_url)
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["pushed"] == 1


def test_sync_refuses_uninitialised_database(run_cli: RunCli, pg_url: str, tmp_path) -> None:
    """A database without the csdesk schema is refused with the command that fixes it."""
    result = run_cli("--store", str(tmp_path / "d.sqlite3"), "sync", "--once", "--url", pg_url)
    assert result.returncode == 2
    assert "csdesk shared init" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_store_refuses_to_sync(run_cli: RunCli, pg_url: str) -> None:
    """Demo mode never syncs (ARCHITECTURE.md): the command says so and exits 2."""
    run_cli("shared", "init", "--url", pg_url)
    result = run_cli("sync", "--once", "--demo", "--url", pg_url)
    assert result.returncode == 2
    assert "demo mode never syncs" in result.stderr
