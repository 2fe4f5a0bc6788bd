"""The ``csdesk`` console script: the plain launches open the desk without loading the CLI.

``csdesk`` and ``csdesk demo`` without options are what people type every morning; they go
straight to the app, because typer and click cost about 0.1 s before the first frame.
Anything else (options, commands, ``--help``) is parsed by :mod:`csdesk.cli`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csdesk.launch import Launch

EXIT_USER_ERROR = 2


def run_app(launch: Launch) -> int:
    """Run the desk app until it closes; its exit status (2, with one sentence on stderr, if it could not open)."""
    from csdesk.app import CsdeskApp

    application = CsdeskApp(launch)
    application.run()
    if application.failure:
        print(f"csdesk: {application.failure}", file=sys.stderr)
        return EXIT_USER_ERROR
    return application.return_code or 0


def main() -> None:
    """Entry point of the ``csdesk`` console script and of ``python -m csdesk``."""
    args = sys.argv[1:]
    if args in ([], ["demo"]):
        from csdesk.launch import Launch

        sys.exit(run_app(Launch(demo=bool(args))))
    from csdesk.cli import main as cli_main

    cli_main()
