"""A read-only first look at the queue with the standard library's sqlite3, before the store opens.

Opening the store imports SQLAlchemy, SQLModel and pydantic (over a second on a small
machine). The agent's first screen does not have to wait for that: :func:`peek_queue`
reads the first page of open tickets — the same rows, order and SLA figures as
:meth:`csdesk.data.store.Store.list_tickets` gives for the default queue — straight from
the file, read-only, and the app shows them until the store is ready. Anything unusual
(no file yet, another schema, a locked or damaged file) gives ``None`` and the app simply
waits for the store, which explains any real problem.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from csdesk.data.api import TicketRow, UserInfo
from csdesk.data.rows import sla_policy_from_row, ticket_row, user_info
from csdesk.domain.sla import SlaPolicy, default_policy

#: The default queue view of :mod:`csdesk.screens.queue` (all open tickets, newest first).
OPEN_STATUSES = ("new", "open", "waiting_customer", "waiting_department")
_WHERE = f"ticket.status IN ({', '.join('?' * len(OPEN_STATUSES))})"
_PAGE = (
    "SELECT ticket.*, customer.name AS customer_name, customer.vip AS customer_vip, "
    "assignee.name AS assignee_name FROM ticket "
    "LEFT OUTER JOIN customer ON customer.id = ticket.customer_id "
    'LEFT OUTER JOIN "user" AS assignee ON assignee.id = ticket.assignee_id '
    f"WHERE {_WHERE} ORDER BY ticket.created_at DESC, ticket.rowid DESC LIMIT ?"
)
_COUNT = f"SELECT count(*) FROM ticket WHERE {_WHERE}"


@dataclass(frozen=True, slots=True)
class QueuePeek:
    """The first page of the default queue, its total and the signed-in user, if known."""

    path: Path
    total: int
    rows: list[TicketRow]
    user: UserInfo | None
    demo: bool


def peek_queue(path: Path, user_id: str, limit: int) -> QueuePeek | None:
    """Read the first ``limit`` open tickets of the store at ``path``; ``None`` if that is not simple."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    conn.row_factory = sqlite3.Row
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        policies = _policies(conn)
        rows = [
            ticket_row(r, policies.get((r["kind"], r["priority"])) or default_policy(r["kind"], r["priority"]))
            for r in conn.execute(_PAGE, (*OPEN_STATUSES, limit))
        ]
        total = int(conn.execute(_COUNT, OPEN_STATUSES).fetchone()[0])
        user = _user(conn, user_id)
    except (sqlite3.Error, KeyError, ValueError, IndexError):
        return None
    finally:
        conn.close()
    return QueuePeek(path=path, total=total, rows=rows, user=user, demo=meta.get("mode") == "demo")


def _policies(conn: sqlite3.Connection) -> dict[tuple[str, str], SlaPolicy]:
    rows = conn.execute("SELECT kind, priority, first_response_minutes, resolution_minutes, mode FROM sla_policy")
    return {(r["kind"], r["priority"]): sla_policy_from_row(r) for r in rows}


def _user(conn: sqlite3.Connection, user_id: str) -> UserInfo | None:
    if not user_id:
        return None
    row = conn.execute('SELECT * FROM "user" WHERE id = ?', (user_id,)).fetchone()
    if row is None:
        return None
    return user_info(row)
