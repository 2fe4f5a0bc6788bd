"""Reducer handler for ``conflict.resolved``: a supervisor's choice between merged values.

The chosen value is written like any other last-writer-wins field update (the resolution
is a new event with a newer HLC, so it wins everywhere), and the conflict rows of that
field are marked resolved. Rooms whose entities can conflict register their table with
:func:`register_entity_table`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, update

from csdesk.data.eventlog import EventData
from csdesk.data.reducer import CONFLICT, CUSTOMER, SLA_POLICY, TICKET, USER, apply_fields, handles

ENTITY_TABLES: dict[str, Table] = {"ticket": TICKET, "customer": CUSTOMER, "user": USER, "sla_policy": SLA_POLICY}


def register_entity_table(entity: str, table: Table) -> None:
    """Let conflicts on ``entity`` be resolved into ``table``."""
    ENTITY_TABLES[entity] = table


@handles("conflict.resolved")
def _conflict_resolved(conn: Connection, ev: EventData, data: dict[str, Any]) -> None:
    table = ENTITY_TABLES.get(ev.entity)
    field = data["field"]
    if table is not None:
        apply_fields(conn, table, ev.entity, ev.entity_id, {field: data["value"]}, ev)
    conn.execute(
        update(CONFLICT)
        .where(
            CONFLICT.c.entity == ev.entity,
            CONFLICT.c.entity_id == ev.entity_id,
            CONFLICT.c.field == field,
            CONFLICT.c.resolved.is_(False),
        )
        .values(resolved=True)
    )
