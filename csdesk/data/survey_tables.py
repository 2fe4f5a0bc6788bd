"""SQLModel tables of satisfaction survey campaigns (schema revision 0009).

Projections of ``survey.*`` events, rebuilt from the log like every other projection.
The answers themselves are the ``callback.attempted`` events of the survey callbacks
(their ``answers`` payload), so the callback projection holds each overall score.
Timestamps are UTC; dates are desk dates. No foreign keys: the rebuild empties
projections in any order.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class SurveyCampaignRow(SQLModel, table=True):
    """A campaign: period, population filters, sample rule, channel, questions, seed, status."""

    __tablename__ = "survey_campaign"

    id: str = Field(primary_key=True)
    name: str
    period_start: date
    period_end: date
    kinds: str = ""  # comma-separated filters; empty: any
    businesses: str = ""
    agents: str = ""
    sample_size: int | None = None
    sample_share: float | None = None
    channel: str = "phone"
    questions: str  # JSON list, the first is the overall question
    seed: int
    fatigue_days: int = 90
    call_days: int = 10
    status: str = Field(default="defined", index=True)
    population: int = 0
    sampled: int = 0
    excluded_dnc: int = 0
    excluded_recent: int = 0
    excluded_no_time: int = 0
    reason: str = ""
    created_by: str
    created_at: datetime
    launched_at: datetime | None = None
    closed_at: datetime | None = None


class SurveyMemberRow(SQLModel, table=True):
    """One sampled customer of a campaign and the survey callback scheduled for them."""

    __tablename__ = "survey_member"

    campaign_id: str = Field(primary_key=True)
    customer_id: str = Field(primary_key=True)
    agent_id: str = Field(index=True)  # who served the customer
    team: str = ""
    business: str = ""
    ticket_id: str = ""
    callback_id: str = Field(index=True)
    caller_id: str = ""
