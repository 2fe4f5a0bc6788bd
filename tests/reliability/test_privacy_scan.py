"""Privacy: known sample numbers never appear whole on a screen, in a log line, a CLI output, an export or an error.

Rule (DOMAIN.md, Data protection): "ID number, phone, card and account numbers are masked
everywhere by default; an agent may reveal one for the current ticket, which is audited.
Exports for analysts are masked. No customer data in logs." Every text the product
produced is handed to :func:`tests.pii_scan.assert_no_pii`, which also finds the numbers
grouped, full-width or split by invisible characters.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from csdesk.app import CsdeskApp
from csdesk.data.api import StoreMode
from csdesk.data.store import Store
from csdesk.domain.errors import CsdeskError
from csdesk.launch import Launch
from tests.pii_scan import SAMPLES, assert_no_pii, find_pii
from tests.reliability.cli_inproc import run_inproc
from tests.ui.helpers import frozen_clock, open_first_ticket, wait_for, wait_idle, wait_ready

#: The same numbers as customers write them in free text.
SPOKEN = {
    "phone": "139 1234 8765",
    "id_number": "110105 19491231 002X",
    "card_no": "6222 6002 6000 1072 444",
    "account_no": "6217-0000-9876-5432-10",
}
#: Numbers that fail their check (bad check digit, bad Luhn): error messages must not echo them either.
INVALID = {"id_number": "110105194912310021", "card_no": "6222600260001072445"}


def _pii_store(path: Path) -> tuple[str, str]:
    """A desk whose customer holds every sample number, with tickets and notes that quote them."""
    store = Store.open(path, desk_id="D01", mode=StoreMode.LIVE, clock=frozen_clock())
    try:
        store.add_user(None, "sup", "周主管", "supervisor")
        store.add_user("sup", "li", "李娜", "agent")
        store.add_user("sup", "analyst", "Ann Lu", "analyst")
        customer = store.create_customer("li", name="王小明", **SAMPLES)
        ticket = store.create_ticket(
            "li", kind="complaint", channel="phone", customer_id=customer.id,
            subject=f"卡号 {SAMPLES['card_no']} 被盗刷, 回电 {SAMPLES['phone']}",
            description="\n".join(f"{k}: {v} / {SPOKEN[k]}" for k, v in SAMPLES.items()),
        )
        store.add_note("li", ticket.id, f"客户身份证 {SAMPLES['id_number']}, 账号 {SPOKEN['account_no']}")
        store.reveal("li", customer.id, "phone", ticket.id)
        return customer.id, ticket.id
    finally:
        store.close()


@pytest.fixture
def pii_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    _pii_store(path)
    return path


def _svg_text(svg: str) -> str:
    """The characters an SVG screenshot shows (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", svg))


def _app(path: Path, user: str = "li", language: str = "zh-CN", **settings: object) -> CsdeskApp:

    overrides = {"store_path": path, "user": user, "language": language, **settings}
    return CsdeskApp(Launch(overrides=overrides, demo=False, clock=frozen_clock()))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
async def test_screens_never_show_a_whole_number(pii_path: Path, language: str) -> None:
    """Queue, ticket detail (description, notes, timeline), knowledge base and the new-contact form."""
    app = _app(pii_path, language=language)
    shots: list[str] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_ready(pilot)
        await wait_idle(pilot)
        shots.append(app.export_screenshot())
        await open_first_ticket(pilot)
        await wait_idle(pilot)
        shots.append(app.export_screenshot())
        await pilot.press("end")
        await pilot.pause()
        shots.append(app.export_screenshot())
        await pilot.press("f3")
        await wait_idle(pilot)
        shots.append(app.export_screenshot())
    assert assert_no_pii((_svg_text(s) for s in shots), where=f"a screen ({language})") == 4
    assert "139****8765" in _svg_text(shots[1])  # the customer panel shows the masked form


async def test_reveal_is_per_ticket_time_limited_and_audited(pii_path: Path) -> None:
    """DOMAIN.md: an agent may reveal a number for the current ticket, audited; it hides itself after the window."""
    app = _app(pii_path, reveal_seconds=2)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_first_ticket(pilot)
        panel = screen.query_one("#ticket-customer")
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("enter")  # the first number offered: the phone
        await wait_for(pilot, lambda: SAMPLES["phone"] in str(panel.render()))
        await wait_for(pilot, lambda: SAMPLES["phone"] not in str(panel.render()), timeout=10)
    store = Store.open(pii_path, desk_id="D01")
    try:
        with store._engine.connect() as conn:
            from sqlalchemy import text

            rows = conn.execute(text("SELECT actor, payload FROM event WHERE kind = 'pii.revealed'")).all()
    finally:
        store.close()
    last = json.loads(rows[-1].payload)
    assert rows[-1].actor == "li"
    assert (last["field"], last["seconds"]) == ("phone", 2) and last["ticket_id"]
    assert find_pii(rows[-1].payload) == []


def test_reveal_needs_a_ticket_of_the_same_customer(tmp_path: Path) -> None:
    """DOMAIN.md: reveal is for the current ticket: no ticket, or another customer's ticket, is refused."""
    from csdesk.domain.errors import ValidationError

    path = tmp_path / "desk.sqlite3"
    customer_id, _ = _pii_store(path)
    store = Store.open(path, desk_id="D01", clock=frozen_clock())
    try:
        other = store.create_ticket("li", kind="consultation", channel="chat", subject="Someone else")
        for ticket_id in (None, other.id):
            with pytest.raises(ValidationError, match="ticket"):
                store.reveal("li", customer_id, "phone", ticket_id)
    finally:
        store.close()


_PRODUCT_LOGGERS = ("csdesk", "textual", "alembic")


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record at INFO and up, SQL statements switched on as an operator would, csdesk's own at DEBUG."""
    caplog.set_level(logging.INFO)
    sql = logging.getLogger("sqlalchemy.engine")
    sql_level = sql.level
    sql.setLevel(logging.INFO)
    for name in _PRODUCT_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield caplog
    sql.setLevel(sql_level)
    for name in _PRODUCT_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)


