"""Schema migrations of the local store with Alembic (batch mode for SQLite).

The app and ``csdesk db upgrade`` call :func:`upgrade`; nothing calls ``create_all``.
A store whose revision this csdesk does not know was written by a newer csdesk and is
refused untouched. A store already at :data:`HEAD_REVISION` is recognised with one query,
without importing Alembic (which costs about a second on a small machine).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from csdesk.domain.errors import StoreUnavailable

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The newest revision in ``migrations/versions``; a test keeps it in step with the scripts.
HEAD_REVISION = "0010"


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest schema revision among the migration scripts."""
    head = _scripts().get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at, or None for an empty store."""
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions that :func:`upgrade` would apply, oldest first.

    Raises :class:`StoreUnavailable` when the store is at a revision this csdesk does
    not know (a newer csdesk wrote it).
    """
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return []
    from alembic.util import CommandError

    script = _scripts()
    if current is not None:
        try:
            known = script.get_revision(current) is not None
        except CommandError:
            known = False
        if not known:
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
