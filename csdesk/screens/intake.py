"""New contact: find or create the customer, classify the contact, save it to the queue.

Keyboard first: type a phone, name, ID, card or account number to find the customer
(matched on the whole number, shown masked), pick with Enter, fill in the contact and save
with Ctrl+S. A refused save names the field, focuses it and keeps everything typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from csdesk.data.api import CustomerView, TicketRow
from csdesk.domain.errors import CsdeskError, ValidationError
from csdesk.domain.tickets import Business, Cause, Channel, Kind, Priority
from csdesk.screens.base import DeskScreen
from csdesk.widgets.bounded_text import BoundedInput, BoundedTextArea, PasteRefused

SUBJECT_LIMIT = 200
TEXT_LIMIT = 20_000

SEARCH_DELAY = 0.2

#: Store field names -> the widget that holds them.
FIELD_WIDGETS = {
    "name": "#new-name",
    "phone": "#new-phone",
    "id_number": "#new-id",
    "card_no": "#new-card",
    "kind": "#kind",
    "channel": "#channel",
    "priority": "#priority",
    "business": "#business",
    "cause": "#cause",
    "subject": "#subject",
    "description": "#description",
    "text": "#description",
}


@dataclass(frozen=True)
class SaveOutcome:
    """What a save attempt produced: a ticket, or the error and the customer kept so far."""

    ticket: TicketRow | None
    customer: CustomerView | None
    error: CsdeskError | None = None


class NewContactScreen(DeskScreen):
    """Record a contact in seconds."""

    TITLE_KEY = "intake.title"
    AUTO_FOCUS = "#customer-search"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="intake.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="intake.cancel"),
    ]
    DEFAULT_CSS = """
    NewContactScreen #intake { height: 1fr; }
    NewContactScreen #intake-customer { width: 36; padding: 0 1; }
    NewContactScreen #intake-contact { width: 1fr; padding: 0 1; border-left: solid $panel; }
    NewContactScreen .section { text-style: bold; color: $accent; margin-top: 1; }
    NewContactScreen #customer-results { height: 6; }
    NewContactScreen #customer-chosen { color: $success; height: auto; }
    NewContactScreen Select { width: 1fr; }
    NewContactScreen Select > SelectCurrent { padding: 0 1; }
    NewContactScreen .spacer { width: 1fr; }
    NewContactScreen .row { height: auto; }
    NewContactScreen #description { height: 8; }
    NewContactScreen #form-error { color: $error; height: auto; padding: 0 1; }
    NewContactScreen .-invalid { border: tall $error; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.customer: CustomerView | None = None
        self.matches: list[CustomerView] = []
        self._search_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        """Customer on the left, the contact on the right, errors below."""
        t = self.t
        with Horizontal(id="intake"):
            with VerticalScroll(id="intake-customer", can_focus=False):
                yield Static(Text(t("intake.customer")), classes="section")
                yield BoundedInput(placeholder=t("intake.search_placeholder"), id="customer-search", max_chars=200)
                yield OptionList(id="customer-results")
                yield Static(Text(t("intake.none_chosen")), id="customer-chosen")
                yield Static(Text(t("intake.new_customer")), classes="section")
                yield BoundedInput(placeholder=t("intake.name"), id="new-name", max_chars=100)
                yield BoundedInput(placeholder=t("intake.phone"), id="new-phone", max_chars=40)
                yield BoundedInput(placeholder=t("intake.id_number"), id="new-id", max_chars=40)
                yield BoundedInput(placeholder=t("intake.card_no"), id="new-card", max_chars=40)
                yield Checkbox(t("intake.vip"), id="new-vip")
            with Vertical(id="intake-contact"):
                with Horizontal(classes="row"):
                    yield self._select("kind", Kind, Kind.CONSULTATION.value)
                    yield self._select("channel", Channel, Channel.PHONE.value)
                    yield self._select("priority", Priority, Priority.NORMAL.value)
                with Horizontal(classes="row"):
                    yield self._select("business", Business, None)
                    yield self._select("cause", Cause, None)
                    yield Static(classes="spacer")
                yield Label(Text(t("intake.subject")))
                yield BoundedInput(id="subject", max_chars=SUBJECT_LIMIT)
                yield Label(Text(t("intake.description")))
                yield BoundedTextArea(id="description", soft_wrap=True, max_chars=TEXT_LIMIT)
        yield Static(id="form-error")

    def _select(self, group: str, enum: Any, value: str | None) -> Select[str]:
        options = [(self.t.label(group, member.value), member.value) for member in enum]
        prompt = f"{self.t('intake.' + group)}: {self.t('intake.unset')}"
        if value is None:
            return Select(options, prompt=prompt, id=group)
        return Select(options, prompt=prompt, value=value, allow_blank=False, id=group)

    def on_mount(self) -> None:
        """Start in the customer search."""
        super().on_mount()
        self.query_one("#customer-search", Input).focus()

    # ------------------------------------------------------------- customer
    @on(Input.Changed, "#customer-search")
    def search_changed(self, event: Input.Changed) -> None:
        """Look the customer up shortly after typing stops."""
        if self._search_timer is not None:
            self._search_timer.stop()
        text = event.value
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._search(text))

    def _search(self, text: str) -> None:
        if not text.strip():
            self._show_matches([])
            return
        self.call_store(self.desk.store.find_customers, self.desk.user.id, text, 20, then=self._show_matches)

    def _show_matches(self, matches: list[CustomerView]) -> None:
        self.matches = matches
        results = self.query_one("#customer-results", OptionList)
        results.clear_options()
        for index, customer in enumerate(matches):
            label = Text()
            if customer.vip:
                label.append("★ ", style="bold yellow")
            label.append(customer.name, style="bold")
            for value in (customer.phone, customer.id_number, customer.card_no):
                if value:
                    label.append(f"  {value}", style="dim")
            results.add_option(Option(label, id=str(index)))
        if not matches and self.query_one("#customer-search", Input).value.strip():
            results.add_option(Option(Text(self.t("intake.not_found"), style="dim"), disabled=True))

    @on(Input.Submitted, "#customer-search")
    def search_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box: take the only match, go to the list, or start a new customer.

        With no match, what was typed becomes the new customer's phone (digits) or name.
        """
        if len(self.matches) == 1:
            self.choose(self.matches[0])
        elif self.matches:
            self.query_one("#customer-results", OptionList).focus()
        elif event.value.strip():
            text = event.value.strip()
            digits = sum(ch.isdigit() for ch in text)
            if digits >= len(text.replace(" ", "").replace("-", "").replace("+", "")) * 0.8:
                self.query_one("#new-phone", Input).value = text
                self.query_one("#new-name", Input).focus()
            else:
                self.query_one("#new-name", Input).value = text
                self.query_one("#new-phone", Input).focus()

    @on(Input.Submitted, "#new-name, #new-phone, #new-id, #new-card, #subject")
    def next_field(self, event: Input.Submitted) -> None:
        """Enter moves on: name, phone, ID, card, then the subject, then the description."""
        order = ["new-name", "new-phone", "new-id", "new-card", "subject", "description"]
        current = event.input.id or ""
        self.query_one(f"#{order[order.index(current) + 1]}").focus()

    @on(OptionList.OptionSelected, "#customer-results")
    def match_selected(self, event: OptionList.OptionSelected) -> None:
        """A customer was picked from the list."""
        if event.option.id is not None:
            self.choose(self.matches[int(event.option.id)])

    def choose(self, customer: CustomerView) -> None:
        """Use ``customer`` for this contact and move on to the subject."""
        self.customer = customer
        text = Text(self.t("intake.chosen", name=customer.name))
        if customer.vip:
            text.append(f"  ★ {self.t('ticket.vip')}", style="bold yellow")
        self.query_one("#customer-chosen", Static).update(text)
        self.query_one("#subject", Input).focus()

    # ------------------------------------------------------------- saving
    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _choice(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None  # a blank Select holds a sentinel

    def action_save(self) -> None:
        """Create the customer if new, then the ticket; one worker, errors point at the field."""
        store, actor = self.desk.store, self.desk.user.id
        customer = self.customer
        new_customer = {
            "name": self._value("#new-name").strip(),
            "phone": self._value("#new-phone").strip() or None,
            "id_number": self._value("#new-id").strip() or None,
            "card_no": self._value("#new-card").strip() or None,
            "vip": self.query_one("#new-vip", Checkbox).value,
        }
        contact = {
            "kind": self._choice("#kind"),
            "channel": self._choice("#channel"),
            "priority": self._choice("#priority"),
            "business": self._choice("#business"),
            "cause": self._choice("#cause"),
            "subject": self._value("#subject"),
            "description": self.query_one("#description", TextArea).text,
        }

        def save() -> SaveOutcome:
            chosen = customer
            try:
                if chosen is None and (new_customer["name"] or new_customer["phone"]):
                    if not new_customer["name"]:
                        raise ValidationError("name", self.t("intake.name") + ": " + self.t("intake.none_chosen"))
                    chosen = store.create_customer(actor, **new_customer)
                ticket = store.create_ticket(actor, customer_id=chosen.id if chosen else None, **contact)
            except CsdeskError as exc:
                return SaveOutcome(None, chosen, exc)
            return SaveOutcome(ticket, chosen)

        self._clear_errors()
        self.call_store(save, then=self._saved)

    def _saved(self, outcome: SaveOutcome) -> None:
        if outcome.customer is not None and self.customer is None:
            self.choose(outcome.customer)  # created once; a retry will not create it again
        if outcome.error is not None:
            self._show_error(outcome.error)
            return
        assert outcome.ticket is not None
        self.notify(self.t("intake.saved", ref=outcome.ticket.ref))
        self.dismiss(outcome.ticket.id)

    def _clear_errors(self) -> None:
        self.query_one("#form-error", Static).update("")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")

    def _show_error(self, error: CsdeskError) -> None:
        self.query_one("#form-error", Static).update(Text(error.message))
        field = getattr(error, "field", None)
        selector = FIELD_WIDGETS.get(field or "")
        if selector:
            widget: Widget = self.query_one(selector)
            widget.add_class("-invalid")
            widget.focus()

    @on(PasteRefused)
    def paste_refused(self, event: PasteRefused) -> None:
        """Say why nothing was pasted, next to the form too (the app's own handler is not needed twice)."""
        event.stop()
        message = self.t("intake.paste_refused", length=f"{event.length:,}", limit=f"{event.limit:,}")
        self.query_one("#form-error", Static).update(Text(message))
        self.notify(message, severity="warning")

    def action_cancel(self) -> None:
        """Back to the queue without saving."""
        self.dismiss(None)
