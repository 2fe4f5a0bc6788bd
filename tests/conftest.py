"""Shared test set-up: isolated settings, UTC time zone, the PostgreSQL fixtures."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.pg_fixtures"]

os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test reads the developer's settings, stores or CSDESK_* variables."""
    for key in list(os.environ):
        if key.startswith("CSDESK_") and not key.startswith("CSDESK_TEST"):
            monkeypatch.delenv(key)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CSDESK_CONFIG", str(home / "no-config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    yield home
