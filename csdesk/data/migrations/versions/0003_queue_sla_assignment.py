"""queue: SLA due times and pause on tickets, SLA policies, agent availability and skills

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("availability", sa.String(), nullable=False, server_default="available"))
        batch_op.add_column(sa.Column("skills", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_response_due", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sla_resolution_due", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sla_paused_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_ticket_sla_resolution_due"), ["sla_resolution_due"], unique=False)
    op.create_table(
        "sla_policy",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("priority", sa.String(), nullable=False),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policy")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("sla_policy")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_sla_resolution_due"))
        batch_op.drop_column("sla_paused_at")
        batch_op.drop_column("sla_resolution_due")
        batch_op.drop_column("sla_response_due")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("last_assigned_at")
        batch_op.drop_column("skills")
        batch_op.drop_column("availability")
