"""The shared PostgreSQL schema: created and upgraded by Alembic with its own version table.

``csdesk shared init --url URL`` calls :func:`init_shared`. Sync checks the version with
:func:`check_shared` before it pushes anything, and refuses a database that was never
initialised or was upgraded by a newer csdesk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from csdesk.domain.errors import CsdeskError

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "csdesk_shared_version"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
#: The newest shared revision; a test keeps it in step with the scripts.
SHARED_HEAD = "s0002"


class SharedUnavailable(CsdeskError):
    """The shared database cannot be used (unreachable, not initialised, too new)."""


def sqlalchemy_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named, as SQLAlchemy wants it."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise SharedUnavailable("The shared database URL must start with postgresql://.")


def libpq_url(url: str) -> str:
    """``url`` as libpq (psycopg) reads it."""
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("postgresql+psycopg://") else url


def init_shared(url: str) -> list[str]:
    """Create or upgrade the shared schema; return the revisions applied, oldest first."""
    before = shared_revision(url)
    migrate_shared(url, "head")
    return revisions_after(before)


def revisions_after(revision: str | None) -> list[str]:
    """The shared revisions an upgrade from ``revision`` (None: an empty database) to head applies, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    newer = scripts.iterate_revisions("head", revision or "base")
    return [script.revision for script in reversed(list(newer)) if script.revision != revision]


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def migrate_shared(url: str, revision: str, *, downgrade: bool = False) -> None:
    """Upgrade (or, with ``downgrade``, downgrade) the shared schema to ``revision`` with Alembic."""
    from alembic import command
    from sqlalchemy import create_engine

    config = _alembic_config()
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if downgrade else command.upgrade)(config, revision)
            conn.commit()
    finally:
        engine.dispose()


def shared_revision(url: str) -> str | None:
    """The shared schema's revision, or None when it was never initialised."""
    with psycopg.connect(libpq_url(url), connect_timeout=5, autocommit=True) as conn:
        return revision_of(conn)


def revision_of(conn: psycopg.Connection) -> str | None:
    """The shared revision seen through an open connection."""
    exists = conn.execute("SELECT to_regclass(%s)", (VERSION_TABLE,)).fetchone()
    if not exists or exists[0] is None:
        return None
    row = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    return row[0] if row else None


def check_shared(conn: psycopg.Connection) -> None:
    """Refuse a shared database this csdesk cannot sync with, with a sentence saying why."""
    revision = revision_of(conn)
    if revision is None:
        raise SharedUnavailable("The shared database has no csdesk schema yet; run `csdesk shared init --url URL`.")
    if revision != SHARED_HEAD:
        raise SharedUnavailable(
            f"The shared database is at schema {revision}, this csdesk knows {SHARED_HEAD}; "
            "run `csdesk shared init` with the newer csdesk or upgrade this desk."
        )
