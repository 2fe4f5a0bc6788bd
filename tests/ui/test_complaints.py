"""The complaint flow driven with Pilot: log from a ticket -> group -> pause -> extend -> decide -> notice ->
close (follow-up) -> reopen; the F4 list ordered by days remaining."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from csdesk.screens.complaint_forms import FormModal
from csdesk.screens.complaints import ComplaintDetailScreen, ComplaintsScreen
from tests.ui.complaint_desk import make_complaint_store
from tests.ui.helpers import make_app, make_desk_store, open_first_ticket, wait_for, wait_idle, wait_ready


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    return path


async def fill(pilot: Pilot, values: dict[str, str]) -> None:
    """Fill the open form and save it with Ctrl+S."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormModal))
    form = pilot.app.screen
    for key, value in values.items():
        widget = form.query_one(f"#field-{key}")
        assert isinstance(widget, Input | Select)
        widget.value = value
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, FormModal))


async def step(pilot: Pilot, screen: ComplaintDetailScreen, key: str, values: dict[str, str] | None, done) -> None:
    """Press ``key`` on the detail screen, fill its form (if any), wait until ``done(detail)``."""
    await pilot.press(key)
    if values is not None:
        await fill(pilot, values)
    await wait_for(pilot, lambda: screen.detail is not None and done(screen.detail))
    await wait_idle(pilot)


async def test_log_from_ticket_through_reopen(store_path: Path) -> None:
    """Seed 002 complaint flow with the CBIRC clock: every step recorded, history kept on reopen."""
    app = make_app(store_path, user="sup")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_ticket(pilot)
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, FormModal))
        promised = app.screen.query_one("#field-promised", Input).value
        assert promised == "2026-12-08"  # the form proposes the legal deadline (Art. 16: 15 days)
        await fill(pilot, {"business": "credit_card", "cause": "pricing_fees", "description": "年费重复扣收",
                           "amount_in_dispute": "300"})
        await wait_for(pilot, lambda: isinstance(app.screen, ComplaintDetailScreen) and app.screen.detail is not None)
        screen = app.screen
        assert isinstance(screen, ComplaintDetailScreen) and screen.detail is not None
        assert screen.detail.row.deadline.isoformat() == "2026-12-08"

        await step(pilot, screen, "g", {"departments": "信用卡中心, 法务部", "lead": "li"},
                   lambda d: d.row.lead_handler_id == "li" and d.departments == ("信用卡中心", "法务部"))
        await step(pilot, screen, "p", {"reason": "mediation", "note": "第三方调解"}, lambda d: d.row.paused)
        await step(pilot, screen, "p", None, lambda d: not d.row.paused and d.pauses[0].end_on is not None)
        await step(pilot, screen, "e", {"days": "30", "reason": "需调取多方记录"}, lambda d: d.row.allowed_days == 30)
        assert screen.detail.row.deadline.isoformat() == "2026-12-23"
        decision = {"findings": "重复扣费属实", "decision": "退还年费 300 元", "basis": "合约第 5 条",
                    "root_cause": "批扣未去重"}
        await step(pilot, screen, "d", decision, lambda d: d.row.status == "decided")
        await wait_for(pilot, lambda: "12378" in str(screen.query_one("#complaint-notice", Static).render()))
        await step(pilot, screen, "n", {"channel": "letter", "proof": "EMS 1234567890"},
                   lambda d: d.row.status == "notified" and d.notice_proof == "EMS 1234567890")
        await step(pilot, screen, "c", {}, lambda d: d.row.status == "closed")
        assert screen.detail.follow_up_due is not None and screen.detail.follow_up_due.isoformat() == "2026-11-26"
        await pilot.press("R")
        await pilot.press(*"回访不满意")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.detail is not None and screen.detail.row.status == "open")
        detail = screen.detail
        assert detail.reopened_count == 1 and detail.decision == "退还年费 300 元"
        kinds = [e.kind for e in detail.timeline]
        assert kinds[0] == "complaint.logged" and kinds[-1] == "complaint.reopened"
        assert {"complaint.paused", "complaint.resumed", "complaint.extended", "complaint.notice_sent",
                "complaint.closed"} <= set(kinds)


async def test_a_promise_after_the_deadline_is_refused_and_nothing_is_logged(store_path: Path) -> None:
    """Art. 16: the promised reply date is never after the legal deadline; the form says why."""
    app = make_app(store_path, user="li", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        ticket = await open_first_ticket(pilot)
        await pilot.press("C")
        await fill(pilot, {"business": "loan", "cause": "process", "description": "x", "promised": "2026-12-31"})
        await wait_for(pilot, lambda: any("after the legal deadline" in n.message for n in app._notifications))
        await wait_idle(pilot)
        assert app.screen is ticket
        assert app.desk is not None and app.desk.store.complaints.list("li") == []


async def test_list_is_ordered_by_days_remaining_with_marks(tmp_path: Path) -> None:
    """DOMAIN.md: the supervisor sees every complaint by days remaining, due ≤ 3 days first and marked."""
    path = tmp_path / "desk.sqlite3"
    make_complaint_store(path).close()
    app = make_app(path, user="sup", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, ComplaintsScreen) and bool(app.screen.rows))
        screen = app.screen
        assert isinstance(screen, ComplaintsScreen)
        remaining = [r.days_remaining for r in screen.rows if r.status in ("open", "review")]
        assert remaining == sorted(remaining) and remaining[0] == 2
        assert screen.rows[0].due_soon and screen.rows[-1].status == "closed"
        table = screen.query_one(DataTable)
        first = table.get_row_at(0)
        assert first[6].plain == "2 d" and "bold red" in str(first[6].style)
        flags = {r.ref: table.get_row(r.id)[7].plain for r in screen.rows}
        assert any("paused" in f for f in flags.values()) and any("major" in f for f in flags.values())
        await pilot.press("d")
        await wait_for(pilot, lambda: len(screen.rows) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ComplaintDetailScreen) and app.screen.detail is not None)


async def test_a_deadline_in_a_year_without_its_holiday_notice_is_flagged(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form and the clock say the date only skips weekends until the year's notice is added."""
    from csdesk.domain.workdays import HolidayCalendar
    from csdesk.screens import complaints

    monkeypatch.setattr(complaints, "CN_CALENDAR", HolidayCalendar((), (), ()))  # knows no year at all
    app = make_app(store_path, user="sup", language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_ticket(pilot)
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, FormModal))
        hint = app.screen.query_one("Label.hint")
        assert "2026's holiday schedule is not loaded" in str(hint.render())
        await fill(pilot, {"business": "credit_card", "cause": "pricing_fees", "description": "fee charged twice"})
        await wait_for(pilot, lambda: isinstance(app.screen, ComplaintDetailScreen) and app.screen.detail is not None)
        clock = str(app.screen.query_one("#complaint-clock", Static).render())
        assert "2026's holiday schedule is not loaded" in clock and "csdesk calendar" in clock
