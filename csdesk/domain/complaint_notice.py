"""The decision notice (处理意见告知书) of CBIRC Order 2020 No. 3, Art. 19, in zh-CN and en.

The notice is a legal document, not screen chrome: its wording is fixed here so that the
screen preview, ``csdesk complaint notice`` and the record of what was sent are the same
text. It states the findings, the decision and its basis, and the customer's remedies:
review (Art. 20), mediation, arbitration, litigation and the regulator's hotline 12378.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

REGULATOR_HOTLINE = "12378"
LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    """What goes into a decision notice (already masked and sanitised by the caller)."""

    ref: str
    customer_name: str
    accepted_on: date
    decided_on: date
    findings: str
    decision: str
    basis: str
    review_by: date


_TEMPLATES: dict[str, str] = {
    "zh-CN": (
        "投诉处理意见告知书\n"
        "编号：{ref}\n"
        "尊敬的{customer_name}：\n"
        "您于{accepted_on}提出的投诉已受理，经调查核实，现将处理意见告知如下。\n"
        "一、调查核实情况\n{findings}\n"
        "二、处理意见\n{decision}\n"
        "三、处理依据\n{basis}\n"
        "四、您的救济途径\n"
        "如您对上述处理意见有异议，可于{review_by}前（收到本告知书之日起30日内）向我司申请核查；"
        "也可通过调解、仲裁、诉讼等途径解决，或拨打监管部门投诉热线{hotline}。\n"
        "日期：{decided_on}\n"
    ),
    "en": (
        "Notice of complaint decision\n"
        "Reference: {ref}\n"
        "Dear {customer_name},\n"
        "Your complaint accepted on {accepted_on} has been investigated; our decision follows.\n"
        "1. Findings\n{findings}\n"
        "2. Decision\n{decision}\n"
        "3. Basis of the decision\n{basis}\n"
        "4. Your remedies\n"
        "If you disagree, you may ask us for a review by {review_by} (within 30 days of receiving "
        "this notice); you may also seek mediation, arbitration or litigation, or call the "
        "regulator's consumer hotline {hotline}.\n"
        "Date: {decided_on}\n"
    ),
}


def render_notice(facts: NoticeFacts, language: str = "zh-CN") -> str:
    """The notice text in ``language`` (zh-CN or en)."""
    if language not in _TEMPLATES:
        raise ValueError(f"no notice template for {language!r}; use zh-CN or en")
    return _TEMPLATES[language].format(
        ref=facts.ref,
        customer_name=facts.customer_name,
        accepted_on=facts.accepted_on.isoformat(),
        decided_on=facts.decided_on.isoformat(),
        findings=facts.findings,
        decision=facts.decision,
        basis=facts.basis,
        review_by=facts.review_by.isoformat(),
        hotline=REGULATOR_HOTLINE,
    )
