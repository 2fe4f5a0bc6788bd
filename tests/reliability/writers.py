"""A writer process for crash and backup tests: forked after imports, writing as fast as it can."""

from __future__ import annotations

import os
import random
import signal
import time
import traceback
from pathlib import Path

from csdesk.data.store import Store
from csdesk.domain.clock import SystemClock


def write_forever(path: Path, seed: int) -> None:
    """Open the store at ``path`` and write tickets, notes, claims, batches and status moves until killed."""
    rng = random.Random(seed)
    store = Store.open(path, desk_id="D01", clock=SystemClock())
    customer = store.create_customer("agent1", name=f"Writer {seed}", phone=f"139{seed % 10**8:08d}")
    while True:
        ticket = store.create_ticket(
            "agent1", kind="complaint", channel="phone", subject=f"Round {seed}", customer_id=customer.id
        )
        store.add_note("agent1", ticket.id, "x" * rng.randint(1, 5000))
        store.claim_ticket("agent1", ticket.id)
        batch = [("ticket", ticket.id, "ticket.note_added", {"note_id": f"{ticket.id}-{i}", "body": "batch"})
                 for i in range(rng.randint(1, 60))]
        store.write_events("agent1", batch)
        store.change_status("agent1", ticket.id, "resolved")


def start_writer(path: Path, seed: int) -> int:
    """Fork a child running :func:`write_forever`; return its pid (no connection of ours crosses the fork)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            write_forever(path, seed)
        except Exception:  # noqa: BLE001 - any failure is reported to the parent
            _failure_file(path).write_text(traceback.format_exc())
        finally:
            os._exit(0)
    return pid


def _failure_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.writer-failure.txt")


def kill(pid: int, path: Path) -> None:
    """SIGKILL the writer and reap it; fail with its traceback if it had stopped on its own."""
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    failure = _failure_file(path)
    reason = failure.read_text() if failure.exists() else "no traceback"
    assert os.WIFSIGNALED(status), f"the writer stopped before it was killed: {reason}"


def kill_writer_mid_flight(path: Path, seed: int, delay: float) -> None:
    """Fork a writer, let it run ``delay`` seconds, then kill it with SIGKILL."""
    pid = start_writer(path, seed)
    time.sleep(delay)
    kill(pid, path)
