"""The demo store holds business-assistance cases that follow their tickets (a newcomer sees a working room)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from csdesk.data.api import StoreMode
from csdesk.data.demo_business import REJECT_EVERY, REWORK_EVERY
from csdesk.data.demo_seed import DemoSize, seed_demo
from csdesk.data.store import Store
from csdesk.domain.business_rules import incomplete_documents
from csdesk.domain.clock import FrozenClock

NOW = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)  # Monday 11:30 in China
SUPERVISOR = "wu.hong"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("demo-business") / "demo.sqlite3"
    store = Store.open(path, desk_id="DEMO", mode=StoreMode.DEMO, clock=FrozenClock(NOW))
    seed_demo(store, seed=7, size=DemoSize(customers=120, tickets=600, days=30))
    yield store
    store.close()


def test_cases_at_every_stage_with_rework_and_rejections(demo: Store) -> None:
    """Issue 12 stages: draft, submitted or in review, approved, completed, rejected; some reworked once."""
    cases = demo.business.list(SUPERVISOR)
    stages = Counter(case.stage for case in cases)
    assert stages["draft"] and stages["completed"] and stages["rejected"]
    assert stages["submitted"] + stages["in_review"] + stages["approved"] > 0
    assert any(case.rework_count == 1 for case in cases)
    assert all(case.opened_at < NOW for case in cases)
    rates = {row.key: row.rate for row in demo.business.success_rates(SUPERVISOR) if row.scope == "desk"}
    assert 1 - 1 / REJECT_EVERY - 1 / REWORK_EVERY - 0.1 < rates["DEMO"] < 1  # neither flat 100 % nor made up


def test_each_case_follows_its_business_ticket(demo: Store) -> None:
    """A case passed on is complete; a completed case's ticket is resolved; a submitted one waits on the department."""
    for case in demo.business.list(SUPERVISOR):
        ticket = demo.get_ticket_row(SUPERVISOR, case.ticket_id)
        assert ticket.kind == "business" and case.customer_id == ticket.customer_id
        statuses = {doc.doc_id: doc.status for doc in case.documents}
        if case.stage != "draft":
            assert not incomplete_documents(list(statuses), statuses)
            assert case.promised_at is not None
        if case.stage == "completed":
            assert ticket.status in ("resolved", "closed") and case.guidance
        if case.stage in ("submitted", "in_review"):
            assert ticket.status == "waiting_department"


def test_a_document_is_missing_while_the_customer_is_away(demo: Store) -> None:
    """A draft whose ticket waits for the customer names the missing document with a reason."""
    waiting = [
        case for case in demo.business.list(SUPERVISOR, stage="draft")
        if demo.get_ticket_row(SUPERVISOR, case.ticket_id).status == "waiting_customer"
    ]
    assert waiting
    for case in waiting:
        missing = [doc for doc in case.documents if doc.status == "missing"]
        assert len(missing) == 1 and missing[0].reason


def test_rebuild_gives_the_same_cases(demo: Store) -> None:
    """The cases are events like the rest of the demo: a rebuild from the log reproduces them."""
    before = demo.snapshot()
    demo.rebuild_projections()
    assert demo.snapshot() == before and before["business_case"]
