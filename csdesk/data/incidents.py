"""Emergency incidents: a supervisor raises one with a standard script every desk shows.

Reached as ``store.incidents`` (:class:`Incidents`). Events: ``incident.raised``,
``incident.closed``, ``incident.tickets_linked`` (tickets linked in bulk, by id or by a
queue filter). Raising, closing and linking need ``incident.manage`` (supervisors); every
signed-in user reads the open ones (the header shows their script).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from csdesk.data.api import TicketQuery
from csdesk.data.reducer import TICKET
from csdesk.data.supervisor_api import IncidentView
from csdesk.data.supervisor_reducer import INCIDENT, INCIDENT_TICKET
from csdesk.domain.errors import Conflict, NotFound, ValidationError
from csdesk.domain.roles import Permission
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.uuid7 import uuid7

if TYPE_CHECKING:
    from csdesk.data.store import Store

TITLE_LIMIT = 200
SCRIPT_LIMIT = 2_000
BULK_LIMIT = 10_000


class IncidentKind(StrEnum):
    """What happened (DOMAIN.md, "Emergency response")."""

    SYSTEM_OUTAGE = "system_outage"
    MASS_COMPLAINT = "mass_complaint"
    SUSPECTED_FRAUD = "suspected_fraud"
    OTHER = "other"


def _view(r: Any, tickets: int) -> IncidentView:
    return IncidentView(r.id, r.kind, r.title, r.script, r.status, r.raised_by, r.raised_at, r.closed_at, tickets)


def incident_views(conn: Connection, *where: Any) -> list[IncidentView]:
    """Incidents matching ``where``, newest first, with how many tickets each has."""
    counts = dict(
        conn.execute(select(INCIDENT_TICKET.c.incident_id, func.count()).group_by(INCIDENT_TICKET.c.incident_id)).all()
    )
    rows = conn.execute(select(INCIDENT).where(*where).order_by(INCIDENT.c.raised_at.desc(), INCIDENT.c.id))
    return [_view(r, int(counts.get(r.id, 0))) for r in rows]


def open_incidents(conn: Connection) -> list[IncidentView]:
    """Incidents not yet closed, newest first."""
    return incident_views(conn, INCIDENT.c.status == "open")


class Incidents:
    """Raise, close and link tickets to emergency incidents."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def active(self) -> list[IncidentView]:
        """Open incidents, newest first (shown in every desk's header)."""
        with self.store._read() as conn:
            return open_incidents(conn)

    def list(self, actor_id: str) -> list[IncidentView]:
        """Every incident, newest first."""
        self.store._require(actor_id, Permission.TICKET_READ)
        with self.store._read() as conn:
            return incident_views(conn)

    def get(self, incident_id: str) -> IncidentView:
        """One incident; raises :class:`NotFound`."""
        with self.store._read() as conn:
            found = incident_views(conn, INCIDENT.c.id == incident_id)
        if not found:
            raise NotFound("That incident does not exist.")
        return found[0]

    def raise_incident(self, actor_id: str, kind: str, title: str, script: str) -> IncidentView:
        """Raise an incident with the script agents read to customers."""
        self.store._require(actor_id, Permission.INCIDENT_MANAGE)
        try:
            which = IncidentKind(kind)
        except ValueError:
            raise ValidationError(
                "kind", f"Unknown incident kind {kind!r}; use one of: {', '.join(IncidentKind)}."
            ) from None
        title = sanitize_line(title, max_chars=TITLE_LIMIT).strip()
        script = sanitize_text(script, max_chars=SCRIPT_LIMIT).strip()
        if not title:
            raise ValidationError("title", "Give the incident a title.")
        if not script:
            raise ValidationError("script", "Give the standard script agents read to customers.")
        incident_id = uuid7(self.store.clock)
        payload = {"kind": which.value, "title": title, "script": script}
        self.store._write(actor_id, [("incident", incident_id, "incident.raised", payload)])
        return self.get(incident_id)

    def close(self, actor_id: str, incident_id: str) -> IncidentView:
        """Close an open incident; its banner leaves every header."""
        self.store._require(actor_id, Permission.INCIDENT_MANAGE)
        if self.get(incident_id).status != "open":
            raise Conflict("That incident is already closed.")
        self.store._write(actor_id, [("incident", incident_id, "incident.closed", {})])
        return self.get(incident_id)

    def link(self, actor_id: str, incident_id: str, ticket_ids: Sequence[str]) -> IncidentView:
        """Link tickets to the incident in one event (unknown ticket ids are refused, nothing written)."""
        self.store._require(actor_id, Permission.INCIDENT_MANAGE)
        self.get(incident_id)
        wanted = sorted(set(ticket_ids))
        if not wanted:
            raise ValidationError("ticket_ids", "Choose at least one ticket to link.")
        if len(wanted) > BULK_LIMIT:
            raise ValidationError("ticket_ids", f"Link at most {BULK_LIMIT} tickets at once.")
        with self.store._read() as conn:
            known = {r.id for r in conn.execute(select(TICKET.c.id).where(TICKET.c.id.in_(wanted)))}
        missing = [t for t in wanted if t not in known]
        if missing:
            raise NotFound(f"{len(missing)} of the tickets do not exist; nothing was linked.")
        self.store._write(actor_id, [("incident", incident_id, "incident.tickets_linked", {"ticket_ids": wanted})])
        return self.get(incident_id)

    def link_matching(self, actor_id: str, incident_id: str, query: TicketQuery) -> IncidentView:
        """Link every ticket the queue filter ``query`` shows (e.g. open complaints about the outage)."""
        self.store._require(actor_id, Permission.INCIDENT_MANAGE)
        stmt = (
            self.store._ticket_select()
            .with_only_columns(TICKET.c.id)
            .where(*self.store._where(query))
            .limit(BULK_LIMIT + 1)
        )
        with self.store._read() as conn:
            ids = [r.id for r in conn.execute(stmt)]
        return self.link(actor_id, incident_id, ids)

    def ticket_ids(self, incident_id: str) -> list[str]:
        """Ids of the tickets linked to an incident."""
        with self.store._read() as conn:
            rows = conn.execute(
                select(INCIDENT_TICKET.c.ticket_id)
                .where(INCIDENT_TICKET.c.incident_id == incident_id)
                .order_by(INCIDENT_TICKET.c.ticket_id)
            )
            return [r.ticket_id for r in rows]
