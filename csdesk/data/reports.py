"""Supervisor reports: KPIs against targets, staffing against the roster, the live view.

Reached as ``store.reports`` (:class:`Reports`). Reading reports needs ``report.read``
(team leads, supervisors, QA, analysts), the live view ``live.view``; supervisors set KPI
targets (``kpi.target_set``) and team leads and supervisors keep the roster
(``roster.shift_set`` / ``roster.shift_removed``). Reports are computed by the pure rules of
:mod:`csdesk.domain.kpi`, :mod:`csdesk.domain.forecast` and :mod:`csdesk.domain.erlang`
from the facts :mod:`csdesk.data.kpi_inputs` gathers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, func, or_, select

from csdesk.data import kpi_inputs
from csdesk.data.eventlog import EVENT
from csdesk.data.reducer import TICKET, USER
from csdesk.data.supervisor_api import (
    AgentLoad,
    IntervalStaffing,
    KpiRow,
    KpiTargetView,
    LiveSnapshot,
    RosterShift,
    SlaAlert,
    StaffingPlan,
    WaitingCount,
)
from csdesk.data.supervisor_reducer import KPI_TARGET, ROSTER
from csdesk.domain import erlang, forecast
from csdesk.domain.errors import ValidationError
from csdesk.domain.kpi import (
    DEFAULT_TARGETS,
    DESK_TZ,
    Kpi,
    Observation,
    Period,
    Scope,
    Target,
    bucket_of,
    bucket_start,
    business_observations,
    callback_observations,
    churn_observations,
    complaint_on_time_observations,
    consultation_observations,
    first_response_observations,
    satisfaction_observations,
    summarise,
)
from csdesk.domain.masking import mask_phone, mask_text
from csdesk.domain.roles import Permission
from csdesk.domain.sla import SlaMode
from csdesk.domain.sla_due import badge
from csdesk.domain.tickets import Status
from csdesk.domain.uuid7 import uuid7

if TYPE_CHECKING:
    from csdesk.data.store import Store

OPEN = tuple(s.value for s in Status if s not in (Status.RESOLVED, Status.CLOSED))
#: How many buckets a KPI report covers by default, newest last.
DEFAULT_BUCKETS = {Period.DAY: 7, Period.WEEK: 4, Period.QUARTER: 2}
ALERT_HORIZON = timedelta(days=2)
ALERT_LIMIT = 200
CSAT_TREND_DAYS = 7


def window_start(now: datetime, period: Period, buckets: int) -> datetime:
    """The start (UTC) of the oldest of ``buckets`` periods ending with the one holding ``now``."""
    if buckets < 1:
        raise ValidationError("buckets", "Report at least one period.")
    first = bucket_start(bucket_of(now, period))
    for _ in range(buckets - 1):
        first = bucket_start(bucket_of(datetime.combine(first, time(12), DESK_TZ) - timedelta(days=1), period))
    return datetime.combine(first, time(0), DESK_TZ).astimezone(UTC)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError("day", f"{value!r} is not a date; write YYYY-MM-DD.") from None


class Reports:
    """KPIs, staffing, roster and the live snapshot of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------- KPI targets
    def kpi_targets(self) -> list[KpiTargetView]:
        """Every KPI's target in force (a supervisor's, else DOMAIN.md's default)."""
        with self.store._read() as conn:
            rows = {r.id: r for r in conn.execute(select(KPI_TARGET))}
        result = []
        for kpi in Kpi:
            default = DEFAULT_TARGETS[kpi]
            row = rows.get(kpi.value)
            value = row.value if row else default.value
            result.append(
                KpiTargetView(
                    kpi.value, value, default.higher_is_better, row.set_by if row else None, row.set_at if row else None
                )
            )
        return result

    def _targets(self) -> dict[Kpi, Target]:
        return {Kpi(t.kpi): Target(t.value, t.higher_is_better) for t in self.kpi_targets()}

    def set_kpi_target(self, actor_id: str, kpi: str, value: float) -> KpiTargetView:
        """Change a KPI's target (supervisors): a share from 0 to 1, e.g. 0.95."""
        self.store._require(actor_id, Permission.KPI_TARGET_EDIT)
        try:
            which = Kpi(kpi)
        except ValueError:
            raise ValidationError("kpi", f"Unknown KPI {kpi!r}; use one of: {', '.join(Kpi)}.") from None
        if not 0 <= value <= 1:
            raise ValidationError("value", "A KPI target is a share from 0 to 1 (0.95 means 95 %).")
        self.store._write(actor_id, [("kpi_target", which.value, "kpi.target_set", {"value": float(value)})])
        return next(t for t in self.kpi_targets() if t.kpi == which.value)

    # ------------------------------------------------------------- KPIs
    def observations(self, since: datetime, until: datetime) -> list[Observation]:
        """Every KPI's due cases in ``[since, until)``, from the gatherers of :mod:`csdesk.data.kpi_inputs`."""
        now = self.store.clock.now()
        until = min(until, now + timedelta(seconds=1))  # what happened this very second counts
        with self.store._read() as conn:
            obs = first_response_observations(kpi_inputs.first_response_inputs(conn, since, until), now)
            obs += consultation_observations(kpi_inputs.consultation_inputs(conn, since, until), now)
            obs += complaint_on_time_observations(kpi_inputs.complaint_on_time_inputs(conn, since, until), now)
            obs += satisfaction_observations(
                Kpi.COMPLAINT_SATISFACTION, kpi_inputs.complaint_satisfaction_inputs(conn, since, until)
            )
            obs += business_observations(kpi_inputs.business_inputs(conn, since, until))
            obs += callback_observations(kpi_inputs.callback_inputs(conn, since, until), now)
            obs += satisfaction_observations(Kpi.CSAT, kpi_inputs.csat_inputs(conn, since, until))
            obs += churn_observations(kpi_inputs.churn_inputs(conn, since, until), now)
        return obs

    def kpis(
        self, actor_id: str, period: str = "week", scope: str = "desk", buckets: int | None = None
    ) -> list[KpiRow]:
        """KPIs per ``scope`` (agent, team, desk) and ``period`` (day, week, quarter) against their targets."""
        self.store._require(actor_id, Permission.REPORT_READ)
        try:
            which, whose = Period(period), Scope(scope)
        except ValueError:
            raise ValidationError("period", "Period is day, week or quarter; scope is agent, team or desk.") from None
        now = self.store.clock.now()
        since = window_start(now, which, buckets or DEFAULT_BUCKETS[which])
        values = summarise(
            self.observations(since, now + timedelta(seconds=1)), which, whose, self._targets(), self.store.desk_id
        )
        return [
            KpiRow(
                v.kpi.value,
                v.bucket,
                v.scope.value,
                v.key,
                v.met_count,
                v.due_count,
                v.share,
                v.target,
                v.higher_is_better,
                v.on_target,
            )
            for v in values
        ]

    # ------------------------------------------------------------- roster
    def set_shift(
        self, actor_id: str, agent_id: str, day: str, start: int, end: int, shift_id: str | None = None
    ) -> RosterShift:
        """Put an agent on the roster for ``day``, half-hours ``start`` (0 = 00:00) to ``end`` (excluded)."""
        self.store._require(actor_id, Permission.ROSTER_EDIT)
        self.store.get_user(agent_id)
        _day(day)
        if not 0 <= start < end <= forecast.INTERVALS_PER_DAY:
            raise ValidationError("start", "A shift runs from half-hour 0 to 48, start before end (18 = 09:00).")
        shift_id = shift_id or uuid7(self.store.clock)
        payload = {"agent_id": agent_id, "day": day, "start_interval": start, "end_interval": end}
        self.store._write(actor_id, [("roster_shift", shift_id, "roster.shift_set", payload)])
        return RosterShift(shift_id, agent_id, day, start, end)

    def remove_shift(self, actor_id: str, shift_id: str) -> None:
        """Take a shift off the roster."""
        self.store._require(actor_id, Permission.ROSTER_EDIT)
        self.store._write(actor_id, [("roster_shift", shift_id, "roster.shift_removed", {})])

    def roster(self, actor_id: str, day: str) -> list[RosterShift]:
        """Shifts of ``day`` (YYYY-MM-DD), by start then agent."""
        self.store._require(actor_id, Permission.REPORT_READ)
        _day(day)
        with self.store._read() as conn:
            rows = conn.execute(
                select(ROSTER).where(ROSTER.c.day == day).order_by(ROSTER.c.start_interval, ROSTER.c.agent_id)
            )
            return [RosterShift(r.id, r.agent_id, r.day, r.start_interval, r.end_interval) for r in rows]

    # ------------------------------------------------------------- staffing
    def arrivals(self, since: datetime, until: datetime) -> list[datetime]:
        """When each ticket of the window arrived (the forecast's history)."""
        with self.store._read() as conn:
            rows = conn.execute(
                select(TICKET.c.created_at).where(TICKET.c.created_at >= since, TICKET.c.created_at < until)
            )
            return [r.created_at for r in rows]

    def staffing(
        self,
        actor_id: str,
        day: str,
        *,
        aht_seconds: int = 300,
        shrinkage: float = erlang.DEFAULT_SHRINKAGE,
        target: float = erlang.DEFAULT_TARGET,
        answer_seconds: int = erlang.DEFAULT_ANSWER_SECONDS,
        weeks: int = forecast.DEFAULT_WEEKS,
    ) -> StaffingPlan:
        """Forecast, Erlang C agents needed (95 % within 30 s by default) and the roster, per half-hour."""
        self.store._require(actor_id, Permission.REPORT_READ)
        when = _day(day)
        if not 1 <= aht_seconds <= 24 * 3600:
            raise ValidationError("aht_seconds", "The average handling time is from 1 second to a day, in seconds.")
        history = forecast.history_days(when, weeks)
        since = datetime.combine(history[-1], time(0), DESK_TZ).astimezone(UTC)
        until = datetime.combine(history[0] + timedelta(days=1), time(0), DESK_TZ).astimezone(UTC)
        expected = forecast.forecast_day(self.arrivals(since, until), when, weeks)
        on_roster = [0] * forecast.INTERVALS_PER_DAY
        for shift in self.roster(actor_id, day):
            for index in range(shift.start_interval, shift.end_interval):
                on_roster[index] += 1
        intervals = []
        for index, calls in enumerate(expected):
            need = erlang.agents_required(
                calls, aht_seconds, target=target, answer_seconds=answer_seconds, shrinkage=shrinkage
            )
            intervals.append(
                IntervalStaffing(
                    index,
                    forecast.interval_label(index),
                    calls,
                    need.traffic,
                    need.agents,
                    need.scheduled,
                    on_roster[index],
                    need.service_level,
                )
            )
        return StaffingPlan(day, aht_seconds, shrinkage, target, answer_seconds, weeks, tuple(intervals))

    # ------------------------------------------------------------- live view
    def change_token(self) -> int:
        """A number that grows with every event written or pulled: poll it, reload when it moves."""
        with self.store._read() as conn:
            return int(conn.execute(select(func.max(EVENT.c.seq))).scalar() or 0)

    def live(self, actor_id: str, *, wallboard: bool = False) -> LiveSnapshot:
        """Waiting work by kind and channel, longest wait, SLA breaches and near-breaches, agents, incidents."""
        self.store._require(actor_id, Permission.LIVE_VIEW)
        now = self.store.clock.now()
        from csdesk.data.incidents import open_incidents

        with self.store._read() as conn:
            token = int(conn.execute(select(func.max(EVENT.c.seq))).scalar() or 0)
            unanswered = and_(TICKET.c.status.in_(OPEN), TICKET.c.first_response_at.is_(None))
            waiting = [
                WaitingCount(r.kind, r.channel, int(r.n))
                for r in conn.execute(
                    select(TICKET.c.kind, TICKET.c.channel, func.count().label("n"))
                    .where(unanswered)
                    .group_by(TICKET.c.kind, TICKET.c.channel)
                    .order_by(TICKET.c.kind, TICKET.c.channel)
                )
            ]
            oldest = conn.execute(
                select(TICKET.c.ref, TICKET.c.created_at).where(unanswered).order_by(TICKET.c.created_at).limit(1)
            ).first()
            alerts = self._alerts(conn, now)
            agents = self._agents(conn)
            incidents = open_incidents(conn)
            rooms = room_counts(conn, now)
        longest = int((now - oldest.created_at).total_seconds()) if oldest else 0
        snapshot = LiveSnapshot(
            at=now,
            token=token,
            waiting=tuple(waiting),
            waiting_total=sum(w.count for w in waiting),
            longest_wait_s=max(0, longest),
            longest_wait_ref=oldest.ref if oldest else None,
            alerts=tuple(alerts),
            agents=tuple(agents),
            incidents=tuple(incidents),
            extra=rooms,
        )
        return self._wallboard(snapshot, now) if wallboard else snapshot

    def _alerts(self, conn: Connection, now: datetime) -> list[SlaAlert]:
        """Open tickets past their SLA deadline or with at most 20 % of the target left (not paused)."""
        responding = TICKET.c.first_response_at.is_(None)
        due = func.coalesce(func.iif(responding, TICKET.c.sla_response_due, None), TICKET.c.sla_resolution_due)
        columns = [
            TICKET.c[name]
            for name in (
                "id",
                "ref",
                "kind",
                "channel",
                "priority",
                "status",
                "assignee_id",
                "first_response_at",
                "sla_response_due",
                "sla_resolution_due",
            )
        ]
        rows = conn.execute(
            select(*columns)
            .where(
                TICKET.c.status.in_(OPEN),
                TICKET.c.sla_paused_at.is_(None),
                or_(
                    and_(responding, TICKET.c.sla_response_due < now + ALERT_HORIZON),
                    TICKET.c.sla_resolution_due < now + ALERT_HORIZON,
                ),
            )
            .order_by(due)
            .limit(ALERT_LIMIT * 2)
        )
        alerts = []
        for r in rows:
            is_response = r.first_response_at is None and r.sla_response_due is not None
            when = r.sla_response_due if is_response else r.sla_resolution_due
            breached = when < now  # stored due times already count business hours and pauses
            if not breached:
                policy = self.store._policy(r.kind, r.priority)
                total = policy.first_response if is_response else policy.resolution
                if badge(when, total, now, mode=SlaMode(policy.mode.value)).status != "warning":
                    continue
            alerts.append(SlaAlert(r.id, r.ref, r.kind, r.channel, r.priority, r.status, r.assignee_id, when, breached))
        alerts.sort(key=lambda a: (not a.breached, a.due, a.ref))
        return alerts[:ALERT_LIMIT]

    def _agents(self, conn: Connection) -> list[AgentLoad]:
        loads = dict(
            conn.execute(
                select(TICKET.c.assignee_id, func.count())
                .where(TICKET.c.status.in_(OPEN), TICKET.c.assignee_id.is_not(None))
                .group_by(TICKET.c.assignee_id)
            ).all()
        )
        front = ("agent", "specialist", "team_lead", "supervisor", "trainer")
        rows = conn.execute(
            select(USER).where(USER.c.active.is_(True), USER.c.role.in_(front)).order_by(USER.c.team, USER.c.name)
        )
        return [AgentLoad(u.id, u.name, u.role, u.team or "", u.availability, int(loads.get(u.id, 0))) for u in rows]

    def _wallboard(self, snapshot: LiveSnapshot, now: datetime) -> LiveSnapshot:
        """Add today's arrivals against the forecast, today's answered ≤ 30 s and a week of CSAT."""
        from dataclasses import replace

        today = now.astimezone(DESK_TZ).date()
        start = datetime.combine(today, time(0), DESK_TZ).astimezone(UTC)
        history = forecast.history_days(today)
        arrivals = self.arrivals(
            datetime.combine(history[-1], time(0), DESK_TZ).astimezone(UTC), now + timedelta(seconds=1)
        )
        expected = forecast.forecast_day([a for a in arrivals if a < start], today)
        counts = forecast.counts_per_interval([a for a in arrivals if a >= start], today)
        with self.store._read() as conn:
            first = first_response_observations(kpi_inputs.first_response_inputs(conn, start, now), now)
            trend_start = start - timedelta(days=CSAT_TREND_DAYS - 1)
            csat = satisfaction_observations(Kpi.CSAT, kpi_inputs.csat_inputs(conn, trend_start, now))
        answered = sum(o.ok for o in first) / len(first) if first else None
        by_day = {v.bucket: v.share for v in summarise(csat, Period.DAY, Scope.DESK)}
        days = [(today - timedelta(days=k)).isoformat() for k in range(CSAT_TREND_DAYS - 1, -1, -1)]
        return replace(
            snapshot,
            arrivals_today=tuple(counts),
            forecast_today=tuple(expected),
            answered_30s=answered,
            csat_trend=tuple((d, by_day.get(d)) for d in days),
        )


