"""`csdesk callback due|add` from a script: JSON, masking, refusals in one sentence."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csdesk.data.store import Store
from csdesk.domain.callback_rules import ContactWindow, nearest_allowed
from csdesk.domain.clock import FrozenClock

PHONE = "13812345678"


@pytest.fixture
def desk(tmp_path: Path) -> tuple[str, str]:
    """A store with an agent, a customer and a complaint ticket, plus a callback two days overdue.

    The subprocess reads the real clock, so the overdue callback is placed two days before it.
    """
    path = tmp_path / "desk.sqlite3"
    past = FrozenClock(datetime.now(UTC) - timedelta(days=2))
    store = Store.open(path, desk_id="D01", clock=past)
    try:
        store.add_user(None, "sup", "周敏", "supervisor", "A")
        store.add_user("sup", "li", "李娜", "agent", "A")
        customer = store.create_customer("li", name="张伟", phone=PHONE)
        ticket = store.create_ticket("li", kind="complaint", channel="phone", subject="年费", customer_id=customer.id)
        due = nearest_allowed(past.now() + timedelta(hours=1), ContactWindow())
        assert due is not None
        store.callbacks.schedule("li", purpose="complaint_follow_up", ticket_id=ticket.id, due=due)
        return str(path), ticket.ref
    finally:
        store.close()


def test_due_lists_the_overdue_callback_masked(run_cli, desk: tuple[str, str]) -> None:
    """`callback due --json` lists overdue callbacks with the customer's phone masked."""
    store, ref = desk
    result = run_cli("--store", store, "--user", "li", "callback", "due", "--agent", "li", "--json")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["ticket_ref"] == ref and row["purpose"] == "complaint_follow_up" and row["status"] == "scheduled"
    assert row["customer"]["phone"] == "138****5678"
    assert PHONE not in result.stdout
    other = run_cli("--store", store, "--user", "li", "callback", "due", "--agent", "sup", "--json")
    assert json.loads(other.stdout) == []


def test_add_weekly_from_a_phone_number(run_cli, desk: tuple[str, str]) -> None:
    """`callback add` finds the customer by whole phone, starts on the rule's first weekday, masks output."""
    store, _ = desk
    result = run_cli(
        "--store", store, "--user", "li", "callback", "add", "--purpose", "satisfaction_survey",
        "--customer-phone", PHONE, "--due", "2027-03-10 10:00", "--every", "weekly", "--weekday", "mon",
        "--weekday", "thu", "--count", "4", "--json",
    )
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["due_at"] == "2027-03-11T02:00:00+00:00"  # Wednesday 10 March -> first Thursday, 10:00 Beijing
    assert row["rule"]["weekdays"] == [0, 3] and row["rule"]["count"] == 4
    assert row["customer"]["phone"] == "138****5678" and PHONE not in result.stdout


def test_refused_time_names_the_nearest_allowed(run_cli, desk: tuple[str, str]) -> None:
    """A time outside the window is refused in one sentence with the nearest allowed time; nothing written."""
    store, ref = desk
    result = run_cli(
        "--store", store, "--user", "li", "callback", "add", "--purpose", "complaint_follow_up", "--ticket", ref,
        "--due", "2027-03-10 22:00",
    )
    assert result.returncode == 2
    assert "outside the customer's contact window" in result.stderr
    assert "Nearest allowed time: 2027-03-11 09:00" in result.stderr
    assert "Traceback" not in result.stderr
    impossible = run_cli(
        "--store", store, "--user", "li", "callback", "add", "--purpose", "complaint_follow_up", "--ticket", ref,
        "--due", "2027-02-30 10:00",
    )
    assert impossible.returncode == 2 and "There is no 30 February 2027" in impossible.stderr
    listed = run_cli("--store", store, "--user", "li", "callback", "due", "--within", "44640", "--json")
    assert len(json.loads(listed.stdout)) == 1
