"""What an open desk session holds: the store gateway, the user, the language, the clock.

Light to import: the heavy parts (settings, store) are only named for type checkers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csdesk.data.api import StoreMode, TicketRow, UserInfo
from csdesk.domain.clock import Clock
from csdesk.i18n import Translator

if TYPE_CHECKING:
    from csdesk.config import Settings
    from csdesk.data.store import Store


@dataclass
class Desk:
    """A signed-in desk: screens reach data only through ``store``."""

    store: Store
    user: UserInfo
    settings: Settings
    clock: Clock
    t: Translator = field(default_factory=Translator)
    #: (total, rows) of the default queue read before the store opened; the queue takes it once.
    first_page: tuple[int, list[TicketRow]] | None = None
    #: The signed-in user's overdue callbacks, kept fresh by the reminders timer (shown in the header).
    callbacks_overdue: int = 0
    #: The sync worker's last report (csdesk.sync.engine.SyncStatus), None when not syncing.
    sync_status: Any = None
    #: Problems found while opening that did not stop it (e.g. a broken holidays.toml), told once.
    warnings: list[str] = field(default_factory=list)

    def take_first_page(self) -> tuple[int, list[TicketRow]] | None:
        """The queue's first page read at start-up, if any (given out once)."""
        first, self.first_page = self.first_page, None
        return first

    @property
    def mode(self) -> StoreMode:
        """Demo or live."""
        return self.store.mode

    @property
    def is_demo(self) -> bool:
        """True on an isolated training store."""
        return self.store.mode is StoreMode.DEMO
