"""Wallboard, KPI, staffing and QA screens driven with Pilot (DOMAIN.md, "KPIs", "Staffing",
"Service standards and quality")."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Digits, Input, TextArea

from csdesk.screens.kpis import KpiScreen
from csdesk.screens.quality import QaScreen
from csdesk.screens.staffing import StaffingScreen
from csdesk.screens.wallboard import WallboardScreen
from csdesk.widgets.keyed_table import KeyedTable
from tests.ui.helpers import make_app, wait_for, wait_ready
from tests.ui.supervisor_data import make_supervisor_store


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("supervisor") / "desk.sqlite3"
    make_supervisor_store(path).close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, template: Path) -> Path:
    import shutil

    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(template, path)
    return path


async def from_live(pilot, key: str, kind: type) -> object:
    await wait_ready(pilot)
    await pilot.press("f6")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "snapshot", None) is not None)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))
    return pilot.app.screen


async def test_wallboard_big_figures(store_path: Path) -> None:
    """Waiting count in big digits; Escape goes back to the live view."""
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await from_live(pilot, "w", WallboardScreen)
        await wait_for(pilot, lambda: screen.snapshot is not None)
        assert screen.query_one("#wb-waiting", Digits).value == "5"
        assert sum(screen.snapshot.forecast_today) > 0  # history of past Mondays
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, WallboardScreen))


async def test_kpi_screen_cycles_period_and_scope_and_edits_a_target(store_path: Path) -> None:
    """First response per week for the desk; per agent after o o; a supervisor sets the CSAT target to 80 %."""
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await from_live(pilot, "k", KpiScreen)
        await wait_for(pilot, lambda: screen.rows is not None)
        assert "first_response" in {r.kpi for r in screen.rows}
        assert {r.scope for r in screen.rows} == {"desk"}
        await pilot.press("o", "o")
        await wait_for(pilot, lambda: screen.rows and {r.scope for r in screen.rows} == {"agent"})
        assert {r.key for r in screen.rows} >= {"li", "wang"}
        await pilot.press("p")
        await wait_for(
            pilot, lambda: screen.rows and screen.rows[0].bucket.count("-") == 1 and "Q" in screen.rows[0].bucket
        )
        await pilot.press("t")
        await pilot.pause()
        from textual.widgets import OptionList

        options = pilot.app.screen.query_one(OptionList)
        options.highlighted = [options.get_option_at_index(i).id for i in range(options.option_count)].index("csat")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"80", "enter")
        assert app.desk is not None
        await wait_for(pilot, lambda: {t.kpi: t.value for t in app.desk.store.reports.kpi_targets()}["csat"] == 0.8)


async def test_staffing_screen_shows_need_against_roster(store_path: Path) -> None:
    """Forecast from past Mondays, Erlang C need, rostered agents and the gap; ] moves a day."""
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await from_live(pilot, "s", StaffingScreen)
        await wait_for(pilot, lambda: screen.plan is not None)
        ten = screen.plan.intervals[20]  # 10:00
        assert ten.forecast == 4.0  # contacts at 10:05, 10:12, 10:19, 10:26 on each past Monday
        assert ten.rostered == 3 and ten.scheduled >= ten.agents > 0
        assert "10:00" in screen.query_one(KeyedTable).shown
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: screen.plan is not None and screen.plan.day == "2026-11-24")
        assert screen.plan.intervals[20].forecast == 0


async def test_qa_screen_scores_and_agents_see_their_own(store_path: Path) -> None:
    """An inspector scores a sampled ticket on the sheet; an agent sees only their results and may file anonymously."""
    app = make_app(store_path, user="qa", language="en")
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"QA")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, QaScreen) and bool(pilot.app.screen.reviews))
        screen = pilot.app.screen
        table = screen.query_one("#qa-reviews", KeyedTable)
        unscored = next(r for r in screen.reviews if r.status == "sampled")
        table.move_cursor(row=list(table.shown).index(unscored.id))
        table.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query(Input)))
        form = pilot.app.screen
        for field in form.query(Input):
            field.value = "5"
        form.query_one(TextArea).text = "Model call"
        await pilot.press("ctrl+s")
        assert app.desk is not None
        await wait_for(pilot, lambda: app.desk.store.qa.review("qa", unscored.id).score == 100)

    agent_app = make_app(store_path, user="li", language="en")
    async with agent_app.run_test(size=(130, 40)) as pilot:
        await wait_ready(pilot)
        agent_app.push_screen(QaScreen())
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, QaScreen))
        screen = pilot.app.screen
        await wait_for(pilot, lambda: bool(screen.reviews))
        assert {r.agent_id for r in screen.reviews} == {"li"}
        assert not screen.query("#qa-whistle")
        await pilot.press("b")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query(TextArea)))
        pilot.app.screen.query_one(TextArea).text = "A colleague shares passwords."
        await pilot.press("ctrl+s")
        assert agent_app.desk is not None
        await wait_for(pilot, lambda: len(agent_app.desk.store.qa.reports("sup")) == 2)
