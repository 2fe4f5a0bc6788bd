"""The shipped knowledge base: every topic in both languages, well-formed, consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

KB = Path(__file__).resolve().parent.parent.parent / "knowledge_base"
TOPICS = (
    "greeting-script identity-verification account-balance-query card-loss-report account-unfreeze "
    "password-reset account-opening account-closing address-change transfer-limits transfer-failed "
    "credit-card-activation credit-card-points credit-card-installments credit-card-limit-increase "
    "credit-card-annual-fee credit-card-overdue loan-products loan-application loan-approval-status "
    "mortgage-prepayment fund-purchase fund-redemption risk-assessment wealth-product-risk trading-account "
    "foreign-exchange fees-schedule service-hours transaction-dispute fraud-suspected phishing-warning "
    "complaint-procedure complaint-escalation complaint-apology-scripts complaint-deadlines callback-policy "
    "document-checklist privacy-data-protection system-outage mass-complaint-incident vulnerable-customer"
).split()
HEADINGS = {
    "zh-CN": ["话术", "办理步骤", "所需材料", "限额与费用", "何时升级", "相关文章"],
    "en": ["Script", "Steps", "Documents needed", "Limits and fees", "When to escalate", "Related articles"],
}
BUSINESSES = {
    "deposit", "loan", "bank_card", "credit_card", "payment", "wealth_fund", "insurance_agency",
    "precious_metals", "fx", "other", "general",
}


def read(language: str, topic: str) -> tuple[dict[str, object], str]:
    text = (KB / language / f"{topic}.md").read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert match, f"{language}/{topic}.md has no front matter"
    return yaml.safe_load(match.group(1)), match.group(2)


def test_exactly_the_shipped_topics_exist() -> None:
    for language in HEADINGS:
        assert sorted(p.stem for p in (KB / language).glob("*.md")) == sorted(TOPICS)


@pytest.mark.parametrize("language", list(HEADINGS))
@pytest.mark.parametrize("topic", TOPICS)
def test_article_is_well_formed(language: str, topic: str) -> None:
    meta, body = read(language, topic)
    assert meta["id"] == topic
    assert meta["business"] in BUSINESSES
    assert meta["audience"] in {"agent", "team_lead", "supervisor"}
    assert isinstance(meta["tags"], list) and len(meta["tags"]) >= 3
    assert int(meta["version"]) >= 1
    headings = re.findall(r"^## (.+)$", body, re.M)
    assert headings == HEADINGS[language]
    for related in meta["related"]:  # type: ignore[union-attr]
        assert related in TOPICS and related != topic
        assert f"]({related})" in body


@pytest.mark.parametrize("topic", TOPICS)
def test_both_languages_agree_on_metadata(topic: str) -> None:
    zh, zh_body = read("zh-CN", topic)
    en, en_body = read("en", topic)
    for key in ("business", "audience", "related", "version"):
        assert zh[key] == en[key], key
    placeholders = set(re.findall(r"\{\{(\w+)\}\}", zh_body))
    assert placeholders == set(re.findall(r"\{\{(\w+)\}\}", en_body))


def test_complaint_deadlines_agree_with_the_regulatory_clock() -> None:
    """DOMAIN.md (CBIRC Order 2020 No. 3): 15 days, extension to 30, at most 60; review 30/30."""
    for language in HEADINGS:
        _, body = read(language, "complaint-deadlines")
        for number in ("15", "30", "60"):
            assert number in body


def test_complaint_procedure_names_the_regulator_hotline() -> None:
    """kb_topics.md: complaint-procedure must name 12378 among the customer's remedies."""
    for language in HEADINGS:
        _, body = read(language, "complaint-procedure")
        assert "12378" in body


def test_lost_card_is_found_by_colloquial_words() -> None:
    meta, _ = read("zh-CN", "card-loss-report")
    assert {"挂失", "丢卡"} <= set(meta["tags"])  # type: ignore[arg-type]
