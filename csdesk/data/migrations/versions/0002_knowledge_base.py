"""knowledge base: article versions, full-text index (FTS5 over pre-segmented text), gaps, uses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00.000000

``kb_article`` holds every version of every article (one row per id, language and
version; ``current`` marks the live one). ``kb_version`` records how each version came
to be (indexed from a file, or edited in the app by whom). ``kb_fts`` is an FTS5 table
(unicode61) over text segmented in Python (:mod:`csdesk.domain.kb_text`): Chinese as
character bigrams, English as lower-cased words; its rowid is ``kb_article.pk``. Only
current versions are in it. ``kb_gap`` and ``ticket_kb_use`` are projections of events.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "kb_article",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("business", sa.String(), nullable=False),
        sa.Column("audience", sa.String(), nullable=False),
        sa.Column("tags", sa.String(), nullable=False),
        sa.Column("related", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("source_path", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_kb_article")),
        sa.UniqueConstraint(
            "id", "language", "version", name=op.f("uq_kb_article_id_language_version")
        ),
    )
    with op.batch_alter_table("kb_article", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kb_article_current", ["current", "language", "audience"], unique=False
        )
        batch_op.create_index(
            "ix_kb_article_id_language", ["id", "language"], unique=False
        )

    op.create_table(
        "kb_version",
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        sa.Column("author_id", sa.String(), nullable=True),
        sa.Column("event_id", sa.String(), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "article_id", "language", "version", name=op.f("pk_kb_version")
        ),
    )

    op.create_table(
        "kb_gap",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("ticket_id", sa.String(), nullable=True),
        sa.Column("article_id", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("query", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reported_by", sa.String(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_gap")),
    )
    with op.batch_alter_table("kb_gap", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_gap_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_gap_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "ticket_kb_use",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("ticket_id", sa.String(), nullable=False),
        sa.Column("article_id", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("used_by", sa.String(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_kb_use")),
    )
    with op.batch_alter_table("ticket_kb_use", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_kb_use_ticket_id"), ["ticket_id"], unique=False
        )
        batch_op.create_index(
            "ix_ticket_kb_use_article", ["article_id", "language"], unique=False
        )

    # Text is segmented in Python before it reaches FTS5; unicode61 then only splits on
    # the spaces we put in and folds case/diacritics. The rowid is kb_article.pk.
    op.execute(
        "CREATE VIRTUAL TABLE kb_fts USING fts5("
        "title, tags, body, tokenize = \"unicode61 remove_diacritics 2\")"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.execute("DROP TABLE IF EXISTS kb_fts")
    with op.batch_alter_table("ticket_kb_use", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_kb_use_article")
        batch_op.drop_index(batch_op.f("ix_ticket_kb_use_ticket_id"))
    op.drop_table("ticket_kb_use")
    with op.batch_alter_table("kb_gap", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_gap_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_kb_gap_status"))
    op.drop_table("kb_gap")
    op.drop_table("kb_version")
    with op.batch_alter_table("kb_article", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_article_id_language")
        batch_op.drop_index("ix_kb_article_current")
    op.drop_table("kb_article")
