"""How long closed records are kept (DOMAIN.md: complaint records at least 3 years, configurable)."""

from __future__ import annotations

from datetime import datetime

from csdesk.domain.errors import ValidationError

#: The shortest retention the product allows, and its default.
MIN_RETENTION_YEARS = 3
MAX_RETENTION_YEARS = 100


def check_years(years: int) -> int:
    """``years`` if it is a retention period the firm may choose; else :class:`ValidationError`."""
    if isinstance(years, bool) or not isinstance(years, int) or not MIN_RETENTION_YEARS <= years <= MAX_RETENTION_YEARS:
        raise ValidationError(
            "years",
            f"Records are kept {MIN_RETENTION_YEARS} to {MAX_RETENTION_YEARS} whole years "
            f"(regulation: at least {MIN_RETENTION_YEARS}).",
        )
    return years


def retention_cutoff(now: datetime, years: int) -> datetime:
    """The instant ``years`` calendar years before ``now``; 29 February falls back to the 28th."""
    years = check_years(years)
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)
