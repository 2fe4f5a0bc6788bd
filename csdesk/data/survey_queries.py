"""Reading for survey campaigns: the served population, exclusions, campaign rows and answers.

Plain functions over a read connection; :mod:`csdesk.data.surveys` checks roles and
writes. Customer identifiers never leave this module: only ids, counts and scores.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, case, func, select

from csdesk.data.callback_queries import as_utc
from csdesk.data.callback_reducer import CALLBACK, CONTACT_PREF
from csdesk.data.eventlog import EVENT, is_redacted
from csdesk.data.reducer import TICKET, USER
from csdesk.data.survey_reducer import SURVEY_CAMPAIGN, SURVEY_MEMBER
from csdesk.data.survey_views import CampaignView
from csdesk.domain.survey_results import SATISFIED, Response
from csdesk.domain.survey_sampling import Served
from csdesk.domain.when import DESK_TZ

SURVEY_PURPOSE = "satisfaction_survey"
#: The lowest overall score counted satisfied (CSAT: 4–5).
SATISFIED_FROM = min(SATISFIED)


def day_start(day: date) -> datetime:
    """Midnight of a desk date, as aware UTC."""
    return as_utc(datetime.combine(day, time(0), tzinfo=DESK_TZ))


def served_tickets(
    conn: Connection,
    start: date,
    end: date,
    kinds: Sequence[str] = (),
    businesses: Sequence[str] = (),
    agents: Sequence[str] = (),
) -> list[Served]:
    """Tickets created in the period (desk dates, both included) with a customer and an agent."""
    stmt = (
        select(TICKET.c.id, TICKET.c.customer_id, TICKET.c.assignee_id, TICKET.c.created_at, TICKET.c.business,
               USER.c.team)
        .join(USER, USER.c.id == TICKET.c.assignee_id)
        .where(
            TICKET.c.created_at >= day_start(start),
            TICKET.c.created_at < day_start(end + timedelta(days=1)),
            TICKET.c.customer_id.is_not(None),
            TICKET.c.assignee_id.is_not(None),
        )
    )
    if kinds:
        stmt = stmt.where(TICKET.c.kind.in_(list(kinds)))
    if businesses:
        stmt = stmt.where(TICKET.c.business.in_(list(businesses)))
    if agents:
        stmt = stmt.where(TICKET.c.assignee_id.in_(list(agents)))
    return [
        Served(r.customer_id, r.assignee_id, as_utc(r.created_at), r.id, r.team or "", r.business or "")
        for r in conn.execute(stmt)
    ]


def do_not_contact(conn: Connection, customers: Iterable[str]) -> set[str]:
    """Which of ``customers`` asked not to be contacted."""
    wanted = list(customers)
    found: set[str] = set()
    for chunk in range(0, len(wanted), 500):
        stmt = select(CONTACT_PREF.c.customer_id).where(
            CONTACT_PREF.c.customer_id.in_(wanted[chunk:chunk + 500]), CONTACT_PREF.c.do_not_contact.is_(True)
        )
        found.update(conn.execute(stmt).scalars())
    return found


def recently_surveyed(conn: Connection, since: datetime) -> set[str]:
    """Customers with a satisfaction survey scheduled since ``since`` (not cancelled): survey fatigue."""
    stmt = select(CALLBACK.c.customer_id).where(
        CALLBACK.c.purpose == SURVEY_PURPOSE, CALLBACK.c.status != "cancelled", CALLBACK.c.created_at >= since,
    )
    return set(conn.execute(stmt).scalars())


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def campaign_view(row: Any, answered: int, satisfied: int) -> CampaignView:
    """A ``survey_campaign`` row as a :class:`CampaignView`."""
    return CampaignView(
        id=row.id, name=row.name, period_start=row.period_start, period_end=row.period_end,
        kinds=_split(row.kinds), businesses=_split(row.businesses), agents=_split(row.agents),
        sample_size=row.sample_size, sample_share=row.sample_share, channel=row.channel,
        questions=tuple(json.loads(row.questions)), seed=row.seed, fatigue_days=row.fatigue_days,
        call_days=row.call_days, status=row.status, population=row.population, sampled=row.sampled,
        answered=answered, satisfied=satisfied, excluded_dnc=row.excluded_dnc, excluded_recent=row.excluded_recent,
        excluded_no_time=row.excluded_no_time, reason=row.reason, created_by=row.created_by,
        created_at=as_utc(row.created_at), launched_at=as_utc(row.launched_at) if row.launched_at else None,
        closed_at=as_utc(row.closed_at) if row.closed_at else None,
    )


def campaigns(conn: Connection, campaign_id: str | None = None) -> list[CampaignView]:
    """Campaigns, newest period first, each with its count of answered surveys."""
    answered = (
        select(
            SURVEY_MEMBER.c.campaign_id, func.count().label("n"),
            func.sum(case((CALLBACK.c.score >= SATISFIED_FROM, 1), else_=0)).label("satisfied"),
        )
        .join(CALLBACK, CALLBACK.c.id == SURVEY_MEMBER.c.callback_id)
        .where(CALLBACK.c.score.is_not(None))
        .group_by(SURVEY_MEMBER.c.campaign_id)
        .subquery()
    )
    stmt = (
        select(
            SURVEY_CAMPAIGN, func.coalesce(answered.c.n, 0).label("answered_count"),
            func.coalesce(answered.c.satisfied, 0).label("satisfied_count"),
        )
        .join(answered, answered.c.campaign_id == SURVEY_CAMPAIGN.c.id, isouter=True)
        .order_by(SURVEY_CAMPAIGN.c.period_start.desc(), SURVEY_CAMPAIGN.c.created_at.desc())
    )
    if campaign_id is not None:
        stmt = stmt.where(SURVEY_CAMPAIGN.c.id == campaign_id)
    return [campaign_view(row, row.answered_count, row.satisfied_count) for row in conn.execute(stmt)]


def _answers(conn: Connection, callback_ids: list[str]) -> dict[str, tuple[int, ...]]:
    """Per-question scores recorded on survey callbacks (the last reached attempt's ``answers``)."""
    found: dict[str, tuple[int, ...]] = {}
    for chunk in range(0, len(callback_ids), 500):
        stmt = (
            select(EVENT.c.entity_id, EVENT.c.payload)
            .where(EVENT.c.entity == "callback", EVENT.c.kind == "callback.attempted",
                   EVENT.c.entity_id.in_(callback_ids[chunk:chunk + 500]))
            .order_by(EVENT.c.hlc)
        )
        for entity_id, payload in conn.execute(stmt):
            if is_redacted(payload):
                continue
            answers = json.loads(payload).get("answers")
            if answers:
                found[entity_id] = tuple(int(a) for a in answers)
    return found


def responses(conn: Connection, campaign_id: str) -> list[Response]:
    """Every sampled customer of a campaign with their answers (overall score first)."""
    rows = list(conn.execute(
        select(SURVEY_MEMBER.c.agent_id, SURVEY_MEMBER.c.team, SURVEY_MEMBER.c.business,
               SURVEY_MEMBER.c.callback_id, CALLBACK.c.score)
        .join(CALLBACK, CALLBACK.c.id == SURVEY_MEMBER.c.callback_id, isouter=True)
        .where(SURVEY_MEMBER.c.campaign_id == campaign_id)
    ))
    answers = _answers(conn, [r.callback_id for r in rows])
    result = []
    for r in rows:
        scores = answers.get(r.callback_id) or ((r.score,) if r.score is not None else ())
        result.append(Response(r.agent_id, r.team or "", r.business or "", scores))
    return result


def campaign_of_callback(conn: Connection, callback_id: str) -> str | None:
    """The campaign a survey callback belongs to, if any."""
    stmt = select(SURVEY_MEMBER.c.campaign_id).where(SURVEY_MEMBER.c.callback_id == callback_id)
    return conn.execute(stmt).scalar()


def open_callbacks(conn: Connection, campaign_id: str) -> list[str]:
    """The campaign's survey callbacks still to make."""
    stmt = (
        select(CALLBACK.c.id)
        .join(SURVEY_MEMBER, SURVEY_MEMBER.c.callback_id == CALLBACK.c.id)
        .where(SURVEY_MEMBER.c.campaign_id == campaign_id, CALLBACK.c.status == "scheduled")
    )
    return list(conn.execute(stmt).scalars())
