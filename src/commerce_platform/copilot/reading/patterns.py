"""Word lists and regular expressions the reading steps share (numbers, ids, quoted texts, money)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..lexicon import tokenize

if TYPE_CHECKING:
    from ..lexicon import Span


def alternation(words: list[str], flexible_spaces: bool = True) -> str:
    """A regex alternation of the layer's phrases ``words``, longest first (so "low stock" wins over "low"), each
    escaped; with ``flexible_spaces`` a space in a phrase matches any run of whitespace."""
    return _alternation(tuple(words), flexible_spaces)


def phrase_said(words: list[str], text: str) -> bool:
    """Whether one of the layer's phrases ``words`` stands in ``text`` as whole words (any case)."""
    return bool(words) and re.search(rf"\b(?:{alternation(words, False)})\b", text, re.IGNORECASE) is not None


def phrase_spans(spans: Sequence[Span], phrases: list[str]) -> Iterator[tuple[int, int]]:
    """Where one of the layer's phrases ``phrases`` is said over ``spans``: each (k, j) whose spans k..j-1 say the
    phrase's words as the question's words are read (tokenized, number words as digits: "two figures" is read "2
    figures"); the longest phrase first, each place of it left to right."""
    texts = [x.text for x in spans]
    said_as = {" ".join(numbers_as_read(tokenize(phrase))) for phrase in phrases}
    for phrase in sorted(said_as, key=lambda p: (-len(p), p)):
        for k in range(len(texts)):
            j, said = k, ""
            while j < len(texts) and len(said) < len(phrase):
                said = f"{said} {texts[j]}".strip()
                j += 1
            if said == phrase:
                yield k, j


def numbers_as_read(words: list[str]) -> list[str]:
    """``words`` with their number words as the digits the reader reads ("two" is "2"); "one" only after a comparator
    ("at least one", "more than one"), "top" ("just the top one") or before a time unit ("one day"), else a pronoun;
    "zero" only after a comparator ("more than zero"), else a word of the layer's phrases ("zero stock", "at zero on
    hand", "zero orders")."""
    return [str(NUMBER_WORDS[w]) if w in NUMBER_WORDS and (w not in ("one", "zero") or k > 0 and words[k - 1] in (
                "least", "than", "most", "exactly", "to") or w == "one" and k > 0 and words[k - 1] == "top"
                # "within one day of shipping": one of a time unit
                or w == "one" and words[k + 1:k + 2] in (["day"], ["week"], ["hour"]))
            else w for k, w in enumerate(words)]


@lru_cache(maxsize=256)
def _alternation(words: tuple[str, ...], flexible_spaces: bool) -> str:
    # (the layer's tables are fixed: built once per table, not on every question that reads them)
    escaped = (re.escape(w) for w in sorted(words, key=len, reverse=True))
    return "|".join(e.replace(r"\ ", r"\s+") for e in escaped) if flexible_spaces else "|".join(escaped)


SUGGESTIONS = [
    "revenue by month in 2025",
    "open orders by channel",
    "top 5 products by units sold last month",
    "which product costs the most",
    "low stock products in Plumbing",
    "average delivery time per carrier in hours",
    "what percentage of orders were returned in 2025",
    "Finland vs Sweden revenue this year",
]

# "customers who ordered before but not (nothing, none) in the last 90 days": the "not" is of the
# ordering said before it ("but not at all in 2026" as "but not in 2026"; was: refused on 'not')
# ("ordered with us before but not a single time this year": the same, "with us" and "a single time" only say it)
ORDERED_BEFORE_BUT_NOT = re.compile(r"\b(ordered|bought|purchased)(\s+(?:(?:from|with)\s+us\s+)?before)"
                                    r"(?:\s+but|\s*,(?:\s*but)?)\s+(?:not|nothing|none)\s+(?:at\s+all\s+|(?:a\s+)?single\s+time\s+|once\s+)?"
                                    r"(?=(?:in|during|within|since|this|last)\b)")
# Words read by the parser's own patterns (periods, ids), so known to the typo mender too.
NUMBER_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
PARSER_WORDS = frozenset({*(m.lower() for m in calendar.month_name if m), "month", "months", "quarter", "quarters",
                          "year", "years", "week", "weeks", "since", "between", "yesterday", "today", "first",
                          "second", "third", "fourth", "order", "customer", "product", "shipment", "number",
                          "until", "through", "during", "previous", "current", "older", "ago", "thousand", *NUMBER_WORDS})
# Grouping words that name every group one by one: a ranking under them restarts in each group
EACH_WORDS = frozenset({"each", "every", "per", "for each", "for every", "in each", "at each", "within each"})


def _all_listed(m: re.Match[str]) -> str:
    """"all three channels (web, store and b2b)" -> "both web, store and b2b" when the list holds as many
    values as the number says (otherwise left as said)."""
    n = NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
    items = [x for x in re.split(r"\s*(?:,|\band\b|&)\s*", m.group(2).strip()) if x]
    return f"both {m.group(2).strip()}" if len(items) == n else m.group(0)


ID_RE = re.compile(r"\b(order|customer|product|shipment)(?:\s+(?:number|no\.?|id|nr|#))?\s*#?\s*(\d+)\b")
# "status of orders 148, 507 and 825": several ids after the plural noun
MULTI_ID_RE = re.compile(r"\b(order|customer|product|shipment)s\s+(?:(?:numbers?|ids?|nos?\.?|nrs?)\s+)?#?\s*"
                         r"(\d+(?:\s*(?:,|&|\band\b|\bor\b)\s*(?:and\s+|or\s+)?#?\s*\d+)+)\b")
# a quoted text; an apostrophe inside a word ("who've", "haven't") neither opens nor closes one
TEXT_RE = re.compile(r"(?:[\"“‘]|(?<![a-z0-9])')([^\"'”’]{1,60})(?:[\"”’]|'(?![a-z0-9]))")
# a domain, or an address whose name may hold dots ("sami.johansson@mail.example")
DOMAIN_RE = re.compile(r"(?<![\w.@])@?([a-z0-9][\w-]*(?:\.[\w-]+)*@[a-z0-9][\w-]+(?:\.[a-z][\w-]+)+|"
                       r"[a-z0-9][\w-]+(?:\.[a-z][\w-]+)+)(?![\w@])", re.IGNORECASE)
# (a date format said as the answer's form, "as YYYY-MM", is no code: the layer's grain_labels place it)
CODE_RE = re.compile(r"(?<![\w-])(?!(?:YYYY|YY|MM|DD)(?:[-/](?:YYYY|YY|MM|DD))+(?![\w-]))"
                     r"([A-Z]{2,}[A-Z0-9]*-[A-Z0-9-]*)(?![\w-])")
MONEY_RE = re.compile(r"(?:€|eur\s*|\$)\s*(\d+(?:[.,]\d+)?)|(\d+(?:[.,]\d+)?)\s*(?:€|eur|euros?|\$)(?![a-z])")
