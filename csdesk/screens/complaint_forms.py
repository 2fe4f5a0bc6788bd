"""Modal forms of the complaints room: a few labelled inputs and choices, saved with Ctrl+S or Enter."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select


@dataclass(frozen=True, slots=True)
class FormField:
    """One field: free text (``choices`` empty) or one of ``choices`` ((value, label) pairs)."""

    key: str
    label: str
    value: str = ""
    choices: tuple[tuple[str, str], ...] = ()


class FormModal(ModalScreen[dict[str, str] | None]):
    """Fill ``fields``; returns {key: value} on save, None on Escape. Nothing is checked here: the store does."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal #form { width: 84; height: auto; max-height: 90%; border: round $accent; padding: 0 1; }
    FormModal Label.field { margin-top: 1; color: $text-muted; }
    FormModal Label.title { text-style: bold; }
    FormModal Label.hint { color: $text-muted; }
    FormModal #form-buttons { height: auto; margin-top: 1; }
    """

    def __init__(self, title: str, fields: list[FormField], save_label: str = "Save", hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.save_label = save_label
        self.hint = hint

    def compose(self) -> ComposeResult:
        """Title, the fields in order, save and cancel."""
        with VerticalScroll(id="form"):
            yield Label(Text(self.title_text), classes="title")
            if self.hint:
                yield Label(Text(self.hint), classes="hint")
            for f in self.fields:
                yield Label(Text(f.label), classes="field")
                if f.choices:
                    yield Select(
                        [(Text(label), value) for value, label in f.choices],
                        value=f.value or f.choices[0][0],
                        allow_blank=False,
                        id=f"field-{f.key}",
                    )
                else:
                    yield Input(f.value, id=f"field-{f.key}")
            with Horizontal(id="form-buttons"):
                yield Button(self.save_label, variant="primary", id="form-save")

    def values(self) -> dict[str, str]:
        """What is filled in now."""
        result: dict[str, str] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.key}")
            value = widget.value if isinstance(widget, Input | Select) else ""
            result[f.key] = "" if value is Select.BLANK else str(value)
        return result

    def action_save(self) -> None:
        """Return the values."""
        self.dismiss(self.values())

    @on(Button.Pressed, "#form-save")
    def _pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
