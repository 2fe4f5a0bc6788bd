"""Recording a new contact with Pilot: find or create the customer, classify, save."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from csdesk.screens.intake import NewContactScreen
from csdesk.widgets.ticket_table import TicketTable
from tests.ui.helpers import make_app, make_desk_store, wait_for, wait_idle, wait_ready


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    make_desk_store(path).close()
    return path


async def open_form(pilot) -> NewContactScreen:
    await wait_ready(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, NewContactScreen))
    screen = pilot.app.screen
    assert isinstance(screen, NewContactScreen)
    return screen


async def test_find_existing_customer_by_whole_phone_and_save(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        await pilot.press(*"13812345678")
        await wait_for(pilot, lambda: len(screen.matches) == 1)
        await pilot.press("enter")
        assert screen.customer is not None and screen.customer.name == "张伟"
        assert screen.focused is screen.query_one("#subject")
        await pilot.press(*"银行卡丢失 要挂失")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewContactScreen))
        await wait_ready(pilot)
        await wait_idle(pilot)
        table = app.screen.query_one(TicketTable)
        assert table.total == 6
        newest = table.row_at(0)
        assert newest is not None and newest.subject == "银行卡丢失 要挂失" and newest.customer_name == "张伟"
        assert newest.kind == "consultation" and newest.channel == "phone"


async def test_partial_number_does_not_match(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        await pilot.press(*"5678")
        await wait_idle(pilot)
        await pilot.pause(0.4)
        await wait_idle(pilot)
        assert screen.matches == []


async def test_invalid_phone_names_the_field_and_keeps_the_form(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        screen.query_one("#new-name").value = "王小明"  # type: ignore[attr-defined]
        screen.query_one("#new-phone").value = "12345"  # type: ignore[attr-defined]
        screen.query_one("#subject").value = "咨询转账限额"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(screen.query("#new-phone.-invalid")))
        assert screen.focused is screen.query_one("#new-phone")
        assert isinstance(app.screen, NewContactScreen), "the form stays open"
        assert screen.query_one("#subject").value == "咨询转账限额"  # type: ignore[attr-defined]
        assert "phone" in str(screen.query_one("#form-error").render()).lower() or str(
            screen.query_one("#form-error").render()
        )


async def test_new_customer_created_once_even_when_the_ticket_is_refused(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        screen.query_one("#new-name").value = "陈静"  # type: ignore[attr-defined]
        screen.query_one("#new-phone").value = "+86 137 0000 2222"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")  # no subject: refused, but the customer now exists
        await wait_for(pilot, lambda: bool(screen.query("#subject.-invalid")))
        assert screen.customer is not None and screen.customer.phone == "137****2222"
        screen.query_one("#subject").value = "信用卡分期手续费"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewContactScreen))
        assert app.desk is not None
        found = app.desk.store.find_customers("li", "13700002222")
        assert len(found) == 1


async def test_ten_megabyte_paste_is_refused_at_once_and_nothing_is_lost(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        area = screen.query_one("#description")
        area.text = "客户说明：卡被吞。"  # type: ignore[attr-defined]
        area.focus()
        area.post_message(events.Paste("投诉内容" * 2_600_000))
        await wait_for(pilot, lambda: "20,000" in str(screen.query_one("#form-error").render()))
        assert area.text == "客户说明：卡被吞。"  # type: ignore[attr-defined]
        await pilot.pause()
        assert sum("20,000" in str(n.message) for n in app._notifications) == 1  # the form's, not the app's as well


async def test_pasted_escapes_are_stripped(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        area = screen.query_one("#description")
        area.focus()
        area.post_message(events.Paste("\x1b[2J\x1b]0;pwned\x07余额\x00不对"))
        await wait_for(pilot, lambda: area.text != "")  # type: ignore[attr-defined]
        assert area.text == "余额不对"  # type: ignore[attr-defined]


async def test_description_over_the_limit_is_refused_by_the_store_and_kept(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        typed = "x" * 20_001
        screen.query_one("#subject").value = "超长描述"  # type: ignore[attr-defined]
        screen.query_one("#description").text = typed  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(screen.query("#description.-invalid")))
        assert screen.query_one("#description").text == typed  # type: ignore[attr-defined]
        assert isinstance(app.screen, NewContactScreen)


async def test_escape_sequences_in_the_subject_are_stored_inert(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_form(pilot)
        screen.query_one("#subject").value = "\x1b]52;c;ZXZpbA==\x07\x1b[31m红色\x1b[0m\u202e标题"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, NewContactScreen))
        await wait_ready(pilot)
        await wait_idle(pilot)
        newest = app.screen.query_one(TicketTable).row_at(0)
        assert newest is not None and newest.subject == "红色标题"
