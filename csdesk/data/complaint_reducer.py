"""Reducer handlers of the complaints room: ``complaint.*`` events -> the complaint tables.

The clock columns (``deadline``, ``paused_days``) are recomputed from the row and its
closed pauses with :mod:`csdesk.domain.complaint_clock`, so a rebuild from the log gives
the same deadline. Pauses, extensions and steps are grow-only and keyed by their ids.
An event about a complaint whose ``complaint.logged`` has not arrived yet (another
desk's) is parked and applied when it arrives; ``updated_at`` only moves forward.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from csdesk.data.complaint_tables import (
    ComplaintExtensionRow,
    ComplaintPauseRow,
    ComplaintPolicyRow,
    ComplaintRow,
    ComplaintStepRow,
)
from csdesk.data.complaint_views import ComplaintStatus
from csdesk.data.eventlog import EventData
from csdesk.data.reducer import apply_deferred, handles, later_of, needs_row
from csdesk.domain.complaint_clock import decision_deadline
from csdesk.domain.when import today_local

COMPLAINT: Table = ComplaintRow.__table__  # type: ignore[assignment]
PAUSE: Table = ComplaintPauseRow.__table__  # type: ignore[assignment]
EXTENSION: Table = ComplaintExtensionRow.__table__  # type: ignore[assignment]
STEP: Table = ComplaintStepRow.__table__  # type: ignore[assignment]
POLICY: Table = ComplaintPolicyRow.__table__  # type: ignore[assignment]

_LOGGED_FIELDS = (
    "ticket_id", "customer_id", "channel", "business", "cause", "description", "remedy", "severity",
    "complainants", "amount_in_dispute", "linked_to",
)


def aware(at: datetime) -> datetime:
    """A stored (naive UTC) time as an aware UTC one."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def accepted_on(accepted_at: datetime) -> date:
    """The desk's local calendar day of acceptance (the clock counts from the day after)."""
    return today_local(aware(accepted_at))


def _set(conn: Connection, complaint_id: str, ev: EventData, **values: Any) -> None:
    stamp = later_of(COMPLAINT.c.updated_at, ev.recorded_at)
    conn.execute(update(COMPLAINT).where(COMPLAINT.c.id == complaint_id).values(updated_at=stamp, **values))


def refresh_clock(conn: Connection, complaint_id: str) -> None:
    """Recompute paused days (closed pauses) and the deadline of one complaint."""
    row = conn.execute(select(COMPLAINT).where(COMPLAINT.c.id == complaint_id)).first()
    if row is None:
        return
    pauses = conn.execute(
        select(PAUSE.c.start_on, PAUSE.c.end_on).where(
            PAUSE.c.complaint_id == complaint_id, PAUSE.c.end_on.is_not(None)
        )
    ).all()
    paused = sum(max(0, (end - start).days) for start, end in pauses)
    deadline = decision_deadline(accepted_on(row.accepted_at), row.allowed_days, paused, roll_forward=row.roll_forward)
    conn.execute(update(COMPLAINT).where(COMPLAINT.c.id == complaint_id).values(paused_days=paused, deadline=deadline))


