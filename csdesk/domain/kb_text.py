"""Text rules of knowledge-base search: segmenting, query building, synonyms, snippets.

Pure functions, standard library only. SQLite FTS5's ``unicode61`` tokenizer splits on
spaces and punctuation, which finds no words in Chinese. So text is segmented here before
it reaches the index, and queries are segmented the same way:

- a run of Chinese characters becomes its overlapping character bigrams (挂失补卡 →
  挂失 失补 补卡) plus its last character alone, so any 2-character word inside the run is
  a token (recall 1.0 against a substring scan) and any single character is reachable as
  a prefix (``"卡"*`` matches 卡X bigrams and the run-final 卡);
- a run of other letters or digits becomes one lower-cased word (NFKC first, so full-width
  ＡＴＭ is atm);
- everything else (punctuation, emoji, FTS operators) separates tokens.

Every query token is quoted for FTS5, so user input is never read as FTS syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

#: Longest query text considered (characters); the rest is ignored, never an error.
MAX_QUERY_CHARS = 2000
#: Most tokens put into one FTS5 query.
MAX_QUERY_TOKENS = 64

_TOKEN = re.compile(r"[^\W_]+")

ENGLISH_STOPWORDS = frozenset(
    "a an the i me my mine we our you your he she it its they them their is are was were be been am "
    "do does did doing have has had to of in on at for from by with and or not no can could would "
    "should will shall may might must how what when where why who which that this these those there "
    "here please help want need get got just so if then than about into out up down as any some "
    # what is left of contractions once the apostrophe splits them (didn't -> didn + t)
    "t s d m ll re ve didn doesn don isn aren wasn weren hasn haven hadn won wouldn couldn shouldn can".split()
)
#: An unfinished last word shorter than this is not searched yet: "c"* matches nearly every
#: article (10,000 rows to rank for nothing), so "lost my c" searches "lost" until "ca".
MIN_OPEN_PREFIX = 2


def is_han(ch: str) -> bool:
    """True for a CJK ideograph (the basic block, extension A and B+, compatibility)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
    )


def normalize(text: str) -> str:
    """NFKC and case-folded: the form every comparison and token is made in."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text that segments as one unit: Chinese characters or one word."""

    text: str
    han: bool


def runs(text: str) -> list[Run]:
    """Chinese runs and word runs of normalised ``text``, in order; separators dropped."""
    result: list[Run] = []
    for match in _TOKEN.finditer(normalize(text)):
        chunk = match.group()
        start = 0
        for i in range(1, len(chunk) + 1):
            if i == len(chunk) or is_han(chunk[i]) != is_han(chunk[start]):
                result.append(Run(chunk[start:i], is_han(chunk[start])))
                start = i
    return result


def han_tokens(run: str) -> list[str]:
    """Bigrams of a Chinese run plus its last character (a lone character for a 1-char run)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def segment(text: str) -> list[str]:
    """Index tokens of ``text`` in order (see the module docstring)."""
    tokens: list[str] = []
    for run in runs(text):
        if run.han:
            tokens.extend(han_tokens(run.text))
        else:
            tokens.append(run.text)
    return tokens


def index_text(text: str) -> str:
    """``text`` as the space-separated tokens stored in the FTS5 index."""
    return " ".join(segment(text))


def quote(token: str) -> str:
    """One FTS5 string literal: the token in double quotes, inner quotes doubled."""
    return '"' + token.replace('"', '""') + '"'


# ------------------------------------------------------------------ synonyms
Synonyms = Mapping[str, Sequence[str]]


def parse_synonyms(table: Mapping[str, object]) -> dict[str, list[str]]:
    """``{canonical: [variant, ...]}`` from a parsed TOML/YAML table, normalised; bad entries dropped."""
    result: dict[str, list[str]] = {}
    for canonical, variants in table.items():
        if not isinstance(canonical, str) or not isinstance(variants, list):
            continue
        words = [normalize(v).strip() for v in variants if isinstance(v, str) and v.strip()]
        if words:
            result[normalize(canonical).strip()] = words
    return result


def _word_text(text: str) -> str:
    """Normalised text with separators collapsed to one space, padded (for whole-word phrase matching)."""
    parts = []
    for run in runs(text):
        parts.append(run.text)
    return " " + " ".join(parts) + " "


@lru_cache(maxsize=8192)
def _phrase_key(phrase: str) -> tuple[bool, str] | None:
    """(all Chinese?, the text to look for) of a synonym variant; segmented once, then cached."""
    phrase_runs = runs(phrase)
    if not phrase_runs:
        return None
    if all(r.han for r in phrase_runs):
        return True, "".join(r.text for r in phrase_runs)
    return False, " " + " ".join(r.text for r in phrase_runs) + " "


def _contains(haystack_words: str, haystack_han: str, phrase: str) -> bool:
    key = _phrase_key(phrase)
    if key is None:
        return False
    han, needle = key
    return needle in (haystack_han if han else haystack_words)


def expand_synonyms(text: str, synonyms: Synonyms) -> list[str]:
    """Canonical terms whose variants (or themselves) occur in ``text``, in table order."""
    words = _word_text(text)
    han = "".join(r.text for r in runs(text) if r.han)
    found: list[str] = []
    for canonical, variants in synonyms.items():
        if any(_contains(words, han, v) for v in variants) and canonical not in found:
            found.append(canonical)
    return found


# ------------------------------------------------------------------ queries
def phrase_tokens(text: str) -> list[str]:
    """Tokens that together find ``text``: a Chinese run's bigrams (no lone final char), words."""
    tokens: list[str] = []
    for run in runs(text):
        if run.han:
            tokens.extend(han_tokens(run.text)[:-1] if len(run.text) > 1 else [run.text])
        else:
            tokens.append(run.text)
    return tokens


