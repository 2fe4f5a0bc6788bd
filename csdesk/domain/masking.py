"""Masks and validators for Chinese financial identifiers.

Customer data is masked everywhere by default (UI, logs, exports):

=================  ==========================  =========================
kind               input                       masked
=================  ==========================  =========================
mobile phone       13812345678                 138****5678
landline           010-12345678                010-****5678
ID number (身份证)  110101199003071234          110***********1234
bank card          6222021234567891234         6222 **** **** 1234
account number     621700001234                6217 **** 1234
=================  ==========================  =========================

``mask_text`` finds these identifiers inside free text (logs, error messages,
exports) and masks them; it prefers masking a harmless long number by mistake to
letting a real identifier through: any run of 12 or more digits, and four or more
groups of 4 digits (e.g. ``2024 2025 2026 2027``), are masked too. Known blind spots:
an identifier glued to Latin letters or digits (``tel13812345678``) and an amount
with decimals (``13812345678.00``) are left alone.

Validators (``normalize_phone``, ``validate_id_number``, ``validate_card``) return
the canonical form or raise ``ValidationError`` with a sentence for people.
ID numbers follow GB 11643-1999 (check digit ISO 7064 MOD 11-2); cards use Luhn.
"""

from __future__ import annotations

import re
from datetime import date

from csdesk.domain.errors import ValidationError

# Full-width digits (０-９) and letters are normalised to ASCII before parsing.
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ（）＋－", "0123456789Xx()+-")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212()]")

_MOBILE = re.compile(r"1[3-9]\d{9}")
# 3-digit area codes are exactly 010 and 020-029; all others are 0 + 3 digits.
_LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d\d))([1-9]\d{6,7})")
_INTL_PREFIX = re.compile(r"^(?:\+|00)86")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def _ascii(text: str) -> str:
    """Turn full-width digits, X, brackets, plus and minus into ASCII."""
    return text.translate(_FULLWIDTH)


def _compact(text: str) -> str:
    """ASCII form of ``text`` without spaces, hyphens and brackets."""
    return _SEPARATORS.sub("", _ascii(text))


def _mask_fallback(text: str) -> str:
    """Mask what no specific rule recognised: at most the last 4 digits remain."""
    digit_positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(digit_positions[-4:]) if len(digit_positions) >= 8 else set()
    return "".join("*" if ch.isdigit() and i not in keep else ch for i, ch in enumerate(text))


# --- phones -------------------------------------------------------------------


def _parse_phone(raw: str) -> tuple[str, str] | None:
    """Return ``("mobile", digits)`` or ``("landline", "AAA-NNNNNNNN")`` or None."""
    compact = _compact(raw)
    international = False
    prefix = _INTL_PREFIX.match(compact)
    if prefix:
        compact = compact[prefix.end() :]
        international = True
    elif len(compact) == 13 and compact.startswith("86") and _MOBILE.fullmatch(compact[2:]):
        compact = compact[2:]
    if not compact.isdigit() or not compact.isascii():
        return None
    if _MOBILE.fullmatch(compact):
        return "mobile", compact
    if international and not compact.startswith("0"):
        compact = "0" + compact  # +86 10 12345678 drops the trunk prefix
    landline = _LANDLINE.fullmatch(compact)
    if landline:
        return "landline", f"{landline.group(1)}-{landline.group(2)}"
    return None


def normalize_phone(raw: str) -> str:
    """Canonical phone: 11 mobile digits, or a landline as ``0AA(A)-NNNNNNN(N)``.

    Accepts +86 / 0086 / 86 prefixes, spaces, hyphens and brackets. Raises
    ``ValidationError(field="phone")`` for anything else.
    """
    if not _compact(raw):
        raise ValidationError("phone", "No phone number was entered.")
    parsed = _parse_phone(raw)
    if parsed is None:
        raise ValidationError(
            "phone",
            f"“{_mask_fallback(raw.strip())}” is not a valid phone number: enter an 11-digit mobile "
            "number starting with 13–19, or a landline with its area code, "
            "such as 010-12345678.",
        )
    return parsed[1]


def mask_phone(raw: str) -> str:
    """Mask a phone: ``138****5678`` for mobiles, ``010-****5678`` for landlines."""
    parsed = _parse_phone(raw)
    if parsed is None:
        return _mask_fallback(raw)
    kind, value = parsed
    if kind == "mobile":
        return f"{value[:3]}****{value[-4:]}"
    area, local = value.split("-")
    return f"{area}-****{local[-4:]}"


# --- ID numbers -----------------------------------------------------------------


