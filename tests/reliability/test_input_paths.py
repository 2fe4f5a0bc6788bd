"""Every input path in tests/hostile_corpus.py INPUT_PATHS is fed the corpus by the module it names.

A room that adds a form, a command option or a file format adds a line to INPUT_PATHS and
names the path in its test module; this test fails if the module is missing or silent.
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile_corpus import HOSTILE_TEXT, INPUT_PATHS, corpus_size

ROOT = Path(__file__).resolve().parents[2]


def test_every_input_path_has_a_module_that_names_it() -> None:
    """The registry of input paths stays true: each listed module exists and mentions its path."""
    for path, module in INPUT_PATHS.items():
        source = ROOT / module
        assert source.is_file(), f"{path}: {module} does not exist"
        assert path in source.read_text(encoding="utf-8"), f"{path} is not fed by {module}"


def test_the_corpus_covers_every_kind_of_hostile_input() -> None:
    """Issue: ANSI/OSC/CSI, bidi, NUL, zero-width, 10 MB, bad bytes, FTS, SQL, path tricks, far dates."""
    for kind in ("csi_colour", "osc_title", "bidi_override", "nul", "zero_width", "fts_syntax", "sql_injection",
                 "path_traversal", "date_far_future", "date_far_past"):
        assert kind in HOSTILE_TEXT
    assert corpus_size() >= 50
