"""Demo survey campaigns: last quarter's, surveyed and closed, and this quarter's, in progress.

Planned from the demo's user and ticket events (no database access) with the same pure
rules the store uses (:mod:`csdesk.domain.survey_sampling`, :mod:`csdesk.domain.survey_plan`),
so a newcomer sees the quarter-over-quarter trend: last quarter a little under the 65 %
target, this quarter above it. Customers who asked not to be contacted or had a survey in
the 90 days before a launch are left out, as in a real launch.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from csdesk.data.callback_reducer import scheduled_payload
from csdesk.data.store import PlannedEvent
from csdesk.domain.callback_rules import ContactWindow, nearest_allowed
from csdesk.domain.survey import DEFAULT_FATIGUE_DAYS
from csdesk.domain.survey_plan import plan_calls
from csdesk.domain.survey_sampling import Served, one_per_customer, stratified_sample
from csdesk.domain.when import DESK_TZ, today_local
from csdesk.domain.workdays import CN_CALENDAR

SAMPLE = 40
CALL_DAYS = 10
QUESTIONS = ["您对我们的服务总体满意吗？", "您对客服人员的服务态度满意吗？", "您对办理速度满意吗？"]
#: Overall-score weights (5..1): last quarter about 58 % satisfied, this quarter about 74 %.
WEIGHTS = {"previous": (0.26, 0.32, 0.22, 0.12, 0.08), "current": (0.38, 0.36, 0.14, 0.08, 0.04)}
Item = tuple[datetime, str, str, str, str, dict[str, Any]]


def _quarter_start(day: date) -> date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def _served(events: Sequence[PlannedEvent]) -> tuple[list[Served], list[str]]:
    """Tickets with a customer and an agent (time, team, business), and the agents who call."""
    teams: dict[str, str] = {}
    callers = []
    tickets: dict[str, dict[str, Any]] = {}
    for ev in events:
        if ev.kind == "user.created":
            teams[ev.entity_id] = ev.payload.get("team", "")
            if ev.payload.get("role") in ("agent", "specialist"):
                callers.append(ev.entity_id)
        elif ev.kind == "ticket.created" and ev.payload.get("customer_id"):
            tickets[ev.entity_id] = {"customer": ev.payload["customer_id"], "at": ev.at,
                                     "business": ev.payload.get("business") or ""}
        elif ev.kind == "ticket.assigned" and ev.entity_id in tickets:
            tickets[ev.entity_id]["agent"] = ev.payload.get("assignee_id")
    served = [
        Served(t["customer"], t["agent"], t["at"], ticket_id, teams.get(t["agent"], ""), t["business"])
        for ticket_id, t in tickets.items()
        if t.get("agent")
    ]
    return served, callers


def _left_out(events: Sequence[PlannedEvent], launch: datetime) -> set[str]:
    """Customers not to survey at ``launch``: do-not-contact, or surveyed in the 90 days before."""
    since = launch - timedelta(days=DEFAULT_FATIGUE_DAYS)
    blocked = set()
    for ev in events:
        if ev.kind == "customer.contact_prefs_set" and ev.payload.get("do_not_contact"):
            blocked.add(ev.entity_id)
        elif (ev.kind == "callback.scheduled" and ev.payload.get("purpose") == "satisfaction_survey"
              and since <= ev.at < launch):
            blocked.add(ev.payload["customer_id"])
    return blocked


class _Campaign:
    """One demo campaign's events, planned at the times a supervisor and agents would write them."""

    def __init__(self, rng: random.Random, new_id: Callable[[datetime], str], supervisor: str, now: datetime) -> None:
        self.rng, self.new_id, self.supervisor, self.now = rng, new_id, supervisor, now
        self.events: list[PlannedEvent] = []

    def plan(self, name: str, start: date, end: date, launch: datetime, history: Sequence[PlannedEvent],
             weights: tuple[float, ...], close_at: datetime | None) -> list[PlannedEvent]:
        served, callers = _served(history)
        blocked = _left_out(history, launch)
        population = [m for m in one_per_customer(
            m for m in served if start <= today_local(m.at) <= end and m.at < launch
        ) if m.customer_id not in blocked]
        agents = len({m.agent_id for m in population})
        if not population or not callers:
            return []
        campaign_id = self.new_id(launch - timedelta(hours=1))
        seed = self.rng.randrange(2**32)
        self._emit(launch - timedelta(hours=1), self.supervisor, "survey", campaign_id, "survey.campaign_defined", {
            "name": name, "period_start": start.isoformat(), "period_end": end.isoformat(), "kinds": [],
            "businesses": [], "agents": [], "sample_size": max(agents, min(SAMPLE, len(population))),
            "sample_share": None, "channel": "phone", "questions": QUESTIONS, "seed": seed,
            "fatigue_days": DEFAULT_FATIGUE_DAYS, "call_days": CALL_DAYS,
        })
        sample = stratified_sample(population, max(agents, min(SAMPLE, len(population))), seed)
        calls = plan_calls([m.agent_id for m in sample], callers, today_local(launch), CALL_DAYS)
        members, scheduled = [], []
        for member, call in zip(sample, calls, strict=True):
            due = nearest_allowed(call.due, ContactWindow())
            if due is None:
                continue
            callback_id = self.new_id(launch)
            payload = scheduled_payload(
                customer_id=member.customer_id, ticket_id=member.ticket_id, purpose="satisfaction_survey",
                due_at=due, assignee_id=call.caller_id, series_id=callback_id, note=f"Satisfaction survey: {name}",
            )
            scheduled.append(PlannedEvent(launch.astimezone(UTC), self.supervisor, "callback", callback_id,
                                          "callback.scheduled", payload))
            members.append({"customer_id": member.customer_id, "agent_id": member.agent_id, "team": member.team,
                            "business": member.business, "ticket_id": member.ticket_id,
                            "callback_id": callback_id, "caller_id": call.caller_id})
            self._answer(callback_id, call.caller_id, due, weights)
        excluded = {"do_not_contact": 0, "recently_surveyed": 0, "no_allowed_time": len(sample) - len(members)}
        self._emit(launch, self.supervisor, "survey", campaign_id, "survey.launched",
                   {"population": len(population), "members": members, "excluded": excluded})
        self.events += scheduled
        if close_at is not None:
            self._emit(close_at, self.supervisor, "survey", campaign_id, "survey.closed", {"reason": "Quarter over."})
        return self.events

    def _answer(self, callback_id: str, caller: str, due: datetime, weights: tuple[float, ...]) -> None:
        at = due + timedelta(minutes=self.rng.uniform(1, 40))
        if at >= self.now:
            return
        reached = self.rng.random() < 0.85
        answers = [self.rng.choices((5, 4, 3, 2, 1), weights=weights)[0]]
        answers += [max(1, min(5, answers[0] + self.rng.choice((-1, 0, 0, 1)))) for _ in QUESTIONS[1:]]
        self._emit(at, caller, "callback", callback_id, "callback.attempted", {
            "outcome": "reached" if reached else "refused", "score": answers[0] if reached else None,
            "comment": "", "unsatisfied": False, "status": "done", "attempt": 1, "next_due_at": None,
            **({"answers": answers} if reached else {}),
        })

    def _emit(self, at: datetime, actor: str, entity: str, entity_id: str, kind: str, payload: dict[str, Any]) -> None:
        self.events.append(PlannedEvent(at.astimezone(UTC), actor, entity, entity_id, kind, payload))


