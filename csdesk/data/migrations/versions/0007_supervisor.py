"""supervisor: KPI targets, roster, QA reviews and penalties, whistle-blowing, incidents

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-23 11:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "kpi_target",
        _text("id"),
        sa.Column("value", sa.Float(), nullable=False),
        _text("set_by"),
        _when("set_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_target")),
    )
    op.create_table(
        "roster_shift",
        _text("id"),
        _text("agent_id"),
        _text("day"),
        sa.Column("start_interval", sa.Integer(), nullable=False),
        sa.Column("end_interval", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_shift")),
    )
    op.create_index("ix_roster_shift_day", "roster_shift", ["day"], unique=False)
    op.create_table(
        "qa_review",
        _text("id"),
        _text("ticket_id"),
        _text("agent_id"),
        _text("sampled_by"),
        _when("sampled_at"),
        _text("status"),
        _text("inspector_id", True),
        _text("marks", True),
        sa.Column("score", sa.Float(), nullable=True),
        _text("comment"),
        _when("scored_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_review")),
    )
    op.create_index("ix_qa_review_agent", "qa_review", ["agent_id", "status"], unique=False)
    op.create_index(op.f("ix_qa_review_ticket_id"), "qa_review", ["ticket_id"], unique=False)
    op.create_table(
        "qa_penalty",
        _text("id"),
        _text("agent_id"),
        _text("step"),
        _text("violation"),
        _text("reason"),
        _text("evidence"),
        _text("approver_id"),
        _text("decided_by"),
        _when("decided_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_penalty")),
    )
    op.create_index("ix_qa_penalty_agent", "qa_penalty", ["agent_id"], unique=False)
    op.create_table(
        "whistle_report",
        _text("id"),
        _text("subject"),
        _text("text"),
        _when("filed_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whistle_report")),
    )
    op.create_table(
        "incident",
        _text("id"),
        _text("kind"),
        _text("title"),
        _text("script"),
        _text("status"),
        _text("raised_by"),
        _when("raised_at"),
        _text("closed_by", True),
        _when("closed_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    op.create_table(
        "incident_ticket",
        _text("incident_id"),
        _text("ticket_id"),
        _text("linked_by"),
        _when("linked_at"),
        sa.PrimaryKeyConstraint("incident_id", "ticket_id", name=op.f("pk_incident_ticket")),
    )
    op.create_index(op.f("ix_incident_ticket_ticket_id"), "incident_ticket", ["ticket_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_incident_ticket_ticket_id"), table_name="incident_ticket")
    op.drop_table("incident_ticket")
    op.drop_table("incident")
    op.drop_table("whistle_report")
    op.drop_index("ix_qa_penalty_agent", table_name="qa_penalty")
    op.drop_table("qa_penalty")
    op.drop_index(op.f("ix_qa_review_ticket_id"), table_name="qa_review")
    op.drop_index("ix_qa_review_agent", table_name="qa_review")
    op.drop_table("qa_review")
    op.drop_index("ix_roster_shift_day", table_name="roster_shift")
    op.drop_table("roster_shift")
    op.drop_table("kpi_target")
