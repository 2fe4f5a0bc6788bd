"""sync: projections without foreign keys, parked events, pulled events refused locally

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-23 11:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_constraint("fk_ticket_assignee_id_user", type_="foreignkey")
        batch_op.drop_constraint("fk_ticket_customer_id_customer", type_="foreignkey")
    with op.batch_alter_table("ticket_note", schema=None) as batch_op:
        batch_op.drop_constraint("fk_ticket_note_ticket_id_ticket", type_="foreignkey")
    op.create_table(
        "deferred_event",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("hlc", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_deferred_event")),
    )
    with op.batch_alter_table("deferred_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deferred_event_entity_id"), ["entity_id"], unique=False)
    op.create_table(
        "sync_quarantine",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("desk_id", sa.String(), nullable=False),
        sa.Column("desk_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("raw", sa.String(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_sync_quarantine")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("sync_quarantine")
    with op.batch_alter_table("deferred_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deferred_event_entity_id"))
    op.drop_table("deferred_event")
    with op.batch_alter_table("ticket_note", schema=None) as batch_op:
        batch_op.create_foreign_key("fk_ticket_note_ticket_id_ticket", "ticket", ["ticket_id"], ["id"])
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_foreign_key("fk_ticket_customer_id_customer", "customer", ["customer_id"], ["id"])
        batch_op.create_foreign_key("fk_ticket_assignee_id_user", "user", ["assignee_id"], ["id"])
