"""SQLModel tables of the local store.

The ``event`` table is the source of truth; every other table is a projection the
reducer maintains from events (and can rebuild). Timestamps are naive UTC.
Projections carry no foreign keys: events of other desks arrive in any order (a ticket
may be known before its customer), so a reference may point at a row not yet here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Meta(SQLModel, table=True):
    """Key/value facts about this store (its mode, its desk, when it was created)."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


class Event(SQLModel, table=True):
    """One change, as recorded by the desk that made it. Append-only, hash-chained per desk."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("desk_id", "desk_seq"),
        Index("ix_event_entity", "entity", "entity_id"),
        Index("ix_event_hlc", "hlc"),
    )

    seq: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True)
    desk_id: str
    desk_seq: int
    hlc: int
    actor: str
    entity: str
    entity_id: str
    kind: str
    payload: str
    prev_hash: str
    hash: str
    recorded_at: datetime


class FieldClock(SQLModel, table=True):
    """HLC of the write that set each projected field (last-writer-wins merge)."""

    __tablename__ = "field_clock"

    entity: str = Field(primary_key=True)
    entity_id: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    hlc: int
    event_id: str


class MergeConflict(SQLModel, table=True):
    """A concurrent write that lost a last-writer-wins merge, kept for a supervisor."""

    __tablename__ = "merge_conflict"

    id: int | None = Field(default=None, primary_key=True)
    entity: str
    entity_id: str = Field(index=True)
    field: str
    kept_value: str | None
    lost_value: str | None
    kept_event_id: str
    lost_event_id: str
    needs_review: bool = False
    resolved: bool = False


class User(SQLModel, table=True):
    """Someone who works at a desk: agent, specialist, team lead, supervisor, QA, trainer, analyst."""

    __tablename__ = "user"

    id: str = Field(primary_key=True)
    name: str
    role: str
    team: str = ""
    #: the staff number (工号) the agent gives customers; empty until set
    staff_no: str = ""
    active: bool = True
    created_at: datetime
    availability: str = "available"
    skills: str = ""
    last_assigned_at: datetime | None = None


class Customer(SQLModel, table=True):
    """A customer of the firm. Identifiers are stored whole and masked at every edge."""

    __tablename__ = "customer"

    id: str = Field(primary_key=True)
    name: str = Field(index=True)
    phone: str | None = Field(default=None, index=True)
    id_number: str | None = Field(default=None, index=True)
    account_no: str | None = Field(default=None, index=True)
    card_no: str | None = Field(default=None, index=True)
    vip: bool = False
    language: str = "zh-CN"
    created_at: datetime
    updated_at: datetime


class Ticket(SQLModel, table=True):
    """A contact the desk handles: consultation, complaint, suggestion, business, callback."""

    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_status_created", "status", "created_at"),
        Index("ix_ticket_assignee_status", "assignee_id", "status"),
    )

    id: str = Field(primary_key=True)
    ref: str = Field(unique=True)
    desk_id: str
    kind: str
    channel: str
    priority: str
    status: str
    customer_id: str | None = Field(default=None, index=True)
    subject: str
    description: str = ""
    business: str | None = None
    cause: str | None = None
    assignee_id: str | None = Field(default=None)
    created_by: str
    created_at: datetime = Field(index=True)
    updated_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    sla_response_due: datetime | None = None
    sla_resolution_due: datetime | None = Field(default=None, index=True)
    sla_paused_at: datetime | None = None


class TicketNote(SQLModel, table=True):
    """A note on a ticket. Grow-only: notes are never edited or removed."""

    __tablename__ = "ticket_note"

    id: str = Field(primary_key=True)
    ticket_id: str = Field(index=True)
    author_id: str
    body: str
    created_at: datetime


class SlaPolicyRow(SQLModel, table=True):
    """A desk's service-level target for one kind and priority (supervisors edit it)."""

    __tablename__ = "sla_policy"

    id: str = Field(primary_key=True)
    kind: str
    priority: str
    first_response_minutes: int
    resolution_minutes: int
    mode: str = "calendar"


PROJECTION_TABLES = (
    "ticket_note", "ticket", "customer", "user", "field_clock", "merge_conflict", "sla_policy", "deferred_event",
    "kb_gap", "ticket_kb_use",  # not kb_article/kb_version: file versions are not events; edits replay idempotently
    "complaint", "complaint_pause", "complaint_extension", "complaint_step", "complaint_policy",
    "callback", "customer_contact_pref",
    "kpi_target", "roster_shift", "qa_review", "qa_penalty", "whistle_report", "incident", "incident_ticket",
    "business_case", "business_document",
    "survey_campaign", "survey_member",
)

from csdesk.data import business_tables as _business_tables  # noqa: E402,F401  (business assistance, revision 0008)
from csdesk.data import callback_tables as _callback_tables  # noqa: E402,F401  (callbacks, revision 0005)
from csdesk.data import complaint_tables as _complaint_tables  # noqa: E402,F401  (complaints, revision 0004)
from csdesk.data import kb_tables as _kb_tables  # noqa: E402,F401  (knowledge-base tables, revision 0002)
from csdesk.data import supervisor_tables as _supervisor_tables  # noqa: E402,F401  (supervisor room, revision 0007)
from csdesk.data import survey_tables as _survey_tables  # noqa: E402,F401  (survey campaigns, revision 0009)
from csdesk.data import sync_tables as _sync_tables  # noqa: E402,F401  (sync bookkeeping, revision 0006)
