"""`csdesk calendar`: the years deadlines are counted with, the desk's own notice file, checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.unit.test_holiday_schedule import NOTICE_2027

RunCli = Callable[..., CompletedProcess[str]]


def test_lists_shipped_years_and_a_desk_notice(run_cli: RunCli, tmp_path: Path) -> None:
    before = json.loads(run_cli("calendar", "--json").stdout)
    assert [y["year"] for y in before["years"]][:3] == [2024, 2025, 2026]
    assert before["file"] == str(tmp_path / "xdg-config" / "csdesk" / "holidays.toml")
    Path(before["file"]).parent.mkdir(parents=True)
    Path(before["file"]).write_text(NOTICE_2027, encoding="utf-8")
    after = run_cli("calendar")
    assert after.returncode == 0, after.stderr
    line = next(line for line in after.stdout.splitlines() if line.startswith("2027"))
    assert "国办发明电〔2026〕N号" in line and line.endswith("holidays.toml")
    assert "Missing: 2027" not in after.stdout


def test_check_reports_file_and_line_and_installs_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    bad = tmp_path / "next.toml"
    bad.write_text('[2027]\nnotice = "x\nholidays = []\n', encoding="utf-8")  # unterminated string
    result = run_cli("calendar", "--check", str(bad))
    assert result.returncode == 2
    assert str(bad) in result.stderr and "line 2" in result.stderr and "Traceback" not in result.stderr
    good = tmp_path / "good.toml"
    good.write_text(NOTICE_2027, encoding="utf-8")
    checked = run_cli("calendar", "--check", str(good))
    assert checked.returncode == 0 and "1 year(s) valid: 2027" in checked.stdout
    listed = json.loads(run_cli("calendar", "--json").stdout)
    assert 2027 not in [y["year"] for y in listed["years"]]  # checking is not installing


def test_a_broken_desk_file_does_not_stop_the_desk(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk opens on the shipped calendar and says what is wrong with the file."""
    from csdesk.launch import Launch, open_desk

    config = tmp_path / "xdg-config" / "csdesk"
    config.mkdir(parents=True)
    (config / "holidays.toml").write_text("[2027]\nnotice = 'x'\nholidays = [{ name = 'a' }]\n", encoding="utf-8")
    added = run_cli("--store", str(tmp_path / "d.sqlite3"), "user", "add", "li", "--name", "Li", "--role", "agent")
    assert added.returncode == 0, added.stderr

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("CSDESK_CONFIG", str(tmp_path / "no-config.toml"))
    desk = open_desk(Launch(overrides={"store_path": tmp_path / "d.sqlite3", "user": "li"}))
    desk.store.close()
    assert len(desk.warnings) == 1 and "holidays.toml" in desk.warnings[0] and "shipped" in desk.warnings[0]


def test_commands_on_the_store_follow_the_desk_notices_too(run_cli: RunCli, tmp_path: Path) -> None:
    """A store opened by the CLI (complaints logged from scripts) loads holidays.toml like the app does."""
    config = tmp_path / "xdg-config" / "csdesk"
    config.mkdir(parents=True)
    (config / "holidays.toml").write_text("[2027]\nnotice = 'x'\nholidays = [{ name = 'a' }]\n", encoding="utf-8")
    result = run_cli("--store", str(tmp_path / "d.sqlite3"), "db", "info")
    assert result.returncode == 0 and "holidays.toml" in result.stderr and "shipped" in result.stderr
