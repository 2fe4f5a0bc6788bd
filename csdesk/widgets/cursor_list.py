"""A virtual list with a cursor: draws only the visible lines; keys and mouse move the cursor.

Base of the queue table (one line per ticket) and the knowledge-base results (several
lines per hit). A subclass says how many items there are and draws one line of one item;
drawing cost is the screen's height, never the list's length.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CursorList(ScrollView, can_focus=True):
    """Items of ``ITEM_LINES`` lines each; the item under the cursor is drawn reversed."""

    ITEM_LINES: ClassVar[int] = 1
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    @property
    def item_count(self) -> int:
        """How many items the list has (loaded or not)."""
        raise NotImplementedError

    def render_item_line(self, index: int, part: int, width: int) -> Text:
        """Line ``part`` (0 .. ITEM_LINES-1) of item ``index``, at most ``width`` cells."""
        raise NotImplementedError

    def action_select(self) -> None:
        """Choose the item under the cursor (Enter, double click)."""

    def cursor_covers(self, part: int) -> bool:
        """Whether line ``part`` of the cursor's item is drawn in the cursor style."""
        return True

    # ------------------------------------------------------------- drawing
    def render_line(self, y: int) -> Strip:
        """Draw one visible line."""
        width = self.scrollable_content_region.width
        index, part = divmod(self.scroll_offset.y + y, self.ITEM_LINES)
        if index >= self.item_count:
            return Strip.blank(width, self.rich_style)
        line = self.render_item_line(index, part, width)
        line.truncate(width, pad=True)
        style = self.rich_style
        if index == self.cursor and self.cursor_covers(part):
            style = style + (Style(reverse=True) if self.has_focus else Style(bgcolor="grey30"))
        segments = [Segment(s.text, style + s.style if s.style else style) for s in line.render(self.app.console)]
        return Strip(segments, width).crop(0, width)

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the cursor's item visible and redraw."""
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        first, last = new * self.ITEM_LINES, (new + 1) * self.ITEM_LINES - 1
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif height and last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False)
        self.refresh()

    def on_focus(self) -> None:
        """Redraw the cursor in its focused style."""
        self.refresh()

    def on_blur(self) -> None:
        """Redraw the cursor in its unfocused style."""
        self.refresh()

    def notify_style_update(self) -> None:
        """Redraw when the theme changes."""
        super().notify_style_update()
        self.refresh()

    # ------------------------------------------------------------- keys and mouse
    def action_move(self, delta: int) -> None:
        """Move the cursor by ``delta`` items."""
        if self.item_count:
            self.cursor = max(0, min(self.item_count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful."""
        per_screen = max(1, self.scrollable_content_region.height // self.ITEM_LINES - 1)
        self.action_move(direction * per_screen)

    def action_jump(self, index: int) -> None:
        """Jump to the first (0) or last (-1) item."""
        if self.item_count:
            self.cursor = self.item_count - 1 if index < 0 else 0

    def on_click(self, event: events.Click) -> None:
        """Click puts the cursor on an item; a double click chooses it."""
        index = (self.scroll_offset.y + event.y) // self.ITEM_LINES
        if 0 <= index < self.item_count:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
