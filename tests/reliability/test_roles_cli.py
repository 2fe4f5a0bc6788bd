"""The role matrix holds through the command line: the same refusals, audited as access.denied.

Rule (DOMAIN.md, People and roles): "Access follows role ... enforced in the data layer,
not only by hiding buttons"; a command is one more way in and must refuse the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csdesk.data.store import Store
from csdesk.domain.roles import Permission, Role, can
from tests.reliability.cli_inproc import run_inproc
from tests.store.conftest import events
from tests.store.test_roles_matrix import ACTOR

#: Every command that acts as a user -> (arguments, permissions it needs, first one checked first).
COMMANDS: dict[str, tuple[tuple[str, ...], tuple[Permission, ...]]] = {
    "intake add": (
        ("intake", "add", "--kind", "consultation", "--channel", "phone", "--subject", "Rates",
         "--customer-name", "Role Test"),
        (Permission.TICKET_CREATE, Permission.CUSTOMER_WRITE),
    ),
    "intake import": (("intake", "import", "{csv}"), (Permission.TICKET_CREATE, Permission.CUSTOMER_WRITE)),
    "queue list": (("queue", "list", "--json"), (Permission.TICKET_READ,)),
    "sla set": (("sla", "set", "complaint", "urgent", "--first-response", "15", "--resolution", "2880"),
                (Permission.SETTINGS_EDIT,)),
    "user add": (("user", "add", "new.hire", "--name", "New Hire", "--role", "agent"), (Permission.USER_MANAGE,)),
    "db purge": (("db", "purge"), (Permission.RETENTION_PURGE,)),
}


@pytest.mark.parametrize("command", list(COMMANDS), ids=str)
def test_cli_refuses_what_the_matrix_refuses(store: Store, tmp_path: Path, command: str) -> None:
    """Each command for each of the 7 roles: allowed -> exit 0; refused -> exit 2, one sentence, access.denied."""
    args, permissions = COMMANDS[command]
    csv = tmp_path / "one.csv"
    csv.write_text("kind,channel,subject,customer_name\nconsultation,phone,Rates,Role Test\n", encoding="utf-8")
    args = tuple(a.replace("{csv}", str(csv)) for a in args)
    path = store.path
    store.close()
    for role in Role:
        actor = ACTOR[role]
        reader = Store.open(path, desk_id="D01")
        before = len(events(reader))
        reader.close()
        result = run_inproc("--store", str(path), "--desk", "D01", "--user", actor, *args)
        reader = Store.open(path, desk_id="D01")
        new = events(reader)[before:]
        reader.close()
        allowed = all(can(role, p) for p in permissions)
        if allowed:
            assert result.returncode == 0, (role, result.stderr)
            assert all(ev.kind != "access.denied" for ev in new)
            continue
        first_missing = next(p for p in permissions if not can(role, p))
        assert result.returncode == 2, (role, result.stdout)
        assert result.stderr.startswith("csdesk: ") and first_missing.value in result.stderr, (role, result.stderr)
        assert "Traceback" not in result.stderr
        assert [(ev.kind, ev.actor) for ev in new] == [("access.denied", actor)], (role, [ev.kind for ev in new])
        assert json.loads(new[0].payload) == {"permission": first_missing.value}


def test_the_cli_matrix_exercises_both_outcomes() -> None:
    """A refusal test that never refuses proves nothing: most commands are refused to some role."""
    refused = [c for c, (_, perms) in COMMANDS.items() if any(not can(r, p) for r in Role for p in perms)]
    assert len(refused) == len(COMMANDS) - 1  # all but `queue list`, which every role may read
