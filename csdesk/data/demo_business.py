"""Demo business-assistance cases: the business tickets of the demo history, followed by a case file.

Planned (not written) events, like the rest of the demo history. A business ticket whose
request has a checklist (card loss, account unfreeze, instalments, loan application,
trading account) gets a case that follows the ticket's own life, so the two never
disagree:

- opened a few minutes after the ticket is opened, every required document then checked;
- when the ticket waited for the customer, one document was missing until the customer
  came back;
- passed to the department when the ticket moved to "waiting for department", with the
  checklist's promised date; in review a few hours later;
- approved when the ticket came back from the department, completed with the guidance
  given when the ticket was resolved.

Every fifth case is sent back for rework once and every seventh is rejected, so the
success rate is not a flat 100 %. A ticket cut short by the demo's queue (still open,
waiting) leaves its case at the matching stage: draft, submitted or in review.
Deterministic and without the planner's random generator (ids derive from the ticket's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from csdesk.data.business_reducer import document_payload, opened_payload, passed_payload, stage_payload
from csdesk.data.checklist_files import Checklist, load_checklists
from csdesk.data.store import PlannedEvent

#: Demo ticket template -> the checklist its case follows.
CASE_TYPE = {
    "card_loss": "card_loss",
    "phishing_freeze": "card_loss",
    "unfreeze": "account_unfreeze",
    "installment_apply": "card_installments",
    "loan_apply": "loan_application",
    "fund_account": "trading_account",
}
REWORK_EVERY = 5
REJECT_EVERY = 7
_TEXT = {
    "zh-CN": {
        "missing": "客户本次未带：{doc}",
        "rework": "材料复印件不清晰，请客户补交。",
        "approved": "部门审核通过。",
        "rejected": "不符合办理条件，部门不予受理。",
        "guidance": "已告知客户办理结果及后续注意事项，客户表示清楚。",
    },
    "en": {
        "missing": "Not brought this time: {doc}",
        "rework": "The copies are not legible; the customer sends them again.",
        "approved": "Approved by the department.",
        "rejected": "The request does not meet the conditions; the department declined it.",
        "guidance": "Told the customer the outcome and what to watch for next; the customer understood.",
    },
}


@dataclass
class _Ticket:
    """What a business ticket's events say about its case."""

    created: PlannedEvent
    agent: str | None = None
    moves: list[tuple[datetime, str]] = field(default_factory=list)


def _tickets(events: Sequence[PlannedEvent], templates: Mapping[str, str]) -> list[_Ticket]:
    tickets: dict[str, _Ticket] = {}
    for ev in events:
        if ev.entity != "ticket":
            continue
        if ev.kind == "ticket.created" and templates.get(ev.entity_id) in CASE_TYPE:
            tickets[ev.entity_id] = _Ticket(ev)
        elif ev.entity_id not in tickets:
            continue
        elif ev.kind == "ticket.assigned":
            tickets[ev.entity_id].agent = ev.payload.get("assignee_id")
        elif ev.kind == "ticket.status_changed":
            tickets[ev.entity_id].moves.append((ev.at, ev.payload["to"]))
    return sorted(tickets.values(), key=lambda t: t.created.at)


def demo_business_events(
    events: Sequence[PlannedEvent], templates: Mapping[str, str], now: datetime, team_of: Mapping[str, str]
) -> list[PlannedEvent]:
    """Case events for the business tickets of ``events``, all before ``now``.

    ``templates`` maps a ticket id to the demo template it was made from; ``team_of`` a user to their team.
    """
    checklists = load_checklists().checklists
    planned: list[PlannedEvent] = []
    number = 0
    for ticket in _tickets(events, templates):
        checklist = checklists.get(CASE_TYPE[templates[ticket.created.entity_id]])
        if checklist is None or ticket.agent is None or not ticket.moves or ticket.moves[0][1] != "open":
            continue
        number += 1
        planned += _case(ticket, checklist, number, team_of.get(ticket.agent, ""))
    return [ev for ev in planned if ev.at < now]


def _case(ticket: _Ticket, checklist: Checklist, number: int, team: str) -> list[PlannedEvent]:
    created, agent = ticket.created, ticket.agent or ""
    case_id = f"{created.entity_id}-b"
    lang = "en" if created.payload.get("subject", "").isascii() else "zh-CN"
    text = _TEXT[lang]
    out: list[PlannedEvent] = []

    def emit(at: datetime, kind: str, payload: dict[str, Any]) -> None:
        out.append(PlannedEvent(at, agent, "business", case_id, kind, payload))

    opened = ticket.moves[0][0] + timedelta(minutes=3)
    docs = checklist.document_ids
    customer_id = created.payload.get("customer_id")
    emit(opened, "business.case_opened",
         opened_payload(checklist, ticket_id=created.entity_id, customer_id=customer_id, agent_id=agent, team=team))
    missing = docs[number % len(docs)]
    waited = _after(ticket.moves, opened, "waiting_customer")
    for position, doc in enumerate(docs):
        if doc != missing or waited is None:
            emit(opened + timedelta(minutes=2 + position), "business.document_checked",
                 document_payload(doc, "received"))
    if waited is not None:  # the customer had to come back with one document
        name = checklist.documents[docs.index(missing)].name.in_lang(lang)
        emit(waited - timedelta(minutes=1), "business.document_checked",
             document_payload(missing, "missing", text["missing"].format(doc=name)))
        back = _after(ticket.moves, waited, "open")
        if back is None:
            return out
        emit(back + timedelta(minutes=2), "business.document_checked", document_payload(missing, "received"))
    passed = _after(ticket.moves, opened, "waiting_department")
    if passed is None:
        return out
    passed += timedelta(minutes=1)
    promised = passed + timedelta(days=checklist.promise_days)
    emit(passed, "business.passed", passed_payload(checklist.department.en, promised))
    returned = _after(ticket.moves, passed, "open")
    reviewed = passed + timedelta(hours=4) if returned is None else passed + (returned - passed) / 4
    stage = "submitted"

    def move(at: datetime, to: str, note: str = "") -> None:
        nonlocal stage
        emit(at, "business.stage_changed", stage_payload(to, stage, note))
        stage = to

    move(reviewed, "in_review")
    if returned is None:
        return out
    if number % REWORK_EVERY == 0:
        move(passed + (returned - passed) / 3, "returned_for_rework", text["rework"])
        move(passed + (returned - passed) / 2, "in_review")
    if number % REJECT_EVERY == 0:
        move(returned - timedelta(minutes=5), "rejected", text["rejected"])
        return out
    move(returned - timedelta(minutes=5), "approved", text["approved"])
    resolved = _after(ticket.moves, returned, "resolved")
    if resolved is not None:
        emit(resolved - timedelta(minutes=1), "business.completed", {"guidance": text["guidance"]})
    return out


def _after(moves: Sequence[tuple[datetime, str]], since: datetime, to: str) -> datetime | None:
    """When the ticket first moved to ``to`` after ``since``, or None."""
    return next((at for at, status in moves if at > since and status == to), None)
