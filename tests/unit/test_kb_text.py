"""Knowledge-base text rules: segmenting Chinese and English, safe FTS5 queries, synonyms, snippets."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csdesk.domain import kb_text
from csdesk.domain.kb_text import (
    build_query,
    expand_synonyms,
    make_snippet,
    needs_more,
    quote,
    runs,
    segment,
)

SYNONYMS = {"挂失": ["丢卡", "卡丢了"], "card loss": ["lost card", "lost my card"]}


def test_chinese_runs_become_bigrams_plus_the_last_character() -> None:
    assert segment("挂失补卡") == ["挂失", "失补", "补卡", "卡"]
    assert segment("卡") == ["卡"]


def test_english_is_lower_cased_words_and_full_width_is_folded() -> None:
    assert segment("Lost my CARD at the ＡＴＭ!") == ["lost", "my", "card", "at", "the", "atm"]


def test_mixed_text_splits_at_script_changes_and_drops_punctuation_and_emoji() -> None:
    assert segment("ATM吞卡了😡，怎么办？") == ["atm", "吞卡", "卡了", "了", "怎么", "么办", "办"]
    assert [r.han for r in runs("abc中文123")] == [False, True, False]


def test_quote_doubles_inner_quotes() -> None:
    assert quote('a"b') == '"a""b"'


def test_every_query_token_is_quoted_so_operators_are_words() -> None:
    query = build_query('card AND "lost" OR NOT NEAR(x* y', prefix=False)
    for part in query.match.split(" OR "):
        part = part.strip("()")
        for token in part.split(" AND "):
            assert token.startswith('"') and token.rstrip("*").endswith('"'), token


def test_last_english_word_is_a_prefix_while_typing() -> None:
    assert build_query("lost ca").match.endswith('"ca"*')
    assert not build_query("lost ca ").match.endswith("*")
    assert build_query("卡").match == '"卡"*'


def test_a_one_letter_unfinished_word_waits_until_it_grows() -> None:
    """"c"* would match nearly every article: "lost my c" searches "lost" until the word is "ca"."""
    assert build_query("lost my c").match == '"lost"'
    assert build_query("lost my ca").match == '"lost" OR "ca"*'
    assert build_query("lost my c ").match.endswith('"c"')  # a finished word is searched as typed
    assert build_query("l").empty
    assert needs_more("l") and needs_more(" m") and not needs_more("lo") and not needs_more("卡")
    assert not needs_more("") and not needs_more("   ")


def test_contraction_leftovers_are_stop_words() -> None:
    """didn't splits into didn + t: neither says anything about the topic."""
    assert build_query("money didn't arrive").tokens == ("money", "arrive")


def test_stop_words_are_dropped_unless_nothing_else_is_left() -> None:
    assert build_query("how do I sell my fund ").tokens == ("sell", "fund")
    assert build_query("how do ").tokens == ("how", "do")


def test_synonyms_expand_chinese_substrings_and_english_whole_words() -> None:
    assert expand_synonyms("我的卡丢了怎么办", SYNONYMS) == ["挂失"]
    assert expand_synonyms("I lost my card yesterday", SYNONYMS) == ["card loss"]
    assert expand_synonyms("I lost my cardigan", SYNONYMS) == []
    query = build_query("我卡丢了", SYNONYMS)
    assert query.expanded == ("挂失",) and '"挂失"' in query.match


def test_snippet_is_a_window_around_the_hits_with_spans() -> None:
    body = "## 话术\n" + "无关内容。" * 40 + "请马上办理挂失。" + "其他。" * 40
    snippet = make_snippet(body, ["挂失"], width=40)
    assert "挂失" in snippet.text and len(snippet.text) <= 42
    assert [snippet.text[s:e] for s, e in snippet.spans] == ["挂失"]


def test_script_section_is_the_text_under_its_heading() -> None:
    body = '## 话术\n> "您好，马上为您挂失。"\n\n## 办理步骤\n1. 核身\n'
    assert kb_text.script_section(body, "话术") == '"您好，马上为您挂失。"'


def _fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, tags, body, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES (?, ?, ?)", (kb_text.index_text("银行卡挂失"), "", kb_text.index_text("body")))
    return conn


BAD = [
    '"', '""', "'", "AND", "OR", "NOT", "a AND", "OR b", "NOT NOT", "*", "**", "a*", "*a", "NEAR(", "NEAR(a b",
    "NEAR(a, b, 3)", "(", ")", "((a", "a))", "title:卡", "{title}: x", "^卡", "-", "+", "😀", "👨‍👩‍👧", "\x00",
    "\u200b", "\ufeff", "卡" * 10_000, "lost " * 2_000, "x" * 10_240, '"挂失" NEAR("补卡")',
]


@pytest.mark.parametrize("text", BAD)
def test_bad_queries_never_raise_in_fts5(text: str) -> None:
    conn = _fts()
    query = build_query(text, SYNONYMS)
    if not query.empty:
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (query.match,)).fetchall()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_valid_query(text: str) -> None:
    conn = _fts()
    query = build_query(text, SYNONYMS)
    if not query.empty:
        conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (query.match,)).fetchall()
    make_snippet("银行卡挂失 body", query.terms)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40), min_size=2, max_size=30),
       st.integers(min_value=0, max_value=28))
def test_any_two_character_chinese_word_in_a_text_is_one_of_its_tokens(text: str, at: int) -> None:
    at = min(at, len(text) - 2)
    assert text[at : at + 2] in segment(text)
