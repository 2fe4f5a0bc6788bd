r"""Clean untrusted customer text before it reaches a widget, the database or a log.

What goes:
- terminal escape sequences (ECMA-48), removed whole: CSI (``ESC [`` / U+009B),
  string sequences OSC, DCS, SOS, PM, APC (``ESC ] P X ^ _`` / their C1 forms) up to
  their terminator (BEL, ``ESC \`` or U+009C) — an unterminated string ends at the
  end of its line — and two-character ``ESC`` sequences (with intermediate bytes);
- C0 controls except newline and tab, DEL, and C1 controls (U+0080–U+009F);
- bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069)
  and the marks U+200E, U+200F, U+061C ("Trojan Source" style reordering).

What changes: CRLF and CR become LF; lone surrogates become U+FFFD (valid surrogate
pairs are joined into their character); in single-line mode every newline and tab
becomes one space. Everything else — CJK, emoji, punctuation — is kept.

Too long after cleaning? ``TextTooLong`` is raised; text is never cut silently.
Work is done by compiled regexes and ``str`` methods: 10 MB takes well under 1 s.
"""

from __future__ import annotations

import re

from csdesk.domain.errors import ValidationError


class TextTooLong(ValidationError):
    """Sanitised text is longer than allowed."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__("text", f"The text is {length:,} characters long; the limit is {limit:,}.")
        self.length = length
        self.limit = limit


_STRING_BODY = r"[^\x07\x1b\x9c\x18\x1a\n\r]*(?:\x07|\x1b\\|\x9c)?"
_CSI_TAIL = r"[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # final byte missing if cut off
# Each branch starts with a literal so the regex engine can skip plain text fast.
_ESCAPE_SEQUENCE = (
    r"\x1b(?:"
    + r"\["
    + _CSI_TAIL  # CSI
    + r"|[\]PX^_]"
    + _STRING_BODY  # OSC, DCS, SOS, PM, APC
    + r"|[\x20-\x2f]*[\x30-\x7e]"  # other: intermediates and a final byte
    + r")"
    + r"|\x9b"
    + _CSI_TAIL  # 8-bit CSI
    + r"|[\x90\x98\x9d\x9e\x9f]"
    + _STRING_BODY  # 8-bit string introducers
)
_UNWANTED_CHAR = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 except \t \n, DEL, C1
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\u200e\u200f\u061c]"  # bidi marks
)
_STRIP = re.compile(_ESCAPE_SEQUENCE + "|" + _UNWANTED_CHAR)
_NEEDS_WORK = re.compile(_UNWANTED_CHAR[:-1] + "\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _fix_surrogates(text: str) -> str:
    """Join valid surrogate pairs; replace lone surrogates with U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    if _SURROGATE_PAIR.search(text) is None:
        return _SURROGATE.sub("\ufffd", text)
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _clean(text: str) -> str:
    """Apply every multiline rule: surrogates, CR, escapes, controls, bidi."""
    if _NEEDS_WORK.search(text) is None:
        return text
    cleaned = _fix_surrogates(text)
    if "\r" in cleaned:
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
    return _STRIP.sub("", cleaned)


def sanitize_text(text: str, *, multiline: bool = True, max_chars: int | None = None) -> str:
    """Return ``text`` safe to display, store and log (see the module docstring).

    Raises ``TextTooLong`` if the cleaned text has more than ``max_chars`` characters.
    """
    cleaned = _clean(text)
    if not multiline:
        cleaned = cleaned.replace("\n", " ").replace("\t", " ")
    if max_chars is not None and len(cleaned) > max_chars:
        raise TextTooLong(len(cleaned), max_chars)
    return cleaned


def sanitize_line(text: str, max_chars: int | None = None) -> str:
    """``sanitize_text`` for one-line fields: newlines and tabs become spaces."""
    return sanitize_text(text, multiline=False, max_chars=max_chars)
