"""Knowledge-base results: title, excerpt and a gap per hit, drawn only where visible.

Lighter than an OptionList (no layout of every option's wrapped text on each update),
which keeps search-as-you-type within a frame or two of the search itself.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message

from csdesk.data.api import KbHit
from csdesk.widgets.cursor_list import CursorList

HIT_STYLE = "bold reverse"


def hit_lines(hit: KbHit) -> tuple[Text, Text]:
    """The title line and the excerpt line of a hit, matches highlighted (plain Text, never markup)."""
    title = Text(hit.title, style="bold")
    for start, end in hit.title_spans:
        title.stylize(HIT_STYLE, start, end)
    title.append(f"  {hit.id} · {hit.language}", style="dim")
    snippet = Text(hit.snippet.replace("\n", " ").replace("\t", " "))  # one line; spans keep their places
    for start, end in hit.spans:
        snippet.stylize(HIT_STYLE, start, end)
    return title, snippet


class _HitMessage(Message):
    def __init__(self, hit_list: HitList, hit: KbHit) -> None:
        super().__init__()
        self.hit_list = hit_list
        self.hit = hit

    @property
    def control(self) -> HitList:
        """The list the message came from (for ``@on`` selectors)."""
        return self.hit_list


class HitList(CursorList):
    """Search results; ``Highlighted`` when the cursor lands on a hit, ``Chosen`` on Enter."""

    ITEM_LINES = 3
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open", show=False)]
    DEFAULT_CSS = """
    HitList { height: 1fr; scrollbar-gutter: stable; }
    """

    class Highlighted(_HitMessage):
        """The cursor is on ``hit``."""

    class Chosen(_HitMessage):
        """``hit`` was chosen (Enter or double click)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.hits: list[KbHit] = []
        self._lines: list[tuple[Text, Text]] = []

    def show(self, hits: list[KbHit]) -> None:
        """Replace the results; the cursor goes to the first one."""
        self.hits = hits
        self._lines = [hit_lines(hit) for hit in hits]
        self.virtual_size = Size(self.size.width, len(hits) * self.ITEM_LINES)
        self.scroll_to(y=0, animate=False)
        self.set_reactive(HitList.cursor, 0)
        self.refresh()
        if hits:
            self.post_message(self.Highlighted(self, hits[0]))

    @property
    def item_count(self) -> int:
        """How many hits are shown."""
        return len(self.hits)

    @property
    def current(self) -> KbHit | None:
        """The hit under the cursor."""
        return self.hits[self.cursor] if 0 <= self.cursor < len(self.hits) else None

    def render_item_line(self, index: int, part: int, width: int) -> Text:
        """Title, excerpt, then a blank separator line."""
        if part == 2:
            return Text("")
        return self._lines[index][part].copy()

    def cursor_covers(self, part: int) -> bool:
        """The separator line stays plain."""
        return part < self.ITEM_LINES - 1

    def watch_cursor(self, old: int, new: int) -> None:
        """Scroll to the hit and announce it."""
        super().watch_cursor(old, new)
        hit = self.current
        if hit is not None and old != new:
            self.post_message(self.Highlighted(self, hit))

    def action_select(self) -> None:
        """Choose the hit under the cursor."""
        hit = self.current
        if hit is not None:
            self.post_message(self.Chosen(self, hit))
