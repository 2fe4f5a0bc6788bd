"""Unit tests of pure domain rules (no I/O)."""
