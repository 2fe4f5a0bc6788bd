"""Runs an iterator one item ahead on a helper thread.

Sync alternates between work on this desk (reading SQLite, checking hashes) and waiting
for the shared database, which works in its own process. Producing item N+1 on a thread
while the caller sends item N overlaps the two. The producer's error is raised by the
iteration, after the items produced before it; leaving the context stops the producer
(it is never more than one item ahead, so nothing beyond that is read for nothing).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class _End:
    """Marks the end of the items."""


class ReadAhead(Generic[T]):
    """``with ReadAhead(items) as ahead: for item in ahead: ...`` — ``items`` produced on a thread."""

    def __init__(self, items: Iterable[T], name: str = "csdesk-read-ahead") -> None:
        self._items = items
        self._queue: queue.Queue[T | _End | BaseException] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name=name, daemon=True)

    def __enter__(self) -> ReadAhead[T]:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get_nowait()  # free the slot the producer may wait on
            self._thread.join(0.05)

    def __iter__(self) -> Iterator[T]:
        while True:
            item = self._queue.get()
            if isinstance(item, _End):
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _produce(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
        except Exception as exc:  # noqa: BLE001 - handed to the iterating thread, which raises it
            self._put(exc)
            return
        self._put(_End())

    def _put(self, item: T | _End | BaseException) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False
