"""Product families read from the catalog itself, whatever the product group codes look like.

A group's products fall into *lines*: products whose names share every word and differ only in
size or section length ("KOMP.PUTKI 16X2,0 TIGRIS K1 3M" .. "KOMP.PUTKI 32X3,0 TIGRIS K1 5M").
From the lines come the attribute slots a rule can talk about:

* family name: the word the lines' names have in common (or, when each brand spells the family
  differently, the word that looks most like the other lines' words: CU-PUTKI ~ KUP.PUTKI);
* brand: the line's first word found in no other line of the group (a word the catalog also uses
  in another family first: brands span families, finishes do not); model: its other such words;
* size: the tokens that vary inside a line except the section length. Lines with as many sizes
  are aligned by rank, so "15X1,0", "15MM" and "D15" (or "DN15" and "R1/2") are one size;
* length: a varying "<n>M" token (section length in metres).

Nothing here knows a product word: the same code reads the demo catalog ("KUPARIPUTKI") and an
ERP whose groups are numbers ("101600").
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from .models import CatalogProduct
from .normalize import SIZE_RE, _canonical_size, char_ngrams, jaccard, normalize_term

_LENGTH = re.compile(r"^(\d+(?:[.,]\d+)?)M$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_INCH = re.compile(r"^[A-Z]*(\d+)(?: (\d+)/(\d+))?$|^[A-Z]*(\d+)/(\d+)$")  # R1/2, R1 1/4, 3/4
_MM_SIZE = re.compile(r"^\d+(?:\.\d+)?mm$")


@dataclass(frozen=True)
class ProductAttrs:
    code: str
    group: str
    brand: str                 # the line's label: unique within the group
    size: str                  # canonical size label ("15mm", "25-40"); "" when the line has one size
    length_m: float | None     # section length in metres, None when the product has none
    line_words: tuple[str, ...]

    @property
    def length_label(self) -> str:
        return "" if self.length_m is None else f"{_num(self.length_m)}M"


@dataclass
class Family:
    group: str
    name: str
    brands: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    lengths: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How a rule names the family: "KOMP.PUTKI (682300)"; the code alone is not read by people."""
        return self.name if self.name.upper() == self.group.upper() or not self.group else f"{self.name} ({self.group})"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _length(token: str) -> float | None:
    m = _LENGTH.match(token)
    return float(m.group(1).replace(",", ".")) if m else None


def _size_value(tokens: tuple[str, ...]) -> tuple[float, ...]:
    """An order for the sizes of one line: inch fractions by value, others by their numbers."""
    text = " ".join(tokens)
    m = _INCH.match(text)
    if m and "/" in text:
        if m.group(4):
            return (float(Fraction(int(m.group(4)), int(m.group(5)))),)
        return (int(m.group(1)) + float(Fraction(int(m.group(2)), int(m.group(3)))),)
    return tuple(float(n.replace(",", ".")) for n in _NUMBER.findall(text)) or (math.inf,)


