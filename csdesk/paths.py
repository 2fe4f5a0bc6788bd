"""Where csdesk keeps its settings file and stores, and a quick look at a few settings.

Light to import (no pydantic): the app uses :func:`peek_setting` to find the store and
show the queue before the full settings are loaded and validated by :mod:`csdesk.config`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from platformdirs import user_config_path, user_data_path

APP_NAME = "csdesk"
#: Defaults of the settings :func:`peek_setting` can read (the same as csdesk.config's).
PEEK_DEFAULTS: dict[str, Any] = {
    "store_path": lambda: default_data_dir() / "desk.sqlite3",
    "demo_store_path": lambda: default_data_dir() / "demo.sqlite3",
    "user": lambda: "",
    "language": lambda: "zh-CN",
}


def default_config_file() -> Path:
    """Where the settings file lives unless ``CSDESK_CONFIG`` or ``--config`` says otherwise."""
    override = os.environ.get("CSDESK_CONFIG")
    return Path(override).expanduser() if override else user_config_path(APP_NAME) / "config.toml"


def default_data_dir() -> Path:
    """Where stores live by default."""
    return user_data_path(APP_NAME)


def default_scenario_dir() -> Path:
    """Where a trainer's own training scenarios live by default."""
    return user_config_path(APP_NAME) / "scenarios"


def peek_setting(name: str, config_file: Path | None, overrides: dict[str, Any]) -> Any:
    """The value of setting ``name`` by the settings' own order: flag, then environment, then file.

    Unvalidated: a wrong value is caught when :func:`csdesk.config.load_settings` runs,
    and whatever was shown from a peeked setting is replaced then.
    """
    if overrides.get(name) is not None:
        return overrides[name]
    env = os.environ.get(f"CSDESK_{name.upper()}")
    if env is not None:
        return env
    path = (config_file or default_config_file()).expanduser()
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except (OSError, ValueError):
        table = {}
    if name in table:
        return table[name]
    return PEEK_DEFAULTS[name]()
