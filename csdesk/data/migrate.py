"""Schema migrations of the local store with Alembic (batch mode for SQLite).

The app and ``csdesk db upgrade`` call :func:`upgrade`; nothing calls ``create_all``.
A store whose revision this csdesk does not know was written by a newer csdesk and is
refused untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from csdesk.domain.errors import StoreUnavailable

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this csdesk knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at, or None for an empty store."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions that :func:`upgrade` would apply, oldest first.

    Raises :class:`StoreUnavailable` when the store is at a revision this csdesk does
    not know (a newer csdesk wrote it).
    """
    script = ScriptDirectory.from_config(_config())
    current = current_revision(engine)
    if current is not None and not _known(script, current):
        raise StoreUnavailable(
            f"This store was written by a newer csdesk (schema {current}); "
            "upgrade csdesk to open it. The store was left untouched."
        )
    revisions = [rev.revision for rev in script.walk_revisions("base", "heads")]
    revisions.reverse()
    if current is None:
        return revisions
    return revisions[revisions.index(current) + 1 :]


def upgrade(engine: Engine, progress: Callable[[str], None] | None = None) -> list[str]:
    """Bring the store to the head revision; return the revisions applied."""
    todo = pending_revisions(engine)
    if not todo:
        return []
    if progress:
        progress(f"Upgrading the store schema ({len(todo)} step(s))")
    from alembic import command

    config = _config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()
    return todo
