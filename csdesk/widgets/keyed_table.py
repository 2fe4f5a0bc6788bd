"""A DataTable updated by key: only rows whose cells changed are redrawn (live views)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from csdesk.widgets.sized_table import SizedTable

Cells = tuple[str | Text, ...]


class KeyedTable(SizedTable[str | Text]):
    """Rows keyed by id; :meth:`sync` adds, removes and updates only what differs."""

    def __init__(self, columns: Sequence[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._column_keys = [key for key, _ in columns]
        self._column_labels = [label for _, label in columns]
        self.shown: dict[str, Cells] = {}
        #: How many cells were written by :meth:`sync` since mounting (tests read it).
        self.cell_writes = 0

    def on_mount(self) -> None:
        """Add the columns."""
        for key, label in zip(self._column_keys, self._column_labels, strict=True):
            self.add_column(Text(label), key=key)

    def sync(self, rows: Sequence[tuple[str, Cells]]) -> None:
        """Show ``rows`` (key, cells) in this order, touching only changed cells.

        New rows go at the end; when that would not give the order asked for, the table is rebuilt once.
        """
        wanted = dict(rows)
        for key in [k for k in self.shown if k not in wanted]:
            self.remove_row(key)
            del self.shown[key]
        appended = list(self.shown) + [k for k, _ in rows if k not in self.shown]
        if [k for k, _ in rows] != appended:
            cursor = self.cursor_row
            self.clear()
            self.shown = {}
            for key, cells in rows:
                self.add_row(*cells, key=key)
                self.shown[key] = cells
                self.cell_writes += len(cells)
            self.move_cursor(row=min(cursor, max(0, self.row_count - 1)))
            return
        for key, cells in rows:
            old = self.shown.get(key)
            if old is None:
                self.add_row(*cells, key=key)
                self.cell_writes += len(cells)
            else:
                for column, (before, after) in enumerate(zip(old, cells, strict=True)):
                    if before != after:
                        self.update_cell(key, self._column_keys[column], after)
                        self.cell_writes += 1
            self.shown[key] = cells

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
