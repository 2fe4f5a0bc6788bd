"""Screens fed by the supervisor's live snapshot, polled without overlap.

A poll asks the store for its change token (one indexed query); only when it moved, or
every few seconds anyway (SLA states change with time alone), is the whole snapshot read.
The next poll is scheduled when the previous one has finished, so polls never overlap
(Dolphie's pattern); a screen that is not shown skips the work.
"""

from __future__ import annotations

from time import monotonic

from csdesk.data.supervisor_api import LiveSnapshot
from csdesk.domain.errors import CsdeskError
from csdesk.screens.base import DeskScreen

POLL_SECONDS = 0.5
FULL_EVERY = 5.0
RETRY_SECONDS = 5.0


class PolledScreen(DeskScreen):
    """Keeps :attr:`snapshot` fresh and calls :meth:`show_snapshot` when it changes."""

    WALLBOARD = False

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: LiveSnapshot | None = None
        self._token: int | None = None
        self._read_at = 0.0
        self.polls = 0

    def on_mount(self) -> None:
        """Start polling."""
        super().on_mount()
        self.poll()

    def reload(self) -> None:
        """Read the whole snapshot on the next poll."""
        self._token = None

    def poll(self) -> None:
        """One poll in a worker; the next is scheduled when it has landed."""
        if not self.is_attached:
            return
        if not self.is_current:  # another mode or screen on show (never raises mid-switch)
            self.set_timer(POLL_SECONDS, self.poll)
            return
        store, user_id = self.desk.store, self.desk.user.id
        token, read_at, wallboard = self._token, self._read_at, self.WALLBOARD

        def job() -> LiveSnapshot | CsdeskError | None:
            try:
                if token is not None and store.reports.change_token() == token and monotonic() - read_at < FULL_EVERY:
                    return None
                return store.reports.live(user_id, wallboard=wallboard)
            except CsdeskError as exc:
                return exc

        self.call_store(job, then=self._landed)

    def _landed(self, result: LiveSnapshot | CsdeskError | None) -> None:
        self.polls += 1
        if isinstance(result, CsdeskError):
            self.notify(result.message, title=self.t("error.title"), severity="error")
            self.set_timer(RETRY_SECONDS, self.poll)
            return
        if result is not None:
            self._token, self._read_at, self.snapshot = result.token, monotonic(), result
            self.show_snapshot(result)
        self.set_timer(POLL_SECONDS, self.poll)

    def show_snapshot(self, snapshot: LiveSnapshot) -> None:
        """Put ``snapshot`` on screen (redraw only what changed)."""