@handles("complaint.logged")
def _logged(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {k: data.get(k) for k in _LOGGED_FIELDS}
    grounds = list(data.get("major_grounds") or [])
    row.update(
        id=ev.entity_id,
        accepted_at=datetime.fromisoformat(data["accepted_at"]),
        allowed_days=int(data.get("allowed_days", 15)),
        roll_forward=bool(data.get("roll_forward", True)),
        deadline=date.fromisoformat(data["deadline"]),
        promised_at=date.fromisoformat(data["promised_at"]),
        status=ComplaintStatus.OPEN.value,
        major=bool(grounds),
        major_grounds=",".join(grounds),
        created_by=ev.actor,
        updated_at=ev.recorded_at,
        description=data.get("description") or "",
        remedy=data.get("remedy") or "",
        amount_in_dispute=data.get("amount_in_dispute") or "",
    )
    conn.execute(sqlite_insert(COMPLAINT).on_conflict_do_nothing(index_elements=["id"]), row)
    refresh_clock(conn, ev.entity_id)
    apply_deferred(conn, "complaint", ev.entity_id)  # events from other desks that arrived before this one


@handles("complaint.group_formed")
@needs_row(COMPLAINT)
def _group_formed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    _set(
        conn,
        ev.entity_id,
        ev,
        lead_handler_id=data["lead_handler_id"],
        departments=json.dumps(data.get("departments") or [], ensure_ascii=False),
        members=json.dumps(data.get("members") or [], ensure_ascii=False),
    )


@handles("complaint.recusal_recorded")
@needs_row(COMPLAINT)
def _recusal(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    current = conn.execute(select(COMPLAINT.c.conflicted).where(COMPLAINT.c.id == ev.entity_id)).scalar() or ""
    names = sorted({*filter(None, current.split(",")), data["handler_id"]})
    _set(conn, ev.entity_id, ev, conflicted=",".join(names))


@handles("complaint.paused")
@needs_row(COMPLAINT)
def _paused(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    start = date.fromisoformat(data["start_on"])
    row = {
        "id": data["pause_id"],
        "complaint_id": ev.entity_id,
        "reason": data["reason"],
        "note": data.get("note") or "",
        "start_on": start,
        "paused_by": ev.actor,
    }
    conn.execute(sqlite_insert(PAUSE).on_conflict_do_nothing(index_elements=["id"]), row)
    _set(conn, ev.entity_id, ev, paused=True, paused_since=start)


@handles("complaint.resumed")
@needs_row(COMPLAINT)
def _resumed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    conn.execute(
        update(PAUSE)
        .where(PAUSE.c.id == data["pause_id"])
        .values(end_on=date.fromisoformat(data["end_on"]), resumed_by=ev.actor)
    )
    running = conn.execute(
        select(func.count()).select_from(PAUSE).where(PAUSE.c.complaint_id == ev.entity_id, PAUSE.c.end_on.is_(None))
    ).scalar()
    if not running:
        _set(conn, ev.entity_id, ev, paused=False, paused_since=None)
    refresh_clock(conn, ev.entity_id)


@handles("complaint.extended")
@needs_row(COMPLAINT)
def _extended(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "id": data.get("extension_id") or ev.event_id,
        "complaint_id": ev.entity_id,
        "from_days": int(data["from_days"]),
        "to_days": int(data["to_days"]),
        "reason": data["reason"],
        "approved_by": ev.actor,
        "approved_at": ev.recorded_at,
    }
    conn.execute(sqlite_insert(EXTENSION).on_conflict_do_nothing(index_elements=["id"]), row)
    newest = conn.execute(select(func.max(EXTENSION.c.to_days)).where(EXTENSION.c.complaint_id == ev.entity_id))
    _set(conn, ev.entity_id, ev, allowed_days=int(newest.scalar() or data["to_days"]))
    refresh_clock(conn, ev.entity_id)


@handles("complaint.step_recorded")
@handles("complaint.escalated")
@needs_row(COMPLAINT)
def _step(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    kind = "escalation" if ev.kind == "complaint.escalated" else data.get("kind", "investigation")
    text = data.get("text") or ",".join(data.get("grounds") or [])
    row = {
        "id": data.get("step_id") or ev.event_id,
        "complaint_id": ev.entity_id,
        "kind": kind,
        "department": data.get("department") or "",
        "text": text,
        "actor_id": ev.actor,
        "at": ev.recorded_at,
    }
    conn.execute(sqlite_insert(STEP).on_conflict_do_nothing(index_elements=["id"]), row)
    _set(conn, ev.entity_id, ev)


@handles("complaint.decided")
@needs_row(COMPLAINT)
def _decided(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    values = {k: data[k] for k in ("findings", "decision", "basis") if k in data}
    if data.get("root_cause"):
        values["root_cause"] = data["root_cause"]
    _set(conn, ev.entity_id, ev, status=ComplaintStatus.DECIDED.value, decided_at=ev.recorded_at, **values)


@handles("complaint.notice_sent")
@needs_row(COMPLAINT)
def _notice_sent(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    _set(
        conn,
        ev.entity_id,
        ev,
        status=ComplaintStatus.NOTIFIED.value,
        notice_sent_at=datetime.fromisoformat(data["sent_at"]),
        notice_channel=data["channel"],
        notice_proof=data["proof"],
    )


@handles("complaint.closed")
@needs_row(COMPLAINT)
def _closed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    follow_up = data.get("follow_up_due")
    _set(
        conn,
        ev.entity_id,
        ev,
        status=ComplaintStatus.CLOSED.value,
        root_cause=data["root_cause"],
        closed_at=ev.recorded_at,
        follow_up_due=date.fromisoformat(follow_up) if follow_up else None,
    )


@handles("complaint.reopened")
@needs_row(COMPLAINT)
def _reopened(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    count = conn.execute(select(COMPLAINT.c.reopened_count).where(COMPLAINT.c.id == ev.entity_id)).scalar() or 0
    _set(
        conn,
        ev.entity_id,
        ev,
        status=ComplaintStatus.OPEN.value,
        closed_at=None,
        follow_up_due=None,
        reopened_count=count + 1,
    )


@handles("complaint.review_requested")
@needs_row(COMPLAINT)
def _review_requested(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    _set(
        conn,
        ev.entity_id,
        ev,
        status=ComplaintStatus.REVIEW.value,
        review_requested_at=ev.recorded_at,
        review_due=date.fromisoformat(data["review_due"]),
    )


@handles("complaint.policy_set")
def _policy_set(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    insert = sqlite_insert(POLICY).values(id=ev.entity_id, roll_forward=bool(data["roll_forward"]))
    upsert = insert.on_conflict_do_update(index_elements=["id"], set_={"roll_forward": insert.excluded.roll_forward})
    conn.execute(upsert)
