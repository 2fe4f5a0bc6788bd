"""Queue benchmark on a 100k-ticket store: filter-as-you-type vs the raw SQLite query, and memory.

Builds (once, cached under bench/results/) a demo store with 100,000 tickets written as
events through the store, then measures, in the same run:
- keystroke -> filtered window: ``Store.count_tickets`` + ``Store.list_tickets`` (one page)
  for a sequence of typed prefixes, against the same SQL run raw with ``sqlite3``;
- time until the queue's first row reaches the terminal (the start-up preview read with
  plain sqlite3) against the bare app's text reaching it; time to a usable desk (``ready``:
  store open, signed in); peak memory against a bare Textual app (all in a pseudo-terminal).
Writes ``bench/results/queue_filter.json``.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import run_in_pty

from csdesk.data.api import StoreMode, TicketQuery
from csdesk.data.store import PlannedEvent, Store
from csdesk.domain.clock import FrozenClock
from csdesk.domain.uuid7 import uuid7

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TICKETS = int(os.environ.get("CSDESK_BENCH_TICKETS", "100000"))
PAGE = 200
TYPED = ["信", "信用", "信用卡", "信用卡年", "信用卡年费", "t", "tr", "tra", "tran", "trans", "DEMO-0012"]
SUBJECTS = [
    "信用卡年费咨询", "银行卡挂失", "转账失败", "基金赎回到账时间", "手机银行无法登录", "贷款审批进度",
    "transfer limit question", "lost card", "fund redemption delay", "annual fee complaint",
]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def build_store(path: Path) -> None:
    """Write customers, users and TICKETS tickets as events (created; a third assigned and opened)."""
    rng = random.Random(11)
    store = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO, clock=FrozenClock(NOW))
    start = NOW - timedelta(days=365)
    events: list[PlannedEvent] = [
        PlannedEvent(start, "li.na", "user", "li.na", "user.created", {"name": "李娜", "role": "agent"}),
    ]
    customers = []
    for n in range(TICKETS // 5):
        cid = uuid7(FrozenClock(start))
        customers.append(cid)
        payload = {"name": f"客户{n:05d}", "phone": f"13{n % 10}{n:08d}", "vip": n % 20 == 0}
        events.append(PlannedEvent(start, "li.na", "customer", cid, "customer.created", payload))
    step = timedelta(days=365) / TICKETS
    for n in range(TICKETS):
        at = start + step * (n + 1)
        tid = uuid7(FrozenClock(at))
        payload = {
            "ref": f"DEMO-{n + 1:06d}",
            "kind": rng.choice(["consultation", "complaint", "business", "suggestion", "callback"]),
            "channel": rng.choice(["phone", "chat", "email", "social", "walk_in"]),
            "priority": rng.choice(["normal"] * 8 + ["high", "urgent"]),
            "subject": f"{rng.choice(SUBJECTS)} #{n}",
            "customer_id": rng.choice(customers),
        }
        events.append(PlannedEvent(at, "li.na", "ticket", tid, "ticket.created", payload))
        if n % 3 == 0:
            later = at + timedelta(minutes=5)
            events.append(PlannedEvent(later, "li.na", "ticket", tid, "ticket.assigned", {"assignee_id": "li.na"}))
            events.append(PlannedEvent(later, "li.na", "ticket", tid, "ticket.status_changed", {"to": "open"}))
    events.sort(key=lambda e: e.at)
    started = time.perf_counter()
    store.write_planned(events, batch=5000)
    print(f"built {TICKETS:,} tickets ({len(events):,} events) in {time.perf_counter() - started:.0f} s")
    store.close()


RAW_COUNT = (
    "SELECT count(*) FROM ticket LEFT JOIN customer ON customer.id = ticket.customer_id "
    "WHERE ticket.status IN ('new','open','waiting_customer','waiting_department') AND "
    "(ticket.subject LIKE ? ESCAPE '\\' OR ticket.ref LIKE ? ESCAPE '\\' OR customer.name LIKE ? ESCAPE '\\')"
)
RAW_PAGE = (
    "SELECT ticket.*, customer.name, customer.vip, assignee.name FROM ticket "
    "LEFT JOIN customer ON customer.id = ticket.customer_id LEFT JOIN user AS assignee ON assignee.id = "
    "ticket.assignee_id WHERE ticket.status IN ('new','open','waiting_customer','waiting_department') AND "
    "(ticket.subject LIKE ? ESCAPE '\\' OR ticket.ref LIKE ? ESCAPE '\\' OR customer.name LIKE ? ESCAPE '\\') "
    "ORDER BY ticket.created_at DESC, ticket.rowid DESC LIMIT ? OFFSET 0"
)


def measure_filter(path: Path, rounds: int = 5) -> dict[str, float]:
    """Median and max of store vs raw, per typed prefix, over ``rounds`` rounds."""
    store = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO, clock=FrozenClock(NOW))
    raw = sqlite3.connect(path)
    statuses = ("new", "open", "waiting_customer", "waiting_department")
    ours, theirs = [], []
    for _ in range(rounds):
        for text in TYPED:
            query = TicketQuery(text=text, statuses=statuses)
            started = time.perf_counter()
            store.count_tickets("li.na", query)
            store.list_tickets("li.na", query, 0, PAGE)
            ours.append(time.perf_counter() - started)
            like = f"%{text}%"
            started = time.perf_counter()
            raw.execute(RAW_COUNT, (like, like, like)).fetchone()
            raw.execute(RAW_PAGE, (like, like, like, PAGE)).fetchall()
            theirs.append(time.perf_counter() - started)
    store.close()
    raw.close()
    overhead = [a - b for a, b in zip(ours, theirs, strict=True)]
    return {
        "store_median_ms": statistics.median(ours) * 1000,
        "store_max_ms": max(ours) * 1000,
        "raw_median_ms": statistics.median(theirs) * 1000,
        "raw_max_ms": max(theirs) * 1000,
        "overhead_median_ms": statistics.median(overhead) * 1000,
        "overhead_max_ms": max(overhead) * 1000,
    }


def peak_rss_mb(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run of ``argv`` in a pty; RSS from a fresh child's rusage."""
    pid = os.fork()
    if pid == 0:
        seconds = run_in_pty(argv, env)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        with Path(env["CSDESK_BENCH_OUT"]).open("w") as out:
            json.dump({"seconds": seconds, "rss_kb": usage.ru_maxrss}, out)
        os._exit(0)
    os.waitpid(pid, 0)
    data = json.loads(Path(env["CSDESK_BENCH_OUT"]).read_text())
    return data["seconds"], data["rss_kb"] / 1024


