"""The trainer gateway (``store.trainer``): scenario runs, the desk simulator, scoring.

Demo mode only: every use case refuses a live store. A run is a series of events on the
entity ``training_run`` (``training.run_started``, ``training.step_played``,
``training.line_played``, ``training.reaction_played``, ``training.run_finished``);
they change no projection, so a rebuild reproduces the same tables.

The simulator (:meth:`Trainer.tick`) acts only through the store's own use cases
(new customers, new tickets, notes, status changes), as the trainer who started the
run. It plays the steps of the run's timetable (:mod:`csdesk.domain.run_plan`) that
have come due on the store's clock, the customers' scripted lines, and the scenario's
reactions: when the trainee's work produces an event the scenario reacts to (a
callback scheduled, a complaint decided, a ticket waiting for the customer ...), the
customer answers on their ticket after a delay. Reactions match event kinds by name, so
they work for any room that writes those events.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from csdesk.data.api import StoreMode
from csdesk.data.eventlog import EVENT, EventData, events_for
from csdesk.data.reducer import CUSTOMER, TICKET
from csdesk.data.scenario_files import ScenarioProblem, load_scenarios
from csdesk.data.trainer_api import ClockState, FeedEntry, RunInfo, ScenarioInfo, TickReport
from csdesk.domain.clock import AcceleratedClock
from csdesk.domain.errors import NotFound, PermissionDenied, StoreUnavailable, ValidationError
from csdesk.domain.masking import mask_text
from csdesk.domain.roles import Permission
from csdesk.domain.run_plan import Step, due_lines, plan_run
from csdesk.domain.scenario import Reaction, Scenario
from csdesk.domain.scoring import Fact, RunFacts, ScoreReport, score
from csdesk.domain.uuid7 import uuid7

if TYPE_CHECKING:
    from csdesk.data.store import Store

RUN = "training_run"
MIN_SPEED, MAX_SPEED = 1, 60
#: Who says a customer's line on a ticket, per language of the customer.
SPEAKER = {"zh-CN": "[客户 {name}] {text}", "en": "[Customer {name}] {text}"}
#: Event kinds shown in the trainer's live feed.
FEED_KINDS = frozenset(
    {
        "ticket.created", "ticket.assigned", "ticket.status_changed", "ticket.note_added", "ticket.kb_used",
        "ticket.consulted", "ticket.linked", "ticket.merged", "pii.revealed", "complaint.logged",
        "complaint.decided", "callback.scheduled", "callback.attempted", "access.denied",
    }
)


class Trainer:
    """Training use cases on a demo store (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._dirs: list[Path] = []
        self._scenarios: dict[str, Scenario] | None = None
        self._problems: list[ScenarioProblem] = []
        self._tick_lock = threading.Lock()  # the console's timer and a script may tick at once

    # ----------------------------------------------------------------- guards
    def _demo_only(self) -> None:
        if self.store.mode is not StoreMode.DEMO:
            raise StoreUnavailable("Training runs only on a demo store (csdesk demo); this is a live desk store.")

    def _allowed(self, actor_id: str) -> None:
        self._demo_only()
        self.store._require(actor_id, Permission.DEMO_RUN)

    # ----------------------------------------------------------------- scenarios
    def use_scenario_dir(self, directory: Path | None) -> None:
        """Also read a trainer's own scenario files from ``directory`` (settings: scenario_dir)."""
        if directory is not None and directory not in self._dirs:
            self._dirs.append(directory)
            self._scenarios = None

    def _catalogue(self) -> dict[str, Scenario]:
        if self._scenarios is None:
            self._scenarios, self._problems = load_scenarios(self._dirs)
        return self._scenarios

    def reload(self) -> None:
        """Read the scenario files again (a trainer has just added one)."""
        self._scenarios = None

    def problems(self) -> list[ScenarioProblem]:
        """Scenario files that did not load, with file, line and reason."""
        self._catalogue()
        return list(self._problems)

    def scenario(self, scenario_id: str) -> Scenario:
        """The scenario with ``scenario_id``; raises :class:`NotFound`."""
        found = self._catalogue().get(scenario_id)
        if found is None:
            known = ", ".join(sorted(self._catalogue()))
            raise NotFound(f"There is no scenario {scenario_id!r}; known scenarios: {known}.")
        return found

    def scenarios(self) -> list[ScenarioInfo]:
        """Every scenario that loaded, by id."""
        return [
            ScenarioInfo(
                id=s.id,
                title=s.title,
                briefing=s.briefing,
                checks=tuple(c.kind for c in s.checks),
                contacts=sum(a.count for a in s.arrivals),
                minutes=int(s.duration.total_seconds() // 60),
                source=s.source,
            )
            for _, s in sorted(self._catalogue().items())
        ]

    # ----------------------------------------------------------------- runs
    def start(self, actor_id: str, scenario_id: str, trainee_id: str | None = None, seed: int = 1) -> RunInfo:
        """Start ``scenario_id`` for ``trainee_id`` (default: the demo agent); contacts arrive as time moves."""
        from csdesk.data.demo_seed import DEMO_TRAINEE

        self._allowed(actor_id)
        scenario = self.scenario(scenario_id)
        trainee = self.store.get_user(trainee_id or DEMO_TRAINEE)
        if not trainee.active:
            raise ValidationError("trainee", f"{trainee.name} is deactivated.")
        run_id = uuid7(self.store.clock)
        payload = {"scenario": scenario.id, "trainee": trainee.id, "seed": int(seed)}
        self.store._write(actor_id, [(RUN, run_id, "training.run_started", payload)])
        return self.run(actor_id, run_id)

    def export_score(self, actor_id: str, run_id: str, directory: Path, fmt: str = "json") -> Path:
        """Write the run's score to ``directory`` as JSON or CSV (both marked DEMO); return the file."""
        from csdesk.data.score_export import score_csv, score_json

        if fmt not in ("json", "csv"):
            raise ValidationError("format", "A score is exported as json or csv.")
        run = self.run(actor_id, run_id)
        report = self.score(actor_id, run_id)
        path = Path(directory).expanduser() / f"DEMO-score-{run.scenario_id}-{run.trainee}-{run.id[-8:]}.{fmt}"
        text = json.dumps(score_json(report, run), ensure_ascii=False, indent=2) if fmt == "json" else score_csv(
            report, run
        )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise StoreUnavailable(f"Cannot write the score to {path}: {exc.strerror or exc}.") from None
        return path

    def _run_events(self, run_id: str) -> list[EventData]:
        with self.store._read() as conn:
            found = events_for(conn, RUN, run_id)
        if not found or found[0].kind != "training.run_started":
            raise NotFound("That training run does not exist.")
        return found

    def _info(self, events: list[EventData]) -> RunInfo:
        start = events[0]
        data = start.data()
        played = sum(1 for ev in events if ev.kind == "training.step_played")
        started_at = _utc(start.recorded_at)
        planned = len(plan_run(self.scenario(data["scenario"]), data["seed"], started_at))
        return RunInfo(
            id=start.entity_id,
            scenario_id=data["scenario"],
            trainee=data["trainee"],
            started_by=start.actor,
            started_at=started_at,
            seed=data["seed"],
            finished=any(ev.kind == "training.run_finished" for ev in events),
            played=played,
            planned=planned,
        )

    def run(self, actor_id: str, run_id: str) -> RunInfo:
        """One run."""
        self._allowed(actor_id)
        return self._info(self._run_events(run_id))

    def runs(self, actor_id: str) -> list[RunInfo]:
        """Every run on this store, newest first."""
        self._allowed(actor_id)
        with self.store._read() as conn:
            ids = conn.execute(
                select(EVENT.c.entity_id)
                .where(EVENT.c.entity == RUN, EVENT.c.kind == "training.run_started")
                .order_by(EVENT.c.hlc.desc())
            ).scalars()
            run_ids = list(ids)
        return [self._info(self._run_events(run_id)) for run_id in run_ids]

    def latest_run(self, actor_id: str) -> RunInfo | None:
        """The newest run, or None."""
        runs = self.runs(actor_id)
        return runs[0] if runs else None

    def run_tickets(self, actor_id: str, run_id: str) -> list[str]:
        """The ids of the tickets the run has brought so far, in order of arrival (scripted first copies first)."""
        self._allowed(actor_id)
        played = [ev.data() for ev in self._run_events(run_id) if ev.kind == "training.step_played"]
        return [p["ticket_id"] for p in sorted(played, key=lambda p: not p["primary"])]

    def finish(self, actor_id: str, run_id: str) -> ScoreReport:
        """End a run: nothing more arrives; the score is recorded."""
        self._allowed(actor_id)
        info = self.run(actor_id, run_id)
        report = self.score(actor_id, run_id)
        if not info.finished:
            payload = {"earned": report.earned, "possible": report.possible, "percent": report.percent}
            self.store._write(actor_id, [(RUN, run_id, "training.run_finished", payload)])
        return report

    # ----------------------------------------------------------------- the simulator
    def tick(self, actor_id: str, run_id: str) -> TickReport:
        """Play everything of the run that is due on the store's clock and not played yet."""
        self._allowed(actor_id)
        with self._tick_lock:
            return self._tick(actor_id, run_id)

    def _tick(self, actor_id: str, run_id: str) -> TickReport:
        events = self._run_events(run_id)
        info = self._info(events)
        scenario = self.scenario(info.scenario_id)
        now = self.store.clock.now()
        elapsed = int((now - info.started_at).total_seconds())
        if info.finished:
            return TickReport(0, 0, 0, elapsed, True)
        played = {ev.data()["key"]: ev.data() for ev in events if ev.kind == "training.step_played"}
        contacts = 0
        for step in plan_run(scenario, info.seed, info.started_at):
            if step.at > now:
                break
            if step.key not in played:
                played[step.key] = self._play_step(actor_id, run_id, info.seed, step)
                contacts += 1
        state = _Tick(actor_id, run_id, info, scenario, events, played, now)
        lines = self._play_lines(state)
        reactions = self._react(state)
        over = now >= info.started_at + scenario.duration
        return TickReport(contacts, lines, reactions, elapsed, over)

    def _play_step(self, actor_id: str, run_id: str, seed: int, step: Step) -> dict[str, Any]:
        from csdesk.data.simulated_people import make_customer

        rng = random.Random(f"{seed}:{step.key}")
        spec = step.arrival.customer if step.arrival is not None else None
        customer = make_customer(self.store, actor_id, rng, spec)
        language = customer.language
        if step.arrival is not None:
            arrival = step.arrival
            kind, channel, priority, business = arrival.kind, arrival.channel, arrival.priority, arrival.business
            description = arrival.description.get(language)
        else:
            assert step.wave is not None
            kind, channel, priority, business = step.wave.kind, step.wave.channel, "normal", None
            description = step.wave.subject.get(language)
        ticket = self.store.create_ticket(
            actor_id,
            kind=kind,
            channel=channel,
            priority=priority,
            business=business,
            subject=step.subject.get(language),
            description=description,
            customer_id=customer.id,
        )
        payload = {
            "key": step.key,
            "ticket_id": ticket.id,
            "customer_id": customer.id,
            "customer_name": customer.name,
            "language": language,
            "primary": step.primary,
        }
        self.store._write(actor_id, [(RUN, run_id, "training.step_played", payload)])
        return payload

    def _say(self, actor_id: str, played: dict[str, Any], text: str) -> None:
        line = SPEAKER.get(played["language"], SPEAKER["en"]).format(name=played["customer_name"], text=text)
        self.store.add_note(actor_id, played["ticket_id"], line)

    def _play_lines(self, tick: _Tick) -> int:
        """The scripted lines of played contacts that have come due."""
        actor_id, played = tick.actor_id, tick.played
        said = {(ev.data()["key"], ev.data()["line"]) for ev in tick.events if ev.kind == "training.line_played"}
        count = 0
        steps = {step.key: step for step in plan_run(tick.scenario, tick.info.seed, tick.info.started_at)}
        for key, data in played.items():
            step = steps.get(key)
            if step is None or step.arrival is None:
                continue
            for line in due_lines(step.at, step.arrival, tick.now):
                if (key, line) in said:
                    continue
                self._say(actor_id, data, step.arrival.lines[line].say.get(data["language"]))
                payload = {"key": key, "line": line, "ticket_id": data["ticket_id"]}
                self.store._write(actor_id, [(RUN, tick.run_id, "training.line_played", payload)])
                count += 1
        return count

    def _react(self, tick: _Tick) -> int:
        """The customers' answers to events on their matters, once each, after the scenario's delay."""
        actor_id, run_id, played, now = tick.actor_id, tick.run_id, tick.played, tick.now
        if not tick.scenario.reactions:
            return 0
        done = {ev.data()["source"] for ev in tick.events if ev.kind == "training.reaction_played"}
        run = self._facts(tick.events[0], played)
        count = 0
        for fact_id, fact in run:
            if fact_id in done or fact.actor == actor_id:
                continue
            reaction = _matching(tick.scenario.reactions, fact)
            if reaction is None or fact.at + reaction.after > now:
                continue
            target = self._ticket_for(fact, played, run)
            if target is None:
                continue
            self._say(actor_id, target, reaction.say.get(target["language"]))
            if reaction.reopen:
                ticket = self.store.get_ticket_row(actor_id, target["ticket_id"])
                if ticket.status == "waiting_customer":
                    self.store.change_status(actor_id, ticket.id, "open")
            payload = {"source": fact_id, "event": fact.kind, "ticket_id": target["ticket_id"]}
            self.store._write(actor_id, [(RUN, run_id, "training.reaction_played", payload)])
            count += 1
        return count

    @staticmethod
    def _ticket_for(
        fact: Fact, played: dict[str, dict[str, Any]], run: list[tuple[str, Fact]]
    ) -> dict[str, Any] | None:
        """The played contact an event is about: its ticket, its customer, or its complaint's."""
        by_ticket = {p["ticket_id"]: p for p in played.values()}
        by_customer = {p["customer_id"]: p for p in played.values()}
        data = fact.data
        if fact.entity == "ticket" and fact.entity_id in by_ticket:
            return by_ticket[fact.entity_id]
        for candidate in (data.get("ticket_id"), data.get("customer_id")):
            if candidate in by_ticket:
                return by_ticket[candidate]
            if candidate in by_customer:
                return by_customer[candidate]
        for _, other in run:  # e.g. complaint.decided: the complaint.logged of the same complaint names the customer
            if other.entity == fact.entity and other.entity_id == fact.entity_id and other is not fact:
                found = Trainer._ticket_for(other, played, [])
                if found is not None:
                    return found
        return None

    # ----------------------------------------------------------------- facts and scores
    def _facts(self, start: EventData, played: dict[str, dict[str, Any]]) -> list[tuple[str, Fact]]:
        """Every event since the run started (up to its end), as (event id, fact)."""
        query = (
            select(EVENT)
            .where(EVENT.c.desk_id == start.desk_id, EVENT.c.desk_seq > start.desk_seq, EVENT.c.entity != RUN)
            .order_by(EVENT.c.desk_seq)
        )
        with self.store._read() as conn:
            finished = conn.execute(
                select(EVENT.c.desk_seq).where(
                    EVENT.c.entity == RUN, EVENT.c.entity_id == start.entity_id, EVENT.c.kind == "training.run_finished"
                )
            ).scalar()
            if finished is not None:
                query = query.where(EVENT.c.desk_seq < finished)
            rows = list(conn.execute(query))
        return [(row.event_id, _fact(row)) for row in rows]

    def _run_facts(self, actor_id: str, run_id: str) -> tuple[RunInfo, RunFacts]:
        self._allowed(actor_id)
        events = self._run_events(run_id)
        info = self._info(events)
        played = [ev.data() for ev in events if ev.kind == "training.step_played"]
        facts = self._facts(events[0], {p["key"]: p for p in played})
        created = {f.entity_id: f.at for _, f in facts if f.kind == "ticket.created"}
        primary = {p["ticket_id"]: created.get(p["ticket_id"], info.started_at) for p in played if p["primary"]}
        run = RunFacts(
            trainee=info.trainee,
            primary=primary,
            tickets=frozenset(p["ticket_id"] for p in played),
            customers=frozenset(p["customer_id"] for p in played),
            facts=tuple(f for _, f in facts),
        )
        return info, run

    def score(self, actor_id: str, run_id: str) -> ScoreReport:
        """The trainee's score on the run so far (or as finished)."""
        info, run = self._run_facts(actor_id, run_id)
        return score(self.scenario(info.scenario_id), run)

    def feed(self, actor_id: str, run_id: str, limit: int = 40) -> list[FeedEntry]:
        """The newest ``limit`` things that happened in the run on its tickets and customers, text masked."""
        info, run = self._run_facts(actor_id, run_id)
        shown = [f for f in run.facts if f.kind in FEED_KINDS and (run.concerns_run(f) or f.actor == info.trainee)]
        shown = shown[-limit:]
        refs = self._refs(f.entity_id if f.entity == "ticket" else f.data.get("ticket_id") for f in shown)
        return [
            FeedEntry(
                at=f.at,
                actor=f.actor,
                kind=f.kind,
                ticket_ref=refs.get(f.entity_id if f.entity == "ticket" else f.data.get("ticket_id"), ""),
                detail=mask_text(_detail(f))[:160],
                by_trainee=f.actor == info.trainee,
            )
            for f in shown
        ]

    def _refs(self, ticket_ids: Iterable[str | None]) -> dict[str | None, str]:
        wanted = {t for t in ticket_ids if t}
        if not wanted:
            return {}
        with self.store._read() as conn:
            rows = conn.execute(select(TICKET.c.id, TICKET.c.ref).where(TICKET.c.id.in_(wanted)))
            return {row.id: row.ref for row in rows}

    def customer_count(self) -> int:
        """How many customers the store holds (the simulator's generated ones included)."""
        with self.store._read() as conn:
            return len(conn.execute(select(CUSTOMER.c.id)).all())

    # ----------------------------------------------------------------- the clock
    def _clock(self) -> AcceleratedClock | None:
        clock = self.store.clock
        return clock if isinstance(clock, AcceleratedClock) else None

    def clock_state(self) -> ClockState:
        """Simulated time, speed, paused; ``adjustable`` is False on a clock that cannot be driven."""
        clock = self._clock()
        if clock is None:
            return ClockState(self.store.clock.now(), 1.0, False, False)
        return ClockState(clock.now(), clock.factor, clock.paused, True)

    def catch_up_clock(self) -> None:
        """Move a simulated clock that lags the newest event (a run went faster than real time) up to it.

        So the demo store's history never runs backwards when the desk is opened again.
        """
        clock = self._clock()
        if clock is None:
            return
        with self.store._read() as conn:
            newest = conn.execute(select(EVENT.c.recorded_at).order_by(EVENT.c.seq.desc()).limit(1)).scalar()
        if newest is not None and _utc(newest) > clock.now():
            clock.set(_utc(newest))

    def set_speed(self, actor_id: str, factor: int) -> ClockState:
        """Run the desk's clock ``factor`` times as fast as real time (1 to 60)."""
        self._allowed(actor_id)
        if isinstance(factor, bool) or not MIN_SPEED <= int(factor) <= MAX_SPEED:
            raise ValidationError("speed", f"The speed is from ×{MIN_SPEED} to ×{MAX_SPEED}.")
        clock = self._adjustable()
        clock.set_factor(int(factor))
        return self.clock_state()

    def pause(self, actor_id: str, paused: bool) -> ClockState:
        """Stop (``paused``) or restart simulated time."""
        self._allowed(actor_id)
        clock = self._adjustable()
        if paused:
            clock.pause()
        else:
            clock.resume()
        return self.clock_state()

    def _adjustable(self) -> AcceleratedClock:
        clock = self._clock()
        if clock is None:
            raise PermissionDenied("This desk's clock cannot be sped up or paused (it is not a simulated clock).")
        return clock


@dataclass(frozen=True, slots=True)
class _Tick:
    """What one tick of the simulator works with."""

    actor_id: str
    run_id: str
    info: RunInfo
    scenario: Scenario
    events: list[EventData]
    played: dict[str, dict[str, Any]]
    now: datetime


def _matching(reactions: tuple[Reaction, ...], fact: Fact) -> Reaction | None:
    for reaction in reactions:
        if reaction.on == fact.kind and (reaction.to is None or fact.data.get("to") == reaction.to):
            return reaction
    return None


def _fact(row: Any) -> Fact:
    return Fact(row.kind, row.actor, row.entity, row.entity_id, _utc(row.recorded_at), json.loads(row.payload))


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _detail(fact: Fact) -> str:
    data = fact.data
    for key in ("subject", "body", "title", "to", "department", "purpose", "field", "permission", "other_ref"):
        if data.get(key):
            return " ".join(str(data[key]).split())  # one line in the feed
    return ""



