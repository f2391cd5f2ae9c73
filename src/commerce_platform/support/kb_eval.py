"""The retrieval evaluation set shipped with the package and the document-level metrics that
benchmarks/eval_kb.py and notebook 03 compute on it."""

from __future__ import annotations

import json
from pathlib import Path

_HERE = Path(__file__).parent


def demo_docs_dir() -> Path:
    """The demo knowledge documents (the tree `commerce demo` uploads into the kb-docs bucket)."""
    return _HERE / "kb_docs"


def load_eval_set() -> dict:
    """{"questions": [{"id", "question", "source"}]}: source is relative to the docs root."""
    return json.loads((_HERE / "kb_eval.json").read_text(encoding="utf-8"))


def document_ranking(kb, question: str, mode: str, k: int = 40) -> list[str]:
    """Answering documents in the order their best passage ranks (document-level retrieval)."""
    seen: dict[str, None] = {}
    for result in kb.search(question, k=k, mode=mode):
        seen.setdefault(result.source, None)
    return list(seen)


def _rank(ranking: list[str], source: str) -> int | None:
    return ranking.index(source) + 1 if source in ranking else None


def document_rank(kb, question: str, source: str, mode: str) -> int | None:
    """1-based rank of ``source`` for ``question``; None when none of its passages is returned."""
    return _rank(document_ranking(kb, question, mode), source)


def retrieval_metrics(kb, questions: list[dict], mode: str) -> dict:
    """recall@1, recall@3 and MRR over {"id", "question", "source"} items, with the misses."""
    if not questions:
        return {"recall@1": None, "recall@3": None, "mrr": None, "misses": []}
    r1 = r3 = rr = 0.0
    misses = []
    for q in questions:
        ranking = document_ranking(kb, q["question"], mode)
        rank = _rank(ranking, q["source"])
        r1 += rank == 1
        r3 += rank is not None and rank <= 3
        rr += 1.0 / rank if rank else 0.0
        if rank != 1:
            misses.append({"id": q["id"], "rank": rank, "got": ranking[:1]})
    n = len(questions)
    return {"recall@1": round(r1 / n, 3), "recall@3": round(r3 / n, 3), "mrr": round(rr / n, 3), "misses": misses}


class BatchedEmbedder:
    """Evaluation speed-up: embeds texts in batches and caches the vectors. Same name, size and
    vectors as the wrapped embedder, so the knowledge base treats it as that embedder; the KB
    embeds one query per search, which costs MiniLM ~0.1-0.7 s each."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.cache: dict[str, object] = {}

    def prefetch(self, texts) -> None:
        new = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if new:
            self.cache.update(zip(new, self.inner.embed(new), strict=True))

    def embed(self, texts):
        import numpy as np

        self.prefetch(texts)
        return np.stack([self.cache[t] for t in texts])
