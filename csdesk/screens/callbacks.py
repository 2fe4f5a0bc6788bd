"""F5 Callbacks: today's list (overdue / due now / upcoming) or the week's agenda, mine or the team's.

Enter records the outcome of the callback under the cursor; ``n`` schedules a new one for
a customer found by number or name; ``p`` moves one, ``x`` cancels one. The status line
shows the completion KPI (done by due time / due) for me and my team.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from csdesk.data.api import CustomerView
from csdesk.data.callback_views import CallbackView, CompletionRow, TodayList, WeekAgenda
from csdesk.domain.recurrence import WEEKDAYS_EN, WEEKDAYS_ZH
from csdesk.domain.when import DESK_TZ
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import ChoicePicker, TextPrompt
from csdesk.widgets.sized_table import SizedTable

GROUP_STYLE = {"overdue": "bold red", "due_now": "bold yellow", "upcoming": ""}
RELOAD_EVERY = 60.0
COLUMNS = ("group", "due", "customer", "phone", "purpose", "channel", "attempts", "assignee", "ticket", "note")


def desk_time(moment: datetime, pattern: str = "%m-%d %H:%M") -> str:
    """A moment in desk time (the time agents type)."""
    return moment.astimezone(DESK_TZ).strftime(pattern)


def percent(row: CompletionRow | None, none: str) -> str:
    """"92% (11/12)", or ``none`` when nothing was due."""
    if row is None or row.rate is None:
        return none
    return f"{row.rate:.0%} ({row.on_time}/{row.due})"


class CallbacksScreen(DeskScreen):
    """Callbacks to make, and what happened to them."""

    TITLE_KEY = "callbacks.title"
    AUTO_FOCUS = "#callbacks-table"
    BINDINGS = [
        Binding("enter", "outcome", "Outcome", id="callbacks.outcome", priority=True),
        Binding("n", "new", "New callback", id="callbacks.new"),
        Binding("p", "reschedule", "Move", id="callbacks.reschedule"),
        Binding("x", "cancel_callback", "Cancel", id="callbacks.cancel"),
        Binding("t", "toggle_scope", "Mine/team", id="callbacks.scope"),
        Binding("w", "toggle_view", "Today/week", id="callbacks.view"),
        Binding("r", "reload", "Refresh", id="callbacks.refresh"),
    ]
    DEFAULT_CSS = """
    CallbacksScreen #callbacks-summary { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    CallbacksScreen #callbacks-table { height: 1fr; }
    CallbacksScreen #callbacks-kpi { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.team_view = False
        self.week_view = False
        self.rows: dict[str, CallbackView] = {}

    def compose_body(self) -> ComposeResult:
        """Summary line, the table, the KPI line."""
        yield Static(id="callbacks-summary")
        table: DataTable[Text] = SizedTable(id="callbacks-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="callbacks-kpi")

    def on_mount(self) -> None:
        """Load, and load again every minute (due times move into "overdue" as time passes)."""
        super().on_mount()
        self.action_reload()
        self.set_interval(RELOAD_EVERY, self.action_reload)

    def reload(self) -> None:
        """Reload (language switch, back from a form)."""
        self.action_reload()

    @property
    def table(self) -> DataTable[Text]:
        """The list."""
        return self.query_one("#callbacks-table", DataTable)

    def _scope(self) -> dict[str, str | None]:
        user = self.desk.user
        if self.team_view:
            return {"assignee_id": None, "team": user.team or None}  # no team: the whole desk
        return {"assignee_id": user.id, "team": None}

    def _scope_label(self) -> str:
        if not self.team_view:
            return self.t("callbacks.mine")
        team = self.desk.user.team
        return self.t("callbacks.team", team=team) if team else self.t("callbacks.everyone")

    # ------------------------------------------------------------- loading
    def action_reload(self) -> None:
        """Load the list (today or the week) and the completion KPI."""
        store, actor = self.desk.store, self.desk.user.id
        scope = self._scope()
        if self.week_view:
            self.call_store(store.callbacks.week, actor, **scope, then=self._show_week)
        else:
            self.call_store(store.callbacks.today, actor, **scope, then=self._show_today)
        self.call_store(store.callbacks.completion, actor, then=self._show_kpi)

    def _columns(self, keys: tuple[str, ...]) -> None:
        table = self.table
        table.clear(columns=True)
        for key in keys:
            table.add_column(Text(self.t(f"callbacks.col.{key}")), key=key)

    def _cells(self, cb: CallbackView) -> list[Text]:
        t = self.t
        return [
            Text(desk_time(cb.due_at)),
            Text(("★ " if cb.customer_vip else "") + cb.customer_name),
            Text(cb.customer_phone or ""),
            Text(t(f"callbacks.purpose.{cb.purpose}")),
            Text(t(f"callbacks.channel.{cb.channel}")),
            Text(f"{cb.attempts}/{cb.max_attempts}"),
            Text(cb.assignee_name or ""),
            Text(cb.ticket_ref or ""),
            Text(cb.note.splitlines()[0][:40] if cb.note else "", style="dim"),
        ]

    def _show_today(self, today: TodayList) -> None:
        self._columns(COLUMNS)
        self.rows = {}
        for group, rows in (("overdue", today.overdue), ("due_now", today.due_now), ("upcoming", today.upcoming)):
            for cb in rows:
                label = Text(self.t(f"callbacks.group.{group}"), style=GROUP_STYLE[group])
                self.table.add_row(label, *self._cells(cb), key=cb.id)
                self.rows[cb.id] = cb
        summary = self.t(
            "callbacks.summary",
            view=self.t("callbacks.today"),
            scope=self._scope_label(),
            overdue=len(today.overdue),
            due_now=len(today.due_now),
            upcoming=len(today.upcoming),
        )
        self._summary(summary)

    def _show_week(self, agenda: WeekAgenda) -> None:
        self._columns(("group", "status", *COLUMNS[1:]))
        self.rows = {}
        for day, rows in agenda.days.items():
            for n, cb in enumerate(rows):
                names = WEEKDAYS_ZH if self.t.language == "zh-CN" else WEEKDAYS_EN
                label = Text(f"{names[day.weekday()][:3]} {day:%m-%d}" if n == 0 else "", style="bold")
                status = Text(self.t(f"callbacks.status.{cb.status}"))
                cells = self._cells(cb)
                cells[0] = Text(desk_time(cb.due_at, "%H:%M"))
                self.table.add_row(label, status, *cells, key=cb.id)
                self.rows[cb.id] = cb
        first = next(iter(agenda.days))
        view = self.t("callbacks.week", day=first.isoformat())
        self._summary(self.t("callbacks.week_summary", view=view, scope=self._scope_label(), count=len(self.rows)))

    def _summary(self, text: str) -> None:
        if not self.rows:
            text = f"{text} · {self.t('callbacks.empty')}"
        self.query_one("#callbacks-summary", Static).update(Text(text))

    def _show_kpi(self, rows: list[CompletionRow]) -> None:
        user = self.desk.user
        mine = next((r for r in rows if r.scope == "agent" and r.key == user.id), None)
        team = next((r for r in rows if r.scope == "team" and r.key == user.team), None)
        none = self.t("callbacks.no_rate")
        line = self.t("callbacks.completion", mine=percent(mine, none), team=percent(team, none))
        self.query_one("#callbacks-kpi", Static).update(Text(line))

    # ------------------------------------------------------------- actions
    @property
    def current(self) -> CallbackView | None:
        """The callback under the cursor."""
        table = self.table
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    def action_toggle_scope(self) -> None:
        """Mine or my team's."""
        self.team_view = not self.team_view
        self.action_reload()

    def action_toggle_view(self) -> None:
        """Today's list or the week's agenda."""
        self.week_view = not self.week_view
        self.action_reload()

    def action_outcome(self) -> None:
        """Record what happened on the callback under the cursor."""
        from csdesk.screens.callback_forms import OutcomeScreen

        cb = self.current
        if cb is not None and cb.status == "scheduled":
            self.app.push_screen(OutcomeScreen(cb), lambda _: self.action_reload())

    def action_new(self) -> None:
        """Find the customer, then open the schedule form."""
        store, actor = self.desk.store, self.desk.user.id

        def found(customers: list[CustomerView]) -> None:
            if not customers:
                self.notify(self.t("callbacks.no_customer"), severity="warning")
                return
            choices = [(c.id, f"{c.name} {c.phone or ''}") for c in customers]
            self.app.push_screen(ChoicePicker(self.t("callbacks.pick_customer"), choices), self._schedule_for)

        def searched(text: str | None) -> None:
            if text:
                self.call_store(store.find_customers, actor, text, then=found)

        self.app.push_screen(TextPrompt(self.t("callbacks.ask_customer")), searched)

    def _schedule_for(self, customer_id: str | None) -> None:
        from csdesk.screens.callback_forms import ScheduleCallbackScreen

        if customer_id:
            self.app.push_screen(ScheduleCallbackScreen(customer_id=customer_id), lambda _: self.action_reload())

    def _ask_then(
        self, question_key: str, use_case: Callable[..., CallbackView], done: Callable[[CallbackView], None]
    ) -> None:
        """Ask one line about the callback under the cursor, then run ``use_case(actor, id, answer)``."""
        cb = self.current
        if cb is None:
            return
        actor = self.desk.user.id

        def given(text: str | None) -> None:
            if text:
                self.call_store(use_case, actor, cb.id, text, then=done)

        self.app.push_screen(TextPrompt(self.t(question_key)), given)

    def action_reschedule(self) -> None:
        """Move the callback under the cursor to another allowed time."""

        def moved(updated: CallbackView) -> None:
            self.notify(self.t("callbacks.moved", time=desk_time(updated.due_at, "%Y-%m-%d %H:%M")))
            self.action_reload()

        self._ask_then("callbacks.ask_new_time", self.desk.store.callbacks.reschedule, moved)

    def action_cancel_callback(self) -> None:
        """Cancel the callback under the cursor, saying why."""

        def cancelled(_: CallbackView) -> None:
            self.notify(self.t("callbacks.cancelled"))
            self.action_reload()

        self._ask_then("callbacks.ask_cancel_reason", self.desk.store.callbacks.cancel, cancelled)
