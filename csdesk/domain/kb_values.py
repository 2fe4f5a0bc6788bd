"""The firm's own figures in knowledge-base articles: ``{{name}}`` placeholders and their values.

Articles ship with placeholders for what differs between firms (fees, limits, hotlines,
days). A firm states its values once, in TOML, either for every language or per language::

    cc_hotline = "400-820-0000"
    [temporary_loss_report_validity]
    zh-CN = "5 天"
    en = "5 days"

The article view and "use this answer" fill them in; a placeholder without a value stays
visible (never an empty gap in what is said to a customer) and is reported as missing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from csdesk.domain.errors import ValidationError

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
LANGUAGES = ("zh-CN", "en")
MAX_VALUE_CHARS = 500

#: name -> {language or "*": value}
Values = dict[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class Filled:
    """Text with the firm's values put in, and the placeholders that have none (in order)."""

    text: str
    missing: tuple[str, ...]


def placeholders(text: str) -> list[str]:
    """The placeholder names in ``text``, each once, in order of appearance."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text)))


def value_for(values: Values, name: str, language: str) -> str | None:
    """The value of ``name`` in ``language`` (or for every language), if the firm gave one."""
    entry = values.get(name, {})
    return entry.get(language) or entry.get("*")


def fill(text: str, values: Values, language: str, *, mark_missing: str = "{{%s}}") -> Filled:
    """``text`` with every known placeholder replaced; unknown ones written as ``mark_missing % name``."""
    missing: list[str] = []

    def put(match: re.Match[str]) -> str:
        name = match.group(1)
        value = value_for(values, name, language)
        if value is None:
            if name not in missing:
                missing.append(name)
            return mark_missing % name
        return value

    return Filled(PLACEHOLDER.sub(put, text), tuple(missing))


def parse_values(text: str, source: str) -> Values:
    """The values in a TOML ``text``; :class:`ValidationError` naming ``source`` (and the line) otherwise."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError("values", f"{source}: not valid TOML: {exc}.") from None
    values: Values = {}
    for name, entry in data.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise ValidationError("values", f"{source}: {name!r} is not a placeholder name (a-z, 0-9, _).")
        if isinstance(entry, str | int | float) and not isinstance(entry, bool):
            values[name] = {"*": _value(str(entry), name, source)}
        elif isinstance(entry, dict) and entry and set(entry) <= set(LANGUAGES):
            values[name] = {lang: _value(str(v), name, source) for lang, v in entry.items()}
        else:
            raise ValidationError(
                "values", f"{source}: {name} needs a text, or a table with {' and/or '.join(LANGUAGES)} texts."
            )
    return values


def _value(value: str, name: str, source: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_VALUE_CHARS or PLACEHOLDER.search(value) or any(c in value for c in "\x1b\r\n"):
        raise ValidationError(
            "values", f"{source}: {name} must be one line of 1–{MAX_VALUE_CHARS} characters without placeholders."
        )
    return value
