"""KPIs against targets (DOMAIN.md's table), per desk, team or agent and per day, week or quarter.

``p`` cycles the period, ``o`` the scope; a supervisor edits a target with ``t``.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from csdesk.data.supervisor_api import KpiRow, KpiTargetView
from csdesk.domain.kpi import Kpi, Period, Scope
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import ChoicePicker, TextPrompt
from csdesk.widgets.keyed_table import KeyedTable


def percent(share: float | None) -> str:
    """``95.0%``, or ``-`` when nothing was due."""
    return "-" if share is None else f"{share * 100:.1f}%"


class KpiScreen(DeskScreen):
    """One row per KPI, bucket and scope key."""

    TITLE_KEY = "supervisor.kpi.title"
    AUTO_FOCUS = "#kpi-table"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="supervisor.back"),
        Binding("p", "cycle_period", "Day/week/quarter", id="supervisor.period"),
        Binding("o", "cycle_scope", "Desk/team/agent", id="supervisor.scope"),
        Binding("t", "edit_target", "Edit target", id="supervisor.target"),
        Binding("r", "reload", "Refresh", id="supervisor.refresh", show=False),
    ]
    DEFAULT_CSS = """
    KpiScreen #kpi-heading { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    KpiScreen #kpi-table { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.period = Period.WEEK
        self.scope = Scope.DESK
        self.rows: list[KpiRow] | None = None

    def compose_body(self) -> ComposeResult:
        """Heading and table."""
        t = self.t
        yield Static(id="kpi-heading")
        yield KeyedTable(
            [
                ("bucket", t("supervisor.col.bucket")),
                ("scope", t("supervisor.col.scope")),
                ("kpi", t("supervisor.col.kpi")),
                ("met", t("supervisor.col.met")),
                ("due", t("supervisor.col.due_count")),
                ("share", t("supervisor.col.share")),
                ("target", t("supervisor.col.target")),
                ("on_target", t("supervisor.col.on_target")),
            ],
            id="kpi-table",
        )

    def on_mount(self) -> None:
        """Load the KPIs."""
        super().on_mount()
        self.action_reload()

    def reload(self) -> None:
        """Load again (language switch)."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the KPIs for the period and scope chosen."""
        t = self.t
        heading = t(
            "supervisor.kpi.heading",
            period=t(f"supervisor.period.{self.period}"),
            scope=t(f"supervisor.scope.{self.scope}"),
        )
        self.query_one("#kpi-heading", Static).update(Text(heading))
        store = self.desk.store
        self.call_store(store.reports.kpis, self.desk.user.id, self.period.value, self.scope.value, then=self._show)

    def _show(self, rows: list[KpiRow]) -> None:
        t = self.t
        self.rows = rows
        table = self.query_one(KeyedTable)
        cells = []
        for r in rows:
            if r.on_target is None:
                status = Text("-")
            elif r.on_target:
                status = Text(t("supervisor.yes"), style="green")
            else:
                status = Text(t("supervisor.no"), style="bold red")
            cells.append(
                (
                    f"{r.bucket}|{r.key}|{r.kpi}",
                    (
                        r.bucket,
                        Text(r.key),
                        t(f"supervisor.kpi.{r.kpi}"),
                        str(r.met),
                        str(r.due),
                        percent(r.share),
                        ("≤ " if not r.higher_is_better else "") + percent(r.target),
                        status,
                    ),
                )
            )
        table.sync(cells)
        if not rows:
            self.notify(t("supervisor.kpi.empty"))

    def action_cycle_period(self) -> None:
        """Day → week → quarter."""
        order = list(Period)
        self.period = order[(order.index(self.period) + 1) % len(order)]
        self.action_reload()

    def action_cycle_scope(self) -> None:
        """Desk → team → agent."""
        order = [Scope.DESK, Scope.TEAM, Scope.AGENT]
        self.scope = order[(order.index(self.scope) + 1) % len(order)]
        self.action_reload()

    def action_edit_target(self) -> None:
        """Pick a KPI, then type its new target in per cent (supervisors; the store checks)."""
        t, desk = self.t, self.desk

        def targets_read(targets: list[KpiTargetView]) -> None:
            current = {x.kpi: x.value for x in targets}
            choices = [(k.value, f"{t(f'supervisor.kpi.{k.value}')} · {percent(current[k.value])}") for k in Kpi]

            def picked(kpi: str | None) -> None:
                if not kpi:
                    return

                def typed(answer: str | None) -> None:
                    if answer is None:
                        return
                    try:
                        value = float(answer.strip().rstrip("%")) / 100
                    except ValueError:
                        self.notify(t("supervisor.kpi.target_bad"), severity="warning")
                        return

                    def saved(view: KpiTargetView) -> None:
                        name = t(f"supervisor.kpi.{view.kpi}")
                        self.notify(t("supervisor.kpi.target_set", kpi=name, value=percent(view.value)))
                        self.action_reload()

                    self.call_store(desk.store.reports.set_kpi_target, desk.user.id, kpi, value, then=saved)

                prompt = t("supervisor.kpi.target_prompt", kpi=t(f"supervisor.kpi.{kpi}"), value=percent(current[kpi]))
                self.app.push_screen(TextPrompt(prompt), typed)

            self.app.push_screen(ChoicePicker(t("supervisor.kpi.target_pick"), choices), picked)

        self.call_store(desk.store.reports.kpi_targets, then=targets_read)
