"""Scripted trainees: one who does everything a scenario expects, one who gets it wrong.

Complaints and callbacks are recorded as the events those rooms write (``complaint.logged``,
``callback.scheduled``), through ``Store.write_events``, so scoring is tested against the
event kinds of the cross-room contract.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.scenario import Scenario
from csdesk.domain.scoring import legal_deadline
from csdesk.domain.uuid7 import uuid7
from tests.trainer.conftest import TRAINEE, TRAINER


def play_until(store: Store, clock: FrozenClock, run_id: str, minutes: float) -> None:
    """Let simulated time pass in one-minute ticks of the simulator."""
    for _ in range(int(minutes)):
        clock.advance(timedelta(minutes=1))
        store.trainer.tick(TRAINER, run_id)


def log_complaint(store: Store, clock: FrozenClock, ticket_id: str, **overrides: Any) -> str:
    """A ``complaint.logged`` event with the fields the complaints room writes; returns the complaint id.

    Written as a raw event so a sloppy trainee's promise after the legal deadline can be
    scored (the complaints room itself refuses such a promise).
    """
    ticket = store.get_ticket(TRAINEE, ticket_id)
    accepted = clock.now()
    payload: dict[str, Any] = {
        "ticket_id": ticket_id,
        "customer_id": ticket.row.customer_id,
        "channel": ticket.row.channel,
        "business": ticket.business,
        "cause": "pricing_fees" if ticket.business == "credit_card" else "sales_practice",
        "description": ticket.description,
        "amount_in_dispute": "680.00",
        "remedy": "refund",
        "severity": "high",
        "complainants": 25 if ticket.business == "wealth_fund" else 1,
        "accepted_at": accepted.isoformat(),
        "promised_at": (accepted + timedelta(days=10)).date().isoformat(),
        "deadline": legal_deadline(accepted).date().isoformat(),
    }
    payload.update(overrides)
    complaint_id = uuid7(clock)
    store.write_events(TRAINEE, [("complaint", complaint_id, "complaint.logged", payload)])
    return complaint_id


def schedule_callback(store: Store, clock: FrozenClock, ticket_id: str, purpose: str, complaint_id: str = "") -> None:
    """A ``callback.scheduled`` event as the callbacks room writes it."""
    ticket = store.get_ticket_row(TRAINEE, ticket_id)
    payload = {
        "customer_id": ticket.customer_id,
        "ticket_id": ticket_id,
        "complaint_id": complaint_id or None,
        "purpose": purpose,
        "channel": "phone",
        "due_at": (clock.now() + timedelta(days=2)).isoformat(),
        "assignee_id": TRAINEE,
        "rule": "once",
    }
    store.write_events(TRAINEE, [("callback", uuid7(clock), "callback.scheduled", payload)])


def good_trainee(store: Store, clock: FrozenClock, run_id: str, scenario: Scenario) -> None:
    """Answers within seconds and does every expected step."""
    checks = {check.kind: check.params for check in scenario.checks}
    store.trainer.tick(TRAINER, run_id)
    clock.advance(timedelta(seconds=10))
    primary = store.trainer.run_tickets(TRAINER, run_id)[0]
    store.claim_ticket(TRAINEE, primary)
    if "kb_article" in checks:
        store.kb.use_in_ticket(TRAINEE, primary, checks["kb_article"]["article"][0], "zh-CN")
    for n in range(int(checks.get("notes", {}).get("min", 0))):
        store.add_note(TRAINEE, primary, f"已安抚客户并核实身份（第{n + 1}次记录）。")
    if "consulted" in checks:
        department = checks["consulted"].get("department", "") + "管理部"
        store.consult_department(TRAINEE, primary, department, "客户疑似遭遇电信诈骗，请协助止付。", "+2h")
    complaint_id = ""
    if "complaint_fields" in checks or "deadline" in checks:
        complaint_id = log_complaint(store, clock, primary)
    if "callback" in checks:
        purpose = checks["callback"].get("purpose") or "satisfaction_survey"
        schedule_callback(store, clock, primary, purpose, complaint_id)
    if "linked" in checks:
        play_until(store, clock, run_id, 12)  # the other calls arrive
        ref = store.get_ticket_row(TRAINEE, primary).ref
        for other in store.trainer.run_tickets(TRAINER, run_id)[1 : 1 + int(checks["linked"]["min"])]:
            store.link_tickets(TRAINEE, other, ref)


def sloppy_trainee(store: Store, clock: FrozenClock, run_id: str, scenario: Scenario) -> None:
    """Lets the customer wait, answers from the wrong article, peeks at the card number, promises too late."""
    checks = {check.kind for check in scenario.checks}
    store.trainer.tick(TRAINER, run_id)
    play_until(store, clock, run_id, 5)
    primary = store.trainer.run_tickets(TRAINER, run_id)[0]
    store.claim_ticket(TRAINEE, primary)
    store.kb.use_in_ticket(TRAINEE, primary, "service-hours", "zh-CN")
    customer_id = store.get_ticket_row(TRAINEE, primary).customer_id
    assert customer_id is not None
    store.reveal(TRAINEE, customer_id, "card_no", primary)
    if "complaint_fields" in checks or "deadline" in checks:
        late = (clock.now() + timedelta(days=40)).date().isoformat()
        log_complaint(store, clock, primary, cause="", severity="", complainants=1, promised_at=late)
