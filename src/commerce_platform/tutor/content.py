"""Knowledge content for exercises, through the vector index port (the support KB, index "kb").

A topic is free text. It matches when the index returns passages that are both close in
embedding space and share at least one content word (up to inflection or a typo) with the
topic; otherwise the caller gets NotFound listing topics that do exist.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..errors import NotFound, ValidationFailed
from .models import Passage
from .text import similar_words, tokens

MIN_SCORE = 0.05
RELATIVE_CUTOFF = 0.5


def _passage(item_id: str, text: str, metadata: dict, score: float = 0.0) -> Passage:
    source = str(metadata.get("source") or item_id.split("#")[0])
    return Passage(id=item_id, text=text, source=source, heading=str(metadata.get("heading") or ""), score=score)


class ContentRetriever:
    """Search passages for a topic. ``index`` is any VectorIndex; ``embedder`` must be the one the index was built with."""

    def __init__(self, index, embedder, *, reload_dir: Path | None = None, index_factory=None) -> None:
        self._index = index
        self.embedder = embedder
        self._reload_dir = reload_dir
        self._index_factory = index_factory
        self._stamp = self._current_stamp()

    def _current_stamp(self) -> float | None:
        if self._reload_dir is None:
            return None
        meta = self._reload_dir / "items.jsonl"
        return meta.stat().st_mtime if meta.exists() else None

    @property
    def index(self):
        """The index, reloaded when the KB sync has rewritten it since it was loaded."""
        stamp = self._current_stamp()
        if self._index_factory is not None and stamp != self._stamp:
            self._index = self._index_factory()
            self._stamp = stamp
        return self._index

    def version(self) -> str:
        return f"{self._current_stamp()}:{len(self.index.items())}"

    def passages(self) -> list[Passage]:
        return [_passage(it.id, it.text, it.metadata) for it in self.index.items()]

    def size(self) -> int:
        return len(self.index.items())

    def topics(self, limit: int = 50) -> list[dict]:
        """Section headings of the content, most chunks first: what a learner can ask for."""
        counts: Counter[tuple[str, str]] = Counter()
        for it in self.index.items():
            heading = str(it.metadata.get("heading") or "").strip()
            source = str(it.metadata.get("source") or it.id.split("#")[0])
            counts[(heading or source, source)] += 1
        return [{"topic": topic, "source": source, "passages": n}
                for (topic, source), n in counts.most_common(limit)]

    def retrieve(self, topic: str, k: int = 4) -> list[Passage]:
        words = [w for w in tokens(topic) if len(w) >= 3 or w.isdigit()]
        if not words:
            raise ValidationFailed(f"topic {topic!r} has no content words to search for", field="topic",
                                   hint="name a subject, e.g. 'returns' or 'heat pump installation'")
        index = self.index
        if not index.items():
            raise NotFound("there is no knowledge content to build exercises from", field="topic",
                           hint="sync the knowledge base first: commerce kb sync (or commerce demo)")
        vector = self.embedder.embed([topic])[0]
        hits = index.search(vector, k=max(k * 4, 12))
        matched: list[Passage] = []
        for hit in hits:
            if hit.score < MIN_SCORE:
                continue
            text_words = set(tokens(f"{hit.metadata.get('heading', '')} {hit.metadata.get('source', '')} {hit.text}"))
            overlap = sum(1 for w in words if w in text_words or any(similar_words(w, t) for t in text_words))
            if overlap == 0:
                continue
            # rank by embedding score, boosted by how much of the topic the passage covers
            p = _passage(hit.id, hit.text, hit.metadata, hit.score * (0.5 + overlap / len(words)))
            matched.append(p)
        if not matched:
            names = ", ".join(t["topic"] for t in self.topics(8))
            raise NotFound(f"no knowledge content matches topic {topic!r}; available topics include: {names}",
                           field="topic", hint="pick one of the listed topics or GET the topics list")
        matched.sort(key=lambda p: -p.score)
        best = matched[0].score
        # stay on topic: passages far below the best match belong to other subjects
        return [p for p in matched if p.score >= RELATIVE_CUTOFF * best][:k]
