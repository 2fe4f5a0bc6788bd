"""Tests of csdesk.domain.sanitize on hostile customer text.

Rule (ARCHITECTURE.md, App patterns): sanitise every customer-supplied string before
it reaches a widget (strip C0/C1 controls, ESC sequences) and render it as plain text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.domain.errors import ValidationError
from csdesk.domain.sanitize import TextTooLong, sanitize_line, sanitize_text

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\ud800-\udfff]")

HOSTILE = [
    ("\x1b[31mred\x1b[0m", "red"),  # CSI colour
    ("\x1b[1;31;48;5;196mbold\x1b[m", "bold"),
    ("a\x1b[2J\x1b[Hb", "ab"),  # clear screen, cursor home
    ("a\x1b[10;20fb\x1b[3Ac\x1b[?25l", "abc"),  # cursor moves, hide cursor
    ("\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\", "click me"),  # OSC 8 hyperlink, ST
    ("\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07", "click"),  # OSC 8 with BEL
    ("\x1b]52;c;cm0gLXJmIH4=\x07ok", "ok"),  # OSC 52 clipboard write
    ("\x1b]0;pwned title\x07text", "text"),  # window title
    ("\x1b]2;title\x1b\\text", "text"),
    ("\x1bP1$r0m\x1b\\after", "after"),  # DCS (DECRQSS answer)
    ("\x1bPq#0;2;0;0;0#0~~@@\x1b\\x", "x"),  # DCS sixel
    ("\x1b_apc payload\x1b\\x", "x"),  # APC
    ("\x1b^pm payload\x1b\\x", "x"),  # PM
    ("\x1bXsos payload\x1b\\x", "x"),  # SOS
    ("\x1b(0lqk\x1b(B", "lqk"),  # charset switch (two-char with intermediate)
    ("\x1b7save\x1b8", "save"),  # DECSC / DECRC
    ("\x1bcreset", "reset"),  # RIS full reset
    ("\x9b31mC1 CSI\x9b0m", "C1 CSI"),  # 8-bit CSI
    ("\x9d0;title\x9cafter", "after"),  # 8-bit OSC with 8-bit ST
    ("\x90dcs\x9cafter", "after"),  # 8-bit DCS
    ("\x1b]0;never terminated", ""),  # unterminated OSC swallows to end of line
    ("\x1b]0;cut\nnext line", "\nnext line"),
    ("\x1b[", ""),  # truncated CSI
    ("end\x1b", "end"),  # lone ESC
    ("a\x00b\x07c\x08d\x7fe", "abcde"),  # NUL, BEL, BS, DEL
    ("a\x85b\x80c\x9a", "abc"),  # C1 controls
    ("\x9fapc\x9cafter", "after"),  # 8-bit APC
    ("user\u202etxt.exe", "usertxt.exe"),  # RLO bidi override
    ("\u2066isolate\u2069 \u200emark\u200f", "isolate mark"),
    ("x\ud800y", "x\ufffdy"),  # lone surrogate
    ("\ud83d\ude00", "\U0001f600"),  # surrogate pair joined
    ("line1\r\nline2\rline3", "line1\nline2\nline3"),
    ("中文客服 😀 ok：“引号”—— ¥12,000.00", "中文客服 😀 ok：“引号”—— ¥12,000.00"),
    ("tab\there\nnewline", "tab\there\nnewline"),
]


@pytest.mark.parametrize(("hostile", "clean"), HOSTILE)
def test_hostile_inputs_multiline(hostile: str, clean: str) -> None:
    assert sanitize_text(hostile) == clean


def test_single_line_turns_newlines_and_tabs_into_spaces() -> None:
    assert sanitize_line("a\tb\r\nc\nd") == "a b c d"
    assert sanitize_text("a\tb\nc", multiline=False) == "a b c"


def test_escape_parameters_do_not_leak_into_text() -> None:
    cleaned = sanitize_text("\x1b[38;2;255;0;0mX\x1b]8;id=1;http://a/b\x1b\\Y")
    assert cleaned == "XY"


def test_too_long_text_raises_with_a_sentence_and_is_never_truncated() -> None:
    with pytest.raises(TextTooLong) as raised:
        sanitize_text("a" * 10_485_760, max_chars=20_000)
    error = raised.value
    assert isinstance(error, ValidationError)
    assert error.field == "text"
    assert error.length == 10_485_760
    assert error.limit == 20_000
    assert error.message == "The text is 10,485,760 characters long; the limit is 20,000."


def test_limit_applies_to_the_cleaned_text() -> None:
    assert sanitize_text("\x1b[31m" + "a" * 10 + "\x1b[0m", max_chars=10) == "a" * 10
    with pytest.raises(TextTooLong):
        sanitize_line("a" * 11, max_chars=10)


def test_ten_megabytes_of_mixed_hostile_text_is_cleaned() -> None:
    chunk = "客户留言 customer says hello \x1b[31mred\x1b[0m \u202e\x00 ok\r\n" + "x" * 900
    text = chunk * (10 * 1024 * 1024 // len(chunk))
    cleaned = sanitize_text(text)
    assert FORBIDDEN.search(cleaned) is None
    assert "\x1b" not in cleaned


def test_ten_megabytes_of_plain_cjk_text_is_unchanged() -> None:
    text = "中文客服😀" * 2_000_000
    cleaned = sanitize_line(text)
    assert cleaned == text


_hostile_alphabet = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "P",
        "\\",
        "\x07",
        "\x9b",
        "\x9c",
        "\x9d",
        "\x90",
        "\x00",
        "\r",
        "\n",
        "\t",
        "\u202e",
        "\u2066",
        "\u200f",
        "\ud800",
        "\udc00",
        "3",
        "1",
        ";",
        "m",
        "a",
        "中",
        "😀",
        " ",
        "\x7f",
        "\x85",
    ]
)
_hostile_text = st.one_of(st.text(), st.lists(_hostile_alphabet).map("".join))


@settings(max_examples=500)
@given(_hostile_text)
def test_output_has_no_escape_controls_bidi_or_surrogates(text: str) -> None:
    cleaned = sanitize_text(text)
    assert FORBIDDEN.search(cleaned) is None
    assert "\r" not in cleaned


@settings(max_examples=300)
@given(_hostile_text)
def test_single_line_output_has_no_line_breaks_or_tabs(text: str) -> None:
    cleaned = sanitize_line(text)
    assert FORBIDDEN.search(cleaned) is None
    assert "\n" not in cleaned
    assert "\t" not in cleaned


@settings(max_examples=500)
@given(_hostile_text, st.booleans())
def test_sanitize_is_idempotent(text: str, multiline: bool) -> None:
    once = sanitize_text(text, multiline=multiline)
    assert sanitize_text(once, multiline=multiline) == once


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf"))))
def test_ordinary_text_is_kept(text: str) -> None:
    assert sanitize_text(text) == text
