"""Text helpers shared by the generator and the evaluator: normalization, tokens, stems,
fuzzy word matching, sentence splitting and quantity parsing (numbers with units).

Tokens and stems come from the platform analyzer (``commerce_platform.text_analysis``: Snowball
English and Finnish). The tutor folds accents away before that (``fold``): learners type "paiva"
for "päivä", and an answer checker should not fail them for it.

The vocabulary (stop words, units, synonyms, number words) is data: ``lexicon.json``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from .. import text_analysis


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The tutor's word tables (read once; callers must not mutate them)."""
    return json.loads(resources.files(__package__).joinpath("lexicon.json").read_text(encoding="utf-8"))


def stopwords() -> frozenset[str]:
    return _stop()


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    return frozenset(lexicon()["stopwords"])


def fold(text: str) -> str:
    """Lower case, accents removed (å -> a), typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or ch == "\u00b0")
    return text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").lower()


@lru_cache(maxsize=1)
def _phrase_pattern() -> tuple[re.Pattern, dict[str, str]]:
    table = {fold(k): fold(v) for k, v in lexicon()["phrase_synonyms"].items()}
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(k) for k in keys) + r")(?![a-z0-9])"), table


def canonical(text: str) -> str:
    """Folded text with synonym phrases replaced by their canonical form."""
    pattern, table = _phrase_pattern()
    return pattern.sub(lambda m: table[m.group(1)], fold(text))


def tokens(text: str, *, keep_stop: bool = False) -> list[str]:
    """Tokens of the canonical text: words, numbers with their decimal part, and €, %, °, $."""
    return list(_tokens(text, keep_stop))


@lru_cache(maxsize=4096)
def _tokens(text: str, keep_stop: bool) -> tuple[str, ...]:
    # cached: the evaluator tokenizes the same passages and questions for every response
    out = [t.strip("'") for t in text_analysis.tokenize(canonical(text), keep_symbols=True, normalized=True)]
    return tuple(t for t in out if t and (keep_stop or t not in _stop()))


def stem(word: str) -> str:
    """English Snowball stem of a (folded) word: the tutor's content is English."""
    return text_analysis.stem(word.lower(), "en")


def term_stem(word: str) -> str:
    """Inflection-only stem for term statistics (which word of a sentence to ask about): plural,
    past and -ing forms meet, derived words ("installer", "installation") stay apart."""
    return text_analysis.light_stem(word.lower(), "en")


def same_stem(a: str, b: str) -> bool:
    """Same word up to inflection: English stems, or Finnish ones when either word looks Finnish."""
    if stem(a) == stem(b):
        return True
    finnish = text_analysis.word_language(a) == "fi" or text_analysis.word_language(b) == "fi"
    return finnish and text_analysis.stem(a, "fi") == text_analysis.stem(b, "fi")


_RARE = 50


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """Known English words (pyspellchecker's word list) plus the tutor's own vocabulary.

    Words seen only at the list's floor count (50) are left out: that tail holds surnames and rare
    forms ("plummer") that are far likelier to be a learner's slip than a word meant."""
    lex = lexicon()
    counts = text_analysis.english_word_counts()
    words = {w for w, n in counts.items() if n > _RARE}
    for key in ("stopwords", "generic_words", "person_words"):
        words.update(fold(w) for w in lex[key])
    for spec in lex["units"].values():
        words.update(fold(a) for a in spec["aliases"] if " " not in a)
    words.update(w for w in lex["number_words"] if " " not in w)
    return frozenset(words)


def is_known_word(word: str, known: frozenset[str] | set[str] = frozenset()) -> bool:
    """A correctly spelled word: in ``known`` (the caller's passage words) or the dictionary."""
    return word in known or word in _dictionary()


@lru_cache(maxsize=65536)
def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def allowed_edits(length: int) -> int:
    """Spelling slack grows with the word: none up to 3 letters, one to 6, two to 11, then three."""
    return 0 if length < 4 else 1 if length <= 6 else 2 if length <= 11 else 3


