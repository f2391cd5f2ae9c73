"""Okapi BM25 over chunk texts, analyzed by ``commerce_platform.text_analysis`` (English/Finnish).

State is a compact .npz (ids, vocabulary, per-chunk term ids and counts) next to the vector
index in the home, rebuilt incrementally: only added/changed chunks are re-tokenized. The older
JSON state (ids, per-chunk term-count dicts) still loads (``from_state``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter

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
    """Term counts per chunk in compact arrays (vocabulary + per-document term ids and counts,
    CSR-like), postings built from them with one stable sort: ~8 bytes per (chunk, term) instead
    of a Python dict per chunk, so a million chunks load in a few hundred MB."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.ids: list[str] = []
        self.terms: list[str] = []
        self.vocab: dict[str, int] = {}
        self.doc_ptr = np.zeros(1, np.int64)
        self.doc_terms = np.zeros(0, np.int32)
        self.doc_tf = np.zeros(0, np.float32)
        self._postings: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._lengths = np.zeros(0, np.float32)

    # -- state --------------------------------------------------------------------------
    @property
    def tfs(self) -> list[dict[str, int]]:
        """Term counts per chunk as dicts (built on demand: for small indexes and inspection)."""
        return [self.term_counts_of(d) for d in range(len(self.ids))]

    def term_counts_of(self, d: int) -> dict[str, int]:
        """Term counts of the d-th chunk."""
        s, e = int(self.doc_ptr[d]), int(self.doc_ptr[d + 1])
        return {self.terms[t]: int(c) for t, c in zip(self.doc_terms[s:e].tolist(), self.doc_tf[s:e].tolist(),
                                                       strict=True)}

    def to_state(self) -> dict:
        return {"k1": self.k1, "b": self.b, "ids": self.ids, "tfs": self.tfs}

    @classmethod
    def from_state(cls, state: dict) -> BM25Index:
        idx = cls(state.get("k1", 1.2), state.get("b", 0.75))
        ids = list(state["ids"])
        idx.set_documents(ids, dict(zip(ids, state["tfs"], strict=True)))
        return idx

    def save(self, fh) -> None:
        """Compact binary state (numpy .npz): ids and vocabulary as JSON, the rest as arrays."""
        np.savez(fh, k1=self.k1, b=self.b, ids=np.frombuffer(json.dumps(self.ids).encode(), np.uint8),
                 terms=np.frombuffer(json.dumps(self.terms).encode(), np.uint8),
                 doc_ptr=self.doc_ptr, doc_terms=self.doc_terms, doc_tf=self.doc_tf)

    @classmethod
    def load(cls, path) -> BM25Index:
        with np.load(path) as z:
            idx = cls(float(z["k1"]), float(z["b"]))
            idx.ids = json.loads(z["ids"].tobytes().decode())
            idx.terms = json.loads(z["terms"].tobytes().decode())
            idx.doc_ptr, idx.doc_terms, idx.doc_tf = z["doc_ptr"], z["doc_terms"], z["doc_tf"]
        if len(idx.doc_ptr) != len(idx.ids) + 1 or len(idx.doc_terms) != len(idx.doc_tf):
            raise ValueError(f"BM25 state {path} is inconsistent")
        idx.vocab = {t: i for i, t in enumerate(idx.terms)}
        return idx

    def set_documents(self, ids: list[str], texts_or_tfs: dict[str, dict[str, int]],
                      reuse: BM25Index | None = None) -> None:
        """ids in index order; tf dicts by id. With ``reuse``, an id missing from the dicts keeps
        its counts from that index (incremental sync: only new chunks are re-tokenized)."""
        old_pos = {i: d for d, i in enumerate(reuse.ids)} if reuse is not None else {}
        terms: list[str] = list(reuse.terms) if reuse is not None else []
        vocab: dict[str, int] = dict(reuse.vocab) if reuse is not None else {}
        ptr = np.zeros(len(ids) + 1, np.int64)
        parts_t: list[np.ndarray] = []
        parts_c: list[np.ndarray] = []
        for d, doc_id in enumerate(ids):
            tf = texts_or_tfs.get(doc_id)
            if tf is None and reuse is not None and doc_id in old_pos:
                o = old_pos[doc_id]
                s, e = int(reuse.doc_ptr[o]), int(reuse.doc_ptr[o + 1])
                t_arr, c_arr = reuse.doc_terms[s:e], reuse.doc_tf[s:e]
            else:
                tf = texts_or_tfs[doc_id]  # KeyError names an id with no counts
                t_list = []
                for term in tf:
                    t = vocab.get(term)
                    if t is None:
                        t = vocab[term] = len(terms)
                        terms.append(term)
                    t_list.append(t)
                t_arr, c_arr = np.asarray(t_list, np.int32), np.asarray(list(tf.values()), np.float32)
            parts_t.append(t_arr)
            parts_c.append(c_arr)
            ptr[d + 1] = ptr[d] + len(t_arr)
        self.ids, self.terms, self.vocab = list(ids), terms, vocab
        self.doc_ptr = ptr
        self.doc_terms = np.concatenate(parts_t).astype(np.int32) if parts_t else np.zeros(0, np.int32)
        self.doc_tf = np.concatenate(parts_c).astype(np.float32) if parts_c else np.zeros(0, np.float32)
        self._postings = None

    @staticmethod
    def term_counts(text: str) -> dict[str, int]:
        return dict(Counter(analyze(text)))

    # -- search -------------------------------------------------------------------------
    def _build(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.ids)
        doc_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(self.doc_ptr))
        order = np.argsort(self.doc_terms, kind="stable")  # stable: documents ascend within a term
        term_ptr = np.zeros(len(self.terms) + 1, np.int64)
        np.cumsum(np.bincount(self.doc_terms, minlength=len(self.terms)), out=term_ptr[1:])
        self._lengths = np.bincount(doc_of, weights=self.doc_tf, minlength=n).astype(np.float32)
        self._postings = (term_ptr, doc_of[order], self.doc_tf[order])
        return self._postings

    def scores(self, query: str | list[str] | dict[str, float]) -> np.ndarray:
        """query: text, analyzed terms, or {term: weight} (weights from query expansion)."""
        term_ptr, post_docs, post_tf = self._postings or self._build()
        n = len(self.ids)
        out = np.zeros(n, dtype=np.float32)
        if not n:
            return out
        avgdl = float(self._lengths.mean()) or 1.0
        if isinstance(query, dict):
            weighted = query
        else:
            weighted = dict(Counter(analyze(query) if isinstance(query, str) else query))
        for term, qtf in weighted.items():
            t = self.vocab.get(term)
            if t is None or term_ptr[t + 1] == term_ptr[t]:
                continue
            docs, tf = post_docs[term_ptr[t]:term_ptr[t + 1]], post_tf[term_ptr[t]:term_ptr[t + 1]]
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
