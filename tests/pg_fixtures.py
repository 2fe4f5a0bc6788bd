"""pytest fixtures for tests that need a real PostgreSQL server.

Enable with ``pytest_plugins = ["tests.pg_fixtures"]`` in tests/conftest.py.

- ``pg_server`` (session): a :class:`tests.pg_server.ThrowawayPostgres`, started the
  first time a test asks for it (directly or through ``pg_url``) and stopped at the
  end of the session. Use it to control the server in fault tests
  (``pg_server.restart()``, ``pg_server.stop()``/``start()``, ``pg_server.pg_ctl(...)``).
- ``pg_url`` (function): URL of a fresh, empty database (created from template0 with
  a unique name) on that server; dropped after the test, terminating its connections.

If ``CSDESK_TEST_PG_URL`` is set (e.g. ``postgresql://user:pw@host:5432/postgres``),
``pg_url`` creates its databases on that server instead - the user needs CREATEDB -
and tests that request ``pg_server`` are skipped, since there is no server to control.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from tests.pg_server import ThrowawayPostgres

ENV_URL = "CSDESK_TEST_PG_URL"
_PG_FIXTURES = frozenset({"pg_server", "pg_admin_url", "pg_url"})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pg: needs the throwaway PostgreSQL server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a PostgreSQL fixture ``pg`` (so ``-m "not pg"`` works)."""
    for item in items:
        if _PG_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pg)


def _external_url() -> str | None:
    url = os.environ.get(ENV_URL, "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise pytest.UsageError(f"{ENV_URL} must be a postgresql:// URL, got {url!r}")
    return url


def _with_dbname(url: str, dbname: str) -> str:
    """The same server URL pointing at another database (query string kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[ThrowawayPostgres]:
    """The session's throwaway PostgreSQL server (started on first use)."""
    if _external_url():
        pytest.skip(f"{ENV_URL} is set: no throwaway server to control")
    with ThrowawayPostgres() as server:
        yield server


@pytest.fixture(scope="session")
def pg_admin_url(request: pytest.FixtureRequest) -> str:
    """URL of a maintenance database (used to create and drop per-test databases)."""
    external = _external_url()
    if external:
        return external
    server: ThrowawayPostgres = request.getfixturevalue("pg_server")
    return server.url_for("postgres")


@pytest.fixture
def pg_url(pg_admin_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a fresh empty database, dropped (connections terminated) after the test."""
    server: ThrowawayPostgres | None = None
    if not _external_url():
        server = request.getfixturevalue("pg_server")
    dbname = f"t_{uuid.uuid4().hex[:16]}"
    ident = sql.Identifier(dbname)
    with psycopg.connect(pg_admin_url, autocommit=True, connect_timeout=10) as conn:
        create = sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(ident)
        if conn.info.server_version >= 150000:
            # Copies the files instead of WAL-logging every block: faster and far less WAL.
            create = sql.SQL("{} STRATEGY FILE_COPY").format(create)
        conn.execute(create)
    try:
        yield _with_dbname(pg_admin_url, dbname)
    finally:
        if server is not None:
            server.start()  # a fault test may have left it stopped; no-op when running
        with psycopg.connect(pg_admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