def plan_surveys(
    events: Sequence[PlannedEvent], rng: random.Random, now: datetime, new_id: Callable[[datetime], str],
    supervisor: str,
) -> list[PlannedEvent]:
    """Survey campaign events for the demo history in ``events``; every one before ``now``."""
    today = today_local(now)
    this_start = _quarter_start(today)
    last_end = this_start - timedelta(days=1)
    last_start = _quarter_start(last_end)
    this_end = (_quarter_start(this_start + timedelta(days=95)) - timedelta(days=1))
    launch_last = datetime.combine(CN_CALENDAR.add_workdays(this_start, 2), time(10), tzinfo=DESK_TZ)
    launch_this = datetime.combine(CN_CALENDAR.add_workdays(today - timedelta(days=10), 0), time(10), tzinfo=DESK_TZ)
    planned: list[PlannedEvent] = []
    if launch_last < now:
        close = launch_last + timedelta(days=21)
        planned += _Campaign(rng, new_id, supervisor, now).plan(
            f"{last_start.year}-Q{(last_start.month - 1) // 3 + 1} 满意度调查", last_start, last_end, launch_last,
            events, WEIGHTS["previous"], close if close < now else None,
        )
    if launch_this < now and launch_this.date() > this_start:
        planned += _Campaign(rng, new_id, supervisor, now).plan(
            f"{this_start.year}-Q{(this_start.month - 1) // 3 + 1} 满意度调查", this_start, this_end, launch_this,
            [*events, *planned], WEIGHTS["current"], None,
        )
    return [ev for ev in planned if ev.at < now]
