"""Hostile files: CSV imports with bad bytes and hostile cells, knowledge-base files with broken or huge content.

Rule (README, intake import): each bad row is reported as ``line N: field: reason`` and,
by default, nothing is written; the file itself unusable -> one sentence, exit 2. KB files:
a broken article is reported by name and skipped; the others are indexed. Paths covered:
csv.intake_import, store.kb.reindex (see tests/hostile_corpus.py, INPUT_PATHS).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csdesk.data.store import Store
from tests.hostile_corpus import HOSTILE_BYTES, HOSTILE_FILE_NAMES, TEN_MB, assert_inert, texts
from tests.reliability.cli_inproc import run_inproc
from tests.store.conftest import event_count
from tests.store.test_roles_matrix import write_kb

HEADER = b"kind,channel,subject,customer_name\n"
GOOD = b"consultation,phone,Opening hours,Li Lei\n"


@pytest.mark.parametrize("name", list(HOSTILE_BYTES), ids=str)
def test_csv_with_bytes_that_are_not_text_names_the_line(store: Store, tmp_path: Path, name: str) -> None:
    """Bytes neither UTF-8 nor GB18030: refused naming line 3, nothing written; valid GB18030 bytes import inert."""
    data = HEADER + GOOD + b"complaint,phone,Fee " + HOSTILE_BYTES[name] + b",Wang\n" + GOOD
    csv = tmp_path / "bad.csv"
    csv.write_bytes(data)
    before = event_count(store)
    path = store.path
    store.close()
    result = run_inproc("--store", str(path), "--desk", "D01", "--user", "agent1", "intake", "import", str(csv))
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert_inert(output, "import report")
    try:
        data.decode("gb18030")
        readable = True  # README: GB18030 (Excel's Chinese CSV) is read when the file is not UTF-8
    except UnicodeDecodeError:
        readable = False
    reopened = Store.open(path, desk_id="D01")
    try:
        assert reopened.verify_audit().ok
        if readable:
            assert result.returncode == 0, output
            assert all(row.subject.isprintable() for row in reopened.list_tickets("agent1"))
        else:
            assert result.returncode in (1, 2), output
            assert "line 3" in output or result.returncode == 2, output
            assert event_count(reopened) == before
    finally:
        reopened.close()


def test_csv_with_every_hostile_text_in_every_cell(store: Store, tmp_path: Path) -> None:
    """Escapes, bidi, SQL, FTS syntax, far dates in cells: imported inert or refused by line; the store stays whole."""
    import csv as csvlib

    csv = tmp_path / "hostile.csv"
    with csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csvlib.writer(handle)
        writer.writerow(["kind", "channel", "subject", "description", "customer_name"])
        for name, text in texts(huge=False):
            if name in ("lone_surrogate", "nul"):  # not encodable / a binary file: see the tests around
                continue
            writer.writerow(["consultation", "phone", text[:300] or "x", text, text[:50] or "Name"])
            writer.writerow([text[:30], text[:30], "Subject", "", "Name"])
        writer.writerow(["consultation", "phone", "Huge", "x" * TEN_MB, "Name"])
    path = store.path
    store.close()
    result = run_inproc("--store", str(path), "--desk", "D01", "--user", "agent1", "intake", "import", "--partial",
                        str(csv))
    assert result.returncode == 1, result.stderr[:500]
    assert_inert(result.stdout + result.stderr, "import report")
    reopened = Store.open(path, desk_id="D01")
    try:
        for row in reopened.list_tickets("agent1", limit=1000):
            assert_inert(row.subject, "imported subject")
            assert_inert(row.customer_name or "", "imported name")
        assert reopened.verify_audit().ok
    finally:
        reopened.close()


def test_csv_with_nul_is_refused_as_binary(store: Store, tmp_path: Path) -> None:
    """A NUL byte makes the file binary: one sentence, exit 2, nothing written."""
    csv = tmp_path / "nul.csv"
    csv.write_bytes(HEADER + b"consultation,phone,a\x00b,Li\n")
    path = store.path
    before = event_count(store)
    store.close()
    result = run_inproc("--store", str(path), "--desk", "D01", "--user", "agent1", "intake", "import", str(csv))
    assert result.returncode == 2 and "binary" in result.stderr
    reopened = Store.open(path, desk_id="D01")
    try:
        assert event_count(reopened) == before
    finally:
        reopened.close()


def _article(front: str, body: str = "## Script\nAnswer.\n") -> str:
    return f"---\n{front}\n---\n{body}"


BROKEN_ARTICLES = {
    "no_front_matter.md": "Just text, no front matter.\n",
    "unclosed.md": "---\nid: unclosed\ntitle: x\n",
    "bad_yaml.md": _article("id: [unclosed\ntitle: {{"),
    "not_mapping.md": _article("- a\n- b"),
    "bad_id.md": _article("id: ../../etc/passwd\ntitle: x\naudience: agent"),
    "bad_audience.md": _article("id: bad-audience\ntitle: x\naudience: root"),
    "yaml_bomb.md": _article('id: bomb\ntitle: &a ["x","x"]\ntags: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\naudience: agent'),
    "escapes.md": _article("id: escapes\ntitle: \"\\e[31mRed\\e]0;owned\\a\"\nbusiness: deposit\naudience: agent",
                           "## Script\n\x1b[2J\u202eevil\x00\n"),
    "huge.md": _article("id: huge\ntitle: Huge\nbusiness: deposit\naudience: agent", "## Script\n" + "长" * TEN_MB),
    "binary.md": "\udcff\udcfe",
}


def test_broken_and_hostile_kb_files_are_reported_and_skipped(store: Store, tmp_path: Path) -> None:
    """Every broken article is named in the report; good ones are indexed; what is indexed is inert."""
    kb = write_kb(tmp_path / "kb")
    for name, content in BROKEN_ARTICLES.items():
        (kb / "en" / name).write_bytes(content.encode("utf-8", "surrogateescape"))
    for index, trick in enumerate(HOSTILE_FILE_NAMES):
        safe = trick.replace("/", "_").replace("\x00", "_")[:200]
        (kb / "en" / f"{index}-{safe}").write_text(_article(f"id: trick-{index}\ntitle: Trick\naudience: agent"))
    before = event_count(store)
    report = store.kb.reindex(kb)
    assert report.added >= 3
    named = " ".join(report.errors)
    for name in ("no_front_matter.md", "unclosed.md", "bad_yaml.md", "not_mapping.md", "bad_id.md", "bad_audience.md",
                 "huge.md", "binary.md"):
        assert name in named, (name, report.errors)
    assert_inert(named, "reindex report")
    assert event_count(store) == before
    for hit in store.kb.search("agent1", "Red evil Answer Trick Huge", language="en"):
        assert_inert(hit.title + hit.snippet, "search hit")
        article = store.kb.get("agent1", hit.id, "en")
        assert_inert(article.title + article.body, "article")
