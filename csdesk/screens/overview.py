"""Screens that open to an overview of their area, built from store counts."""

from __future__ import annotations

from collections import Counter

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from csdesk.data.api import TicketQuery, TicketRow
from csdesk.screens.base import DeskScreen

RECENT = 500


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




class LiveScreen(OverviewScreen):
    """The supervisor's live view of the queue."""

    TITLE_KEY = "live.title"
    INTRO_KEY = "live.intro"

    def action_reload(self) -> None:
        """Tickets by status and kind among the most recent ones."""
        self.call_store(
            self.desk.store.list_tickets, self.desk.user.id, TicketQuery(), 0, RECENT, then=self._show_rows
        )

    def _show_rows(self, rows: list[TicketRow]) -> None:
        t = self.t
        by_status = Counter(r.status for r in rows)
        by_kind = Counter(r.kind for r in rows)
        table = Table(title=t("live.by_status"), title_justify="left", expand=False)
        table.add_column(t("queue.col.status"))
        table.add_column("#", justify="right")
        for status in ("new", "open", "waiting_customer", "waiting_department", "resolved", "closed"):
            table.add_row(t.label("status", status), str(by_status.get(status, 0)))
        table.add_section()
        for kind, count in by_kind.most_common():
            table.add_row(t.label("kind", kind), str(count))
        self.show(table)


