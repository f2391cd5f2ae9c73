"""Key facts of a knowledge passage, the raw material of offline exercises.

Three kinds, found with rules (no model):
- number: a quantity with a unit in a sentence ("returned within 30 days of delivery");
- term: a distinctive word of a sentence (for cloze and term multiple choice);
- condition: who/what may, must not, is required, only if, if ... then (for short answers).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .models import Passage
from .text import Quantity, fold, lexicon, quantities, sentences, stem, stopwords, term_stem, tokens


@dataclass
class Fact:
    fact_id: str
    kind: str  # number | term | condition
    sentence: str
    passage: Passage
    label: str
    answer: str
    start: int = 0
    end: int = 0
    quantity: Quantity | None = None
    prompt: str = ""  # condition facts: the question stem
    keywords: list[str] = field(default_factory=list)

    @property
    def concept(self) -> str:
        heading = self.passage.heading or self.passage.source
        return f"{heading}: {self.label}"


def _fid(passage: Passage, sentence: str, answer: str, kind: str) -> str:
    raw = f"{passage.source}|{passage.heading}|{sentence}|{answer}|{kind}"
    return hashlib.sha1(raw.encode()).hexdigest()[:12]


_CONTEXT_WORDS = {
    "time": [("every", "service interval"), ("warranty", "warranty period"), ("guarantee", "warranty period"),
             ("refund", "refund time"), ("return", "return window"), ("deliver", "delivery time"),
             ("within", "deadline"), ("after", "waiting period")],
    "length": [("pipe", "pipe length"), ("wall", "clearance"), ("ground", "clearance"), ("above", "clearance"),
               ("from", "clearance"), ("cable", "cable length"), ("diameter", "diameter")],
}


def _number_label(sentence: str, q: Quantity) -> str:
    kind = q.unit.kind if q.unit else "count"
    words = fold(sentence)
    found = [(words.find(cue), i, label) for i, (cue, label) in enumerate(_CONTEXT_WORDS.get(kind, []))
             if cue in words]
    if found:  # the cue nearest the start of the sentence names its subject
        return min(found)[2]
    return lexicon()["kind_labels"].get(kind, "figure")


_PERSON = None


def _is_person(np: str) -> bool:
    global _PERSON
    if _PERSON is None:
        _PERSON = {stem(w) for w in lexicon()["person_words"]}
    return any(stem(t) in _PERSON for t in tokens(np))


_CONDITIONS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^only (?P<np>.{3,80}?) (?P<modal>may|can|is allowed to|are allowed to|must) (?P<vp>.{3,160})$", re.I),
     "only"),
    (re.compile(r"^(?P<np>.{3,80}?) (?P<modal>cannot|can not|can't|must not|may not|are not|is not|will not be)"
                r" (?P<vp>.{3,160})$", re.I), "negative"),
    (re.compile(r"^(?P<np>.{3,80}?) (?:is|are) (?P<modal>required|mandatory|needed)(?P<vp>.{0,160})$", re.I),
     "required"),
    (re.compile(r"^(?P<main>.{8,160}?),? (?P<modal>only if|only when|provided that|as long as|unless)"
                r" (?P<cond>.{3,200})$", re.I), "only_if"),
    (re.compile(r"^(?P<modal>if|when) (?P<cond>.{3,160}?), (?P<main>.{3,200})$", re.I), "if_then"),
]


def _condition(sentence: str) -> tuple[str, str, str] | None:
    """(question, answer, label) for a condition sentence, else None."""
    body = sentence.rstrip(".!? ")
    for pattern, kind in _CONDITIONS:
        m = pattern.match(body)
        if not m:
            continue
        if kind == "only":
            np, modal, vp = m["np"], m["modal"], m["vp"]
            who = "Who" if _is_person(np) else "What"
            return f"{who} {modal} {vp}?", np, "who is allowed" if who == "Who" else "restriction"
        if kind == "negative":
            np, modal, vp = m["np"], m["modal"], m["vp"]
            if len(np.split()) > 6 or np.lower().startswith(("it", "this", "that", "there")) or \
                    np.lower().split()[-1] in ("that", "which", "who", "whose", "where", "when"):
                continue  # a relative clause ("Orders that ... are not approved") is not a subject
            return f"What {modal.lower()} {vp}?", np, "exclusion"
        if kind == "required":
            np, modal, vp = m["np"], m["modal"], m["vp"]
            if len(np.split()) > 6:
                continue
            return f"What is {modal.lower()}{vp}?", np, "requirement"
        if kind == "only_if":
            main, modal, cond = m["main"], m["modal"], m["cond"]
            return f"Complete the condition: \"{main} {modal.lower()} ...\"", cond, "condition"
        if kind == "if_then":
            modal, cond, main = m["modal"], m["cond"], m["main"]
            return f"What does the guidance say to do {modal.lower()} {cond}?", main, "procedure"
    return None


_RANGE = re.compile(r"\d\s*(?:-|\u2013|to|or|and)\s*$|\d,\s*$")


@lru_cache(maxsize=1)
def _verb_cues() -> frozenset[str]:
    return frozenset(lexicon()["verb_cues"])


def _word_before(sentence: str, start: int) -> str:
    """The folded word just before position ``start`` ("" at the sentence start)."""
    before = sentence[:start].split()
    return fold(before[-1]) if before else ""


def _candidate_terms(sentence: str) -> list[tuple[str, int, int]]:
    """Words worth blanking out: not stopwords or number words, and not a verb or adjective by its
    context ("we recommend", "can authorise", "is delivered"): a cloze asks for a thing's name."""
    out = []
    for m in re.finditer(r"[A-Za-zÅÄÖåäöÉé][A-Za-zÅÄÖåäöÉé]+(?:-[A-Za-z0-9]+)*", sentence):
        word = m.group(0)
        folded = fold(word)
        if len(word) < 4 or folded in stopwords() or folded in lexicon()["number_words"]:
            continue
        if _word_before(sentence, m.start()) in _verb_cues():
            continue
        out.append((word, m.start(), m.end()))
    return out


