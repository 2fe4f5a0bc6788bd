"""The queue as saved on disk, shown read-only while the store opens.

Painted from :func:`csdesk.launch.peek_desk` (plain sqlite3) about a second before the
store gateway is ready; the real :class:`~csdesk.screens.queue.QueueScreen` then takes
over with the same rows, so the agent sees the queue at once and nothing jumps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from csdesk.data.peek import QueuePeek
from csdesk.i18n import Translator
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.ticket_table import PAGE_SIZE, TicketTable, TicketTableHeader


def preview_header(peek: QueuePeek, t: Translator) -> Text:
    """Product name and who will be signed in (desk details follow once the store is open)."""
    text = Text(" csdesk ", style="bold reverse")
    if peek.user is not None:
        text.append("  ")
        text.append(f"{t('header.user')} ", style="dim")
        text.append(f"{peek.user.name} ({peek.user.id})", style="bold")
        text.append("  ")
        text.append(f"{t('header.role')} ", style="dim")
        text.append(t.label("role", peek.user.role), style="bold")
    return text


class QueuePreviewScreen(Screen[None]):
    """Header, filter box, the first page of the queue and a progress line."""

    AUTO_FOCUS = "#queue-table"
    DEFAULT_CSS = """
    QueuePreviewScreen #header-line { height: 1; background: $panel; }
    QueuePreviewScreen #demo-banner {
        height: 1; background: $warning; color: $text; text-style: bold; content-align: center middle;
    }
    QueuePreviewScreen #queue-status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, peek: QueuePeek, t: Translator, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.peek = peek
        self.t = t
        self.now = now

    def compose(self) -> ComposeResult:
        """The same layout as the queue, without the store behind it yet."""
        yield Static(preview_header(self.peek, self.t), id="header-line")
        if self.peek.demo:
            yield Static(Text(self.t("app.demo_banner")), id="demo-banner")
        yield Input(placeholder=self.t("queue.filter_placeholder"), id="queue-filter", disabled=True)
        yield TicketTableHeader(self.t)
        yield TicketTable(self.t, self.now, id="queue-table")
        yield Static(Text(self.t("queue.preview")), id="queue-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        """Fill the table with the rows read at start-up."""
        table = self.query_one(TicketTable)
        generation = table.reset(self.peek.total)
        table.put_page(generation, 0, self.peek.rows[:PAGE_SIZE])

    def on_ticket_table_need_page(self, message: TicketTable.NeedPage) -> None:
        """Further pages come once the store is open."""
        message.stop()

    def show_step(self, message: str) -> None:
        """Progress of opening the store, on the status line."""
        self.query_one("#queue-status", Static).update(Text(f"{self.t('queue.preview')} · {message}"))
