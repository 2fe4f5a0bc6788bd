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


def _column(name: str, kind: str = "text", nullable: bool = False) -> sa.Column:
    """A column of ``kind`` text, time (UTC, with zone) or int."""
    types = {"text": sa.String(), "time": sa.DateTime(timezone=True), "int": sa.Integer()}
    return sa.Column(name, types[kind], nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "business_case",
        _column("id"),
        _column("ticket_id"),
        _column("customer_id", nullable=True),
        _column("business_type"),
        _column("stage"),
        _column("department"),
        _column("promised_at", "time", nullable=True),
        _column("rework_count", "int"),
        _column("guidance"),
        _column("override_reason", nullable=True),
        _column("agent_id"),
        _column("team"),
        _column("opened_at", "time"),
        _column("updated_at", "time"),
        _column("completed_at", "time", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_case")),
    )
    for column in ("ticket_id", "customer_id", "stage", "agent_id"):
        op.create_index(f"ix_business_case_{column}", "business_case", [column], unique=False)
    op.create_table(
        "business_document",
        _column("case_id"),
        _column("doc_id"),
        _column("position", "int"),
        _column("status"),
        _column("reason"),
        _column("checked_by", nullable=True),
        _column("checked_at", "time", nullable=True),
        sa.PrimaryKeyConstraint("case_id", "doc_id", name=op.f("pk_business_document")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("business_document")
    for column in ("ticket_id", "customer_id", "stage", "agent_id"):
        op.drop_index(f"ix_business_case_{column}", table_name="business_case")
    op.drop_table("business_case")
