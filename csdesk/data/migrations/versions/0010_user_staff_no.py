"""user: staff number (工号), the number an agent gives customers on a call

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("user", sa.Column("staff_no", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("user") as batch:
        batch.drop_column("staff_no")
