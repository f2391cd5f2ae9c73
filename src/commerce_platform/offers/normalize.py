"""Term normalization and token classes for product matching.

"Kupariputki 15 mm 3 m" -> "kupariputki 15mm 3m"; "dn 15" -> "dn15"; "16x2,0" -> "16x2.0".
Size tokens (15mm, dn15, 16x2.0, 1/2") and length tokens (3m, 5m) are what must agree between a
term and a product; everything else is fuzzy.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# (pattern, replacement) applied in order: data over code.
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d),(\d)"), r"\1.\2"),                      # decimal comma
    (re.compile(r"\bdn\s*(\d+)\b"), r"dn\1"),                  # dn 15 -> dn15
    (re.compile(r"(\d+(?:\.\d+)?)\s*(mm|cm|m|kpl|l|kg|bar)\b"), r"\1\2"),  # 15 mm -> 15mm, 3 m -> 3m
    (re.compile(r"(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)"), r"\1x\2"),  # 16 x 2 -> 16x2
    (re.compile(r"(\d+)\s*/\s*(\d+)(?:\s*(?:\"|''|tuumaa|tuuma|in)\b|\s*\")?"), r"\1/\2in"),  # 1/2" -> 1/2in
    (re.compile(r"(\d+)\s*(?:metriä|metri|metrin|meter|metres|meters)\b"), r"\1m"),
    # Punctuation becomes a space, except a hyphen between digits: a pump's "25-40" is one designation.
    (re.compile(r"(?:[^\w./-]|(?<!\d)-|-(?!\d))+"), " "),
    (re.compile(r"\s+"), " "),
]

SIZE_RE = re.compile(r"^(?:\d+(?:\.\d+)?mm|dn\d+|\d+(?:\.\d+)?x\d+(?:\.\d+)?|\d+/\d+in|\d+(?:\.\d+)?cm|\d+-\d+)$")
LENGTH_RE = re.compile(r"^\d+(?:\.\d+)?m$")
NUMBER_RE = re.compile(r"^\d+(?:\.\d+)?$")


@lru_cache(maxsize=65536)
def normalize_term(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower().strip()
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    return text.strip()


def tokens(text: str) -> list[str]:
    return normalize_term(text).split()


@lru_cache(maxsize=65536)
def size_tokens(text: str) -> frozenset[str]:
    """Sizes: 15mm, dn15, 16x2.0. A bare number next to a pipe word counts as mm ("kupariputki 15")."""
    out = set()
    for tok in tokens(text):
        if SIZE_RE.match(tok):
            out.add(_canonical_size(tok))
    return frozenset(out)


def _canonical_size(tok: str) -> str:
    m = re.match(r"^(\d+(?:\.\d+)?)x", tok)
    if m:  # 16x2.0 -> the outer diameter is what matters for matching
        return f"{_num(m.group(1))}mm"
    if tok.endswith("cm"):
        return f"{_num(str(float(tok[:-2]) * 10))}mm"
    if tok.endswith("mm"):
        return f"{_num(tok[:-2])}mm"
    return tok


def _num(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else str(value)


@lru_cache(maxsize=65536)
def length_tokens(text: str) -> frozenset[str]:
    return frozenset(f"{_num(t[:-1])}m" for t in tokens(text) if LENGTH_RE.match(t))


@lru_cache(maxsize=65536)
def _word_tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in tokens(text) if not (SIZE_RE.match(t) or LENGTH_RE.match(t) or NUMBER_RE.match(t)))


def word_tokens(text: str) -> list[str]:
    """Tokens that are neither sizes, lengths nor bare numbers."""
    return list(_word_tokens(text))


@lru_cache(maxsize=65536)
def char_ngrams(text: str, n: int = 3) -> frozenset[str]:
    out: set[str] = set()
    for word in normalize_term(text).split():
        padded = f" {word} "
        out.update(padded[i:i + n] for i in range(max(1, len(padded) - n + 1)))
    return frozenset(out)


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b) if (a or b) else 0.0


@lru_cache(maxsize=65536)
def number_tokens(text: str) -> frozenset[str]:
    """Bare numbers ("vesimittari 20", "pumppu 25-40")."""
    return frozenset(_num(t) for t in tokens(text) if NUMBER_RE.match(t))


@lru_cache(maxsize=65536)
def spec_tokens(text: str) -> frozenset[str]:
    """Everything that must agree exactly for two terms to mean the same product."""
    return size_tokens(text) | length_tokens(text) | number_tokens(text)


@lru_cache(maxsize=65536)
def implied_sizes(text: str) -> frozenset[str]:
    """Sizes a term states or implies: a bare number may mean millimetres or a DN size."""
    return size_tokens(text) | frozenset(s for n in number_tokens(text) for s in (f"{n}mm", f"dn{n}"))