class Families:
    """Every group's family, lines and slots, plus the catalog's size spellings."""

    def __init__(self, catalog: list[CatalogProduct]) -> None:
        self.families: dict[str, Family] = {}
        self.attrs_by_code: dict[str, ProductAttrs] = {}
        self._by_slot: dict[tuple[str, str, str, str], CatalogProduct] = {}
        self._line_sizes: Counter = Counter()
        self.size_lexicon: dict[str, str] = {}  # normalized spelling -> canonical size
        self._phrases: list[tuple[str, str]] = []  # multi-word spellings, longest first
        groups: dict[str, list[CatalogProduct]] = defaultdict(list)
        for p in catalog:
            groups[p.product_group or ""].append(p)
        spellings: dict[str, Counter] = defaultdict(Counter)
        # A brand often sells in several families; a temper or finish word stays in one.
        self._word_groups: dict[str, set[str]] = defaultdict(set)
        for p in catalog:
            for w in p.product_name.upper().split():
                self._word_groups[w].add(p.product_group or "")
        for group, products in groups.items():
            if group:
                self._read_group(group, products, spellings)
        for spelling, labels in spellings.items():  # a millimetre name wins: it is what customers write
            mm = sorted(lab for lab in labels if _MM_SIZE.match(lab))
            self.size_lexicon[spelling] = mm[0] if mm else labels.most_common(1)[0][0]
        self._phrases = sorted(((s, lab) for s, lab in self.size_lexicon.items() if " " in s),
                               key=lambda t: -len(t[0]))

    # ---- reading the catalog --------------------------------------------------------------
    def _read_group(self, group: str, products: list[CatalogProduct], spellings: dict[str, Counter]) -> None:
        names = {p.product_code: p.product_name.upper().split() for p in products}
        # 1. Lines: same words once tokens with digits are set aside (sizes, lengths, models like K1).
        clusters: dict[frozenset[str], list[CatalogProduct]] = defaultdict(list)
        for p in products:
            clusters[frozenset(t for t in names[p.product_code] if not any(c.isdigit() for c in t))].append(p)
        lines = []  # (line words in name order, [(product, size tokens, length)])
        for members in clusters.values():
            counts = Counter(t for p in members for t in set(names[p.product_code]))
            constant = {t for t, n in counts.items() if n == len(members) and _length(t) is None}
            if len(members) == 1:  # a one-product line: every non-length token is the line's
                constant = {t for t in counts if _length(t) is None}
            first = names[members[0].product_code]
            words = tuple(t for t in first if t in constant)
            rows = [(p, tuple(t for t in names[p.product_code] if t not in constant and _length(t) is None),
                     next((_length(t) for t in names[p.product_code] if _length(t) is not None), None))
                    for p in members]
            lines.append((words, rows))
        family_name = self._family_name([w for w, _ in lines])
        # 2. Brand: the first word of a line that no other line of the group has, once the line's own
        #    spelling of the family word (the word most like the family name) is set aside.
        word_lines = Counter(w for words, _ in lines for w in set(words))
        brands = []
        for words, _rows in lines:
            own = [w for w in words if word_lines[w] == 1 and w != family_name]
            if family_name not in words and len(own) > 1:
                own.remove(max(own, key=lambda w: jaccard(char_ngrams(w), char_ngrams(family_name))))
            plain = [w for w in own if not any(c.isdigit() for c in w) and "/" not in w]
            plain.sort(key=lambda w: -len(self._word_groups[w]))  # stable: name order among equals
            brands.append(plain[0] if plain else " ".join(w for w in words if w != family_name) or family_name)
        if len(set(brands)) < len(brands):  # not unique: fall back to the whole label of each line
            brands = [" ".join(w for w in words if w != family_name) or family_name for words, _ in lines]
        # 3. Sizes: ranked inside each line; lines with as many sizes are aligned rank by rank.
        size_lists = [sorted({r[1] for r in rows}, key=_size_value) for _w, rows in lines]
        size_counts = Counter(len(s) for s in size_lists)
        aligned = size_counts.most_common(1)[0][0] if size_lists else 0
        canon: dict[tuple[int, tuple[str, ...]], str] = {}
        if aligned > 1:
            for rank in range(aligned):
                forms = [normalize_term(" ".join(s[rank])) for s in size_lists if len(s) == aligned]
                label = _label(forms)
                for i, s in enumerate(size_lists):
                    if len(s) == aligned:
                        canon[(i, s[rank])] = label
        fam = Family(group, family_name)
        for i, ((words, rows), brand) in enumerate(zip(lines, brands, strict=True)):
            fam.brands.append(brand)
            for p, size_tokens, length in rows:
                size = canon.get((i, size_tokens)) or (_label([normalize_term(" ".join(size_tokens))])
                                                      if size_tokens else "")
                if size_tokens:
                    spellings[normalize_term(" ".join(size_tokens))][size] += 1
                if size and size not in fam.sizes:
                    fam.sizes.append(size)
                attrs = ProductAttrs(p.product_code, group, brand, size, length, words)
                if attrs.length_label and attrs.length_label not in fam.lengths:
                    fam.lengths.append(attrs.length_label)
                self.attrs_by_code[p.product_code] = attrs
                self._by_slot.setdefault((group, brand, size, attrs.length_label), p)
                self._line_sizes[(group, brand)] += 1
        self.families[group] = fam

    @staticmethod
    def _family_name(line_words: list[tuple[str, ...]]) -> str:
        """The word most lines share; on a tie, the word most like the other lines' words."""
        if not line_words:
            return ""
        counts = Counter(w for words in line_words for w in set(words) if not any(c.isdigit() for c in w))
        if not counts:
            return ""

        def likeness(word: str) -> float:
            others = [w for words in line_words if word not in words for w in words]
            return max((jaccard(char_ngrams(word), char_ngrams(o)) for o in others), default=0.0)

        first_position = Counter(words[0] for words in line_words if words)
        return max(counts, key=lambda w: (counts[w], likeness(w), first_position[w], len(w), w))

    # ---- questions ------------------------------------------------------------------------
    def attrs(self, code: str) -> ProductAttrs | None:
        return self.attrs_by_code.get(code)

    def family(self, group: str) -> Family | None:
        return self.families.get(group)

    def family_label(self, group: str) -> str:
        fam = self.families.get(group)
        return fam.label if fam else group

    def is_line(self, attrs: ProductAttrs) -> bool:
        """A real line has several products (sizes or lengths): a one-off product has no brand slot."""
        return self._line_sizes.get((attrs.group, attrs.brand), 0) > 1

    def find(self, group: str, brand: str, size: str, length_label: str) -> CatalogProduct | None:
        """The product of a line in a size and section length (None when the catalog has none)."""
        return self._by_slot.get((group, brand, size, length_label))

    def term_key(self, term: str) -> str:
        """The customer's term with every size spelling the catalog knows written one way, so that
        "kupariputki d15" and "kupariputki 15 mm" are one learning. Hyphenated designations such as
        a pump's "25-40" keep their hyphen (normalize_term keeps it between digits)."""
        text = f" {normalize_term(term)} "
        for phrase, label in self._phrases:
            text = text.replace(f" {phrase} ", f" {label} ")
        out = []
        for tok in text.split():
            if tok in self.size_lexicon:
                out.append(self.size_lexicon[tok])
            elif SIZE_RE.match(tok) and not tok.startswith("dn"):
                out.append(_canonical_size(tok))
            else:
                out.append(tok)
        return " ".join(out)


def _label(forms: list[str]) -> str:
    """One name for a size written several ways: the millimetre form when a line uses it, else the
    shortest spelling ("25-40" over "25-40/180in")."""
    forms = [_canonical_size(f) if SIZE_RE.match(f) and not f.startswith("dn") else f for f in forms]
    mm = sorted({f for f in forms if _MM_SIZE.match(f)})
    if mm:
        return mm[0]
    return min(forms, key=lambda f: (len(f), f))
