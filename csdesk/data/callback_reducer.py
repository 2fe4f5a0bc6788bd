"""Reducer handlers of callbacks and contact preferences (registered on the one reducer).

Callbacks are grow-only: each occurrence is a row made by ``callback.scheduled``; an
attempt, a new time, a cancellation or a reminder only changes that row. Every value the
handlers write comes from the event (the gateway computed the next due time and status),
so replaying the log gives the same rows. An outcome, new time, cancellation or reminder
from another desk that arrives before its ``callback.scheduled`` is parked and applied
when the callback arrives.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from csdesk.data.callback_tables import CallbackRow, ContactPrefRow
from csdesk.data.eventlog import EventData
from csdesk.data.reducer import apply_deferred, handles, later_of, needs_row

CALLBACK: Table = CallbackRow.__table__  # type: ignore[assignment]
CONTACT_PREF: Table = ContactPrefRow.__table__  # type: ignore[assignment]
FINAL_STATUSES = ("done", "failed", "cancelled")


def scheduled_payload(
    *,
    customer_id: str,
    due_at: datetime,
    purpose: str,
    series_id: str,
    channel: str = "phone",
    assignee_id: str | None = None,
    ticket_id: str | None = None,
    complaint_id: str | None = None,
    rule: dict[str, Any] | None = None,
    note: str = "",
    occurrence: int = 1,
    series_start: datetime | None = None,
    forced_reason: str | None = None,
    max_attempts: int = 3,
    retry_minutes: int = 120,
) -> dict[str, Any]:
    """The payload of a ``callback.scheduled`` event (times as ISO 8601 UTC)."""
    return {
        "customer_id": customer_id,
        "ticket_id": ticket_id,
        "complaint_id": complaint_id,
        "purpose": purpose,
        "channel": channel,
        "due_at": due_at.astimezone(UTC).isoformat(),
        "assignee_id": assignee_id,
        "rule": rule,
        "note": note,
        "series_id": series_id,
        "occurrence": occurrence,
        "series_start": (series_start or due_at).astimezone(UTC).isoformat(),
        "forced_reason": forced_reason,
        "max_attempts": max_attempts,
        "retry_minutes": retry_minutes,
    }


def moment(value: str | None) -> datetime | None:
    """An ISO time from a payload, as aware UTC."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


@handles("callback.scheduled")
def _scheduled(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    due = moment(data["due_at"])
    row = {
        "id": ev.entity_id,
        "customer_id": data["customer_id"],
        "ticket_id": data.get("ticket_id"),
        "complaint_id": data.get("complaint_id"),
        "purpose": data["purpose"],
        "channel": data["channel"],
        "note": data.get("note") or "",
        "due_at": due,
        "first_due_at": due,
        "assignee_id": data.get("assignee_id"),
        "status": "scheduled",
        "max_attempts": int(data.get("max_attempts") or 3),
        "retry_minutes": int(data.get("retry_minutes") or 120),
        "comment": "",
        "rule": json.dumps(data["rule"]) if data.get("rule") else None,
        "series_id": data.get("series_id") or ev.entity_id,
        "occurrence": int(data.get("occurrence") or 1),
        "series_start": moment(data.get("series_start")) or due,
        "forced_reason": data.get("forced_reason"),
        "created_by": ev.actor,
        "created_at": ev.recorded_at,
        "updated_at": ev.recorded_at,
    }
    conn.execute(sqlite_insert(CALLBACK).on_conflict_do_nothing(index_elements=["id"]), row)
    apply_deferred(conn, "callback", ev.entity_id)  # outcomes from other desks that arrived before it


@handles("callback.attempted")
@needs_row(CALLBACK)
def _attempted(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    current = conn.execute(select(CALLBACK).where(CALLBACK.c.id == ev.entity_id)).one()
    if current.status in FINAL_STATUSES:
        return
    values: dict[str, Any] = {
        "attempts": current.attempts + 1,
        "outcome": data["outcome"],
        "status": data["status"],
        "comment": data.get("comment") or current.comment,
        "first_attempt_at": current.first_attempt_at or ev.recorded_at,
        "updated_at": later_of(CALLBACK.c.updated_at, ev.recorded_at),
    }
    if data.get("score") is not None:
        values["score"] = int(data["score"])
    if data.get("next_due_at"):
        values["due_at"] = moment(data["next_due_at"])
    if data["status"] in FINAL_STATUSES:
        values["completed_at"] = ev.recorded_at
    conn.execute(update(CALLBACK).where(CALLBACK.c.id == ev.entity_id).values(**values))


@handles("callback.rescheduled")
@needs_row(CALLBACK)
def _rescheduled(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    conn.execute(
        update(CALLBACK)
        .where(CALLBACK.c.id == ev.entity_id, CALLBACK.c.status == "scheduled")
        .values(
            due_at=moment(data["due_at"]),
            forced_reason=data.get("forced_reason"),
            updated_at=later_of(CALLBACK.c.updated_at, ev.recorded_at),
        )
    )


@handles("callback.cancelled")
@needs_row(CALLBACK)
def _cancelled(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    conn.execute(
        update(CALLBACK)
        .where(CALLBACK.c.id == ev.entity_id, CALLBACK.c.status == "scheduled")
        .values(status="cancelled", comment=data.get("reason") or "", completed_at=ev.recorded_at,
                updated_at=later_of(CALLBACK.c.updated_at, ev.recorded_at))
    )


@handles("callback.reminded")
@needs_row(CALLBACK)
def _reminded(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    conn.execute(
        update(CALLBACK).where(CALLBACK.c.id == ev.entity_id).values(reminded_due_at=moment(data["due_at"]))
    )


@handles("customer.contact_prefs_set")
def _contact_prefs_set(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "customer_id": ev.entity_id,
        "do_not_contact": bool(data["do_not_contact"]),
        "window_start": data["window_start"],
        "window_end": data["window_end"],
        "weekdays": "".join(str(d) for d in sorted(data["weekdays"])),
        "time_zone": data["time_zone"],
        "updated_by": ev.actor,
        "updated_at": ev.recorded_at,
    }
    insert = sqlite_insert(CONTACT_PREF)
    upsert = insert.on_conflict_do_update(
        index_elements=["customer_id"], set_={k: insert.excluded[k] for k in row if k != "customer_id"}
    )
    conn.execute(upsert, row)
