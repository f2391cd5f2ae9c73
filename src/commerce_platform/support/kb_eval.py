"""The retrieval evaluation set shipped with the package (also read by notebook 03)."""

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
