"""Code quality gates that run with the suite: ruff and the import-linter layer contracts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, python_output

BIN = Path(sys.executable).parent


def test_ruff_is_clean() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_layer_contracts_hold() -> None:
    """ARCHITECTURE.md: domain pure, data never imports textual, screens use the gateway only."""
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_first_paint_imports_nothing_heavy() -> None:
    """Heavy modules load after the first frame: importing the app must not pull them in."""
    code = (
        "import sys, csdesk.cli, csdesk.app;"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'alembic', 'psycopg', 'faker', 'pydantic_settings')"
        " if m in sys.modules];"
        "print(','.join(heavy))"
    )
    assert python_output(code) == ""


def test_parsing_the_command_line_loads_nothing_heavy() -> None:
    """Up to the moment the app starts, `csdesk demo` has loaded no heavy module (not even pydantic)."""
    code = (
        "import sys, csdesk.cli as cli\n"
        "def launch(ctx, *, demo, **extra):\n"
        "    heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'psycopg', 'faker', 'pydantic')\n"
        "    print(','.join(m for m in heavy if m in sys.modules))\n"
        "cli._run_app = launch\n"
        "sys.argv = ['csdesk', 'demo', '--store', 'x.sqlite3', '--lang', 'en', '--seed', '3']\n"
        "cli.main()\n"
    )
    assert python_output(code) == ""
