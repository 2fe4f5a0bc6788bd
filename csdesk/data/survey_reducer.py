"""Reducer handlers of survey campaigns (``survey.*``, registered on the one reducer).

Every value the handlers write comes from the event (the gateway drew the sample and
planned the calls), so replaying the log gives the same rows.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from csdesk.data.eventlog import EventData
from csdesk.data.reducer import handles
from csdesk.data.survey_tables import SurveyCampaignRow, SurveyMemberRow

SURVEY_CAMPAIGN: Table = SurveyCampaignRow.__table__  # type: ignore[assignment]
SURVEY_MEMBER: Table = SurveyMemberRow.__table__  # type: ignore[assignment]


@handles("survey.campaign_defined")
def _defined(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    row = {
        "id": ev.entity_id,
        "name": data["name"],
        "period_start": date.fromisoformat(data["period_start"]),
        "period_end": date.fromisoformat(data["period_end"]),
        "kinds": ",".join(data.get("kinds") or ()),
        "businesses": ",".join(data.get("businesses") or ()),
        "agents": ",".join(data.get("agents") or ()),
        "sample_size": data.get("sample_size"),
        "sample_share": data.get("sample_share"),
        "channel": data["channel"],
        "questions": json.dumps(data["questions"], ensure_ascii=False),
        "seed": int(data["seed"]),
        "fatigue_days": int(data["fatigue_days"]),
        "call_days": int(data["call_days"]),
        "status": "defined",
        "created_by": ev.actor,
        "created_at": ev.recorded_at,
    }
    conn.execute(sqlite_insert(SURVEY_CAMPAIGN).on_conflict_do_nothing(index_elements=["id"]), row)


@handles("survey.launched")
def _launched(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    excluded = data.get("excluded") or {}
    conn.execute(
        update(SURVEY_CAMPAIGN)
        .where(SURVEY_CAMPAIGN.c.id == ev.entity_id)
        .values(
            status="launched", launched_at=ev.recorded_at, population=int(data["population"]),
            sampled=len(data["members"]), excluded_dnc=int(excluded.get("do_not_contact", 0)),
            excluded_recent=int(excluded.get("recently_surveyed", 0)),
            excluded_no_time=int(excluded.get("no_allowed_time", 0)),
        )
    )
    rows = [
        {
            "campaign_id": ev.entity_id, "customer_id": m["customer_id"], "agent_id": m["agent_id"],
            "team": m.get("team", ""), "business": m.get("business", ""), "ticket_id": m.get("ticket_id", ""),
            "callback_id": m["callback_id"], "caller_id": m.get("caller_id", ""),
        }
        for m in data["members"]
    ]
    if rows:
        conn.execute(sqlite_insert(SURVEY_MEMBER).on_conflict_do_nothing(), rows)


def _finish(conn: Connection, ev: EventData, data: dict[str, Any], status: str) -> None:
    conn.execute(
        update(SURVEY_CAMPAIGN)
        .where(SURVEY_CAMPAIGN.c.id == ev.entity_id, SURVEY_CAMPAIGN.c.status.in_(("defined", "launched")))
        .values(status=status, reason=data.get("reason") or "", closed_at=ev.recorded_at)
    )


@handles("survey.closed")
def _closed(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    _finish(conn, ev, data, "closed")


@handles("survey.cancelled")
def _cancelled(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    _finish(conn, ev, data, "cancelled")
