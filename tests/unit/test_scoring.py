"""Scoring rules of a training run (DOMAIN.md "Training"; complaint clock: CBIRC Order 2020 No. 3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csdesk.domain.arrivals import CHINA
from csdesk.domain.scenario import CHECKS, parse_scenario
from csdesk.domain.scoring import RULES, Fact, RunFacts, legal_deadline, score

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TICKET, CUSTOMER = "t1", "c1"


def scenario(*checks: dict) -> object:
    return parse_scenario(
        {
            "id": "s",
            "title": "S",
            "briefing": "B",
            "arrivals": [{"kind": "complaint", "channel": "phone", "subject": "x"}],
            "expect": list(checks),
        }
    )


def run(*facts: Fact) -> RunFacts:
    return RunFacts("li", {TICKET: T0}, frozenset({TICKET}), frozenset({CUSTOMER}), facts)


def fact(kind: str, seconds: int = 0, actor: str = "li", entity: str = "ticket", **data: object) -> Fact:
    return Fact(kind, actor, entity, TICKET if entity == "ticket" else "x", T0 + timedelta(seconds=seconds), data)


def only(checks: dict, *facts: Fact):
    [result] = score(scenario(checks), run(*facts)).results  # type: ignore[arg-type]
    return result


def test_every_check_kind_has_a_rule() -> None:
    """A check a scenario may name is always scored."""
    assert set(CHECKS) == set(RULES)


def test_legal_deadline_is_15_calendar_days_from_the_day_after_acceptance() -> None:
    """Art. 18: 15 days from acceptance; the end of the last day, China time."""
    accepted = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in China
    end = legal_deadline(accepted).astimezone(CHINA)
    assert (end.date().isoformat(), end.hour, end.minute) == ("2026-12-08", 23, 59)


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day() -> None:
    """Civil Code Art. 203: a period ending on 5 October (National Day) ends on 8 October."""
    accepted = datetime(2026, 9, 20, 2, 0, tzinfo=UTC)
    assert legal_deadline(accepted).astimezone(CHINA).date().isoformat() == "2026-10-08"


def test_first_answer_full_half_or_nothing() -> None:
    """Within the target: all points; within twice the target: half; later or never: none."""
    check = {"check": "first_answer", "within": "30s", "points": 10}
    assert only(check, fact("ticket.assigned", 20)).earned == 10
    assert only(check, fact("ticket.assigned", 50)).earned == 5
    assert only(check, fact("ticket.assigned", 61)).earned == 0
    assert only(check).code == "not_answered"
    assert only(check, fact("ticket.assigned", 5, actor="someone-else")).code == "not_answered"


def test_kb_article_must_be_the_expected_one() -> None:
    """The right article (any of the listed ones) on a scenario ticket."""
    check = {"check": "kb_article", "article": ["card-loss-report", "fraud-suspected"]}
    assert only(check, fact("ticket.kb_used", article_id="fraud-suspected")).passed
    assert only(check, fact("ticket.kb_used", article_id="service-hours")).code == "kb_wrong"
    assert only(check).code == "kb_none"


def complaint(**data: object) -> Fact:
    base = {
        "customer_id": CUSTOMER,
        "channel": "phone",
        "business": "credit_card",
        "cause": "pricing_fees",
        "description": "年费重复扣收",
        "severity": "high",
        "complainants": 1,
        "promised_at": (T0 + timedelta(days=10)).isoformat(),
        "deadline": legal_deadline(T0).isoformat(),
    }
    return fact("complaint.logged", entity="complaint", **{**base, **data})


def test_complaint_fields_complete_and_right() -> None:
    """Every field of complaint.logged filled; expected values and the ≥ 20 complainants of a major complaint."""
    check = {"check": "complaint_fields", "values": {"business": "credit_card"}, "points": 9}
    assert only(check, complaint()).passed
    partial = only(check, complaint(cause="", business="deposit"))
    assert partial.code == "complaint_incomplete" and "cause" in partial.values["fields"]
    assert 0 < partial.earned < 9
    major = {"check": "complaint_fields", "min_complainants": 20}
    assert not only(major, complaint(complainants=3)).passed
    assert only(major, complaint(complainants=25)).passed
    assert only(check, complaint(customer_id="someone else")).code == "complaint_missing"


def test_the_promised_reply_must_not_pass_the_legal_deadline() -> None:
    """promised_at ≤ deadline and ≤ 15 days after acceptance."""
    check = {"check": "deadline"}
    assert only(check, complaint()).passed
    assert only(check, complaint(promised_at=(T0 + timedelta(days=20)).isoformat())).code == "deadline_late"
    early_deadline = (T0 + timedelta(days=5)).isoformat()
    assert only(check, complaint(deadline=early_deadline)).code == "deadline_late"
    assert only(check, complaint(promised_at=None)).code == "deadline_none"


def test_callbacks_masking_consulting_links_and_notes() -> None:
    """The remaining checks, each passing and failing."""
    callback = {"check": "callback", "purpose": "complaint_follow_up"}
    scheduled = fact("callback.scheduled", entity="callback", customer_id=CUSTOMER, purpose="complaint_follow_up")
    assert only(callback, scheduled).passed
    wrong = fact("callback.scheduled", entity="callback", customer_id=CUSTOMER, purpose="satisfaction_survey")
    assert only(callback, wrong).code == "callback_missing"

    masking = {"check": "masking", "allow": ["card_no"]}
    assert only(masking, fact("pii.revealed", entity="customer", field="card_no", ticket_id=TICKET)).passed
    assert not only(masking, fact("pii.revealed", entity="customer", field="id_number", ticket_id=TICKET)).passed
    assert not only(masking, fact("pii.revealed", entity="customer", field="card_no", ticket_id=None)).passed

    consulted = {"check": "consulted", "department": "风险"}
    assert only(consulted, fact("ticket.consulted", department="风险管理部")).passed
    assert not only(consulted, fact("ticket.consulted", department="信用卡中心")).passed

    links = [fact("ticket.linked", other_id=f"o{i}") for i in range(3)]
    assert only({"check": "linked", "min": 3}, *links).passed
    assert not only({"check": "linked", "min": 4}, *links).passed
    assert only({"check": "notes", "min": 2}, fact("ticket.note_added"), fact("ticket.note_added")).passed
    assert only({"check": "notes", "min": 2}, fact("ticket.note_added")).code == "notes_few"


def test_the_report_adds_up() -> None:
    """Percent is earned over possible, rounded."""
    report = score(
        scenario({"check": "notes", "points": 30}, {"check": "masking", "points": 10}),  # type: ignore[arg-type]
        run(),
    )
    assert (report.earned, report.possible, report.percent) == (10, 40, 25)
