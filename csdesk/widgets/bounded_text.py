"""Text inputs that refuse an oversized paste up front and sanitise what is pasted.

A 10 MB paste into a text area would freeze the desk for a minute before the store
refused it. These widgets refuse it at once with a message, insert nothing, and leave
what was already typed untouched; pasted terminal escapes and control characters are
stripped before they reach the widget.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input, TextArea

from csdesk.domain.sanitize import sanitize_line, sanitize_text


class PasteRefused(Message):
    """A paste was refused because the text would exceed ``limit`` characters."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__()
        self.length = length
        self.limit = limit


class BoundedTextArea(TextArea):
    """A text area with a character limit that holds for pastes."""

    def __init__(self, *args: object, max_chars: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.max_chars = max_chars

    async def _on_paste(self, event: events.Paste) -> None:
        text = sanitize_text(event.text[: self.max_chars + 1]) if len(event.text) <= self.max_chars else None
        if text is None or len(self.text) + len(text) > self.max_chars:
            event.prevent_default()
            event.stop()
            self.post_message(PasteRefused(len(self.text) + len(event.text), self.max_chars))
            return
        await super()._on_paste(events.Paste(text))
        event.prevent_default()
        event.stop()


class BoundedInput(Input):
    """A one-line input that refuses oversized pastes and strips escapes from pasted text."""

    def __init__(self, *args: object, max_chars: int, **kwargs: object) -> None:
        super().__init__(*args, max_length=max_chars, **kwargs)  # type: ignore[arg-type]
        self.max_chars = max_chars

    def _on_paste(self, event: events.Paste) -> None:
        first_line = event.text.splitlines()[0] if event.text else ""
        if len(self.value) + len(first_line) > self.max_chars:
            event.prevent_default()
            event.stop()
            self.post_message(PasteRefused(len(self.value) + len(first_line), self.max_chars))
            return
        super()._on_paste(events.Paste(sanitize_line(first_line)))
        event.prevent_default()  # or Input's own handler would insert the raw text as well
        event.stop()
