"""``python -m csdesk`` runs the same command as ``csdesk``."""

from csdesk.cli import main

main()
