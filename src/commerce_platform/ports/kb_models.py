"""The knowledge base's result and sync types, shared by the support KB (support/kb.py) and its
Bedrock Knowledge Bases adapter (ports/bedrock_kb.py), so neither imports the other."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class KbResult:
    source: str
    text: str
    score: float
    heading: str = ""
    id: str = ""
    chunk: int = 0
    category: str | None = None
    title: str = ""
    demoted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "text": self.text, "score": round(float(self.score), 4),
                "heading": self.heading, "id": self.id, "category": self.category}


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    documents: int = 0
    seconds: float = 0.0
    backend: str = "local"
    ingestion_job_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


