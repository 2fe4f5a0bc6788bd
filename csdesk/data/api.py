"""Plain result types of the store gateway; light to import (no SQLAlchemy).

Screens and commands receive these, never live ORM rows. Customer identifiers arrive
already masked; only :meth:`Store.reveal` returns a whole number, and it is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class StoreMode(StrEnum):
    """A live desk store, or an isolated demo store that never syncs."""

    LIVE = "live"
    DEMO = "demo"


#: The agent a demo store signs in as unless a user is set.
DEMO_TRAINEE = "li.na"


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A person working at the desk."""

    id: str
    name: str
    role: str
    team: str = ""
    active: bool = True
    availability: str = "available"
    skills: tuple[str, ...] = ()
    #: the staff number (工号) the agent gives customers; empty until set
    staff_no: str = ""


@dataclass(frozen=True, slots=True)
class CustomerView:
    """A customer with identifiers masked."""

    id: str
    name: str
    phone: str | None
    id_number: str | None
    account_no: str | None
    card_no: str | None
    vip: bool
    language: str


@dataclass(frozen=True, slots=True)
class TicketRow:
    """One line of the queue."""

    id: str
    ref: str
    kind: str
    channel: str
    priority: str
    status: str
    subject: str
    created_at: datetime
    updated_at: datetime
    customer_id: str | None = None
    customer_name: str | None = None
    customer_vip: bool = False
    assignee_id: str | None = None
    assignee_name: str | None = None
    sla_due: datetime | None = None
    sla_paused_at: datetime | None = None
    sla_done_at: datetime | None = None
    sla_mode: str = "calendar"
    sla_total_s: int = 0
    sla_target: str = "resolution"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event in a ticket's history, described for people."""

    at: datetime
    actor: str
    kind: str
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NoteView:
    """A note on a ticket (text masked)."""

    id: str
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TicketDetail:
    """A ticket with its customer, notes and full timeline."""

    row: TicketRow
    description: str
    business: str | None
    cause: str | None
    customer: CustomerView | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    notes: list[NoteView] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TicketQuery:
    """Filter and order of a queue listing."""

    text: str = ""
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    businesses: tuple[str, ...] = ()
    assignee_id: str | None = None
    unassigned: bool = False
    breaching: bool = False
    order_by: str = "created_at"
    descending: bool = True


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Outcome of ``csdesk audit verify``."""

    ok: bool
    events: int
    desks: int
    problem: str | None = None
    desk_id: str | None = None
    desk_seq: int | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class BackupReport:
    """A checked store file (a backup made or restored): its desk, events, and where the old store went."""

    path: str
    desk_id: str
    events: int
    kept_aside: str | None


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """Outcome of a retention purge: what was removed, closed before ``cutoff``."""

    cutoff: datetime
    years: int
    tickets: int
    customers: int
    events_redacted: int
    event_id: str


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """Facts about an open store, for the header and ``csdesk db info``."""

    path: str
    desk_id: str
    mode: StoreMode
    schema_revision: str | None
    users: int
    customers: int
    tickets: int
    open_tickets: int
    events: int


# --------------------------------------------------------------------------- knowledge base


@dataclass(frozen=True, slots=True)
class KbHit:
    """One search result: an article (current version) with an excerpt around the hits."""

    id: str
    language: str
    version: int
    title: str
    business: str
    audience: str
    score: float
    snippet: str
    #: (start, end) character spans of ``snippet`` that matched the query
    spans: tuple[tuple[int, int], ...] = ()
    #: (start, end) spans of ``title`` that matched
    title_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class KbArticle:
    """One version of one article in one language."""

    id: str
    language: str
    version: int
    title: str
    business: str
    audience: str
    tags: tuple[str, ...]
    related: tuple[str, ...]
    body: str
    updated_at: datetime
    current: bool
    #: the "what to say" section (话术 / Script), inserted into a ticket by "use this answer"
    script: str = ""


@dataclass(frozen=True, slots=True)
class KbVersion:
    """How one version of an article came to be."""

    version: int
    origin: str  # "file" | "edit"
    author_id: str | None
    created_at: datetime
    comment: str
    content_hash: str
    current: bool


@dataclass(frozen=True, slots=True)
class KbGap:
    """A question the knowledge base did not answer, or a suggested change to an article."""

    id: str
    ticket_id: str | None
    article_id: str | None
    language: str | None
    query: str
    text: str
    status: str
    reported_by: str
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class KbUse:
    """An article version used to answer a ticket (the note it added)."""

    ticket_id: str
    article_id: str
    language: str
    version: int
    note_id: str
    note: str
    #: placeholders the firm has given no value for: still written as {{name}} in the note
    missing_values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KbReindexReport:
    """What ``csdesk kb reindex`` did."""

    scanned: int
    added: int
    changed: int
    unchanged: int
    errors: tuple[str, ...] = ()
