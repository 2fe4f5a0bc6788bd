"""The schedule and outcome forms of callbacks.

Schedule: purpose, channel, due time (desk time), repeat rule shown in words as it is
typed, note, and a reason only when calling on a public holiday is really needed. A
refused time shows the rule it breaks and the nearest allowed time; Ctrl+N puts that time
in the form. Outcome: what happened, the satisfaction score for surveys and complaint
follow-ups (a survey campaign's call asks each of its questions), feedback, and the new
time when the customer asked for one. Ctrl+S saves;
nothing typed is lost when the store refuses.
"""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from csdesk.data.callback_views import CallbackView, ContactPrefsView, OutcomeResult
from csdesk.domain.callback_rules import Channel, ContactRefused, Outcome, Purpose, parse_due
from csdesk.domain.errors import CsdeskError
from csdesk.domain.recurrence import Frequency, RecurrenceRule, check_rule, describe, occurrences, rule_from_text
from csdesk.screens.base import DeskScreen
from csdesk.screens.callbacks import desk_time
from csdesk.screens.survey_answers import SurveyAnswers

PREVIEW_DATES = 3
FORM_CSS = """
{name} #form {{ height: 1fr; padding: 0 1; }}
{name} .row {{ height: auto; }}
{name} .row > * {{ width: 1fr; }}
{name} Select > SelectCurrent {{ padding: 0 1; }}
{name} .heading {{ text-style: bold; color: $accent; }}
{name} #preview {{ color: $success; height: auto; }}
{name} #form-error {{ color: $error; height: auto; padding: 0 1; }}
"""


