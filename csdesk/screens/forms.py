"""A small modal form: labelled inputs, choices and free text; Ctrl+S returns the values."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static, TextArea


@dataclass(frozen=True, slots=True)
class Field:
    """One field: ``kind`` is "input", "select" (``options`` of (value, label)) or "text"."""

    name: str
    label: str
    kind: str = "input"
    options: tuple[tuple[str, str], ...] = ()
    value: str = ""
    max_length: int = 0


class FormScreen(ModalScreen[dict[str, str] | None]):
    """Fields under a title (and an optional note); Ctrl+S returns ``{name: value}``, Escape nothing."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="supervisor.save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", id="supervisor.cancel"),
    ]
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen VerticalScroll { width: 80; height: auto; max-height: 90%; border: round $accent; padding: 0 1; }
    FormScreen .form-title { text-style: bold; }
    FormScreen .form-note { color: $text-muted; }
    FormScreen Label { margin-top: 1; }
    FormScreen TextArea { height: 6; }
    """

    def __init__(self, title: str, fields: list[Field], note: str = "", save_label: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.note = note
        self.save_label = save_label

    def compose(self) -> ComposeResult:
        """Title, note, then each field under its label."""
        with VerticalScroll():
            yield Static(Text(self.title_text), classes="form-title")
            if self.note:
                yield Static(Text(self.note), classes="form-note")
            for field in self.fields:
                yield Label(Text(field.label))
                if field.kind == "select":
                    options = [(Text(label), value) for value, label in field.options]
                    yield Select(
                        options, value=field.value or field.options[0][0], allow_blank=False, id=f"f-{field.name}"
                    )
                elif field.kind == "text":
                    yield TextArea(field.value, id=f"f-{field.name}")
                else:
                    yield Input(field.value, max_length=field.max_length, id=f"f-{field.name}")
            if self.save_label:
                yield Static(Text(self.save_label), classes="form-note")

    def values(self) -> dict[str, str]:
        """What is filled in now."""
        result: dict[str, str] = {}
        for field in self.fields:
            widget = self.query_one(f"#f-{field.name}")
            if isinstance(widget, Select):
                result[field.name] = str(widget.value)
            elif isinstance(widget, TextArea):
                result[field.name] = widget.text
            else:
                result[field.name] = widget.value  # type: ignore[attr-defined]
        return result

    def action_save(self) -> None:
        """Return the values."""
        self.dismiss(self.values())
