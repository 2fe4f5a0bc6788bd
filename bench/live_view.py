"""Live view benchmark: a change written to the store -> the supervisor's live view shows it.

On a copy of the queue benchmark's store (``CSDESK_BENCH_TICKETS`` tickets, 100,000 by
default; built if missing), the real app runs headless with the live view open. Another
``Store`` on the same file (as another process or the sync engine would) writes a new
ticket; the time until the view's waiting count shows it is measured, ``ROUNDS`` times.
Baselines in the same run: the snapshot query alone (``store.reports.live``) and the raw
SQLite count of waiting tickets. Writes ``bench/results/live_view.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import queue_filter

from csdesk.app import CsdeskApp
from csdesk.data.api import StoreMode
from csdesk.data.store import Store
from csdesk.launch import Launch
from csdesk.screens.live import LiveScreen
from csdesk.widgets.keyed_table import KeyedTable

RESULTS = queue_filter.RESULTS
ROUNDS = int(os.environ.get("CSDESK_BENCH_ROUNDS", "40"))
RAW_WAITING = (
    "SELECT count(*) FROM ticket WHERE status IN ('new','open','waiting_customer','waiting_department') "
    "AND first_response_at IS NULL"
)


def prepare() -> Path:
    """A copy of the queue benchmark's store with a supervisor added."""
    source = RESULTS / f"queue-{queue_filter.TICKETS}.sqlite3"
    if not source.exists():
        queue_filter.build_store(source)
    path = RESULTS / "live-view.sqlite3"
    shutil.copyfile(source, path)
    store = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO)
    store.write_events("bench", [("user", "sup", "user.created", {"name": "主管", "role": "supervisor"})])
    store.close()
    return path


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def measure_view(path: Path) -> list[float]:
    """Seconds from each write to the live view showing it."""
    for key in [k for k in os.environ if k.startswith("CSDESK_")]:
        del os.environ[key]  # the app refuses settings it does not know (CSDESK_BENCH_*)
    os.environ["CSDESK_CONFIG"] = str(RESULTS / "none.toml")
    app = CsdeskApp(Launch(overrides={"demo_store_path": path, "user": "sup", "language": "en"}, demo=True))
    writer = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO)
    delays: list[float] = []
    async with app.run_test(size=(140, 40)) as pilot:
        while app.desk is None:
            if app.failure:
                raise SystemExit(app.failure)
            await pilot.pause(0.05)
        await pilot.press("f6")
        while not (isinstance(app.screen, LiveScreen) and app.screen.snapshot is not None):
            await pilot.pause(0.02)
        screen = app.screen
        table = screen.query_one("#live-waiting", KeyedTable)
        for n in range(ROUNDS):
            before = screen.snapshot.waiting_total
            await asyncio.to_thread(
                writer.create_ticket, "li.na", kind="complaint", channel="phone", subject=f"bench change {n}"
            )
            started = time.perf_counter()
            while not (screen.snapshot.waiting_total == before + 1 and table.shown.get("complaint:phone")):
                await pilot.pause(0.005)
            delays.append(time.perf_counter() - started)
            await pilot.pause(0.05 + (n % 5) * 0.1)  # land at different points of the poll cycle
    writer.close()
    return delays


def measure_baselines(path: Path, rounds: int = 20) -> tuple[list[float], list[float]]:
    """Seconds of the snapshot query through the store, and of the raw count."""
    store = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO)
    raw = sqlite3.connect(path)
    ours, theirs = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        store.reports.live("sup")
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw.execute(RAW_WAITING).fetchone()
        theirs.append(time.perf_counter() - started)
    store.close()
    raw.close()
    return ours, theirs


def main() -> None:
    """Prepare, measure, print, write JSON."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = prepare()
    delays = asyncio.run(measure_view(path))
    snapshot, raw = measure_baselines(path)
    ms = 1000
    result = {
        "benchmark": "live_view",
        "tickets": queue_filter.TICKETS,
        "rounds": ROUNDS,
        "change_to_view_p50_ms": round(statistics.median(delays) * ms, 1),
        "change_to_view_p95_ms": round(percentile(delays, 0.95) * ms, 1),
        "change_to_view_max_ms": round(max(delays) * ms, 1),
        "snapshot_query_median_ms": round(statistics.median(snapshot) * ms, 1),
        "raw_waiting_count_median_ms": round(statistics.median(raw) * ms, 2),
    }
    (RESULTS / "live_view.json").write_text(json.dumps(result, indent=2))
    path.unlink(missing_ok=True)
    for key, value in result.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
