"""Quick settings look-up for the start-up preview: the same order as the settings (csdesk.paths)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csdesk.config import load_settings
from csdesk.paths import peek_setting


def test_flag_beats_environment_beats_file_beats_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Flags > CSDESK_* > TOML file > default, as in csdesk.config.Settings."""
    config = tmp_path / "config.toml"
    config.write_text('store_path = "/from/file.sqlite3"\nlanguage = "en"\n', encoding="utf-8")
    assert peek_setting("store_path", config, {}) == "/from/file.sqlite3"
    monkeypatch.setenv("CSDESK_STORE_PATH", "/from/env.sqlite3")
    assert peek_setting("store_path", config, {}) == "/from/env.sqlite3"
    assert peek_setting("store_path", config, {"store_path": Path("/from/flag")}) == Path("/from/flag")
    assert peek_setting("language", config, {}) == "en"
    assert peek_setting("user", config, {}) == ""


def test_peek_agrees_with_the_validated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the preview reads, load_settings resolves to the same store path and language."""
    config = tmp_path / "config.toml"
    config.write_text(f'demo_store_path = "{tmp_path / "demo.sqlite3"}"\n', encoding="utf-8")
    settings = load_settings(config)
    assert Path(peek_setting("demo_store_path", config, {})) == settings.demo_store_path
    assert Path(peek_setting("store_path", config, {})) == settings.store_path
    assert peek_setting("language", config, {}) == settings.language


def test_a_broken_file_falls_back_to_the_default(tmp_path: Path) -> None:
    """A malformed TOML file gives defaults here; load_settings reports it properly later."""
    config = tmp_path / "config.toml"
    config.write_text("store_path = [unclosed", encoding="utf-8")
    assert peek_setting("language", config, {}) == "zh-CN"
