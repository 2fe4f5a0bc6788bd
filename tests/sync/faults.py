"""Helpers for sync fault tests: desks with activity, server counts, blocking the events table."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import psycopg

from csdesk.data.store import Store

WAIT_S = 30.0


def busy_desk(store: Store, tickets: int) -> list[str]:
    """Users, a customer and ``tickets`` tickets with a note each; return the ticket ids."""
    if not store.list_users():
        store.add_user(None, "sup", "Supervisor Sun", "supervisor", "A")
        store.add_user("sup", "agent1", "Agent One", "agent", "A")
    customer = store.create_customer("agent1", name="王芳", phone="13700002222")
    ids = []
    for n in range(tickets):
        ticket = store.create_ticket(
            "agent1", kind="consultation", channel="phone", subject=f"Q{n}", customer_id=customer.id
        )
        store.add_note("agent1", ticket.id, f"note {n}")
        ids.append(ticket.id)
    return ids


def server_counts(url: str) -> tuple[int, int]:
    """(rows, distinct event ids) in the shared events table."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT event_id) FROM events").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def local_event_ids(store: Store) -> list[str]:
    """Every event id in a desk's local log (duplicates would show twice)."""
    from sqlalchemy import select

    from csdesk.data.eventlog import EVENT

    with store._read() as conn:
        return list(conn.execute(select(EVENT.c.event_id)).scalars())


def local_event_kinds(store: Store) -> list[str]:
    """The kind of every event in a desk's local log."""
    from sqlalchemy import select

    from csdesk.data.eventlog import EVENT

    with store._read() as conn:
        return list(conn.execute(select(EVENT.c.kind)).scalars())


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until true; fail after :data:`WAIT_S` (a hang, not a speed check)."""
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@contextmanager
def events_locked(url: str) -> Iterator[psycopg.Connection]:
    """Hold an exclusive lock on ``events`` so a push blocks inside its batch transaction."""
    conn = psycopg.connect(url)
    try:
        conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        yield conn
    finally:
        with suppress(psycopg.Error):
            conn.rollback()
        conn.close()


def blocked_sync_pid(url: str) -> int:
    """Backend pid of the csdesk sync session waiting on the lock."""
    query = (
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'csdesk-sync' "
        "AND wait_event_type = 'Lock' AND datname = current_database()"
    )
    found: list[int] = []

    def check() -> bool:
        with psycopg.connect(url, autocommit=True) as conn:
            found[:] = [row[0] for row in conn.execute(query).fetchall()]
        return bool(found)

    wait_until(check, "the push to block on the events lock")
    return found[0]


def in_thread(func: Callable[[], Any]) -> tuple[threading.Thread, list[BaseException | Any]]:
    """Run ``func`` in a thread; the list gets its result or exception."""
    outcome: list[BaseException | Any] = []

    def run() -> None:
        try:
            outcome.append(func())
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome
