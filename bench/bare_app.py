"""The baseline: a bare Textual app with a header, a line of text and a footer."""

import os

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App[None]):
    """As little as a Textual app can be while still painting a frame."""

    def compose(self) -> ComposeResult:
        """Header, text, footer."""
        yield Header()
        yield Static("bare textual app")
        yield Footer()

    def on_mount(self) -> None:
        """Exit once the first frame is painted (when benchmarking)."""
        if os.environ.get("CSDESK_EXIT_AFTER") == "first-paint":
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    BareApp().run()
