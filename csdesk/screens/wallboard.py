"""The wallboard: large figures and charts for a big terminal (opened from the live view with ``w``).

Waiting contacts, the longest wait, today's share answered within 30 s and SLA breaches in
big digits; arrivals per half-hour today against the forecast, and a week of CSAT.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from csdesk.data.supervisor_api import LiveSnapshot
from csdesk.i18n import Translator
from csdesk.screens.charts import DayChart, TrendChart, chart_caption
from csdesk.screens.live import waiting_label
from csdesk.screens.live_poll import PolledScreen

FIGURES = ("waiting", "longest", "answered", "breached")


def legend(t: Translator) -> list[tuple[str, str, str]]:
    """(mark, label, style) of the arrivals chart: today's bars, the forecast line."""
    return [("█", t("supervisor.chart.today"), "cyan"), ("┄", t("supervisor.chart.forecast"), "orange1")]


class WallboardScreen(PolledScreen):
    """Big figures and charts, refreshed like the live view."""

    TITLE_KEY = "supervisor.wallboard.title"
    WALLBOARD = True
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="supervisor.back")]
    DEFAULT_CSS = """
    WallboardScreen #wb-figures { height: 7; }
    WallboardScreen .wb-figure { width: 1fr; border: round $accent; padding: 0 1; }
    WallboardScreen .wb-caption { color: $text-muted; }
    WallboardScreen Digits { width: auto; }
    WallboardScreen #wb-charts { height: 1fr; }
    WallboardScreen #wb-arrivals { width: 2fr; }
    WallboardScreen #wb-csat { width: 1fr; }
    WallboardScreen .wb-alarm Digits { color: $error; }
    """

    def compose_body(self) -> ComposeResult:
        """Four figures over two charts."""
        t = self.t
        with Horizontal(id="wb-figures"):
            for name in FIGURES:
                with Vertical(classes="wb-figure", id=f"wb-box-{name}"):
                    yield Static(Text(t(f"supervisor.wallboard.{name}")), classes="wb-caption")
                    yield Digits("-", id=f"wb-{name}")
        with Horizontal(id="wb-charts"):
            with Vertical(id="wb-arrivals"):
                yield Static(chart_caption(t("supervisor.wallboard.arrivals"), legend(t)), classes="wb-caption")
                yield DayChart()
            with Vertical(id="wb-csat"):
                yield Static(Text(t("supervisor.wallboard.csat")), classes="wb-caption", id="wb-csat-caption")
                yield TrendChart()

    def show_snapshot(self, snapshot: LiveSnapshot) -> None:
        """Update the digits and redraw charts whose data changed."""
        answered = "-" if snapshot.answered_30s is None else f"{snapshot.answered_30s * 100:.0f}%"
        values = {
            "waiting": str(snapshot.waiting_total),
            "longest": waiting_label(snapshot.longest_wait_s),
            "answered": answered,
            "breached": str(snapshot.breaches),
        }
        for name, value in values.items():
            digits = self.query_one(f"#wb-{name}", Digits)
            if digits.value != value:
                digits.update(value)
        self.query_one("#wb-box-breached").set_class(snapshot.breaches > 0, "wb-alarm")
        self.query_one(DayChart).draw(snapshot.arrivals_today, [(snapshot.forecast_today, "orange")])
        self.query_one(TrendChart).draw(snapshot.csat_trend)
        if snapshot.csat_trend:
            first, last = snapshot.csat_trend[0][0][5:], snapshot.csat_trend[-1][0][5:]
            caption = f"{self.t('supervisor.wallboard.csat')} ({first} – {last})"
            self.query_one("#wb-csat-caption", Static).update(Text(caption))
