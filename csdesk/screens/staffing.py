"""Staffing: forecast arrivals per half-hour, Erlang C agents needed, and the roster (DOMAIN.md, "Staffing").

A table of every half-hour with arrivals or people, next to a chart of agents needed
(bars) against agents rostered (line). ``[`` and ``]`` move a day, ``a`` sets the average
handling time and ``h`` the shrinkage.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from csdesk.data.supervisor_api import StaffingPlan
from csdesk.domain.kpi import DESK_TZ
from csdesk.screens.base import DeskScreen
from csdesk.screens.charts import DayChart, chart_caption
from csdesk.screens.pickers import TextPrompt
from csdesk.widgets.keyed_table import KeyedTable

DEFAULT_AHT = 300
DEFAULT_SHRINKAGE = 0.3


class StaffingScreen(DeskScreen):
    """Forecast vs Erlang C need vs roster for one day."""

    TITLE_KEY = "supervisor.staffing.title"
    AUTO_FOCUS = "#staffing-table"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="supervisor.back"),
        Binding("left_square_bracket", "move(-1)", "Previous day", id="supervisor.prev_day"),
        Binding("right_square_bracket", "move(1)", "Next day", id="supervisor.next_day"),
        Binding("a", "set_aht", "Handling time", id="supervisor.aht"),
        Binding("h", "set_shrinkage", "Shrinkage", id="supervisor.shrinkage"),
    ]
    DEFAULT_CSS = """
    StaffingScreen #staffing-heading { height: auto; padding: 0 1; background: $boost; text-style: bold; }
    StaffingScreen #staffing-table { width: 62; height: 1fr; }
    StaffingScreen .staffing-caption { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day
        self.aht = DEFAULT_AHT
        self.shrinkage = DEFAULT_SHRINKAGE
        self.plan: StaffingPlan | None = None

    def compose_body(self) -> ComposeResult:
        """Heading, table and chart."""
        t = self.t
        yield Static(id="staffing-heading")
        with Horizontal():
            yield KeyedTable(
                [
                    ("time", t("supervisor.col.time")),
                    ("forecast", t("supervisor.col.forecast")),
                    ("erlangs", t("supervisor.col.erlangs")),
                    ("needed", t("supervisor.col.needed")),
                    ("rostered", t("supervisor.col.rostered")),
                    ("gap", t("supervisor.col.gap")),
                ],
                id="staffing-table",
            )
            with Vertical():
                legend = [("█", t("supervisor.chart.needed"), "cyan"), ("┄", t("supervisor.chart.rostered"), "green")]
                yield Static(chart_caption(t("supervisor.staffing.chart"), legend), classes="staffing-caption")
                yield DayChart()

    def on_mount(self) -> None:
        """Plan today (desk time) unless a day was given."""
        super().on_mount()
        if self.day is None:
            self.day = self.desk.clock.now().astimezone(DESK_TZ).date()
        self.reload()

    def reload(self) -> None:
        """Compute the plan for the day and parameters chosen."""
        assert self.day is not None
        self.call_store(
            self.desk.store.reports.staffing,
            self.desk.user.id,
            self.day.isoformat(),
            aht_seconds=self.aht,
            shrinkage=self.shrinkage,
            then=self._show,
        )

    def _show(self, plan: StaffingPlan) -> None:
        t = self.t
        self.plan = plan
        heading = Text(
            t(
                "supervisor.staffing.heading",
                day=plan.day,
                aht=plan.aht_seconds,
                shrinkage=f"{plan.shrinkage * 100:.0f}%",
                target=f"{plan.target * 100:.0f}%",
                answer=plan.answer_seconds,
                weeks=plan.weeks,
            )
        )
        short = [i for i in plan.intervals if i.gap < 0]
        if short:
            heading.append("  " + t("supervisor.staffing.short", count=len(short)), style="red")
        self.query_one("#staffing-heading", Static).update(heading)
        rows = []
        for i in plan.intervals:
            if not (i.forecast or i.rostered):
                continue
            gap = Text(f"{i.gap:+d}", style="bold red" if i.gap < 0 else "green")
            rows.append(
                (i.label, (i.label, f"{i.forecast:.1f}", f"{i.erlangs:.2f}", str(i.scheduled), str(i.rostered), gap))
            )
        self.query_one(KeyedTable).sync(rows)
        self.query_one(DayChart).draw(
            [float(i.scheduled) for i in plan.intervals], [([float(i.rostered) for i in plan.intervals], "green")]
        )

    def action_move(self, days: int) -> None:
        """Plan the day before or after."""
        assert self.day is not None
        self.day += timedelta(days=days)
        self.reload()

    def _ask_number(self, question: str, apply: Callable[[int], None]) -> None:
        def answered(answer: str | None) -> None:
            if answer is None:
                return
            try:
                value = int(answer.strip().rstrip("%"))
            except ValueError:
                self.notify(self.t("supervisor.staffing.bad_number"), severity="warning")
                return
            apply(value)
            self.reload()

        self.app.push_screen(TextPrompt(question), answered)

    def action_set_aht(self) -> None:
        """Average handling time in seconds."""

        def apply(value: int) -> None:
            self.aht = value

        self._ask_number(self.t("supervisor.staffing.aht_prompt", value=self.aht), apply)

    def action_set_shrinkage(self) -> None:
        """Shrinkage in per cent."""

        def apply(value: int) -> None:
            self.shrinkage = value / 100

        self._ask_number(self.t("supervisor.staffing.shrinkage_prompt", value=f"{self.shrinkage * 100:.0f}%"), apply)
