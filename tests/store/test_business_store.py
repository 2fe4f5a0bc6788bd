"""Store tests of business assistance (store.business): documents, passing, stages, success, refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from csdesk.data.api import CustomerView
from csdesk.data.business_views import BusinessCaseView
from csdesk.data.store import Store
from csdesk.domain.errors import Conflict, PermissionDenied, ValidationError
from tests.store.conftest import events

SH = ZoneInfo("Asia/Shanghai")
TOMORROW_10 = datetime(2026, 11, 24, 10, 0, tzinfo=SH)


@pytest.fixture
def ticket(store: Store, customer: CustomerView) -> str:
    """A business ticket of the customer, taken by agent1."""
    row = store.create_ticket("agent1", kind="business", channel="phone", subject="赎回基金", customer_id=customer.id)
    store.claim_ticket("agent1", row.id)
    return row.id


def _complete_file(store: Store, case: BusinessCaseView) -> BusinessCaseView:
    for doc in case.documents:
        case = store.business.check_document("agent1", case.id, doc.doc_id, "received")
    return case


def test_open_case_lists_the_checklist_documents_as_pending(store: Store, ticket: str) -> None:
    case = store.business.open_case("agent1", ticket, "fund_redemption")
    assert case.stage == "draft" and case.department == "Fund Operations"
    assert [(d.doc_id, d.status) for d in case.documents] == [
        ("id_card", "pending"), ("redemption_form", "pending"), ("bank_card", "pending"),
    ]
    assert case.customer_phone is not None and "13812345678" not in case.customer_phone


def test_unknown_business_type_names_the_types(store: Store, ticket: str) -> None:
    with pytest.raises(ValidationError, match="fund_redemption"):
        store.business.open_case("agent1", ticket, "bitcoin")


def test_missing_document_needs_a_reason(store: Store, ticket: str) -> None:
    case = store.business.open_case("agent1", ticket, "card_loss")
    with pytest.raises(ValidationError, match="why"):
        store.business.check_document("agent1", case.id, "loss_form", "missing")
    with pytest.raises(ValidationError, match="not a required document"):
        store.business.check_document("agent1", case.id, "passport", "received")


def test_incomplete_file_is_refused_and_lead_override_is_recorded(store: Store, ticket: str) -> None:
    """Issue 12: an incomplete file is not passed unless a team lead overrides with a reason."""
    case = store.business.open_case("agent1", ticket, "fund_redemption")
    store.business.check_document("agent1", case.id, "id_card", "received")
    store.business.check_document("agent1", case.id, "redemption_form", "invalid", "未签名")
    before = store.snapshot()
    with pytest.raises(ValidationError, match="redemption_form, bank_card not received"):
        store.business.pass_to_department("agent1", case.id)
    with pytest.raises(PermissionDenied, match=r"business\.override"):
        store.business.pass_to_department("agent1", case.id, override_reason="Customer is abroad")
    assert store.snapshot() == before
    passed = store.business.pass_to_department("lead", case.id, override_reason="客户在境外，次日补交")
    assert passed.stage == "submitted" and passed.override_reason == "客户在境外，次日补交"
    assert passed.promised_at is not None


def test_stage_out_of_order_names_allowed_next_stages(store: Store, ticket: str) -> None:
    case = _complete_file(store, store.business.open_case("agent1", ticket, "fund_redemption"))
    store.business.pass_to_department("agent1", case.id)
    with pytest.raises(Conflict, match="allowed next stages: in_review"):
        store.business.change_stage("agent1", case.id, "approved")
    with pytest.raises(ValidationError, match="A stage is one of"):
        store.business.change_stage("agent1", case.id, "lost")


def test_full_flow_with_rework_and_progress_callbacks(store: Store, ticket: str) -> None:
    """Each stage change may schedule a business_progress callback in the same write; rework counts."""
    case = _complete_file(store, store.business.open_case("agent1", ticket, "fund_redemption"))
    store.business.pass_to_department("agent1", case.id, notify_at=TOMORROW_10)
    store.business.change_stage("agent1", case.id, "in_review")
    store.business.change_stage("agent1", case.id, "returned_for_rework", note="银行卡非本人")
    store.business.check_document("agent1", case.id, "bank_card", "received")
    store.business.change_stage("agent1", case.id, "in_review", notify_at=TOMORROW_10)
    store.business.change_stage("agent1", case.id, "approved")
    done = store.business.complete("agent1", case.id, "T+3日内到账，请留意短信", notify_at=TOMORROW_10)
    assert (done.stage, done.rework_count, done.guidance) == ("completed", 1, "T+3日内到账，请留意短信")
    scheduled = [json.loads(ev.payload) for ev in events(store) if ev.kind == "callback.scheduled"]
    assert [(p["purpose"], p["ticket_id"]) for p in scheduled] == [("business_progress", ticket)] * 3


def test_success_rate_counts_completed_without_rework(store: Store, ticket: str) -> None:
    first = _complete_file(store, store.business.open_case("agent1", ticket, "card_installments"))
    second = _complete_file(store, store.business.open_case("agent1", ticket, "card_installments"))
    for case, path in ((first, ["in_review", "approved"]), (second, ["in_review", "rejected"])):
        store.business.pass_to_department("agent1", case.id)
        for stage in path:
            store.business.change_stage("agent1", case.id, stage)
    store.business.complete("agent1", first.id, "已告知还款计划")
    rows = {(r.scope, r.key): r for r in store.business.success_rates("sup")}
    assert (rows["agent", "agent1"].successes, rows["agent", "agent1"].closed) == (1, 2)
    assert rows["team", "A"].rate == pytest.approx(0.5)
    assert [c.id for c in store.business.list("agent1", stage="rejected")] == [second.id]


def test_closed_cases_feed_the_business_success_kpi(store: Store, ticket: str, customer: CustomerView) -> None:
    """KPI business success = completed without rework / closed, per case; a ticket without cases counts itself."""
    reworked = _complete_file(store, store.business.open_case("agent1", ticket, "card_loss"))
    clean = _complete_file(store, store.business.open_case("agent1", ticket, "card_loss"))
    store.business.open_case("agent1", ticket, "card_loss")  # still open: not counted
    for case, path in ((reworked, ["in_review", "returned_for_rework", "in_review", "approved"]),
                       (clean, ["in_review", "approved"])):
        store.business.pass_to_department("agent1", case.id)
        for stage in path:
            store.business.change_stage("agent1", case.id, stage)
        store.business.complete("agent1", case.id, "新卡7日后可领取")
    store.change_status("agent1", ticket, "resolved")  # the ticket has cases: counted through them
    plain = store.create_ticket("agent1", kind="business", channel="walk_in", subject="开户", customer_id=customer.id)
    store.claim_ticket("agent1", plain.id)
    store.change_status("agent1", plain.id, "resolved")
    rows = [r for r in store.reports.kpis("sup", "day", "desk") if r.kpi == "business_success"]
    assert (sum(r.met for r in rows), sum(r.due for r in rows)) == (2, 3)


def test_resubmission_needs_the_reworked_file_complete(store: Store, ticket: str) -> None:
    """A file returned for rework goes back to review only complete again (or with a lead's override)."""
    case = _complete_file(store, store.business.open_case("agent1", ticket, "fund_redemption"))
    store.business.pass_to_department("agent1", case.id)
    store.business.change_stage("agent1", case.id, "in_review")
    store.business.change_stage("agent1", case.id, "returned_for_rework", note="赎回申请表未签名")
    store.business.check_document("agent1", case.id, "redemption_form", "invalid", "未签名")
    with pytest.raises(ValidationError, match="redemption_form not received"):
        store.business.change_stage("agent1", case.id, "in_review")
    again = store.business.change_stage("lead", case.id, "in_review", override_reason="部门同意先审")
    assert (again.stage, again.rework_count) == ("in_review", 1)


def test_hostile_text_is_cleaned_and_numbers_masked(store: Store, ticket: str) -> None:
    """Reasons and guidance lose escape sequences; a card number in free text is shown masked."""
    case = store.business.open_case("agent1", ticket, "card_loss")
    checked = store.business.check_document("agent1", case.id, "loss_form", "invalid", "\x1b[31m过期\x1b]0;x\x07")
    assert checked.documents[1].reason == "过期"
    _complete_file(store, case)
    store.business.pass_to_department("agent1", case.id)
    for stage in ("in_review", "approved"):
        store.business.change_stage("agent1", case.id, stage)
    before = store.snapshot()
    with pytest.raises(ValidationError, match="limit is 4,000"):
        store.business.complete("agent1", case.id, "x" * 10_000_000)
    with pytest.raises(ValidationError, match="guidance"):
        store.business.complete("agent1", case.id, "   ")
    assert store.snapshot() == before
    done = store.business.complete("agent1", case.id, "新卡 6222021234567891233 已寄出")
    assert "6222021234567891233" not in done.guidance and done.guidance.startswith("新卡 ")


def test_refusals_are_audited(store: Store, ticket: str) -> None:
    with pytest.raises(PermissionDenied, match=r"business\.work"):
        store.business.open_case("qa", ticket, "fund_redemption")
    assert events(store)[-1].kind == "access.denied"


def test_rebuild_reproduces_business_projections(store: Store, ticket: str) -> None:
    """Event log is the source of truth: rebuilding gives the same case and document rows."""
    case = _complete_file(store, store.business.open_case("agent1", ticket, "fund_redemption"))
    store.business.pass_to_department("agent1", case.id, promised_at=datetime(2026, 11, 26, 9, tzinfo=UTC))
    store.business.change_stage("agent1", case.id, "in_review")
    store.business.change_stage("agent1", case.id, "returned_for_rework")
    before = store.snapshot()
    assert len(before["business_case"]) == 1 and len(before["business_document"]) == 3
    store.rebuild_projections()
    assert store.snapshot() == before


def test_promised_date_is_typed_in_desk_time(store: Store, ticket: str) -> None:
    """The department's promised date: default from the checklist, or typed in desk (Beijing) time."""
    case = _complete_file(store, store.business.open_case("agent1", ticket, "fund_redemption"))
    passed = store.business.pass_to_department("agent1", case.id)
    assert passed.promised_at == datetime(2026, 11, 26, 9, tzinfo=UTC)  # 3 days (checklist)
    store.business.change_stage("agent1", case.id, "in_review")
    moved = store.business.change_stage("agent1", case.id, "approved", promised_at="2026-11-27 10:00")
    assert moved.promised_at == datetime(2026, 11, 27, 2, tzinfo=UTC)
    with pytest.raises(ValidationError, match="month"):
        store.business.complete("agent1", case.id, "ok", notify_at="2026-13-01 10:00")
