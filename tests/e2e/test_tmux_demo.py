"""End to end: the real ``csdesk`` binary in tmux, read back from the screen."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

CSDESK = Path(sys.executable).parent / "csdesk"
pytestmark = pytest.mark.e2e


class Tmux:
    """One tmux server of our own (its own socket), one session."""

    def __init__(self, tmp: Path) -> None:
        assert shutil.which("tmux"), "tmux is installed by scripts/ensure-postgres.sh (make test)"
        self.socket = f"csdesk-e2e-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], check=True, capture_output=True, text=True
        ).stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # COLUMNS/LINES inherited from the test runner would override the pane's real size.
        script = f"env -u COLUMNS -u LINES {exports} {command}; echo CSDESK-EXIT=$?; sleep 60"
        # Size the window first, then start the program in it: a program started with the
        # session may see tmux's default 80x24 before the size applies.
        self.tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "36", "sleep 600")
        self.tmux("set-option", "-t", "e2e", "window-size", "manual")
        self.tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "36")
        self.tmux("respawn-pane", "-k", "-t", "e2e", script)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def wait_for(self, text: str, timeout: float = 90.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def demo_env(tmp_path: Path) -> dict[str, str]:
    """A demo store of the test's own, no settings file, a plain PATH."""
    return {
        "CSDESK_CONFIG": str(tmp_path / "none.toml"),
        "CSDESK_DEMO_STORE_PATH": str(tmp_path / "demo.sqlite3"),
        "TERM": "xterm-256color",
        "PATH": "/usr/bin:/bin",
    }


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path)
    yield session
    session.close()


def test_demo_opens_seeded_switches_language_and_quits(tmux: Tmux, tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    tmux.start(f"{CSDESK} demo --tickets 150 --customers 40", env)
    screen = tmux.wait_for("演示模式")  # the DEMO banner
    assert "席位 DEMO" in screen
    screen = tmux.wait_for("DEMO-0")  # ticket references of the demo desk, once rows are in
    assert "张工单" in screen
    tmux.keys("C-l")
    screen = tmux.wait_for("training data only")
    assert "Desk DEMO" in screen
    tmux.keys("/")
    time.sleep(0.4)
    tmux.keys("-l", "zz no such ticket")
    tmux.wait_for("No tickets match")
    tmux.keys("C-q")
    screen = tmux.wait_for("CSDESK-EXIT=")
    assert "CSDESK-EXIT=0" in screen


def test_bad_settings_give_one_sentence_and_exit_2(tmux: Tmux, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('langauge = "en"\n')
    tmux.start(f"{CSDESK} --config {config} --store {tmp_path / 'desk.sqlite3'}", {"PATH": "/usr/bin:/bin"})
    screen = tmux.wait_for("CSDESK-EXIT=")
    assert "Unknown setting 'langauge'" in screen
    assert "CSDESK-EXIT=2" in screen
    assert "Traceback" not in screen


def test_record_a_contact_and_find_it_in_the_queue(tmux: Tmux, tmp_path: Path) -> None:
    env = demo_env(tmp_path)
    tmux.start(f"{CSDESK} demo --tickets 60 --customers 20 --lang en", env)
    tmux.wait_for("DEMO-0")
    tmux.keys("n")
    tmux.wait_for("Or a new customer")
    time.sleep(0.4)
    tmux.keys("-l", "13700001234")  # no such customer: Enter starts a new one with this phone
    tmux.wait_for("No customer matches")
    for keys in (["Enter"], ["-l", "E2E Customer"], ["Enter"], ["Enter"], ["Enter"], ["Enter"]):
        tmux.keys(*keys)  # search -> new name -> phone -> ID -> card -> subject, as a person types
        time.sleep(0.4)
    tmux.keys("-l", "e2e lost card report")
    time.sleep(0.4)
    tmux.keys("C-s")
    tmux.wait_for("Recorded DEMO-")
    screen = tmux.wait_for("E2E Customer")
    assert "e2e lost" in screen, screen
    tmux.keys("/")
    time.sleep(0.4)
    tmux.keys("-l", "e2e lost")
    tmux.wait_for("Tickets: 1")
    tmux.wait_for("e2e lost card")  # the count lands first, the row right after
    tmux.keys("C-q")
    assert "CSDESK-EXIT=0" in tmux.wait_for("CSDESK-EXIT=")
