"""``csdesk intake add|import`` and ``csdesk queue list`` as scripts meet them (subprocesses)."""

from __future__ import annotations

import codecs
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from csdesk.data.store import Store
from tests.cli.test_cli_errors import assert_user_error

Run = Callable[..., subprocess.CompletedProcess[str]]

PHONE = "13812345678"
ID_NUMBER = "110101199003071233"
CARD = "6222021234567891233"
NEW_PHONE = "13900001111"
BAD_ID = "110101199003071234"
BAD_PHONE = "1391234567"
SAMPLES = (PHONE, ID_NUMBER, CARD, NEW_PHONE, BAD_ID, BAD_PHONE)
HEADER = "kind,channel,subject,description,customer_name,customer_phone,customer_id_number,vip"


def desk(tmp_path: Path, *, customer: bool = False) -> list[str]:
    """A store with a supervisor, an agent li and an analyst; the global options to reach it as li."""
    path = tmp_path / "desk.sqlite3"
    store = Store.open(path, desk_id="D01")
    store.add_user(None, "sup", "孙主管", "supervisor")
    store.add_user("sup", "li", "李娜", "agent")
    store.add_user("sup", "ana", "Ana", "analyst")
    if customer:
        store.create_customer("li", name="张伟明", phone=PHONE, id_number=ID_NUMBER, card_no=CARD)
    store.close()
    return ["--store", str(path), "--user", "li"]


def events(args: list[str], run_cli: Run) -> int:
    result = run_cli(*args, "db", "info", "--json")
    assert result.returncode == 0, result.stderr
    return int(json.loads(result.stdout)["events"])


def write_csv(
    tmp_path: Path, *rows: str, name: str = "contacts.csv", encoding: str = "utf-8", bom: bool = False
) -> str:
    path = tmp_path / name
    data = ("\n".join([HEADER, *rows]) + "\n").encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return str(path)


def assert_no_whole_number(result: subprocess.CompletedProcess[str]) -> None:
    compact = re.sub(r"[\s\-]", "", result.stdout + result.stderr)
    for number in SAMPLES:
        assert number not in compact, (number, result.stdout, result.stderr)


# --------------------------------------------------------------------------- intake add


