"""shared: the reporting projection as one row per entity (entity_state) instead of one per field

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-23 18:00:00.000000

``entity_field`` kept one row per field of every entity; maintaining it exploded every
pushed event into its fields, sorted them and upserted each one (about 5 s of a 100k-event
push). ``entity_state`` keeps one row per entity with its fields merged in ``doc``:

- each projected event contributes a jsonb object (its payload keys for ``copy_fields``
  kinds, ``status`` per ``projected_kind``, ``_desk_id`` on ``*.created``, and
  ``_last_event_at``), exactly the fields s0001's trigger wrote;
- a batch folds the contributions of each entity in ``(hlc, event_id)`` order with
  ``||`` (the later key wins: last writer wins per field);
- an entity whose events of the batch are all newer than its ``last_stamp`` merges as
  ``old doc || batch doc``; one that received an older event (a desk back from offline)
  is folded again from the whole log through ``ix_events_entity``, so per field the last
  writer by ``(hlc, event_id)`` wins whatever the arrival order.

A stamp is ``lpad(hlc, 20, '0') || ':' || event_id``: text that sorts as ``(hlc, event_id)``.

Concurrent pushes about one entity: the merge is an ``ON CONFLICT DO UPDATE``, which waits
for the other transaction's row lock and then reads the row's newest committed version, so
``old doc || batch doc`` and the lateness test see every batch merged before. The fold
from the log runs in a later statement of the trigger, with a fresh snapshot, while this
transaction holds the entity's row lock: every batch that merged into the row before has
committed and is in the log; a batch that comes after waits for this one and merges on top
of it. Rows are upserted in ``(entity, entity_id)`` order, so two pushes lock shared
entities in the same order and cannot deadlock.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def stamp(alias: str) -> str:
    """SQL for the sortable ``(hlc, event_id)`` stamp of the event row ``alias``."""
    return f"(lpad({alias}.hlc::text, 20, '0') || ':' || {alias}.event_id)"


def contribution(n: str, p: str) -> str:
    """SQL for the fields event ``n`` (a row of events) sets, given its ``projected_kind`` row ``p``."""
    return f"""(
        CASE WHEN {p}.copy_fields THEN {n}.payload::jsonb ELSE '{{}}'::jsonb END
        || CASE WHEN {p}.status_from IS NULL AND {p}.status_value IS NULL THEN '{{}}'::jsonb
                ELSE jsonb_build_object(
                    'status', coalesce({n}.payload::jsonb -> {p}.status_from, to_jsonb({p}.status_value)))
           END
        || CASE WHEN {p}.copy_fields AND {n}.kind LIKE '%.created'
                THEN jsonb_build_object('_desk_id', {n}.desk_id, '_last_event_at', {n}.recorded_at)
                ELSE jsonb_build_object('_last_event_at', {n}.recorded_at)
           END)"""


def fold(source: str) -> str:
    """``SELECT`` of one merged row per entity from the events of ``source`` (aliased ``n``)."""
    return f"""
        SELECT n.entity, n.entity_id, csdesk_merge({contribution("n", "p")} ORDER BY n.hlc, n.event_id) AS doc,
               min({stamp("n")}) AS first_stamp, max({stamp("n")}) AS last_stamp
        FROM {source} JOIN projected_kind p ON p.kind = n.kind
        GROUP BY n.entity, n.entity_id"""


#: The whole log of the entities named in the trigger's ``stale_entity`` / ``stale_id`` arrays.
STALE_EVENTS = (
    "unnest(stale_entity, stale_id) AS l (entity, entity_id) "
    "JOIN events n ON n.entity_id = l.entity_id AND n.entity = l.entity"
)

UPGRADE = f"""
SET LOCAL TimeZone = 'UTC';
CREATE AGGREGATE csdesk_merge(jsonb) (SFUNC = jsonb_concat, STYPE = jsonb, INITCOND = '{{}}');
COMMENT ON AGGREGATE csdesk_merge(jsonb) IS
    'Merges jsonb objects in aggregate order; a later key wins (fold events ORDER BY hlc, event_id)';
