"""SizedTable: a frame painted before the table measures its rows does not stick.

A table refilled with the same row keys (the business screen's documents, redrawn when
the case cursor lands) is painted once with columns as wide as their labels, before its
idle measures the rows. After measuring, the next paint must show the whole cells.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from csdesk.widgets.keyed_table import KeyedTable
from csdesk.widgets.sized_table import SizedTable

DOCS = ("Valid resident identity card", "Fund redemption request form", "Bank card in the holder's name")


class TableApp(App[None]):
    """One table, nothing else."""

    def compose(self) -> ComposeResult:
        yield SizedTable(cursor_type="row", zebra_stripes=True)


def _fill(table: SizedTable[str]) -> None:
    table.clear(columns=True)
    table.add_column("Document", key="doc")
    table.add_column("Check", key="check")
    for number, name in enumerate(DOCS):
        table.add_row(name, "Received", key=f"d{number}")
    table.move_cursor(row=0)


def _lines(table: SizedTable[str]) -> list[str]:
    return [table.render_line(y).text for y in range(1 + len(DOCS))]


async def test_cells_are_drawn_at_their_measured_width_after_an_early_paint() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(SizedTable)
        _fill(table)
        await pilot.pause()
        _fill(table)
        early = _lines(table)  # painted before the table's idle has measured the new rows
        await pilot.pause()
        assert not table._require_update_dimensions
        late = _lines(table)
    assert "Valid resident identity card" not in early[1]  # the paint the cache used to keep
    for name, line in zip(DOCS, late[1:], strict=True):
        assert name in line and "Received" in line


async def test_keyed_tables_are_sized_tables() -> None:
    assert issubclass(KeyedTable, SizedTable)
