"""Reading callbacks (``store.callbacks``): one, lists per agent and team, today, the week, the KPI.

The read half of the callbacks gateway; :class:`csdesk.data.callbacks.Callbacks` adds the
use cases that write. Phones come back masked, notes and comments through ``mask_text``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from csdesk.data.callback_reducer import CALLBACK, CONTACT_PREF
from csdesk.data.callback_views import (
    CallbackView,
    CompletionRow,
    ContactPrefsView,
    TodayList,
    WeekAgenda,
)
from csdesk.data.reducer import CUSTOMER, TICKET, USER
from csdesk.domain.callback_rules import (
    DUE_NOW_SPAN,
    OPEN_STATUSES,
    CallbackStatus,
    CompletionRecord,
    ContactPrefs,
    bucket,
    completion_rate,
    make_window,
    week_days,
)
from csdesk.domain.errors import NotFound, ValidationError
from csdesk.domain.masking import mask_phone, mask_text
from csdesk.domain.roles import Permission
from csdesk.domain.when import DESK_TZ

if TYPE_CHECKING:
    from csdesk.data.store import Store


def as_utc(value: datetime) -> datetime:
    """``value`` as aware UTC (SQLite may hand back naive UTC)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def checked_choice(value: str, enum: type, field: str) -> str:
    """``value`` if it is a member of ``enum``; else a sentence listing the choices."""
    try:
        return str(enum(value).value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValidationError(field, f"Unknown {field} {value!r}; use one of: {allowed}.") from None


def prefs_from_row(row: Any) -> ContactPrefs:
    """The contact preferences of a ``customer_contact_pref`` row (defaults when None)."""
    if row is None:
        return ContactPrefs()
    window = make_window(row.window_start, row.window_end, [int(d) for d in row.weekdays], row.time_zone)
    return ContactPrefs(bool(row.do_not_contact), window)



class CallbackQueries:
    """Reading callbacks and contact preferences; the base of :class:`csdesk.data.callbacks.Callbacks`."""

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
        prefs = prefs_from_row(row)
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
            due_at=as_utc(r.due_at),
            first_due_at=as_utc(r.first_due_at),
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
            series_start=as_utc(r.series_start),
            forced_reason=r.forced_reason,
            completed_at=as_utc(r.completed_at) if r.completed_at else None,
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
            clauses.append(CALLBACK.c.due_at >= as_utc(start))
        if end is not None:
            clauses.append(CALLBACK.c.due_at < as_utc(end))
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

    # ------------------------------------------------------------- KPI
    def completion(
        self, actor_id: str, *, since: datetime | None = None, team: str | None = None
    ) -> list[CompletionRow]:
        """Callback completion (done by due time / due) per agent, per team and for the desk."""
        self.store._require(actor_id, Permission.CALLBACK_READ)
        now = self.store.clock.now()
        clauses = self._scope(None, team)
        if since is not None:
            clauses.append(CALLBACK.c.first_due_at >= as_utc(since))
        stmt = select(
            CALLBACK.c.assignee_id, CALLBACK.c.first_due_at, CALLBACK.c.first_attempt_at, CALLBACK.c.status
        ).where(CALLBACK.c.first_due_at <= now, *clauses)
        with self.store._read() as conn:
            rows = list(conn.execute(stmt))
            users = {u.id: u for u in conn.execute(select(USER))}
        by_agent: dict[str, list[CompletionRecord]] = defaultdict(list)
        for r in rows:
            record = CompletionRecord(
                as_utc(r.first_due_at),
                as_utc(r.first_attempt_at) if r.first_attempt_at else None,
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