def test_add_prints_the_ref_and_finds_the_customer_again(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path, customer=True)
    first = run_cli(
        *args,
        "intake",
        "add",
        "--kind",
        "complaint",
        "--channel",
        "phone",
        "--subject",
        "卡被吞",
        "--customer-phone",
        PHONE,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "D01-000001"
    second = run_cli(
        *args,
        "intake",
        "add",
        "--kind",
        "consultation",
        "--channel",
        "chat",
        "--subject",
        f"回电 {PHONE}",
        "--priority",
        "urgent",
        "--customer-card",
        CARD,
        "--json",
    )
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    assert set(data) == {"id", "ref", "kind", "channel", "priority", "status", "subject", "customer"}
    assert (data["ref"], data["kind"], data["priority"], data["status"]) == (
        "D01-000002",
        "consultation",
        "urgent",
        "new",
    )
    assert data["subject"] == "回电 138****5678"
    assert data["customer"] == {
        "id": data["customer"]["id"],
        "name": "张伟明",
        "phone": "138****5678",
        "id_number": "110***********1233",
        "card_no": "6222 **** **** 1233",
        "account_no": None,
        "vip": False,
    }
    info = json.loads(run_cli(*args, "db", "info", "--json").stdout)
    assert (info["customers"], info["tickets"]) == (1, 2)
    assert_no_whole_number(first)
    assert_no_whole_number(second)


def test_add_creates_a_new_vip_customer(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path)
    result = run_cli(
        *args,
        "intake",
        "add",
        "--kind",
        "business",
        "--channel",
        "walk_in",
        "--subject",
        "开户",
        "--customer-name",
        "王芳",
        "--customer-phone",
        NEW_PHONE,
        "--vip",
        "--business",
        "deposit",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    customer = json.loads(result.stdout)["customer"]
    assert (customer["name"], customer["phone"], customer["vip"]) == ("王芳", "139****1111", True)


def test_add_with_bad_fields_is_one_masked_sentence_and_writes_nothing(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path)
    before = events(args, run_cli)
    result = run_cli(
        *args,
        "intake",
        "add",
        "--kind",
        "chat",
        "--channel",
        "phone",
        "--subject",
        "x",
        "--customer-name",
        "王",
        "--customer-phone",
        BAD_PHONE,
        "--customer-id-number",
        BAD_ID,
    )
    line = assert_user_error(result, "--kind", "--customer-phone", "--customer-id-number")
    assert "check" in line.lower() or "match" in line
    assert_no_whole_number(result)
    assert events(args, run_cli) == before


def test_add_without_a_user_explains_how_to_set_one(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path)[:2]
    result = run_cli(
        *args, "intake", "add", "--kind", "complaint", "--channel", "phone", "--subject", "x", "--customer-name", "王"
    )
    assert_user_error(result, "--user", "CSDESK_USER")
    assert run_cli(*args, "queue", "list", CSDESK_USER="li").returncode == 0


def test_an_analyst_may_not_record_contacts(run_cli: Run, tmp_path: Path) -> None:
    args = [*desk(tmp_path)[:2], "--user", "ana"]
    result = run_cli(
        *args, "intake", "add", "--kind", "complaint", "--channel", "phone", "--subject", "x", "--customer-name", "王"
    )
    assert_user_error(result, "analyst", "ticket.create")
    csv_path = write_csv(tmp_path, f"consultation,phone,x,,王,{NEW_PHONE},,")
    assert_user_error(run_cli(*args, "intake", "import", csv_path), "analyst")
    listed = run_cli(*args, "queue", "list", "--json")  # reading is fine
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


# --------------------------------------------------------------------------- intake import

GOOD = [
    f"consultation,phone,问一下理财收益,,王芳,{NEW_PHONE},,是",
    f'complaint,chat,再次投诉,"多行\n描述",王芳,{NEW_PHONE},,',
    f"complaint,letter,柜台态度,,张伟明,{PHONE},,",
]


def test_import_all_good_rows(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path, customer=True)
    result = run_cli(*args, "intake", "import", write_csv(tmp_path, *GOOD, bom=True))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Imported 3 of 3 rows from contacts.csv (1 new customer)."
    rows = json.loads(run_cli(*args, "queue", "list", "--json").stdout)
    assert [r["ref"] for r in rows] == ["D01-000003", "D01-000002", "D01-000001"]
    assert rows[0]["customer"]["name"] == "张伟明"
    assert rows[1]["customer"] == rows[2]["customer"] and rows[2]["customer"]["vip"] is True


def test_import_json_report(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path)
    path = write_csv(tmp_path, GOOD[0], f"complaint,fax,x,,王,{BAD_PHONE},,", encoding="gb18030")
    result = run_cli(*args, "intake", "import", path, "--partial", "--json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("total", "imported", "skipped", "customers_created", "mode", "encoding")} == {
        "total": 2,
        "imported": 1,
        "skipped": 1,
        "customers_created": 1,
        "mode": "partial",
        "encoding": "GB18030",
    }
    assert [(e["line"], e["field"]) for e in data["errors"]] == [(3, "channel"), (3, "customer_phone")]
    assert_no_whole_number(result)


BAD = [
    (f"consultation,phone,x,,王,{BAD_PHONE},,", "customer_phone"),
    (f"consultation,phone,x,,王,{NEW_PHONE},{BAD_ID},", "customer_id_number"),
    (f"gossip,phone,x,,王,{NEW_PHONE},,", "kind"),
    (f"consultation,phone,,,王,{NEW_PHONE},,", "subject"),
    (f"consultation,phone,x,{'长' * 25_000},王,{NEW_PHONE},,", "description"),
]


def test_atomic_import_with_bad_rows_writes_nothing_and_lists_every_one(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path, customer=True)
    before = events(args, run_cli)
    rows = [GOOD[0], *(row for row, _ in BAD), GOOD[2]]
    result = run_cli(*args, "intake", "import", write_csv(tmp_path, *rows))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Nothing imported from contacts.csv: 5 of 7 rows rejected")
    assert "--partial" in lines[0]
    expected = [f"line {n}: {field}: " for n, (_, field) in enumerate(BAD, start=3)]
    assert [line[: len(e)] for line, e in zip(lines[1:], expected, strict=True)] == expected
    assert events(args, run_cli) == before
    assert_no_whole_number(result)


def test_partial_import_writes_the_rest(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path, customer=True)
    rows = [GOOD[0], BAD[0][0], GOOD[2], "\x1b[31mcomplaint\x1b[0m,phone,\x1b]0;title\x07红字,,王芳,,,"]
    result = run_cli(*args, "intake", "import", write_csv(tmp_path, *rows), "--partial")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "Imported 3 of 4 rows from contacts.csv (1 new customer); 1 rejected."
    assert result.stdout.splitlines()[1].startswith("line 3: customer_phone: ")
    listed = json.loads(run_cli(*args, "queue", "list", "--json").stdout)
    assert [r["subject"] for r in listed] == ["红字", "柜台态度", "问一下理财收益"]
    assert "\x1b" not in result.stdout + result.stderr


def test_invalid_bytes_are_a_row_error_not_a_crash(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path)
    path = tmp_path / "mixed.csv"
    path.write_bytes(("\n".join([HEADER, GOOD[0]]) + "\n").encode() + b"consultation,phone,\xc3\x28bad,,x,,,\n")
    result = run_cli(*args, "intake", "import", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "line 3: subject: " in result.stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "There is no file"),
        (b"PK\x03\x04\x14\x00\x06\x00\x00\x00", "Excel"),
        (b"kind,channel,subject,customer_name,colour\n", "colour"),
        (f"consultation,phone,x,,王,{PHONE},,\n".encode(), "header"),
        (b"", "empty"),
    ],
    ids=["missing", "xlsx", "unknown column", "no header", "empty"],
)
def test_import_user_errors(run_cli: Run, tmp_path: Path, content: bytes | None, needle: str) -> None:
    args = desk(tmp_path)
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    before = events(args, run_cli)
    result = run_cli(*args, "intake", "import", str(path))
    assert_user_error(result, needle)
    assert_no_whole_number(result)
    assert events(args, run_cli) == before


