"""Find known sample identifiers in any text a test captured: screens, logs, CLI output, exports.

Tests record customers with the numbers of :data:`SAMPLES`, then hand every piece of text
the product showed or wrote to :func:`find_pii` (or :func:`assert_no_pii`). A sample is
found whether it appears whole, grouped with spaces or hyphens, with full-width digits,
or split by zero-width characters or terminal escapes, so a mask that only hides the
usual spelling does not pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: Valid identifiers (GB 11643 check digit, Luhn) used as customer data in privacy tests.
SAMPLES: dict[str, str] = {
    "phone": "13912348765",
    "id_number": "11010519491231002X",
    "card_no": "6222600260001072444",
    "account_no": "621700009876543210",
}

_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_INVISIBLE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\u200b-\u200f\u2060\ufeff\u00ad]")
_SEPARATORS = re.compile(r"[\s\-\u00a0\u3000－]+")


def spellings(number: str) -> set[str]:
    """Ways a whole ``number`` may be written: as is, in groups of 3-4-4, 4, or 6-8-4, with spaces or hyphens."""
    forms = {number}
    groupings = [(3, 4, 4), (4,) * 8, (6, 8, 4), (6, 4, 4, 4)]
    for sizes in groupings:
        parts, rest = [], number
        for size in sizes:
            if not rest:
                break
            parts.append(rest[:size])
            rest = rest[size:]
        if rest:
            parts.append(rest)
        for sep in (" ", "-"):
            forms.add(sep.join(parts))
    return forms


def _normal(text: str) -> str:
    """``text`` with full-width digits made ASCII and invisible characters and escapes removed."""
    return _INVISIBLE.sub("", text.translate(_FULLWIDTH))


def find_pii(text: str, samples: Mapping[str, str] | None = None) -> list[str]:
    """Names of the sample identifiers that appear unmasked in ``text`` (empty list: none)."""
    samples = SAMPLES if samples is None else samples
    normal = _normal(text)
    compact = _SEPARATORS.sub("", normal)
    found = []
    for name, number in samples.items():
        upper = number.upper()
        if upper in compact.upper() or any(form in normal for form in spellings(number)):
            found.append(name)
    return found


def _around(text: str, leaked: list[str], samples: Mapping[str, str] | None) -> str:
    """A window of ``text`` around the first leaked number (or its start when it is hidden by formatting)."""
    number = (SAMPLES if samples is None else samples)[leaked[0]]
    at = max(text.find(number[:6]), 0)
    return text[max(0, at - 100) : at + 100]


def assert_no_pii(texts: Iterable[str] | str, where: str = "output", samples: Mapping[str, str] | None = None) -> int:
    """Fail naming the identifier and the place if any of ``texts`` shows one whole; return how many were scanned."""
    if isinstance(texts, str):
        texts = [texts]
    scanned = 0
    for text in texts:
        scanned += 1
        leaked = find_pii(text, samples)
        assert not leaked, f"{where} shows unmasked {', '.join(leaked)}: {_around(text, leaked, samples)!r}"
    return scanned
