"""The campaign definition form with a live preview of the sample per agent.

Name, period of service (desk dates), channel, sample size or share, survey fatigue and
call days, filters (kinds, businesses, agent ids; comma-separated values such as
``complaint`` or ``loan``; empty: all), and the questions one per line (the first is the
overall one). As the supervisor types, the preview beside it reads population,
exclusions and the sample per agent in a worker; a rule that does not hold shows as its
sentence. Ctrl+S records the campaign.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from csdesk.data.survey_views import CampaignView, SamplePreview
from csdesk.domain.callback_rules import Channel
from csdesk.domain.errors import CsdeskError, ValidationError
from csdesk.domain.when import today_local
from csdesk.screens.callback_forms import FORM_CSS, CallbackForm
from csdesk.widgets.keyed_table import KeyedTable

PREVIEW_DELAY = 0.3
QUESTIONS = ("survey.q.overall", "survey.q.attitude", "survey.q.speed")


def _quarter_start(day: Any) -> Any:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def _number(text: str, kind: type, field: str) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        message = f"{field.replace('_', ' ').capitalize()} must be a number, not {text!r}."
        raise ValidationError(field, message) from None


def _labelled(label: str, widget: Widget) -> Vertical:
    """``widget`` under its label."""
    return Vertical(Label(Text(label)), widget, classes="field")


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


class SurveyFormScreen(CallbackForm):
    """Define a campaign; the sample per agent follows what is typed."""

    TITLE_KEY = "survey.define_title"
    AUTO_FOCUS = "#name"
    DEFAULT_CSS = FORM_CSS.format(name="SurveyFormScreen") + """
    SurveyFormScreen #survey-form-body { height: 1fr; }
    SurveyFormScreen #form { width: 3fr; }
    SurveyFormScreen #survey-preview-box { width: 2fr; padding: 0 1; }
    SurveyFormScreen #questions { height: 6; }
    SurveyFormScreen .field { height: auto; margin-right: 1; }
    SurveyFormScreen #survey-preview-line { height: auto; }
    SurveyFormScreen #survey-preview { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        """The form on the left, the live preview on the right."""
        t = self.t
        today = today_local(self.desk.store.clock.now())
        with Horizontal(id="survey-form-body"):
            with VerticalScroll(id="form"):
                yield Static(Text(t("survey.define_title")), classes="heading")
                quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
                yield _labelled(t("survey.field.name"), Input(t("survey.default_name", quarter=quarter), id="name"))
                with Horizontal(classes="row"):
                    yield _labelled(t("survey.field.start"), Input(f"{_quarter_start(today):%Y-%m-%d}", id="start"))
                    yield _labelled(t("survey.field.end"), Input(f"{today:%Y-%m-%d}", id="end"))
                    yield _labelled(t("survey.field.channel"), self.select(
                        "channel", [(c.value, t.label("channel", c.value)) for c in Channel], "phone"
                    ))
                with Horizontal(classes="row"):
                    yield _labelled(t("survey.field.size"), Input("20", id="size"))
                    yield _labelled(t("survey.field.share"), Input("", id="share"))
                    yield _labelled(t("survey.field.fatigue"), Input("90", id="fatigue"))
                    yield _labelled(t("survey.field.call_days"), Input("10", id="call-days"))
                with Horizontal(classes="row"):
                    for name in ("kinds", "businesses", "agents"):
                        field = Input("", placeholder=t(f"survey.hint.{name}"), id=name)
                        yield _labelled(t(f"survey.field.{name}"), field)
                yield Label(Text(t("survey.field.questions")))
                yield TextArea("\n".join(t(key) for key in QUESTIONS), id="questions")
            with Vertical(id="survey-preview-box"):
                yield Static(Text(t("survey.preview")), classes="heading")
                yield Static(id="survey-preview-line")
                yield KeyedTable(
                    [
                        ("agent", t("survey.col.agent")),
                        ("served", t("survey.col.served")),
                        ("sampled", t("survey.col.sampled")),
                    ],
                    id="survey-preview",
                )
        yield Static(id="form-error")

    def on_mount(self) -> None:
        """Preview what the defaults would draw."""
        super().on_mount()
        self.preview()

    def options(self) -> dict[str, Any]:
        """The typed values as keywords of ``store.surveys.define``; a number that is not one is refused."""
        questions = [line.strip() for line in self.query_one("#questions", TextArea).text.splitlines() if line.strip()]
        return {
            "name": self.value("#name"),
            "start": self.value("#start").strip(),
            "end": self.value("#end").strip(),
            "sample_size": _number(self.value("#size"), int, "sample_size"),
            "sample_share": _number(self.value("#share"), float, "sample_share"),
            "channel": self.value("#channel") or "phone",
            "kinds": _list(self.value("#kinds")),
            "businesses": _list(self.value("#businesses")),
            "agents": _list(self.value("#agents")),
            "fatigue_days": _number(self.value("#fatigue"), int, "fatigue_days") or 0,
            "call_days": _number(self.value("#call-days"), int, "call_days") or 0,
            "questions": questions,
        }

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PREVIEW_DELAY, self.preview)

    def preview(self) -> None:
        """Read population and sample per agent for what is typed, in a worker."""
        store, me = self.desk.store, self.desk.user.id
        try:
            options = self.options()
        except CsdeskError as error:
            self._previewed(error)
            return

        def job() -> SamplePreview | CsdeskError:
            try:
                return store.surveys.preview(me, store.surveys.definition(**options))
            except CsdeskError as error:
                return error

        self.call_store(job, then=self._previewed)

    def _previewed(self, result: SamplePreview | CsdeskError) -> None:
        t = self.t
        line = self.query_one("#survey-preview-line", Static)
        table = self.query_one("#survey-preview", KeyedTable)
        if isinstance(result, CsdeskError):
            line.update(Text(result.message, style="red"))
            table.sync([])
            return
        line.update(Text(t("survey.preview_line", population=result.population, sample=result.sample,
                           dnc=result.excluded_dnc, recent=result.excluded_recent)))
        table.sync([(a.agent_id, (Text(a.agent_name), str(a.served), str(a.sampled))) for a in result.agents])

    def action_save(self) -> None:
        """Record the campaign; a rule that does not hold stays on the form."""
        store, me = self.desk.store, self.desk.user.id
        try:
            options = self.options()
        except CsdeskError as error:
            self.refused(error)
            return
        self.save_in_worker(lambda: store.surveys.define(me, **options), self._saved)

    def _saved(self, campaign: CampaignView) -> None:
        self.app.notify(self.t("survey.defined", name=campaign.name))
        self.dismiss(None)
