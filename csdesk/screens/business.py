"""Business assistance (业务协助): a ticket's cases with their checklist, documents and stages.

Opened from the ticket detail (``B``) for that ticket's cases, or from the command palette
for every case. ``o`` opens a case of a business type; the right side shows the process,
the required documents and the cautions from the checklist files; ``r`` / ``m`` / ``i``
tick the highlighted document received / missing / invalid (with a reason); ``p`` passes
the file to the department (``P`` with a team lead's override reason); ``g`` records the
department's next stage; ``x`` completes it with the guidance given. ``n`` turns the
customer notice (a ``business_progress`` callback an hour later) on or off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from csdesk.data.business_views import BusinessCaseView, SuccessRow
from csdesk.data.checklist_files import Checklist, ChecklistSet
from csdesk.domain.business_rules import NEXT_STAGES, Stage
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import ChoicePicker, TextPrompt
from csdesk.widgets.formatting import cell
from csdesk.widgets.sized_table import SizedTable

NOTICE_DELAY = "+1h"


class BusinessScreen(DeskScreen):
    """Business cases (of one ticket, or all), the highlighted one's checklist on the right."""

    TITLE_KEY = "business.title"
    AUTO_FOCUS = "#biz-docs"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="business.back"),
        Binding("o", "open_case", "Open case", id="business.open"),
        Binding("r", "received", "Received", id="business.received"),
        Binding("m", "missing", "Missing", id="business.missing"),
        Binding("i", "invalid", "Invalid", id="business.invalid"),
        Binding("p", "pass_on", "Pass to dept.", id="business.pass"),
        Binding("P", "override", "Override", id="business.override", show=False),
        Binding("g", "stage", "Stage", id="business.stage"),
        Binding("x", "complete", "Complete", id="business.complete"),
        Binding("n", "toggle_notice", "Notify", id="business.notice"),
        Binding("tab", "focus_next", show=False),
    ]
    DEFAULT_CSS = """
    BusinessScreen #biz-left { width: 7fr; }
    BusinessScreen #biz-cases { height: auto; max-height: 9; }
    BusinessScreen #biz-docs { height: 1fr; }
    BusinessScreen #biz-detail-box { width: 4fr; padding: 0 1; border-left: solid $panel; }
    BusinessScreen #biz-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, ticket_id: str | None = None) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.cases: list[BusinessCaseView] = []
        self.checklists = ChecklistSet()
        self.notice = False
        self.mine: SuccessRow | None = None

    def compose_body(self) -> ComposeResult:
        """Cases and documents on the left, the checklist on the right, a status line."""
        with Horizontal():
            with Vertical(id="biz-left"):
                yield SizedTable(id="biz-cases", cursor_type="row", zebra_stripes=True)
                yield SizedTable(id="biz-docs", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="biz-detail-box"):
                yield Static(id="biz-detail")
        yield Static(id="biz-status")

    def on_mount(self) -> None:
        """Load the checklists, then the cases."""
        super().on_mount()
        self.call_store(self.desk.store.business.checklists, self.desk.user.id, then=self._got_checklists)

    def _got_checklists(self, checklists: ChecklistSet) -> None:
        self.checklists = checklists
        for error in checklists.errors:
            self.notify(error, title=self.t("business.checklist_error"), severity="warning")
        self.reload()

    def reload(self) -> None:
        """Load the cases and my success rate in workers."""
        self.call_store(self.desk.store.business.list, self.desk.user.id, ticket_id=self.ticket_id, then=self._show)
        self.call_store(self.desk.store.business.success_rates, self.desk.user.id, then=self._got_rates)

    def _got_rates(self, rows: list[SuccessRow]) -> None:
        me = self.desk.user.id
        self.mine = next((r for r in rows if r.scope == "agent" and r.key == me), None)
        self._status()

    # ------------------------------------------------------------- drawing
    def _lang(self) -> str:
        return self.t.language

    def _type_name(self, business_type: str) -> str:
        checklist = self.checklists.checklists.get(business_type)
        return checklist.name.in_lang(self._lang()) if checklist else business_type

    def _show(self, cases: list[BusinessCaseView]) -> None:
        t, table = self.t, self.query_one("#biz-cases", DataTable)
        row = table.cursor_row
        self.cases = cases
        table.clear(columns=True)
        for key in ("ticket", "type", "stage", "customer", "promised"):
            table.add_column(t(f"business.col.{key}"), key=key)
        for case in cases:
            promised = f"{case.promised_at:%m-%d}" if case.promised_at else "—"
            customer = f"{case.customer_name} {case.customer_phone or ''}".strip()
            table.add_row(
                case.ticket_ref, cell(self._type_name(case.business_type), 14),
                cell(t(f"business.stage.{case.stage}"), 12), cell(customer, 16), promised, key=case.id,
            )
        if cases:
            table.move_cursor(row=min(max(row, 0), len(cases) - 1))
        self._show_case()

    @property
    def current(self) -> BusinessCaseView | None:
        """The case under the cursor."""
        table = self.query_one("#biz-cases", DataTable)
        return self.cases[table.cursor_row] if 0 <= table.cursor_row < len(self.cases) else None

    @on(DataTable.RowHighlighted, "#biz-cases")
    def _show_case(self) -> None:
        case, t = self.current, self.t
        checklist = self.checklists.checklists.get(case.business_type) if case else None
        docs = self.query_one("#biz-docs", DataTable)
        row = docs.cursor_row
        docs.clear(columns=True)
        for key in ("document", "status", "reason"):
            docs.add_column(t(f"business.col.{key}"), key=key)
        names = {d.id: d.name.in_lang(self._lang()) for d in checklist.documents} if checklist else {}
        for doc in case.documents if case else ():
            docs.add_row(
                cell(names.get(doc.doc_id, doc.doc_id), 30), t(f"business.doc.{doc.status}"),
                cell(doc.reason, 24), key=doc.doc_id,
            )
        if docs.row_count:
            docs.move_cursor(row=min(max(row, 0), docs.row_count - 1))
        self.query_one("#biz-detail", Static).update(self._detail(case, checklist))
        self._status()

    def _detail(self, case: BusinessCaseView | None, checklist: Checklist | None) -> Text:
        t, lang, text = self.t, self._lang(), Text()
        if case is None or checklist is None:
            text.append(t("business.empty_ticket") if self.ticket_id else t("business.empty"))
            return text
        text.append(f"{checklist.name.in_lang(lang)}\n", style="bold")
        text.append(f"{t('business.department')}: {checklist.department.in_lang(lang)}\n")
        text.append(f"{t('business.col.stage')}: {t(f'business.stage.{case.stage}')}")
        if case.rework_count:
            text.append(f" · {t('business.rework', count=case.rework_count)}")
        text.append("\n")
        if case.override_reason:
            text.append(f"{t('business.overridden')}: {case.override_reason}\n", style="yellow")
        text.append(f"\n{t('business.process')}\n", style="bold")
        for number, step in enumerate(checklist.steps, 1):
            text.append(f"{number}. {step.in_lang(lang)}\n")
        text.append(f"\n{t('business.documents')}\n", style="bold")
        for doc in checklist.documents:
            text.append(f"· {doc.name.in_lang(lang)}")
            note = doc.notes.in_lang(lang)
            text.append(f"\n  {note}\n" if note else "\n", style="dim")
        text.append(f"\n{t('business.cautions')}\n", style="bold red")
        for caution in checklist.cautions:
            text.append(f"! {caution.in_lang(lang)}\n")
        if case.guidance:
            text.append(f"\n{t('business.guidance')}: ", style="bold")
            text.append(f"{case.guidance}\n")
        return text

    def _status(self) -> None:
        t = self.t
        parts = [t("business.count", count=len(self.cases))]
        if self.mine is not None and self.mine.rate is not None:
            parts.append(t("business.success", done=self.mine.successes, closed=self.mine.closed,
                           rate=f"{self.mine.rate:.0%}"))
        parts.append(t("business.notice_on") if self.notice else t("business.notice_off"))
        self.query_one("#biz-status", Static).update(Text(" · ".join(parts)))

    # ------------------------------------------------------------- actions
    def _done(self, key: str) -> Callable[[Any], None]:
        def after(_: object) -> None:
            self.notify(self.t(key))
            self.reload()

        return after

    def _notify_at(self) -> str | None:
        return NOTICE_DELAY if self.notice else None

    def action_toggle_notice(self) -> None:
        """Turn the customer notice of stage changes on or off."""
        self.notice = not self.notice
        self._status()

    def action_open_case(self) -> None:
        """Open a case on this ticket: pick the business type."""
        if self.ticket_id is None:
            self.notify(self.t("business.need_ticket"), severity="warning")
            return
        ticket_id = self.ticket_id

        def picked(business_type: str | None) -> None:
            if business_type:
                self.call_store(
                    self.desk.store.business.open_case, self.desk.user.id, ticket_id, business_type,
                    then=self._done("business.opened"),
                )

        choices = [(c.type, c.name.in_lang(self._lang())) for c in self.checklists.checklists.values()]
        self.app.push_screen(ChoicePicker(self.t("business.pick_type"), choices), picked)

    def _document(self) -> str | None:
        docs = self.query_one("#biz-docs", DataTable)
        if self.current is None or not docs.row_count:
            return None
        return str(docs.coordinate_to_cell_key(docs.cursor_coordinate).row_key.value)

    def _check(self, status: str, reason: str = "") -> None:
        case, doc_id = self.current, self._document()
        if case is None or doc_id is None:
            return
        self.call_store(
            self.desk.store.business.check_document, self.desk.user.id, case.id, doc_id, status, reason,
            then=lambda _: self.reload(),
        )

    def _ask(self, question_key: str, then: Callable[[str], None]) -> None:
        self.app.push_screen(TextPrompt(self.t(question_key)), lambda answer: then(answer) if answer else None)

    def action_received(self) -> None:
        """Tick the highlighted document received."""
        self._check("received")

    def action_missing(self) -> None:
        """Tick the highlighted document missing, with a reason."""
        self._ask("business.ask_reason", lambda reason: self._check("missing", reason))

    def action_invalid(self) -> None:
        """Tick the highlighted document invalid, with a reason."""
        self._ask("business.ask_reason", lambda reason: self._check("invalid", reason))

    def _pass(self, override_reason: str | None = None) -> None:
        case = self.current
        if case is None:
            return
        self.call_store(
            self.desk.store.business.pass_to_department, self.desk.user.id, case.id,
            override_reason=override_reason, notify_at=self._notify_at(), then=self._done("business.passed"),
        )

    def action_pass_on(self) -> None:
        """Pass the file to the department (refused while a document is not received)."""
        self._pass()

    def action_override(self) -> None:
        """Pass an incomplete file with a reason (team lead and above)."""
        self._ask("business.ask_override", self._pass)

    def action_stage(self) -> None:
        """Record the department's next stage."""
        case = self.current
        if case is None:
            return
        allowed = [s for s in NEXT_STAGES[Stage(case.stage)] if s not in (Stage.SUBMITTED, Stage.COMPLETED)]
        if not allowed:
            self.notify(self.t("business.no_stage"), severity="warning")
            return

        def picked(stage: str | None) -> None:
            if stage:
                self.call_store(
                    self.desk.store.business.change_stage, self.desk.user.id, case.id, stage,
                    notify_at=self._notify_at(), then=self._done("business.stage_changed"),
                )

        choices = [(s.value, self.t(f"business.stage.{s.value}")) for s in allowed]
        self.app.push_screen(ChoicePicker(self.t("business.pick_stage"), choices), picked)

    def action_complete(self) -> None:
        """Complete an approved case, recording the guidance given to the customer."""
        case = self.current
        if case is None:
            return

        def given(guidance: str) -> None:
            self.call_store(
                self.desk.store.business.complete, self.desk.user.id, case.id, guidance,
                notify_at=self._notify_at(), then=self._done("business.completed"),
            )

        self._ask("business.ask_guidance", given)


def business_commands(app: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """The command-palette entry that lists every business case."""
    desk = getattr(app, "desk", None)
    if desk is None:
        return []
    return [(desk.t("business.palette"), "", lambda: app.push_screen(BusinessScreen()))]
