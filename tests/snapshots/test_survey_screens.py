"""Snapshots of the satisfaction survey screens at a fixed size, with fixed data and a frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from csdesk.screens.survey_form import SurveyFormScreen
from csdesk.screens.survey_results import SurveyResultsScreen
from csdesk.screens.surveys import SurveyListScreen
from csdesk.widgets.keyed_table import KeyedTable
from tests.ui.helpers import make_app, wait_for, wait_idle, wait_ready
from tests.ui.survey_desk import make_survey_store

SIZE = (120, 34)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Q3 surveyed and closed (CSAT 50 %), Q4 in progress with three answers of four."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    make_survey_store(Path("desk.sqlite3"))
    return Path("desk.sqlite3")


async def _list(pilot: Pilot) -> SurveyListScreen:
    await wait_ready(pilot)
    await pilot.app.push_screen(SurveyListScreen())
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SurveyListScreen) and bool(pilot.app.screen.campaigns))
    await wait_idle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SurveyListScreen)
    return screen


async def _results(pilot: Pilot) -> None:
    await _list(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SurveyResultsScreen) and pilot.app.screen.results)
    await wait_idle(pilot)


async def _form(pilot: Pilot) -> None:
    await _list(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SurveyFormScreen))
    pilot.app.screen.query_one("#size", Input).value = "4"
    pilot.app.screen.query_one("#fatigue", Input).value = "0"  # this quarter's customers were all surveyed
    table = pilot.app.screen.query_one("#survey-preview", KeyedTable)
    line = pilot.app.screen.query_one("#survey-preview-line")
    await wait_for(pilot, lambda: len(table.shown) == 3 and "sample 4" in str(line.render()))
    pilot.app.screen.query_one("#name", Input).focus()
    await wait_idle(pilot)


def test_survey_list_zh(desk: Path, snap_compare) -> None:
    """Q4 in progress above Q3 closed: population, sample and answers."""
    assert snap_compare(make_app(desk, user="sup"), terminal_size=SIZE, run_before=_list)


def test_survey_results_zh(desk: Path, snap_compare) -> None:
    """CSAT per agent, team, business with the 65 % / 75 % marks; Q3 → Q4 trend (+16.7 points); CJK aligned."""
    assert snap_compare(make_app(desk, user="sup"), terminal_size=SIZE, run_before=_results)


def test_survey_results_en(desk: Path, snap_compare) -> None:
    assert snap_compare(make_app(desk, user="sup", language="en"), terminal_size=SIZE, run_before=_results)


def test_survey_definition_form_en(desk: Path, snap_compare) -> None:
    """The definition form with the live sample per agent (4 of 6: zhao 2 of 2, wang 1 of 3, li 1 of 1)."""
    assert snap_compare(make_app(desk, user="sup", language="en"), terminal_size=SIZE, run_before=_form)
