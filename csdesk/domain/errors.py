"""Typed errors raised by domain rules and the store gateway.

Every error carries a ``message`` written for people: the UI shows it in a
notification and the CLI prints it as one sentence, never as a traceback.
"""

from __future__ import annotations


class CsdeskError(Exception):
    """Base class of every error csdesk reports to a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(CsdeskError):
    """Input that breaks a rule; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(CsdeskError):
    """The acting user's role does not allow the use case."""


class NotFound(CsdeskError):
    """The record asked for does not exist (or is not visible to the user)."""


class Conflict(CsdeskError):
    """The change collides with the current state (e.g. a status that cannot move back)."""


class StoreUnavailable(CsdeskError):
    """The local store cannot be opened or used (path, permissions, corruption, version)."""


class ConfigError(CsdeskError):
    """The configuration is invalid (unknown key, bad value, bad URL)."""
