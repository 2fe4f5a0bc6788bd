"""Screens that open to an overview of their area, built from store counts."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from csdesk.data.api import StoreInfo, TicketQuery
from csdesk.screens.base import DeskScreen


class OverviewScreen(DeskScreen):
    """A title, an introduction and a body loaded from the store."""

    INTRO_KEY = "app.title"
    BINDINGS = [Binding("r", "reload", "Refresh", id="overview.refresh")]
    DEFAULT_CSS = """
    OverviewScreen #overview { padding: 1 2; }
    OverviewScreen .title { text-style: bold; color: $accent; }
    OverviewScreen .intro { color: $text-muted; margin-bottom: 1; }
    """

    def compose_body(self) -> ComposeResult:
        """Title, introduction, body."""
        with VerticalScroll(id="overview"):
            yield Static(Text(self.t(self.TITLE_KEY)), classes="title")
            yield Static(Text(self.t(self.INTRO_KEY)), classes="intro")
            yield Static(id="overview-body")

    def on_mount(self) -> None:
        """Load the body."""
        super().on_mount()
        self.action_reload()

    def reload(self) -> None:
        """Reload from the store."""
        self.action_reload()

    def action_reload(self) -> None:
        """Reload from the store."""

    def show(self, body: Text | Table) -> None:
        """Put ``body`` on screen."""
        self.query_one("#overview-body", Static).update(body)


class ComplaintsScreen(OverviewScreen):
    """Complaints and their regulatory clock."""

    TITLE_KEY = "complaints.title"
    INTRO_KEY = "complaints.intro"

    def action_reload(self) -> None:
        """Count open complaints."""
        query = TicketQuery(kinds=("complaint",), statuses=("new", "open", "waiting_customer", "waiting_department"))
        self.call_store(
            self.desk.store.count_tickets,
            self.desk.user.id,
            query,
            then=lambda n: self.show(Text(self.t("complaints.open", count=n))),
        )


class CallbacksScreen(OverviewScreen):
    """Scheduled callbacks."""

    TITLE_KEY = "callbacks.title"
    INTRO_KEY = "callbacks.intro"


class TrainerScreen(OverviewScreen):
    """Trainer console (demo mode)."""

    TITLE_KEY = "trainer.title"
    INTRO_KEY = "trainer.intro"

    def action_reload(self) -> None:
        """Say whether this is a demo store."""
        self.show(Text("" if self.desk.is_demo else self.t("trainer.not_demo")))


class SettingsScreen(OverviewScreen):
    """The desk's settings, as loaded."""

    TITLE_KEY = "settings.title"
    INTRO_KEY = "settings.config_file"

    def action_reload(self) -> None:
        """Show the effective settings."""
        self.call_store(self.desk.store.info, then=self._show_info)

    def _show_info(self, info: StoreInfo) -> None:
        t, settings = self.t, self.desk.settings
        table = Table(show_header=False, box=None)
        table.add_column(style="dim")
        table.add_column()
        rows = [
            (t("settings.config_file"), str(type(settings).config_file or "")),
            (t("settings.store"), info.path),
            (t("settings.schema"), info.schema_revision or ""),
            (t("settings.language"), t.language),
            (t("settings.shared_db"), _hide_password(settings.shared_db_url) or t("header.sync_none")),
        ]
        for label, value in rows:
            table.add_row(label, Text(value))
        self.show(table)


def _hide_password(url: str | None) -> str | None:
    if not url or "@" not in url or ":" not in url.split("@", 1)[0].split("//", 1)[-1]:
        return url
    scheme, rest = url.split("//", 1)
    credentials, host = rest.split("@", 1)
    return f"{scheme}//{credentials.split(':', 1)[0]}:***@{host}"
