"""Knowledge-base gaps (Ctrl+N in the knowledge base): what agents could not answer, for editors.

The seed's consultation flow ends with "categorise it and update the knowledge base":
agents report a gap (Ctrl+G), an editor (team lead and up) reads it here, opens the
article to revise it (a new version) or adds one, and marks the gap handled with a note.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from csdesk.data.api import KbGap
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import TextPrompt
from csdesk.widgets.formatting import cell
from csdesk.widgets.sized_table import SizedTable

TEXT_WIDTH = 60


class KbGapsScreen(DeskScreen):
    """Open gaps newest first (or all); the highlighted one in full on the right."""

    TITLE_KEY = "kbgaps.title"
    AUTO_FOCUS = "#gap-table"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="kb.back"),
        Binding("o", "open_article", "Open article", id="kbgaps.open"),
        Binding("x", "resolve", "Handled", id="kbgaps.resolve"),
        Binding("a", "toggle_all", "Open / all", id="kbgaps.all"),
    ]
    DEFAULT_CSS = """
    KbGapsScreen #gap-hint { height: auto; padding: 0 1; color: $text-muted; }
    KbGapsScreen #gap-body { height: 1fr; }
    KbGapsScreen #gap-table { width: 3fr; height: 1fr; }
    KbGapsScreen #gap-detail-box { width: 2fr; padding: 0 1; border-left: solid $panel; }
    KbGapsScreen #gap-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.gaps: list[KbGap] = []
        self.show_all = False

    def compose_body(self) -> ComposeResult:
        """Hint, table and detail, a status line."""
        yield Static(Text(self.t("kbgaps.hint")), id="gap-hint")
        with Horizontal(id="gap-body"):
            yield SizedTable(id="gap-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="gap-detail-box"):
                yield Static(id="gap-detail")
        yield Static(id="gap-status")

    def on_mount(self) -> None:
        """Load the gaps."""
        super().on_mount()
        self.reload()

    def reload(self) -> None:
        """Load open gaps (or all of them) in a worker."""
        status = None if self.show_all else "open"
        self.call_store(self.desk.store.kb.list_gaps, self.desk.user.id, status, then=self._show)

    def _show(self, gaps: list[KbGap]) -> None:
        t = self.t
        self.gaps = gaps
        table = self.query_one("#gap-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in ("when", "by", "status", "article", "text"):
            table.add_column(t(f"kbgaps.col.{key}"), key=key)
        for gap in gaps:
            table.add_row(
                gap.reported_at.strftime("%m-%d %H:%M"),
                cell(gap.reported_by, 12),
                t(f"kbgaps.status.{gap.status}"),
                cell(gap.article_id or "—", 24),
                cell(" ".join(gap.text.split()), TEXT_WIDTH),
                key=gap.id,
            )
        if gaps:
            table.move_cursor(row=min(row, len(gaps) - 1))
        count_key = "kbgaps.count_all" if self.show_all else "kbgaps.count_open"
        status = t(count_key, count=len(gaps)) if gaps else t("kbgaps.none")
        self.query_one("#gap-status", Static).update(Text(status))
        self._show_detail()

    @property
    def current(self) -> KbGap | None:
        """The gap under the cursor."""
        table = self.query_one("#gap-table", DataTable)
        return self.gaps[table.cursor_row] if 0 <= table.cursor_row < len(self.gaps) else None

    @on(DataTable.RowHighlighted, "#gap-table")
    def _show_detail(self) -> None:
        gap, t = self.current, self.t
        detail = Text()
        if gap is not None:
            detail.append(f"{t('kbgaps.col.when')}: ", style="dim")
            detail.append(f"{gap.reported_at:%Y-%m-%d %H:%M} · {gap.reported_by}\n")
            if gap.query:
                detail.append(f"{t('kbgaps.query')}: ", style="dim")
                detail.append(f"{gap.query}\n")
            if gap.article_id:
                detail.append(f"{t('kbgaps.col.article')}: ", style="dim")
                detail.append(f"{gap.article_id} · {gap.language or ''}\n")
            if gap.ticket_id:
                detail.append(f"{t('kbgaps.ticket')}: ", style="dim")
                detail.append(f"{gap.ticket_id}\n")
            detail.append("\n")
            detail.append(gap.text)
        self.query_one("#gap-detail", Static).update(detail)

    def action_toggle_all(self) -> None:
        """Open gaps only, or all of them."""
        self.show_all = not self.show_all
        self.reload()

    def action_resolve(self) -> None:
        """Mark the highlighted gap handled, with a note on what was done."""
        gap = self.current
        if gap is None or gap.status != "open":
            return

        def answered(note: str | None) -> None:
            if note is None:
                return
            self.call_store(
                self.desk.store.kb.resolve_gap,
                self.desk.user.id,
                gap.id,
                note,
                then=lambda _: (self.notify(self.t("kbgaps.resolved")), self.reload()),
            )

        self.app.push_screen(TextPrompt(self.t("kbgaps.ask_note")), answered)

    def action_open_article(self) -> None:
        """Open the knowledge base on the gap's article (to edit it) or on its search words."""
        from csdesk.screens.knowledge import KnowledgeScreen

        gap = self.current
        if gap is None:
            return
        if not gap.article_id and not gap.query:
            self.notify(self.t("kbgaps.no_article"), severity="warning")
            return
        article = (gap.article_id, gap.language or "zh-CN") if gap.article_id else None
        self.app.push_screen(KnowledgeScreen(query=gap.query, article=article))
