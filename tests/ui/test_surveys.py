"""Survey campaigns in the app, by keyboard: definition with a live preview → launch → answers → results.

Issue 12 "Done when": Pilot tests drive a campaign from definition to results.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from csdesk.app import CsdeskApp
from csdesk.data.store import Store
from csdesk.screens.callback_forms import OutcomeScreen
from csdesk.screens.live import LiveScreen
from csdesk.screens.pickers import ChoicePicker
from csdesk.screens.survey_answers import SurveyAnswers
from csdesk.screens.survey_form import SurveyFormScreen
from csdesk.screens.survey_results import SurveyResultsScreen
from csdesk.screens.surveys import SurveyListScreen
from csdesk.widgets.keyed_table import KeyedTable
from tests.ui.helpers import frozen_clock, make_app, make_desk_store, wait_for, wait_idle, wait_ready
from tests.ui.survey_desk import AGENTS, serve


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """The UI desk where zhao served three customers this quarter, wang two and li one."""
    path = tmp_path / "desk.sqlite3"
    store = make_desk_store(path)
    for user_id, name, team in AGENTS:
        store.add_user("sup", user_id, name, "agent", team)
    serve(store, ("zhao", "zhao", "zhao", "wang", "wang", "li"), 1)
    store.close()
    return path


def _errors(app: CsdeskApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def _replace(pilot, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def test_campaign_from_definition_to_results(store_path: Path) -> None:
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        store = app.desk.store
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen))
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, SurveyListScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SurveyFormScreen))
        form = app.screen
        line = form.query_one("#survey-preview-line", Static)
        # the default sample (20) exceeds the population: the preview says so with both numbers
        await wait_for(pilot, lambda: "only 6 customers" in str(line.render()))
        await _replace(pilot, "#size", "4")
        preview = form.query_one("#survey-preview", KeyedTable)
        await wait_for(pilot, lambda: set(preview.shown) == {"zhao", "wang", "li"})
        assert "Population 6 · sample 4" in str(line.render())
        await _replace(pilot, "#name", "Q4 served customers")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SurveyListScreen) and bool(app.screen.campaigns))
        [campaign] = app.screen.campaigns
        assert (campaign.name, campaign.status, campaign.sample_size) == ("Q4 served customers", "defined", 4)

        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoicePicker))
        assert "4 of 6 customers, 3 agents measured" in app.screen.title_text
        await pilot.press("up", "enter")  # the picker starts on "Not now"
        await wait_for(pilot, lambda: isinstance(app.screen, SurveyListScreen) and app.screen.campaigns[0].sampled)
        assert app.screen.campaigns[0].status == "launched" and not _errors(app)

        calls = [cb for cb in store.callbacks.find("sup") if cb.purpose == "satisfaction_survey"]
        assert len(calls) == 4
        for callback, scores in zip(calls[:2], ("543", "234"), strict=True):
            await app.push_screen(OutcomeScreen(callback))
            await wait_for(pilot, lambda: bool(app.screen.query(SurveyAnswers)))
            assert not app.screen.query_one("#score").display
            for number, score in enumerate(scores):
                app.screen.query_one(f"#survey-q{number}", Input).focus()
                await pilot.press(score)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, SurveyListScreen))
        assert not _errors(app)

        await pilot.press("r")
        await wait_for(pilot, lambda: app.screen.campaigns[0].answered == 2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SurveyResultsScreen) and app.screen.results is not None)
        await wait_idle(pilot)
        overall = str(app.screen.query_one("#survey-overall", Static).render())
        assert "CSAT 50.0 % (1 of 2 answers 4–5)" in overall and "responded 2/4" in overall
        assert "below the 65 % target" in overall
        trend = str(app.screen.query_one("#survey-trend", Static).render())
        assert "2026-Q4" in trend and "target 65 %" in trend and "goal 75 %" in trend


async def test_a_wrong_score_stays_on_the_form(store_path: Path) -> None:
    """A score outside 1–5 is refused in the form with the rule; nothing is recorded."""
    store = Store.open(store_path, desk_id="D01", clock=frozen_clock())
    campaign = store.surveys.define("sup", name="Q4", start="2026-10-01", end="2026-11-23", sample_size=3)
    store.surveys.launch("sup", campaign.id)
    callback = next(cb for cb in store.callbacks.find("sup") if cb.purpose == "satisfaction_survey")
    store.close()
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        await app.push_screen(OutcomeScreen(callback))
        await wait_for(pilot, lambda: bool(app.screen.query(SurveyAnswers)))
        app.screen.query_one("#survey-q0", Input).focus()
        await pilot.press("7", "ctrl+s")
        await pilot.pause()
        assert "score from 1 (very unsatisfied) to 5" in str(app.screen.query_one("#form-error", Static).render())
        assert isinstance(app.screen, OutcomeScreen)
        assert app.desk is not None and app.desk.store.callbacks.get("sup", callback.id).attempts == 0


async def test_a_team_lead_reads_campaigns_but_does_not_define_them(store_path: Path) -> None:
    """Defining is a supervisor's; the form is not opened for others (it would preview as they type)."""
    store = Store.open(store_path, desk_id="D01", clock=frozen_clock())
    store.surveys.define("sup", name="Q4", start="2026-10-01", end="2026-11-23", sample_size=3)
    store.close()
    app = make_app(store_path, user="lead", language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        await app.push_screen(SurveyListScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, SurveyListScreen) and bool(app.screen.campaigns))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SurveyListScreen)
        assert any("Only a supervisor" in str(n.message) for n in app._notifications)
