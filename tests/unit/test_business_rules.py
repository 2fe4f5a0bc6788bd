"""Unit tests of the business-assistance rules and the checklist files (issue 12)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from csdesk.data.checklist_files import CHECKLIST_DIR, load_checklists
from csdesk.domain.business_rules import (
    Stage,
    check_transition,
    incomplete_documents,
    is_success,
    success_rate,
)
from csdesk.domain.errors import Conflict

TYPES = {
    "account_opening", "trading_account", "fund_redemption", "card_loss",
    "account_unfreeze", "loan_application", "card_installments",
}


def test_stage_machine_follows_the_department_flow() -> None:
    """submitted → in_review → returned_for_rework → in_review → approved → completed."""
    path = ["draft", "submitted", "in_review", "returned_for_rework", "in_review", "approved", "completed"]
    for current, target in pairwise(path):
        assert check_transition(current, target) is Stage(target)


@pytest.mark.parametrize(("current", "target", "named"), [
    ("submitted", "approved", "in_review"),
    ("in_review", "completed", "returned_for_rework, approved, rejected"),
    ("rejected", "in_review", "none (the case is closed)"),
])
def test_out_of_order_names_the_allowed_next_stages(current: str, target: str, named: str) -> None:
    """Issue 12: a stage change out of order is refused with the allowed next stages named."""
    with pytest.raises(Conflict) as info:
        check_transition(current, target)
    assert f"allowed next stages: {named}." in info.value.message


def test_completeness_wants_every_document_received() -> None:
    """A file is complete only when every required document is received (none pending, missing, invalid)."""
    required = ["id_card", "form", "card"]
    assert incomplete_documents(required, {"id_card": "received", "form": "invalid"}) == ["form", "card"]
    assert incomplete_documents(required, dict.fromkeys(required, "received")) == []


def test_success_is_completed_without_rework() -> None:
    """Success rate = completed without rework / closed (completed or rejected); open cases do not count."""
    assert is_success("completed", 0) and not is_success("completed", 1) and not is_success("approved", 0)
    assert success_rate([("completed", 0), ("completed", 2), ("rejected", 0), ("in_review", 0)]) == (1, 3, 1 / 3)
    assert success_rate([("in_review", 0)]) == (0, 0, None)


def test_shipped_checklists_cover_every_type_in_both_languages() -> None:
    loaded = load_checklists()
    assert loaded.errors == [] and set(loaded.checklists) == TYPES
    for checklist in loaded.checklists.values():
        assert checklist.steps and checklist.cautions and checklist.documents
        for doc in checklist.documents:
            assert doc.name.zh and doc.name.en and doc.id


def test_broken_file_is_reported_with_line_and_the_rest_load(tmp_path: Path) -> None:
    """Issue 12: a checklist file with a syntax error is reported with file and line; the rest still load."""
    source = CHECKLIST_DIR / "card_loss.yaml"
    (tmp_path / "card_loss.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("type: broken\nname: {zh-CN: 坏, en: bad\nsteps: [\n", encoding="utf-8")
    (tmp_path / "nodocs.yaml").write_text("type: nodocs\n", encoding="utf-8")
    loaded = load_checklists(tmp_path)
    assert list(loaded.checklists) == ["card_loss"]
    assert loaded.errors[0].startswith("broken.yaml line 3:")
    assert loaded.errors[1] == "nodocs.yaml: A checklist lists at least one required document."


def test_local_file_replaces_a_shipped_checklist(tmp_path: Path) -> None:
    """A supervisor changes a checklist without code: a local file of the same type replaces the shipped one."""
    (tmp_path / "card_loss.yaml").write_text(
        "type: card_loss\nname: {zh-CN: 挂失（本行）, en: Loss report (ours)}\n"
        "department: {zh-CN: 卡中心, en: Cards}\npromise_days: 2\n"
        "documents:\n  - {id: id_card, zh-CN: 身份证, en: ID card}\n",
        encoding="utf-8",
    )
    loaded = load_checklists(local=tmp_path)
    assert loaded.errors == [] and len(loaded.checklists) == len(TYPES)
    replaced = loaded.checklists["card_loss"]
    assert (replaced.name.en, replaced.document_ids, replaced.promise_days) == ("Loss report (ours)", ("id_card",), 2)


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("steps:\n  - {zh-CN: 核实身份, en: Verify identity, then freeze the card}\n", "step"),
        ("documents:\n  - {id: id_card, zh-CN: 身份证, en: ID card, original}\n", "document (id_card)"),
    ],
)
def test_a_text_cut_by_an_unquoted_comma_is_refused(tmp_path: Path, line: str, where: str) -> None:
    """In ``{zh-CN: ..., en: a, b}`` YAML ends the text at the comma; the file is refused, not shown cut short."""
    head = "type: odd\nname: {zh-CN: 测试, en: Test}\ndepartment: {zh-CN: 卡中心, en: Cards}\n"
    docs = "" if line.startswith("documents") else "documents:\n  - {id: id_card, zh-CN: 身份证, en: ID card}\n"
    (tmp_path / "odd.yaml").write_text(head + line + docs, encoding="utf-8")
    loaded = load_checklists(tmp_path)
    assert loaded.checklists == {}
    [error] = loaded.errors
    assert error.startswith(f"odd.yaml: {where} has an unknown key") and 'en: "a, b"' in error


def test_shipped_texts_with_commas_are_whole() -> None:
    """The shipped English texts keep their commas (they were quoted), e.g. the card-loss first step."""
    card_loss = load_checklists().checklists["card_loss"]
    assert card_loss.steps[0].en == "After verifying identity, place an immediate temporary (verbal) loss report"
    assert card_loss.documents[0].notes.en == "If the ID card was lost too, get a temporary ID first"
