"""The intake queue: the agent's main screen."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Static

from csdesk.data.api import TicketQuery, TicketRow
from csdesk.screens.base import DeskScreen
from csdesk.widgets.ticket_table import PAGE_SIZE, TicketTable, TicketTableHeader

OPEN_STATUSES = ("new", "open", "waiting_customer", "waiting_department")
FILTER_DELAY = 0.15


class QueueScreen(DeskScreen):
    """Filter as you type; the table draws only what is visible."""

    TITLE_KEY = "queue.title"
    BINDINGS = [
        Binding("n", "new_contact", "New contact", id="queue.new"),
        Binding("/", "focus_filter", "Filter", id="queue.filter"),
        Binding("c", "claim", "Claim", id="queue.claim"),
        Binding("m", "quick('mine')", "Mine", id="queue.mine"),
        Binding("u", "quick('unassigned')", "Unassigned", id="queue.unassigned"),
        Binding("a", "quick('open')", "All open", id="queue.open_all"),
        Binding("A", "quick('all')", "Everything", id="queue.everything", show=False),
        Binding("r", "reload", "Refresh", id="queue.refresh"),
        Binding("escape", "focus_table", "Table", show=False),
    ]
    DEFAULT_CSS = """
    QueueScreen #queue-filter { margin: 0 0; }
    QueueScreen #queue-status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.query_state = TicketQuery(statuses=OPEN_STATUSES)
        self.quick = "open"
        self._debounce: Timer | None = None

    def compose_body(self) -> ComposeResult:
        """Filter box, column titles, the virtual table, a status line."""
        yield Input(self.query_state.text, placeholder=self.t("queue.filter_placeholder"), id="queue-filter")
        yield TicketTableHeader(self.t)
        yield TicketTable(self.t, self.desk.clock.now, id="queue-table")
        yield Static(id="queue-status")

    def on_mount(self) -> None:
        """Load the first window."""
        super().on_mount()
        self.query_one(TicketTable).focus()
        self.action_reload()

    @property
    def table(self) -> TicketTable:
        """The queue table."""
        return self.query_one(TicketTable)

    # ------------------------------------------------------------- loading
    def reload(self) -> None:
        """Reload the queue (language switch, return from a ticket)."""
        self.table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        """Count the matching tickets and start from the first page."""
        query, user = self.query_state, self.desk.user.id
        self.call_store(self.desk.store.count_tickets, user, query, then=lambda n: self._counted(query, n))

    def _counted(self, query: TicketQuery, total: int) -> None:
        if query != self.query_state:
            return
        self.table.reset(total)
        self._show_status()

    def _show_status(self) -> None:
        total = self.table.total
        text = self.t("queue.count", total=f"{total:,}") if total else self.t("queue.empty")
        self.query_one("#queue-status", Static).update(Text(text))

    @on(TicketTable.NeedPage)
    def load_page(self, message: TicketTable.NeedPage) -> None:
        """Fetch one page of rows for the table."""
        table, query, page = self.table, self.query_state, message.page
        generation = table.generation

        def deliver(rows: list[TicketRow]) -> None:
            table.put_page(generation, page, rows)

        self.call_store(
            self.desk.store.list_tickets, self.desk.user.id, query, page * PAGE_SIZE, PAGE_SIZE, then=deliver
        )

    # ------------------------------------------------------------- filtering
    @on(Input.Changed, "#queue-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        """Re-query shortly after the agent stops typing."""
        if self._debounce is not None:
            self._debounce.stop()
        self.query_state = replace(self.query_state, text=event.value)
        self._debounce = self.set_timer(FILTER_DELAY, self.action_reload)

    @on(Input.Submitted, "#queue-filter")
    def filter_submitted(self) -> None:
        """Enter in the filter box goes to the table."""
        self.table.focus()

    def action_focus_filter(self) -> None:
        """Jump to the filter box."""
        self.query_one("#queue-filter", Input).focus()

    def action_focus_table(self) -> None:
        """Back to the table."""
        self.table.focus()

    def action_quick(self, name: str) -> None:
        """Quick filters: mine, unassigned, all open, everything."""
        text = self.query_state.text
        quick = {
            "mine": TicketQuery(text=text, statuses=OPEN_STATUSES, assignee_id=self.desk.user.id),
            "unassigned": TicketQuery(text=text, statuses=OPEN_STATUSES, unassigned=True),
            "open": TicketQuery(text=text, statuses=OPEN_STATUSES),
            "all": TicketQuery(text=text),
        }
        self.quick = name
        self.query_state = quick[name]
        self.action_reload()

    # ------------------------------------------------------------- actions
    def action_claim(self) -> None:
        """Take the ticket under the cursor."""
        row = self.table.current
        if row is None:
            return

        def claimed(updated: TicketRow) -> None:
            self.notify(self.t("queue.claimed", ref=updated.ref))
            self.action_reload()

        self.call_store(self.desk.store.claim_ticket, self.desk.user.id, row.id, then=claimed)

    def action_new_contact(self) -> None:
        """Record a new contact; the queue reloads when it is saved."""
        from csdesk.screens.intake import NewContactScreen

        self.app.push_screen(NewContactScreen(), callback=lambda _: self.action_reload())

    @on(TicketTable.Selected)
    def open_ticket(self, message: TicketTable.Selected) -> None:
        """Open the ticket detail."""
        from csdesk.screens.ticket import TicketScreen

        self.app.push_screen(TicketScreen(message.row.id), callback=lambda _: self.action_reload())
