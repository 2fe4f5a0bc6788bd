"""Satisfaction survey campaigns (F6 → ``v``): the list, define, launch, results, close.

Supervisors define a campaign (``n``, a form with the live sample per agent), launch it
after a confirmation showing population and sample (``l``), and close it when the quarter
is over (``c``); team leads, QA and analysts read the results (Enter). The store decides
who may do what; a refusal is one notification.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from csdesk.data.survey_views import CampaignView, SamplePreview
from csdesk.domain.roles import Permission, can
from csdesk.domain.survey_results import target_mark
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import ChoicePicker
from csdesk.widgets.csat_bars import STYLE, percent
from csdesk.widgets.keyed_table import KeyedTable


class SurveyListScreen(DeskScreen):
    """Every campaign, newest period first."""

    TITLE_KEY = "survey.title"
    AUTO_FOCUS = "#survey-campaigns"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="survey.back"),
        Binding("enter", "results", "Results", id="survey.results", priority=True),
        Binding("n", "define", "New campaign", id="survey.define"),
        Binding("l", "launch", "Launch", id="survey.launch"),
        Binding("c", "close", "Close", id="survey.close"),
        Binding("r", "reload", "Refresh", id="survey.refresh", show=False),
    ]
    DEFAULT_CSS = """
    SurveyListScreen #survey-caption { height: 1; padding: 0 1; color: $accent; text-style: bold; }
    SurveyListScreen #survey-campaigns { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.campaigns: list[CampaignView] = []

    def compose_body(self) -> ComposeResult:
        """Caption and the campaign table."""
        t = self.t
        yield Static(id="survey-caption")
        yield KeyedTable(
            [
                ("name", t("survey.col.name")),
                ("period", t("survey.col.period")),
                ("status", t("survey.col.status")),
                ("channel", t("survey.col.channel")),
                ("population", t("survey.col.population")),
                ("sampled", t("survey.col.sampled")),
                ("answered", t("survey.col.answered")),
                ("csat", t("survey.col.csat")),
            ],
            id="survey-campaigns",
        )

    def on_mount(self) -> None:
        """Load."""
        super().on_mount()
        self.reload()

    def reload(self) -> None:
        """Read the campaigns."""
        self.call_store(self.desk.store.surveys.list, self.desk.user.id, then=self._show)

    def action_reload(self) -> None:
        """Read again."""
        self.reload()

    def _show(self, campaigns: list[CampaignView]) -> None:
        t = self.t
        self.campaigns = campaigns
        self.query_one("#survey-caption", Static).update(Text(t("survey.caption", count=len(campaigns))))
        self.query_one("#survey-campaigns", KeyedTable).sync(
            [
                (
                    c.id,
                    (
                        Text(c.name),
                        f"{c.period_start:%Y-%m-%d} – {c.period_end:%Y-%m-%d}",
                        t(f"survey.status.{c.status}"),
                        t.label("channel", c.channel),
                        str(c.population) if c.status != "defined" else "",
                        str(c.sampled) if c.status != "defined" else "",
                        str(c.answered) if c.status != "defined" else "",
                        Text(percent(c.csat), style=STYLE[target_mark(c.csat).value]),
                    ),
                )
                for c in campaigns
            ]
        )

    def _selected(self) -> CampaignView | None:
        key = self.query_one("#survey-campaigns", KeyedTable).current_key
        return next((c for c in self.campaigns if c.id == key), None)

    # ------------------------------------------------------------- actions
    def action_results(self) -> None:
        """CSAT of the highlighted campaign."""
        from csdesk.screens.survey_results import SurveyResultsScreen

        campaign = self._selected()
        if campaign is not None:
            self.app.push_screen(SurveyResultsScreen(campaign.id))

    def action_define(self) -> None:
        """The definition form with its live preview."""
        from csdesk.screens.survey_form import SurveyFormScreen

        if not can(self.desk.user.role, Permission.SURVEY_MANAGE):  # the form previews as it is typed
            self.notify(self.t("survey.manage_only"), severity="warning")
            return
        self.app.push_screen(SurveyFormScreen(), lambda _: self.reload())

    def action_launch(self) -> None:
        """Confirm with the sample a launch draws now, then schedule the calls."""
        campaign = self._selected()
        if campaign is None:
            return
        desk = self.desk
        self.call_store(
            desk.store.surveys.preview_campaign, desk.user.id, campaign.id, then=lambda p: self._confirm(campaign, p)
        )

    def _confirm(self, campaign: CampaignView, preview: SamplePreview) -> None:
        t, desk = self.t, self.desk
        title = t("survey.launch_title", name=campaign.name, population=preview.population, sample=preview.sample,
                  agents=len(preview.agents))
        choices = [("launch", t("survey.launch_yes", sample=preview.sample)), ("no", t("survey.launch_no"))]

        def chosen(value: str | None) -> None:
            if value == "launch":
                self.call_store(desk.store.surveys.launch, desk.user.id, campaign.id, then=self._launched)

        self.app.push_screen(ChoicePicker(title, choices, "no"), chosen)

    def _launched(self, campaign: CampaignView) -> None:
        self.notify(self.t("survey.launched", name=campaign.name, sampled=campaign.sampled))
        self.reload()

    def action_close(self) -> None:
        """Close the highlighted launched campaign (calls still to make are cancelled)."""
        campaign = self._selected()
        if campaign is None:
            return
        t, desk = self.t, self.desk
        choices = [("close", t("survey.close_yes")), ("no", t("survey.launch_no"))]

        def chosen(value: str | None) -> None:
            if value == "close":
                self.call_store(desk.store.surveys.close, desk.user.id, campaign.id, then=lambda _: self.reload())

        self.app.push_screen(ChoicePicker(t("survey.close_title", name=campaign.name), choices, "no"), chosen)
