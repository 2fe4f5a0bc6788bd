"""UI strings in zh-CN and English, switchable at run time.

Every string the UI shows comes from :data:`STRINGS` by key; both tables carry the same
keys (a test checks it). Enum values (kinds, channels, statuses, ...) are looked up as
``"<group>.<value>"``.
"""

from __future__ import annotations

from csdesk.i18n.en import EN
from csdesk.i18n.zh_cn import ZH_CN

LANGUAGES = ("zh-CN", "en")
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
