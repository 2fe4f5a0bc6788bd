"""Sync benchmark: push + pull of 100k events vs a raw COPY, and A -> B latency via LISTEN/NOTIFY.

Runs on a throwaway PostgreSQL.

In the same run:
- raw baseline: ``COPY ... FROM STDIN`` of the 100k event rows into a plain table, then
  ``COPY ... TO STDOUT`` of them back;
- csdesk: ``push`` of desk A's 100k events (hash checks, batches, ``COPY`` into the shared
  log with the staged ON CONFLICT path on refusal, the server-side projection trigger,
  local acks) and ``pull`` into desk B (fetch by the xid8 cursor one page ahead, checks,
  apply into SQLite, the cursor saved with each page);
  inside the pull, the time spent applying pages is measured apart from the fetching,
  and a fetch-only pass is timed as well;
- the bar: push + pull (fetch + apply) <= 3 x (raw COPY in + raw COPY out); the JSON
  has the full ratio and each part's share of the baseline;
- the floor: the same rows with none of sync's work, only the writes its constraints
  require: a binary ``COPY`` into a copy of the shared ``events`` table with its indexes
  (the UNIQUE(event_id), UNIQUE(desk_id, desk_seq) and cursor indexes the design needs, no
  trigger), a ``COPY`` out in cursor order, and one ``executemany`` into the desk's
  local log (its own indexes), with no check, fold or projection;
- latency (on a database of its own): desk A and desk B each run the background sync
  worker; a note written on A is timed until B has applied it, 40 samples, p50 / p95.
Writes ``bench/results/sync.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from csdesk.data.batch_apply import log_events  # noqa: E402
from csdesk.data.eventlog import FIELDS, EventData  # noqa: E402
from csdesk.data.store import PlannedEvent, Store  # noqa: E402
from csdesk.data.sync_ledger import Cursor, problem_with  # noqa: E402
from csdesk.domain.clock import FrozenClock, SystemClock  # noqa: E402
from csdesk.domain.uuid7 import uuid7  # noqa: E402
from csdesk.sync.engine import SyncWorker  # noqa: E402
from csdesk.sync.pull import DEFAULT_PAGE, fetch_page, pull  # noqa: E402
from csdesk.sync.push import COPY_EVENTS, COPY_TYPES, push  # noqa: E402
from csdesk.sync.schema import init_shared  # noqa: E402
from csdesk.sync.server import connect  # noqa: E402
from tests.pg_server import ThrowawayPostgres  # noqa: E402

RESULTS = ROOT / "bench" / "results"
EVENTS = int(os.environ.get("CSDESK_BENCH_SYNC_EVENTS", "100000"))
WITH_LATENCY = os.environ.get("CSDESK_BENCH_SYNC_LATENCY", "1") != "0"
TARGET_RATIO = 3.0
SAMPLES = 40
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def build_desk(path: Path) -> None:
    """Desk A with EVENTS events: tickets created, assigned, opened and noted (4 events each)."""
    store = Store.open(path, desk_id="A", clock=FrozenClock(NOW))
    start = NOW - timedelta(days=30)
    planned = [PlannedEvent(start, "sup", "user", "sup", "user.created", {"name": "孙主管", "role": "supervisor"})]
    step = timedelta(days=30) / EVENTS
    for n in range((EVENTS - 1) // 4):
        at = start + step * 4 * n
        tid = uuid7(FrozenClock(at))
        created = {"ref": f"A-{n:06d}", "kind": "consultation", "channel": "phone", "priority": "normal",
                   "subject": f"信用卡年费咨询 {n}", "description": ""}
        planned += [
            PlannedEvent(at, "sup", "ticket", tid, "ticket.created", created),
            PlannedEvent(at + step, "sup", "ticket", tid, "ticket.assigned", {"assignee_id": "sup"}),
            PlannedEvent(at + step * 2, "sup", "ticket", tid, "ticket.status_changed", {"from": "new", "to": "open"}),
            PlannedEvent(at + step * 3, "sup", "ticket", tid, "ticket.note_added",
                         {"note_id": uuid7(FrozenClock(at)), "body": "客户已回电 called back"}),
        ]
    store.write_planned(planned, batch=5000)
    store.close()


def cached_desk_is_current(path: Path) -> bool:
    """False when the cached desk was written by an older csdesk (its events no longer verify)."""
    store = Store.open(path, desk_id="A", clock=FrozenClock(NOW))
    try:
        first = store.sync.pending(1)
        return bool(first) and problem_with(first[0]) is None
    finally:
        store.close()


class TimedApply:
    """Wraps ``store.sync.apply_pulled`` to add up the seconds spent applying pulled pages."""

    def __init__(self, store: Store) -> None:
        self.seconds = 0.0
        self._apply = store.sync.apply_pulled
        store.sync.apply_pulled = self  # type: ignore[method-assign]

    def __call__(self, *args: object, **kwargs: object) -> object:
        """Apply a page, timed."""
        t0 = time.perf_counter()
        try:
            return self._apply(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            self.seconds += time.perf_counter() - t0


def raw_copy(url: str, rows: list[tuple]) -> tuple[float, float]:
    """Seconds to COPY the rows into a plain table and back out."""
    cols = ", ".join(FIELDS)
    with psycopg.connect(url) as conn:
        conn.execute(f"CREATE TABLE raw_events AS SELECT {cols} FROM events WITH NO DATA")
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY raw_events ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        copy_in = time.perf_counter() - t0
        t0 = time.perf_counter()
        count = 0
        with conn.cursor() as cur, cur.copy(f"COPY raw_events ({cols}) TO STDOUT") as copy:
            for _ in copy.rows():
                count += 1
        copy_out = time.perf_counter() - t0
        assert count == len(rows)
    return copy_in, copy_out


def floor(url: str, events: list[EventData], work: Path) -> dict[str, float]:
    """Seconds of the writes sync cannot avoid, with none of its checks, fold or projection."""
    seconds: dict[str, float] = {}
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE floor_events (LIKE events INCLUDING ALL)")  # indexes, not the trigger
        conn.commit()
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(COPY_EVENTS.replace("COPY events", "COPY floor_events")) as copy:
            copy.set_types(COPY_TYPES)
            for ev in events:
                copy.write_row((*(getattr(ev, name) for name in FIELDS), None))
        conn.commit()
        seconds["floor_copy_in_indexed_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(
            "COPY (SELECT * FROM floor_events ORDER BY xid, server_seq) TO STDOUT"
        ) as copy:
            count = sum(1 for _ in copy.rows())
        seconds["floor_copy_out_cursor_s"] = time.perf_counter() - t0
        assert count == len(events)
    store = Store.open(work / "floor.sqlite3", desk_id="F", clock=FrozenClock(NOW))
    try:
        with store._lock, store.sync._writer() as conn, conn.begin():
            t0 = time.perf_counter()
            log_events(conn, events)
        seconds["floor_local_log_s"] = time.perf_counter() - t0
    finally:
        store.close()
    return seconds


def fetch_only(url: str) -> float:
    """Seconds to read every event by the pull cursor without applying it."""
    t0 = time.perf_counter()
    cursor, n = Cursor(), 0
    with psycopg.connect(url) as conn:
        while True:
            rows = fetch_page(conn, cursor, DEFAULT_PAGE)
            if not rows:
                break
            n += len(rows)
            cursor = Cursor(int(rows[-1][0]), rows[-1][1])
    assert n > 0
    return time.perf_counter() - t0


def latency(url: str, work: Path) -> list[float]:
    """A -> B seconds for SAMPLES notes written on A while both desks run the sync worker."""
    a = Store.open(work / "la.sqlite3", desk_id="LA", clock=SystemClock())
    b = Store.open(work / "lb.sqlite3", desk_id="LB", clock=SystemClock())
    a.add_user(None, "sup", "Sun", "supervisor")
    ticket = a.create_ticket("sup", kind="consultation", channel="phone", subject="latency")
    seen: dict[str, float] = {}
    wanted = threading.Event()
    target: list[str] = [""]

    def on_b_status(_status: object) -> None:
        note = target[0]
        if note and note not in seen and b.get_ticket("sup", ticket.id).notes and any(
            n.body.endswith(note) for n in b.get_ticket("sup", ticket.id).notes
        ):
            seen[note] = time.perf_counter()
            wanted.set()

    workers = [SyncWorker(a, url), SyncWorker(b, url, on_status=on_b_status)]
    threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while not b.list_users() and time.monotonic() < deadline:
        time.sleep(0.05)
    samples = []
    for i in range(SAMPLES):
        wanted.clear()
        target[0] = f"ping-{i:03d}"
        t0 = time.perf_counter()
        a.add_note("sup", ticket.id, target[0])
        if wanted.wait(10):
            samples.append(seen[target[0]] - t0)
        time.sleep(0.1)
    for worker in workers:
        worker.stop()
    for thread in threads:
        thread.join(10)
    a.close()
    b.close()
    return samples


def main() -> None:
    """Run everything and write the JSON."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    cached = RESULTS / f"sync_desk_{EVENTS}.sqlite3"
    if cached.exists() and not cached_desk_is_current(cached):
        cached.unlink()
    if not cached.exists():
        print(f"building desk A with {EVENTS} events (cached in {cached.name})...")
        partial = cached.with_suffix(".building")
        partial.unlink(missing_ok=True)
        build_desk(partial)
        partial.rename(cached)  # only a complete store is ever reused
    work = Path(tempfile.mkdtemp(prefix="csdesk-bench-sync-"))
    try:
        shutil.copyfile(cached, work / "a.sqlite3")
        a = Store.open(work / "a.sqlite3", desk_id="A", clock=FrozenClock(NOW))
        b = Store.open(work / "b.sqlite3", desk_id="B", clock=FrozenClock(NOW))
        events = a.sync.pending(EVENTS + 10)
        rows = [tuple(getattr(ev, f) for f in FIELDS) for ev in events]
        with ThrowawayPostgres() as pg:
            with psycopg.connect(pg.url_for("postgres"), autocommit=True) as admin:
                admin.execute("CREATE DATABASE latency")
            init_shared(pg.url_for("latency"))
            lat = latency(pg.url_for("latency"), work) if WITH_LATENCY else []  # own database: no backlog
            init_shared(pg.url)
            with connect(pg.url) as conn:
                t0 = time.perf_counter()
                pushed = push(conn, a, batch=5000).pushed
                push_s = time.perf_counter() - t0
            fetch_s = fetch_only(pg.url)
            timed = TimedApply(b)
            with connect(pg.url) as conn:
                t0 = time.perf_counter()
                pulled = pull(conn, b)
                pull_s = time.perf_counter() - t0
            apply_s = timed.seconds
            copy_in, copy_out = raw_copy(pg.url, rows)
            floors = floor(pg.url, events, work)
        a.close()
        b.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    baseline = copy_in + copy_out
    floor_s = sum(floors.values())
    p95 = statistics.quantiles(lat, n=20)[18] if len(lat) >= 2 else float("nan")
    result = {
        "benchmark": "sync",
        "events": len(rows),
        "pushed": pushed,
        "pulled_applied": pulled.applied,
        "pull_pages": pulled.pages,
        "pull_pages_one_by_one": pulled.pages_one_by_one,
        "raw_copy_in_s": round(copy_in, 3),
        "raw_copy_out_s": round(copy_out, 3),
        "raw_copy_in_out_s": round(baseline, 3),
        "push_s": round(push_s, 3),
        "pull_s": round(pull_s, 3),
        "pull_fetch_s": round(pull_s - apply_s, 3),
        "pull_apply_s": round(apply_s, 3),
        "fetch_only_s": round(fetch_s, 3),
        "ratio_push_pull_vs_copy": round((push_s + pull_s) / baseline, 2),
        "ratio_target": TARGET_RATIO,
        "ratio_met": (push_s + pull_s) / baseline <= TARGET_RATIO,
        "ratio_part_push": round(push_s / baseline, 2),
        "ratio_part_fetch": round((pull_s - apply_s) / baseline, 2),
        "ratio_part_apply": round(apply_s / baseline, 2),
        "push_vs_copy_in": round(push_s / copy_in, 2),
        "fetch_vs_copy_out": round(fetch_s / copy_out, 2),
        "transfer_ratio_vs_copy": round((push_s + fetch_s) / baseline, 2),
        **{key: round(value, 3) for key, value in floors.items()},
        "floor_s": round(floor_s, 3),
        "floor_ratio_vs_copy": round(floor_s / baseline, 2),
        "latency_samples": len(lat),
        "latency_p50_s": round(statistics.median(lat), 3) if lat else None,
        "latency_p95_s": round(p95, 3) if lat else None,
        "latency_max_s": round(max(lat), 3) if lat else None,
    }
    (RESULTS / "sync.json").write_text(json.dumps(result, indent=2))
    for key, value in result.items():
        print(f"{key:30} {value}")


if __name__ == "__main__":
    main()
