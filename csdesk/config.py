"""Settings: a TOML file in the platform config dir, ``CSDESK_*`` variables, CLI flags.

Later sources override earlier ones: file < environment < command-line flags. Unknown
keys and bad values are refused with one sentence (:class:`ConfigError`). This module
imports pydantic-settings, so the app loads it after its first frame is painted.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from csdesk.domain.errors import ConfigError
from csdesk.domain.retention import MAX_RETENTION_YEARS, MIN_RETENTION_YEARS
from csdesk.paths import APP_NAME, default_config_file, default_data_dir, default_scenario_dir

__all__ = ["APP_NAME", "ConfigError", "Settings", "default_config_file", "default_data_dir", "load_settings"]

Language = Literal["zh-CN", "en"]


def _default_desk() -> str:
    host = "".join(ch for ch in socket.gethostname().split(".")[0] if ch.isalnum() or ch in "-_")
    return (host or "desk")[:32]


class Settings(BaseSettings):
    """Everything a desk is configured with."""

    model_config = SettingsConfigDict(env_prefix="CSDESK_", extra="forbid", validate_default=True)
    config_file: ClassVar[Path | None] = None

    store_path: Path = Field(default_factory=lambda: default_data_dir() / "desk.sqlite3")
    demo_store_path: Path = Field(default_factory=lambda: default_data_dir() / "demo.sqlite3")
    scenario_dir: Path = Field(default_factory=default_scenario_dir)
    desk_id: str = _default_desk()
    user: str = ""
    language: Language = "zh-CN"
    shared_db_url: str | None = None
    theme: str = "textual-dark"
    #: In-app reminder this many minutes before a callback is due (0: at the due time).
    callback_reminder_minutes: int = 15

    @field_validator("callback_reminder_minutes")
    @classmethod
    def _reminder_minutes(cls, value: int) -> int:
        if not 0 <= value <= 24 * 60:
            raise ValueError("callback reminders come 0 to 1440 minutes before the due time")
        return value

    retention_years: int = MIN_RETENTION_YEARS
    reveal_seconds: int = 30

    @field_validator("retention_years")
    @classmethod
    def _retention_years(cls, value: int) -> int:
        if not MIN_RETENTION_YEARS <= value <= MAX_RETENTION_YEARS:
            raise ValueError(f"records are kept {MIN_RETENTION_YEARS} to {MAX_RETENTION_YEARS} years")
        return value

    @field_validator("reveal_seconds")
    @classmethod
    def _reveal_seconds(cls, value: int) -> int:
        if not 1 <= value <= 3600:
            raise ValueError("a revealed number shows for 1 to 3600 seconds")
        return value

    @field_validator("desk_id")
    @classmethod
    def _desk_id(cls, value: str) -> str:
        if not value or len(value) > 32 or not all(ch.isalnum() or ch in "-_" for ch in value):
            raise ValueError("a desk id has 1-32 letters, digits, '-' or '_'")
        return value

    @field_validator("shared_db_url")
    @classmethod
    def _shared_db_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
            raise ValueError("the shared database URL must start with postgresql://")
        if not parts.hostname and "host=" not in (parts.query or ""):
            raise ValueError("the shared database URL names no host")
        try:
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            raise ValueError("the shared database URL has an invalid port") from None
        return value

    @field_validator("store_path", "demo_store_path", "scenario_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (init) over environment over the TOML file."""
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if cls.config_file is not None and cls.config_file.exists():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=cls.config_file))
        return tuple(sources)


def _unknown_env() -> list[str]:
    known = {f"CSDESK_{name.upper()}" for name in Settings.model_fields} | {"CSDESK_CONFIG"}
    ignored = ("CSDESK_TEST", "CSDESK_EXIT_AFTER")
    return sorted(k for k in os.environ if k.startswith("CSDESK_") and k not in known and not k.startswith(ignored))


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read the settings; ``overrides`` are CLI flags (None values are ignored)."""
    path = config_file.expanduser() if config_file else default_config_file()
    unknown = _unknown_env()
    if unknown:
        raise ConfigError(f"Unknown setting in the environment: {unknown[0]}.")
    Settings.config_file = path
    flags = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**flags)
    except PydanticValidationError as exc:
        raise ConfigError(_explain(exc, path)) from None
    except (OSError, ValueError) as exc:  # unreadable or malformed TOML
        raise ConfigError(f"The settings file {path} cannot be read: {exc}.") from None


def _explain(exc: PydanticValidationError, path: Path) -> str:
    error = exc.errors()[0]
    name = ".".join(str(part) for part in error["loc"]) or "settings"
    if error["type"] == "extra_forbidden":
        return f"Unknown setting {name!r} (settings file {path}); remove it or check the spelling."
    reason = str(error["msg"]).removeprefix("Value error, ")
    return f"Invalid setting {name}: {reason}."
