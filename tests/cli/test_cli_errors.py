"""The ``csdesk`` command as a person meets it: one sentence and exit 2 for every mistake.

Each test runs ``python -m csdesk`` in a subprocess with its own store path and a settings
file that does not exist, so the user's real settings and stores are never read.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import csdesk
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock

Run = Callable[..., subprocess.CompletedProcess[str]]




def assert_user_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, exactly one line on stderr starting 'csdesk: ', no traceback; return that line."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip("\n").splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("csdesk: ")
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- settings


def test_unknown_key_in_config_file(run_cli: Run, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('desk_id = "D01"\ncolour = "red"\n', encoding="utf-8")
    store = tmp_path / "desk.sqlite3"
    result = run_cli("--store", str(store), "config", "show", CSDESK_CONFIG=str(config))
    assert_user_error(result, "colour")
    assert not store.exists()


def test_unknown_key_in_config_file_given_by_flag(run_cli: Run, tmp_path: Path) -> None:
    config = tmp_path / "other.toml"
    config.write_text("[sync]\ninterval = 5\n", encoding="utf-8")
    result = run_cli("--config", str(config), "--store", str(tmp_path / "desk.sqlite3"), "config", "show")
    assert_user_error(result, "sync")


def test_malformed_config_file(run_cli: Run, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('desk_id = "D01\n', encoding="utf-8")
    result = run_cli("--store", str(tmp_path / "desk.sqlite3"), "config", "show", CSDESK_CONFIG=str(config))
    assert_user_error(result, str(config))


def test_unknown_environment_variable(run_cli: Run, tmp_path: Path) -> None:
    store = tmp_path / "desk.sqlite3"
    result = run_cli("--store", str(store), "db", "info", CSDESK_FOO="1")
    assert_user_error(result, "CSDESK_FOO")
    assert not store.exists()


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "fr"], {}),
        ([], {"CSDESK_LANGUAGE": "de"}),
    ],
    ids=["flag", "env"],
)
def test_bad_language(run_cli: Run, tmp_path: Path, args: list[str], env: dict[str, str]) -> None:
    result = run_cli(*args, "--store", str(tmp_path / "desk.sqlite3"), "config", "show", **env)
    assert_user_error(result, "language")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://desk:secret@db.example.cn/csdesk", "postgresql://"),
        ("postgresql://host:notaport/db", "port"),
        ("postgresql:///csdesk", "host"),
    ],
)
def test_invalid_shared_db_url(run_cli: Run, tmp_path: Path, url: str, reason: str) -> None:
    result = run_cli("--shared-db", url, "--store", str(tmp_path / "desk.sqlite3"), "config", "show")
    line = assert_user_error(result, "shared_db_url", reason)
    assert "secret" not in line


def test_bad_desk_id(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("--desk", "desk one", "--store", str(tmp_path / "desk.sqlite3"), "config", "show")
    assert_user_error(result, "desk_id")


# --------------------------------------------------------------------------- stores


def test_store_path_is_a_directory(run_cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "stores"
    folder.mkdir()
    result = run_cli("--store", str(folder), "db", "info")
    assert_user_error(result, "directory")
    assert list(folder.iterdir()) == []


def test_store_file_is_not_sqlite(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a store" * 100)
    before = digest(path)
    result = run_cli("--store", str(path), "db", "upgrade")
    assert_user_error(result, "not a SQLite")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk.sqlite3"]


def test_store_of_newer_schema(run_cli: Run, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    path = tmp_path / "desk.sqlite3"
    Store.open(path, desk_id="D01", clock=FrozenClock(datetime(2026, 11, 23, 9, tzinfo=UTC))).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = digest(path)
    result = run_cli("--store", str(path), "db", "upgrade")
    assert_user_error(result, "newer", "9999")
    assert digest(path) == before


# --------------------------------------------------------------------------- working commands


def test_help_lists_the_commands(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    for command in ("demo", "db", "audit", "user"):
        assert any(line.split()[:1] == [command] for line in result.stdout.splitlines()), command
    assert result.stderr == ""


def test_version(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"csdesk {csdesk.__version__}"


def test_first_user_then_list_then_info(run_cli: Run, tmp_path: Path) -> None:
    store = str(tmp_path / "desk.sqlite3")
    added = run_cli(
        "--store", store, "--desk", "D01", "user", "add", "wang.fang", "--name", "王芳", "--role", "supervisor",
        "--staff-no", "1001",
    )
    assert added.returncode == 0, added.stderr
    assert "wang.fang" in added.stdout

    refused = run_cli("--store", store, "user", "add", "li.lei", "--name", "Li Lei", "--role", "agent")
    assert_user_error(refused, "supervisor")

    listed = run_cli("--store", store, "user", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["wang.fang", "supervisor", "1001", "王芳"]

    info = run_cli("--store", store, "--desk", "OTHER", "db", "info", "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["desk_id"] == "D01"  # a store keeps the desk that created it
    assert data["mode"] == "live"
    assert data["path"] == store
    assert (data["users"], data["customers"], data["tickets"], data["open_tickets"]) == (1, 0, 0, 0)
    assert data["events"] == 1  # user.created; the refusal had no signed-in user to record
    assert data["schema_revision"]


def test_a_supervisor_sets_a_staff_number_and_a_bad_one_is_refused(run_cli: Run, tmp_path: Path) -> None:
    store = str(tmp_path / "desk.sqlite3")
    assert run_cli("--store", store, "user", "add", "wu.hong", "--name", "吴红", "--role", "supervisor").returncode == 0
    as_sup = ("--store", store, "--user", "wu.hong")
    assert run_cli(*as_sup, "user", "add", "li.na", "--name", "李娜", "--role", "agent").returncode == 0
    listed = run_cli(*as_sup, "user", "list")
    assert "li.na" in listed.stdout and "-" in listed.stdout.split()  # no staff number yet
    refused = run_cli(*as_sup, "user", "staff-no", "li.na", "li.na")
    assert_user_error(refused, "staff number")
    done = run_cli(*as_sup, "user", "staff-no", "li.na", "1024")
    assert done.returncode == 0, done.stderr
    assert "1024" in done.stdout
    [line] = [line for line in run_cli(*as_sup, "user", "list").stdout.splitlines() if line.startswith("li.na")]
    assert line.split() == ["li.na", "agent", "1024", "李娜"]
    denied = run_cli("--store", store, "--user", "li.na", "user", "staff-no", "li.na", "9999")
    assert_user_error(denied, "may not")
