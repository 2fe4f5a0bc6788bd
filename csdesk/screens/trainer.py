"""The trainer console (F7): pick a scenario, read its briefing, run it, watch, score.

Demo mode only. The simulator ticks once a second in a store worker (never two at once):
contacts arrive, customers answer, and the feed shows what the trainee does (their
own actions marked ▶). Speed ×1 to ×60 and pause drive the desk's simulated clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from csdesk.data.trainer_api import ClockState, FeedEntry, RunInfo, ScenarioInfo
from csdesk.domain.scoring import ScoreReport
from csdesk.screens.base import DeskScreen
from csdesk.widgets.formatting import cell

SPEEDS = (1, 2, 5, 10, 30, 60)
TICK_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the console shows about the current run, loaded in one worker."""

    run: RunInfo | None
    clock: ClockState
    feed: list[FeedEntry]
    report: ScoreReport | None


class TrainerScreen(DeskScreen):
    """Scenarios on the left; briefing, run state, live feed and score on the right."""

    TITLE_KEY = "trainer.title"
    AUTO_FOCUS = "#trainer-scenarios"
    BINDINGS = [
        Binding("s", "start", "Start", id="trainer.start"),
        Binding("space", "pause", "Pause/resume", id="trainer.pause"),
        Binding("plus,equals_sign", "faster", "Faster", id="trainer.faster", key_display="+"),
        Binding("minus", "slower", "Slower", id="trainer.slower", key_display="-"),
        Binding("x", "finish", "Finish and score", id="trainer.finish"),
        Binding("e", "export", "Export score", id="trainer.export"),
        Binding("r", "reload", "Refresh", id="trainer.refresh", show=False),
    ]
    DEFAULT_CSS = """
    TrainerScreen #trainer-body { height: 1fr; }
    TrainerScreen #trainer-left { width: 34; border-right: vkey $panel; padding: 0 1; }
    TrainerScreen #trainer-scenarios { height: 1fr; border: none; }
    TrainerScreen #trainer-right { padding: 0 1; }
    TrainerScreen .trainer-heading { text-style: bold; color: $accent; }
    TrainerScreen #trainer-briefing { height: auto; max-height: 9; margin-bottom: 1; }
    TrainerScreen #trainer-status { height: auto; }
    TrainerScreen #trainer-live { height: 1fr; }
    TrainerScreen #trainer-problems { color: $warning; height: auto; }
    TrainerScreen #trainer-not-demo { padding: 1 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.scenario_list: list[ScenarioInfo] = []
        self.snapshot: Snapshot | None = None
        self._ticking = False

    # ------------------------------------------------------------------ layout
    def compose_body(self) -> ComposeResult:
        """Two columns on a demo store; one sentence on a live one."""
        if not self.desk.is_demo:
            yield Static(Text(self.t("trainer.not_demo")), id="trainer-not-demo")
            return
        with Horizontal(id="trainer-body"):
            with Vertical(id="trainer-left"):
                yield Static(Text(self.t("trainer.scenarios")), classes="trainer-heading")
                yield OptionList(id="trainer-scenarios")
                yield Static(id="trainer-problems")
            with Vertical(id="trainer-right"):
                yield Static(id="trainer-briefing")
                yield Static(id="trainer-status")
                with VerticalScroll(id="trainer-live"):
                    yield Static(id="trainer-feed")
                    yield Static(id="trainer-score")

    def on_mount(self) -> None:
        """Load scenarios and the newest run; tick once a second."""
        super().on_mount()
        if self.desk.is_demo:
            self.reload()
            self.set_interval(TICK_SECONDS, self._tick)

    def reload(self) -> None:
        """Scenarios and run state from the store."""
        if self.desk.is_demo:
            self.call_store(self._load_catalogue, then=self._show_catalogue)
            self._refresh_run()

    def action_reload(self) -> None:
        """Reload everything."""
        self.reload()

    # ------------------------------------------------------------------ scenarios
    def _load_catalogue(self) -> tuple[list[ScenarioInfo], list[str]]:
        trainer = self.desk.store.trainer
        return trainer.scenarios(), [str(p) for p in trainer.problems()]

    def _show_catalogue(self, loaded: tuple[list[ScenarioInfo], list[str]]) -> None:
        scenarios, problems = loaded
        self.scenario_list = scenarios
        options = self.query_one("#trainer-scenarios", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        language = self.t.language
        options.add_options([Option(Text(s.title.get(language)), id=s.id) for s in scenarios])
        if scenarios:
            options.highlighted = highlighted if highlighted is not None and highlighted < len(scenarios) else 0
        lines = [self.t("trainer.problem", problem=p) for p in problems]
        self.query_one("#trainer-problems", Static).update(Text("\n".join(lines)))
        self._show_briefing()

    def selected(self) -> ScenarioInfo | None:
        """The highlighted scenario."""
        if not self.scenario_list:
            return None
        index = self.query_one("#trainer-scenarios", OptionList).highlighted
        return self.scenario_list[index] if index is not None and index < len(self.scenario_list) else None

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        """Show the briefing of the highlighted scenario."""
        self._show_briefing()

    def _show_briefing(self) -> None:
        scenario = self.selected()
        body = self.query_one("#trainer-briefing", Static)
        if scenario is None:
            body.update(Text(self.t("trainer.no_scenarios")))
            return
        t = self.t
        separator = "、" if t.language == "zh-CN" else ", "
        checks = separator.join(t(f"trainer.check.{c}") for c in scenario.checks)
        text = Text()
        text.append(f"{t('trainer.briefing')}: {scenario.title.get(t.language)}\n", style="bold")
        text.append(scenario.briefing.get(t.language).strip() + "\n")
        text.append(
            t("trainer.scenario_facts", minutes=scenario.minutes, contacts=scenario.contacts, checks=checks),
            style="dim",
        )
        body.update(text)

    # ------------------------------------------------------------------ run state
    def _load_snapshot(self) -> Snapshot:
        trainer, actor = self.desk.store.trainer, self.desk.user.id
        run = trainer.latest_run(actor)
        if run is None:
            return Snapshot(None, trainer.clock_state(), [], None)
        return Snapshot(run, trainer.clock_state(), trainer.feed(actor, run.id, 12), trainer.score(actor, run.id))

    def _refresh_run(self) -> None:
        self.call_store(self._load_snapshot, then=self._show_snapshot)

    def _tick(self) -> None:
        snapshot = self.snapshot
        if self._ticking or snapshot is None or snapshot.run is None or snapshot.run.finished:
            return
        self._ticking = True
        run_id = snapshot.run.id

        def job() -> Snapshot:
            try:
                self.desk.store.trainer.tick(self.desk.user.id, run_id)
                return self._load_snapshot()
            finally:
                self._ticking = False

        self.call_store(job, then=self._show_snapshot)

    def _show_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.query_one("#trainer-status", Static).update(self._status(snapshot))
        self.query_one("#trainer-feed", Static).update(self._feed(snapshot.feed))
        self.query_one("#trainer-score", Static).update(self._score(snapshot.report))

    def _status(self, snapshot: Snapshot) -> Text:
        t, run, clock = self.t, snapshot.run, snapshot.clock
        moment = clock.now.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if not clock.adjustable:
            clock_line = t("trainer.clock_fixed", time=moment)
        elif clock.paused:
            clock_line = t("trainer.clock_paused", time=moment, speed=f"{clock.factor:g}")
        else:
            clock_line = t("trainer.clock", time=moment, speed=f"{clock.factor:g}")
        text = Text()
        if run is None:
            text.append(t("trainer.idle"))
        else:
            titles = {s.id: s.title.get(t.language) for s in self.scenario_list}
            title = titles.get(run.scenario_id, run.scenario_id)
            if run.finished:
                text.append(t("trainer.finished", scenario=title, trainee=run.trainee), style="bold")
            else:
                elapsed = max(clock.now - run.started_at, timedelta(0))
                minutes, seconds = divmod(int(elapsed.total_seconds()), 60)
                text.append(
                    t("trainer.running", scenario=title, trainee=run.trainee, played=run.played, planned=run.planned,
                      elapsed=f"{minutes}:{seconds:02d}"),
                    style="bold",
                )
        text.append("\n" + clock_line, style="dim")
        return text

    def _feed(self, feed: list[FeedEntry]) -> Group | Text:
        t = self.t
        heading = Text(t("trainer.feed"), style="bold")
        if not feed:
            return Group(heading, Text(t("trainer.feed_empty"), style="dim"))
        table = Table(box=None, pad_edge=False, show_edge=False, expand=True)
        for key, ratio in (("time", 0), ("who", 0), ("ticket", 0), ("what", 0), ("detail", 1)):
            table.add_column(t(f"trainer.col.{key}"), ratio=ratio or None, no_wrap=True, overflow="ellipsis")
        for entry in reversed(feed):
            style = "bold" if entry.by_trainee else "dim"
            marker = "▶ " if entry.by_trainee else "  "
            table.add_row(
                entry.at.astimezone().strftime("%H:%M:%S"),
                Text(marker + entry.actor, style=style),
                entry.ticket_ref,
                cell(t(f"trainer.event.{entry.kind}"), 16),
                Text(t.label("status", entry.detail) if entry.kind == "ticket.status_changed" else entry.detail),
            )
        return Group(heading, table)

    def _score(self, report: ScoreReport | None) -> Group | Text:
        if report is None:
            return Text("")
        t = self.t
        table = Table(box=None, pad_edge=False, show_edge=False, expand=True)
        table.add_column(t("trainer.col.check"), no_wrap=True)
        table.add_column(t("trainer.col.points"), justify="right", no_wrap=True)
        table.add_column(t("trainer.col.reason"), ratio=1)
        for result in report.results:
            mark, style = ("✔", "green") if result.passed else ("✘", "red" if result.earned == 0 else "yellow")
            table.add_row(
                Text(f"{mark} {t(f'trainer.check.{result.check}')}", style=style),
                f"{result.earned}/{result.points}",
                Text(t(f"trainer.reason.{result.code}", **result.values)),
            )
        total = Text(
            f"{t('trainer.score')} · "
            + t("trainer.total", earned=report.earned, possible=report.possible, percent=report.percent),
            style="bold",
        )
        return Group(Text(""), total, table)

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The console's keys exist only on a demo store."""
        if action in ("start", "pause", "faster", "slower", "finish", "export", "reload"):
            return self.desk.is_demo
        return True

    def action_start(self) -> None:
        """Start the highlighted scenario for the demo trainee."""
        scenario = self.selected()
        if scenario is None or not self.desk.is_demo:
            return
        trainer = self.desk.store.trainer

        def started(run: RunInfo) -> None:
            self.notify(self.t("trainer.started", trainee=run.trainee))
            self._refresh_run()

        self.call_store(trainer.start, self.desk.user.id, scenario.id, then=started)

    def action_pause(self) -> None:
        """Pause or resume the simulated clock."""
        snapshot = self.snapshot
        if snapshot is None or not self.desk.is_demo:
            return
        store = self.desk.store
        self.call_store(
            store.trainer.pause, self.desk.user.id, not snapshot.clock.paused, then=lambda _c: self._refresh_run()
        )

    def _step_speed(self, step: int) -> None:
        snapshot = self.snapshot
        if snapshot is None or not self.desk.is_demo:
            return
        current = min(SPEEDS, key=lambda s: abs(s - snapshot.clock.factor))
        speed = SPEEDS[max(0, min(len(SPEEDS) - 1, SPEEDS.index(current) + step))]

        def done(_clock: ClockState) -> None:
            self.notify(self.t("trainer.speed_set", speed=speed))
            self._refresh_run()

        self.call_store(self.desk.store.trainer.set_speed, self.desk.user.id, speed, then=done)

    def action_faster(self) -> None:
        """Next speed up (×1, 2, 5, 10, 30, 60)."""
        self._step_speed(1)

    def action_slower(self) -> None:
        """Next speed down."""
        self._step_speed(-1)

    def action_finish(self) -> None:
        """End the current run and record its score."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.run is None or snapshot.run.finished:
            return
        self.call_store(
            self.desk.store.trainer.finish, self.desk.user.id, snapshot.run.id, then=lambda _r: self._refresh_run()
        )

    def action_export(self) -> None:
        """Write the run's score as JSON next to the demo store (marked DEMO)."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.run is None:
            return
        directory = self.desk.settings.demo_store_path.parent
        self.call_store(
            self.desk.store.trainer.export_score,
            self.desk.user.id,
            snapshot.run.id,
            directory,
            then=lambda path: self.notify(self.t("trainer.exported", path=str(path))),
        )
