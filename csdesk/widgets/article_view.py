"""An article's Markdown drawn as lines by one widget.

Textual's ``Markdown`` widget mounts a widget per paragraph, list item and heading: a long
article adds hundreds of widgets to the screen, every layout pass (each keystroke in the
search box, each status change) walks them all, and showing an article stalls the UI for
a tenth of a second. Here the text is rendered once with Rich at the view's width into
lines, and only the visible lines are drawn (Textual's line API, like ``Log``).
"""

from __future__ import annotations

from rich.markdown import Markdown
from rich.theme import Theme
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class ArticleView(ScrollView, can_focus=True):
    """Scrollable rendered Markdown; :meth:`update` replaces the text."""

    DEFAULT_CSS = """
    ArticleView { height: 1fr; scrollbar-gutter: stable; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = ""
        self._lines: list[Strip] = []
        self._rendered_width = 0

    def update(self, markdown: str) -> None:
        """Show ``markdown`` from its top."""
        self.source = markdown
        self._render_lines()
        self.scroll_home(animate=False)

    def on_resize(self, event: Resize) -> None:
        """Wrap the text again for the new width."""
        if self.scrollable_content_region.width != self._rendered_width:
            self._render_lines()

    def _render_lines(self) -> None:
        width = self.scrollable_content_region.width
        self._rendered_width = width
        if width <= 0:
            return
        console = self.app.console
        options = console.options.update(width=width, height=None)
        with console.use_theme(self._theme()):
            lines = console.render_lines(Markdown(self.source, hyperlinks=False), options, style=self.rich_style)
        self._lines = [Strip(line) for line in lines] if self.source else []
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def _theme(self) -> Theme:
        """Rich's Markdown styles in the app theme's colours (headings and numbers in the accent)."""
        colours = self.app.theme_variables
        accent = colours.get("accent", "cyan")
        return Theme(
            {
                "markdown.h1": f"bold {accent}",
                "markdown.h2": f"bold {accent}",
                "markdown.h3": f"bold {accent}",
                "markdown.h4": f"{accent}",
                "markdown.item.number": accent,
                "markdown.item.bullet": accent,
                "markdown.block_quote": "italic",
                "markdown.code": f"bold {colours.get('warning', 'yellow')}",
                "markdown.link": colours.get("primary", "blue"),
            }
        )

    def render_line(self, y: int) -> Strip:
        """The line at ``y`` in the view (line API): only visible lines are ever drawn."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)
