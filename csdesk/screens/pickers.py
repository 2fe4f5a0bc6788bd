"""Small modal pickers shared by screens: one choice from a list, or several facets."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from csdesk.widgets.bounded_text import BoundedInput


class ChoicePicker(ModalScreen[str | None]):
    """Pick one of ``choices`` ((value, label) pairs); Escape picks nothing."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    ChoicePicker { align: center middle; }
    ChoicePicker Vertical { width: 50; height: auto; max-height: 24; border: round $accent; padding: 0 1; }
    ChoicePicker OptionList { height: auto; max-height: 20; border: none; }
    """

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        """Title and options."""
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield OptionList(*[Option(Text(label), id=value) for value, label in self.choices])

    def on_mount(self) -> None:
        """Highlight the current choice."""
        options = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        options.highlighted = values.index(self.current) if self.current in values else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen value."""
        self.dismiss(event.option.id)


class FacetPicker(ModalScreen[list[str] | None]):
    """Tick any number of ``facets`` ("group:value", label); Enter applies, Escape cancels."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("enter", "apply", "Apply", priority=True),
    ]
    DEFAULT_CSS = """
    FacetPicker { align: center middle; }
    FacetPicker Vertical { width: 60; height: 30; border: round $accent; padding: 0 1; }
    FacetPicker SelectionList { height: 1fr; border: none; }
    """

    def __init__(self, title: str, facets: list[tuple[str, str]], selected: set[str]) -> None:
        super().__init__()
        self.title_text = title
        self.facets = facets
        self.selected = selected

    def compose(self) -> ComposeResult:
        """Title and the ticks."""
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield SelectionList[str](
                *[Selection(Text(label), value, value in self.selected) for value, label in self.facets]
            )

    def action_apply(self) -> None:
        """Return what is ticked."""
        self.dismiss(list(self.query_one(SelectionList).selected))


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; an empty answer is no answer."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt Vertical { width: 70; height: auto; border: round $accent; padding: 0 1; }
    """

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        """Question and input."""
        with Vertical():
            yield Label(Text(self.question))
            yield BoundedInput(self.value, id="answer", max_chars=2_000)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        """Return the answer (None when empty)."""
        self.dismiss(event.value.strip() or None)
