"""Sync of every desk's local store with the shared PostgreSQL database (docs/sync.md).

Events travel, never projection rows: a desk pushes its unacknowledged events and pulls
the other desks' events by a cursor that cannot skip late-committing transactions, and
applies them through the same reducer as its own. Never imports textual.
"""
