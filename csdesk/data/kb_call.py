"""What the desk knows about a call an article is used in: agent, ticket, dates.

Read for :mod:`csdesk.domain.call_values`: the agent's staff number, the ticket's number,
the day it was raised, and the day a reply is due, which is the date promised to the
customer on the ticket's newest open complaint, or else the ticket's own resolution deadline.
A reply date already past is not offered: a script must not promise a day gone by, so the
placeholder stays flagged and the agent names a new date.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from csdesk.data.complaint_reducer import COMPLAINT
from csdesk.data.reducer import TICKET, USER
from csdesk.domain.call_values import CallFacts
from csdesk.domain.when import DESK_TZ


def call_facts(conn: Connection, agent_id: str, ticket_id: str | None, today: date) -> CallFacts:
    """The facts of a call by ``agent_id`` about ``ticket_id`` on the desk's local ``today``.

    Just the agent's when there is no ticket.
    """
    staff_no = conn.execute(select(USER.c.staff_no).where(USER.c.id == agent_id)).scalar() or ""
    if ticket_id is None:
        return CallFacts(staff_no)
    ticket = conn.execute(
        select(TICKET.c.ref, TICKET.c.created_at, TICKET.c.sla_resolution_due).where(TICKET.c.id == ticket_id)
    ).first()
    if ticket is None:
        return CallFacts(staff_no)
    promised = conn.execute(
        select(COMPLAINT.c.promised_at)
        .where(COMPLAINT.c.ticket_id == ticket_id, COMPLAINT.c.closed_at.is_(None))
        .order_by(COMPLAINT.c.accepted_at.desc())
        .limit(1)
    ).scalar()
    due = ticket.sla_resolution_due
    reply_by = promised or (due.astimezone(DESK_TZ).date() if due is not None else None)
    if reply_by is not None and reply_by < today:
        reply_by = None
    return CallFacts(staff_no, ticket.ref, ticket.created_at, reply_by)
