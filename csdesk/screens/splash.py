"""The first frame: painted before any heavy import, while the store opens."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static


class SplashScreen(Screen[None]):
    """Product name, a spinner and the current step."""

    DEFAULT_CSS = """
    SplashScreen { align: center middle; }
    SplashScreen #brand { text-style: bold; width: auto; }
    SplashScreen #step { color: $text-muted; width: auto; }
    SplashScreen LoadingIndicator { height: 1; width: 20; }
    """

    def compose(self) -> ComposeResult:
        """Brand, spinner, progress line."""
        with Middle(), Center():
            yield Static(Text("csdesk 客服工作台 · customer-service desk"), id="brand")
        with Center():
            yield LoadingIndicator()
        with Center():
            yield Static(Text("…"), id="step")

    def show_step(self, message: str) -> None:
        """Update the progress line."""
        self.query_one("#step", Static).update(Text(message))
