"""Small presentation helpers: ages, fixed-width cells that respect CJK width."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text


def age(since: datetime, now: datetime) -> str:
    """A compact age: 45s, 12m, 3h, 5d."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def cell(value: str | Text, width: int, style: str = "") -> Text:
    """``value`` cut or padded to exactly ``width`` terminal cells (CJK counts double)."""
    text = value.copy() if isinstance(value, Text) else Text(value, style=style)
    text.no_wrap = True
    if cell_len(text.plain) > width:
        text.truncate(width, overflow="ellipsis")
    text.truncate(width, pad=True)
    return text


def when(moment: datetime | None) -> str:
    """A local-time timestamp for timelines, or an empty string."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
