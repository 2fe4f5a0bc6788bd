"""Snapshot set-up: a focused input's cursor stays lit, so a picture never depends on when in the blink it is taken."""

from __future__ import annotations

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Input cursors do not blink in snapshots (the blink phase at capture time is a matter of timing)."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
