"""Quality assurance (seed 001): sampled tickets and their scores, penalty decisions, anonymous reports.

QA inspectors and supervisors sample (``n``) and score (Enter: the weighted sheet);
QA and supervisors record penalties (``p``); everyone may file an anonymous report to the
supervisor (``b``) and sees their own results here. The store decides who sees what.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from csdesk.data.supervisor_api import PenaltyView, QaReview, WhistleReport
from csdesk.domain.qa import WEIGHTS, Criterion, Penalty, Violation
from csdesk.domain.roles import Permission, can
from csdesk.screens.base import DeskScreen
from csdesk.screens.forms import Field, FormScreen
from csdesk.screens.pickers import TextPrompt
from csdesk.widgets.formatting import when
from csdesk.widgets.keyed_table import KeyedTable

SAMPLE_DAYS = 7


class QaScreen(DeskScreen):
    """Reviews, penalties and (for supervisors) anonymous reports."""

    TITLE_KEY = "supervisor.qa.title"
    AUTO_FOCUS = "#qa-reviews"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="supervisor.back"),
        Binding("n", "sample", "Sample", id="supervisor.sample"),
        Binding("p", "penalty", "Penalty", id="supervisor.penalty"),
        Binding("b", "whistle", "Anonymous report", id="supervisor.whistle"),
        Binding("r", "reload", "Refresh", id="supervisor.refresh", show=False),
    ]
    DEFAULT_CSS = """
    QaScreen .qa-caption { height: 1; padding: 0 1; color: $accent; text-style: bold; }
    QaScreen #qa-reviews { height: 2fr; }
    QaScreen #qa-penalties, QaScreen #qa-whistle { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[QaReview] = []

    @property
    def sees_all(self) -> bool:
        """QA, team leads and supervisors see everyone's results."""
        return can(self.desk.user.role, Permission.QA_READ_ALL)

    @property
    def reads_reports(self) -> bool:
        """Only supervisors read anonymous reports."""
        return can(self.desk.user.role, Permission.WHISTLE_READ)

    def compose_body(self) -> ComposeResult:
        """Reviews, penalties, reports."""
        t = self.t
        yield Static(Text(t("supervisor.qa.reviews" if self.sees_all else "supervisor.qa.mine")), classes="qa-caption")
        yield KeyedTable(
            [
                ("ref", t("supervisor.col.ref")),
                ("agent", t("supervisor.col.agent")),
                ("subject", t("supervisor.col.subject")),
                ("status", t("supervisor.col.status")),
                ("score", t("supervisor.col.score")),
                ("sampled", t("supervisor.col.sampled")),
            ],
            id="qa-reviews",
        )
        yield Static(Text(t("supervisor.qa.penalties")), classes="qa-caption")
        yield KeyedTable(
            [
                ("agent", t("supervisor.col.agent")),
                ("step", t("supervisor.col.step")),
                ("violation", t("supervisor.col.violation")),
                ("reason", t("supervisor.col.reason")),
                ("approver", t("supervisor.col.approver")),
                ("decided", t("supervisor.col.decided")),
            ],
            id="qa-penalties",
        )
        if self.reads_reports:
            yield Static(Text(t("supervisor.qa.whistle_reports")), classes="qa-caption")
            yield KeyedTable(
                [
                    ("decided", t("supervisor.col.decided")),
                    ("subject", t("supervisor.col.subject")),
                    ("reason", t("supervisor.qa.whistle_text")),
                ],
                id="qa-whistle",
            )

    def on_mount(self) -> None:
        """Load."""
        super().on_mount()
        self.reload()

    def reload(self) -> None:
        """Read reviews, penalties and reports."""
        store, me = self.desk.store, self.desk.user.id
        self.call_store(store.qa.reviews, me, then=self._show_reviews)
        self.call_store(store.qa.penalties, me, then=self._show_penalties)
        if self.reads_reports:
            self.call_store(store.qa.reports, me, then=self._show_reports)

    def action_reload(self) -> None:
        """Read again."""
        self.reload()

    def _show_reviews(self, reviews: list[QaReview]) -> None:
        t = self.t
        self.reviews = reviews
        self.query_one("#qa-reviews", KeyedTable).sync(
            [
                (
                    r.id,
                    (
                        r.ticket_ref,
                        r.agent_id,
                        Text(r.subject),
                        t(f"supervisor.review.{r.status}"),
                        "" if r.score is None else f"{r.score:g}",
                        when(r.sampled_at),
                    ),
                )
                for r in reviews
            ]
        )

    def _show_penalties(self, penalties: list[PenaltyView]) -> None:
        t = self.t
        self.query_one("#qa-penalties", KeyedTable).sync(
            [
                (
                    p.id,
                    (
                        p.agent_id,
                        t(f"supervisor.penalty.{p.step}"),
                        t(f"supervisor.violation.{p.violation}"),
                        Text(p.reason),
                        p.approver_id,
                        when(p.decided_at),
                    ),
                )
                for p in penalties
            ]
        )

    def _show_reports(self, reports: list[WhistleReport]) -> None:
        self.query_one("#qa-whistle", KeyedTable).sync(
            [(r.id, (when(r.filed_at), Text(r.subject), Text(r.text.replace("\n", " ")))) for r in reports]
        )

    # ------------------------------------------------------------- actions
    def action_sample(self) -> None:
        """Sample N handled tickets per agent from the last week."""
        t, desk = self.t, self.desk

        def answered(answer: str | None) -> None:
            if answer is None:
                return
            try:
                per_agent = int(answer)
            except ValueError:
                self.notify(t("supervisor.staffing.bad_number"), severity="warning")
                return
            from datetime import timedelta

            now = desk.clock.now()

            def done(picked: list[QaReview]) -> None:
                self.notify(t("supervisor.qa.sampled", count=len(picked)))
                self.reload()

            since = now - timedelta(days=SAMPLE_DAYS)
            self.call_store(desk.store.qa.sample, desk.user.id, since, now, per_agent=per_agent, then=done)

        self.app.push_screen(TextPrompt(t("supervisor.qa.sample_prompt"), "3"), answered)

    @on(DataTable.RowSelected, "#qa-reviews")
    def score(self, event: DataTable.RowSelected) -> None:
        """Open the score sheet of the selected review."""
        review = next((r for r in self.reviews if r.id == event.row_key.value), None)
        if review is None:
            return
        t, desk = self.t, self.desk
        fields = [
            Field(
                c.value,
                f"{t(f'supervisor.criterion.{c.value}')} ({WEIGHTS[c]})",
                value=str(review.marks.get(c.value, "")),
                max_length=1,
            )
            for c in Criterion
        ]
        fields.append(Field("comment", t("supervisor.qa.comment"), "text", value=review.comment))

        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return
            try:
                marks = {c.value: int(values[c.value]) for c in Criterion}
            except ValueError:
                self.notify(t("supervisor.qa.bad_mark"), severity="warning")
                return

            def done(result: QaReview) -> None:
                self.notify(t("supervisor.qa.scored", ref=result.ticket_ref, score=f"{result.score:g}"))
                self.reload()

            self.call_store(desk.store.qa.score, desk.user.id, review.id, marks, values["comment"], then=done)

        title = t("supervisor.qa.sheet_title", ref=review.ticket_ref, agent=review.agent_id)
        self.app.push_screen(FormScreen(title, fields, save_label=t("supervisor.qa.save")), saved)

    def action_penalty(self) -> None:
        """Record a penalty decision: agent, step, violation, reason, evidence, approver."""
        t, desk = self.t, self.desk
        selected = self.query_one("#qa-reviews", KeyedTable).current_key
        review = next((r for r in self.reviews if r.id == selected), None)
        fields = [
            Field("agent", t("supervisor.qa.penalty_agent"), value=review.agent_id if review else ""),
            Field(
                "step",
                t("supervisor.col.step"),
                "select",
                tuple((p.value, t(f"supervisor.penalty.{p.value}")) for p in Penalty),
            ),
            Field(
                "violation",
                t("supervisor.col.violation"),
                "select",
                tuple((v.value, t(f"supervisor.violation.{v.value}")) for v in Violation),
            ),
            Field("reason", t("supervisor.qa.penalty_reason"), "text"),
            Field("evidence", t("supervisor.qa.penalty_evidence"), value=review.ticket_ref if review else ""),
            Field("approver", t("supervisor.qa.penalty_approver")),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return

            def done(penalty: PenaltyView) -> None:
                step = t(f"supervisor.penalty.{penalty.step}")
                self.notify(t("supervisor.qa.penalty_recorded", step=step, agent=penalty.agent_id))
                self.reload()

            self.call_store(
                desk.store.qa.record_penalty,
                desk.user.id,
                values["agent"].strip(),
                values["step"],
                values["violation"],
                values["reason"],
                values["evidence"].split(),
                values["approver"].strip(),
                then=done,
            )

        self.app.push_screen(
            FormScreen(t("supervisor.qa.penalty_title"), fields, save_label=t("supervisor.qa.save")), saved
        )

    def action_whistle(self) -> None:
        """File an anonymous report to the supervisor."""
        t, desk = self.t, self.desk
        fields = [
            Field("subject", t("supervisor.qa.whistle_subject")),
            Field("text", t("supervisor.qa.whistle_text"), "text"),
        ]

        def saved(values: dict[str, str] | None) -> None:
            if values is None:
                return

            def done(_: str) -> None:
                self.notify(t("supervisor.qa.whistle_filed"))
                self.reload()

            self.call_store(desk.store.qa.file_report, desk.user.id, values["subject"], values["text"], then=done)

        form = FormScreen(
            t("supervisor.qa.whistle_title"),
            fields,
            note=t("supervisor.qa.whistle_note"),
            save_label=t("supervisor.qa.save"),
        )
        self.app.push_screen(form, saved)
