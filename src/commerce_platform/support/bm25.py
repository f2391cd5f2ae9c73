"""Okapi BM25 over chunk texts, analyzed by ``commerce_platform.text_analysis`` (English/Finnish).

State is a plain JSON document (ids, per-chunk term counts) so it can live next to the vector
index in the home and be rebuilt incrementally: only added/changed chunks are re-tokenized.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import numpy as np

from .. import text_analysis as _ta
from ..ports.text_embeddings import normalize_text

# The analyzer is the platform's one (text_analysis): Snowball stems for English and Finnish, the
# language detected per text. Its stop words are re-exported for callers that filtered with them.
STOPWORDS = _ta.STOPWORDS["en"] | _ta.STOPWORDS["fi"]


def stem(word: str, language: str = "auto") -> str:
    """Stem of one normalized word; ``auto`` picks Finnish or English from the word itself."""
    return _ta.stem(word, language)


def analyze(text: str) -> list[str]:
    """Stems of the content words of ``text`` (numbers kept, with their decimal part)."""
    return _ta.analyze(text)


class BM25Index:
    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        self.tfs: list[dict[str, int]] = []
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self._lengths = np.zeros(0)

    # -- state --------------------------------------------------------------------------
    def to_state(self) -> dict:
        return {"k1": self.k1, "b": self.b, "ids": self.ids, "tfs": self.tfs}

    @classmethod
    def from_state(cls, state: dict) -> BM25Index:
        idx = cls(state.get("k1", 1.2), state.get("b", 0.75))
        idx.ids = list(state["ids"])
        idx.tfs = [dict(t) for t in state["tfs"]]
        return idx

    def set_documents(self, ids: list[str], texts_or_tfs: dict[str, dict[str, int]]) -> None:
        """ids in index order; tf dicts by id."""
        self.ids = list(ids)
        self.tfs = [texts_or_tfs[i] for i in ids]
        self._postings = None

    @staticmethod
    def term_counts(text: str) -> dict[str, int]:
        return dict(Counter(analyze(text)))

    # -- search -------------------------------------------------------------------------
    def _build(self) -> None:
        post_docs: dict[str, list[int]] = defaultdict(list)
        post_tf: dict[str, list[int]] = defaultdict(list)
        lengths = np.zeros(len(self.tfs), dtype=np.float32)
        for d, tf in enumerate(self.tfs):
            lengths[d] = sum(tf.values())
            for term, c in tf.items():
                post_docs[term].append(d)
                post_tf[term].append(c)
        self._postings = {t: (np.asarray(post_docs[t], dtype=np.int32), np.asarray(post_tf[t], dtype=np.float32))
                          for t in post_docs}
        self._lengths = lengths

    def scores(self, query: str | list[str] | dict[str, float]) -> np.ndarray:
        """query: text, analyzed terms, or {term: weight} (weights from query expansion)."""
        if self._postings is None:
            self._build()
        n = len(self.tfs)
        out = np.zeros(n, dtype=np.float32)
        if not n:
            return out
        avgdl = float(self._lengths.mean()) or 1.0
        if isinstance(query, dict):
            weighted = query
        else:
            weighted = dict(Counter(analyze(query) if isinstance(query, str) else query))
        for term, qtf in weighted.items():
            post = self._postings.get(term)  # type: ignore[union-attr]
            if post is None:
                continue
            docs, tf = post
            idf = math.log(1.0 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            norm = tf + self.k1 * (1 - self.b + self.b * self._lengths[docs] / avgdl)
            out[docs] += qtf * idf * tf * (self.k1 + 1) / norm
        return out


class Thesaurus:
    """Customer wording -> document wording (data in kb_thesaurus.json). Phrases match on word
    boundaries of the normalized query; expansions get ``weight`` (0.8, chosen on the eval dev split) in BM25 and are appended to the
    text that is embedded."""

    def __init__(self, terms: dict[str, list[str]], weight: float = 0.8) -> None:
        self.weight = weight
        self.patterns = [(re.compile(r"(?<![0-9a-zåäö])" + re.escape(k.lower().rstrip("*"))
                                     + ("" if k.endswith("*") else r"(?![0-9a-zåäö])")), v)
                         for k, v in terms.items()]

    @classmethod
    def default(cls) -> Thesaurus:
        import json
        from pathlib import Path

        global _DEFAULT
        if _DEFAULT is None:
            data = json.loads((Path(__file__).parent / "kb_thesaurus.json").read_text(encoding="utf-8"))
            _DEFAULT = cls(data["terms"])
        return _DEFAULT

    def expansions(self, query: str) -> list[str]:
        text = normalize_text(query)
        out: list[str] = []
        for pattern, terms in self.patterns:
            if pattern.search(text):
                out.extend(t for t in terms if t not in out)
        return out

    def expand(self, query: str) -> tuple[dict[str, float], str]:
        """(weighted BM25 terms, text to embed)."""
        weighted: dict[str, float] = dict(Counter(analyze(query)))
        extra = self.expansions(query)
        for phrase in extra:
            for term in analyze(phrase):
                weighted[term] = max(weighted.get(term, 0.0), self.weight) if term not in weighted else weighted[term]
        return weighted, (query + " " + " ".join(extra)).strip()


_DEFAULT: Thesaurus | None = None
