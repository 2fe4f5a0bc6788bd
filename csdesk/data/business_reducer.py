"""Reducer handlers of business assistance (``business.*``, registered on the one reducer).

Every value the handlers write comes from the event, so replaying the log gives the same rows.
A step from another desk that arrives before its ``business.case_opened`` is parked and
applied when the case arrives.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, update

from csdesk.data.business_tables import BusinessCaseRow, BusinessDocumentRow
from csdesk.data.callback_reducer import moment
from csdesk.data.eventlog import EventData
from csdesk.data.reducer import apply_deferred, handles, later_of, needs_row

BUSINESS_CASE: Table = BusinessCaseRow.__table__  # type: ignore[assignment]
BUSINESS_DOCUMENT: Table = BusinessDocumentRow.__table__  # type: ignore[assignment]


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
