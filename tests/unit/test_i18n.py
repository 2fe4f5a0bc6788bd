"""UI strings: both languages carry the same keys and the same placeholders (Bilingual standard)."""

from __future__ import annotations

import string

from csdesk.i18n import EN, ROOMS, ZH_CN, Translator


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys() -> None:
    """A string missing in one language would show its key or the other language."""
    assert EN.keys() - ZH_CN.keys() == set()
    assert ZH_CN.keys() - EN.keys() == set()


def test_placeholders_match_and_no_string_is_empty() -> None:
    """``{name}`` fields are the same in both languages, or formatting would raise."""
    mismatched = [key for key in EN if _fields(EN[key]) != _fields(ZH_CN.get(key, ""))]
    empty = [key for key in EN if not EN[key].strip() or not ZH_CN.get(key, "").strip()]
    assert mismatched == []
    assert empty == []


def test_room_modules_are_loaded() -> None:
    """Every room listed is merged into the tables (an unknown room would fail at import)."""
    for room in ROOMS:
        from importlib import import_module

        module = import_module(f"csdesk.i18n.{room}")
        assert set(module.EN) <= EN.keys()


def test_translator_falls_back_to_the_key_and_formats() -> None:
    """Unknown keys show themselves (never crash); known ones are formatted in the language."""
    zh = Translator("zh-CN")
    assert zh("no.such.key") == "no.such.key"
    assert Translator("en")("app.store_ready", tickets=3, customers=2) == "Store ready: 3 tickets, 2 customers"
    assert Translator("xx").language == "zh-CN"