def _id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _valid_birth_date(yyyymmdd: str) -> date | None:
    """The birth date encoded in an ID number, or None if it is not a real date."""
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    return born if born.year >= 1900 else None


def validate_id_number(raw: str, *, today: date | None = None) -> str:
    """Validate an 18-character resident ID number and return it (X upper-cased).

    Checks the format (17 digits then a digit or X), the birth date (a real date
    from 1900 on, and not after ``today`` when given) and the GB 11643-1999 check
    character. Raises ``ValidationError(field="id_number")`` otherwise.
    """
    value = _compact(raw).upper()
    shown = _mask_fallback(raw.strip())  # an error message never repeats a whole number
    if not value:
        raise ValidationError("id_number", "No ID number was entered.")
    if len(value) == 15 and value.isdigit():
        raise ValidationError(
            "id_number",
            f"“{shown}” is an old 15-digit ID number; please ask for the current 18-digit number.",
        )
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        raise ValidationError(
            "id_number",
            f"“{shown}” is not a valid ID number: it must have 18 characters, 17 digits followed by a digit or X.",
        )
    born = _valid_birth_date(value[6:14])
    if born is None or (today is not None and born > today):
        raise ValidationError(
            "id_number",
            f"“{shown}” is not a valid ID number: the birth date {value[6:10]}-"
            f"{value[10:12]}-{value[12:14]} in it is not possible.",
        )
    if _id_check_char(value[:17]) != value[17]:
        raise ValidationError(
            "id_number",
            f"“{shown}” is not a valid ID number: the last character does not "
            "match the others. Please check for a typing error.",
        )
    return value


def mask_id_number(raw: str) -> str:
    """Mask an ID number: first 3 and last 4 kept (``110***********1234``)."""
    value = _compact(raw).upper()
    if len(value) == 18:
        return f"{value[:3]}{'*' * 11}{value[-4:]}"
    if len(value) == 15:
        return f"{value[:3]}{'*' * 8}{value[-4:]}"
    return _mask_fallback(raw)


# --- cards and accounts ---------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    """True when a string of ASCII digits passes the Luhn check."""
    if not digits.isdigit() or not digits.isascii():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def validate_card(raw: str) -> str:
    """Validate a bank card number (16–19 digits, Luhn) and return its digits.

    Spaces and hyphens are ignored. Raises ``ValidationError(field="card_number")``.
    """
    value = _compact(raw)
    shown = _mask_fallback(raw.strip())  # an error message never repeats a whole number
    if not value:
        raise ValidationError("card_number", "No card number was entered.")
    if not value.isdigit() or not value.isascii():
        raise ValidationError(
            "card_number",
            f"“{shown}” is not a valid card number: only digits (and spaces) are allowed.",
        )
    if not 16 <= len(value) <= 19:
        raise ValidationError(
            "card_number",
            f"“{shown}” is not a valid card number: it has {len(value)} digits, a card number has 16 to 19.",
        )
    if not luhn_ok(value):
        raise ValidationError(
            "card_number",
            f"“{shown}” is not a valid card number: the digits do not add up "
            "(check digit). Please check for a typing error.",
        )
    return value


def mask_card(raw: str) -> str:
    """Mask a card number: ``6222 **** **** 1234`` (first 4 and last 4 kept)."""
    value = _compact(raw)
    if value.isdigit() and 16 <= len(value) <= 19:
        return f"{value[:4]} **** **** {value[-4:]}"
    return mask_account(raw)


def mask_account(raw: str) -> str:
    """Mask an account number.

    12 or more digits: first 4 and last 4 kept (``6217 **** 1234``); shorter
    numbers keep only the last 4 (``****1234``); 4 or fewer: ``****``.
    """
    value = _compact(raw)
    if not value.isdigit():
        return _mask_fallback(raw)
    if len(value) >= 12:
        return f"{value[:4]} **** {value[-4:]}"
    if len(value) > 4:
        return f"****{value[-4:]}"
    return "****"


# --- free text ------------------------------------------------------------------------

