"""Charts shared by the supervisor's screens, drawn with textual-plotext.

Plotext measures text in characters, not terminal cells, so titles and legends (which may
be Chinese) are drawn by the screens around the chart, never inside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual_plotext import PlotextPlot

from csdesk.domain.forecast import interval_label

#: Half-hours drawn on day charts: 08:00 to 21:00 (desk hours and a margin).
DAY_START, DAY_END = 16, 42


def day_ticks() -> tuple[list[int], list[str]]:
    """Tick positions and labels every two hours on a day chart."""
    positions = list(range(DAY_START, DAY_END, 4))
    return positions, [interval_label(i) for i in positions]


def chart_caption(title: str, legend: Sequence[tuple[str, str, str]]) -> Text:
    """A chart's title followed by its legend, e.g. ``Arrivals  █ today  ┄ forecast``."""
    text = Text(title)
    for mark, label, style in legend:
        text.append("   ")
        text.append(mark, style=style)
        text.append(f" {label}")
    return text


class DayChart(PlotextPlot):
    """Bars and lines over the half-hours of a day; redrawn only when the data change."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.drawn: tuple[object, ...] | None = None

    def draw(self, bars: Sequence[float] | None, lines: Sequence[tuple[Sequence[float], str]]) -> None:
        """``bars`` (one per half-hour) and ``lines`` ((values, colour)) between 08:00 and 21:00."""
        key = (tuple(bars or ()), tuple((tuple(values), colour) for values, colour in lines))
        if key == self.drawn:
            return
        self.drawn = key
        plt = self.plt
        plt.clear_data()
        xs = list(range(DAY_START, DAY_END))
        if bars is not None:
            plt.bar(xs, [bars[i] for i in xs], color="cyan", width=0.6)
        for values, colour in lines:
            if not any(values):
                continue  # a flat line on the axis only hides it
            plt.plot(xs, [values[i] for i in xs], color=colour, marker="braille")
        positions, labels = day_ticks()
        plt.xticks(positions, labels)
        plt.ylim(0, max([1.0, *(bars or ()), *(v for values, _ in lines for v in values)]) * 1.1)
        self.refresh()


class TrendChart(PlotextPlot):
    """Bars of a share (0–100 %) per labelled day."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.drawn: tuple[object, ...] | None = None

    def draw(self, points: Sequence[tuple[str, float | None]]) -> None:
        """One bar per (label, share); a day without answers shows no bar."""
        key = tuple(points)
        if key == self.drawn:
            return
        self.drawn = key
        plt = self.plt
        plt.clear_data()
        xs = list(range(1, len(points) + 1))
        plt.bar(xs, [0.0 if share is None else round(share * 100, 1) for _, share in points], color="green")
        plt.xticks([], [])  # plotext thins day labels by width, unsteadily: the caption names the days
        plt.ylim(0, 100)
        self.refresh()
