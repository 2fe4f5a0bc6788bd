"""Snapshots of business assistance at a fixed size, with fixed data and a frozen clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from csdesk.data.store import Store
from csdesk.screens.business import BusinessScreen
from tests.ui.helpers import make_app, make_desk_store, wait_for, wait_idle, wait_ready

SIZE = (120, 32)


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The UI desk with a fund redemption being checked (one invalid form) and a loss report in review."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSDESK_CONFIG", "no-config.toml")
    store: Store = make_desk_store(Path("desk.sqlite3"))
    [ticket] = [t for t in store.list_tickets("li") if t.kind == "business"]
    loss = store.business.open_case("li", ticket.id, "card_loss")
    for doc in loss.documents:
        store.business.check_document("li", loss.id, doc.doc_id, "received")
    store.business.pass_to_department("li", loss.id)
    store.business.change_stage("li", loss.id, "in_review")
    redemption = store.business.open_case("li", ticket.id, "fund_redemption")
    store.business.check_document("li", redemption.id, "id_card", "received")
    store.business.check_document("li", redemption.id, "redemption_form", "invalid", "客户未签名")
    store.close()
    return Path("desk.sqlite3"), ticket.id


def _open(ticket_id: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await wait_ready(pilot)
        await pilot.app.push_screen(BusinessScreen(ticket_id))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, BusinessScreen) and bool(pilot.app.screen.cases))
        await wait_idle(pilot)

    return run_before


def test_business_case_zh(desk: tuple[Path, str], snap_compare) -> None:
    """Newest case first: the redemption's documents (received / invalid / to check), process and cautions."""
    path, ticket_id = desk
    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=_open(ticket_id))


def test_business_case_en(desk: tuple[Path, str], snap_compare) -> None:
    path, ticket_id = desk
    assert snap_compare(make_app(path, language="en"), terminal_size=SIZE, run_before=_open(ticket_id))
