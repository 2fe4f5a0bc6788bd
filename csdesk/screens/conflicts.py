"""The supervisor's merge-conflicts screen: concurrent edits from different desks, resolved here.

Opened from the command palette ("Merge conflicts") or Ctrl+K. Each row is a field two
desks wrote concurrently: the value in use (the newer write) and the other one. ``k``
keeps the value in use, ``o`` takes the other; either choice is a new event that syncs
to every desk. Money and legal fields are marked for review. Values arrive masked.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from csdesk.screens.base import DeskScreen
from csdesk.widgets.sized_table import SizedTable


class ConflictsScreen(DeskScreen):
    """Open merge conflicts, those needing review first."""

    TITLE_KEY = "sync.conflicts.title"
    BINDINGS = [
        Binding("k", "resolve('kept')", "Keep in use", id="conflicts.keep"),
        Binding("o", "resolve('lost')", "Take other", id="conflicts.other"),
        Binding("r", "reload", "Refresh", id="conflicts.refresh"),
        Binding("escape", "back", "Back", id="conflicts.back"),
    ]
    DEFAULT_CSS = """
    ConflictsScreen #conflicts { padding: 0 1; }
    ConflictsScreen #conflicts-title { text-style: bold; color: $accent; }
    ConflictsScreen #conflicts-intro { color: $text-muted; }
    ConflictsScreen #conflicts-table { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._ids: list[int] = []

    def compose_body(self) -> ComposeResult:
        """Title, explanation, the table."""
        t = self.t
        with Vertical(id="conflicts"):
            yield Static(Text(t("sync.conflicts.title")), id="conflicts-title")
            yield Static(Text(t("sync.conflicts.intro")), id="conflicts-intro")
            yield SizedTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Columns, then load."""
        super().on_mount()
        t = self.t
        table = self.query_one(DataTable)
        for key in ("record", "field", "kept", "other", "review"):
            table.add_column(t(f"sync.conflicts.{key}"), key=key)
        table.focus()
        self.reload()

    def reload(self) -> None:
        """Load the open conflicts."""
        self.call_store(self.desk.store.conflicts.list_open, self.desk.user.id, then=self._show)

    def action_reload(self) -> None:
        """Load again."""
        self.reload()

    def _show(self, conflicts: list[Any]) -> None:
        t = self.t
        table = self.query_one(DataTable)
        table.clear()
        self._ids = [c.id for c in conflicts]
        for c in conflicts:
            review = Text(t("sync.conflicts.needs_review"), style="bold $warning") if c.needs_review else Text("")
            table.add_row(
                Text(f"{c.entity} {c.label}"), Text(c.field), Text(c.kept_value), Text(c.lost_value), review
            )
        if not conflicts:
            self.notify(t("sync.conflicts.empty"))

    def action_resolve(self, keep: str) -> None:
        """Resolve the highlighted conflict."""
        table = self.query_one(DataTable)
        if not self._ids or table.cursor_row < 0:
            return
        conflict_id = self._ids[table.cursor_row]
        self.call_store(
            self.desk.store.conflicts.resolve, self.desk.user.id, conflict_id, keep, then=self._resolved
        )

    def _resolved(self, _: None) -> None:
        self.notify(self.t("sync.conflicts.resolved"))
        self.reload()

    def action_back(self) -> None:
        """Close the screen."""
        self.dismiss()
