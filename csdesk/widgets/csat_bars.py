"""Text bar charts of CSAT shares with the target marked (rich ``Text``, CJK-width aligned).

A row is ``label | bar | share | answered/sampled``: the bar fills the share of its width,
the 65 % floor is drawn ``┆`` and the 75 % goal ``┃`` on every bar, so rows and quarters
are read against the same lines. Labels are padded by terminal cells, not characters.
"""

from __future__ import annotations

from rich.text import Text

from csdesk.widgets.formatting import cell

BAR = 30
LABEL = 20
STYLE = {"below": "red", "floor": "yellow", "goal": "green", "none": "dim"}


def bar(share: float | None, marks: tuple[float, float], width: int = BAR, style: str = "") -> Text:
    """``width`` cells: the filled share, and the floor and goal marks on top."""
    filled = 0 if share is None else round(max(0.0, min(1.0, share)) * width)
    floor_at, goal_at = (min(width - 1, round(mark * width)) for mark in marks)
    text = Text()
    for position in range(width):
        if position == goal_at:
            text.append("┃", style="bold")
        elif position == floor_at:
            text.append("┆", style="bold")
        elif position < filled:
            text.append("█", style=style)
        else:
            text.append("·", style="dim")
    return text


def percent(share: float | None) -> str:
    """``72.5 %``, or ``-`` without answers."""
    return "-" if share is None else f"{share * 100:.1f} %"


def bar_row(label: str, share: float | None, mark: str, tail: str, marks: tuple[float, float]) -> Text:
    """One aligned row: label, bar, share and a tail (counts, change)."""
    row = cell(label, LABEL)
    row.append(" ")
    row.append_text(bar(share, marks, style=STYLE.get(mark, "")))
    row.append(" ")
    row.append_text(cell(percent(share), 8, STYLE.get(mark, "")))
    row.append(" " + tail, style="dim")
    return row


def scale(marks: tuple[float, float], floor_label: str, goal_label: str) -> Text:
    """The line under a chart naming the two marks, aligned with the bars."""
    floor_at, goal_at = (min(BAR - 1, round(mark * BAR)) for mark in marks)
    line = Text(" " * (LABEL + 1 + floor_at))
    line.append("┆", style="bold")
    line.append(" " * (goal_at - floor_at - 1))
    line.append("┃", style="bold")
    line.append(f"  ┆ {floor_label}  ┃ {goal_label}", style="dim")
    return line
