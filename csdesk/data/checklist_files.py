"""Business checklists (业务协助) read from YAML files in ``csdesk/data/checklists/``.

One file per business type: process steps, required documents and cautions, each in
zh-CN and en. The shipped files are the defaults; a supervisor changes a checklist
without code by putting a file of the same ``type`` (or a new type) in the desk's
``checklists`` folder beside the settings file (:func:`local_checklist_dir`). A file
that does not parse is reported with its file name and line (yaml's ``problem_mark``)
and the other files still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csdesk.domain.sanitize import sanitize_line

CHECKLIST_DIR = Path(__file__).parent / "checklists"


def local_checklist_dir() -> Path:
    """The desk's own checklist files, which replace or add to the shipped ones."""
    from platformdirs import user_config_path

    return user_config_path("csdesk") / "checklists"

LANGS = ("zh-CN", "en")


@dataclass(frozen=True)
class Text:
    """A text in both languages."""

    zh: str
    en: str

    def in_lang(self, lang: str) -> str:
        """The text in ``lang`` ("en" or "zh-CN"; anything else is Chinese)."""
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True)
class Document:
    """A document the department requires."""

    id: str
    name: Text
    notes: Text


@dataclass(frozen=True)
class Checklist:
    """Process, required documents and cautions of one business type."""

    type: str
    name: Text
    department: Text
    promise_days: int
    steps: tuple[Text, ...]
    documents: tuple[Document, ...]
    cautions: tuple[Text, ...]

    @property
    def document_ids(self) -> tuple[str, ...]:
        """Ids of the required documents, in checklist order."""
        return tuple(doc.id for doc in self.documents)


@dataclass
class ChecklistSet:
    """Every checklist that loaded, and a sentence per file that did not."""

    checklists: dict[str, Checklist] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class ChecklistError(ValueError):
    """A checklist file whose content breaks the format."""


#: Why a text mapping has a key besides zh-CN and en: in ``{zh-CN: ..., en: a, b}`` YAML
#: ends the text at the comma and reads " b" as a key of its own.
_QUOTE_HINT = 'a text with a comma in a {...} mapping must be quoted: en: "a, b"'


def _unknown_keys(value: dict[Any, Any], known: tuple[str, ...], where: str) -> None:
    extra = [key for key in value if key not in known]
    if extra:
        raise ChecklistError(f"{where} has an unknown key {str(extra[0])!r} ({_QUOTE_HINT}).")


def _text(value: Any, where: str) -> Text:
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) for lang in LANGS):
        raise ChecklistError(f"{where} needs a zh-CN and an en text.")
    _unknown_keys(value, LANGS, where)
    return Text(sanitize_line(value["zh-CN"], 500).strip(), sanitize_line(value["en"], 500).strip())


def _document(value: Any, where: str) -> Document:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise ChecklistError(f"{where} needs an id.")
    _unknown_keys(value, ("id", *LANGS, "notes"), f"{where} ({value['id']})")
    name = _text({"zh-CN": value.get("zh-CN"), "en": value.get("en")}, f"{where} ({value['id']})")
    notes = _text(value.get("notes") or {"zh-CN": "", "en": ""}, f"{where} notes")
    return Document(value["id"], name, notes)


def parse_checklist(data: Any) -> Checklist:
    """A :class:`Checklist` from the parsed YAML of one file; :class:`ChecklistError` says what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ChecklistError("A checklist needs a 'type'.")
    docs = tuple(_document(doc, "document") for doc in data.get("documents") or [])
    if not docs:
        raise ChecklistError("A checklist lists at least one required document.")
    if len({doc.id for doc in docs}) != len(docs):
        raise ChecklistError("Document ids must be unique within a checklist.")
    days = data.get("promise_days", 3)
    if not isinstance(days, int) or not 0 < days <= 60:
        raise ChecklistError("promise_days is a whole number of days from 1 to 60.")
    return Checklist(
        type=data["type"],
        name=_text(data.get("name"), "name"),
        department=_text(data.get("department"), "department"),
        promise_days=days,
        steps=tuple(_text(step, "step") for step in data.get("steps") or []),
        documents=docs,
        cautions=tuple(_text(caution, "caution") for caution in data.get("cautions") or []),
    )


def _yaml_error(path: Path, error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    line = f" line {mark.line + 1}" if mark is not None else ""
    problem = getattr(error, "problem", None) or "it is not valid YAML"
    return f"{path.name}{line}: {problem}."


def load_checklists(directory: Path = CHECKLIST_DIR, local: Path | None = None) -> ChecklistSet:
    """Every ``*.yaml`` checklist of ``directory``, then of ``local`` (replacing a type shipped before).

    A broken file is reported with its file and line; the rest load (issue 12).
    """
    result = ChecklistSet()
    for folder, replaces in ((directory, False), (local, True)):
        if folder is None or not folder.is_dir():
            continue
        seen: set[str] = set()
        for path in sorted(folder.glob("*.yaml")):
            try:
                checklist = parse_checklist(yaml.safe_load(path.read_text(encoding="utf-8")))
            except yaml.YAMLError as error:
                result.errors.append(_yaml_error(path, error))
                continue
            except (ChecklistError, OSError, UnicodeDecodeError) as error:
                result.errors.append(f"{path.name}: {error}")
                continue
            if checklist.type in seen or (checklist.type in result.checklists and not replaces):
                result.errors.append(f"{path.name}: type {checklist.type!r} is defined twice.")
                continue
            seen.add(checklist.type)
            result.checklists[checklist.type] = checklist
    return result
