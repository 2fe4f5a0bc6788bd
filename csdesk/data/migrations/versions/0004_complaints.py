"""complaints: the complaint with its regulatory clock, pauses, extensions, steps, clock policy

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _text(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "complaint",
        _text("id"),
        _text("ticket_id"),
        _text("customer_id", True),
        *[_text(name) for name in ("channel", "business", "cause", "description", "remedy", "severity")],
        sa.Column("complainants", sa.Integer(), nullable=False),
        _text("amount_in_dispute"),
        _time("accepted_at"),
        sa.Column("allowed_days", sa.Integer(), nullable=False),
        sa.Column("roll_forward", sa.Boolean(), nullable=False),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("promised_at", sa.Date(), nullable=False),
        _text("status"),
        sa.Column("major", sa.Boolean(), nullable=False),
        _text("major_grounds"),
        _text("lead_handler_id", True),
        *[_text(name) for name in ("departments", "members", "conflicted", "findings", "decision", "basis")],
        _text("root_cause"),
        _time("decided_at", True),
        _time("notice_sent_at", True),
        _text("notice_channel"),
        _text("notice_proof"),
        _time("closed_at", True),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        _time("review_requested_at", True),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("reopened_count", sa.Integer(), nullable=False),
        _text("linked_to", True),
        _text("created_by"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    op.create_index(op.f("ix_complaint_customer_id"), "complaint", ["customer_id"], unique=False)
    op.create_index("ix_complaint_status_deadline", "complaint", ["status", "deadline"], unique=False)
    op.create_index(op.f("ix_complaint_ticket_id"), "complaint", ["ticket_id"], unique=False)
    op.create_table(
        "complaint_extension",
        _text("id"),
        _text("complaint_id"),
        sa.Column("from_days", sa.Integer(), nullable=False),
        sa.Column("to_days", sa.Integer(), nullable=False),
        _text("reason"),
        _text("approved_by"),
        _time("approved_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_extension")),
    )
    op.create_index(op.f("ix_complaint_extension_complaint_id"), "complaint_extension", ["complaint_id"])
    op.create_table(
        "complaint_pause",
        _text("id"),
        _text("complaint_id"),
        _text("reason"),
        _text("note"),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        _text("paused_by"),
        _text("resumed_by", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_pause")),
    )
    op.create_index(op.f("ix_complaint_pause_complaint_id"), "complaint_pause", ["complaint_id"])
    op.create_table(
        "complaint_policy",
        _text("id"),
        sa.Column("roll_forward", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_policy")),
    )
    op.create_table(
        "complaint_step",
        _text("id"),
        _text("complaint_id"),
        _text("kind"),
        _text("department"),
        _text("text"),
        _text("actor_id"),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_step")),
    )
    op.create_index(op.f("ix_complaint_step_complaint_id"), "complaint_step", ["complaint_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_complaint_step_complaint_id"), table_name="complaint_step")
    op.drop_table("complaint_step")
    op.drop_table("complaint_policy")
    op.drop_index(op.f("ix_complaint_pause_complaint_id"), table_name="complaint_pause")
    op.drop_table("complaint_pause")
    op.drop_index(op.f("ix_complaint_extension_complaint_id"), table_name="complaint_extension")
    op.drop_table("complaint_extension")
    op.drop_index(op.f("ix_complaint_ticket_id"), table_name="complaint")
    op.drop_index("ix_complaint_status_deadline", table_name="complaint")
    op.drop_index(op.f("ix_complaint_customer_id"), table_name="complaint")
    op.drop_table("complaint")
