"""A remark opening a follow-up: "hm, what about only business customers", "ok cool, and last year?", "great. now
by country". Words of the layer's ``remarks_before_followup`` (an interjection, a thanks, an acknowledgement), one or
more, closed by a comma, dash or full stop before the question goes on, only answer the previous answer; they are
set aside (and the answer says so). Anywhere else, or with no break after them, they are read as any word is.
A correction ("no I meant units", "sorry, I meant 2024", "I meant the consumer ones": the layer's
``corrections_before_followup``) closes the remark with no break needed and is set aside with it; an opening "no"
is then never a negation of the value after it ("no, the consumer ones": was 'segment not consumer')."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .reading.patterns import alternation

if TYPE_CHECKING:
    from .parser import SemanticParser

BREAK = r"\s*[,.!:;\u2013\u2014-]+\s*"


def remark_set_aside(parser: SemanticParser, question: str) -> tuple[str, str | None]:
    """(the follow-up without the opening remark, the remark), or (the question, None); a closing remark of the
    layer's ``remarks_after_followup`` ("top 3 is enough", "5 will do") is set aside too, after a number only."""
    question, opening = _opening_set_aside(parser, question)
    closing = [w for w in parser.layer.grammar.get("remarks_after_followup", []) if not w.startswith("_")]
    m = re.match(rf"^(?P<rest>.*\d)\s*,?\s+(?P<remark>{alternation(closing)})\s*[.!]*\s*$", question,
                 re.IGNORECASE | re.DOTALL) if closing else None
    if m is None:
        return question, opening
    return m.group("rest"), "; ".join(r for r in (opening, m.group("remark")) if r)


def _opening_set_aside(parser: SemanticParser, question: str) -> tuple[str, str | None]:
    words = [w for w in parser.layer.grammar.get("remarks_before_followup", []) if not w.startswith("_")]
    if not words:
        return question, None
    one = rf"(?:{alternation(words, flexible_spaces=False)})"
    corrections = [w for w in parser.layer.grammar.get("corrections_before_followup", []) if not w.startswith("_")]
    # "no I meant units", "sorry, I meant the consumer ones": the correction's own words close the remark (no break
    # needed before them) and are set aside with it
    meant = rf"(?:{alternation(corrections, flexible_spaces=False)})\b[\s,:]*" if corrections else r"(?!)"
    m = re.match(rf"^\s*(?P<remark>(?:{one}(?:(?:{BREAK}|\s+){one})*(?:{BREAK}|\s+))?{meant})(?P<rest>\w.*)$", question,
                 re.IGNORECASE | re.DOTALL) or re.match(
        rf"^\s*(?P<remark>{one}(?:(?:{BREAK}|\s+){one})*){BREAK}(?P<rest>\w.*)$", question, re.IGNORECASE | re.DOTALL)
    if m is None:
        return question, None
    followup = set(parser.layer.grammar.get("followup", []))
    said = re.split(rf"{BREAK}|\s+", m.group("remark").lower())
    if all(w in followup for w in said):
        return question, None  # "ok, and last year?": read as it always was
    return m.group("rest"), m.group("remark").strip(" ,:")
