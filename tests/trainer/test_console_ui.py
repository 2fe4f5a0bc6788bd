"""The trainer console driven with Pilot: pick a scenario, start it, let the trainee work, read the score."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from csdesk.app import CsdeskApp
from csdesk.data.scenario_files import load_scenarios
from csdesk.domain.clock import FrozenClock
from csdesk.screens.trainer import TrainerScreen
from tests.trainer.conftest import TRAINER
from tests.trainer.trainees import good_trainee, sloppy_trainee
from tests.ui.helpers import make_app, wait_for, wait_idle, wait_ready

SCENARIOS, _ = load_scenarios()


@pytest.fixture
def demo_path(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return path


async def open_console(pilot: Pilot) -> TrainerScreen:
    await wait_ready(pilot)
    await pilot.press("f7")
    await wait_for(pilot, lambda: pilot.app.current_mode == "trainer")
    screen = pilot.app.screen
    assert isinstance(screen, TrainerScreen)
    await wait_for(pilot, lambda: bool(screen.scenario_list) and screen.snapshot is not None)
    return screen


async def start(pilot: Pilot, screen: TrainerScreen, scenario_id: str) -> str:
    """Highlight ``scenario_id`` with the arrow keys, press s, wait for the run."""
    index = [s.id for s in screen.scenario_list].index(scenario_id)
    await pilot.press(*["down"] * index)
    selected = screen.selected()
    assert selected is not None and selected.id == scenario_id
    await pilot.press("s")
    await wait_for(pilot, lambda: screen.snapshot is not None and screen.snapshot.run is not None)
    assert screen.snapshot is not None and screen.snapshot.run is not None
    return screen.snapshot.run.id


async def finish(pilot: Pilot, screen: TrainerScreen) -> str:
    """Press x and wait for the recorded score; return the score panel's text."""
    await pilot.press("x")
    await wait_for(pilot, lambda: screen.snapshot is not None and screen.snapshot.run is not None
                   and screen.snapshot.run.finished)
    await wait_idle(pilot)
    return panel_text(screen, "#trainer-score")


def clock_of(app: CsdeskApp) -> FrozenClock:
    clock = app.launch.clock
    assert isinstance(clock, FrozenClock)
    return clock


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
async def test_each_scenario_played_from_the_console_scores_full_marks(demo_path: Path, scenario_id: str) -> None:
    """The trainer starts each scenario from the console; a trainee who does it right gets 100 on screen."""
    app = make_app(demo_path, user=TRAINER, language="en", demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_console(pilot)
        run_id = await start(pilot, screen, scenario_id)
        assert app.desk is not None
        good_trainee(app.desk.store, clock_of(app), run_id, SCENARIOS[scenario_id])
        score = await finish(pilot, screen)
        assert screen.snapshot is not None and screen.snapshot.report is not None
        assert screen.snapshot.report.percent == 100
        assert "100 %" in score and "✘" not in score


async def test_a_sloppy_trainee_sees_why_on_screen_in_chinese(demo_path: Path) -> None:
    """Reasons are shown translated: the needless reveal, the wrong article, the late answer."""
    app = make_app(demo_path, user=TRAINER, language="zh-CN", demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_console(pilot)
        run_id = await start(pilot, screen, "lost-card")
        assert app.desk is not None
        sloppy_trainee(app.desk.store, clock_of(app), run_id, SCENARIOS["lost-card"])
        score = await finish(pilot, screen)
        report = screen.snapshot.report if screen.snapshot else None
        assert report is not None and report.percent <= 40
        for words in ("无必要地查看了", "正确文章为 card-loss-report", "秒后才应答"):
            assert words in score, words
        assert "▶ li.na" in panel_text(screen, "#trainer-feed")  # the trainee's own actions are marked


def panel_text(screen: TrainerScreen, selector: str) -> str:
    """What a panel of the console shows, as plain text (rendered by rich at 200 columns)."""
    import io

    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(screen.query_one(selector, Static).content)  # type: ignore[arg-type]
    return console.export_text()


async def test_the_trainee_cannot_open_the_console(demo_path: Path) -> None:
    """Agents (the trainee) are refused the trainer's area; the store refuses them too."""
    app = make_app(demo_path, user="li.na", language="en", demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert app.current_mode == "queue"
