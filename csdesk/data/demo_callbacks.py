"""Demo callbacks: follow-ups and surveys after resolved tickets, and the trainee's day.

Planned from the demo's ticket events (no database access), deterministic for the
planner's random generator: about a third of resolved complaints get a complaint follow-up
and a fifth of other resolved tickets a satisfaction survey, one to three days later
inside the default contact window; those already due were made, most reached with a
score (complaint follow-ups in the demo end satisfied, so no ticket reopens). The
trainee also has callbacks overdue, due now, later today and later this week.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from csdesk.data.callback_reducer import scheduled_payload
from csdesk.data.store import PlannedEvent
from csdesk.domain.callback_rules import ContactWindow, nearest_allowed

SHARE = {"complaint": 0.35}
OTHER_SHARE = 0.2
SCORES = ((5, 0.4), (4, 0.3), (3, 0.15), (2, 0.1), (1, 0.05))
#: The trainee's callbacks, relative to now: overdue, due now, later today, this week.
TRAINEE_DAY = (
    timedelta(hours=-3),
    timedelta(minutes=-90),
    timedelta(minutes=5),
    timedelta(hours=2),
    timedelta(days=1, hours=1),
    timedelta(days=3),
)


@dataclass
class _Ticket:
    kind: str
    customer_id: str | None
    assignee_id: str | None = None
    resolved_at: datetime | None = None


def _tickets(events: Sequence[PlannedEvent]) -> dict[str, _Ticket]:
    tickets: dict[str, _Ticket] = {}
    for ev in events:
        if ev.entity != "ticket":
            continue
        if ev.kind == "ticket.created":
            tickets[ev.entity_id] = _Ticket(ev.payload["kind"], ev.payload.get("customer_id"))
        elif ev.kind == "ticket.assigned" and ev.entity_id in tickets:
            tickets[ev.entity_id].assignee_id = ev.payload.get("assignee_id")
        elif ev.kind == "ticket.status_changed" and ev.payload["to"] == "resolved" and ev.entity_id in tickets:
            tickets[ev.entity_id].resolved_at = ev.at
    return tickets


def _attempt(rng: random.Random, purpose: str) -> dict[str, Any]:
    scores, weights = zip(*SCORES, strict=True)
    score = rng.choices(scores, weights=weights)[0]
    if purpose == "complaint_follow_up":
        score = max(score, 3)
    outcome = "refused" if rng.random() < 0.08 else "reached"
    return {
        "outcome": outcome,
        "score": score if outcome == "reached" else None,
        "comment": "",
        "unsatisfied": False,
        "status": "done",
        "attempt": 1,
        "next_due_at": None,
    }


def plan_callbacks(
    events: Sequence[PlannedEvent], rng: random.Random, now: datetime, new_id: Callable[[datetime], str], trainee: str
) -> list[PlannedEvent]:
    """Callback events for the demo history in ``events``; every one before ``now``."""
    window = ContactWindow()
    tickets = _tickets(events)
    planned: list[PlannedEvent] = []
    for ticket_id, ticket in tickets.items():
        if ticket.customer_id is None or ticket.assignee_id is None or ticket.resolved_at is None:
            continue
        if rng.random() > SHARE.get(ticket.kind, OTHER_SHARE):
            continue
        purpose = "complaint_follow_up" if ticket.kind == "complaint" else "satisfaction_survey"
        scheduled_at = ticket.resolved_at + timedelta(minutes=5)
        due = nearest_allowed(ticket.resolved_at + timedelta(days=rng.uniform(1, 3)), window)
        if due is None or scheduled_at >= now:
            continue
        callback_id = new_id(scheduled_at)
        payload = scheduled_payload(
            customer_id=ticket.customer_id, ticket_id=ticket_id, purpose=purpose, due_at=due,
            assignee_id=ticket.assignee_id, series_id=callback_id,
        )
        planned.append(PlannedEvent(scheduled_at, ticket.assignee_id, "callback", callback_id, "callback.scheduled",
                                    payload))
        attempted_at = due + timedelta(minutes=rng.uniform(0, 50))
        if attempted_at < now:
            planned.append(PlannedEvent(attempted_at, ticket.assignee_id, "callback", callback_id,
                                        "callback.attempted", _attempt(rng, purpose)))
    customers = sorted({t.customer_id for t in tickets.values() if t.customer_id})
    for offset, customer_id in zip(TRAINEE_DAY, rng.sample(customers, min(len(customers), len(TRAINEE_DAY))),
                                   strict=False):
        scheduled_at = now - timedelta(days=1)
        callback_id = new_id(scheduled_at)
        purpose = rng.choice(("key_customer_care", "satisfaction_survey", "business_progress"))
        payload = scheduled_payload(
            customer_id=customer_id, purpose=purpose, due_at=now + offset, assignee_id=trainee, series_id=callback_id
        )
        planned.append(PlannedEvent(scheduled_at, trainee, "callback", callback_id, "callback.scheduled", payload))
    return planned
