"""Demo complaints: the recent complaint tickets of the demo history, at every stage of the clock.

Planned (not written) events, like the rest of the demo history: every complaint ticket
accepted in the last 15 days gets a ``complaint.logged`` event, and in turn some are major
(escalated), paused for appraisal, extended to 30 days, decided with the notice sent, or
closed. The oldest are due within 3 days. Deterministic: ids derive from the ticket's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from csdesk.data.store import PlannedEvent
from csdesk.domain import complaint_clock as rules
from csdesk.domain.when import today_local

WINDOW = timedelta(days=rules.DECISION_DAYS)
STAGES = ("open", "major", "paused", "extended", "decided", "closed")
_TEXT = {
    "zh-CN": {
        "finding": "经调取交易流水核实，客户反映情况属实。",
        "decision": "向客户退还相关费用并致歉。",
        "basis": "《银行保险机构消费投诉处理管理办法》及相关业务合同约定。",
        "root": "系统批处理规则缺少重复校验。",
        "extension": "案情复杂，需调取多个部门的记录。",
        "appraisal": "交易真实性鉴定",
    },
    "en": {
        "finding": "The transaction records confirm the customer's account.",
        "decision": "The fees are refunded with an apology.",
        "basis": "CBIRC Order 2020 No. 3 and the product contract.",
        "root": "The batch job lacked a duplicate check.",
        "extension": "Complex case: records from several departments are needed.",
        "appraisal": "Transaction authenticity appraisal",
    },
}


def demo_complaint_events(
    events: Sequence[PlannedEvent], now: datetime, supervisor: str, lead: str
) -> list[PlannedEvent]:
    """Complaint events for the complaint tickets of ``events`` accepted in the last 15 days, all before ``now``."""
    closed_tickets = {
        ev.entity_id for ev in events
        if ev.kind == "ticket.status_changed" and ev.payload.get("to") in ("resolved", "closed")
    }
    recent = [
        ev for ev in events
        if ev.kind == "ticket.created" and ev.payload.get("kind") == "complaint" and ev.payload.get("customer_id")
        and ev.payload.get("cause") and now - WINDOW < ev.at < now
    ]
    planned: list[PlannedEvent] = []
    for number, ticket in enumerate(sorted(recent, key=lambda ev: ev.at)):
        stage = STAGES[number % len(STAGES)]
        if stage == "closed" and ticket.entity_id not in closed_tickets:
            stage = "decided"
        planned += _life(ticket, stage, now, supervisor, lead)
    return [ev for ev in planned if ev.at < now]


def _life(ticket: PlannedEvent, stage: str, now: datetime, supervisor: str, lead: str) -> list[PlannedEvent]:
    data, agent = ticket.payload, ticket.actor
    text = _TEXT["en" if data.get("subject", "").isascii() else "zh-CN"]
    complaint_id = f"{ticket.entity_id}-c"
    accepted = ticket.at + timedelta(minutes=5)
    deadline = rules.decision_deadline(today_local(accepted))
    complainants = 24 if stage == "major" else 1
    grounds = list(rules.major_grounds(complainants))
    payload = {
        "ticket_id": ticket.entity_id, "customer_id": data["customer_id"], "channel": data["channel"],
        "business": data["business"], "cause": data["cause"], "description": data.get("description") or "",
        "remedy": "", "amount_in_dispute": "", "severity": "critical" if grounds else "normal",
        "complainants": complainants, "major_grounds": grounds, "accepted_at": accepted.isoformat(),
        "allowed_days": rules.DECISION_DAYS, "roll_forward": True, "deadline": deadline.isoformat(),
        "promised_at": deadline.isoformat(), "linked_to": None,
    }
    out = [PlannedEvent(accepted, agent, "complaint", complaint_id, "complaint.logged", payload)]

    def later(hours: float, actor: str, kind: str, body: dict[str, object]) -> None:
        out.append(PlannedEvent(out[-1].at + timedelta(hours=hours), actor, "complaint", complaint_id, kind, body))

    if grounds:
        later(0.1, agent, "complaint.escalated",
              {"grounds": grounds, "notified": [supervisor], "step_id": f"{complaint_id}-x"})
    later(20, supervisor, "complaint.group_formed",
          {"departments": ["客服中心"], "lead_handler_id": agent, "members": []})
    if stage == "paused":
        start = today_local(out[-1].at + timedelta(hours=4))
        later(4, agent, "complaint.paused", {"pause_id": f"{complaint_id}-p", "reason": "appraisal",
                                             "note": text["appraisal"], "start_on": start.isoformat()})
    elif stage == "extended":
        later(6, lead, "complaint.extended",
              {"from_days": 15, "to_days": 30, "reason": text["extension"], "extension_id": f"{complaint_id}-e"})
    elif stage in ("decided", "closed"):
        later(30, agent, "complaint.step_recorded",
              {"kind": "investigation", "department": "", "text": text["finding"], "step_id": f"{complaint_id}-s"})
        later(8, agent, "complaint.decided", {"findings": text["finding"], "decision": text["decision"],
                                              "basis": text["basis"], "root_cause": text["root"]})
        if stage == "closed":
            later(2, agent, "complaint.notice_sent", {"channel": "letter", "proof": "EMS 9800", "language": "zh-CN",
                                                      "sent_at": (out[-1].at + timedelta(hours=2)).isoformat()})
            due = rules.follow_up_due(today_local(out[-1].at + timedelta(hours=20)))
            later(20, agent, "complaint.closed", {"root_cause": text["root"], "follow_up_due": due.isoformat()})
    return out
