"""UI strings in zh-CN and English, switchable at run time.

Every string the UI shows comes from :data:`STRINGS` by key; both languages carry the same
keys (a test checks it). Enum values (kinds, channels, statuses, ...) are looked up as
``"<group>.<value>"``.

The shell's strings live in :mod:`csdesk.i18n.en` and :mod:`csdesk.i18n.zh_cn`; each room
of the app (complaints, callbacks, ...) keeps its own in a module of this package with
an ``EN`` and a ``ZH_CN`` table, listed in :data:`ROOMS`.
"""

from __future__ import annotations

from importlib import import_module

from csdesk.i18n.en import EN as _SHELL_EN
from csdesk.i18n.zh_cn import ZH_CN as _SHELL_ZH_CN

LANGUAGES = ("zh-CN", "en")
#: Modules of this package holding a room's strings (``EN`` and ``ZH_CN`` dicts).
ROOMS: tuple[str, ...] = (
    "sla_editor", "kb_gaps", "complaints", "callbacks", "sync", "trainer", "supervisor", "business", "survey",
    "users",
)


def _merged(attribute: str, shell: dict[str, str]) -> dict[str, str]:
    table = dict(shell)
    for room in ROOMS:
        strings: dict[str, str] = getattr(import_module(f"csdesk.i18n.{room}"), attribute)
        clash = table.keys() & strings.keys()
        if clash:
            raise RuntimeError(f"UI string keys defined twice ({room}): {sorted(clash)[:5]}")
        table.update(strings)
    return table


EN = _merged("EN", _SHELL_EN)
ZH_CN = _merged("ZH_CN", _SHELL_ZH_CN)
STRINGS: dict[str, dict[str, str]] = {"zh-CN": ZH_CN, "en": EN}


class Translator:
    """Looks up UI strings in the current language."""

    def __init__(self, language: str = "zh-CN") -> None:
        self.language = language if language in STRINGS else "zh-CN"

    def __call__(self, key: str, **values: object) -> str:
        """The string for ``key``, formatted with ``values``; the key itself if unknown."""
        text = STRINGS[self.language].get(key) or EN.get(key) or key
        return text.format(**values) if values else text

    def label(self, group: str, value: str | None) -> str:
        """The label of an enum value, e.g. ``label("status", "open")``."""
        if value is None:
            return ""
        return self(f"{group}.{value}") if f"{group}.{value}" in EN else value
