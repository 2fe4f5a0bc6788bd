"""Ticket detail: customer, description, notes and the full timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from csdesk.data.api import TicketDetail
from csdesk.domain.tickets import Status, allowed_next
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import ChoicePicker, TextPrompt
from csdesk.widgets.bounded_text import BoundedInput
from csdesk.widgets.formatting import when


class TicketScreen(DeskScreen):
    """Everything about one ticket."""

    TITLE_KEY = "ticket.timeline"
    AUTO_FOCUS = "#ticket-left"
    BINDINGS = [
        Binding("escape", "back", "Back", id="ticket.back"),
        Binding("c", "claim", "Claim", id="ticket.claim"),
        Binding("s", "status", "Status", id="ticket.status"),
        Binding("n", "note", "Note", id="ticket.note"),
        Binding("R", "reopen", "Reopen", id="ticket.reopen"),
        Binding("v", "reveal", "Reveal", id="ticket.reveal"),
        Binding("d", "consult", "Consult dept.", id="ticket.consult"),
        Binding("y", "department_reply", "Dept. reply", id="ticket.reply"),
        Binding("l", "link", "Link", id="ticket.link"),
        Binding("M", "merge", "Merge into", id="ticket.merge"),
        Binding("k", "knowledge", "Knowledge", id="ticket.kb"),
        Binding("C", "log_complaint", "Log complaint", id="ticket.complaint", show=False),
        Binding("b", "callback", "Callback", id="ticket.callback"),
        Binding("B", "business", "Business", id="ticket.business", show=False),
    ]
    DEFAULT_CSS = """
    TicketScreen #ticket-summary { height: auto; padding: 0 1; border-bottom: solid $panel; }
    TicketScreen #ticket-columns { height: 1fr; }
    TicketScreen #ticket-left { width: 1fr; padding: 0 1; }
    TicketScreen #ticket-timeline { width: 1fr; padding: 0 1; border-left: solid $panel; }
    TicketScreen .section { text-style: bold; color: $accent; margin-top: 1; }
    TicketScreen #note-input { dock: bottom; }
    """

    def __init__(self, ticket_id: str) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.detail: TicketDetail | None = None
        self.revealed: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        """Summary on top, description and notes left, timeline right, note box below."""
        yield Static(id="ticket-summary")
        with Horizontal(id="ticket-columns"):
            with VerticalScroll(id="ticket-left", can_focus=True):
                yield Static(id="ticket-customer")
                yield Static(Text(self.t("ticket.description")), classes="section")
                yield Static(id="ticket-description")
                yield Static(Text(self.t("ticket.notes")), classes="section")
                yield Static(id="ticket-notes")
            with VerticalScroll(id="ticket-timeline"):
                yield Static(Text(self.t("ticket.timeline")), classes="section")
                yield Static(id="ticket-events")
        yield BoundedInput(placeholder=self.t("ticket.note_placeholder"), id="note-input", max_chars=20_000)

    def on_mount(self) -> None:
        """Load the ticket."""
        super().on_mount()
        self.load()

    def reload(self) -> None:
        """Reload the ticket."""
        self.load()

    def load(self) -> None:
        """(Re)load the ticket from the store."""
        self.call_store(self.desk.store.get_ticket, self.desk.user.id, self.ticket_id, then=self.show)

    def show(self, detail: TicketDetail) -> None:
        """Fill the widgets. Every customer-supplied string is plain Text, never markup."""
        self.detail = detail
        t, row = self.t, detail.row
        summary = Text()
        summary.append(t("ticket.title", ref=row.ref), style="bold")
        summary.append(f"  {t.label('kind', row.kind)} · {t.label('channel', row.channel)}")
        summary.append(f" · {t.label('priority', row.priority)} · ")
        summary.append(t.label("status", row.status), style="bold")
        summary.append(f" · {row.assignee_name or '—'}\n")
        summary.append(row.subject)
        self.query_one("#ticket-summary", Static).update(summary)
        customer = Text()
        if detail.customer is None:
            customer.append(t("ticket.no_customer"), style="dim")
        else:
            c = detail.customer
            customer.append(f"{t('ticket.customer')}: ", style="dim")
            customer.append(c.name, style="bold")
            if c.vip:
                customer.append(f"  ★ {t('ticket.vip')}", style="bold yellow")
            for field, value in (
                ("phone", c.phone),
                ("id_number", c.id_number),
                ("card_no", c.card_no),
                ("account_no", c.account_no),
            ):
                if value:
                    customer.append(f"\n  {t('pii.' + field)}  ", style="dim")
                    shown = self.revealed.get(field)
                    customer.append(shown or value, style="bold red" if shown else "")
        self.query_one("#ticket-customer", Static).update(customer)
        self.query_one("#ticket-description", Static).update(Text(detail.description or "—"))
        notes = Text()
        for note in detail.notes:
            notes.append(f"{when(note.created_at)}  {note.author}\n", style="dim")
            notes.append(f"{note.body}\n")
        self.query_one("#ticket-notes", Static).update(notes or Text("—", style="dim"))
        events = Text()
        for entry in detail.timeline:
            data = dict(entry.data)
            if "to" in data:
                data["to"] = t.label("status", data["to"])
            if "promised_at" in data:
                data["promised_at"] = when(datetime.fromisoformat(data["promised_at"]))
            key = f"timeline.{entry.kind}"
            try:
                line = t(key, **data)
            except (KeyError, IndexError):  # a string that names a value this event lacks
                line = key
            if line == key:  # no string for this kind of event
                line = entry.kind
            events.append(f"{when(entry.at)}  ", style="dim")
            events.append(f"{entry.actor} ", style="bold")
            events.append(f"{line}\n")
        self.query_one("#ticket-events", Static).update(events)

    # ------------------------------------------------------------- actions
    def action_back(self) -> None:
        """Leave the note box first; from elsewhere, go back to the queue."""
        if isinstance(self.focused, Input):
            self.query_one("#ticket-left").focus()
            return
        self.dismiss()

    def action_claim(self) -> None:
        """Take this ticket."""
        self.call_store(self.desk.store.claim_ticket, self.desk.user.id, self.ticket_id, then=lambda _: self.load())

    def action_note(self) -> None:
        """Focus the note box."""
        self.query_one("#note-input", Input).focus()

    @on(Input.Submitted, "#note-input")
    def add_note(self, event: Input.Submitted) -> None:
        """Save the note; the text stays in the box if saving fails."""
        body = event.value
        if not body.strip():
            return

        def saved(_: object) -> None:
            event.input.value = ""
            self.notify(self.t("ticket.note_added"))
            self.load()

        self.call_store(self.desk.store.add_note, self.desk.user.id, self.ticket_id, body, then=saved)

    def action_status(self) -> None:
        """Move the ticket along its life."""
        if self.detail is None:
            return

        def picked(status: str | None) -> None:
            if status:
                self.call_store(
                    self.desk.store.change_status, self.desk.user.id, self.ticket_id, status, then=self._moved
                )

        current = Status(self.detail.row.status)
        choices = [(s.value, self.t.label("status", s.value)) for s in Status if s in allowed_next(current)]
        self.app.push_screen(ChoicePicker(self.t("action.status"), choices), picked)

    def _moved(self, row: object) -> None:
        status = getattr(row, "status", "")
        self.notify(self.t("ticket.status_now", status=self.t.label("status", status)))
        self.load()

    def action_reveal(self) -> None:
        """Show one whole identifier for a short time; the store records who revealed what."""
        customer = self.detail.customer if self.detail else None
        if customer is None:
            return
        fields = [
            f
            for f, value in (
                ("phone", customer.phone),
                ("id_number", customer.id_number),
                ("card_no", customer.card_no),
                ("account_no", customer.account_no),
            )
            if value
        ]

        def picked(field: str | None) -> None:
            if field:
                self.call_store(
                    self.desk.store.reveal,
                    self.desk.user.id,
                    customer.id,
                    field,
                    self.ticket_id,
                    self.desk.settings.reveal_seconds,
                    then=lambda value: self._show_revealed(field, value),
                )

        choices = [(field, self.t(f"pii.{field}")) for field in fields]
        self.app.push_screen(ChoicePicker(self.t("action.reveal"), choices), picked)

    def _show_revealed(self, field: str, value: str) -> None:
        self.revealed[field] = value
        seconds = self.desk.settings.reveal_seconds
        self.notify(self.t("pii.revealed", seconds=seconds))
        self.set_timer(seconds, lambda: self._hide(field))
        if self.detail is not None:
            self.show(self.detail)

    def _hide(self, field: str) -> None:
        self.revealed.pop(field, None)
        if self.detail is not None:
            self.show(self.detail)

    def _ask(self, question: str, then: Callable[[str], None]) -> None:
        """Ask one line; go on only with an answer."""
        self.app.push_screen(TextPrompt(question), lambda answer: then(answer) if answer else None)

    def action_consult(self) -> None:
        """Consult a department: which one, the question, the reply time promised to the customer."""
        store, actor, t = self.desk.store, self.desk.user.id, self.t

        def with_department(department: str) -> None:
            def with_question(question: str) -> None:
                def with_time(promised: str) -> None:
                    self.call_store(
                        store.consult_department,
                        actor,
                        self.ticket_id,
                        department,
                        question,
                        promised,
                        then=self._moved,
                    )

                self._ask(t("ticket.ask_promised"), with_time)

            self._ask(t("ticket.ask_question"), with_question)

        self._ask(t("ticket.ask_department"), with_department)

    def action_department_reply(self) -> None:
        """Record the department's reply."""
        store, actor = self.desk.store, self.desk.user.id
        self._ask(
            self.t("ticket.ask_reply"),
            lambda reply: self.call_store(
                store.record_department_reply, actor, self.ticket_id, reply, then=self._moved
            ),
        )

    def action_link(self) -> None:
        """Link another ticket about the same matter."""
        store, actor = self.desk.store, self.desk.user.id
        self._ask(
            self.t("ticket.ask_link"),
            lambda ref: self.call_store(store.link_tickets, actor, self.ticket_id, ref, then=lambda _: self.load()),
        )

    def action_merge(self) -> None:
        """Close this ticket as a duplicate of another."""
        store, actor = self.desk.store, self.desk.user.id
        self._ask(
            self.t("ticket.ask_merge"),
            lambda ref: self.call_store(store.merge_ticket, actor, self.ticket_id, ref, then=self._moved),
        )

    def action_reopen(self) -> None:
        """Reopen a resolved or closed ticket, asking why."""

        def reason_given(reason: str | None) -> None:
            if reason:
                self.call_store(self.desk.store.reopen, self.desk.user.id, self.ticket_id, reason, then=self._moved)

        self.app.push_screen(TextPrompt(self.t("ticket.reopen_reason")), reason_given)

    def action_knowledge(self) -> None:
        """Find the answer in the knowledge base; "use this answer" adds it here as a note."""
        from csdesk.screens.knowledge import KnowledgeScreen

        query = self.detail.row.subject if self.detail else ""
        self.app.push_screen(KnowledgeScreen(ticket_id=self.ticket_id, query=query), lambda _: self.load())

    def action_log_complaint(self) -> None:
        """Log a complaint from this ticket (the form proposes the reply date within the legal deadline)."""
        from csdesk.screens.complaints import open_log_form

        channel = self.detail.row.channel if self.detail else "phone"
        open_log_form(self, ticket_id=self.ticket_id, channel=channel)

    def action_callback(self) -> None:
        """Schedule a callback about this ticket (its customer, a follow-up for a complaint)."""
        from csdesk.screens.callback_forms import ScheduleCallbackScreen

        self.app.push_screen(ScheduleCallbackScreen(ticket_id=self.ticket_id), lambda _: self.load())

    def action_business(self) -> None:
        """Business assistance on this ticket: checklist, documents, department stages."""
        from csdesk.screens.business import BusinessScreen

        self.app.push_screen(BusinessScreen(ticket_id=self.ticket_id), lambda _: self.load())