@dataclass(frozen=True, slots=True)
class Query:
    """A user's search text, prepared: tokens, the FTS5 MATCH expression, highlight terms."""

    tokens: tuple[str, ...]
    expanded: tuple[str, ...]
    match: str
    terms: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Nothing searchable in the text (only punctuation, emoji, stop words...)."""
        return not self.match


def build_query(text: str, synonyms: Synonyms | None = None, *, prefix: bool = True) -> Query:
    """Prepare ``text`` for FTS5: every token quoted, ORed; synonyms' canonical terms added.

    The last English word is matched as a prefix (``"tok"*``) while the agent types, unless
    the text ends with a space; a last word shorter than :data:`MIN_OPEN_PREFIX` is left
    out until it grows (alone it gives an empty query); a lone Chinese character is matched as a prefix so it finds
    the bigrams that start with it. Any text gives a valid expression (or an empty one).
    """
    text = text[:MAX_QUERY_CHARS]
    query_runs = runs(text)
    tokens: list[str] = []
    parts: list[str] = []
    seen: set[str] = set()
    ends_open = bool(text) and not text[-1].isspace()
    english = [r.text for r in query_runs if not r.han]
    meaningful = [w for w in english if w not in ENGLISH_STOPWORDS]
    for index, run in enumerate(query_runs):
        last = index == len(query_runs) - 1
        if run.han:
            run_tokens = han_tokens(run.text)
            if len(run.text) > 1:
                run_tokens = run_tokens[:-1]  # the bigrams cover the run; the final char alone is too broad
            for tok in run_tokens:
                if tok not in seen:
                    seen.add(tok)
                    tokens.append(tok)
                    parts.append(quote(tok) + ("*" if len(run.text) == 1 else ""))
            continue
        word = run.text
        if word in ENGLISH_STOPWORDS and meaningful and not (last and ends_open):
            continue
        if last and prefix and ends_open and len(word) < MIN_OPEN_PREFIX:
            continue
        key = word + ("*" if last and prefix and ends_open else "")
        if key in seen:
            continue
        seen.add(key)
        tokens.append(word)
        parts.append(quote(word) + ("*" if last and prefix and ends_open else ""))
    expanded: list[str] = []
    for canonical in expand_synonyms(text, synonyms or {}):
        expanded.append(canonical)
        words = [t for t in phrase_tokens(canonical) if t not in ENGLISH_STOPWORDS and t not in seen]
        seen.update(words)
        group = [quote(t) for t in words]
        if len(group) == 1:
            parts.append(group[0])
        elif group:
            parts.append("(" + " AND ".join(group) + ")")
    parts = parts[:MAX_QUERY_TOKENS]
    terms = tuple(dict.fromkeys([*tokens, *[t for c in expanded for t in phrase_tokens(c)]]))
    return Query(tuple(tokens), tuple(expanded), " OR ".join(parts), terms)


def needs_more(text: str) -> bool:
    """True when ``text`` has something typed but nothing searchable yet (a single letter)."""
    return bool(text.strip()) and not build_query(text).match


# ------------------------------------------------------------------ snippets
@dataclass(frozen=True, slots=True)
class Snippet:
    """A short excerpt and the (start, end) spans within it that matched the query."""

    text: str
    spans: tuple[tuple[int, int], ...]


def plain_markdown(body: str) -> str:
    """Article body without Markdown marks, on one line (for excerpts)."""
    text = re.sub(r"^#+\s*", "", body, flags=re.M)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*(?:[-*>]|\d+\.)\s*", "", text, flags=re.M)
    text = text.replace("**", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def find_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``terms`` occur in ``text`` (case-insensitive; English words as word prefixes), merged."""
    lowered = text.casefold() if len(text.casefold()) == len(text) else text
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        han = all(is_han(ch) for ch in term)
        pattern = re.escape(term) if han else r"(?<![^\W_])" + re.escape(term)
        for match in re.finditer(pattern, lowered):
            end = match.end()
            if not han:
                while end < len(lowered) and (lowered[end].isalnum() and not is_han(lowered[end])):
                    end += 1
            spans.append((match.start(), end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(body: str, terms: Sequence[str], width: int = 80) -> Snippet:
    """The ``width``-character window of ``body`` with the most query hits, with hit spans."""
    text = plain_markdown(body)
    spans = find_spans(text, terms)
    if not spans:
        cut = text[:width]
        return Snippet(cut + ("…" if len(text) > width else ""), ())
    best_start, best_count = spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    start = max(0, best_start - width // 4)
    end = min(len(text), start + width)
    start = max(0, end - width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = tuple(
        (max(s, start) + shift, min(e, end) + shift) for s, e in spans if e > start and s < end
    )
    return Snippet(prefix + text[start:end] + suffix, inside)


def script_section(body: str, heading: str) -> str:
    """The text under ``## heading`` (without quote marks), or the whole body if absent."""
    match = re.search(rf"^##\s*{re.escape(heading)}\s*$(.*?)(?=^##\s|\Z)", body, flags=re.M | re.S)
    if not match:
        return body.strip()
    lines = [re.sub(r"^\s*>\s?", "", line) for line in match.group(1).strip().splitlines()]
    return "\n".join(lines).strip()
