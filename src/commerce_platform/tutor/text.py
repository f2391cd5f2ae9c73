"""Text helpers shared by the generator and the evaluator: normalization, tokens, crude stems,
fuzzy word matching, sentence splitting and quantity parsing (numbers with units).

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


_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*|€|%|°")


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
    out = [t.strip("'") for t in _TOKEN.findall(canonical(text))]
    return [t for t in out if t and (keep_stop or t not in _stop())]


def stem(word: str) -> str:
    """A crude English stemmer: enough to match plural/past/gerund forms of the same word."""
    w = word.lower()
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def similar_words(a: str, b: str) -> bool:
    """Same word up to inflection or a small spelling mistake (also 'ph' written as 'f')."""
    if a == b or stem(a) == stem(b):
        return True
    a, b = a.replace("ph", "f"), b.replace("ph", "f")
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    shortest = min(len(a), len(b))
    if shortest < 4:
        return False
    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio >= (0.8 if shortest < 7 else 0.75)


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
    symbol: str
    kind: str
    factor: float


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, Unit], dict[str, Unit], re.Pattern]:
    by_symbol: dict[str, Unit] = {}
    by_alias: dict[str, Unit] = {}
    for symbol, spec in lexicon()["units"].items():
        unit = Unit(symbol, spec["kind"], float(spec["factor"]))
        by_symbol[symbol] = unit
        for alias in spec["aliases"] + [symbol.lower()]:
            by_alias[fold(alias)] = unit
    aliases = sorted(by_alias, key=len, reverse=True)
    number = r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    unit_alt = "|".join(re.escape(a) for a in aliases)
    pattern = re.compile(
        r"(?<![\w.,])(?:(?P<pre>€|eur)\s?" + number.replace("num", "pnum") + r"|" + number
        + r"(?:\s?-?\s?(?P<unit>" + unit_alt + r"))?)(?![\w])", re.IGNORECASE)
    return by_symbol, by_alias, pattern


def unit_of(symbol: str | None) -> Unit | None:
    if not symbol:
        return None
    by_symbol, by_alias, _ = _units()
    return by_symbol.get(symbol) or by_alias.get(fold(symbol))


def fuzzy_unit(word: str) -> Unit | None:
    """A unit named with a spelling mistake ('dyas', 'milimeters')."""
    _, by_alias, _ = _units()
    w = fold(word)
    if w in by_alias:
        return by_alias[w]
    best, best_ratio = None, 0.0
    for alias, unit in by_alias.items():
        if len(alias) < 4:
            continue
        ratio = SequenceMatcher(None, w, alias).ratio()
        if ratio > best_ratio:
            best, best_ratio = unit, ratio
    return best if best_ratio >= 0.75 else None


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: Unit | None
    start: int
    end: int
    text: str

    def base(self) -> float:
        return self.value * (self.unit.factor if self.unit else 1.0)


def _num(text: str) -> float:
    text = text.replace("\u00a0", "").replace(" ", "")
    return float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text.replace(",", ""))


def quantities(text: str, *, with_unit_only: bool = False) -> list[Quantity]:
    """Numbers in ``text`` with their unit when one follows (or € precedes)."""
    _, by_alias, pattern = _units()
    folded = fold(text)
    out: list[Quantity] = []
    for m in pattern.finditer(folded):
        if m.group("pnum"):
            q = Quantity(_num(m.group("pnum")), by_alias["€"], m.start(), m.end(), text[m.start():m.end()])
        else:
            unit = by_alias.get(fold(m.group("unit"))) if m.group("unit") else None
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
    found = quantities(folded)
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


def _words_to_numbers(folded: str) -> str:
    """'one hundred and twenty days' -> '120 days'; 'a week' -> '1 week'."""
    folded = re.sub(r"(?<![a-z])an? (day|week|month|year|hour|minute)(?![a-z])", r"1 \1", folded)
    folded = re.sub(r"(?<![a-z])a (dozen|hundred|thousand)(?![a-z])", r"one \1", folded)
    folded = _number_run().sub(lambda m: _fmt(_run_value(m.group(0))), folded)
    # "1 and a half" -> 1.5; "half a" (metre) -> 0.5
    folded = re.sub(r"(\d+(?:\.\d+)?) and (?:a )?(?:half|0\.5)(?![a-z0-9])",
                    lambda m: _fmt(float(m.group(1)) + 0.5), folded)
    return re.sub(r"(?<![a-z0-9])(?:half|0\.5) an? (?=[a-z])", "0.5 ", folded)


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
