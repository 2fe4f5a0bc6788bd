"""Helpers for Pilot-driven tests: a frozen desk, waiting for workers to land."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from csdesk.app import CsdeskApp
from csdesk.data.api import StoreMode
from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from csdesk.launch import Launch
from csdesk.screens.ticket import TicketScreen

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def frozen_clock() -> FrozenClock:
    """The fixed instant every UI test runs at."""
    return FrozenClock(NOW)


def make_desk_store(path: Path, clock: FrozenClock | None = None) -> Store:
    """A small live store with people of several roles and a handful of tickets."""
    clock = clock or frozen_clock()
    store = Store.open(path, desk_id="D01", mode=StoreMode.LIVE, clock=clock)
    store.add_user(None, "sup", "周主管", "supervisor")
    store.add_user("sup", "li", "李娜", "agent")
    store.add_user("sup", "lead", "Grace Chen", "team_lead")
    vip = store.create_customer("li", name="张伟", phone="13812345678", vip=True)
    plain = store.create_customer("li", name="Emily Carter", phone="+86 139 0000 1111", language="en")
    subjects = [
        ("complaint", "phone", "urgent", "信用卡年费被重复扣收", vip.id),
        ("consultation", "chat", "normal", "How do I raise my transfer limit?", plain.id),
        ("business", "walk_in", "high", "基金赎回到账时间", vip.id),
        ("consultation", "phone", "normal", "银行卡挂失后如何补卡", None),
        ("suggestion", "email", "normal", "Please add English statements", plain.id),
    ]
    for kind, channel, priority, subject, customer_id in subjects:
        store.create_ticket(
            "li", kind=kind, channel=channel, priority=priority, subject=subject, customer_id=customer_id
        )
    return store


def make_app(store_path: Path, user: str = "li", language: str = "zh-CN", demo: bool = False) -> CsdeskApp:
    """The real app, on ``store_path``, signed in as ``user``, with the frozen clock."""
    key = "demo_store_path" if demo else "store_path"
    overrides = {key: store_path, "user": user, "language": language}
    launch = Launch(overrides=overrides, demo=demo, clock=frozen_clock(), demo_customers=40, demo_tickets=80)
    return CsdeskApp(launch)


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run until ``condition`` holds (workers run in threads)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.05)
    await pilot.pause()


async def wait_ready(pilot: Pilot) -> None:
    """Until the desk is open and the queue has its rows."""
    app = pilot.app
    assert isinstance(app, CsdeskApp)

    def ready() -> bool:
        if app.desk is None or app.current_mode != "queue":
            return False
        from csdesk.widgets.ticket_table import TicketTable

        tables = app.screen.query(TicketTable)
        return bool(tables) and (tables.first().total == 0 or tables.first().current is not None)

    await wait_for(pilot, ready)


def tables_measured(pilot: Pilot) -> bool:
    """Whether every table on screen has measured its rows.

    A DataTable sizes its columns on its next idle after rows are added; until then it
    draws columns as wide as their labels. A screenshot taken in between is narrower.
    """
    return not any(table._require_update_dimensions for table in pilot.app.screen.query(DataTable))


async def wait_idle(pilot: Pilot) -> None:
    """Until no worker is running and every table has sized its columns (store calls have landed on screen)."""
    app = pilot.app
    await pilot.pause()
    await wait_for(pilot, lambda: not any(w.is_running for w in app.workers) and tables_measured(pilot))
    await pilot.pause()


async def open_first_ticket(pilot: Pilot) -> TicketScreen:
    """From the queue, open the ticket under the cursor and wait until it is loaded."""
    await wait_ready(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TicketScreen) and pilot.app.screen.detail is not None)
    screen = pilot.app.screen
    assert isinstance(screen, TicketScreen)
    return screen