CREATE INDEX ix_events_entity ON events (entity_id);
CREATE TABLE entity_state (
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    doc         jsonb NOT NULL,
    first_stamp text NOT NULL,
    last_stamp  text NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
COMMENT ON TABLE entity_state IS
    'Reporting projection: one row per entity, doc = current value of every projected field, '
    'last writer wins per field by (hlc, event_id)';
COMMENT ON COLUMN entity_state.first_stamp IS 'Stamp lpad(hlc, 20, ''0'') || '':'' || event_id of its oldest event';
COMMENT ON COLUMN entity_state.last_stamp IS 'Stamp of its newest event';
COMMENT ON TABLE projected_kind IS
    'Which event kinds feed entity_state: payload keys copied as fields, and/or a status';
INSERT INTO entity_state (entity, entity_id, doc, first_stamp, last_stamp)
{fold("events n")};

CREATE OR REPLACE FUNCTION csdesk_events_inserted() RETURNS trigger LANGUAGE plpgsql SET TimeZone = 'UTC' AS $$
DECLARE
    stale_entity text[];
    stale_id text[];
BEGIN
    -- merge each entity's batch onto its row; a row that has newer events than some of the
    -- batch's gets last_stamp '' instead, which marks it for the fold from the log below
    WITH batch AS ({fold("new_events n")}
    ), merged AS (
        INSERT INTO entity_state AS s (entity, entity_id, doc, first_stamp, last_stamp)
        SELECT entity, entity_id, doc, first_stamp, last_stamp FROM batch ORDER BY entity, entity_id
        ON CONFLICT (entity, entity_id) DO UPDATE SET
            doc = CASE WHEN s.last_stamp < excluded.first_stamp THEN s.doc || excluded.doc ELSE s.doc END,
            first_stamp = least(s.first_stamp, excluded.first_stamp),
            last_stamp = CASE WHEN s.last_stamp < excluded.first_stamp THEN excluded.last_stamp ELSE '' END
        RETURNING s.entity, s.entity_id, s.last_stamp
    )
    SELECT array_agg(entity), array_agg(entity_id) INTO stale_entity, stale_id
    FROM merged WHERE last_stamp = '';
    IF stale_id IS NOT NULL THEN
        -- an event older than the entity's newest arrived late: fold the entity again from the log
        UPDATE entity_state s SET doc = f.doc, first_stamp = f.first_stamp, last_stamp = f.last_stamp
        FROM ({fold(STALE_EVENTS)}
        ) AS f
        WHERE s.entity = f.entity AND s.entity_id = f.entity_id;
    END IF;
    PERFORM pg_notify('csdesk_events', left((SELECT string_agg(DISTINCT desk_id, ',') FROM new_events), 7000));
    RETURN NULL;
END;
$$;
DROP VIEW current_tickets;
DROP VIEW current_complaints;
DROP VIEW current_callbacks;
DROP TABLE entity_field;
"""


def _s0001() -> ModuleType:
    """The s0001 revision module (its projection SQL and views are restored on downgrade)."""
    path = Path(__file__).with_name("s0001_shared_events.py")
    spec = importlib.util.spec_from_file_location("csdesk_shared_s0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def view_sql(name: str, entity: str, id_column: str, fields: tuple[str, ...]) -> str:
    """``CREATE VIEW``: one row per entity of ``entity_state``, one column per field of its doc."""
    columns = ",\n       ".join(f"doc ->> '{field}' AS {field.lstrip('_')}" for field in fields)
    return (
        f"CREATE VIEW {name} AS\nSELECT entity_id AS {id_column},\n       {columns}\n"
        f"FROM entity_state WHERE entity = '{entity}';\n"
    )


def _entity_field_sql(s0001: ModuleType) -> tuple[str, str]:
    """s0001's ``entity_field`` DDL with its trigger function, and the fill of it from ``events``."""
    text: str = s0001.UPGRADE
    ddl = text[text.index("CREATE TABLE entity_field") : text.index("CREATE TRIGGER events_inserted")]
    ddl = ddl.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
    insert = text[text.index("INSERT INTO entity_field") : text.index(";\n    PERFORM pg_notify")]
    return ddl, insert.replace("FROM new_events n", "FROM events n") + ";\n"


def upgrade() -> None:
    """Apply this revision."""
    op.execute(UPGRADE)
    for name, (entity, id_column, fields) in _s0001().VIEWS.items():
        op.execute(view_sql(name, entity, id_column, fields))


def downgrade() -> None:
    """Revert this revision: entity_field is rebuilt from the log, the s0001 views come back."""
    s0001 = _s0001()
    ddl, fill = _entity_field_sql(s0001)
    op.execute("SET LOCAL TimeZone = 'UTC';\nDROP VIEW current_tickets, current_complaints, current_callbacks;")
    op.execute(ddl)
    op.execute(fill)
    for name, (entity, id_column, fields) in s0001.VIEWS.items():
        op.execute(s0001.view_sql(name, entity, id_column, fields))
    op.execute(
        "COMMENT ON TABLE projected_kind IS "
        "'Which event kinds feed entity_field: payload keys copied as fields, and/or a status';\n"
        "DROP TABLE entity_state;\nDROP INDEX ix_events_entity;\nDROP AGGREGATE csdesk_merge(jsonb);"
    )
