"""Shared test set-up: isolated settings, UTC time zone, the PostgreSQL fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

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


ROOT = Path(__file__).resolve().parent.parent


def python_output(code: str, *args: str) -> str:
    """What a fresh interpreter running ``code`` (with ``args`` in ``sys.argv``) prints, from the repository root."""
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def desk_config_dir(isolated_settings: Path) -> Path:
    """The ``csdesk`` folder of the test's own ``XDG_CONFIG_HOME`` (``kb_values.toml``, ``holidays.toml``)."""
    folder = isolated_settings / "config" / "csdesk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cli_env(tmp_path: Path, pycache: Path, **extra: str) -> dict[str, str]:
    """Environment for a csdesk subprocess: no CSDESK_* of the caller, a config file that does not exist.

    Bytecode goes to ``pycache`` (PYTHONPYCACHEPREFIX), so only the first subprocess of a
    session compiles SQLAlchemy and friends even where PYTHONDONTWRITEBYTECODE is set.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("CSDESK_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["CSDESK_CONFIG"] = str(tmp_path / "no-such-config.toml")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env.update(extra)
    return env


@pytest.fixture
def run_cli(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., CompletedProcess[str]]:
    """``run_cli(*args, **env)`` runs ``python -m csdesk ARGS`` in a subprocess and captures its output."""
    pycache = tmp_path_factory.getbasetemp() / "pycache"

    def run(*args: str, **env: str) -> CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "csdesk", *args],
            env=cli_env(tmp_path, pycache, **env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run
