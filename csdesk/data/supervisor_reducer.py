"""Reducer handlers of the supervisor's room: KPI targets, roster, QA, whistle-blowing, incidents.

Registered on :func:`csdesk.data.reducer.handles`; each applies one event to the tables of
:mod:`csdesk.data.supervisor_tables`. Replaying the log in HLC order gives the same rows.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from csdesk.data.eventlog import EventData
from csdesk.data.reducer import handles
from csdesk.data.supervisor_tables import (
    IncidentRow,
    IncidentTicketRow,
    KpiTargetRow,
    QaPenaltyRow,
    QaReviewRow,
    RosterShiftRow,
    WhistleReportRow,
)

KPI_TARGET: Table = KpiTargetRow.__table__  # type: ignore[assignment]
ROSTER: Table = RosterShiftRow.__table__  # type: ignore[assignment]
QA_REVIEW: Table = QaReviewRow.__table__  # type: ignore[assignment]
QA_PENALTY: Table = QaPenaltyRow.__table__  # type: ignore[assignment]
WHISTLE: Table = WhistleReportRow.__table__  # type: ignore[assignment]
INCIDENT: Table = IncidentRow.__table__  # type: ignore[assignment]
INCIDENT_TICKET: Table = IncidentTicketRow.__table__  # type: ignore[assignment]

#: Anonymous reports are written under this actor: the reporter is never recorded.
ANONYMOUS = "anonymous"


def _upsert(conn: Connection, table: Table, row: dict[str, Any], keys: list[str]) -> None:
    stmt = sqlite_insert(table).values(**row)
    values = {k: v for k, v in row.items() if k not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=values) if values else stmt)


def _insert_new(conn: Connection, table: Table, row: dict[str, Any], keys: list[str]) -> None:
    conn.execute(sqlite_insert(table).values(**row).on_conflict_do_nothing(index_elements=keys))


def _at(ev: EventData) -> datetime:
    return ev.recorded_at


@handles("kpi.target_set")
def _kpi_target_set(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {"id": ev.entity_id, "value": float(data["value"]), "set_by": ev.actor, "set_at": _at(ev)}
    _upsert(conn, KPI_TARGET, row, ["id"])


@handles("roster.shift_set")
def _roster_shift_set(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "id": ev.entity_id,
        "agent_id": data["agent_id"],
        "day": data["day"],
        "start_interval": int(data["start_interval"]),
        "end_interval": int(data["end_interval"]),
    }
    _upsert(conn, ROSTER, row, ["id"])


@handles("roster.shift_removed")
def _roster_shift_removed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    conn.execute(delete(ROSTER).where(ROSTER.c.id == ev.entity_id))


@handles("qa.sampled")
def _qa_sampled(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "id": ev.entity_id,
        "ticket_id": data["ticket_id"],
        "agent_id": data["agent_id"],
        "sampled_by": ev.actor,
        "sampled_at": _at(ev),
        "status": "sampled",
        "comment": "",
    }
    _insert_new(conn, QA_REVIEW, row, ["id"])


@handles("qa.scored")
def _qa_scored(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    conn.execute(
        update(QA_REVIEW)
        .where(QA_REVIEW.c.id == ev.entity_id)
        .values(
            status="scored",
            inspector_id=ev.actor,
            marks=json.dumps(data["marks"], sort_keys=True),
            score=float(data["score"]),
            comment=data.get("comment") or "",
            scored_at=_at(ev),
        )
    )


@handles("qa.penalty_recorded")
def _qa_penalty(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "id": ev.entity_id,
        "agent_id": data["agent_id"],
        "step": data["step"],
        "violation": data["violation"],
        "reason": data["reason"],
        "evidence": json.dumps(list(data.get("evidence") or [])),
        "approver_id": data["approver_id"],
        "decided_by": ev.actor,
        "decided_at": _at(ev),
    }
    _insert_new(conn, QA_PENALTY, row, ["id"])


@handles("whistle.filed")
def _whistle_filed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {"id": ev.entity_id, "subject": data.get("subject") or "", "text": data["text"], "filed_at": _at(ev)}
    _insert_new(conn, WHISTLE, row, ["id"])


@handles("incident.raised")
def _incident_raised(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "id": ev.entity_id,
        "kind": data["kind"],
        "title": data["title"],
        "script": data["script"],
        "status": "open",
        "raised_by": ev.actor,
        "raised_at": _at(ev),
    }
    _insert_new(conn, INCIDENT, row, ["id"])


@handles("incident.closed")
def _incident_closed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    conn.execute(
        update(INCIDENT)
        .where(INCIDENT.c.id == ev.entity_id, INCIDENT.c.status == "open")
        .values(status="closed", closed_by=ev.actor, closed_at=_at(ev))
    )


@handles("incident.tickets_linked")
def _incident_tickets_linked(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    for ticket_id in data["ticket_ids"]:
        row = {"incident_id": ev.entity_id, "ticket_id": ticket_id, "linked_by": ev.actor, "linked_at": _at(ev)}
        _insert_new(conn, INCIDENT_TICKET, row, ["incident_id", "ticket_id"])
