"""Callback use cases, reached as ``store.callbacks`` (:class:`Callbacks`).

Schedule a callback from a ticket, a complaint or a customer; list what is due per agent
and team; record the outcome of each attempt (a "no answer" is retried by the callback's
retry policy, a recurring callback gets its next occurrence once an occurrence is over);
reschedule, cancel; remind the assignee before the due time once per due time; report
the completion KPI. The rules themselves are pure (:mod:`csdesk.domain.callback_rules`,
:mod:`csdesk.domain.recurrence`); this module checks roles, validates, writes events
(``callback.*``, ``customer.contact_prefs_set``) and reads the projections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from csdesk.data.callback_queries import CallbackQueries, as_utc, checked_choice, prefs_from_row
from csdesk.data.callback_reducer import CALLBACK, scheduled_payload
from csdesk.data.callback_views import (
    CallbackView,
    ContactPrefsView,
    OutcomeResult,
)
from csdesk.data.reducer import TICKET
from csdesk.data.tables import SQLModel
from csdesk.domain.callback_rules import (
    DUE_NOW_SPAN,
    OPEN_STATUSES,
    CallbackStatus,
    Channel,
    ContactPrefs,
    Outcome,
    Purpose,
    check_contact_time,
    check_retry_policy,
    check_score,
    is_unsatisfied,
    make_window,
    nearest_allowed,
    next_retry,
    parse_due,
    status_after,
)
from csdesk.domain.errors import Conflict, NotFound, ValidationError
from csdesk.domain.recurrence import RecurrenceRule, check_rule, next_occurrence, occurrences
from csdesk.domain.roles import Permission
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.tickets import Status, can_reopen
from csdesk.domain.uuid7 import uuid7

if TYPE_CHECKING:
    from csdesk.data.api import TicketRow

NOTE_LIMIT = 2_000
REASON_LIMIT = 500
Item = tuple[str, str, str, dict[str, Any]]
#: Complaint states an unsatisfied follow-up reopens (csdesk.data.complaint_views.ComplaintStatus).
REOPENABLE_COMPLAINT = ("closed", "notified")


class Callbacks(CallbackQueries):
    """Callback use cases on one store (``store.callbacks``)."""

    def set_contact_prefs(
        self,
        actor_id: str,
        customer_id: str,
        *,
        do_not_contact: bool = False,
        window_start: str = "09:00",
        window_end: str = "20:00",
        weekdays: Iterable[int] = range(7),
        time_zone: str = "Asia/Shanghai",
    ) -> ContactPrefsView:
        """Record the customer's contact window, time zone and do-not-contact wish."""
        self.store._require(actor_id, Permission.CUSTOMER_WRITE)
        window = make_window(window_start, window_end, weekdays, time_zone.strip())
        with self.store._read() as conn:
            self._customer(conn, customer_id)
        payload = {
            "do_not_contact": bool(do_not_contact),
            "window_start": f"{window.start:%H:%M}",
            "window_end": f"{window.end:%H:%M}",
            "weekdays": sorted(window.weekdays),
            "time_zone": window.time_zone,
        }
        self.store._write(actor_id, [("customer", customer_id, "customer.contact_prefs_set", payload)])
        return self.contact_prefs(actor_id, customer_id)

    # ------------------------------------------------------------- scheduling
    def _due(self, due: str | datetime) -> datetime:
        if isinstance(due, datetime):
            return as_utc(due)
        return as_utc(parse_due(sanitize_line(due, max_chars=64), self.store.clock.now()))

    def check_time(
        self, actor_id: str, customer_id: str, due: str | datetime, force_reason: str | None = None
    ) -> datetime:
        """The due time if the customer may be called then; else :class:`ContactRefused` with a proposal."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        moment_ = self._due(due)
        with self.store._read() as conn:
            self._customer(conn, customer_id)
            prefs = prefs_from_row(self._pref_row(conn, customer_id))
        check_contact_time(moment_, prefs, self.store.clock.now(), force_reason=force_reason)
        return moment_

    def _complaint_links(self, conn: Connection, complaint_id: str) -> tuple[str | None, str | None]:
        """(ticket id, customer id) of a complaint, when the complaint table is part of this store."""
        table = SQLModel.metadata.tables.get("complaint")
        if table is None:
            return None, None
        row = conn.execute(select(table.c.ticket_id, table.c.customer_id).where(table.c.id == complaint_id)).first()
        if row is None:
            raise NotFound(f"There is no complaint {complaint_id!r}.")
        return row.ticket_id, row.customer_id

    def _links(
        self, conn: Connection, customer_id: str | None, ticket_id: str | None, complaint_id: str | None, purpose: str
    ) -> tuple[str, str | None]:
        """Resolve the customer and ticket a callback is about; refuse what does not fit."""
        if complaint_id:
            linked_ticket, linked_customer = self._complaint_links(conn, complaint_id)
            ticket_id = ticket_id or linked_ticket
            customer_id = customer_id or linked_customer
        if ticket_id:
            ticket = conn.execute(select(TICKET).where(TICKET.c.id == ticket_id)).first()
            if ticket is None:
                raise NotFound("That ticket does not exist.")
            if customer_id and ticket.customer_id and customer_id != ticket.customer_id:
                raise ValidationError("customer_id", f"Ticket {ticket.ref} belongs to another customer.")
            customer_id = customer_id or ticket.customer_id
        if purpose == Purpose.COMPLAINT_FOLLOW_UP and not (ticket_id or complaint_id):
            raise ValidationError("purpose", "A complaint follow-up is scheduled from its complaint or ticket.")
        if not customer_id:
            raise ValidationError("customer_id", "Say which customer to call back (the ticket names none).")
        self._customer(conn, customer_id)
        return customer_id, ticket_id

    def _assignee(self, actor_id: str, assignee_id: str | None) -> str:
        if not assignee_id or assignee_id == actor_id:
            return actor_id
        self.store._require(actor_id, Permission.CALLBACK_ASSIGN)
        user = self.store.get_user(assignee_id)
        if not user.active:
            raise ValidationError("assignee_id", f"{user.name} is deactivated.")
        return user.id

    def schedule(self, actor_id: str, **options: Any) -> CallbackView:
        """Schedule a callback (the first occurrence of its rule); refused times propose the nearest allowed one.

        Takes the keywords of :meth:`plan_schedule` and writes its event.
        """
        item = self.plan_schedule(actor_id, **options)
        self.store._write(actor_id, [item])
        return self.get(actor_id, item[1])

    def plan_schedule(
        self,
        actor_id: str,
        *,
        purpose: str,
        due: str | datetime,
        customer_id: str | None = None,
        ticket_id: str | None = None,
        complaint_id: str | None = None,
        channel: str = Channel.PHONE.value,
        assignee_id: str | None = None,
        note: str = "",
        rule: RecurrenceRule | None = None,
        force_reason: str | None = None,
        max_attempts: int = 3,
        retry_minutes: int = 120,
    ) -> Item:
        """The checked ``callback.scheduled`` event of :meth:`schedule`, for a caller to write with its own events."""
        self.store._require(actor_id, Permission.CALLBACK_SCHEDULE)
        purpose = checked_choice(purpose, Purpose, "purpose")
        channel = checked_choice(channel, Channel, "channel")
        assignee = self._assignee(actor_id, assignee_id)
        policy = check_retry_policy(max_attempts, retry_minutes)
        note = sanitize_text(note or "", max_chars=NOTE_LIMIT).strip()
        reason = sanitize_line(force_reason or "", max_chars=REASON_LIMIT).strip() or None
        complaint_id = sanitize_line(complaint_id or "", max_chars=64).strip() or None
        rule = rule or RecurrenceRule()
        due_at = self._due(due)
        with self.store._read() as conn:
            customer, ticket = self._links(conn, customer_id, ticket_id, complaint_id, purpose)
            prefs = prefs_from_row(self._pref_row(conn, customer))
        check_rule(rule, due_at.astimezone(prefs.window.tz))
        due_at = as_utc(next(occurrences(rule, due_at.astimezone(prefs.window.tz))))  # the rule's first date
        check_contact_time(due_at, prefs, self.store.clock.now(), force_reason=reason)
        callback_id = uuid7(self.store.clock)
        payload = scheduled_payload(
            customer_id=customer,
            ticket_id=ticket,
            complaint_id=complaint_id,
            purpose=purpose,
            channel=channel,
            due_at=due_at,
            assignee_id=assignee,
            rule=rule.to_payload() if rule.repeats else None,
            note=note,
            series_id=callback_id,
            forced_reason=reason,
            max_attempts=policy.max_attempts,
            retry_minutes=int(policy.interval.total_seconds() // 60),
        )
        return ("callback", callback_id, "callback.scheduled", payload)

    # ------------------------------------------------------------- working a callback
    def _open(self, actor_id: str, callback_id: str, permission: Permission) -> CallbackView:
        """The callback, still to make, which ``actor_id`` may work (someone else's needs the assign right)."""
        user = self.store._require(actor_id, permission)
        callback = self.get(actor_id, callback_id)
        if callback.assignee_id not in (None, user.id):
            self.store._require(actor_id, Permission.CALLBACK_ASSIGN)
        if callback.status != CallbackStatus.SCHEDULED:
            raise Conflict(f"This callback is already {callback.status}; nothing more can be recorded on it.")
        return callback

    def _window(self, customer_id: str) -> ContactPrefs:
        with self.store._read() as conn:
            return prefs_from_row(self._pref_row(conn, customer_id))

    def _next_occurrence(self, callback: CallbackView, prefs: ContactPrefs) -> Item | None:
        """The ``callback.scheduled`` of the series' next occurrence, moved into the window (None: series over)."""
        rule = RecurrenceRule.from_payload(callback.rule)
        if not rule.repeats or prefs.do_not_contact:
            return None
        tz = prefs.window.tz
        after = max(callback.first_due_at, self.store.clock.now()).astimezone(tz)
        planned = next_occurrence(rule, callback.series_start.astimezone(tz), after)
        if planned is None:
            return None
        due = planned if prefs.window.allows(planned) else nearest_allowed(planned, prefs.window)
        if due is None:
            return None
        with self.store._read() as conn:
            note = conn.execute(select(CALLBACK.c.note).where(CALLBACK.c.id == callback.id)).scalar() or ""
        payload = scheduled_payload(
            customer_id=callback.customer_id,
            ticket_id=callback.ticket_id,
            complaint_id=callback.complaint_id,
            purpose=callback.purpose,
            channel=callback.channel,
            due_at=due,
            assignee_id=callback.assignee_id,
            rule=callback.rule,
            note=note,  # as written, not the masked view
            series_id=callback.series_id,
            occurrence=callback.occurrence + 1,
            series_start=callback.series_start,
            max_attempts=callback.max_attempts,
            retry_minutes=callback.retry_minutes,
        )
        return ("callback", uuid7(self.store.clock), "callback.scheduled", payload)

    def record_outcome(
        self,
        actor_id: str,
        callback_id: str,
        outcome: str,
        *,
        score: int | None = None,
        comment: str = "",
        unsatisfied: bool = False,
        reschedule_to: str | datetime | None = None,
        force_reason: str | None = None,
        answers: Sequence[int] | None = None,
    ) -> OutcomeResult:
        """Record one attempt: reached, no answer (retried by policy), wrong number, refused, rescheduled.

        A finished occurrence of a recurring callback schedules the next one. A complaint
        follow-up answered unsatisfied reopens the complaint
        (:meth:`reopen_unsatisfied_follow_up`). ``answers`` are a survey's per-question
        scores (``store.surveys.record_answers`` checks them), kept in the event.
        """
        callback = self._open(actor_id, callback_id, Permission.CALLBACK_OUTCOME)
        result = Outcome(checked_choice(outcome, Outcome, "outcome"))
        score = check_score(score, callback.purpose)
        if result is not Outcome.REACHED and (score is not None or unsatisfied):
            message = "Record a score or an unsatisfied answer only when the customer was reached."
            raise ValidationError("score", message)
        comment = sanitize_text(comment or "", max_chars=NOTE_LIMIT).strip()
        prefs = self._window(callback.customer_id)
        attempts = callback.attempts + 1
        policy = check_retry_policy(callback.max_attempts, callback.retry_minutes)
        status = status_after(result, attempts, policy)
        next_due: datetime | None = None
        if result is Outcome.RESCHEDULED:
            if reschedule_to is None:
                raise ValidationError("reschedule_to", "Say when the customer asked to be called again.")
            next_due = self._due(reschedule_to)
            check_contact_time(next_due, prefs, self.store.clock.now(), force_reason=force_reason)
        elif status is CallbackStatus.SCHEDULED:
            next_due = next_retry(self.store.clock.now(), attempts, policy, prefs.window)
            if next_due is None:
                status = CallbackStatus.FAILED
        unhappy = is_unsatisfied(callback.purpose, score, unsatisfied)
        payload = {
            "outcome": result.value,
            "score": score,
            "comment": comment,
            "unsatisfied": unhappy,
            "status": status.value,
            "attempt": attempts,
            "next_due_at": as_utc(next_due).isoformat() if next_due else None,
        }
        if answers:
            payload["answers"] = [check_score(int(a), callback.purpose) for a in answers]
        items: list[Item] = [("callback", callback_id, "callback.attempted", payload)]
        following = self._next_occurrence(callback, prefs) if status is not CallbackStatus.SCHEDULED else None
        if following is not None:
            items.append(following)
        self.store._write(actor_id, items)
        reopened = None
        if unhappy:
            why = f"Complaint follow-up: customer unsatisfied (score {score or '-'}). {comment}".strip()
            reopened = self.reopen_unsatisfied_follow_up(actor_id, callback, why)
        return OutcomeResult(
            callback=self.get(actor_id, callback_id),
            next=self.get(actor_id, following[1]) if following else None,
            reopened_ref=reopened.ref if reopened else None,
            unsatisfied=unhappy,
        )

    def reopen_unsatisfied_follow_up(self, actor_id: str, callback: CallbackView, reason: str) -> TicketRow | None:
        """Reopen what a complaint follow-up answered "unsatisfied" is about: the complaint, and its ticket.

        A closed (or notified) complaint reopens with its history (seed 002: "until the
        customer is satisfied"); otherwise the ticket reopens when it was resolved or
        closed, and a ticket still open gets the answer as a note. Returns the reopened
        ticket, or None.
        """
        if callback.complaint_id:
            complaint = self.store.complaints.get(actor_id, callback.complaint_id)
            if complaint.row.status in REOPENABLE_COMPLAINT:
                detail = self.store.complaints.reopen(actor_id, callback.complaint_id, reason)
                return self.store.get_ticket_row(actor_id, detail.row.ticket_id)
        if not callback.ticket_id:
            return None
        ticket = self.store.get_ticket_row(actor_id, callback.ticket_id)
        if can_reopen(Status(ticket.status)):
            return self.store.reopen(actor_id, callback.ticket_id, reason)
        self.store.add_note(actor_id, callback.ticket_id, reason)
        return None

    def reschedule(
        self, actor_id: str, callback_id: str, due: str | datetime, *, reason: str = "", force_reason: str | None = None
    ) -> CallbackView:
        """Move a callback still to make to another allowed time."""
        callback = self._open(actor_id, callback_id, Permission.CALLBACK_SCHEDULE)
        forced = sanitize_line(force_reason or "", max_chars=REASON_LIMIT).strip() or None
        due_at = self._due(due)
        check_contact_time(due_at, self._window(callback.customer_id), self.store.clock.now(), force_reason=forced)
        payload = {
            "due_at": due_at.isoformat(),
            "reason": sanitize_line(reason, max_chars=REASON_LIMIT).strip(),
            "forced_reason": forced,
        }
        self.store._write(actor_id, [("callback", callback_id, "callback.rescheduled", payload)])
        return self.get(actor_id, callback_id)

    def cancel(self, actor_id: str, callback_id: str, reason: str) -> CallbackView:
        """Cancel a callback still to make (a recurring series ends with it)."""
        self._open(actor_id, callback_id, Permission.CALLBACK_SCHEDULE)
        reason = sanitize_line(reason, max_chars=REASON_LIMIT).strip()
        if not reason:
            raise ValidationError("reason", "Say why the callback is cancelled.")
        self.store._write(actor_id, [("callback", callback_id, "callback.cancelled", {"reason": reason})])
        return self.get(actor_id, callback_id)

    # ------------------------------------------------------------- reminders
    def take_reminders(self, actor_id: str, minutes: int) -> list[CallbackView]:
        """Callbacks of ``actor_id`` due within ``minutes`` not yet reminded for their due time; marks them reminded.

        Computed from the store, so reminders survive a restart; each (callback, due time)
        is returned once (a ``callback.reminded`` event records it). Long-overdue ones are
        left to the overdue count.
        """
        self.store._require(actor_id, Permission.CALLBACK_READ)
        now = self.store.clock.now()
        stmt = self._select().where(
            CALLBACK.c.status.in_(OPEN_STATUSES),
            CALLBACK.c.assignee_id == actor_id,
            CALLBACK.c.due_at <= now + timedelta(minutes=max(0, minutes)),
            CALLBACK.c.due_at >= now - DUE_NOW_SPAN,
        )
        with self.store._read() as conn:
            rows = [
                r for r in conn.execute(stmt)
                if r.reminded_due_at is None or as_utc(r.reminded_due_at) != as_utc(r.due_at)
            ]
        if not rows:
            return []
        items: list[Item] = [
            ("callback", r.id, "callback.reminded", {"due_at": as_utc(r.due_at).isoformat()}) for r in rows
        ]
        self.store._write(actor_id, items)
        return [self._view(r) for r in rows]
