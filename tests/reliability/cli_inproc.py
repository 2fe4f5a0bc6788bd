"""Run the csdesk command in this process (as ``csdesk.cli.main`` would), capturing exit status and output.

Much faster than a subprocess per call, so a test can run every command for every role;
tests of the real process (`run_cli`) cover start-up and the console script.
"""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass

from csdesk.cli import main


@dataclass(frozen=True)
class CliResult:
    """Exit status and what the command printed."""

    returncode: int
    stdout: str
    stderr: str


def run_inproc(*args: str) -> CliResult:
    """``csdesk ARGS`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["csdesk", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return CliResult(code, out.getvalue(), err.getvalue())
