"""Plain values from table rows: one builder each for the store and for the start-up preview.

Light to import (no SQLAlchemy): :mod:`csdesk.data.peek` uses it before the store opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from csdesk.data.api import TicketRow, UserInfo
from csdesk.domain.masking import mask_text
from csdesk.domain.sla import SlaMode, SlaPolicy


def _time(value: Any) -> datetime | None:
    """A stored timestamp (UTC): a datetime from SQLAlchemy, an ISO string from sqlite3."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def ticket_row(r: Mapping[str, Any], policy: SlaPolicy) -> TicketRow:
    """A queue line from a ticket row joined with its customer and assignee names.

    The SLA column counts down to the first response until there is one, then to the
    resolution; ``policy`` gives the target's length for the colour thresholds.
    """
    responding = r["first_response_at"] is None and r["sla_response_due"] is not None
    total = policy.first_response if responding else policy.resolution
    return TicketRow(
        id=r["id"],
        ref=r["ref"],
        kind=r["kind"],
        channel=r["channel"],
        priority=r["priority"],
        status=r["status"],
        subject=mask_text(r["subject"]),
        created_at=_time(r["created_at"]),  # type: ignore[arg-type]
        updated_at=_time(r["updated_at"]),  # type: ignore[arg-type]
        customer_id=r["customer_id"],
        customer_name=mask_text(r["customer_name"]) if r["customer_name"] else r["customer_name"],
        customer_vip=bool(r["customer_vip"]),
        assignee_id=r["assignee_id"],
        assignee_name=r["assignee_name"],
        sla_due=_time(r["sla_response_due"] if responding else r["sla_resolution_due"]),
        sla_paused_at=_time(r["sla_paused_at"]),
        sla_done_at=None if responding else _time(r["resolved_at"]),
        sla_mode=policy.mode.value,
        sla_total_s=int(total.total_seconds()),
        sla_target="first_response" if responding else "resolution",
    )


def user_info(r: Mapping[str, Any]) -> UserInfo:
    """A user from a ``user`` row (skills are stored comma-separated)."""
    skills = tuple(filter(None, (r["skills"] or "").split(",")))
    keys = r.keys()  # "in" on a sqlite3.Row (peek) would look at values, not names
    staff_no = r["staff_no"] if "staff_no" in keys else ""  # a store not yet at revision 0010
    return UserInfo(r["id"], r["name"], r["role"], r["team"], bool(r["active"]), r["availability"], skills, staff_no)


def sla_policy_from_row(r: Mapping[str, Any]) -> SlaPolicy:
    """A desk's SLA policy from an ``sla_policy`` row (targets stored in minutes)."""
    return SlaPolicy(
        r["kind"],
        r["priority"],
        timedelta(minutes=r["first_response_minutes"]),
        timedelta(minutes=r["resolution_minutes"]),
        SlaMode(r["mode"]),
    )
