"""business: business-assistance cases and their document checks

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "business_case",
        _text("id"),
        _text("ticket_id"),
        _text("customer_id", True),
        _text("business_type"),
        _text("stage"),
        _text("department"),
        _when("promised_at", True),
        sa.Column("rework_count", sa.Integer(), nullable=False),
        _text("guidance"),
        _text("override_reason", True),
        _text("agent_id"),
        _text("team"),
        _when("opened_at"),
        _when("updated_at"),
        _when("completed_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_case")),
    )
    for column in ("ticket_id", "customer_id", "stage", "agent_id"):
        op.create_index(f"ix_business_case_{column}", "business_case", [column], unique=False)
    op.create_table(
        "business_document",
        _text("case_id"),
        _text("doc_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        _text("status"),
        _text("reason"),
        _text("checked_by", True),
        _when("checked_at", True),
        sa.PrimaryKeyConstraint("case_id", "doc_id", name=op.f("pk_business_document")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("business_document")
    for column in ("ticket_id", "customer_id", "stage", "agent_id"):
        op.drop_index(f"ix_business_case_{column}", table_name="business_case")
    op.drop_table("business_case")
