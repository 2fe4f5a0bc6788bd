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

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from csdesk.data.callback_reducer import CALLBACK, CONTACT_PREF
from csdesk.data.callback_views import (
    CallbackView,
    CompletionRow,
    ContactPrefsView,
    OutcomeResult,
    TodayList,
    WeekAgenda,
)
from csdesk.data.reducer import CUSTOMER, TICKET, USER
from csdesk.data.tables import SQLModel
from csdesk.domain.callback_rules import (
    DUE_NOW_SPAN,
    OPEN_STATUSES,
    CallbackStatus,
    Channel,
    CompletionRecord,
    ContactPrefs,
    Outcome,
    Purpose,
    bucket,
    check_contact_time,
    check_retry_policy,
    check_score,
    completion_rate,
    is_unsatisfied,
    make_window,
    nearest_allowed,
    next_retry,
    parse_due,
    status_after,
    week_days,
)
from csdesk.domain.errors import Conflict, NotFound, ValidationError
from csdesk.domain.masking import mask_phone, mask_text
from csdesk.domain.recurrence import RecurrenceRule, check_rule, next_occurrence, occurrences
from csdesk.domain.roles import Permission
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.tickets import Status, can_reopen
from csdesk.domain.uuid7 import uuid7
from csdesk.domain.when import DESK_TZ

if TYPE_CHECKING:
    from csdesk.data.api import TicketRow
    from csdesk.data.store import Store

