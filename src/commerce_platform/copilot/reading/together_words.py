"""Products bought together, narrowed in other words: "in the same order as the Ensto LED Bulb more than 3 times"
(a bound on the orders the two share), "bought with the Bosch Garden Hose, not counting other Bosch products" (the
other products' brand excluded). Each is restated as the words the reader already knows ("in more than 3 orders",
"excluding Bosch products"), only in a question of things bought together (the layer's ``bought_together``
phrases); the words come from the layer's ``together_narrowing`` grammar table."""

from __future__ import annotations

import re
from typing import Any

from .patterns import alternation as _alternation


def restate_together(text: str, together: list[str], spec: dict[str, Any]) -> str:
    """``text`` with a count of times said as a count of shared orders and "not counting other <things>" as
    "excluding <things>", when it asks what is bought together; unchanged otherwise."""
    if not spec or not together or not re.search(rf"\b(?:{_alternation(together)})\b", text):
        return text
    bounds = _alternation(spec.get("bounds", []))
    text = re.sub(rf"\b({bounds})\s+(\d+|[a-z]+)\s+(?:{_alternation(spec.get('times_words', []))})\b",
                  r"in \1 \2 orders", text)
    for word, n in spec.get("count_words", {}).items():  # "at least twice": in at least 2 orders
        text = re.sub(rf"\b({bounds})\s+{re.escape(word)}\b", rf"in \1 {n} orders", text)
    return re.sub(rf"\b(?:{_alternation(spec.get('excluding_heads', []))})\s+(?:any\s+|the\s+)?other\s+",
                  "excluding ", text)
