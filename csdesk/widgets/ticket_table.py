"""A virtual ticket table: draws only the visible rows, fetching pages on demand.

The table never holds the whole queue. It knows the row count, keeps a small cache of
pages, and asks its screen for a missing page with :class:`TicketTable.NeedPage`; the
screen loads it in a thread worker and hands it back with :meth:`TicketTable.put_page`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from csdesk.data.api import TicketRow
from csdesk.domain.sanitize import sanitize_line
from csdesk.domain.sla import SlaMode
from csdesk.domain.sla_due import Badge, badge, compact
from csdesk.i18n import Translator
from csdesk.widgets.cursor_list import CursorList
from csdesk.widgets.formatting import age, cell

PAGE_SIZE = 200
MAX_PAGES = 12


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its label key, its width in cells (0 = takes the rest)."""

    key: str
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("ref", 12),
    Column("age", 5),
    Column("sla", 8),
    Column("kind", 10),
    Column("channel", 10),
    Column("priority", 8),
    Column("customer", 14),
    Column("subject", 0),
    Column("assignee", 10),
    Column("status", 18),
)
MIN_FLEX = 16
PRIORITY_STYLES = {"urgent": "bold red", "high": "yellow"}
STATUS_STYLES = {"new": "bold cyan", "waiting_customer": "magenta", "waiting_department": "magenta", "closed": "dim"}


def column_widths(total: int) -> list[int]:
    """Widths of :data:`COLUMNS` for a table ``total`` cells wide (one-cell gaps)."""
    fixed = sum(c.width for c in COLUMNS) + len(COLUMNS) - 1
    flex = max(MIN_FLEX, total - fixed)
    return [c.width or flex for c in COLUMNS]


SLA_STYLES = {
    "ok": "green",
    "warning": "bold yellow",
    "breached": "bold white on red",
    "paused": "cyan",
    "met": "dim green",
    "none": "dim",
}


def sla_badge(row: TicketRow, now: datetime) -> Badge:
    """The SLA state of the row's current target at ``now``."""
    return badge(
        row.sla_due,
        timedelta(seconds=row.sla_total_s),
        now,
        mode=SlaMode(row.sla_mode),
        paused_at=row.sla_paused_at,
        done_at=row.sla_done_at,
    )


def sla_cell(row: TicketRow, now: datetime) -> Text:
    """Remaining time coloured ok / warning (≤ 20 % left) / breached; paused shown as paused."""
    shown = sla_badge(row, now)
    if shown.status == "none":
        return Text("—", style="dim")
    if shown.status == "met":
        return Text("✓", style=SLA_STYLES["met"])
    prefix = "⏸" if shown.status == "paused" else ""
    return Text(prefix + compact(shown.remaining), style=SLA_STYLES[shown.status])


def render_cells(row: TicketRow, t: Translator, now: datetime) -> list[Text]:
    """The cells of one row, before sizing. Customer text is sanitised and never markup."""
    customer = Text()
    if row.customer_vip:
        customer.append("★", style="bold yellow")
    customer.append(sanitize_line(row.customer_name or ""))
    return [
        Text(row.ref),
        Text(age(row.created_at, now), style="dim"),
        sla_cell(row, now),
        Text(t.label("kind", row.kind)),
        Text(t.label("channel", row.channel)),
        Text(t.label("priority", row.priority), style=PRIORITY_STYLES.get(row.priority, "")),
        customer,
        Text(sanitize_line(row.subject)),
        Text(sanitize_line(row.assignee_name or "—")),
        Text(t.label("status", row.status), style=STATUS_STYLES.get(row.status, "")),
    ]


def join_cells(cells: list[Text], widths: list[int]) -> Text:
    """Cells cut to their widths and joined with single spaces."""
    line = Text(no_wrap=True)
    for index, (value, width) in enumerate(zip(cells, widths, strict=True)):
        if index:
            line.append(" ")
        line.append_text(cell(value, width))
    return line


class TicketTableHeader(Widget):
    """The column titles, aligned with :class:`TicketTable`."""

    DEFAULT_CSS = "TicketTableHeader { height: 1; background: $panel; text-style: bold; }"

    def __init__(self, t: Translator, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.t = t

    def render(self) -> Text:
        """Titles sized like the rows below."""
        widths = column_widths(self.size.width - 1)
        return join_cells([Text(self.t(f"queue.col.{c.key}")) for c in COLUMNS], widths)


class TicketTable(CursorList):
    """The queue as a virtual table."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open", id="queue.open")]
    DEFAULT_CSS = """
    TicketTable { height: 1fr; scrollbar-gutter: stable; }
    """

    class NeedPage(Message):
        """The table has no rows for ``page``; load them."""

        def __init__(self, page: int) -> None:
            super().__init__()
            self.page = page

    class Selected(Message):
        """A row was chosen (Enter or double click)."""

        def __init__(self, row: TicketRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, t: Translator, now: Callable[[], datetime], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.t = t
        self.now = now
        self.total = 0
        self._pages: dict[int, list[TicketRow]] = {}
        self._stale: dict[int, list[TicketRow]] = {}
        self._pending: set[int] = set()
        self._generation = 0

    # ------------------------------------------------------------- data
    def reset(self, total: int, *, keep_showing: bool = False) -> int:
        """Start over with ``total`` rows; returns the generation to tag pages with.

        ``keep_showing`` (a refresh of the same filter) keeps drawing the rows already
        loaded until their fresh pages arrive, so a refresh never blanks the table.
        """
        self._generation += 1
        self.total = total
        self._stale = dict(self._pages) if keep_showing else {}
        self._pages.clear()
        self._pending.clear()
        self.cursor = min(self.cursor, max(0, total - 1))
        self.virtual_size = Size(self.size.width, total)
        self.refresh()
        return self._generation

    def put_page(self, generation: int, page: int, rows: list[TicketRow]) -> None:
        """Rows of ``page`` arrived (ignored if a newer reset happened meanwhile)."""
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._stale.pop(page, None)
        self._pages[page] = rows
        if len(self._pages) > MAX_PAGES:
            visible = self.scroll_offset.y // PAGE_SIZE
            far = max(self._pages, key=lambda p: abs(p - visible))
            del self._pages[far]
        self.refresh()

    @property
    def generation(self) -> int:
        """Tag of the current data set."""
        return self._generation

    def row_at(self, index: int) -> TicketRow | None:
        """The row at ``index`` if loaded; requests its page otherwise."""
        if not 0 <= index < self.total:
            return None
        page, offset = divmod(index, PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._pending:
                self._pending.add(page)
                self.post_message(self.NeedPage(page))
            rows = self._stale.get(page)
            return rows[offset] if rows is not None and offset < len(rows) else None
        return rows[offset] if offset < len(rows) else None

    def loaded_rows(self) -> list[TicketRow]:
        """Every row currently held in the page cache."""
        return [row for page in self._pages.values() for row in page]

    @property
    def current(self) -> TicketRow | None:
        """The row under the cursor."""
        return self.row_at(self.cursor)

    # ------------------------------------------------------------- drawing
    @property
    def item_count(self) -> int:
        """Rows in the current data set."""
        return self.total

    def render_item_line(self, index: int, part: int, width: int) -> Text:
        """A ticket's cells fitted to ``width`` (a dim placeholder while its page loads)."""
        row = self.row_at(index)
        if row is None:
            return Text(self.t("queue.loading"), style="dim")
        return join_cells(render_cells(row, self.t, self.now()), column_widths(width))

    def action_select(self) -> None:
        """Open the row under the cursor."""
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row))
