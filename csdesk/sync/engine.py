"""The sync loop: push then pull, once or continuously with LISTEN/NOTIFY as a hint.

:func:`sync_once` is ``csdesk sync --once``. :class:`SyncWorker` is ``--watch`` and the
app's background worker: it pushes whenever local events are pending, pulls when a
NOTIFY arrives, on a timer (notifications are lost while disconnected) and after every
reconnect, and reports its state (synced / N pending / offline since / N conflicts).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from csdesk.data.store import Store
from csdesk.data.sync_guard import may_sync
from csdesk.domain.errors import CsdeskError
from csdesk.sync.pull import PullReport, pull
from csdesk.sync.push import DEFAULT_BATCH, PushReport, push
from csdesk.sync.schema import check_shared
from csdesk.sync.server import CHANNEL, CONNECTION_ERRORS, connect

DEMO_REFUSAL = "This is a demo store: demo mode never syncs with the shared database."


class SyncRefused(CsdeskError):
    """The store may not sync (demo mode, no shared database configured)."""


@dataclass(slots=True)
class SyncReport:
    """One push and one pull."""

    push: PushReport = field(default_factory=PushReport)
    pull: PullReport = field(default_factory=PullReport)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the header shows: pending pushes, conflicts, and since when we are offline."""

    online: bool
    pending: int
    conflicts: int
    offline_since: datetime | None = None
    last_error: str | None = None
    applied: int = 0  # other desks' events applied in this round (screens reload when > 0)


def check_can_sync(store: Store, url: str | None) -> str:
    """The URL to sync with; refuse demo stores and a missing URL with a sentence."""
    if not may_sync(store):  # the one rule that keeps training data local (csdesk.data.sync_guard)
        raise SyncRefused(DEMO_REFUSAL)
    if not url:
        raise SyncRefused("No shared database is configured; set shared_db_url or CSDESK_SHARED_DB_URL.")
    return url


def sync_session(conn: psycopg.Connection, store: Store, *, batch: int = DEFAULT_BATCH) -> SyncReport:
    """Push then pull on an open session."""
    check_shared(conn)
    conn.commit()
    pushed = push(conn, store, batch=batch)
    pulled = pull(conn, store)
    return SyncReport(pushed, pulled)


def sync_once(store: Store, url: str | None, *, batch: int = DEFAULT_BATCH) -> SyncReport:
    """Push every pending event, then pull everything new: ``csdesk sync --once``."""
    url = check_can_sync(store, url)
    with connect(url) as conn:
        return sync_session(conn, store, batch=batch)


class SyncWorker:
    """Keeps a store in sync until :meth:`stop`; safe to run in a thread."""

    def __init__(
        self,
        store: Store,
        url: str | None,
        *,
        on_status: Callable[[SyncStatus], None] | None = None,
        poll_s: float = 0.25,
        pull_every_s: float = 5.0,
        retry_s: float = 2.0,
    ) -> None:
        self.store = store
        self.url = check_can_sync(store, url)
        self.on_status = on_status or (lambda status: None)
        self.poll_s = poll_s
        self.pull_every_s = pull_every_s
        self.retry_s = retry_s
        self._stop = threading.Event()
        self.offline_since: datetime | None = None
        self.rounds = 0

    def stop(self) -> None:
        """Ask the loop to end (it finishes its current step)."""
        self._stop.set()

    def run(self) -> None:
        """Connect, sync, wait for hints; on any connection fault go offline and retry."""
        while not self._stop.is_set():
            try:
                self._session()
            except CONNECTION_ERRORS as exc:
                self._offline(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                self._stop.wait(self.retry_s)
            except (CsdeskError, psycopg.Error) as exc:  # e.g. schema missing: say why, try again later
                self._offline(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                self._stop.wait(self.retry_s)

    def _offline(self, reason: str) -> None:
        if self.offline_since is None:
            self.offline_since = self.store.clock.now()
        self._report(online=False, error=reason)

    def _report(self, *, online: bool, error: str | None = None, applied: int = 0) -> None:
        state = self.store.sync.state()
        self.on_status(SyncStatus(online, state.pending, state.conflicts, self.offline_since, error, applied))

    def _session(self) -> None:
        with connect(self.url) as work, connect(self.url, autocommit=True) as hints:
            hints.execute(f"LISTEN {CHANNEL}")
            report = sync_session(work, self.store)  # on (re)connect: everything pending, everything new
            self.rounds += 1
            self.offline_since = None
            self._report(online=True, applied=report.pull.applied)
            since_pull = 0.0
            while not self._stop.is_set():
                hinted = any(True for _ in hints.notifies(timeout=self.poll_s, stop_after=1))
                since_pull += self.poll_s
                pending = self.store.sync.state().pending
                if not (hinted or pending or since_pull >= self.pull_every_s):
                    continue
                push(work, self.store)
                applied = 0
                if hinted or since_pull >= self.pull_every_s:
                    applied = pull(work, self.store).applied
                    since_pull = 0.0
                self.rounds += 1
                self._report(online=True, applied=applied)
