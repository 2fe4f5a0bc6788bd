"""The rule that keeps training data out of the shared database: a demo store never syncs.

Whatever reaches the shared PostgreSQL database (push, pull, listen) calls
:func:`assert_may_sync` with the store first; a demo store is refused with one
sentence, before any connection is opened.
"""

from __future__ import annotations

from typing import Protocol

from csdesk.data.api import StoreMode
from csdesk.domain.errors import StoreUnavailable


class _HasMode(Protocol):
    mode: StoreMode


def may_sync(store: _HasMode) -> bool:
    """True for a live desk store; False for a demo store."""
    return store.mode is StoreMode.LIVE


def assert_may_sync(store: _HasMode) -> None:
    """Raise :class:`StoreUnavailable` unless ``store`` is a live desk store."""
    if not may_sync(store):
        raise StoreUnavailable("A demo store never syncs: training data stays on this machine.")
