"""The facts each KPI needs, gathered from the store: one function per KPI of DOMAIN.md.

Each function takes a read connection and a window and returns the plain inputs of
:mod:`csdesk.domain.kpi`, which decides what is due and what met the standard.

Tickets, consultations and business assistance come from the ticket projection and its
events. Complaints and callbacks are read from their events (the event log is the source
of truth, with the payloads named in the rooms' contract: ``complaint.logged`` carries the
``deadline``, ``complaint.extended`` a new ``deadline``, ``callback.scheduled`` and
``callback.rescheduled`` the ``due_at`` and ``purpose``, ``callback.attempted`` the
``outcome`` and ``score``); when their projection tables exist these functions may read
them instead, with the same results. Account closures (churn) are read from
``customer.updated`` events carrying ``account_closed_at``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from csdesk.data.eventlog import EVENT, EVENT_COLUMNS, EventData, _from_row
from csdesk.data.reducer import TICKET, USER
from csdesk.domain.kpi import CHURN_WINDOW, Answer, BusinessCase, Complainant, FirstContact, Promise

#: Complaint and consultation clocks run for weeks: read their events this far before the window.
LOOKBACK = timedelta(days=120)
SATISFACTION_PURPOSE = "satisfaction_survey"
COMPLAINT_FOLLOW_UP = "complaint_follow_up"
REACHED = "reached"


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def events_of(conn: Connection, kinds: Iterable[str], since: datetime) -> Iterator[EventData]:
    """Events of ``kinds`` recorded since ``since``, in merge order."""
    rows = conn.execute(
        select(*EVENT_COLUMNS)
        .where(EVENT.c.kind.in_(list(kinds)), EVENT.c.recorded_at >= since)
        .order_by(EVENT.c.hlc, EVENT.c.desk_id, EVENT.c.desk_seq)
    )
    for row in rows:
        yield _from_row(row)


def teams(conn: Connection) -> dict[str, str]:
    """User id -> team."""
    return {row.id: row.team or "" for row in conn.execute(select(USER.c.id, USER.c.team))}


def first_response_inputs(conn: Connection, since: datetime, until: datetime) -> list[FirstContact]:
    """Phone and chat tickets created in the window, with their first answer time (KPI first response ≤ 30 s)."""
    team = teams(conn)
    rows = conn.execute(
        select(TICKET.c.channel, TICKET.c.created_at, TICKET.c.first_response_at, TICKET.c.assignee_id).where(
            TICKET.c.created_at >= since, TICKET.c.created_at < until, TICKET.c.channel.in_(("phone", "chat"))
        )
    )
    return [
        FirstContact(r.channel, r.created_at, r.first_response_at, r.assignee_id, team.get(r.assignee_id or "", ""))
        for r in rows
    ]


def consultation_inputs(conn: Connection, since: datetime, until: datetime) -> list[Promise]:
    """Each department consultation's promised reply time and the reply (KPI consultation reply timeliness).

    A consultation is answered by the first ``ticket.department_replied`` after it on the
    same ticket; it is charged to the agent who consulted.
    """
    team = teams(conn)
    open_asks: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    promises: list[Promise] = []
    for ev in events_of(conn, ("ticket.consulted", "ticket.department_replied"), since - LOOKBACK):
        if ev.kind == "ticket.consulted":
            due = _parse(ev.data().get("promised_at"))
            if due is not None:
                open_asks[ev.entity_id].append((due, ev.actor))
            continue
        for due, actor in open_asks.pop(ev.entity_id, []):
            promises.append(Promise(due, ev.recorded_at, actor, team.get(actor, "")))
    for asks in open_asks.values():
        promises += [Promise(due, None, actor, team.get(actor, "")) for due, actor in asks]
    return [p for p in promises if since <= p.due_at < until]


def business_inputs(conn: Connection, since: datetime, until: datetime) -> list[BusinessCase]:
    """Business cases closed in the window (KPI success: completed without rework / closed).

    A ticket with business-assistance cases (``business_case``) counts each case closed in
    the window (completed, or rejected: not a success); a business ticket without cases
    counts once when resolved, a success unless it was reopened.
    """
    team = teams(conn)
    cases = _case_inputs(conn, since, until)
    reopened = {ev.entity_id for ev in events_of(conn, ("ticket.reopened",), since - LOOKBACK)}
    rows = conn.execute(
        select(TICKET.c.id, TICKET.c.resolved_at, TICKET.c.assignee_id).where(
            TICKET.c.kind == "business", TICKET.c.resolved_at >= since, TICKET.c.resolved_at < until
        )
    )
    return cases.closed + [
        BusinessCase(r.resolved_at, True, r.id in reopened, r.assignee_id, team.get(r.assignee_id or "", ""))
        for r in rows
        if r.id not in cases.tickets
    ]


@dataclass(frozen=True)
class _Cases:
    closed: list[BusinessCase]
    tickets: set[str]


def _case_inputs(conn: Connection, since: datetime, until: datetime) -> _Cases:
    """Closed business cases of the window, and every ticket that has a case."""
    from csdesk.data.business_reducer import BUSINESS_CASE
    from csdesk.domain.business_rules import CLOSED_STAGES, is_success

    closed: list[BusinessCase] = []
    tickets: set[str] = set()
    for r in conn.execute(select(BUSINESS_CASE)):
        tickets.add(r.ticket_id)
        at = _parse(r.completed_at or r.updated_at)
        if r.stage in CLOSED_STAGES and at is not None and since <= at < until:
            closed.append(BusinessCase(at, True, not is_success(r.stage, r.rework_count), r.agent_id, r.team))
    return _Cases(closed, tickets)


def complaint_on_time_inputs(conn: Connection, since: datetime, until: datetime) -> list[Promise]:
    """Each complaint's legal deadline and decision time (KPI on-time decision).

    The deadline is the complaint's current one (pauses and extensions applied, from the
    ``complaint`` table); a decision on the deadline day itself is on time, so the promise
    runs to the end of that day on the desk's calendar. Owner: the lead handler, else
    whoever logged it.
    """
    from csdesk.data.complaint_reducer import COMPLAINT
    from csdesk.domain.when import DESK_TZ

    team = teams(conn)
    rows = conn.execute(select(COMPLAINT.c.deadline, COMPLAINT.c.decided_at, COMPLAINT.c.lead_handler_id,
                               COMPLAINT.c.created_by))
    result = []
    for r in rows:
        due = datetime.combine(r.deadline + timedelta(days=1), datetime.min.time(), DESK_TZ).astimezone(UTC)
        if not since <= due < until:
            continue
        decided = r.decided_at.replace(tzinfo=UTC) if r.decided_at and r.decided_at.tzinfo is None else r.decided_at
        owner = r.lead_handler_id or r.created_by
        result.append(Promise(due, decided, owner, team.get(owner, "")))
    return result


def _callbacks(conn: Connection, since: datetime) -> dict[str, dict[str, Any]]:
    """Callback id -> purpose, due time, assignee, first reached time, score, cancelled (from events)."""
    result: dict[str, dict[str, Any]] = {}
    kinds = ("callback.scheduled", "callback.rescheduled", "callback.attempted", "callback.cancelled")
    for ev in events_of(conn, kinds, since - LOOKBACK):
        data = ev.data()
        item = result.setdefault(ev.entity_id, {"purpose": None, "due": None, "assignee": ev.actor})
        if ev.kind in ("callback.scheduled", "callback.rescheduled"):
            item["due"] = _parse(data.get("due_at")) or item["due"]
            item["purpose"] = data.get("purpose") or item["purpose"]
            item["assignee"] = data.get("assignee_id") or item["assignee"]
        elif ev.kind == "callback.cancelled":
            item["cancelled"] = True
        else:
            if data.get("outcome") == REACHED:
                item.setdefault("done", ev.recorded_at)
            if data.get("score") is not None:
                item.setdefault("answers", []).append((ev.recorded_at, int(data["score"])))
    return result


def callback_inputs(conn: Connection, since: datetime, until: datetime) -> list[Promise]:
    """Callbacks due in the window and when the customer was reached (KPI callback completion)."""
    team = teams(conn)
    return [
        Promise(cb["due"], cb.get("done"), cb["assignee"], team.get(cb["assignee"], ""))
        for cb in _callbacks(conn, since).values()
        if cb["due"] is not None and not cb.get("cancelled") and since <= cb["due"] < until
    ]


def _answers(conn: Connection, since: datetime, until: datetime, purposes: tuple[str, ...]) -> list[Answer]:
    team = teams(conn)
    return [
        Answer(at, score, cb["assignee"], team.get(cb["assignee"], ""))
        for cb in _callbacks(conn, since).values()
        if cb["purpose"] in purposes
        for at, score in cb.get("answers", [])
        if since <= at < until
    ]


def csat_inputs(conn: Connection, since: datetime, until: datetime) -> list[Answer]:
    """1–5 answers of after-service and quarterly surveys (KPI CSAT)."""
    return _answers(conn, since, until, (SATISFACTION_PURPOSE,))


def complaint_satisfaction_inputs(conn: Connection, since: datetime, until: datetime) -> list[Answer]:
    """1–5 answers on complaint follow-up callbacks (KPI complaint satisfaction)."""
    return _answers(conn, since, until, (COMPLAINT_FOLLOW_UP,))


def churn_inputs(conn: Connection, since: datetime, until: datetime) -> list[Complainant]:
    """Complainants of the window and when (if ever) they closed their accounts (KPI churn)."""
    team = teams(conn)
    closed: dict[str, datetime] = {}
    for ev in events_of(conn, ("customer.updated",), since):
        when = _parse(ev.data().get("account_closed_at"))
        if when is not None:
            closed.setdefault(ev.entity_id, when)
    result = []
    for ev in events_of(conn, ("complaint.logged",), since):
        customer = ev.data().get("customer_id")
        if customer and ev.recorded_at < until:
            left = closed.get(customer)
            left = left if left is not None and left <= ev.recorded_at + CHURN_WINDOW else None
            result.append(Complainant(ev.recorded_at, left, ev.actor, team.get(ev.actor, "")))
    return result