#: Counts the live view shows from the complaints and callbacks rooms' tables (contract names),
#: each ``(key, table, SQL)``; a table this store does not have yet is skipped.
ROOM_COUNTS = (
    (
        "complaints_due_3d",
        "complaint",
        "SELECT count(*) FROM complaint WHERE status IN ('open', 'review') AND deadline <= :soon",
    ),
    ("major_complaints", "complaint", "SELECT count(*) FROM complaint WHERE major AND status != 'closed'"),
    (
        "overdue_callbacks",
        "callback",
        "SELECT count(*) FROM callback WHERE status = 'scheduled' AND due_at < :now",
    ),
)


def room_counts(conn: Connection, now: datetime) -> dict[str, int]:
    """Complaints due within 3 days, major complaints, overdue callbacks (DOMAIN.md: due ≤ 3 days first)."""
    from sqlalchemy import text

    present = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    params = {
        "now": now.astimezone(UTC).replace(tzinfo=None),
        "soon": (now + timedelta(days=3)).astimezone(DESK_TZ).date().isoformat(),  # a complaint's deadline is a day
    }
    return {
        key: int(conn.execute(text(sql), params).scalar() or 0) for key, table, sql in ROOM_COUNTS if table in present
    }


def export_tickets(store: Store, actor_id: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Tickets created in ``[since, until)`` as flat records for analysts: identifiers masked, text masked."""
    store._require(actor_id, Permission.REPORT_READ)
    from csdesk.data.reducer import CUSTOMER

    stmt = (
        select(TICKET, CUSTOMER.c.phone, CUSTOMER.c.vip)
        .outerjoin(CUSTOMER, CUSTOMER.c.id == TICKET.c.customer_id)
        .where(TICKET.c.created_at >= since, TICKET.c.created_at < until)
        .order_by(TICKET.c.created_at, TICKET.c.ref)
    )
    with store._read() as conn:
        rows = list(conn.execute(stmt))
    return [
        {
            "ref": r.ref,
            "desk_id": r.desk_id,
            "kind": r.kind,
            "channel": r.channel,
            "priority": r.priority,
            "status": r.status,
            "business": r.business,
            "cause": r.cause,
            "subject": mask_text(r.subject),
            "customer_id": r.customer_id,
            "customer_phone": mask_phone(r.phone) if r.phone else None,
            "customer_vip": bool(r.vip),
            "assignee_id": r.assignee_id,
            "created_at": r.created_at.isoformat(),
            "first_response_s": (
                int((r.first_response_at - r.created_at).total_seconds()) if r.first_response_at else None
            ),
            "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
        }
        for r in rows
    ]


def kpi_export_rows(rows: Sequence[KpiRow]) -> list[dict[str, Any]]:
    """KPI rows as flat records for CSV/JSON (no customer data in them at all)."""
    return [
        {
            "kpi": r.kpi,
            "bucket": r.bucket,
            "scope": r.scope,
            "key": r.key,
            "met": r.met,
            "due": r.due,
            "share": None if r.share is None else round(r.share, 4),
            "target": r.target,
            "on_target": r.on_target,
        }
        for r in rows
    ]


Gatherer = Callable[[Connection, datetime, datetime], list[Any]]
#: KPI -> the function gathering its inputs (for a supervisor's drill-down and for tests).
GATHERERS: dict[Kpi, Gatherer] = {
    Kpi.FIRST_RESPONSE: kpi_inputs.first_response_inputs,
    Kpi.CONSULTATION_TIMELINESS: kpi_inputs.consultation_inputs,
    Kpi.COMPLAINT_ON_TIME: kpi_inputs.complaint_on_time_inputs,
    Kpi.COMPLAINT_SATISFACTION: kpi_inputs.complaint_satisfaction_inputs,
    Kpi.BUSINESS_SUCCESS: kpi_inputs.business_inputs,
    Kpi.CALLBACK_COMPLETION: kpi_inputs.callback_inputs,
    Kpi.CSAT: kpi_inputs.csat_inputs,
    Kpi.CHURN: kpi_inputs.churn_inputs,
}