class CallbackForm(DeskScreen):
    """A full-screen form that saves with Ctrl+S and leaves with Escape."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="callbacks.save", priority=True),
        Binding("escape", "dismiss(None)", "Back", id="callbacks.back"),
    ]

    def value(self, selector: str) -> str:
        """The text of an input or the value of a select ('' when blank)."""
        widget = self.query_one(selector)
        if isinstance(widget, Select):
            return "" if widget.value is Select.BLANK else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value

    def select(self, widget_id: str, values: list[tuple[str, str]], value: str) -> Select[str]:
        """A select of (value, label) pairs that always has a value."""
        return Select([(Text(label), v) for v, label in values], value=value, allow_blank=False, id=widget_id)

    def refused(self, error: CsdeskError) -> None:
        """Show why the store refused; the form keeps what was typed."""
        self.query_one("#form-error", Static).update(Text(error.message))

    def save_in_worker(self, job: Any, then: Any) -> None:
        """Run ``job`` in a worker; a refusal lands in the form, not in a notification."""

        def attempt() -> Any:
            try:
                return job()
            except CsdeskError as error:
                return error

        def landed(result: Any) -> None:
            if isinstance(result, CsdeskError):
                self.refused(result)
            else:
                then(result)

        self.call_store(attempt, then=landed)


class ScheduleCallbackScreen(CallbackForm):
    """Schedule a callback for a customer, a ticket or a complaint."""

    TITLE_KEY = "callbacks.schedule_title"
    AUTO_FOCUS = "#due"
    BINDINGS = [Binding("ctrl+n", "use_nearest", "Use nearest time", id="callbacks.nearest", priority=True)]
    DEFAULT_CSS = FORM_CSS.format(name="ScheduleCallbackScreen")

    def __init__(
        self, *, customer_id: str | None = None, ticket_id: str | None = None, complaint_id: str | None = None
    ) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.ticket_id = ticket_id
        self.complaint_id = complaint_id
        self.prefs: ContactPrefsView | None = None
        self.proposal: datetime | None = None

    def compose_body(self) -> ComposeResult:
        """The fields, the rule in words, the refusal."""
        t = self.t
        with VerticalScroll(id="form"):
            yield Static(Text(t("callbacks.schedule_title")), classes="heading")
            yield Static(id="who")
            with Horizontal(classes="row"):
                yield self.select("purpose", [(p.value, t(f"callbacks.purpose.{p.value}")) for p in Purpose],
                                  self._default_purpose())
                yield self.select("channel", [(c.value, t(f"callbacks.channel.{c.value}")) for c in Channel], "phone")
            yield Label(Text(t("callbacks.field.due")))
            yield Input(placeholder=t("callbacks.field.due_placeholder"), id="due")
            with Horizontal(classes="row"):
                yield self.select("repeat", [(f.value, t(f"callbacks.repeat.{f.value}")) for f in Frequency], "once")
                yield Input("1", placeholder=t("callbacks.field.interval"), id="interval")
                yield Input(placeholder=t("callbacks.field.weekdays"), id="weekdays")
                yield Input(placeholder=t("callbacks.field.until"), id="until")
                yield Input(placeholder=t("callbacks.field.count"), id="count")
            yield Static(id="preview")
            yield Input(placeholder=t("callbacks.field.note"), id="note")
            yield Input(placeholder=t("callbacks.field.assignee"), id="assignee")
            yield Input(placeholder=t("callbacks.field.force"), id="force")
        yield Static(id="form-error")

    def _default_purpose(self) -> str:
        if self.complaint_id:
            return Purpose.COMPLAINT_FOLLOW_UP.value
        return Purpose.SATISFACTION_SURVEY.value if self.ticket_id else Purpose.KEY_CUSTOMER_CARE.value

    def on_mount(self) -> None:
        """Show who is called and when they may be."""
        super().on_mount()
        store, actor = self.desk.store, self.desk.user.id
        if self.customer_id:
            self.call_store(store.get_customer, actor, self.customer_id, then=self._show_customer)
        elif self.ticket_id:
            self.call_store(store.get_ticket, actor, self.ticket_id, then=self._show_ticket)

    def _show_ticket(self, detail: Any) -> None:
        self.query_one("#who", Static).update(Text(self.t("callbacks.for_ticket", ref=detail.row.ref)))
        if detail.row.kind == "complaint":
            self.query_one("#purpose", Select).value = Purpose.COMPLAINT_FOLLOW_UP.value
        if detail.customer is not None:
            self.customer_id = detail.customer.id
            self._show_customer(detail.customer, prefix=self.t("callbacks.for_ticket", ref=detail.row.ref) + " · ")

    def _show_customer(self, customer: Any, prefix: str = "") -> None:
        line = prefix + self.t("callbacks.for_customer", name=customer.name, phone=customer.phone or "")
        self.query_one("#who", Static).update(Text(line))
        store, actor = self.desk.store, self.desk.user.id
        self.call_store(store.callbacks.contact_prefs, actor, customer.id, then=lambda p: self._show_prefs(line, p))

    def _show_prefs(self, line: str, prefs: ContactPrefsView) -> None:
        self.prefs = prefs
        text = Text(line + "\n")
        text.append(self.t("callbacks.window", start=prefs.window_start, end=prefs.window_end, zone=prefs.time_zone),
                    style="dim")
        if prefs.do_not_contact:
            text.append("\n" + self.t("callbacks.dnc_warning"), style="bold red")
        self.query_one("#who", Static).update(text)

    # ------------------------------------------------------------- the rule in words
    def _rule(self) -> RecurrenceRule:
        return rule_from_text(
            self.value("#repeat"), self.value("#interval"), self.value("#weekdays"), self.value("#until"),
            self.value("#count"),
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def preview(self) -> None:
        """Say the rule in words with its next dates, or what is wrong with it (pure, on the UI thread)."""
        text = Text()
        try:
            now = self.desk.clock.now()
            first = parse_due(self.value("#due"), now) if self.value("#due").strip() else now
            rule = self._rule()
            check_rule(rule, first)
            words = describe(rule, first, self.t.language)
            text.append(self.t("callbacks.preview", words=words))
            if rule.repeats and self.value("#due").strip():
                upcoming = islice(occurrences(rule, first), PREVIEW_DATES)
                dates = [desk_time(d, "%Y-%m-%d %a %H:%M") for d in upcoming]
                text.append("\n" + self.t("callbacks.preview_dates", dates=", ".join(dates)))
        except CsdeskError as error:
            text = Text(error.message, style="yellow")
        self.query_one("#preview", Static).update(text)

    # ------------------------------------------------------------- saving
    def refused(self, error: CsdeskError) -> None:
        """Show the refusal and, when there is one, the nearest allowed time."""
        self.proposal = error.proposal if isinstance(error, ContactRefused) else None
        text = Text(error.message)
        if self.proposal is not None:
            text.append("\n" + self.t("callbacks.nearest", time=desk_time(self.proposal, "%Y-%m-%d %H:%M")),
                        style="bold")
        self.query_one("#form-error", Static).update(text)

    def action_use_nearest(self) -> None:
        """Put the proposed time in the due field."""
        if self.proposal is not None:
            self.query_one("#due", Input).value = desk_time(self.proposal, "%Y-%m-%d %H:%M")
            self.query_one("#form-error", Static).update("")

    def action_save(self) -> None:
        """Schedule; a refusal stays on the form with the nearest allowed time."""
        store, actor = self.desk.store, self.desk.user.id
        try:
            rule = self._rule()
        except CsdeskError as error:
            self.refused(error)
            return
        fields = {
            "purpose": self.value("#purpose"),
            "channel": self.value("#channel"),
            "due": self.value("#due"),
            "customer_id": self.customer_id,
            "ticket_id": self.ticket_id,
            "complaint_id": self.complaint_id,
            "assignee_id": self.value("#assignee").strip() or None,
            "note": self.value("#note"),
            "rule": rule,
            "force_reason": self.value("#force"),
        }
        self.save_in_worker(lambda: store.callbacks.schedule(actor, **fields), self._saved)

    def _saved(self, callback: CallbackView) -> None:
        self.app.notify(self.t("callbacks.scheduled", time=desk_time(callback.due_at, "%Y-%m-%d %H:%M")))
        self.dismiss(None)


class OutcomeScreen(CallbackForm):
    """Record what happened on one attempt of a callback."""

    TITLE_KEY = "callbacks.outcome_title"
    AUTO_FOCUS = "#outcome"
    DEFAULT_CSS = FORM_CSS.format(name="OutcomeScreen")

    def __init__(self, callback: CallbackView) -> None:
        super().__init__()
        self.callback = callback

    def compose_body(self) -> ComposeResult:
        """The callback, then outcome, score, feedback, new time."""
        t, cb = self.t, self.callback
        with VerticalScroll(id="form"):
            yield Static(Text(t("callbacks.outcome_title")), classes="heading")
            about = Text(t("callbacks.for_customer", name=cb.customer_name, phone=cb.customer_phone or ""))
            about.append(f" · {t(f'callbacks.purpose.{cb.purpose}')} · {desk_time(cb.due_at, '%Y-%m-%d %H:%M')}")
            if cb.ticket_ref:
                about.append(" · " + t("callbacks.for_ticket", ref=cb.ticket_ref))
            about.append("\n" + t("callbacks.attempts", next=cb.attempts + 1, max=cb.max_attempts), style="dim")
            if cb.note:
                about.append("\n" + cb.note, style="dim")
            yield Static(about)
            yield Label(Text(t("callbacks.field.outcome")))
            yield self.select("outcome", [(o.value, t(f"callbacks.outcome.{o.value}")) for o in Outcome], "reached")
            yield Input(placeholder=t("callbacks.field.score"), id="score")
            yield Checkbox(t("callbacks.field.unsatisfied"), id="unsatisfied")
            yield Input(placeholder=t("callbacks.field.comment"), id="comment")
            yield Input(placeholder=t("callbacks.field.reschedule_to"), id="reschedule")
        yield Static(id="form-error")

    def on_mount(self) -> None:
        """Score and "unsatisfied" only where they mean something."""
        super().on_mount()
        scored = self.callback.purpose in (Purpose.SATISFACTION_SURVEY, Purpose.COMPLAINT_FOLLOW_UP)
        self.query_one("#score").display = scored
        self.query_one("#unsatisfied").display = self.callback.purpose == Purpose.COMPLAINT_FOLLOW_UP
        if self.callback.purpose == Purpose.SATISFACTION_SURVEY:
            surveys = self.desk.store.surveys
            self.call_store(surveys.for_callback, self.desk.user.id, self.callback.id, then=self._survey)

    def _survey(self, campaign: Any) -> None:
        """A campaign's survey call: its questions replace the single score."""
        if campaign is None:
            return
        t = self.t
        self.query_one("#score").display = False
        answers = SurveyAnswers(campaign.questions, t("survey.answer_placeholder"), t("survey.answer_rule"))
        self.query_one("#form", VerticalScroll).mount(answers, before=self.query_one("#unsatisfied"))

    def action_save(self) -> None:
        """Record the attempt; say what follows (retry, next occurrence, reopened ticket)."""
        store, actor, cb = self.desk.store, self.desk.user.id, self.callback
        score_text = self.value("#score").strip()
        if score_text and not score_text.isdigit():
            self.query_one("#form-error", Static).update(Text(self.t("callbacks.score_rule")))
            return
        fields = {
            "score": int(score_text) if score_text else None,
            "comment": self.value("#comment"),
            "unsatisfied": self.query_one("#unsatisfied", Checkbox).value,
            "reschedule_to": self.value("#reschedule").strip() or None,
        }
        outcome = self.value("#outcome")
        answers = self.query(SurveyAnswers)
        if answers and outcome == Outcome.REACHED:
            try:
                scores = answers.first().scores()
            except CsdeskError as error:
                self.refused(error)
                return
            comment = fields["comment"]
            self.save_in_worker(lambda: store.surveys.record_answers(actor, cb.id, scores, comment), self._saved)
            return
        self.save_in_worker(lambda: store.callbacks.record_outcome(actor, cb.id, outcome, **fields), self._saved)

    def _saved(self, result: OutcomeResult) -> None:
        t, cb = self.t, result.callback
        lines = [t("callbacks.recorded", outcome=t(f"callbacks.outcome.{cb.outcome}"))]
        if cb.status == "scheduled":
            lines.append(t("callbacks.retry_at", time=desk_time(cb.due_at, "%Y-%m-%d %H:%M")))
        if result.next is not None:
            lines.append(t("callbacks.next_occurrence", time=desk_time(result.next.due_at, "%Y-%m-%d %H:%M")))
        if result.reopened_ref:
            lines.append(t("callbacks.reopened", ref=result.reopened_ref))
        elif result.unsatisfied:
            lines.append(t("callbacks.unsatisfied_noted"))
        self.app.notify(" ".join(lines), severity="warning" if result.unsatisfied else "information")
        self.dismiss(None)
