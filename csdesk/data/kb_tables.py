"""SQLModel tables of the knowledge base (schema revision 0002).

``kb_article`` keeps every version of every article; ``current`` marks the live one.
Versions indexed from ``knowledge_base/`` files are not events (the files are their
source); versions made in the in-app editor are (``kb.article_edited``) and are replayed
idempotently. ``kb_gap`` and ``ticket_kb_use`` are pure projections of events.
The full-text table ``kb_fts`` is raw FTS5 (see the migration), not a model.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class KbArticleRow(SQLModel, table=True):
    """One version of one article in one language."""

    __tablename__ = "kb_article"
    __table_args__ = (
        UniqueConstraint("id", "language", "version"),
        Index("ix_kb_article_current", "current", "language", "audience"),
        Index("ix_kb_article_id_language", "id", "language"),
    )

    pk: int | None = Field(default=None, primary_key=True)
    id: str
    language: str
    version: int
    title: str
    business: str
    audience: str
    tags: str  # JSON array
    related: str  # JSON array
    body: str
    content_hash: str
    source_path: str | None = None
    updated_at: datetime
    current: bool = False


class KbVersionRow(SQLModel, table=True):
    """How a version came to be: indexed from a file, or edited in the app (by whom, from which)."""

    __tablename__ = "kb_version"

    article_id: str = Field(primary_key=True)
    language: str = Field(primary_key=True)
    version: int = Field(primary_key=True)
    origin: str  # "file" | "edit"
    author_id: str | None = None
    event_id: str | None = None
    base_version: int | None = None
    comment: str = ""
    content_hash: str
    created_at: datetime


class KbGapRow(SQLModel, table=True):
    """A gap in the knowledge base or a suggested change, reported from the desk."""

    __tablename__ = "kb_gap"

    id: str = Field(primary_key=True)
    ticket_id: str | None = Field(default=None, index=True)
    article_id: str | None = None
    language: str | None = None
    query: str = ""
    text: str
    status: str = Field(default="open", index=True)
    reported_by: str
    reported_at: datetime
    resolved_by: str | None = None
    resolved_at: datetime | None = None


class TicketKbUseRow(SQLModel, table=True):
    """An article version used to answer a ticket."""

    __tablename__ = "ticket_kb_use"
    __table_args__ = (Index("ix_ticket_kb_use_article", "article_id", "language"),)

    id: str = Field(primary_key=True)
    ticket_id: str = Field(index=True)
    article_id: str
    language: str
    version: int
    used_by: str
    used_at: datetime
