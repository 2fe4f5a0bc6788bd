"""Reducer handlers of business assistance (``business.*``, registered on the one reducer).

Every value the handlers write comes from the event, so replaying the log gives the same rows.
A step from another desk that arrives before its ``business.case_opened`` is parked and
applied when the case arrives.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, update

from csdesk.data.business_tables import BusinessCaseRow, BusinessDocumentRow
from csdesk.data.callback_reducer import moment
from csdesk.data.eventlog import EventData
from csdesk.data.reducer import apply_deferred, handles, later_of, needs_row

if TYPE_CHECKING:
    from csdesk.data.checklist_files import Checklist

BUSINESS_CASE: Table = BusinessCaseRow.__table__  # type: ignore[assignment]
BUSINESS_DOCUMENT: Table = BusinessDocumentRow.__table__  # type: ignore[assignment]


def opened_payload(
    checklist: Checklist, *, ticket_id: str, customer_id: str | None, agent_id: str, team: str
) -> dict[str, Any]:
    """The payload of a ``business.case_opened`` event: a case of ``checklist``'s type, every document pending."""
    return {
        "ticket_id": ticket_id, "customer_id": customer_id, "business_type": checklist.type,
        "department": checklist.department.en, "agent_id": agent_id, "team": team,
        "documents": list(checklist.document_ids),
    }  # fmt: skip


def document_payload(doc_id: str, status: str, reason: str = "") -> dict[str, Any]:
    """The payload of a ``business.document_checked`` event."""
    return {"doc_id": doc_id, "status": status, "reason": reason}


def passed_payload(department: str, promised_at: datetime, override_reason: str | None = None) -> dict[str, Any]:
    """The payload of a ``business.passed`` event (the promised time as ISO 8601)."""
    return {"department": department, "promised_at": promised_at.isoformat(), "override_reason": override_reason}


def stage_payload(
    stage: str, from_stage: str, note: str = "", override_reason: str | None = None, promised_at: datetime | None = None
) -> dict[str, Any]:
    """The payload of a ``business.stage_changed`` event; ``promised_at`` only when the date moves."""
    payload: dict[str, Any] = {"stage": stage, "from": from_stage, "note": note, "override_reason": override_reason}
    if promised_at is not None:
        payload["promised_at"] = promised_at.isoformat()
    return payload


@handles("business.case_opened")
def _opened(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    when = ev.recorded_at
    conn.execute(
        BUSINESS_CASE.insert().values(
            id=ev.entity_id,
            ticket_id=data["ticket_id"],
            customer_id=data.get("customer_id"),
            business_type=data["business_type"],
            stage="draft",
            department=data["department"],
            agent_id=data["agent_id"],
            team=data.get("team", ""),
            opened_at=when,
            updated_at=when,
        )
    )
    for position, doc_id in enumerate(data["documents"]):
        conn.execute(BUSINESS_DOCUMENT.insert().values(case_id=ev.entity_id, doc_id=doc_id, position=position))
    apply_deferred(conn, "business", ev.entity_id)  # steps from other desks that arrived before the case


def _touch(conn: Connection, ev: EventData, **values: Any) -> None:
    stmt = update(BUSINESS_CASE).where(BUSINESS_CASE.c.id == ev.entity_id)
    conn.execute(stmt.values(updated_at=later_of(BUSINESS_CASE.c.updated_at, ev.recorded_at), **values))


@handles("business.document_checked")
@needs_row(BUSINESS_CASE)
def _checked(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    doc = BUSINESS_DOCUMENT.c
    conn.execute(
        update(BUSINESS_DOCUMENT)
        .where(doc.case_id == ev.entity_id, doc.doc_id == data["doc_id"])
        .values(status=data["status"], reason=data.get("reason", ""), checked_by=ev.actor, checked_at=ev.recorded_at)
    )
    _touch(conn, ev)


@handles("business.passed")
@needs_row(BUSINESS_CASE)
def _passed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    _touch(
        conn, ev, stage="submitted", department=data["department"],
        promised_at=moment(data.get("promised_at")), override_reason=data.get("override_reason"),
    )


@handles("business.stage_changed")
@needs_row(BUSINESS_CASE)
def _stage(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    values: dict[str, Any] = {"stage": data["stage"]}
    if data.get("promised_at"):
        values["promised_at"] = moment(data["promised_at"])
    if data["stage"] == "returned_for_rework":
        values["rework_count"] = BUSINESS_CASE.c.rework_count + 1
    _touch(conn, ev, **values)


@handles("business.completed")
@needs_row(BUSINESS_CASE)
def _completed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    _touch(conn, ev, stage="completed", guidance=data["guidance"], completed_at=ev.recorded_at)
