"""Pure domain rules of csdesk: no UI, no database, no I/O."""
