"""Staff numbers (工号): what an agent tells a customer instead of their name.

A staff number is short and said aloud on calls, so it is 1–16 letters, digits or
hyphens, kept as given apart from surrounding blanks (firms use ``1024``, ``A0731`` or
``SH-0417``). It is not the sign-in id: that one may carry a name (``li.na``) a customer
should not hear.
"""

from __future__ import annotations

from csdesk.domain.errors import ValidationError
from csdesk.domain.sanitize import sanitize_line

MAX_STAFF_NO = 16


def checked_staff_no(text: str) -> str:
    """``text`` as a staff number, or a :class:`ValidationError` saying what a staff number is."""
    value = sanitize_line(text, max_chars=MAX_STAFF_NO + 1).strip()
    if not value or len(value) > MAX_STAFF_NO or not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in value):
        raise ValidationError(
            "staff_no", f"A staff number is 1–{MAX_STAFF_NO} letters, digits or '-' (e.g. 1024 or SH-0417)."
        )
    return value