class FactExtractor:
    """Facts of passages; ``document_frequency`` (term stem -> number of passages) ranks terms.
    Term statistics use ``term_stem`` (inflection only): a derived word is a term of its own."""

    def __init__(self, corpus: list[str] | None = None) -> None:
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        for text in corpus or []:
            self.add_document(text)

    def add_document(self, text: str) -> None:
        self.n_docs += 1
        self.df.update({term_stem(t) for t in tokens(text)})

    def idf(self, word: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df.get(term_stem(fold(word)), 0))) + 1.0

    def extract(self, passage: Passage) -> list[Fact]:
        facts: list[Fact] = []
        seen: set[str] = set()
        heading_stems = {term_stem(t) for t in tokens(passage.heading)}
        for sentence in sentences(passage.text):
            for q in quantities(sentence, with_unit_only=True):
                if _RANGE.search(sentence[:q.start]):
                    continue  # the upper end of a range ("1-3 days") is not a fact on its own
                fid = _fid(passage, sentence, q.text, "number")
                if fid in seen:
                    continue
                seen.add(fid)
                facts.append(Fact(fid, "number", sentence, passage, _number_label(sentence, q), q.text,
                                  q.start, q.end, quantity=q))
            cond = _condition(sentence) if "?" not in sentence else None  # FAQ lines make broken questions
            if cond is not None:
                question, answer, label = cond
                answer = answer.strip().rstrip(".")
                generic = set(lexicon()["generic_words"])
                keys = [t for t in tokens(answer) if len(t) > 1 and t not in generic]
                if keys:
                    fid = _fid(passage, sentence, answer, "condition")
                    facts.append(Fact(fid, "condition", sentence, passage, label, answer, prompt=question,
                                      keywords=keys))
            terms = _candidate_terms(sentence)
            if terms:
                def rank(item: tuple[str, int, int], sentence: str = sentence) -> float:
                    word, start, _ = item
                    score = self.idf(word) if self.n_docs else 1.0
                    if start > 0 and word[0].isupper():
                        score += 0.5
                    if "-" in word:
                        score += 0.3
                    if term_stem(fold(word)) in heading_stems:
                        score -= 0.4
                    if re.search(r"(ing|ed|ly|ous|ive|al|ful|able)$", word.lower()):
                        score -= 0.6
                    if start == 0 or sentence[:start].rstrip().endswith((":", ";")):
                        score -= 0.8  # a sentence's first word is often an imperative ("Click", "Remove")
                    if _word_before(sentence, start) in ("the", "a", "an", "this", "per", "of", "certified"):
                        score += 0.3
                    return score + min(len(word), 12) / 24

                word, start, end = max(terms, key=rank)
                facts.append(Fact(_fid(passage, sentence, word, "term"), "term", sentence, passage,
                                  "key term", word, start, end))
        return facts

    def terms(self, passages: list[Passage]) -> list[str]:
        """Distinctive words of these passages (distractor pool for term questions)."""
        pool: list[str] = []
        for p in passages:
            for sentence in sentences(p.text):
                pool.extend(w for w, _, _ in _candidate_terms(sentence))
        return list(dict.fromkeys(pool))
