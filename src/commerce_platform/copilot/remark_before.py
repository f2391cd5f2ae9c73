"""A remark opening a follow-up: "hm, what about only business customers", "ok cool, and last year?", "great. now
by country". Words of the layer's ``remarks_before_followup`` (an interjection, a thanks, an acknowledgement), one or
more, closed by a comma, dash or full stop before the question goes on, only answer the previous answer; they are
set aside (and the answer says so). Anywhere else, or with no break after them, they are read as any word is."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .reading.patterns import alternation

if TYPE_CHECKING:
    from .parser import SemanticParser

BREAK = r"\s*[,.!:;\u2013\u2014-]+\s*"


def remark_set_aside(parser: SemanticParser, question: str) -> tuple[str, str | None]:
    """(the follow-up without the opening remark, the remark), or (the question, None)."""
    words = [w for w in parser.layer.grammar.get("remarks_before_followup", []) if not w.startswith("_")]
    if not words:
        return question, None
    one = rf"(?:{alternation(words, flexible_spaces=False)})"
    m = re.match(rf"^\s*(?P<remark>{one}(?:(?:{BREAK}|\s+){one})*){BREAK}(?P<rest>\w.*)$", question,
                 re.IGNORECASE | re.DOTALL)
    if m is None:
        return question, None
    followup = set(parser.layer.grammar.get("followup", []))
    said = re.split(rf"{BREAK}|\s+", m.group("remark").lower())
    if all(w in followup for w in said):
        return question, None  # "ok, and last year?": read as it always was
    return m.group("rest"), m.group("remark")
