"""Tables for merging other desks' events: parked events and locally refused ones.

``deferred_event`` is a projection: an event about an entity whose row does not exist
yet (an update from desk B before desk A's create arrived) waits here and is applied
when the row is created. ``sync_quarantine`` is not a projection: it records pulled
events this desk could not apply, with the reason, for a supervisor to look at.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class DeferredEvent(SQLModel, table=True):
    """An event waiting for the row it changes to be created."""

    __tablename__ = "deferred_event"

    event_id: str = Field(primary_key=True)
    entity: str
    entity_id: str = Field(index=True)
    hlc: int


class SyncQuarantine(SQLModel, table=True):
    """A pulled event that could not be applied (malformed), kept out of the log."""

    __tablename__ = "sync_quarantine"

    event_id: str = Field(primary_key=True)
    desk_id: str
    desk_seq: int
    kind: str
    reason: str
    raw: str
    quarantined_at: datetime
