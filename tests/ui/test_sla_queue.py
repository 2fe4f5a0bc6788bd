"""SLA in the queue: remaining time and colour band, pause while waiting, breach warnings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from csdesk.widgets.ticket_table import TicketTable, sla_badge, sla_cell
from tests.ui.helpers import NOW, make_app, make_desk_store, wait_for, wait_ready


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    return path


async def test_remaining_time_bands_pause_and_breach_warning(store_path: Path) -> None:
    app = make_app(store_path, language="en")
    async with app.run_test(size=(130, 36)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        clock = app.desk.clock
        table = app.screen.query_one(TicketTable)
        row = next(r for r in table.loaded_rows() if r.subject.startswith("How do I raise"))  # chat, normal
        assert row.sla_target == "first_response" and row.sla_mode == "business"
        assert sla_badge(row, NOW).status == "ok"
        assert str(sla_cell(row, NOW)) == "30m"  # 17:30 Beijing, 30 working minutes before 20:00
        clock.advance(timedelta(minutes=25))  # type: ignore[attr-defined]
        assert sla_badge(row, clock.now()).status == "warning"
        app.screen.sla_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert any(row.ref in str(n.message) for n in app._notifications)
        clock.advance(timedelta(minutes=10))  # type: ignore[attr-defined]
        assert sla_badge(row, clock.now()).status == "breached"
        assert str(sla_cell(row, clock.now())).startswith("-")
        await pilot.press("b")  # breaching filter
        await wait_for(pilot, lambda: table.total >= 1 and table.current is not None)
        assert all(r.sla_due is not None and r.sla_due < clock.now() for r in table.loaded_rows())


async def test_waiting_for_the_customer_pauses_the_clock(store_path: Path) -> None:
    """Zammad users complain that waiting does not pause the SLA; here it does."""
    app = make_app(store_path, language="en")
    async with app.run_test(size=(130, 36)) as pilot:
        await wait_ready(pilot)
        assert app.desk is not None
        store, clock = app.desk.store, app.desk.clock
        ticket = store.create_ticket("li", kind="complaint", channel="phone", subject="年费投诉 pause test")
        store.claim_ticket("li", ticket.id)  # first response given: the resolution target runs
        clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
        store.change_status("li", ticket.id, "waiting_customer")
        paused = store.get_ticket_row("li", ticket.id)
        frozen = sla_badge(paused, clock.now())
        assert frozen.status == "paused"
        clock.advance(timedelta(days=3))  # type: ignore[attr-defined]
        assert sla_badge(paused, clock.now()).remaining == frozen.remaining
        assert str(sla_cell(paused, clock.now())).startswith("⏸")
        store.change_status("li", ticket.id, "open")
        resumed = store.get_ticket_row("li", ticket.id)
        assert resumed.sla_paused_at is None
        assert resumed.sla_due == paused.sla_due + timedelta(days=3)  # complaint targets run on calendar time
