"""Startup benchmark: time to the first painted frame, csdesk vs a bare Textual app.

Both run in a real pseudo-terminal, in the same run, alternately, and exit right after
their first frame (``CSDESK_EXIT_AFTER=first-paint``). csdesk runs on a seeded demo
store. A second figure, time until the queue is ready (store opened, rows shown), is
reported beside it. Results are printed and written to ``bench/results/startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_RATIO = 1.3


def run_in_pty(argv: list[str], env: dict[str, str], timeout: float = 60.0, marker: bytes | None = None) -> float:
    """Wall time of ``argv`` run in a pseudo-terminal until it exits.

    With ``marker``: the time until those bytes first reach the terminal (what the user
    sees), not counting the process's shutdown; the process is still waited for.
    """
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], argv, env)
    deadline = started + timeout
    reaped = False
    seen: float | None = None
    tail = b""
    try:
        while not reaped:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                    if marker is not None and seen is None:
                        tail = tail[-len(marker) :] + chunk
                        if marker in tail:
                            seen = time.perf_counter() - started
                except OSError:  # the terminal closed: the child is exiting
                    os.waitpid(pid, 0)
                    reaped = True
                    break
            reaped = os.waitpid(pid, os.WNOHANG)[0] != 0
            if not reaped and time.perf_counter() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise TimeoutError(f"{argv} did not exit within {timeout} s")
        elapsed = time.perf_counter() - started
    finally:
        os.close(fd)
    if marker is not None:
        if seen is None:
            raise RuntimeError(f"{marker!r} never reached the terminal")
        return seen
    return elapsed


def main() -> None:
    """Measure, print and write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="csdesk-bench-"))
    store = work / "demo.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSDESK_")}
    env.update(
        TERM="xterm-256color",
        COLUMNS="120",
        LINES="36",
        CSDESK_CONFIG=str(work / "none.toml"),
        CSDESK_DEMO_STORE_PATH=str(store),
    )
    csdesk = [sys.executable, "-m", "csdesk", "demo"]
    bare = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
    print("Seeding the demo store…", flush=True)
    subprocess.run([*csdesk, "--no-launch"], env=env, check=True, capture_output=True)

    paint_env = {**env, "CSDESK_EXIT_AFTER": "first-paint"}
    ready_env = {**env, "CSDESK_EXIT_AFTER": "ready"}
    run_in_pty(bare, paint_env)  # warm the file cache for both
    run_in_pty(csdesk, paint_env)
    bare_times, app_times, ready_times = [], [], []
    for _ in range(args.runs):
        bare_times.append(run_in_pty(bare, paint_env))
        app_times.append(run_in_pty(csdesk, paint_env))
        ready_times.append(run_in_pty(csdesk, ready_env))

    bare_median = statistics.median(bare_times)
    app_median = statistics.median(app_times)
    ratio = app_median / bare_median
    result = {
        "benchmark": "startup",
        "runs": args.runs,
        "bare_textual_first_paint_s": round(bare_median, 4),
        "csdesk_first_paint_s": round(app_median, 4),
        "csdesk_queue_ready_s": round(statistics.median(ready_times), 4),
        "first_paint_ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
        "samples": {"bare": bare_times, "csdesk": app_times, "ready": ready_times},
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2))
    print(f"bare Textual app, first paint : {bare_median * 1000:7.0f} ms (median of {args.runs})")
    print(f"csdesk, first paint           : {app_median * 1000:7.0f} ms")
    print(f"csdesk, queue ready           : {result['csdesk_queue_ready_s'] * 1000:7.0f} ms")
    print(f"ratio                         : {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    print(f"written to {RESULTS / 'startup.json'}")


if __name__ == "__main__":
    main()
