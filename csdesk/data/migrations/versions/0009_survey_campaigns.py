"""survey: satisfaction survey campaigns and their sampled customers

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TYPES = {
    "text": sa.String(), "time": sa.DateTime(timezone=True), "int": sa.Integer(), "date": sa.Date(), "real": sa.Float(),
}


def _col(name: str, kind: str = "text", nullable: bool = False) -> sa.Column:
    """A column of ``kind``: text, time (UTC, with zone), date, int or real."""
    return sa.Column(name, _TYPES[kind], nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "survey_campaign",
        _col("id"), _col("name"), _col("period_start", "date"), _col("period_end", "date"),
        _col("kinds"), _col("businesses"), _col("agents"),
        _col("sample_size", "int", nullable=True), _col("sample_share", "real", nullable=True),
        _col("channel"), _col("questions"), _col("seed", "int"), _col("fatigue_days", "int"), _col("call_days", "int"),
        _col("status"), _col("population", "int"), _col("sampled", "int"),
        _col("excluded_dnc", "int"), _col("excluded_recent", "int"), _col("excluded_no_time", "int"),
        _col("reason"), _col("created_by"), _col("created_at", "time"),
        _col("launched_at", "time", nullable=True), _col("closed_at", "time", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaign")),
    )
    op.create_index("ix_survey_campaign_status", "survey_campaign", ["status"], unique=False)
    op.create_table(
        "survey_member",
        _col("campaign_id"), _col("customer_id"), _col("agent_id"), _col("team"), _col("business"),
        _col("ticket_id"), _col("callback_id"), _col("caller_id"),
        sa.PrimaryKeyConstraint("campaign_id", "customer_id", name=op.f("pk_survey_member")),
    )
    for column in ("agent_id", "callback_id"):
        op.create_index(f"ix_survey_member_{column}", "survey_member", [column], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    for column in ("agent_id", "callback_id"):
        op.drop_index(f"ix_survey_member_{column}", table_name="survey_member")
    op.drop_table("survey_member")
    op.drop_index("ix_survey_campaign_status", table_name="survey_campaign")
    op.drop_table("survey_campaign")
