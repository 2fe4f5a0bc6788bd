"""Snapshots of the trainer console (F7) on a demo store, with a frozen clock and a scenario under way."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from csdesk.domain.clock import FrozenClock
from csdesk.screens.trainer import TrainerScreen
from tests.ui.helpers import make_app, wait_for, wait_idle, wait_ready

SIZE = (120, 36)


@pytest.fixture
def demo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    return Path("demo.sqlite3")


def console_with_run(scenario_id: str, minutes: int, trainee_works: bool):
    async def run_before(pilot: Pilot) -> None:
        app = pilot.app
        await wait_ready(pilot)
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.current_mode == "trainer")
        screen = app.screen
        assert isinstance(screen, TrainerScreen)
        await wait_for(pilot, lambda: bool(screen.scenario_list) and screen.snapshot is not None)
        await pilot.press(*["down"] * [s.id for s in screen.scenario_list].index(scenario_id))
        await pilot.press("s")
        await wait_for(pilot, lambda: screen.snapshot is not None and screen.snapshot.run is not None)
        store, clock = app.desk.store, app.launch.clock
        assert isinstance(clock, FrozenClock) and screen.snapshot and screen.snapshot.run
        run_id = screen.snapshot.run.id
        store.trainer.tick("david.wong", run_id)  # the first contact arrives at the start, whoever ticks first
        for _ in range(minutes):
            clock.advance(timedelta(minutes=1))
            store.trainer.tick("david.wong", run_id)
        if trainee_works:
            store.kb.ensure_indexed()
            ticket_id = store.trainer.run_tickets("david.wong", run_id)[0]
            store.claim_ticket("li.na", ticket_id)
            store.kb.use_in_ticket("li.na", ticket_id, "card-loss-report", "zh-CN")
            customer = store.get_ticket_row("li.na", ticket_id).customer_id
            store.reveal("li.na", customer, "card_no", ticket_id)
        screen.reload()
        await wait_idle(pilot)
        await pilot.pause(1.2)  # one tick of the console's own timer: nothing new is due
        await wait_idle(pilot)
        app.clear_notifications()
        await pilot.pause()

    return run_before


def test_trainer_console_zh_lost_card_scored(demo_store: Path, snap_compare) -> None:
    """Briefing, run state, the trainee's actions marked ▶, the score with reasons, in Chinese."""
    app = make_app(demo_store, user="david.wong", language="zh-CN", demo=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=console_with_run("lost-card", 2, True))


def test_trainer_console_en_mass_complaint_arriving(demo_store: Path, snap_compare) -> None:
    """Complainants arriving one after another, nobody answering yet, in English."""
    app = make_app(demo_store, user="david.wong", language="en", demo=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=console_with_run("mass-complaint", 4, False))