NOTE_LIMIT = 2_000
REASON_LIMIT = 500
Item = tuple[str, str, str, dict[str, Any]]


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def _choice(value: str, enum: type, field: str) -> str:
    try:
        return str(enum(value).value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValidationError(field, f"Unknown {field} {value!r}; use one of: {allowed}.") from None


def _prefs(row: Any) -> ContactPrefs:
    if row is None:
        return ContactPrefs()
    window = make_window(row.window_start, row.window_end, [int(d) for d in row.weekdays], row.time_zone)
    return ContactPrefs(bool(row.do_not_contact), window)


class Callbacks:
    """Callback use cases on one store (``store.callbacks``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------- contact preferences
    def _pref_row(self, conn: Connection, customer_id: str) -> Any:
        return conn.execute(select(CONTACT_PREF).where(CONTACT_PREF.c.customer_id == customer_id)).first()

    def _customer(self, conn: Connection, customer_id: str) -> Any:
        row = conn.execute(select(CUSTOMER).where(CUSTOMER.c.id == customer_id)).first()
        if row is None:
            raise NotFound("That customer does not exist.")
        return row

    def contact_prefs(self, actor_id: str, customer_id: str) -> ContactPrefsView:
        """When the customer may be contacted (the defaults when nothing was recorded)."""
        self.store._require(actor_id, Permission.CUSTOMER_READ)
        with self.store._read() as conn:
            self._customer(conn, customer_id)
            row = self._pref_row(conn, customer_id)
        prefs = _prefs(row)
        window = prefs.window
        return ContactPrefsView(
            customer_id,
            prefs.do_not_contact,
            f"{window.start:%H:%M}",
            f"{window.end:%H:%M}",
            tuple(sorted(window.weekdays)),
            window.time_zone,
            row is not None,
        )

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
            return _utc(due)
        return _utc(parse_due(sanitize_line(due, max_chars=64), self.store.clock.now()))

    def check_time(
        self, actor_id: str, customer_id: str, due: str | datetime, force_reason: str | None = None
    ) -> datetime:
        """The due time if the customer may be called then; else :class:`ContactRefused` with a proposal."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        moment_ = self._due(due)
        with self.store._read() as conn:
            self._customer(conn, customer_id)
            prefs = _prefs(self._pref_row(conn, customer_id))
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

    def schedule(
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
    ) -> CallbackView:
        """Schedule a callback (the first occurrence of ``rule``); refused times propose the nearest allowed one."""
        self.store._require(actor_id, Permission.CALLBACK_SCHEDULE)
        purpose = _choice(purpose, Purpose, "purpose")
        channel = _choice(channel, Channel, "channel")
        assignee = self._assignee(actor_id, assignee_id)
        policy = check_retry_policy(max_attempts, retry_minutes)
        note = sanitize_text(note or "", max_chars=NOTE_LIMIT).strip()
        reason = sanitize_line(force_reason or "", max_chars=REASON_LIMIT).strip() or None
        complaint_id = sanitize_line(complaint_id or "", max_chars=64).strip() or None
        rule = rule or RecurrenceRule()
        due_at = self._due(due)
        with self.store._read() as conn:
            customer, ticket = self._links(conn, customer_id, ticket_id, complaint_id, purpose)
            prefs = _prefs(self._pref_row(conn, customer))
        check_rule(rule, due_at.astimezone(prefs.window.tz))
        due_at = _utc(next(occurrences(rule, due_at.astimezone(prefs.window.tz))))  # the rule's first date
        check_contact_time(due_at, prefs, self.store.clock.now(), force_reason=reason)
        callback_id = uuid7(self.store.clock)
        payload = {
            "customer_id": customer,
            "ticket_id": ticket,
            "complaint_id": complaint_id,
            "purpose": purpose,
            "channel": channel,
            "due_at": due_at.isoformat(),
            "assignee_id": assignee,
            "rule": rule.to_payload() if rule.repeats else None,
            "note": note,
            "series_id": callback_id,
            "occurrence": 1,
            "series_start": due_at.isoformat(),
            "forced_reason": reason,
            "max_attempts": policy.max_attempts,
            "retry_minutes": int(policy.interval.total_seconds() // 60),
        }
        self.store._write(actor_id, [("callback", callback_id, "callback.scheduled", payload)])
        return self.get(actor_id, callback_id)

    # ------------------------------------------------------------- reading
    def _select(self) -> Any:
        assignee = USER.alias("assignee")
        return (
            select(
                CALLBACK,
                CUSTOMER.c.name.label("customer_name"),
                CUSTOMER.c.phone.label("customer_phone"),
                CUSTOMER.c.vip.label("customer_vip"),
                CONTACT_PREF.c.time_zone.label("customer_time_zone"),
                TICKET.c.ref.label("ticket_ref"),
                assignee.c.name.label("assignee_name"),
            )
            .select_from(CALLBACK)
            .outerjoin(CUSTOMER, CUSTOMER.c.id == CALLBACK.c.customer_id)
            .outerjoin(CONTACT_PREF, CONTACT_PREF.c.customer_id == CALLBACK.c.customer_id)
            .outerjoin(TICKET, TICKET.c.id == CALLBACK.c.ticket_id)
            .outerjoin(assignee, assignee.c.id == CALLBACK.c.assignee_id)
        )

    @staticmethod
    def _view(r: Any) -> CallbackView:
        return CallbackView(
            id=r.id,
            customer_id=r.customer_id,
            customer_name=r.customer_name or "",
            customer_phone=mask_phone(r.customer_phone) if r.customer_phone else None,
            customer_vip=bool(r.customer_vip),
            customer_time_zone=r.customer_time_zone or "Asia/Shanghai",
            ticket_id=r.ticket_id,
            ticket_ref=r.ticket_ref,
            complaint_id=r.complaint_id,
            purpose=r.purpose,
            channel=r.channel,
            note=mask_text(r.note),
            due_at=_utc(r.due_at),
            first_due_at=_utc(r.first_due_at),
            assignee_id=r.assignee_id,
            assignee_name=r.assignee_name,
            status=r.status,
            attempts=r.attempts,
            max_attempts=r.max_attempts,
            retry_minutes=r.retry_minutes,
            outcome=r.outcome,
            score=r.score,
            comment=mask_text(r.comment),
            rule=json.loads(r.rule) if r.rule else None,
            series_id=r.series_id,
            occurrence=r.occurrence,
            series_start=_utc(r.series_start),
            forced_reason=r.forced_reason,
            completed_at=_utc(r.completed_at) if r.completed_at else None,
        )

    def get(self, actor_id: str, callback_id: str) -> CallbackView:
        """One callback; raises :class:`NotFound`."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        with self.store._read() as conn:
            row = conn.execute(self._select().where(CALLBACK.c.id == callback_id)).first()
        if row is None:
            raise NotFound("That callback does not exist.")
        return self._view(row)

    def _scope(self, assignee_id: str | None, team: str | None) -> list[Any]:
        clauses: list[Any] = []
        if assignee_id:
            clauses.append(CALLBACK.c.assignee_id == assignee_id)
        if team is not None:
            members = select(USER.c.id).where(USER.c.team == team)
            clauses.append(CALLBACK.c.assignee_id.in_(members))
        return clauses

    def find(
        self,
        actor_id: str,
        *,
        assignee_id: str | None = None,
        team: str | None = None,
        statuses: Sequence[str] = OPEN_STATUSES,
        start: datetime | None = None,
        end: datetime | None = None,
        ticket_id: str | None = None,
        limit: int = 500,
    ) -> list[CallbackView]:
        """Callbacks by due time, filtered by assignee or team, status, due window, ticket."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        clauses = self._scope(assignee_id, team)
        if statuses:
            clauses.append(CALLBACK.c.status.in_(list(statuses)))
        if start is not None:
            clauses.append(CALLBACK.c.due_at >= _utc(start))
        if end is not None:
            clauses.append(CALLBACK.c.due_at < _utc(end))
        if ticket_id:
            clauses.append(CALLBACK.c.ticket_id == ticket_id)
        stmt = self._select().where(*clauses).order_by(CALLBACK.c.due_at, CALLBACK.c.id).limit(limit)
        with self.store._read() as conn:
            return [self._view(r) for r in conn.execute(stmt)]

    def _end_of_today(self) -> datetime:
        local = self.store.clock.now().astimezone(DESK_TZ)
        return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=DESK_TZ)

    def today(self, actor_id: str, *, assignee_id: str | None = None, team: str | None = None) -> TodayList:
        """Callbacks still to make up to the end of today (desk time): overdue, due now, upcoming."""
        rows = self.find(actor_id, assignee_id=assignee_id, team=team, end=self._end_of_today())
        now = self.store.clock.now()
        groups: dict[str, list[CallbackView]] = defaultdict(list)
        for row in rows:
            groups[bucket(row.due_at, now)].append(row)
        return TodayList(groups["overdue"], groups["due_now"], groups["upcoming"])

    def due(
        self, actor_id: str, *, assignee_id: str | None = None, team: str | None = None, within_minutes: int = 0
    ) -> list[CallbackView]:
        """Callbacks still to make that are due now or within ``within_minutes`` (overdue ones included)."""
        if not 0 <= within_minutes <= 60 * 24 * 31:
            raise ValidationError("within", "Look ahead 0 minutes to 31 days.")
        end = self.store.clock.now() + DUE_NOW_SPAN + timedelta(minutes=within_minutes)
        return self.find(actor_id, assignee_id=assignee_id, team=team, end=end)

    def overdue_count(self, actor_id: str, assignee_id: str | None = None) -> int:
        """How many callbacks still to make are overdue (for the header)."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        cutoff = self.store.clock.now() - DUE_NOW_SPAN
        stmt = (
            select(func.count())
            .select_from(CALLBACK)
            .where(CALLBACK.c.status.in_(OPEN_STATUSES), CALLBACK.c.due_at < cutoff, *self._scope(assignee_id, None))
        )
        with self.store._read() as conn:
            return int(conn.execute(stmt).scalar() or 0)

    def week(
        self, actor_id: str, day: date | None = None, *, assignee_id: str | None = None, team: str | None = None
    ) -> WeekAgenda:
        """The agenda of the week holding ``day`` (today by default), Monday to Sunday, desk time."""
        days = week_days(day or self.store.clock.now().astimezone(DESK_TZ).date())
        start = datetime.combine(days[0], datetime.min.time(), tzinfo=DESK_TZ)
        statuses = [s.value for s in CallbackStatus if s is not CallbackStatus.CANCELLED]
        rows = self.find(
            actor_id, assignee_id=assignee_id, team=team, statuses=statuses, start=start, end=start + timedelta(days=7)
        )
        agenda: dict[date, list[CallbackView]] = {d: [] for d in days}
        for row in rows:
            agenda[row.due_at.astimezone(DESK_TZ).date()].append(row)
        return WeekAgenda(agenda)

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
            return _prefs(self._pref_row(conn, customer_id))

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
        payload = {
            "customer_id": callback.customer_id,
            "ticket_id": callback.ticket_id,
            "complaint_id": callback.complaint_id,
            "purpose": callback.purpose,
            "channel": callback.channel,
            "due_at": _utc(due).isoformat(),
            "assignee_id": callback.assignee_id,
            "rule": callback.rule,
            "note": callback.note,
            "series_id": callback.series_id,
            "occurrence": callback.occurrence + 1,
            "series_start": callback.series_start.isoformat(),
            "forced_reason": None,
            "max_attempts": callback.max_attempts,
            "retry_minutes": callback.retry_minutes,
        }
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
    ) -> OutcomeResult:
        """Record one attempt: reached, no answer (retried by policy), wrong number, refused, rescheduled.

        A finished occurrence of a recurring callback schedules the next one. A complaint
        follow-up answered unsatisfied reopens the complaint
        (:meth:`reopen_unsatisfied_follow_up`).
        """
        callback = self._open(actor_id, callback_id, Permission.CALLBACK_OUTCOME)
        result = Outcome(_choice(outcome, Outcome, "outcome"))
        score = check_score(score, callback.purpose)
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
            "next_due_at": _utc(next_due).isoformat() if next_due else None,
        }
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
        """Reopen what a complaint follow-up answered "unsatisfied" is about: its complaint's ticket.

        The ticket reopens when it was resolved or closed; a ticket still open gets the
        answer as a note instead. Returns the reopened ticket, or None.
        """
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
                if r.reminded_due_at is None or _utc(r.reminded_due_at) != _utc(r.due_at)
            ]
        if not rows:
            return []
        items: list[Item] = [
            ("callback", r.id, "callback.reminded", {"due_at": _utc(r.due_at).isoformat()}) for r in rows
        ]
        self.store._write(actor_id, items)
        return [self._view(r) for r in rows]

    # ------------------------------------------------------------- KPI
    def completion(
        self, actor_id: str, *, since: datetime | None = None, team: str | None = None
    ) -> list[CompletionRow]:
        """Callback completion (done by due time / due) per agent, per team and for the desk."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        now = self.store.clock.now()
        clauses = self._scope(None, team)
        if since is not None:
            clauses.append(CALLBACK.c.first_due_at >= _utc(since))
        stmt = select(
            CALLBACK.c.assignee_id, CALLBACK.c.first_due_at, CALLBACK.c.first_attempt_at, CALLBACK.c.status
        ).where(CALLBACK.c.first_due_at <= now, *clauses)
        with self.store._read() as conn:
            rows = list(conn.execute(stmt))
            users = {u.id: u for u in conn.execute(select(USER))}
        by_agent: dict[str, list[CompletionRecord]] = defaultdict(list)
        for r in rows:
            record = CompletionRecord(
                _utc(r.first_due_at),
                _utc(r.first_attempt_at) if r.first_attempt_at else None,
                r.status == CallbackStatus.CANCELLED,
            )
            by_agent[r.assignee_id or ""].append(record)
        result: list[CompletionRow] = []
        by_team: dict[str, list[CompletionRecord]] = defaultdict(list)
        for agent_id in sorted(by_agent):
            user = users.get(agent_id)
            by_team[user.team if user else ""].extend(by_agent[agent_id])
            result.append(self._kpi("agent", agent_id, user.name if user else agent_id, by_agent[agent_id], now))
        for name in sorted(by_team):
            result.append(self._kpi("team", name, name, by_team[name], now))
        everyone = [record for records in by_agent.values() for record in records]
        result.append(self._kpi("desk", self.store.desk_id, self.store.desk_id, everyone, now))
        return result

    @staticmethod
    def _kpi(scope: str, key: str, name: str, records: list[CompletionRecord], now: datetime) -> CompletionRow:
        done = completion_rate(records, now)
        return CompletionRow(scope, key, name, done.due, done.on_time, done.rate)

