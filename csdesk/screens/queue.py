"""The intake queue: the agent's main screen."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Static

from csdesk.data.api import TicketQuery, TicketRow, UserInfo
from csdesk.domain.tickets import Business, Channel, Kind, Priority
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import ChoicePicker, FacetPicker
from csdesk.widgets.bounded_text import BoundedInput
from csdesk.widgets.ticket_table import PAGE_SIZE, TicketTable, TicketTableHeader, sla_badge

OPEN_STATUSES = ("new", "open", "waiting_customer", "waiting_department")
WAITING_STATUSES = ("waiting_customer", "waiting_department")
#: Column key of the table -> what the store sorts by.
SORT_KEYS = {
    "age": "created_at",
    "sla": "sla_resolution_due",
    "ref": "ref",
    "kind": "kind",
    "channel": "channel",
    "priority": "priority",
    "customer": "customer_name",
    "subject": "subject",
    "assignee": "assignee_id",
    "status": "status",
}
FILTER_DELAY = 0.15
SLA_TICK = 30.0


class QueueScreen(DeskScreen):
    """Filter as you type; the table draws only what is visible."""

    TITLE_KEY = "queue.title"
    AUTO_FOCUS = "#queue-table"
    BINDINGS = [
        Binding("n", "new_contact", "New contact", id="queue.new"),
        Binding("/", "focus_filter", "Filter", id="queue.filter"),
        Binding("c", "claim", "Claim", id="queue.claim"),
        Binding("m", "quick('mine')", "Mine", id="queue.mine"),
        Binding("u", "quick('unassigned')", "Unassigned", id="queue.unassigned"),
        Binding("w", "quick('waiting')", "Waiting", id="queue.waiting"),
        Binding("b", "quick('breaching')", "Breaching", id="queue.breaching"),
        Binding("a", "quick('open')", "All open", id="queue.open_all"),
        Binding("f", "facets", "Kind/channel…", id="queue.facets"),
        Binding("o", "sort", "Sort", id="queue.sort"),
        Binding("O", "flip_sort", "Reverse", id="queue.reverse", show=False),
        Binding("g", "assign", "Assign", id="queue.assign"),
        Binding("R", "route", "Auto-assign", id="queue.route"),
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
        self._shown: TicketQuery | None = None
        self.warned: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        """Filter box, column titles, the virtual table, a status line."""
        yield BoundedInput(
            self.query_state.text, placeholder=self.t("queue.filter_placeholder"), id="queue-filter", max_chars=200
        )
        yield TicketTableHeader(self.t)
        yield TicketTable(self.t, self.desk.clock.now, id="queue-table")
        yield Static(id="queue-status")

    def on_mount(self) -> None:
        """Load the first window; redraw ages and SLA time every half minute and warn of breaches."""
        super().on_mount()
        self.query_one(TicketTable).focus()
        first = self.desk.take_first_page()
        if first is not None:  # the rows read at start-up: shown at once, then refreshed
            total, rows = first
            self.table.put_page(self.table.reset(total), 0, rows[:PAGE_SIZE])
            self._shown = self.query_state
            self._show_status()
        self.action_reload()
        self.set_interval(SLA_TICK, self.sla_tick)

    def sla_tick(self) -> None:
        """Redraw the remaining times; tell the agent once about each ticket of theirs that turns."""
        table = self.table
        table.refresh()
        now = self.desk.clock.now()
        me = self.desk.user.id
        for row in table.loaded_rows():
            if row.assignee_id not in (me, None):
                continue
            status = sla_badge(row, now).status
            if status in ("warning", "breached") and self.warned.get(row.id) != status:
                self.warned[row.id] = status
                key = "queue.sla_breached" if status == "breached" else "queue.sla_warning"
                severity = "error" if status == "breached" else "warning"
                self.notify(self.t(key, ref=row.ref, subject=row.subject[:40]), severity=severity)

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
        self.table.reset(total, keep_showing=query == self._shown)
        self._shown = query
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
        kept = {
            "text": self.query_state.text,
            "kinds": self.query_state.kinds,
            "channels": self.query_state.channels,
            "priorities": self.query_state.priorities,
            "businesses": self.query_state.businesses,
            "order_by": self.query_state.order_by,
            "descending": self.query_state.descending,
        }
        quick = {
            "mine": TicketQuery(statuses=OPEN_STATUSES, assignee_id=self.desk.user.id, **kept),
            "unassigned": TicketQuery(statuses=OPEN_STATUSES, unassigned=True, **kept),
            "waiting": TicketQuery(statuses=WAITING_STATUSES, **kept),
            "breaching": TicketQuery(statuses=OPEN_STATUSES, breaching=True, **kept),
            "open": TicketQuery(statuses=OPEN_STATUSES, **kept),
            "all": TicketQuery(**kept),
        }
        self.quick = name
        self.query_state = quick[name]
        self.action_reload()

    def action_facets(self) -> None:
        """Filter by kind, channel, priority and business line (any combination)."""
        t, q = self.t, self.query_state
        groups = [
            ("kind", Kind, q.kinds),
            ("channel", Channel, q.channels),
            ("priority", Priority, q.priorities),
            ("business", Business, q.businesses),
        ]
        facets = [
            (
                f"{g}:{m.value}",
                f"{t('queue.col.' + g) if g != 'business' else t('intake.business')}: {t.label(g, m.value)}",
            )
            for g, enum, _ in groups
            for m in enum
        ]
        selected = {f"{g}:{v}" for g, _, values in groups for v in values}

        def apply(chosen: list[str] | None) -> None:
            if chosen is None:
                return
            picked: dict[str, tuple[str, ...]] = {
                g: tuple(c.split(":", 1)[1] for c in chosen if c.startswith(g + ":")) for g, _, _ in groups
            }
            self.query_state = replace(
                self.query_state,
                kinds=picked["kind"],
                channels=picked["channel"],
                priorities=picked["priority"],
                businesses=picked["business"],
            )
            self.action_reload()

        self.app.push_screen(FacetPicker(t("queue.facets"), facets, selected), apply)

    def action_sort(self) -> None:
        """Sort by any column."""
        choices = [(key, self.t(f"queue.col.{col}")) for col, key in SORT_KEYS.items()]

        def apply(key: str | None) -> None:
            if key:
                self.query_state = replace(self.query_state, order_by=key)
                self.action_reload()

        self.app.push_screen(ChoicePicker(self.t("queue.sort"), choices, self.query_state.order_by), apply)

    def action_flip_sort(self) -> None:
        """Reverse the order."""
        self.query_state = replace(self.query_state, descending=not self.query_state.descending)
        self.action_reload()

    def action_route(self) -> None:
        """Assign the ticket under the cursor by the fair round-robin rule."""
        row = self.table.current
        if row is None:
            return

        def routed(updated: TicketRow) -> None:
            self.notify(self.t("queue.routed", ref=updated.ref, name=updated.assignee_name or ""))
            self.action_reload()

        self.call_store(self.desk.store.auto_assign, self.desk.user.id, row.id, then=routed)

    def action_assign(self) -> None:
        """Assign or reassign the ticket under the cursor (team leads and above)."""
        row = self.table.current
        if row is None:
            return
        desk = self.desk

        def pick(users: list[UserInfo]) -> None:
            choices = [("", self.t("queue.unassign"))] + [
                (u.id, f"{u.name} ({u.id}) · {self.t.label('role', u.role)}") for u in users if u.active
            ]

            def assign(user_id: str | None) -> None:
                if user_id is None:
                    return
                self.call_store(
                    desk.store.assign_ticket,
                    desk.user.id,
                    row.id,
                    user_id or None,
                    then=lambda _: self.action_reload(),
                )

            title = self.t("queue.assign_title", ref=row.ref)
            self.app.push_screen(ChoicePicker(title, choices, row.assignee_id or ""), assign)

        self.call_store(desk.store.list_users, then=pick)

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
