"""Complaint use cases with the regulatory clock (CBIRC Order 2020 No. 3), reached as ``store.complaints``.

Every change is a ``complaint.*`` event (plus the ``ticket.*`` events that keep the
complaint's ticket in the queue in step), applied by :mod:`csdesk.data.complaint_reducer`.
Roles are checked here (:mod:`csdesk.domain.roles`), the clock's rules come from
:mod:`csdesk.domain.complaint_clock`, and refusals say what the rule is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from csdesk.data import eventlog
from csdesk.data.complaint_reducer import COMPLAINT, EXTENSION, PAUSE, POLICY, STEP, accepted_on, aware
from csdesk.data.complaint_views import (
    OPEN_STATUSES,
    ComplaintDetail,
    ComplaintRowView,
    ComplaintStatus,
    ExtensionView,
    PauseView,
    StepView,
)
from csdesk.data.reducer import CUSTOMER, TICKET, USER
from csdesk.domain import complaint_clock as clock_rules
from csdesk.domain.complaint_notice import NoticeFacts, render_notice
from csdesk.domain.errors import Conflict, NotFound, ValidationError
from csdesk.domain.masking import mask_phone, mask_text
from csdesk.domain.roles import Permission, Role
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.tickets import Business, Cause, Channel, Kind, Priority, Status
from csdesk.domain.uuid7 import uuid7
from csdesk.domain.when import DESK_TZ, today_local

#: When the satisfaction follow-up call is proposed on its day (desk time).
FOLLOW_UP_TIME = time(10, 0)

if TYPE_CHECKING:
    from csdesk.data.store import Store

TEXT_LIMIT = 20_000
LINE_LIMIT = 200
POLICY_ID = "desk"
SEVERITIES = ("normal", "serious", "critical")
NOTICE_CHANNELS = ("letter", "email", "sms", "in_person", "recorded_call", "app")
Item = tuple[str, str, str, dict[str, Any]]


def _choice(value: str | None, allowed: Iterable[str], field: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValidationError(field, f"Unknown {field.replace('_', ' ')} {value!r}; use one of: {', '.join(allowed)}.")
    return str(value)


def _required(value: str | None, field: str, sentence: str, limit: int = TEXT_LIMIT) -> str:
    cleaned = sanitize_text(value or "", max_chars=limit).strip()
    if not cleaned:
        raise ValidationError(field, sentence)
    return cleaned


def _day(value: str | date | None, field: str, default: date) -> date:
    if value is None or value == "":
        return default
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(sanitize_line(value, max_chars=20).strip())
    except ValueError:
        raise ValidationError(field, f"{value!r} is not a date; write it as YYYY-MM-DD.") from None


def _amount(value: str | None) -> str:
    raw = sanitize_line(value or "", max_chars=40).replace(",", "").replace("¥", "").strip()
    if not raw:
        return ""
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValidationError("amount_in_dispute", f"{raw!r} is not an amount; write e.g. 1200.50.") from None
    if amount < 0 or amount.as_tuple().exponent < -2 or not amount.is_finite():  # type: ignore[operator]
        raise ValidationError("amount_in_dispute", "An amount in dispute is zero or more, with at most 2 decimals.")
    return f"{amount:.2f}"


def _names(values: Iterable[str], limit: int = 20) -> list[str]:
    cleaned = [sanitize_line(v, max_chars=100).strip() for v in values]
    return list(dict.fromkeys(v for v in cleaned if v))[:limit]


class Complaints:
    """Complaint use cases on one store (``store.complaints``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------- plumbing
    def today(self) -> date:
        """The desk's local calendar day now (the clock counts calendar days)."""
        return today_local(self.store.clock.now())

    def roll_forward(self) -> bool:
        """Whether a deadline on a rest day moves to the next working day (Civil Code Art. 203)."""
        with self.store._read() as conn:
            value = conn.execute(select(POLICY.c.roll_forward).where(POLICY.c.id == POLICY_ID)).scalar()
        return True if value is None else bool(value)

    def set_roll_forward(self, actor_id: str, enabled: bool) -> bool:
        """Switch the rest-day roll-forward on or off for new complaints (supervisors)."""
        self.store._require(actor_id, Permission.SETTINGS_EDIT)
        self.store._write(actor_id, [("complaint_policy", POLICY_ID, "complaint.policy_set",
                                      {"roll_forward": bool(enabled)})])
        return self.roll_forward()

    def _complaint(self, conn: Connection, complaint_id: str) -> Any:
        row = conn.execute(select(COMPLAINT).where(COMPLAINT.c.id == complaint_id)).first()
        if row is None:
            raise NotFound("That complaint does not exist.")
        return row

    def _load(self, complaint_id: str) -> Any:
        with self.store._read() as conn:
            return self._complaint(conn, complaint_id)

    def _handler(self, actor_id: str, row: Any, permission: Permission = Permission.COMPLAINT_HANDLE) -> None:
        """Role check, then Art. 17: a conflicted user never handles the complaint."""
        self.store._require(actor_id, permission)
        clock_rules.check_not_conflicted(actor_id, self._conflicted(row))

    @staticmethod
    def _conflicted(row: Any) -> list[str]:
        return [name for name in (row.conflicted or "").split(",") if name]

    @staticmethod
    def _expect(row: Any, statuses: Sequence[str], doing: str) -> None:
        if row.status not in statuses:
            raise Conflict(f"The complaint is {row.status}; {doing} needs it to be {' or '.join(statuses)}.")

    def _state(self, row: Any, today: date | None = None) -> clock_rules.ClockState:
        today = today or self.today()
        pauses: list[tuple[date, date | None]] = []
        if row.paused and row.paused_since is not None:
            pauses.append((row.paused_since, None))
        running = clock_rules.paused_days(pauses, today)
        deadline = clock_rules.decision_deadline(
            accepted_on(row.accepted_at), row.allowed_days, row.paused_days + running, roll_forward=row.roll_forward
        )
        return clock_rules.ClockState(deadline, clock_rules.days_remaining(deadline, today), bool(row.paused))

    # ------------------------------------------------------------- logging
    def proposal(self, accepted: str | date | None = None) -> tuple[date, date]:
        """(legal deadline, proposed reply date) for a complaint accepted on ``accepted`` (default today)."""
        today = self.today()
        day = _day(accepted, "accepted_at", today)
        deadline = clock_rules.decision_deadline(day, roll_forward=self.roll_forward())
        return deadline, clock_rules.propose_promise(deadline, today)

    def log(
        self,
        actor_id: str,
        *,
        ticket_id: str | None = None,
        customer_id: str | None = None,
        channel: str | None = None,
        business: str,
        cause: str,
        description: str,
        remedy: str = "",
        amount_in_dispute: str = "",
        severity: str = "normal",
        complainants: int = 1,
        promised: str | date | None = None,
        accepted: str | date | None = None,
        major_grounds: Sequence[str] = (),
        new_facts: bool = False,
        subject: str = "",
    ) -> ComplaintDetail:
        """Log a complaint from a ticket (``ticket_id``) or directly (a complaint ticket is created).

        A repeat by the same customer on the same matter (business and cause) while one is
        open is merged into it (Art. 14; the new ticket merges into the open one's ticket);
        with ``new_facts`` it becomes a new complaint linked to the open one.
        """
        self.store._require(actor_id, Permission.COMPLAINT_LOG)
        ticket = None
        if ticket_id:
            with self.store._read() as conn:
                ticket = self.store._ticket(conn, ticket_id)
                if conn.execute(select(COMPLAINT.c.id).where(COMPLAINT.c.ticket_id == ticket_id)).first():
                    raise Conflict("This ticket already has a complaint; open it from the complaints screen.")
            customer_id = customer_id or ticket.customer_id
            channel = channel or ticket.channel
        if not customer_id:
            raise ValidationError("customer_id", "A complaint needs the customer who makes it.")
        with self.store._read() as conn:
            if not conn.execute(select(CUSTOMER.c.id).where(CUSTOMER.c.id == customer_id)).first():
                raise NotFound("That customer does not exist.")
        values: dict[str, Any] = {
            "customer_id": customer_id,
            "channel": _choice(channel, [c.value for c in Channel], "channel"),
            "business": _choice(business, [b.value for b in Business], "business"),
            "cause": _choice(cause, [c.value for c in Cause], "cause"),
            "description": _required(description, "description", "Record what the customer complains about."),
            "remedy": sanitize_text(remedy or "", max_chars=TEXT_LIMIT).strip(),
            "amount_in_dispute": _amount(amount_in_dispute),
            "severity": _choice(severity, SEVERITIES, "severity"),
        }
        if not 1 <= int(complainants) <= 100_000:
            raise ValidationError("complainants", "The number of complainants is at least 1.")
        values["complainants"] = int(complainants)
        try:
            values["major_grounds"] = list(clock_rules.major_grounds(values["complainants"], major_grounds))
        except ValueError:
            allowed = ", ".join(g.value for g in clock_rules.MajorGround)
            raise ValidationError("major_grounds", f"Unknown ground for a major complaint; use: {allowed}.") from None
        today, now = self.today(), self.store.clock.now()
        accepted_day = _day(accepted, "accepted_at", today)
        clock_rules.check_acceptance(accepted_day, today)
        accepted_at = now if accepted_day == today else datetime.combine(accepted_day, time(12), DESK_TZ)
        roll = self.roll_forward()
        deadline = clock_rules.decision_deadline(accepted_day, roll_forward=roll)
        promised_day = _day(promised, "promised_at", clock_rules.propose_promise(deadline, today))
        clock_rules.check_promise(promised_day, deadline, today)
        open_one = self._open_on_same_matter(customer_id, values["business"], values["cause"])
        outcome = clock_rules.repeat_outcome(open_one is not None, new_facts)
        subject = sanitize_line(subject or "", max_chars=LINE_LIMIT).strip()
        subject = subject or sanitize_line(values["description"], max_chars=None)[:60]
        if ticket is None:  # every input was checked: the complaint's ticket can be created now
            priority = Priority.URGENT.value if values["major_grounds"] else Priority.HIGH.value
            row = self.store.create_ticket(
                actor_id, kind=Kind.COMPLAINT.value, channel=values["channel"], subject=subject, priority=priority,
                description=values["description"], customer_id=customer_id, business=values["business"],
                cause=values["cause"],
            )
            with self.store._read() as conn:
                ticket = self.store._ticket(conn, row.id)
        if outcome is clock_rules.RepeatOutcome.MERGED:
            return self._merge_repeat(actor_id, open_one, ticket)
        complaint_id = uuid7(self.store.clock)
        payload = {
            **values,
            "ticket_id": ticket.id,
            "accepted_at": accepted_at.isoformat(),
            "allowed_days": clock_rules.DECISION_DAYS,
            "roll_forward": roll,
            "deadline": deadline.isoformat(),
            "promised_at": promised_day.isoformat(),
            "linked_to": open_one.id if open_one is not None else None,
        }
        items: list[Item] = []
        if ticket.kind != Kind.COMPLAINT.value:
            items.append(("ticket", ticket.id, "ticket.updated", {"kind": Kind.COMPLAINT.value}))
        items.append(("complaint", complaint_id, "complaint.logged", payload))
        if open_one is not None:
            items += [
                ("ticket", ticket.id, "ticket.linked", {"other_id": open_one.ticket_id, "other_ref": open_one.ref}),
                ("ticket", open_one.ticket_id, "ticket.linked", {"other_id": ticket.id, "other_ref": ticket.ref}),
            ]
        if values["major_grounds"]:
            items += self._escalation(complaint_id, ticket, values["major_grounds"])
        self.store._write(actor_id, items)
        return self.get(actor_id, complaint_id)

    def _open_on_same_matter(self, customer_id: str, business: str, cause: str) -> Any:
        stmt = (
            select(COMPLAINT.c.id, COMPLAINT.c.ticket_id, TICKET.c.ref)
            .join(TICKET, TICKET.c.id == COMPLAINT.c.ticket_id)
            .where(
                COMPLAINT.c.customer_id == customer_id,
                COMPLAINT.c.business == business,
                COMPLAINT.c.cause == cause,
                COMPLAINT.c.status != ComplaintStatus.CLOSED.value,
            )
            .order_by(COMPLAINT.c.accepted_at)
        )
        with self.store._read() as conn:
            return conn.execute(stmt).first()

    def _merge_repeat(self, actor_id: str, open_one: Any, ticket: Any) -> ComplaintDetail:
        """Art. 14: the repeat contact's ticket merges into the open complaint's ticket; one clock."""
        self.store.merge_ticket(actor_id, ticket.id, open_one.ref)
        step = {"kind": "repeat_merged", "text": ticket.ref, "department": ""}
        self.store._write(actor_id, [("complaint", open_one.id, "complaint.step_recorded", step)])
        return self.get(actor_id, open_one.id)

    def _escalation(self, complaint_id: str, ticket: Any, grounds: Sequence[str]) -> list[Item]:
        """Art. 29: a major complaint is escalated to the supervisors at once; its ticket turns urgent."""
        with self.store._read() as conn:
            supervisors = [
                r.id for r in conn.execute(
                    select(USER.c.id).where(USER.c.role == Role.SUPERVISOR.value, USER.c.active).order_by(USER.c.id)
                )
            ]
        items: list[Item] = [
            ("complaint", complaint_id, "complaint.escalated", {"grounds": list(grounds), "notified": supervisors})
        ]
        if ticket.priority != Priority.URGENT.value:
            items.append(("ticket", ticket.id, "ticket.updated", {"priority": Priority.URGENT.value}))
        return items

    # ------------------------------------------------------------- handling group and recusal
    def form_group(
        self, actor_id: str, complaint_id: str, *, departments: Sequence[str], lead_handler_id: str,
        members: Sequence[str] = (),
    ) -> ComplaintDetail:
        """Form the handling group (supervisors): departments, lead handler, members; the lead gets the ticket."""
        self.store._require(actor_id, Permission.COMPLAINT_GROUP)
        row = self._load(complaint_id)
        self._expect(row, OPEN_STATUSES, "forming the handling group")
        names = _names(departments)
        if not names:
            raise ValidationError("departments", "Name at least one department in the handling group.")
        people = list(dict.fromkeys([lead_handler_id, *members]))
        for person in people:
            user = self.store.get_user(person)
            if not user.active:
                raise ValidationError("members", f"{user.name} is deactivated and cannot handle complaints.")
            clock_rules.check_not_conflicted(person, self._conflicted(row))
        payload = {"departments": names, "lead_handler_id": lead_handler_id, "members": people[1:]}
        self.store._write(
            actor_id,
            [
                ("complaint", complaint_id, "complaint.group_formed", payload),
                ("ticket", row.ticket_id, "ticket.assigned", {"assignee_id": lead_handler_id}),
            ],
        )
        return self.get(actor_id, complaint_id)

    def mark_conflicted(self, actor_id: str, complaint_id: str, handler_id: str, reason: str) -> ComplaintDetail:
        """Art. 17: record that ``handler_id`` has a conflict of interest; they are taken off the ticket."""
        self.store._require(actor_id, Permission.COMPLAINT_RECUSE)
        row = self._load(complaint_id)
        self.store.get_user(handler_id)
        reason = _required(reason, "reason", "Say what the conflict of interest is.")
        if handler_id == row.lead_handler_id:
            raise Conflict("This is the lead handler: form the group with another lead, then record the conflict.")
        items: list[Item] = [
            ("complaint", complaint_id, "complaint.recusal_recorded", {"handler_id": handler_id, "reason": reason})
        ]
        with self.store._read() as conn:
            ticket = self.store._ticket(conn, row.ticket_id)
        if ticket.assignee_id == handler_id:
            items.append(("ticket", row.ticket_id, "ticket.assigned", {"assignee_id": None}))
        self.store._write(actor_id, items)
        return self.get(actor_id, complaint_id)

    def conflicted_for_ticket(self, ticket_id: str) -> list[str]:
        """Handlers marked as conflicted on the complaint of ``ticket_id`` (none for other tickets)."""
        with self.store._read() as conn:
            row = conn.execute(select(COMPLAINT.c.conflicted).where(COMPLAINT.c.ticket_id == ticket_id)).first()
        return [] if row is None else self._conflicted(row)

    def check_assignable(self, ticket_id: str, user_id: str) -> None:
        """Refuse giving a complaint's ticket to a handler marked as conflicted (Art. 17)."""
        clock_rules.check_not_conflicted(user_id, self.conflicted_for_ticket(ticket_id))

    # ------------------------------------------------------------- the clock
    def pause(
        self, actor_id: str, complaint_id: str, reason: str, note: str = "", start: str | date | None = None
    ) -> ComplaintDetail:
        """Stop the clock for appraisal, inspection, expert assessment or mediation (Art. 16)."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        self._expect(row, OPEN_STATUSES, "pausing the clock")
        if row.paused:
            raise Conflict("The clock is already paused; resume it first.")
        reason = _choice(reason, [r.value for r in clock_rules.PauseReason], "reason")
        today = self.today()
        start_day = _day(start, "start_on", today)
        if start_day > today or start_day < accepted_on(row.accepted_at):
            raise ValidationError("start_on", "A pause starts between the acceptance day and today.")
        payload = {
            "pause_id": uuid7(self.store.clock),
            "reason": reason,
            "note": sanitize_text(note or "", max_chars=TEXT_LIMIT).strip(),
            "start_on": start_day.isoformat(),
        }
        self.store._write(actor_id, [("complaint", complaint_id, "complaint.paused", payload)])
        return self.get(actor_id, complaint_id)

    def resume(self, actor_id: str, complaint_id: str, end: str | date | None = None) -> ComplaintDetail:
        """Restart the clock; the paused days are added to the deadline."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        with self.store._read() as conn:
            pause = conn.execute(
                select(PAUSE).where(PAUSE.c.complaint_id == complaint_id, PAUSE.c.end_on.is_(None))
            ).first()
        if pause is None:
            raise Conflict("The clock is not paused.")
        today = self.today()
        end_day = _day(end, "end_on", today)
        if end_day > today or end_day < pause.start_on:
            raise ValidationError("end_on", f"A pause ends between its start ({pause.start_on}) and today.")
        payload = {"pause_id": pause.id, "end_on": end_day.isoformat()}
        self.store._write(actor_id, [("complaint", complaint_id, "complaint.resumed", payload)])
        return self.get(actor_id, complaint_id)

    def extend(self, actor_id: str, complaint_id: str, to_days: int, reason: str) -> ComplaintDetail:
        """Extend the clock: to 30 days (team lead and up), then to ≤ 60 (supervisor); the customer is told why."""
        to_days = int(to_days)
        permission = Permission.COMPLAINT_EXTEND_FURTHER if to_days > clock_rules.EXTENDED_DAYS else (
            Permission.COMPLAINT_EXTEND
        )
        user = self.store._require(actor_id, permission)
        row = self._load(complaint_id)
        clock_rules.check_not_conflicted(actor_id, self._conflicted(row))
        self._expect(row, OPEN_STATUSES, "an extension")
        clock_rules.check_extension(row.allowed_days, to_days, user.role)
        reason = _required(reason, "reason", "Give the reason the customer is told for the extension.")
        payload = {"from_days": row.allowed_days, "to_days": to_days, "reason": reason}
        self.store._write(actor_id, [("complaint", complaint_id, "complaint.extended", payload)])
        return self.get(actor_id, complaint_id)

    # ------------------------------------------------------------- investigation and decision
    def record_step(
        self, actor_id: str, complaint_id: str, text: str, department: str = "", kind: str = "investigation"
    ) -> ComplaintDetail:
        """Record an investigation step or a department's reply (grow-only timeline)."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        kind = _choice(kind, ("investigation", "department_reply"), "kind")
        text = _required(text, "text", "Write down what was done or what the department replied.")
        department = sanitize_line(department or "", max_chars=100).strip()
        if kind == "department_reply" and not department:
            raise ValidationError("department", "Name the department that replied.")
        payload = {"kind": kind, "department": department, "text": text}
        self.store._write(actor_id, [("complaint", complaint_id, "complaint.step_recorded", payload)])
        return self.get(actor_id, complaint_id)

    def decide(
        self, actor_id: str, complaint_id: str, *, findings: str, decision: str, basis: str, root_cause: str = ""
    ) -> ComplaintDetail:
        """Record the findings, the decision and its basis (Art. 19), and the root cause if known."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        self._expect(row, (ComplaintStatus.OPEN.value, ComplaintStatus.REVIEW.value), "a decision")
        if row.paused:
            raise Conflict("The clock is paused; resume it before deciding.")
        payload = {
            "findings": _required(findings, "findings", "State what the investigation found."),
            "decision": _required(decision, "decision", "State the decision."),
            "basis": _required(basis, "basis", "State the basis of the decision (rules, contract, facts)."),
            "root_cause": sanitize_text(root_cause or "", max_chars=TEXT_LIMIT).strip(),
        }
        self.store._write(actor_id, [("complaint", complaint_id, "complaint.decided", payload)])
        return self.get(actor_id, complaint_id)

    def notice_text(self, actor_id: str, complaint_id: str, language: str = "zh-CN") -> str:
        """The decision notice (Art. 19) in zh-CN or en, customer numbers masked."""
        detail = self.get(actor_id, complaint_id)
        if language not in ("zh-CN", "en"):
            raise ValidationError("language", f"Unknown language {language!r}; use zh-CN or en.")
        if not detail.decision:
            raise Conflict("There is no decision yet; decide the complaint before writing its notice.")
        decided = today_local(aware(detail.decided_at)) if detail.decided_at else self.today()
        sent = today_local(aware(detail.notice_sent_at)) if detail.notice_sent_at else self.today()
        facts = NoticeFacts(
            ref=detail.row.ref,
            customer_name=detail.row.customer_name,
            accepted_on=accepted_on(detail.row.accepted_at),
            decided_on=decided,
            findings=detail.findings,
            decision=detail.decision,
            basis=detail.basis,
            review_by=clock_rules.review_request_due(sent),
        )
        return render_notice(facts, language)

    def record_notice_sent(
        self, actor_id: str, complaint_id: str, channel: str, proof: str, language: str = "zh-CN"
    ) -> ComplaintDetail:
        """Record how the notice was sent and its proof of delivery (Art. 21); the text sent is fingerprinted."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        self._expect(row, (ComplaintStatus.DECIDED.value,), "sending the notice")
        channel = _choice(channel, NOTICE_CHANNELS, "channel")
        proof = _required(proof, "proof", "Record the proof of delivery (tracking number, receipt, call id).", 2_000)
        text = self.notice_text(actor_id, complaint_id, language)
        payload = {
            "channel": channel,
            "proof": proof,
            "language": language,
            "sent_at": self.store.clock.now().isoformat(),
            "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
        self.store._write(actor_id, [("complaint", complaint_id, "complaint.notice_sent", payload)])
        return self.get(actor_id, complaint_id)

    # ------------------------------------------------------------- closing, follow-up, reopening, review
    def close(self, actor_id: str, complaint_id: str, root_cause: str = "") -> ComplaintDetail:
        """Close a decided complaint with its root cause; the follow-up is scheduled; the ticket closes."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        if not row.decision:
            raise ValidationError("decision", "A complaint is closed only after its decision is recorded.")
        self._expect(row, (ComplaintStatus.DECIDED.value, ComplaintStatus.NOTIFIED.value), "closing")
        cause = sanitize_text(root_cause or "", max_chars=TEXT_LIMIT).strip() or row.root_cause
        if not cause:
            raise ValidationError("root_cause", "Write the root-cause analysis before closing the complaint.")
        follow_up_due, follow_up_items = self.schedule_follow_up(actor_id, row, self.today())
        items: list[Item] = [
            ("complaint", complaint_id, "complaint.closed", {"root_cause": cause,
                                                              "follow_up_due": follow_up_due.isoformat()}),
            *follow_up_items,
        ]
        with self.store._read() as conn:
            ticket = self.store._ticket(conn, row.ticket_id)
        if ticket.status not in (Status.RESOLVED.value, Status.CLOSED.value):
            items.append(("ticket", ticket.id, "ticket.status_changed", {"from": ticket.status, "to": "resolved"}))
        if ticket.status != Status.CLOSED.value:
            items.append(("ticket", ticket.id, "ticket.status_changed", {"from": "resolved", "to": "closed"}))
        self.store._write(actor_id, items)
        return self.get(actor_id, complaint_id)

    def schedule_follow_up(self, actor_id: str, row: Any, closed_on: date) -> tuple[date, list[Item]]:
        """The follow-up after closing (seed 002: follow up until the customer is satisfied).

        Returns the day it is due and the events that schedule it, written with the close:
        a satisfaction callback (purpose ``complaint_follow_up``) to the customer, made by
        whoever closes the complaint, at the first time on or after that day the customer
        may be called (contact window, holidays). A customer who asked not to be contacted,
        or a complaint without a customer, gets no call; the due day is still recorded.
        """
        from csdesk.domain.callback_rules import ContactRefused

        due_day = clock_rules.follow_up_due(closed_on)
        if not row.customer_id:
            return due_day, []
        due = datetime.combine(due_day, FOLLOW_UP_TIME, tzinfo=DESK_TZ)
        plan = {
            "purpose": "complaint_follow_up",
            "customer_id": row.customer_id,
            "ticket_id": row.ticket_id,
            "complaint_id": row.id,
            "assignee_id": actor_id,
            "note": "满意度回访 / satisfaction follow-up",
        }
        try:
            item = self.store.callbacks.plan_schedule(actor_id, due=due, **plan)
        except ContactRefused as refused:
            if refused.proposal is None:
                return due_day, []  # do not contact: no call is scheduled
            item = self.store.callbacks.plan_schedule(actor_id, due=refused.proposal, **plan)
        return due_day, [item]

    def reopen(self, actor_id: str, complaint_id: str, reason: str) -> ComplaintDetail:
        """Reopen a closed (or notified) complaint, e.g. the customer is not satisfied; history stays."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        self._expect(row, (ComplaintStatus.CLOSED.value, ComplaintStatus.NOTIFIED.value), "reopening")
        reason = _required(reason, "reason", "Say why the complaint is reopened.")
        items: list[Item] = [("complaint", complaint_id, "complaint.reopened", {"reason": reason})]
        with self.store._read() as conn:
            ticket = self.store._ticket(conn, row.ticket_id)
        if ticket.status in (Status.RESOLVED.value, Status.CLOSED.value):
            items.append(("ticket", ticket.id, "ticket.reopened", {"reason": reason}))
        self.store._write(actor_id, items)
        return self.get(actor_id, complaint_id)

    def request_review(self, actor_id: str, complaint_id: str, requested: str | date | None = None) -> ComplaintDetail:
        """The customer disagrees: a review, asked within 30 days of the notice, due 30 days later (Art. 20)."""
        row = self._load(complaint_id)
        self._handler(actor_id, row)
        self._expect(row, (ComplaintStatus.NOTIFIED.value, ComplaintStatus.CLOSED.value), "a review")
        today = self.today()
        requested_day = _day(requested, "requested_on", today)
        if requested_day > today:
            raise ValidationError("requested_on", "A review request cannot be dated after today.")
        sent = today_local(aware(row.notice_sent_at)) if row.notice_sent_at else None
        due = clock_rules.check_review_request(sent, requested_day, roll_forward=row.roll_forward)
        payload = {"requested_on": requested_day.isoformat(), "review_due": due.isoformat()}
        items: list[Item] = [("complaint", complaint_id, "complaint.review_requested", payload)]
        with self.store._read() as conn:
            ticket = self.store._ticket(conn, row.ticket_id)
        if ticket.status in (Status.RESOLVED.value, Status.CLOSED.value):
            items.append(("ticket", ticket.id, "ticket.reopened", {"reason": "review requested"}))
        self.store._write(actor_id, items)
        return self.get(actor_id, complaint_id)

    # ------------------------------------------------------------- reading
    def _select(self) -> Any:
        return (
            select(COMPLAINT, TICKET.c.ref, CUSTOMER.c.name.label("customer_name"),
                   CUSTOMER.c.phone.label("customer_phone"))
            .join(TICKET, TICKET.c.id == COMPLAINT.c.ticket_id)
            .outerjoin(CUSTOMER, CUSTOMER.c.id == COMPLAINT.c.customer_id)
        )

    def _view(self, r: Any, today: date) -> ComplaintRowView:
        state = self._state(r, today)
        live = r.status != ComplaintStatus.CLOSED.value
        return ComplaintRowView(
            id=r.id,
            ticket_id=r.ticket_id,
            ref=r.ref,
            customer_id=r.customer_id,
            customer_name=r.customer_name or "",
            customer_phone=mask_phone(r.customer_phone) if r.customer_phone else None,
            business=r.business,
            cause=r.cause,
            status=r.status,
            accepted_at=aware(r.accepted_at),
            deadline=state.deadline,
            days_remaining=state.days_remaining,
            promised_at=r.promised_at,
            paused=state.paused,
            major=bool(r.major),
            allowed_days=r.allowed_days,
            due_soon=live and r.decided_at is None and clock_rules.due_soon(state.days_remaining),
            lead_handler_id=r.lead_handler_id,
        )

    def list(
        self, actor_id: str, *, due_within: int | None = None, statuses: Sequence[str] = ()
    ) -> list[ComplaintRowView]:
        """Complaints ordered by days remaining (undecided first, then decided, closed last)."""
        self.store._require(actor_id, Permission.COMPLAINT_READ)
        allowed = [s.value for s in ComplaintStatus]
        statuses = [_choice(s, allowed, "status") for s in statuses]
        stmt = self._select()
        if statuses:
            stmt = stmt.where(COMPLAINT.c.status.in_(statuses))
        today = self.today()
        with self.store._read() as conn:
            rows = [self._view(r, today) for r in conn.execute(stmt)]
        if due_within is not None:
            rows = [r for r in rows if r.status in OPEN_STATUSES and r.days_remaining <= due_within]
        rank = {ComplaintStatus.OPEN.value: 0, ComplaintStatus.REVIEW.value: 0, ComplaintStatus.DECIDED.value: 1,
                ComplaintStatus.NOTIFIED.value: 2, ComplaintStatus.CLOSED.value: 3}
        return sorted(rows, key=lambda r: (rank.get(r.status, 9), r.days_remaining, r.ref))

    def find(self, actor_id: str, key: str) -> ComplaintRowView:
        """The complaint with id ``key``, or the one logged on the ticket with reference ``key``."""
        self.store._require(actor_id, Permission.COMPLAINT_READ)
        key = sanitize_line(key or "", max_chars=64).strip()
        with self.store._read() as conn:
            row = conn.execute(
                self._select().where((COMPLAINT.c.id == key) | (TICKET.c.ref == key.upper()))
            ).first()
        if row is None:
            raise NotFound(f"There is no complaint {key}.")
        return self._view(row, self.today())

    def for_ticket(self, actor_id: str, ticket_id: str) -> ComplaintRowView | None:
        """The complaint logged from ``ticket_id``, if any."""
        self.store._require(actor_id, Permission.COMPLAINT_READ)
        with self.store._read() as conn:
            row = conn.execute(self._select().where(COMPLAINT.c.ticket_id == ticket_id)).first()
        return None if row is None else self._view(row, self.today())

    def get(self, actor_id: str, complaint_id: str) -> ComplaintDetail:
        """One complaint with its group, pauses, extensions, steps and timeline (text masked)."""
        self.store._require(actor_id, Permission.COMPLAINT_READ)
        from csdesk.data.store import _timeline

        with self.store._read() as conn:
            r = conn.execute(self._select().where(COMPLAINT.c.id == complaint_id)).first()
            if r is None:
                raise NotFound("That complaint does not exist.")
            pauses = conn.execute(select(PAUSE).where(PAUSE.c.complaint_id == complaint_id).order_by(PAUSE.c.start_on))
            pause_views = tuple(PauseView(p.id, p.reason, mask_text(p.note), p.start_on, p.end_on) for p in pauses)
            extensions = conn.execute(
                select(EXTENSION).where(EXTENSION.c.complaint_id == complaint_id).order_by(EXTENSION.c.to_days)
            )
            extension_views = tuple(
                ExtensionView(e.from_days, e.to_days, mask_text(e.reason), e.approved_by, aware(e.approved_at))
                for e in extensions
            )
            steps = conn.execute(select(STEP).where(STEP.c.complaint_id == complaint_id).order_by(STEP.c.at, STEP.c.id))
            step_views = tuple(
                StepView(s.kind, s.department, mask_text(s.text), s.actor_id, aware(s.at)) for s in steps
            )
            timeline = tuple(_timeline(ev) for ev in eventlog.events_for(conn, "complaint", complaint_id))
        return ComplaintDetail(
            row=self._view(r, self.today()),
            channel=r.channel,
            description=mask_text(r.description),
            remedy=mask_text(r.remedy),
            severity=r.severity,
            complainants=r.complainants,
            amount_in_dispute=r.amount_in_dispute,
            major_grounds=tuple(filter(None, r.major_grounds.split(","))),
            departments=tuple(json.loads(r.departments or "[]")),
            members=tuple(json.loads(r.members or "[]")),
            conflicted=tuple(self._conflicted(r)),
            findings=mask_text(r.findings),
            decision=mask_text(r.decision),
            basis=mask_text(r.basis),
            root_cause=mask_text(r.root_cause),
            decided_at=aware(r.decided_at) if r.decided_at else None,
            notice_sent_at=aware(r.notice_sent_at) if r.notice_sent_at else None,
            notice_channel=r.notice_channel,
            notice_proof=mask_text(r.notice_proof),
            closed_at=aware(r.closed_at) if r.closed_at else None,
            follow_up_due=r.follow_up_due,
            review_due=r.review_due,
            reopened_count=r.reopened_count,
            linked_to=r.linked_to,
            pauses=pause_views,
            extensions=extension_views,
            steps=step_views,
            timeline=timeline,
        )
