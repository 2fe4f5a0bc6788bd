"""shared: the events table with its xid8 cursor, quarantine, and the reporting projection

Revision ID: s0001
Revises:
Create Date: 2026-11-23 12:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "s0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = r"""
CREATE TABLE events (
    server_seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id       text NOT NULL,
    desk_id        text NOT NULL,
    desk_seq       bigint NOT NULL,
    hlc            bigint NOT NULL,
    actor          text NOT NULL,
    entity         text NOT NULL,
    entity_id      text NOT NULL,
    kind           text NOT NULL,
    payload        text NOT NULL,
    prev_hash      text NOT NULL,
    hash           text NOT NULL,
    recorded_at    timestamptz NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    clock_ahead_ms bigint,
    CONSTRAINT uq_events_event_id UNIQUE (event_id),
    CONSTRAINT uq_events_desk_seq UNIQUE (desk_id, desk_seq)
);
CREATE INDEX ix_events_cursor ON events (xid, server_seq);
COMMENT ON TABLE events IS
    'Every desk''s events; pull by (xid, server_seq) below pg_snapshot_xmin';
COMMENT ON COLUMN events.clock_ahead_ms IS
    'Set when the event''s HLC was more than 5 minutes ahead of the server clock';

CREATE TABLE quarantine (
    event_id    text PRIMARY KEY,
    desk_id     text NOT NULL,
    desk_seq    bigint NOT NULL,
    kind        text NOT NULL,
    reason      text NOT NULL,
    raw         text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE quarantine IS 'Events refused by push (invalid), kept with the reason; they never block the rest';

CREATE TABLE projected_kind (
    kind         text PRIMARY KEY,
    copy_fields  boolean NOT NULL DEFAULT false,
    status_from  text,
    status_value text
);
COMMENT ON TABLE projected_kind IS
    'Which event kinds feed entity_field: payload keys copied as fields, and/or a status';
INSERT INTO projected_kind (kind, copy_fields, status_from, status_value) VALUES
    ('ticket.created', true, 'status', 'new'),
    ('ticket.updated', true, NULL, NULL),
    ('ticket.assigned', true, NULL, NULL),
    ('ticket.status_changed', false, 'to', NULL),
    ('ticket.reopened', false, NULL, 'open'),
    ('complaint.logged', true, NULL, 'open'),
    ('complaint.extended', true, NULL, NULL),
    ('complaint.paused', false, NULL, 'paused'),
    ('complaint.resumed', false, NULL, 'open'),
    ('complaint.decided', true, NULL, 'decided'),
    ('complaint.closed', false, NULL, 'closed'),
    ('complaint.reopened', false, NULL, 'open'),
    ('callback.scheduled', true, NULL, 'scheduled'),
    ('callback.rescheduled', true, NULL, 'scheduled'),
    ('callback.attempted', true, NULL, NULL),
    ('callback.cancelled', false, NULL, 'cancelled');

CREATE TABLE entity_field (
    entity    text NOT NULL,
    entity_id text NOT NULL,
    field     text NOT NULL,
    value     jsonb,
    hlc       bigint NOT NULL,
    event_id  text NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
);
COMMENT ON TABLE entity_field IS 'Current value of every projected field, last writer wins by (hlc, event_id)';

CREATE FUNCTION csdesk_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO entity_field AS f (entity, entity_id, field, value, hlc, event_id)
    SELECT DISTINCT ON (entity, entity_id, field) entity, entity_id, field, value, hlc, event_id
    FROM (
        SELECT n.entity, n.entity_id, kv.key AS field, kv.value, n.hlc, n.event_id
        FROM new_events n
        JOIN projected_kind p ON p.kind = n.kind AND p.copy_fields
        CROSS JOIN LATERAL jsonb_each(n.payload::jsonb) AS kv
        UNION ALL
        SELECT n.entity, n.entity_id, 'status',
               coalesce(n.payload::jsonb -> p.status_from, to_jsonb(p.status_value)), n.hlc, n.event_id
        FROM new_events n
        JOIN projected_kind p ON p.kind = n.kind AND (p.status_value IS NOT NULL OR p.status_from IS NOT NULL)
        UNION ALL
        SELECT n.entity, n.entity_id, '_desk_id', to_jsonb(n.desk_id), n.hlc, n.event_id
        FROM new_events n
        JOIN projected_kind p ON p.kind = n.kind AND p.copy_fields AND n.kind LIKE '%.created'
        UNION ALL
        SELECT n.entity, n.entity_id, '_last_event_at', to_jsonb(n.recorded_at), n.hlc, n.event_id
        FROM new_events n
        JOIN projected_kind p ON p.kind = n.kind
    ) AS changes
    ORDER BY entity, entity_id, field, hlc DESC, event_id DESC
    ON CONFLICT (entity, entity_id, field) DO UPDATE
        SET value = excluded.value, hlc = excluded.hlc, event_id = excluded.event_id
        WHERE (f.hlc, f.event_id) < (excluded.hlc, excluded.event_id);
    PERFORM pg_notify('csdesk_events', left((SELECT string_agg(DISTINCT desk_id, ',') FROM new_events), 7000));
    RETURN NULL;
END;
$$;
CREATE TRIGGER events_inserted AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION csdesk_events_inserted();

CREATE VIEW desk_sync_state AS
SELECT desk_id, max(desk_seq) AS last_desk_seq, count(*) AS events, max(received_at) AS last_received_at,
       count(*) FILTER (WHERE clock_ahead_ms IS NOT NULL) AS clock_flags
FROM events GROUP BY desk_id;
"""

#: Reporting views: name -> (entity, id column, fields). ``_desk_id`` and ``_last_event_at``
#: are kept by the trigger; every other field is the payload key of the same name.
VIEWS = {
    "current_tickets": (
        "ticket",
        "ticket_id",
        ("ref", "_desk_id", "kind", "channel", "priority", "status", "customer_id", "assignee_id",
         "business", "cause", "subject", "_last_event_at"),
    ),
    "current_complaints": (
        "complaint",
        "complaint_id",
        ("ticket_id", "customer_id", "status", "severity", "business", "cause", "deadline", "promised_at",
         "amount_in_dispute", "complainants", "_last_event_at"),
    ),
    "current_callbacks": (
        "callback",
        "callback_id",
        ("customer_id", "ticket_id", "complaint_id", "purpose", "channel", "due_at", "assignee_id", "status",
         "outcome", "score", "_last_event_at"),
    ),
}


def view_sql(name: str, entity: str, id_column: str, fields: tuple[str, ...]) -> str:
    """``CREATE VIEW``: one row per entity, one column per field, pivoted from ``entity_field``."""
    columns = ",\n       ".join(
        f"max(value #>> '{{}}') FILTER (WHERE field = '{field}') AS {field.lstrip('_')}" for field in fields
    )
    return (
        f"CREATE VIEW {name} AS\nSELECT entity_id AS {id_column},\n       {columns}\n"
        f"FROM entity_field WHERE entity = '{entity}' GROUP BY entity_id;\n"
    )


DOWNGRADE = """
DROP VIEW desk_sync_state;
DROP VIEW current_callbacks;
DROP VIEW current_complaints;
DROP VIEW current_tickets;
DROP TRIGGER events_inserted ON events;
DROP FUNCTION csdesk_events_inserted();
DROP TABLE entity_field;
DROP TABLE projected_kind;
DROP TABLE quarantine;
DROP TABLE events;
"""


def upgrade() -> None:
    """Apply this revision."""
    op.execute(UPGRADE)
    for name, (entity, id_column, fields) in VIEWS.items():
        op.execute(view_sql(name, entity, id_column, fields))


def downgrade() -> None:
    """Revert this revision."""
    op.execute(DOWNGRADE)
