"""``python -m csdesk`` runs the same command as ``csdesk``."""

from csdesk.entry import main

main()