_D = "[0-9０-９]"
_D1_9 = "[1-9１-９]"
_D3_9 = "[3-9３-９]"
_ZERO = "[0０]"
_ONE = "[1１]"
_TWO = "[2２]"
_SEP = r"[ \-\u00a0\u3000－]"
_SEP_OPT = _SEP + "?"
_OPEN = "[(（]?"
_CLOSE = "[)）]?"
_NOT_BEFORE = r"(?<![0-9０-９A-Za-z])(?<![0-9０-９][.,])"
_NOT_AFTER = r"(?![0-9０-９A-Za-z])(?![.,][0-9０-９])"
_PLUS_OR_00 = f"(?:[+＋]|{_ZERO}{_ZERO})"
_CC = f"{_OPEN}{_PLUS_OR_00}?[8８][6６]{_CLOSE}{_SEP_OPT}"
_CC_STRICT = f"{_OPEN}{_PLUS_OR_00}[8８][6６]{_CLOSE}{_SEP_OPT}"
_AREA = f"(?:{_ONE}{_ZERO}|{_TWO}{_D}|{_D3_9}{_D}{_D})"  # without the leading 0
_LOCAL = f"{_D1_9}{_D}{{2,3}}{_SEP_OPT}{_D}{{4}}"

_TEXT_PATTERN = re.compile(
    _NOT_BEFORE
    + "(?:"
    # ID number: 18 characters, optionally grouped 6-8-4 or 6-4-4-4.
    + f"(?P<id>{_D}{{6}}{_SEP_OPT}{_D}{{4}}{_SEP_OPT}{_D}{{4}}{_SEP_OPT}{_D}{{3}}"
    + "[0-9０-９XxＸｘ])"
    # Card or account grouped in fours (16 digits or more), or card as 6 + 10..13.
    + f"|(?P<card>{_D}{{4}}(?:{_SEP}{_D}{{4}}){{3,}}(?:{_SEP_OPT}{_D}{{1,3}})?"
    + f"|{_D}{{6}}{_SEP}{_D}{{10,13}})"
    # Mobile with optional country code, grouped 3-4-4, 3-8 or contiguous.
    + f"|(?P<mobile>(?:{_CC})?{_ONE}{_D3_9}{_D}{_SEP_OPT}{_D}{{4}}{_SEP_OPT}{_D}{{4}})"
    # Landline: area code (optionally bracketed) and a 7-8 digit local number;
    # after +86 / 0086 the trunk 0 of the area code may be left out.
    + f"|(?P<landline>(?:{_CC})?{_OPEN}{_ZERO}{_AREA}{_CLOSE}{_SEP_OPT}{_LOCAL}"
    + f"|{_CC_STRICT}{_OPEN}{_AREA}{_CLOSE}{_SEP_OPT}{_LOCAL})"
    # Anything else that is a long run of digits (accounts, old IDs, cards).
    + f"|(?P<run>{_D}{{12,}})"
    + ")"
    + _NOT_AFTER
)
# Maximal runs of the characters an identifier is made of. Every match of
# _TEXT_PATTERN lies inside one such run, so text without them is skipped fast.
_SHORTEST_MATCH = 10  # a landline: 3-digit area code and 7-digit local number
_CANDIDATE = re.compile("[0-9０-９(（+＋][0-9０-９()（）+＋XxＸｘ \\-\u00a0\u3000－]" + f"{{{_SHORTEST_MATCH - 1},}}")


def _looks_like_old_id(digits: str) -> bool:
    """15 digits whose positions 7-12 form a plausible YYMMDD birth date."""
    return len(digits) == 15 and _valid_birth_date("19" + digits[6:12]) is not None


def _mask_match(match: re.Match[str]) -> str:
    """Replacement for one identifier found by ``_TEXT_PATTERN``."""
    text = match.group(0)
    kind = match.lastgroup
    digits = _compact(text)
    if kind == "id":
        if digits.isdigit() and _valid_birth_date(digits[6:14]) is None:
            return mask_card(digits)  # 18 digits without a birth date: a card
        return mask_id_number(digits)
    if kind == "card":
        return mask_card(digits)
    if kind in ("mobile", "landline"):
        return mask_phone(text)
    if _looks_like_old_id(digits):
        return mask_id_number(digits)
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        return mask_phone(digits)
    return mask_card(digits)


def mask_text(text: str) -> str:
    """Mask every phone, ID, card and account number found in free text.

    Recognises numbers with or without spaces or hyphens between groups, with
    +86 / 0086 prefixes, full-width digits, and adjacent to Chinese characters.
    Leaves short numbers alone: amounts (12,000.00), dates (2026-11-23), times,
    ticket ids (T-000123). Any other run of 12 or more digits is masked.
    """
    parts: list[str] = []
    done = 0
    # A fast scan finds number-like spans; only those get the detailed pattern.
    # Its lookahead needs two characters past the span, which no match can include.
    for span in _CANDIDATE.finditer(text):
        start, end = span.span()
        for match in _TEXT_PATTERN.finditer(text, start, end + 2):
            parts.append(text[done : match.start()])
            parts.append(_mask_match(match))
            done = match.end()
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)