def _errors(store: Store, customer_id: str, ticket_id: str) -> list[str]:
    """Messages of refusals whose input carried numbers, valid or not."""
    attempts = [
        lambda: store.create_customer("li", name="Bad", card_no=INVALID["card_no"]),
        lambda: store.create_customer("li", name="Bad", id_number=INVALID["id_number"]),
        lambda: store.create_customer("li", name="Bad", phone=SAMPLES["card_no"]),
        lambda: store.create_customer("li", name="Bad", account_no=SAMPLES["id_number"]),
        lambda: store.reveal("analyst", customer_id, "phone", ticket_id),
        lambda: store.find_ticket_ref("li", SAMPLES["phone"]),
        lambda: store.create_ticket("li", kind=SAMPLES["card_no"], channel="phone", subject="x"),
        lambda: store.list_tickets("li", offset=0, limit=5) and store._sort_column(SAMPLES["phone"]),
    ]
    messages = []
    for attempt in attempts:
        with pytest.raises(CsdeskError) as info:
            attempt()
        messages.append(str(info.value))
    return messages


def test_logs_and_error_messages_hold_no_whole_number(pii_path: Path, log_lines: pytest.LogCaptureFixture) -> None:
    """DOMAIN.md: no customer data in logs; error messages are masked like everything else."""
    samples = {**SAMPLES, **{f"invalid_{k}": v for k, v in INVALID.items()}}
    store = Store.open(pii_path, desk_id="D01", clock=frozen_clock())
    try:
        customer_id = store.find_customers("li", SAMPLES["phone"])[0].id
        ticket_id = store.list_tickets("li")[0].id
        views = [store.get_ticket("li", ticket_id), store.get_customer("li", customer_id),
                 store.list_tickets("li"), store.find_customers("li", SPOKEN["card_no"])]
        messages = _errors(store, customer_id, ticket_id)
    finally:
        store.close()
    assert_no_pii((repr(v) for v in views), where="a value the store returned")
    assert_no_pii(messages, where="an error message", samples=samples)
    assert any("INSERT INTO event" in r.getMessage() for r in log_lines.records), "the capture is not working"
    assert_no_pii((r.getMessage() for r in log_lines.records), where="a log line", samples=samples)


#: CLI commands whose output is scanned (an analyst's exports among them); a room adds its exports here.
CLI_OUTPUTS: list[tuple[str, tuple[str, ...]]] = [
    ("li", ("queue", "list")),
    ("li", ("queue", "list", "--json")),
    ("analyst", ("queue", "list", "--json", "--status", "new")),
    ("analyst", ("queue", "list")),
    ("li", ("intake", "add", "--kind", "complaint", "--channel", "phone", "--subject", f"回电 {SAMPLES['phone']}",
            "--customer-phone", SAMPLES["phone"], "--json")),
    ("li", ("intake", "add", "--kind", "consultation", "--channel", "chat", "--subject", "Card",
            "--customer-card", SPOKEN["card_no"])),
    ("li", ("intake", "add", "--kind", "consultation", "--channel", "chat", "--subject", "Bad card",
            "--customer-name", "X", "--customer-card", INVALID["card_no"])),
    ("li", ("intake", "add", "--kind", "consultation", "--channel", "chat", "--subject", "Bad id",
            "--customer-name", "X", "--customer-id-number", INVALID["id_number"])),
    ("li", ("intake", "add", "--kind", SAMPLES["account_no"], "--channel", "chat", "--subject", "x",
            "--customer-name", "X")),
    ("li", ("queue", "list", "--kind", SAMPLES["id_number"])),
    ("li", ("db", "info")),
    ("li", ("user", "list")),
    ("li", ("audit", "verify", "--json")),
]


def test_cli_outputs_exports_and_errors_hold_no_whole_number(pii_path: Path, tmp_path: Path) -> None:
    """Every command's stdout and stderr, success or refusal, analysts' exports included."""
    samples = {**SAMPLES, **{f"invalid_{k}": v for k, v in INVALID.items()}}
    csv = tmp_path / "contacts.csv"
    csv.write_text(
        "kind,channel,subject,customer_name,customer_phone,customer_card_no,customer_id_number\n"
        f"complaint,phone,卡 {SAMPLES['card_no']},王小明,{SAMPLES['phone']},,\n"
        f"consultation,chat,ok,New,13800001111,{INVALID['card_no']},\n"
        f"consultation,chat,ok,New,{SAMPLES['account_no']},,{INVALID['id_number']}\n",
        encoding="utf-8",
    )
    outputs = []
    codes = []
    imports = [("li", ("intake", "import", str(csv))), ("li", ("intake", "import", "--partial", str(csv)))]
    for user, args in [*CLI_OUTPUTS, *imports]:
        result = run_inproc("--store", str(pii_path), "--desk", "D01", "--user", user, *args)
        codes.append(result.returncode)
        outputs.append(f"{result.stdout}\n{result.stderr}")
    assert 0 in codes and 1 in codes and 2 in codes  # successes, rejected rows and refusals were all scanned
    assert assert_no_pii(outputs, where="CLI output", samples=samples) == len(CLI_OUTPUTS) + 2