def similar_words(a: str, b: str, known: frozenset[str] | set[str] = frozenset()) -> bool:
    """Same word up to inflection or a spelling mistake ('ph' written as 'f' counts as none).

    The edits allowed scale with the word's length (``allowed_edits`` of the longer word), and a mistake never turns one correct word into another: when
    both are known words (``known`` or the dictionary) with different stems they are different."""
    if a == b or same_stem(a, b):
        return True
    a, b = a.replace("ph", "f"), b.replace("ph", "f")
    if a == b:
        return True
    if any(ch.isdigit() for ch in a + b):
        return False
    if edit_distance(a, b) > allowed_edits(max(len(a), len(b))):
        return False
    return not (is_known_word(a, known) and is_known_word(b, known))


def spelling_ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, fold(a).strip(), fold(b).strip()).ratio()


_MD = [(re.compile(r"^\s{0,3}#{1,6}\s*"), ""), (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+"), ""),
       (re.compile(r"\*\*|__|`"), ""), (re.compile(r"\[([^\]]+)\]\([^)]+\)"), r"\1")]
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def sentences(text: str) -> list[str]:
    """Plain sentences of a (markdown) passage: headings, table rows and very short lines are skipped."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("|") or re.match(r"^\s{0,3}#{1,6}\s", raw) or set(line) <= set("-=*_ "):
            continue
        for pattern, repl in _MD:
            line = pattern.sub(repl, line)
        for part in _SPLIT.split(line):
            part = part.strip()
            if len(part.split()) >= 4 and not part.endswith(":"):
                out.append(part if part[-1] in ".!?" else part + ".")
    return out


# ---------------------------------------------------------------- quantities


@dataclass(frozen=True)
class Unit:
    """``factor``/``offset`` take a value to the kind's base unit: base = value * factor + offset
    (only temperatures have an offset: K and °F against °C)."""

    symbol: str
    kind: str
    factor: float
    offset: float = 0.0
    answers_only: bool = False

    def to_base(self, value: float) -> float:
        return value * self.factor + self.offset

    def from_base(self, base: float) -> float:
        return (base - self.offset) / self.factor


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, Unit], dict[str, Unit], re.Pattern]:
    by_symbol: dict[str, Unit] = {}
    by_alias: dict[str, Unit] = {}
    for symbol, spec in lexicon()["units"].items():
        unit = Unit(symbol, spec["kind"], float(spec["factor"]), float(spec.get("offset", 0.0)),
                    bool(spec.get("answers_only", False)))
        by_symbol[symbol] = unit
        own = [symbol.lower()] if spec.get("symbol_alias", True) else []  # "k" alone is not kelvin
        for alias in spec["aliases"] + own:
            by_alias[fold(alias)] = unit
    aliases = sorted(by_alias, key=len, reverse=True)
    number = r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    unit_alt = "|".join(re.escape(a) for a in aliases)
    pattern = re.compile(
        r"(?<![\w.,])(?:(?P<pre>€|eur)\s?" + number.replace("num", "pnum") + r"|" + number
        # a unit before "/" is the numerator of a rate (2.5 m3/h is a flow, not a volume): no unit then
        + r"(?:\s?-?\s?(?P<unit>" + unit_alt + r")(?!\s?/\s?[a-z]))?)(?![\w/])", re.IGNORECASE)
    return by_symbol, by_alias, pattern


def unit_of(symbol: str | None) -> Unit | None:
    if not symbol:
        return None
    by_symbol, by_alias, _ = _units()
    return by_symbol.get(symbol) or by_alias.get(fold(symbol))


@lru_cache(maxsize=4096)
def fuzzy_unit(word: str) -> Unit | None:
    """A unit named with a spelling mistake ('dyas', 'milimeters', '2 mouths'): the same length-scaled
    edit distance as ``similar_words``. Right after a number the unit is the likely reading even when
    the slip spells another word, so the dictionary is not asked; a slip as near to two different
    units names neither."""
    _, by_alias, _ = _units()
    w = fold(word)
    if w in by_alias:
        return by_alias[w]
    if len(w) < 4 or not w.isalpha():
        return None
    found: dict[str, tuple[int, Unit]] = {}
    for alias, unit in by_alias.items():
        if len(alias) < 4 or not alias.isalpha():
            continue
        distance = edit_distance(w, alias)
        longest = max(len(w), len(alias))
        if distance <= allowed_edits(longest):
            if unit.symbol not in found or distance < found[unit.symbol][0]:
                found[unit.symbol] = (distance, unit)
    if not found:
        return None
    best = min(d for d, _ in found.values())
    nearest = [u for d, u in found.values() if d == best]
    return nearest[0] if len(nearest) == 1 else None


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: Unit | None
    start: int
    end: int
    text: str

    def base(self) -> float:
        return self.unit.to_base(self.value) if self.unit else self.value


def _num(text: str) -> float:
    text = text.replace("\u00a0", "").replace(" ", "")
    return float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text.replace(",", ""))


def quantities(text: str, *, with_unit_only: bool = False, answer: bool = False) -> list[Quantity]:
    """Numbers in ``text`` with their unit when one follows (or € precedes).

    Units marked ``answers_only`` in the lexicon (kPa, s, °F, ...) are read in a learner's ``answer``
    only: the generator has no question wording for them, so content is not asked about them."""
    _, by_alias, pattern = _units()
    folded = fold(text)
    out: list[Quantity] = []
    for m in pattern.finditer(folded):
        if m.group("pnum"):
            q = Quantity(_num(m.group("pnum")), by_alias["€"], m.start(), m.end(), text[m.start():m.end()])
        else:
            unit = by_alias.get(fold(m.group("unit"))) if m.group("unit") else None
            if unit is not None and unit.answers_only and not answer:
                unit = None
            if unit is None and with_unit_only:
                continue
            value = _num(m.group("num"))
            start = m.start()
            if start >= 1 and folded[start - 1] == "-" and (start == 1 or folded[start - 2] in " (\t"):
                value, start = -value, start - 1
            q = Quantity(value, unit, start, m.end(), text[start:m.end()])
        out.append(q)
    return out


def learner_quantities(text: str) -> list[Quantity]:
    """Quantities in a learner's answer: digits or number words, units possibly misspelled."""
    folded = _words_to_numbers(fold(text))
    found = quantities(folded, answer=True)
    fixed: list[Quantity] = []
    for q in found:
        if q.unit is None:
            follow = re.match(r"\s*-?\s*([a-z°%€]+)", folded[q.end:])
            unit = fuzzy_unit(follow.group(1)) if follow else None
            if follow is not None and unit is not None:  # unit implies follow; said for the type checker
                q = Quantity(q.value, unit, q.start, q.end + follow.end(), folded[q.start:q.end + follow.end()])
        fixed.append(q)
    return fixed


_SCALES = {"hundred": 100, "thousand": 1000}


@lru_cache(maxsize=1)
def _number_run() -> re.Pattern:
    names = sorted((w for w in lexicon()["number_words"] if " " not in w), key=len, reverse=True)
    one = "(?:" + "|".join(names) + ")"
    return re.compile(rf"(?<![a-z]){one}(?:(?:\s+and\s+|[\s-]+){one})*(?![a-z])")


def _run_value(run: str) -> float:
    words = lexicon()["number_words"]
    total, current = 0.0, 0.0
    for w in re.findall(r"[a-z]+", run):
        if w in _SCALES:
            current = (current or 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total, current = total + current, 0.0
        elif w != "and":
            current += words[w]
    return total + current


@lru_cache(maxsize=1)
def _finnish_number() -> re.Pattern:
    """One Finnish numeral word, folded: 'kaksikymmentaviisi', 'yksitoista', 'kolmesataa'."""
    digit = "(?:" + "|".join(sorted((fold(w) for w in lexicon()["number_words_fi"]), key=len, reverse=True)) + ")"
    tens = rf"(?:{digit}kymmenta|kymmenen|{digit}toista)"
    below_100 = rf"(?:{tens}{digit}?|{digit})"
    hundreds = rf"(?:(?:{digit}sataa|sata){below_100}?)"
    return re.compile(rf"(?<![a-z])(?:(?:{hundreds}|{below_100})?(?:tuhatta|tuhat))?(?:{hundreds}|{below_100})?(?![a-z])")


def _finnish_value(word: str) -> float:
    digits = {fold(k): v for k, v in lexicon()["number_words_fi"].items()}
    total = 0.0
    if "tuha" in word:
        head, word = word.split("tuhatta" if "tuhatta" in word else "tuhat", 1)
        total += (_finnish_value(head) if head else 1) * 1000
    m = re.match(r"(?:(\w*?)sataa|sata)", word)
    if m and ("sata" in word):
        total += (digits.get(m.group(1) or "", 1) if m.group(1) else 1) * 100
        word = word[m.end():]
    m = re.match(r"(\w*?)kymmenta", word)
    if m:
        total += digits[m.group(1)] * 10
        word = word[m.end():]
    elif word == "kymmenen":
        return total + 10
    m = re.match(r"(\w+?)toista$", word)
    if m:
        return total + 10 + digits[m.group(1)]
    return total + digits.get(word, 0)


def _fraction_words() -> dict[str, float]:
    return {fold(k): float(v) for k, v in lexicon()["fraction_words"].items()}


def _words_to_numbers(folded: str) -> str:
    """'one hundred and twenty days' -> '120 days'; 'a week' -> '1 week'; 'kaksikymmentä' -> '20';
    'three quarters' -> '0.75'; '3/4' -> '0.75'; 'two and a half' / 'kaksi ja puoli' -> '2.5'."""
    folded = re.sub(r"(?<![a-z])an? (day|week|month|year|hour|minute)(?![a-z])", r"1 \1", folded)
    folded = re.sub(r"(?<![a-z])a (dozen|hundred|thousand)(?![a-z])", r"one \1", folded)
    # fraction words first: "three quarters" is 0.75, not 3 followed by a word
    fractions = _fraction_words()
    pattern = "|".join(re.escape(w) for w in sorted(fractions, key=len, reverse=True) if w not in ("half", "a half"))
    folded = re.sub(rf"(?<![a-z0-9.])(?:{pattern})(?![a-z])", lambda m: _fmt(round(fractions[m.group(0)], 6)), folded)
    folded = _number_run().sub(lambda m: _fmt(_run_value(m.group(0))), folded)
    folded = _finnish_number().sub(lambda m: _fmt(_finnish_value(m.group(0))) if m.group(0) else "", folded)
    # "1 and a half" / "1 ja puoli" -> 1.5; "half a" (metre) -> 0.5
    folded = re.sub(r"(\d+(?:\.\d+)?) (?:and|ja) (?:a )?(?:half|puoli|0\.5)(?![a-z0-9])",
                    lambda m: _fmt(float(m.group(1)) + 0.5), folded)
    folded = re.sub(r"(?<![a-z0-9])(?:half|0\.5) an? (?=[a-z])", "0.5 ", folded)
    # a fraction written with a slash ("3/4", "1 / 2"), not a date or a ratio of larger numbers
    folded = re.sub(r"(?<![\d/.,])(\d{1,2})\s?/\s?(\d{1,2})(?![\d/])",
                    lambda m: _fmt(round(int(m.group(1)) / int(m.group(2)), 6)) if int(m.group(2)) else m.group(0),
                    folded)
    return folded


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def format_quantity(value: float, unit: str | None) -> str:
    text = _fmt(value)
    if not unit:
        return text
    if unit == "€":
        return f"€{text}" if float(value).is_integer() else f"€{value:.2f}"
    if unit in ("%", "°C"):
        return f"{text}{unit}" if unit == "%" else f"{text} {unit}"
    if unit in ("days", "weeks", "months", "years", "hours", "minutes") and value == 1:
        return f"{text} {unit[:-1]}"
    return f"{text} {unit}"