def test_import_of_a_directory(run_cli: Run, tmp_path: Path) -> None:
    assert_user_error(run_cli(*desk(tmp_path), "intake", "import", str(tmp_path)), "directory")


# --------------------------------------------------------------------------- queue list


def test_queue_list_filters_and_json_shape(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path, customer=True)
    assert run_cli(*args, "intake", "import", write_csv(tmp_path, *GOOD)).returncode == 0
    store = Store.open(tmp_path / "desk.sqlite3", desk_id="D01")
    store.claim_ticket("li", store.find_ticket_ref("li", "D01-000003").id)
    store.close()
    mine = json.loads(run_cli(*args, "queue", "list", "--mine", "--json").stdout)
    assert [r["ref"] for r in mine] == ["D01-000003"]
    assert mine[0]["assignee"] == {"id": "li", "name": "李娜"} and mine[0]["status"] == "open"
    assert set(mine[0]) == {
        "id",
        "ref",
        "kind",
        "channel",
        "priority",
        "status",
        "subject",
        "created_at",
        "updated_at",
        "customer",
        "assignee",
    }
    assert set(mine[0]["customer"]) == {"id", "name", "vip"}
    free = json.loads(run_cli(*args, "queue", "list", "--unassigned", "--kind", "complaint", "--json").stdout)
    assert [r["ref"] for r in free] == ["D01-000002"]
    several = json.loads(run_cli(*args, "queue", "list", "--channel", "phone", "--channel", "letter", "--json").stdout)
    assert [r["ref"] for r in several] == ["D01-000003", "D01-000001"]
    text = json.loads(run_cli(*args, "queue", "list", "--text", "理财", "--status", "new", "--json").stdout)
    assert [r["ref"] for r in text] == ["D01-000001"]
    limited = json.loads(run_cli(*args, "queue", "list", "--limit", "1", "--json").stdout)
    assert len(limited) == 1


def test_queue_table_is_aligned_for_chinese(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path, customer=True)
    rows = [*GOOD, f"suggestion,email,An English subject {PHONE},,Bob,13700001111,,"]
    assert run_cli(*args, "intake", "import", write_csv(tmp_path, *rows)).returncode == 0
    result = run_cli(*args, "queue", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "4 of 4 matching tickets."
    table = lines[:-1]
    assert len(table) == 5
    start = table[0].index("SUBJECT")
    for line in table[1:]:  # the subject column starts at the same terminal cell on every line
        cut = next(i for i in range(len(line) + 1) if cell_len(line[:i]) >= start)
        assert cell_len(line[:cut]) == start
        assert line[cut - 2 : cut] == "  " and line[cut] != " "
    assert "VIP 王芳" in result.stdout
    assert_no_whole_number(result)


def test_queue_list_bad_filter_is_one_sentence(run_cli: Run, tmp_path: Path) -> None:
    args = desk(tmp_path)
    assert_user_error(run_cli(*args, "queue", "list", "--status", "pending"), "--status", "pending")
    assert_user_error(run_cli(*args, "queue", "list", "--mine", "--unassigned"), "--mine")
