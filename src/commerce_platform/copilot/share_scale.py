"""A share asked in percent and as a fraction at once ("what percent of orders were cancelled, as a fraction?"):
the two scales contradict, so the question is refused rather than answered in one of them silently (layer grammar
``fraction_scale.contradicts_percent``: the phrases that ask for a 0-1 fraction as the answer's form)."""
from __future__ import annotations

import re

from ..errors import NotUnderstood
from .query import QueryForm
from .semantic import SemanticLayer


def check_share_scale(question: str, form: QueryForm, layer: SemanticLayer) -> None:
    """Refuse a share read in percent whose question also asks for it as a 0-1 fraction."""
    derived = form.derived or {}
    if derived.get("kind") != "share" or derived.get("scale") != "percent":
        return
    spec = layer.grammar.get("fraction_scale") or {}
    phrases = [*spec.get("contradicts_percent", []), *spec.get("words", [])]
    said = [p for p in phrases if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", question, re.IGNORECASE)]
    if said:
        raise NotUnderstood(f"the share is asked in percent and '{said[0]}' at once; I cannot give it both ways",
                            hint="ask for a percentage or for a fraction (0-1), not both")