def main() -> None:
    """Build if needed, measure, print, write JSON."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"queue-{TICKETS}.sqlite3"
    if not path.exists():
        build_store(path)
    filt = measure_filter(path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSDESK_")}
    env.update(
        TERM="xterm-256color",
        CSDESK_CONFIG=str(RESULTS / "none.toml"),
        CSDESK_DEMO_STORE_PATH=str(path),
        CSDESK_BENCH_OUT=str(RESULTS / "rss.json"),
    )
    bare = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
    app = [sys.executable, "-m", "csdesk", "demo"]
    bare_runs = [peak_rss_mb(bare, {**env, "CSDESK_EXIT_AFTER": "first-paint"}) for _ in range(3)]
    app_runs = [peak_rss_mb(app, {**env, "CSDESK_EXIT_AFTER": "ready"}) for _ in range(3)]
    newest = f"DEMO-{TICKETS:06d}".encode()  # the queue's first row: on screen means painted
    paint_runs = [
        (run_in_pty(app, {**env, "CSDESK_EXIT_AFTER": "queue-paint"}, marker=newest), 0.0) for _ in range(5)
    ]
    bare_seen = [run_in_pty(bare, {**env, "CSDESK_EXIT_AFTER": "first-paint"}, marker=b"bare textual app")
                 for _ in range(5)]
    result = {
        "benchmark": "queue_filter",
        "tickets": TICKETS,
        "typed_prefixes": TYPED,
        **{k: round(v, 1) for k, v in filt.items()},
        "bare_first_paint_s": round(statistics.median(s for s, _ in bare_runs), 3),
        "app_queue_painted_s": round(statistics.median(s for s, _ in paint_runs), 3),
        "app_queue_ready_s": round(statistics.median(s for s, _ in app_runs), 3),
        "bare_peak_rss_mb": round(statistics.median(m for _, m in bare_runs), 1),
        "app_peak_rss_mb": round(statistics.median(m for _, m in app_runs), 1),
    }
    result["memory_ratio"] = round(result["app_peak_rss_mb"] / result["bare_peak_rss_mb"], 2)
    result["bare_text_on_screen_s"] = round(statistics.median(bare_seen), 3)
    result["queue_paint_ratio"] = round(result["app_queue_painted_s"] / result["bare_text_on_screen_s"], 2)
    (RESULTS / "queue_filter.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for key, value in result.items():
        if key != "typed_prefixes":
            print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
