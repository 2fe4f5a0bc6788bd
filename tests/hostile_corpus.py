"""Hostile input for every input path: terminal escapes, bidi tricks, NUL, huge text, bad bytes, ...

Each test that feeds an input path iterates :func:`texts` (or the byte, file-name, query
and date lists) and checks the outcome is a clear :class:`~csdesk.domain.errors.CsdeskError`
or an inert render (:func:`assert_inert`), never a crash and never a partial write.
:data:`INPUT_PATHS` lists every input path and the test module that covers it; a room
that adds an input path adds a line there (``tests/reliability/test_input_paths.py``
fails when a listed module does not name its path).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

TEN_MB = 10 * 1024 * 1024

#: name -> hostile text (the 10 MB string is made on demand by :func:`texts`).
HOSTILE_TEXT: dict[str, str] = {
    "csi_colour": "\x1b[31mRED\x1b[0m 正文",
    "csi_clear_screen": "\x1b[2J\x1b[H\x1b[?1049h",
    "csi_8bit": "\x9b31mred\x9b0m",
    "osc_title": "\x1b]0;owned\x07标题",
    "osc8_link": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "osc_unterminated": "\x1b]52;c;SGVsbG8=",
    "dcs": "\x1bP+q544e\x1b\\",
    "bidi_override": "invoice\u202egpj.exe",
    "bidi_isolates": "\u2066abc\u2069\u2067def\u2069\u200f",
    "nul": "a\x00b\x00",
    "c0_controls": "".join(chr(c) for c in range(1, 32)) + "\x7f",
    "zero_width": "pay\u200bpal\u200c\u200d\u2060\ufeff",
    "lone_surrogate": "bad\ud800half",
    "crlf": "line1\r\nline2\rline3",
    "rich_markup": "[bold red]alarm[/] [link=http://x]y[/link] [@click=app.quit]q[/]",
    "fts_syntax": '"unbalanced NEAR(a b) OR * AND NOT ^col:term (',
    "fts_operators": "AND OR NOT",
    "sql_injection": "'; DROP TABLE ticket; --",
    "sql_tautology": "1' OR '1'='1",
    "like_wildcards": "%_\\%",
    "path_traversal": "../../../../etc/passwd",
    "windows_path": "..\\..\\Windows\\System32\\con",
    "date_far_past": "0001-01-01T00:00:00",
    "date_far_future": "9999-12-31T23:59:59",
    "date_epoch_overflow": "2038-01-19T03:14:08+14:00",
    "number_huge": "1e308 -0 NaN 99999999999999999999999999",
    "wide_emoji_cjk": "👨\u200d👩\u200d👧 测试 ﷽ Z̸̢̛a̶l̷g̵o",
    "long_line": "长" * 200_000,
    "only_spaces": " \t \u3000 ",
    "empty": "",
}

#: Bytes that are not UTF-8 (nor always GB18030) for CSV imports and files.
HOSTILE_BYTES: dict[str, bytes] = {
    "invalid_start_byte": b"\xff\xfe\xfa",
    "bad_continuation": b"\xc3\x28",
    "truncated_multibyte": b"\xe4\xb8",
    "overlong_nul": b"\xc0\x80",
    "utf16_bom": b"\xff\xfek\x00i\x00n\x00d\x00",
}

#: File names that try to leave their folder or name a device.
HOSTILE_FILE_NAMES: tuple[str, ...] = (
    "../../etc/passwd",
    "..\\..\\evil.md",
    "/dev/zero",
    "con.md",
    "name\x00.md",
    "~/.ssh/id_rsa",
    "\u202egpj.md",
    "a" * 300 + ".md",
)

#: Dates and times far outside any real contact.
HOSTILE_DATES: tuple[str, ...] = (
    "0001-01-01",
    "1899-12-31T23:59",
    "9999-12-31T23:59:59",
    "+99999h",
    "-5m",
    "25:61",
    "2026-02-30",
    "\x1b[31m10:00",
)

#: Input paths (hostile text reaches the product here) -> the test module that feeds them.
INPUT_PATHS: dict[str, str] = {
    "store.create_customer": "tests/reliability/test_hostile_store.py",
    "store.create_ticket": "tests/reliability/test_hostile_store.py",
    "store.add_note": "tests/reliability/test_hostile_store.py",
    "store.find_customers": "tests/reliability/test_hostile_store.py",
    "store.list_tickets": "tests/reliability/test_hostile_store.py",
    "store.consult_department": "tests/reliability/test_hostile_store.py",
    "store.kb.search": "tests/reliability/test_hostile_store.py",
    "store.kb.edit": "tests/reliability/test_hostile_store.py",
    "store.kb.reindex": "tests/reliability/test_hostile_files.py",
    "csv.intake_import": "tests/reliability/test_hostile_files.py",
    "cli.intake_add": "tests/reliability/test_hostile_cli.py",
    "cli.kb_search": "tests/reliability/test_hostile_cli.py",
    "cli.queue_list": "tests/reliability/test_hostile_cli.py",
    "ui.intake_form": "tests/reliability/test_hostile_ui.py",
    "ui.note": "tests/reliability/test_hostile_ui.py",
    "ui.kb_search": "tests/reliability/test_hostile_ui.py",
    "ui.queue_filter": "tests/reliability/test_hostile_ui.py",
}


def texts(*, huge: bool = True) -> Iterator[tuple[str, str]]:
    """``(name, text)`` for every hostile text, the 10 MB string last when ``huge``."""
    yield from HOSTILE_TEXT.items()
    if huge:
        yield "ten_megabytes", "x" * TEN_MB


def corpus_size() -> int:
    """How many hostile items the corpus holds (texts incl. 10 MB, bytes, file names, dates)."""
    return len(HOSTILE_TEXT) + 1 + len(HOSTILE_BYTES) + len(HOSTILE_FILE_NAMES) + len(HOSTILE_DATES)


_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_inert(text: str, where: str = "output") -> None:
    """Fail if ``text`` (something shown or stored) still carries an escape, control or bidi override."""
    match = _ACTIVE.search(text)
    if match is not None:
        start = match.start()
        context = text[max(0, start - 40) : start + 40]
        raise AssertionError(f"{where} carries {match.group(0)!r} at {start}: {context!r}")
