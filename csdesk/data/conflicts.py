"""Merge conflicts for supervisors (``store.conflicts``): list them and resolve one.

A conflict is a write that lost a last-writer-wins merge to a concurrent write from
another desk (``merge_conflict``). Money and legal fields are flagged ``needs_review``.
Resolving keeps one of the two values by writing a ``conflict.resolved`` event, which
syncs to every desk like any other change. Values are masked for display.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from csdesk.data.eventlog import EVENT
from csdesk.data.reducer import CONFLICT, TICKET
from csdesk.domain.errors import NotFound, ValidationError
from csdesk.domain.masking import mask_text
from csdesk.domain.roles import Permission
from csdesk.domain.sanitize import sanitize_line

if TYPE_CHECKING:
    from csdesk.data.store import Store

KEEP_CHOICES = ("kept", "lost")
SHOWN_CHARS = 80


@dataclass(frozen=True, slots=True)
class ConflictView:
    """One unresolved conflict as a supervisor sees it (values masked)."""

    id: int
    entity: str
    entity_id: str
    label: str
    field: str
    kept_value: str
    lost_value: str
    needs_review: bool


def _shown(value: str | None) -> str:
    return "" if value is None else mask_text(sanitize_line(value))[:SHOWN_CHARS]


class Conflicts:
    """Supervisor use cases on merge conflicts; reached as ``store.conflicts``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def list_open(self, actor_id: str) -> list[ConflictView]:
        """Unresolved conflicts, those needing review first."""
        self.store._require(actor_id, Permission.CONFLICT_RESOLVE)
        query = (
            select(CONFLICT, TICKET.c.ref)
            .outerjoin(TICKET, (CONFLICT.c.entity == "ticket") & (TICKET.c.id == CONFLICT.c.entity_id))
            .where(CONFLICT.c.resolved.is_(False))
            .order_by(CONFLICT.c.needs_review.desc(), CONFLICT.c.id)
        )
        with self.store._read() as conn:
            rows = conn.execute(query).all()
        return [
            ConflictView(
                r.id,
                r.entity,
                r.entity_id,
                r.ref or r.entity_id[:13],
                r.field,
                _shown(r.kept_value),
                _shown(r.lost_value),
                bool(r.needs_review),
            )
            for r in rows
        ]

    def resolve(self, actor_id: str, conflict_id: int, keep: str) -> None:
        """Keep the current value (``"kept"``) or the one that lost (``"lost"``): a new event."""
        self.store._require(actor_id, Permission.CONFLICT_RESOLVE)
        if keep not in KEEP_CHOICES:
            raise ValidationError("keep", "Choose which value to keep: kept (the current one) or lost (the other).")
        with self.store._read() as conn:
            row = conn.execute(select(CONFLICT).where(CONFLICT.c.id == conflict_id)).first()
            if row is None or row.resolved:
                raise NotFound(f"There is no open conflict number {conflict_id}.")
            event_id = row.kept_event_id if keep == "kept" else row.lost_event_id
            payload = conn.execute(select(EVENT.c.payload).where(EVENT.c.event_id == event_id)).scalar()
        value = self._value(payload, row.field, row.kept_value if keep == "kept" else row.lost_value)
        data = {
            "field": row.field,
            "value": value,
            "kept_event_id": row.kept_event_id,
            "lost_event_id": row.lost_event_id,
            "chose": keep,
        }
        self.store._write(actor_id, [(row.entity, row.entity_id, "conflict.resolved", data)])

    @staticmethod
    def _value(payload: str | None, field: str, text: str | None) -> Any:
        """The typed value from the chosen event (the conflict row keeps only its text)."""
        data = json.loads(payload) if payload else {}
        if data.get("field") == field and "value" in data:  # the value chosen by an earlier resolution
            return data["value"]
        return data.get(field, text)
