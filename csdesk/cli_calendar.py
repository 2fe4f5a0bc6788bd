"""``csdesk calendar``: which years' public-holiday notices the deadlines are counted with.

Complaint deadlines and desk hours skip China's public holidays and count make-up
working days; a year without its State Council notice only skips weekends. The command
lists the years known (shipped or from the desk's ``holidays.toml``), says which coming
year is missing, and ``--check FILE`` validates a notice file before it is put in place.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.cells import cell_len

from csdesk.cli import app, fail


@app.command("calendar")
def calendar(
    check: Annotated[
        Path | None, typer.Option("--check", help="Validate a holidays.toml without installing it.", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The holiday calendar in force: years known, where each notice comes from, what is missing."""
    from csdesk.data.holiday_files import load_local_holidays, local_holiday_file
    from csdesk.domain.cn_holidays import YEARS
    from csdesk.domain.errors import ValidationError
    from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

    target = check or local_holiday_file()
    if check is not None and not check.is_file():
        raise fail(f"There is no file {check}.")
    calendar_ = CN_CALENDAR if check is None else HolidayCalendar((), (), ())
    try:
        local = {s.year for s in load_local_holidays(target, calendar_)}
    except ValidationError as exc:
        raise fail(exc.message) from None
    if check is not None:
        typer.echo(f"{check}: {len(local)} year(s) valid: {', '.join(map(str, sorted(local)))}.")
        return
    next_year = date.today().year + 1
    years = [
        {"year": y, "notice": CN_CALENDAR.notices.get(y, ""), "source": str(target) if y in local else "shipped"}
        for y in sorted(CN_CALENDAR.years)
    ]
    missing = [y for y in (next_year - 1, next_year) if y not in CN_CALENDAR.years]
    if as_json:
        typer.echo(json.dumps({"years": years, "missing": missing, "file": str(target)}, ensure_ascii=False))
        return
    for row in years:
        notice = row["notice"] or "-"
        typer.echo(f"{row['year']}  {notice}{' ' * max(1, 24 - cell_len(notice))}  {row['source']}")
    state = "" if target.exists() else " (none yet)"
    typer.echo(f"Desk notice file: {target}{state}; shipped: {YEARS[0]}–{YEARS[-1]}.")
    for year in missing:
        typer.echo(
            f"Missing: {year}. Deadlines in {year} only skip weekends until its notice is added to {target} "
            "(format: README, \"Public-holiday calendar\"; check it first with --check FILE)."
        )
