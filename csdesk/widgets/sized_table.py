"""A DataTable that redraws its cells once it has measured them.

Textual's DataTable draws new rows at once but sizes its columns later, on its next idle.
Its cell and row caches are keyed on an update counter that measuring does not move, so
a frame painted in between (a busy desk, a slow terminal) keeps cells cut to the width of
their column labels until something else changes. :class:`SizedTable` moves the counter
each time it measures, so the next frame draws at the measured widths. Measuring runs
once per idle after a change, so this costs one redraw of the visible rows per batch.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable
from textual.widgets.data_table import CellType, RowKey


class SizedTable(DataTable[CellType]):
    """A DataTable whose cells follow its column widths as soon as they are measured."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._update_count += 1  # part of the key of every cell and row cached at the old widths
        self.refresh()
