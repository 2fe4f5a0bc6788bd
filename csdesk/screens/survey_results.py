"""A campaign's results: CSAT per agent, team and business, question means, trend per quarter.

CSAT is the share of answers 4–5 on the overall question (DOMAIN.md KPI "customer
satisfaction"); each bar carries the 65 % floor ``┆`` and the 75 % goal ``┃`` of its
target, colours say below / at the floor / at the goal. Text bars, aligned by terminal
cells so Chinese names line up.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from csdesk.data.survey_views import SurveyResults
from csdesk.domain.survey_results import Csat
from csdesk.screens.base import DeskScreen
from csdesk.widgets.csat_bars import bar_row, percent, scale


class SurveyResultsScreen(DeskScreen):
    """Results of one campaign."""

    TITLE_KEY = "survey.results_title"
    AUTO_FOCUS = "#survey-results-scroll"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="survey.back"),
        Binding("r", "reload", "Refresh", id="survey.refresh", show=False),
    ]
    DEFAULT_CSS = """
    SurveyResultsScreen #survey-results-scroll { height: 1fr; padding: 0 1; }
    SurveyResultsScreen .survey-heading { color: $accent; text-style: bold; margin-top: 1; }
    """

    def __init__(self, campaign_id: str) -> None:
        super().__init__()
        self.campaign_id = campaign_id
        self.results: SurveyResults | None = None

    def compose_body(self) -> ComposeResult:
        """One scrolling column of sections."""
        with VerticalScroll(id="survey-results-scroll", can_focus=True):
            yield Static(id="survey-overall")
            for section in ("agents", "teams", "businesses", "questions", "trend"):
                yield Static(Text(self.t(f"survey.section.{section}")), classes="survey-heading")
                yield Static(id=f"survey-{section}")

    def on_mount(self) -> None:
        """Load."""
        super().on_mount()
        self.reload()

    def reload(self) -> None:
        """Read the results."""
        self.call_store(self.desk.store.surveys.results, self.desk.user.id, self.campaign_id, then=self._show)

    def action_reload(self) -> None:
        """Read again."""
        self.reload()

    def _chart(self, rows: list[tuple[str, Csat, str]]) -> Text:
        """Bars of (label, CSAT, extra tail) rows and the scale naming the target marks."""
        t, marks = self.t, self._marks()
        lines = Text()
        for label, row, extra in rows:
            tail = t("survey.counts", satisfied=row.satisfied, answered=row.answered, sampled=row.sampled) + extra
            lines.append_text(bar_row(label, row.share, row.mark.value, tail, marks))
            lines.append("\n")
        lines.append_text(scale(marks, t("survey.target_floor"), t("survey.target_goal")))
        return lines

    def _marks(self) -> tuple[float, float]:
        assert self.results is not None
        return (self.results.target_floor, self.results.target_goal)

    def _show(self, results: SurveyResults) -> None:
        t = self.t
        self.results = results
        c, overall = results.campaign, results.overall
        head = Text(c.name, style="bold")
        head.append(f"  {c.period_start:%Y-%m-%d} – {c.period_end:%Y-%m-%d} · {t(f'survey.status.{c.status}')}\n")
        head.append(t("survey.overall", csat=percent(overall.share), satisfied=overall.satisfied,
                      answered=overall.answered, sampled=overall.sampled, rate=percent(overall.response_rate),
                      mean="-" if overall.mean is None else f"{overall.mean:.2f}"))
        head.append(" · " + t(f"survey.mark.{overall.mark.value}"), style="bold")
        self.query_one("#survey-overall", Static).update(head)
        names = results.agent_names
        self.query_one("#survey-agents", Static).update(
            self._chart([(names.get(r.key, r.key), r, "") for r in results.by_agent])
        )
        self.query_one("#survey-teams", Static).update(self._chart([(r.key, r, "") for r in results.by_team]))
        self.query_one("#survey-businesses", Static).update(
            self._chart([(t.label("business", r.key), r, "") for r in results.by_business])
        )
        questions = Text()
        for number, (question, mean) in enumerate(zip(c.questions, results.question_means, strict=True), 1):
            questions.append(f"{number}. {'-' if mean is None else f'{mean:.2f}'} / 5  ")
            questions.append(question + "\n")
        questions.rstrip()
        self.query_one("#survey-questions", Static).update(questions)
        trend = [
            (p.quarter, p.csat, "" if p.change is None else t("survey.change", points=f"{p.change:+.1f}"))
            for p in results.trend
        ]
        self.query_one("#survey-trend", Static).update(self._chart(trend))
