"""Connections to the shared database for sync sessions.

Every sync session runs in UTC with a bounded ``idle_in_transaction_session_timeout``
and statement timeout, so a stuck desk cannot hold back every other desk's pull cursor
(an open transaction keeps ``pg_snapshot_xmin`` from moving).
"""

from __future__ import annotations

import psycopg

from csdesk.sync.schema import libpq_url

CHANNEL = "csdesk_events"
IDLE_IN_TRANSACTION_MS = 15_000
STATEMENT_TIMEOUT_MS = 60_000
CONNECT_TIMEOUT_S = 5
#: Network faults: the server went away, restarted, or terminated our backend.
CONNECTION_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError)


def connect(url: str, *, autocommit: bool = False) -> psycopg.Connection:
    """A sync session on the shared database."""
    options = (
        f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS} "
        f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c TimeZone=UTC"
    )
    return psycopg.connect(
        libpq_url(url),
        autocommit=autocommit,
        connect_timeout=CONNECT_TIMEOUT_S,
        application_name="csdesk-sync",
        options=options,
    )
