"""The console script's fast path: plain launches skip the CLI parser and open the same desk."""

from __future__ import annotations

import pytest

from tests.conftest import python_output

_PROBE = (
    "import sys, csdesk.entry as entry\n"
    "seen = []\n"
    "def run_app(launch):\n"
    "    seen.append((launch,))\n"
    "    return 0\n"
    "entry.run_app = run_app\n"
    "sys.argv = ['csdesk', *sys.argv[1:]]\n"
    "try:\n"
    "    entry.main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "launch = seen[0][0]\n"
    "given = sorted((k, v) for k, v in launch.overrides.items() if v is not None)\n"
    "print(launch.demo, launch.demo_seed, launch.demo_shaped, launch.config_file, given)\n"
)


def _launch_of(*args: str, via_cli: bool = False) -> str:
    """The Launch built for ``csdesk ARGS``; ``via_cli`` parses them with the typer CLI in every case."""
    code = _PROBE.replace("    entry.main()", "    import csdesk.cli as cli\n    cli.main()") if via_cli else _PROBE
    return python_output(code, *args)


@pytest.mark.parametrize("args", [(), ("demo",)])
def test_plain_launch_opens_the_desk_the_cli_would_open(args: tuple[str, ...]) -> None:
    """`csdesk` / `csdesk demo` build the very Launch the typer commands build for the same words."""
    fast = _launch_of(*args)
    assert fast == _launch_of(*args, via_cli=True)
    assert fast.startswith("True 7 False" if args else "False 7 False")


def test_plain_launch_does_not_load_the_cli_parser() -> None:
    """Up to the app starting, `csdesk demo` has not imported typer (about 0.1 s before the first frame)."""
    code = (
        "import sys, csdesk.entry as entry\n"
        "entry.run_app = lambda launch: print('typer' in sys.modules) or 0\n"
        "sys.argv = ['csdesk', 'demo']\n"
        "try:\n    entry.main()\nexcept SystemExit:\n    pass\n"
    )
    assert python_output(code) == "False"


def test_any_option_goes_through_the_cli() -> None:
    """`csdesk demo --lang en` is parsed by the CLI and its option reaches the desk."""
    assert "('language', 'en')" in _launch_of("demo", "--lang", "en")
