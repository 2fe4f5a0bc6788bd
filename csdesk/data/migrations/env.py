"""Alembic environment for the local store; the connection is handed in by csdesk.data.migrate."""

from __future__ import annotations

from alembic import context

from csdesk.data.tables import SQLModel

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
