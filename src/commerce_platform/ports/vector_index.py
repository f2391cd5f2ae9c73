"""Vector index port. Local: numpy matrix + JSON-lines metadata persisted in the home,
saved atomically so a failed update leaves the previous index usable."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..files import atomic_write


@dataclass
class IndexItem:
    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Hit:
    id: str
    text: str
    score: float
    metadata: dict[str, Any]


class VectorIndex(Protocol):
    def upsert(self, items: list[IndexItem], vectors: np.ndarray) -> None: ...
    def delete_where(self, predicate: Callable[[dict[str, Any]], bool]) -> int: ...
    def search(self, vector: np.ndarray, k: int = 5, where: Callable[[dict[str, Any]], bool] | None = None) -> list[Hit]: ...
    def items(self) -> list[IndexItem]: ...
    def save(self) -> None: ...


class LocalVectorIndex:
    """Exact cosine search (vectors are L2-normalized) over an in-memory float32 matrix."""

    def __init__(self, directory: Path, dim: int | None = None) -> None:
        self.directory = Path(directory)
        self.dim = dim
        self._items: list[IndexItem] = []
        self._vectors = np.zeros((0, dim or 0), dtype=np.float32)
        self._pos: dict[str, int] = {}
        self._load()

    def _load(self) -> None:
        vec_path, meta_path = self.directory / "vectors.npy", self.directory / "items.jsonl"
        if not (vec_path.exists() and meta_path.exists()):
            return
        vectors = np.load(vec_path)
        items = [IndexItem(**json.loads(line)) for line in meta_path.read_text(encoding="utf-8").splitlines() if line]
        if len(items) != len(vectors):
            raise RuntimeError(f"vector index {self.directory} is inconsistent; run the sync again")
        self._items, self._vectors = items, vectors.astype(np.float32)
        self.dim = vectors.shape[1] if vectors.size else self.dim
        self._pos = {it.id: i for i, it in enumerate(items)}

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[IndexItem]:
        return list(self._items)

    def vectors(self) -> np.ndarray:
        return self._vectors

    def upsert(self, items: list[IndexItem], vectors: np.ndarray) -> None:
        if not items:
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        if self._vectors.shape[0] == 0:
            self._vectors = np.zeros((0, vectors.shape[1]), dtype=np.float32)
            self.dim = vectors.shape[1]
        if vectors.shape[1] != self._vectors.shape[1]:
            raise ValueError(f"vector dimension {vectors.shape[1]} does not match the index ({self._vectors.shape[1]});"
                             " rebuild the index after changing the embedder")
        new_rows, new_items = [], []
        for item, vec in zip(items, vectors, strict=True):
            pos = self._pos.get(item.id)
            if pos is None:
                new_items.append(item)
                new_rows.append(vec)
            else:
                self._items[pos] = item
                self._vectors[pos] = vec
        if new_items:
            start = len(self._items)
            self._items.extend(new_items)
            self._vectors = np.vstack([self._vectors, np.asarray(new_rows)])
            for i, it in enumerate(new_items):
                self._pos[it.id] = start + i

    def delete_where(self, predicate: Callable[[dict[str, Any]], bool]) -> int:
        keep = [i for i, it in enumerate(self._items) if not predicate(it.metadata)]
        removed = len(self._items) - len(keep)
        if removed:
            self._items = [self._items[i] for i in keep]
            self._vectors = self._vectors[keep]
            self._pos = {it.id: i for i, it in enumerate(self._items)}
        return removed

    def scores(self, vector: np.ndarray) -> np.ndarray:
        if not len(self._items):
            return np.zeros(0, dtype=np.float32)
        return self._vectors @ np.asarray(vector, dtype=np.float32).reshape(-1)

    def search(self, vector: np.ndarray, k: int = 5, where: Callable[[dict[str, Any]], bool] | None = None) -> list[Hit]:
        scores = self.scores(vector)
        if where is not None:
            mask = np.array([where(it.metadata) for it in self._items], dtype=bool)
            scores = np.where(mask, scores, -np.inf)
        if scores.size == 0:
            return []
        k = min(k, scores.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [Hit(self._items[i].id, self._items[i].text, float(scores[i]), self._items[i].metadata)
                for i in top if np.isfinite(scores[i])]

    def save(self) -> None:
        # Metadata last: _load checks both have the same length.
        atomic_write(self.directory / "vectors.npy", lambda fh: np.save(fh, self._vectors))
        atomic_write(self.directory / "items.jsonl", lambda fh: fh.write("".join(
            json.dumps({"id": it.id, "text": it.text, "metadata": it.metadata}, ensure_ascii=False) + "\n"
            for it in self._items).encode("utf-8")))
