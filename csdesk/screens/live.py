"""The supervisor's live view: waiting work, SLA alerts, agents and incidents, all desks.

Fed by :class:`csdesk.screens.live_poll.PolledScreen`; tables are keyed so a change
redraws only its cells. Enter opens a ticket, ``g`` reassigns it; from here the wallboard,
KPIs, staffing, QA and satisfaction survey (``v``) screens open, and a supervisor raises or
closes an incident.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from csdesk.data.api import TicketQuery, TicketRow
from csdesk.data.supervisor_api import IncidentView, LiveSnapshot, SlaAlert
from csdesk.domain.roles import Permission, can
from csdesk.domain.sla_due import compact
from csdesk.screens.live_poll import PolledScreen
from csdesk.screens.pickers import ChoicePicker, TextPrompt
from csdesk.widgets.keyed_table import KeyedTable

OPEN_STATUSES = ("new", "open", "waiting_customer", "waiting_department")
INCIDENT_KINDS = ("system_outage", "mass_complaint", "suspected_fraud", "other")


def waiting_label(seconds: int) -> str:
    """A wait as ``m:ss`` under an hour, ``1h05`` under a day, else ``2d3h``."""
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    if seconds < 86400:
        return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}"
    return f"{seconds // 86400}d{(seconds % 86400) // 3600}h"


class LiveScreen(PolledScreen):
    """All desks at a glance (F6)."""

    TITLE_KEY = "supervisor.live.title"
    AUTO_FOCUS = "#live-alerts"
    BINDINGS = [
        Binding("g", "reassign", "Reassign", id="supervisor.reassign"),
        Binding("w", "wallboard", "Wallboard", id="supervisor.wallboard"),
        Binding("k", "kpis", "KPIs", id="supervisor.kpis"),
        Binding("s", "staffing", "Staffing", id="supervisor.staffing"),
        Binding("u", "qa", "QA", id="supervisor.qa"),
        Binding("v", "surveys", "Surveys", id="survey.open"),
        Binding("i", "raise_incident", "Raise incident", id="supervisor.incident"),
        Binding("x", "close_incident", "Close incident", id="supervisor.close_incident", show=False),
        Binding("r", "reload", "Refresh", id="supervisor.refresh", show=False),
    ]
    DEFAULT_CSS = """
    LiveScreen #live-summary { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    LiveScreen #live-rooms { height: 1; padding: 0 1; color: $warning; text-style: bold; display: none; }
    LiveScreen .live-caption { height: 1; padding: 0 1; color: $accent; text-style: bold; }
    LiveScreen #live-top { height: 12; }
    LiveScreen #live-waiting-box { width: 44; }
    LiveScreen #live-waiting, LiveScreen #live-agents { height: 1fr; }
    LiveScreen #live-alerts { height: 1fr; }
    """

    def compose_body(self) -> ComposeResult:
        """Summary, waiting by kind/channel, agents, SLA alerts."""
        t = self.t
        yield Static(id="live-summary")
        yield Static(id="live-rooms")
        with Horizontal(id="live-top"):
            with Vertical(id="live-waiting-box"):
                yield Static(Text(t("supervisor.live.waiting")), classes="live-caption")
                yield KeyedTable(
                    [
                        ("kind", t("supervisor.col.kind")),
                        ("channel", t("supervisor.col.channel")),
                        ("count", t("supervisor.col.count")),
                    ],
                    id="live-waiting",
                )
            with Vertical():
                yield Static(Text(t("supervisor.live.agents")), classes="live-caption")
                yield KeyedTable(
                    [
                        ("agent", t("supervisor.col.agent")),
                        ("team", t("supervisor.col.team")),
                        ("availability", t("supervisor.col.availability")),
                        ("load", t("supervisor.col.load")),
                    ],
                    id="live-agents",
                )
        yield Static(Text(t("supervisor.live.alerts")), classes="live-caption")
        yield KeyedTable(
            [
                ("ref", t("supervisor.col.ref")),
                ("kind", t("supervisor.col.kind")),
                ("channel", t("supervisor.col.channel")),
                ("priority", t("supervisor.col.priority")),
                ("status", t("supervisor.col.status")),
                ("assignee", t("supervisor.col.assignee")),
                ("due", t("supervisor.col.due")),
                ("state", t("supervisor.col.state")),
            ],
            id="live-alerts",
        )

    async def relabel(self) -> None:
        """Redraw in the new language with the snapshot already read."""
        await super().relabel()
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    # ------------------------------------------------------------- drawing
    def show_snapshot(self, snapshot: LiveSnapshot) -> None:
        """Summary line and the three keyed tables."""
        t = self.t
        summary = t(
            "supervisor.live.summary",
            waiting=snapshot.waiting_total,
            longest=waiting_label(snapshot.longest_wait_s),
            ref=snapshot.longest_wait_ref or "",
            breached=snapshot.breaches,
            near=snapshot.near_breaches,
            at=snapshot.at.astimezone().strftime("%H:%M:%S"),
        )
        self.query_one("#live-summary", Static).update(Text(summary))
        rooms = self.query_one("#live-rooms", Static)
        rooms.display = bool(snapshot.extra)
        rooms.update(Text(" · ".join(t(f"supervisor.live.{k}", count=n) for k, n in snapshot.extra.items())))
        self.query_one("#live-waiting", KeyedTable).sync(
            [
                (f"{w.kind}:{w.channel}", (t.label("kind", w.kind), t.label("channel", w.channel), str(w.count)))
                for w in snapshot.waiting
            ]
        )
        self.query_one("#live-agents", KeyedTable).sync(
            [
                (a.id, (Text(a.name), a.team, t.label("availability", a.availability), str(a.open_tickets)))
                for a in snapshot.agents
            ]
        )
        self.query_one("#live-alerts", KeyedTable).sync(
            [(a.ticket_id, self._alert_cells(a, snapshot)) for a in snapshot.alerts]
        )

    def _alert_cells(self, alert: SlaAlert, snapshot: LiveSnapshot) -> tuple[str | Text, ...]:
        t = self.t
        state = (
            Text(t("supervisor.state.breached"), style="bold red")
            if alert.breached
            else Text(t("supervisor.state.near"), style="yellow")
        )
        return (
            alert.ref,
            t.label("kind", alert.kind),
            t.label("channel", alert.channel),
            t.label("priority", alert.priority),
            t.label("status", alert.status),
            alert.assignee_id or t("supervisor.live.unassigned"),
            compact(alert.due - snapshot.at),
            state,
        )

    # ------------------------------------------------------------- actions
    def _selected_alert(self) -> SlaAlert | None:
        key = self.query_one("#live-alerts", KeyedTable).current_key
        if key is None or self.snapshot is None:
            return None
        return next((a for a in self.snapshot.alerts if a.ticket_id == key), None)

    @on(DataTable.RowSelected, "#live-alerts")
    def open_ticket(self, event: DataTable.RowSelected) -> None:
        """Drill down to the ticket."""
        from csdesk.screens.ticket import TicketScreen

        if event.row_key.value:
            self.app.push_screen(TicketScreen(event.row_key.value), callback=lambda _: self.reload())

    def action_reassign(self) -> None:
        """Reassign the ticket under the cursor to an agent (load shown)."""
        alert = self._selected_alert()
        if alert is None or self.snapshot is None:
            return
        t, desk = self.t, self.desk
        choices = [
            (a.id, f"{a.name} ({a.id}) · {t.label('availability', a.availability)} · {a.open_tickets}")
            for a in self.snapshot.agents
        ]

        def assign(user_id: str | None) -> None:
            if not user_id:
                return

            def done(row: TicketRow) -> None:
                self.notify(t("supervisor.live.reassigned", ref=row.ref, name=row.assignee_name or user_id))
                self.reload()

            self.call_store(desk.store.assign_ticket, desk.user.id, alert.ticket_id, user_id, then=done)

        title = t("supervisor.live.reassign_title", ref=alert.ref)
        self.app.push_screen(ChoicePicker(title, choices, alert.assignee_id), assign)

    def action_wallboard(self) -> None:
        """Large figures and charts for a big terminal."""
        from csdesk.screens.wallboard import WallboardScreen

        self.app.push_screen(WallboardScreen())

    def action_kpis(self) -> None:
        """KPIs against targets."""
        from csdesk.screens.kpis import KpiScreen

        self.app.push_screen(KpiScreen())

    def action_staffing(self) -> None:
        """Forecast, Erlang C need and roster."""
        from csdesk.screens.staffing import StaffingScreen

        self.app.push_screen(StaffingScreen())

    def action_qa(self) -> None:
        """Quality assurance."""
        from csdesk.screens.quality import QaScreen

        self.app.push_screen(QaScreen())

    def action_surveys(self) -> None:
        """Satisfaction survey campaigns."""
        from csdesk.screens.surveys import SurveyListScreen

        self.app.push_screen(SurveyListScreen())

    def action_raise_incident(self) -> None:
        """Kind, title, script (the standard one offered), tickets to link by subject."""
        t, desk = self.t, self.desk
        kinds = [(k, t(f"supervisor.incident.{k}")) for k in INCIDENT_KINDS]

        def with_kind(kind: str | None) -> None:
            if not kind:
                return

            def with_title(title: str | None) -> None:
                if not title:
                    return

                def with_script(script: str | None) -> None:
                    if not script:
                        return

                    def with_link(text: str | None) -> None:
                        def job() -> IncidentView:
                            incident = desk.store.incidents.raise_incident(desk.user.id, kind, title, script)
                            if text:
                                query = TicketQuery(statuses=OPEN_STATUSES, text=text)
                                incident = desk.store.incidents.link_matching(desk.user.id, incident.id, query)
                            return incident

                        self.call_store(job, then=self._raised)

                    self.app.push_screen(TextPrompt(t("supervisor.incident.link_prompt")), with_link)

                standard = t(f"supervisor.incident.script.{kind}")
                self.app.push_screen(TextPrompt(t("supervisor.incident.script_prompt"), standard), with_script)

            self.app.push_screen(TextPrompt(t("supervisor.incident.title_prompt")), with_title)

        self.app.push_screen(ChoicePicker(t("supervisor.incident.kind_pick"), kinds), with_kind)

    def _raised(self, incident: IncidentView) -> None:
        self.notify(self.t("supervisor.incident.raised", count=incident.tickets))
        self.reload()
        refresh_headers(self)

    def action_close_incident(self) -> None:
        """Close an open incident (its banner leaves every header)."""
        t, desk = self.t, self.desk
        incidents = self.snapshot.incidents if self.snapshot else ()
        if not incidents:
            self.notify(t("supervisor.incident.none"))
            return

        def close(incident_id: str | None) -> None:
            if not incident_id:
                return

            def closed(incident: IncidentView) -> None:
                self.notify(t("supervisor.incident.closed", title=incident.title))
                self.reload()
                refresh_headers(self)

            self.call_store(desk.store.incidents.close, desk.user.id, incident_id, then=closed)

        choices = [(i.id, f"{t(f'supervisor.incident.{i.kind}')} · {i.title}") for i in incidents]
        self.app.push_screen(ChoicePicker(t("binding.supervisor.close_incident"), choices), close)


def refresh_headers(screen: PolledScreen) -> None:
    """Ask the header of the shown screen to read the incidents again."""
    from csdesk.widgets.header import DeskHeader

    for header in screen.query(DeskHeader):
        header.refresh_incidents(always=True)


def supervisor_commands(app: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """Command-palette entries of the supervisor's screens the signed-in role may open.

    The QA screen is everyone's (own results, anonymous report); KPIs and staffing need
    reports; the wallboard needs the live view.
    """
    from csdesk.screens.kpis import KpiScreen
    from csdesk.screens.quality import QaScreen
    from csdesk.screens.staffing import StaffingScreen
    from csdesk.screens.surveys import SurveyListScreen
    from csdesk.screens.wallboard import WallboardScreen

    desk = getattr(app, "desk", None)
    if desk is None:
        return []
    t, role = desk.t, desk.user.role
    entries: list[tuple[str, str, type[Screen[Any]], Permission | None]] = [
        (t("binding.supervisor.qa"), "u", QaScreen, None),
        (t("binding.supervisor.kpis"), "k", KpiScreen, Permission.REPORT_READ),
        (t("binding.supervisor.staffing"), "s", StaffingScreen, Permission.REPORT_READ),
        (t("binding.supervisor.wallboard"), "w", WallboardScreen, Permission.LIVE_VIEW),
        (t("survey.palette"), "v", SurveyListScreen, Permission.SURVEY_READ),
    ]
    return [
        (label, f"F6 {key}", partial(_push_new, app, screen))
        for label, key, screen, needed in entries
        if needed is None or can(role, needed)
    ]


def _push_new(app: Any, screen: type[Screen[Any]]) -> None:
    app.push_screen(screen())
