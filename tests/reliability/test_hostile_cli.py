"""Hostile text through the command line: a clear one-sentence error or inert output, never a traceback.

Paths covered: cli.intake_add, cli.kb_search, cli.queue_list (see tests/hostile_corpus.py,
INPUT_PATHS). A refused command writes nothing (event count and audit chain unchanged).
"""

from __future__ import annotations

import pytest

from csdesk.data.store import Store
from tests.hostile_corpus import assert_inert, texts
from tests.reliability.cli_inproc import run_inproc
from tests.store.conftest import event_count

#: path -> the command with the hostile text in place of "{t}".
COMMANDS: dict[str, tuple[str, ...]] = {
    "cli.intake_add": ("intake", "add", "--kind", "complaint", "--channel", "phone", "--subject", "{t}",
                       "--description", "{t}", "--customer-name", "{t}"),
    "cli.intake_add.kind": ("intake", "add", "--kind", "{t}", "--channel", "phone", "--subject", "x",
                            "--customer-name", "X"),
    "cli.kb_search": ("kb", "search", "{t}", "--json"),
    "cli.queue_list": ("queue", "list", "--text", "{t}"),
    "cli.queue_list.kind": ("queue", "list", "--kind", "{t}", "--json"),
}


@pytest.mark.parametrize("command", list(COMMANDS), ids=str)
def test_hostile_text_through_the_cli(store: Store, command: str) -> None:
    """Every corpus text (10 MB included): exit 0 with inert output, or exit 1/2 with one inert sentence."""
    path = store.path
    store.close()
    codes = set()
    for name, text in texts():
        reader = Store.open(path, desk_id="D01")
        before = event_count(reader)
        reader.close()
        args = tuple(a.replace("{t}", text) for a in COMMANDS[command])
        result = run_inproc("--store", str(path), "--desk", "D01", "--user", "agent1", *args)
        codes.add(result.returncode)
        assert result.returncode in (0, 1, 2), (name, result.returncode)
        assert "Traceback" not in result.stderr, (name, result.stderr[-500:])
        assert_inert(result.stdout, f"{command} stdout for {name}")
        assert_inert(result.stderr, f"{command} stderr for {name}")
        if result.returncode:
            assert result.stderr.startswith("csdesk: ") and len(result.stderr) < 1000, (name, result.stderr[:300])
            reader = Store.open(path, desk_id="D01")
            try:
                assert event_count(reader) == before, f"{command} refused {name} but wrote events"
            finally:
                reader.close()
    reader = Store.open(path, desk_id="D01")
    try:
        assert reader.verify_audit().ok
    finally:
        reader.close()
    assert codes - {0} or command in ("cli.kb_search", "cli.queue_list"), "nothing was refused: the test proves little"
