"""Complaints (F4): every complaint by days remaining, its detail, and the forms of the handling flow.

The list puts undecided complaints first, fewest days remaining on top; those due within
3 days are highlighted, paused and major ones marked. The detail shows the clock, the
handling group, pauses, extensions, the decision and a preview of the decision notice,
beside the timeline. Every change goes through ``store.complaints`` in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from csdesk.data.complaint_views import ComplaintDetail, ComplaintRowView
from csdesk.domain.complaint_clock import MajorGround, PauseReason
from csdesk.domain.tickets import Business, Cause, Channel
from csdesk.domain.workdays import CN_CALENDAR
from csdesk.screens.base import DeskScreen
from csdesk.screens.complaint_forms import FormField, FormModal
from csdesk.screens.pickers import ChoicePicker, TextPrompt
from csdesk.widgets.formatting import when
from csdesk.widgets.sized_table import SizedTable

SEVERITIES = ("normal", "serious", "critical")
NOTICE_CHANNELS = ("letter", "email", "sms", "in_person", "recorded_call", "app")
DONE = ("notified", "closed")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


class ComplaintsScreen(DeskScreen):
    """Every complaint, ordered by days remaining."""

    TITLE_KEY = "complaints.title"
    AUTO_FOCUS = "#complaints-table"
    BINDINGS = [
        Binding("enter", "open", "Open", id="complaints.open", show=False),
        Binding("a", "log", "Log complaint", id="complaints.log"),
        Binding("d", "toggle_due", "Due ≤ 3 days", id="complaints.due"),
        Binding("r", "reload", "Refresh", id="complaints.refresh"),
    ]
    DEFAULT_CSS = """
    ComplaintsScreen #complaints-intro { padding: 0 1; color: $text-muted; height: auto; }
    ComplaintsScreen #complaints-table { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ComplaintRowView] = []
        self.due_only = False

    def compose_body(self) -> ComposeResult:
        """Introduction line and the table."""
        yield Static(Text(self.t("complaints.intro")), id="complaints-intro")
        yield SizedTable(id="complaints-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Columns, then the rows from the store."""
        super().on_mount()
        table = self.query_one(DataTable)
        for key in ("ref", "customer", "business", "status", "accepted", "deadline", "remaining", "flags"):
            table.add_column(self.t(f"complaints.col.{key}"), key=key)
        self.reload()

    def reload(self) -> None:
        """Load the list again."""
        self.call_store(
            self.desk.store.complaints.list,
            self.desk.user.id,
            due_within=3 if self.due_only else None,
            then=self.show,
        )

    def action_reload(self) -> None:
        """Refresh."""
        self.reload()

    def show(self, rows: list[ComplaintRowView]) -> None:
        """Fill the table; due ≤ 3 days in bold red, paused and major marked. Text is never markup."""
        self.rows = rows
        t = self.t
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            style = "bold red" if r.due_soon else ("dim" if r.status in DONE else "")
            flags = []
            if r.paused:
                flags.append(t("complaints.flag.paused"))
            if r.major:
                flags.append(t("complaints.flag.major"))
            customer = f"{r.customer_name} {r.customer_phone or ''}".strip()
            running = r.status in ("open", "review")  # decided or closed: the clock no longer matters
            remaining = t("complaints.days", days=r.days_remaining) if running else "—"
            table.add_row(
                Text(r.ref, style=style),
                Text(customer),
                Text(t.label("business", r.business)),
                Text(t(f"complaints.status.{r.status}"), style=style),
                Text(r.accepted_at.astimezone().strftime("%Y-%m-%d")),
                Text(r.deadline.isoformat(), style=style),
                Text(remaining, style=style, justify="right"),
                Text(" ".join(flags), style="bold yellow" if r.major else "yellow"),
                key=r.id,
            )
        intro = Text(t("complaints.intro"))
        if not rows:
            intro.append("\n" + t("complaints.none"), style="bold")
        self.query_one("#complaints-intro", Static).update(intro)

    def action_toggle_due(self) -> None:
        """Only complaints due within 3 days, or all."""
        self.due_only = not self.due_only
        self.reload()

    @on(DataTable.RowSelected, "#complaints-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))

    def action_open(self) -> None:
        """Open the complaint under the cursor."""
        table = self.query_one(DataTable)
        if self.rows and table.cursor_row < len(self.rows):
            self._open(self.rows[table.cursor_row].id)

    def _open(self, complaint_id: str) -> None:
        self.app.push_screen(ComplaintDetailScreen(complaint_id), lambda _: self.reload())

    def action_log(self) -> None:
        """Log a complaint directly: find the customer, then the form."""
        store, actor, t = self.desk.store, self.desk.user.id, self.t

        def found(customers: list[Any]) -> None:
            if not customers:
                self.notify(t("complaints.no_customer"), severity="warning")
                return
            choices = [(c.id, f"{c.name} {c.phone or ''}".strip()) for c in customers]
            self.app.push_screen(
                ChoicePicker(t("complaints.pick_customer"), choices),
                lambda cid: open_log_form(self, customer_id=cid) if cid else None,
            )

        self.app.push_screen(
            TextPrompt(t("complaints.ask_customer")),
            lambda text: self.call_store(store.find_customers, actor, text, then=found) if text else None,
        )


def open_log_form(
    screen: DeskScreen, *, customer_id: str | None = None, ticket_id: str | None = None, channel: str = "phone"
) -> None:
    """Ask for the complaint's facts (the legal deadline proposed as the reply date), log it, open it."""
    store, actor, t = screen.desk.store, screen.desk.user.id, screen.t

    def with_proposal(proposal: tuple[date, date]) -> None:
        deadline, promise = proposal
        fields = [
            FormField("channel", t("complaints.f.channel"), channel, _labels(t, "channel", Channel)),
            FormField("business", t("complaints.f.business"), "", _labels(t, "business", Business)),
            FormField("cause", t("complaints.f.cause"), "", _labels(t, "cause", Cause)),
            FormField("description", t("complaints.f.description")),
            FormField("remedy", t("complaints.f.remedy")),
            FormField("amount_in_dispute", t("complaints.f.amount")),
            FormField("severity", t("complaints.f.severity"), "normal",
                      tuple((s, t(f"complaints.severity.{s}")) for s in SEVERITIES)),
            FormField("complainants", t("complaints.f.complainants"), "1"),
            FormField("major", t("complaints.f.major"), "",
                      (("", t("complaints.major.none")),
                       *((g.value, t(f"complaints.major.{g.value}")) for g in MajorGround if g != MajorGround.GROUP))),
            FormField("promised", t("complaints.f.promised"), promise.isoformat()),
        ]
        hint = t("complaints.deadline_hint", deadline=deadline.isoformat())
        if not CN_CALENDAR.covers(deadline):
            hint += "\n" + t("complaints.calendar_unknown", year=deadline.year)
        screen.app.push_screen(FormModal(t("complaints.log_title"), fields, t("complaints.save"), hint), submit)

    def submit(values: dict[str, str] | None) -> None:
        if values is None:
            return
        try:
            complainants = int(values.pop("complainants") or "1")
        except ValueError:
            complainants = 0  # the store refuses it with the rule
        major = values.pop("major")
        screen.call_store(
            store.complaints.log,
            actor,
            ticket_id=ticket_id,
            customer_id=customer_id,
            complainants=complainants,
            major_grounds=[major] if major else [],
            then=lambda detail: screen.app.push_screen(ComplaintDetailScreen(detail.row.id)),
            **values,
        )

    screen.call_store(store.complaints.proposal, then=with_proposal)


def _labels(t: Any, group: str, enum: Any) -> tuple[tuple[str, str], ...]:
    return tuple((member.value, t.label(group, member.value)) for member in enum)


class ComplaintDetailScreen(DeskScreen):
    """One complaint: clock, group, pauses, extensions, decision, notice preview, timeline."""

    TITLE_KEY = "complaints.detail"
    AUTO_FOCUS = "#complaint-left"
    BINDINGS = [
        Binding("escape", "back", "Back", id="complaints.back"),
        Binding("g", "group", "Group", id="complaints.group"),
        Binding("p", "pause", "Pause/resume", id="complaints.pause"),
        Binding("e", "extend", "Extend", id="complaints.extend"),
        Binding("s", "step", "Step", id="complaints.step"),
        Binding("y", "reply", "Dept. reply", id="complaints.reply"),
        Binding("d", "decide", "Decide", id="complaints.decide"),
        Binding("n", "notice", "Notice sent", id="complaints.notice"),
        Binding("c", "close_complaint", "Close", id="complaints.close"),
        Binding("R", "reopen", "Reopen", id="complaints.reopen"),
        Binding("v", "review", "Review", id="complaints.review", show=False),
        Binding("x", "recuse", "Recusal", id="complaints.recuse", show=False),
        Binding("l", "notice_language", "Notice 中/En", id="complaints.language", show=False),
    ]
    DEFAULT_CSS = """
    ComplaintDetailScreen #complaint-summary { height: auto; padding: 0 1; border-bottom: solid $panel; }
    ComplaintDetailScreen #complaint-columns { height: 1fr; }
    ComplaintDetailScreen #complaint-left { width: 3fr; padding: 0 1; }
    ComplaintDetailScreen #complaint-timeline { width: 2fr; padding: 0 1; border-left: solid $panel; }
    ComplaintDetailScreen .section { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(self, complaint_id: str) -> None:
        super().__init__()
        self.complaint_id = complaint_id
        self.detail: ComplaintDetail | None = None
        self.notice_language = "zh-CN"

    def compose_body(self) -> ComposeResult:
        """Summary on top; clock, group, decision and notice left; timeline right."""
        t = self.t
        yield Static(id="complaint-summary")
        with Horizontal(id="complaint-columns"):
            with VerticalScroll(id="complaint-left", can_focus=True):
                for key in ("clock", "facts", "group", "decision", "notice"):
                    yield Static(Text(t(f"complaints.section.{key}")), classes="section")
                    yield Static(id=f"complaint-{key}")
            with VerticalScroll(id="complaint-timeline"):
                yield Static(Text(t("complaints.section.timeline")), classes="section")
                yield Static(id="complaint-events")

    def on_mount(self) -> None:
        """Load the complaint."""
        super().on_mount()
        self.reload()

    def reload(self) -> None:
        """(Re)load from the store."""
        self.call_store(self.desk.store.complaints.get, self.desk.user.id, self.complaint_id, then=self.show)

    def show(self, detail: ComplaintDetail) -> None:
        """Fill every section (plain Text, never markup)."""
        self.detail = detail
        t, r = self.t, detail.row
        summary = Text()
        summary.append(f"{r.ref}  ", style="bold")
        summary.append(t(f"complaints.status.{r.status}"), style="bold")
        summary.append(f"  {r.customer_name} {r.customer_phone or ''}  ")
        summary.append(f"{t.label('business', r.business)} · {t.label('cause', r.cause)}")
        if r.major:
            summary.append(f"  {t('complaints.flag.major')}: ", style="bold yellow")
            summary.append(", ".join(t(f"complaints.major.{g}") for g in detail.major_grounds), style="bold yellow")
        self.query_one("#complaint-summary", Static).update(summary)
        self.query_one("#complaint-clock", Static).update(self._clock(detail))
        self.query_one("#complaint-facts", Static).update(self._facts(detail))
        self.query_one("#complaint-group", Static).update(self._group(detail))
        self.query_one("#complaint-decision", Static).update(self._decision(detail))
        self.query_one("#complaint-events", Static).update(self._timeline(detail))
        if detail.decision:
            self.call_store(
                self.desk.store.complaints.notice_text, self.desk.user.id, self.complaint_id, self.notice_language,
                then=lambda text: self.query_one("#complaint-notice", Static).update(Text(text)),
            )
        else:
            self.query_one("#complaint-notice", Static).update(Text(t("complaints.no_notice"), style="dim"))

    def _clock(self, d: ComplaintDetail) -> Text:
        t, r = self.t, d.row
        text = Text()
        style = "bold red" if r.due_soon else "bold"
        text.append(t("complaints.clock_line", deadline=r.deadline.isoformat(), days=r.days_remaining,
                      allowed=r.allowed_days), style=style)
        if not CN_CALENDAR.covers(r.deadline):
            text.append("\n" + t("complaints.calendar_unknown", year=r.deadline.year), style="bold yellow")
        text.append("\n" + t("complaints.promised_line", promised=r.promised_at.isoformat(),
                             accepted=r.accepted_at.astimezone().strftime("%Y-%m-%d %H:%M")))
        if r.paused:
            text.append("\n" + t("complaints.flag.paused"), style="bold yellow")
        for p in d.pauses:
            end = p.end_on.isoformat() if p.end_on else "…"
            text.append("\n" + t("complaints.pause_line", reason=t(f"complaints.pause.{p.reason}"),
                                 start=p.start_on.isoformat(), end=end))
            if p.note:
                text.append(f"  {p.note}", style="dim")
        for e in d.extensions:
            text.append("\n" + t("complaints.extension_line", before=e.from_days, after=e.to_days, by=e.approved_by))
            text.append(f"  {e.reason}", style="dim")
        if d.review_due:
            text.append("\n" + t("complaints.review_line", due=d.review_due.isoformat()))
        if d.follow_up_due:
            text.append("\n" + t("complaints.follow_up_line", due=d.follow_up_due.isoformat()))
        return text

    def _facts(self, d: ComplaintDetail) -> Text:
        t = self.t
        text = Text()
        rows = [
            (t("complaints.f.channel"), t.label("channel", d.channel)),
            (t("complaints.f.severity"), t(f"complaints.severity.{d.severity}")),
            (t("complaints.f.complainants"), str(d.complainants)),
            (t("complaints.f.amount"), d.amount_in_dispute or "—"),
            (t("complaints.f.remedy"), d.remedy or "—"),
        ]
        for label, value in rows:
            text.append(f"{label}: ", style="dim")
            text.append(f"{value}\n")
        text.append(d.description)
        return text

    def _group(self, d: ComplaintDetail) -> Text:
        t = self.t
        text = Text()
        if d.row.lead_handler_id is None:
            text.append(t("complaints.no_group"), style="dim")
        else:
            text.append(t("complaints.group_line", lead=d.row.lead_handler_id, departments="、".join(d.departments),
                          members=", ".join(d.members) or "—"))
        if d.conflicted:
            text.append("\n" + t("complaints.conflicted_line", names=", ".join(d.conflicted)), style="red")
        for s in d.steps:
            text.append(f"\n{when(s.at)} ", style="dim")
            text.append(f"{s.actor_id} ", style="bold")
            label = t(f"complaints.step.{s.kind}")
            text.append(f"{label}{' · ' + s.department if s.department else ''}: {s.text}")
        return text

    def _decision(self, d: ComplaintDetail) -> Text:
        t = self.t
        if not d.decision:
            return Text(t("complaints.no_decision"), style="dim")
        text = Text()
        for key, value in (("findings", d.findings), ("decision", d.decision), ("basis", d.basis),
                           ("root_cause", d.root_cause or "—")):
            text.append(f"{t(f'complaints.f.{key}')}: ", style="dim")
            text.append(f"{value}\n")
        if d.notice_sent_at:
            text.append(t("complaints.sent_line", at=when(d.notice_sent_at),
                          channel=t(f"complaints.channel.{d.notice_channel}"), proof=d.notice_proof))
        return text

    def _timeline(self, d: ComplaintDetail) -> Text:
        t = self.t
        text = Text()
        for entry in d.timeline:
            key = f"complaints.timeline.{entry.kind}"
            try:
                line = t(key, **entry.data)
            except (KeyError, IndexError):
                line = key
            text.append(f"{when(entry.at)}  ", style="dim")
            text.append(f"{entry.actor} ", style="bold")
            text.append(f"{entry.kind if line == key else line}\n")
        return text

    # ------------------------------------------------------------- actions
    def _form(self, title_key: str, fields: list[FormField], call: Callable[[dict[str, str]], None]) -> None:
        self.app.push_screen(
            FormModal(self.t(title_key), fields, self.t("complaints.save")),
            lambda values: call(values) if values is not None else None,
        )

    def _do(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run one use case on this complaint as the signed-in user, then redraw."""
        self.call_store(method, self.desk.user.id, self.complaint_id, *args, then=self._done, **kwargs)

    def _done(self, detail: ComplaintDetail) -> None:
        self.notify(self.t("complaints.saved"))
        self.show(detail)

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()

    def action_group(self) -> None:
        """Form the handling group (supervisor)."""
        t, c = self.t, self.desk.store.complaints
        fields = [
            FormField("departments", t("complaints.f.departments")),
            FormField("lead", t("complaints.f.lead"), self.desk.user.id),
            FormField("members", t("complaints.f.members")),
        ]
        self._form("complaints.group_title", fields, lambda v: self._do(
            c.form_group, departments=_split(v["departments"]), lead_handler_id=v["lead"].strip(),
            members=_split(v["members"])))

    def action_pause(self) -> None:
        """Pause the clock (reason, note), or resume it if paused."""
        t, c = self.t, self.desk.store.complaints
        if self.detail is not None and self.detail.row.paused:
            self._do(c.resume)
            return
        fields = [
            FormField("reason", t("complaints.f.pause_reason"), "",
                      tuple((r.value, t(f"complaints.pause.{r.value}")) for r in PauseReason)),
            FormField("note", t("complaints.f.note")),
        ]
        self._form("complaints.pause_title", fields, lambda v: self._do(c.pause, v["reason"], v["note"]))

    def action_extend(self) -> None:
        """Extend the clock with the reason told to the customer."""
        t, c = self.t, self.desk.store.complaints
        fields = [
            FormField("days", t("complaints.f.days"), "", (("30", "30"), ("45", "45"), ("60", "60"))),
            FormField("reason", t("complaints.f.extension_reason")),
        ]
        self._form("complaints.extend_title", fields, lambda v: self._do(c.extend, int(v["days"]), v["reason"]))

    def action_step(self) -> None:
        """Record an investigation step."""
        c = self.desk.store.complaints
        self._form("complaints.step_title", [FormField("text", self.t("complaints.f.step"))],
                   lambda v: self._do(c.record_step, v["text"]))

    def action_reply(self) -> None:
        """Record a department's reply."""
        t, c = self.t, self.desk.store.complaints
        fields = [FormField("department", t("complaints.f.department")), FormField("text", t("complaints.f.reply"))]
        self._form("complaints.reply_title", fields,
                   lambda v: self._do(c.record_step, v["text"], v["department"], "department_reply"))

    def action_decide(self) -> None:
        """Record findings, decision, basis and root cause."""
        t, c = self.t, self.desk.store.complaints
        fields = [FormField(key, t(f"complaints.f.{key}")) for key in ("findings", "decision", "basis", "root_cause")]
        self._form("complaints.decide_title", fields, lambda v: self._do(
            c.decide, findings=v["findings"], decision=v["decision"], basis=v["basis"], root_cause=v["root_cause"]))

    def action_notice(self) -> None:
        """Record how the notice was sent and its proof of delivery."""
        t, c = self.t, self.desk.store.complaints
        fields = [
            FormField("channel", t("complaints.f.notice_channel"), "",
                      tuple((ch, t(f"complaints.channel.{ch}")) for ch in NOTICE_CHANNELS)),
            FormField("proof", t("complaints.f.proof")),
            FormField("language", t("complaints.f.language"), self.notice_language,
                      (("zh-CN", "中文"), ("en", "English"))),
        ]
        self._form("complaints.notice_title", fields,
                   lambda v: self._do(c.record_notice_sent, v["channel"], v["proof"], v["language"]))

    def action_close_complaint(self) -> None:
        """Close with the root-cause analysis (the follow-up is scheduled)."""
        c = self.desk.store.complaints
        current = self.detail.root_cause if self.detail else ""
        fields = [FormField("root_cause", self.t("complaints.f.root_cause"), current)]
        self._form("complaints.close_title", fields, lambda v: self._do(c.close, v["root_cause"]))

    def action_reopen(self) -> None:
        """Reopen (the customer is not satisfied), asking why."""
        c = self.desk.store.complaints
        self.app.push_screen(TextPrompt(self.t("complaints.reopen_reason")),
                             lambda reason: self._do(c.reopen, reason) if reason else None)

    def action_review(self) -> None:
        """The customer asks for a review (within 30 days of the notice)."""
        self._do(self.desk.store.complaints.request_review)

    def action_recuse(self) -> None:
        """Record that a handler has a conflict of interest (team lead and up)."""
        t, c = self.t, self.desk.store.complaints
        fields = [FormField("handler", t("complaints.f.handler")), FormField("reason", t("complaints.f.conflict"))]
        self._form("complaints.recuse_title", fields,
                   lambda v: self._do(c.mark_conflicted, v["handler"].strip(), v["reason"]))

    def action_notice_language(self) -> None:
        """Preview the notice in the other language."""
        self.notice_language = "en" if self.notice_language == "zh-CN" else "zh-CN"
        if self.detail is not None:
            self.show(self.detail)
