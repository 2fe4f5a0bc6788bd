"""Smoke tests for the throwaway PostgreSQL server and its fixtures."""

from __future__ import annotations

import psycopg
import pytest

from tests.pg_server import ThrowawayPostgres

pytestmark = pytest.mark.pg


def test_roundtrip(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        version = conn.execute("select version()").fetchone()
        assert version is not None
        assert version[0].startswith("PostgreSQL ")
        assert conn.info.server_version >= 130000  # xid8 / pg_current_xact_id()

        conn.execute("create table t (id int primary key, body text not null)")
        conn.execute("insert into t values (%s, %s), (%s, %s)", (1, "één", 2, "two"))
        rows = conn.execute("select id, body from t order by id").fetchall()
        assert rows == [(1, "één"), (2, "two")]

        xid = conn.execute("select pg_current_xact_id()::text::bigint").fetchone()
        assert xid is not None
        assert xid[0] > 0
        type_row = conn.execute("select pg_typeof(pg_current_xact_id())::text").fetchone()
        assert type_row == ("xid8",)


def test_fresh_database_per_test(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()
        assert tables == (0,)


def test_immediate_restart_drops_connections(pg_server: ThrowawayPostgres, pg_url: str) -> None:
    old = psycopg.connect(pg_url, autocommit=True)
    try:
        assert old.execute("select 1").fetchone() == (1,)
        pg_server.restart(mode="immediate")
        with pytest.raises(psycopg.OperationalError):
            old.execute("select 1")
    finally:
        old.close()

    with psycopg.connect(pg_url) as new:
        assert new.execute("select 2").fetchone() == (2,)
