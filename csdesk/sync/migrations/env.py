"""Alembic environment for the shared PostgreSQL schema (its own version table)."""

from __future__ import annotations

from alembic import context

from csdesk.sync.schema import VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
