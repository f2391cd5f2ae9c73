"""The units short of the reorder level asked in other words: "how many units would it take to bring every item
in Vantaa that is below its reorder level back up to that level", "total units missing to get every product there
back up to its reorder level", "items under reorder level, with the gap". Each is restated in the text as the
layer's shortfall measure (reorder level minus stock, counted only where stock is below the level), which the
rest of the reader already knows; the words come from the layer's ``reorder_gap`` grammar table."""

from __future__ import annotations

import re
from typing import Any

from .patterns import alternation

# the level the things must reach: "(back) up to its reorder level", "back to that level", "to the level"
_LEVEL = r"(?:(?:its|their|the|that|this|those)\s+)?(?:own\s+)?(?:total\s+|combined\s+)?(?:reorder\s+)?(?:levels?|points?)\b"
_LOW = re.compile(r"\blow[\s-]?stock\b|\bbelow\b|\bunder\b|\bout\s+of\s+stock\b|\bshort\s+of\b")
_EVERY = re.compile(r"^(?:every|all(?:\s+the|\s+of\s+the|\s+our)?|the\s+whole)\s+")
_EACH = re.compile(r"^(?:each(?:\s+one)?(?:\s+of\s+(?:them|those|these|the)\b)?|it|them|those|these)\b\s*")


def _words(spec: dict[str, Any], key: str) -> str:
    return alternation(spec.get(key, []))


def restate_reorder_gap(text: str, spec: dict[str, Any]) -> str:
    """``text`` with the units needed to reach the reorder level said as the shortfall; unchanged where the question
    does not name a reorder level; a gap only of things said to be low (or short)."""
    if not spec or not re.search(r"\breorder\b", text):
        return text
    # a gap of things said to be low, short, or to be brought back up to the level (said so before the rewrites)
    low = bool(_LOW.search(text) or re.search(r"\b(?:shortfall|back\s+(?:up\s+)?to|up\s+to)\b", text))
    text = _said_as_difference(text)
    text = _units_to_reach(text, spec)
    return _gap_nouns(text, spec) if low else text


def _said_as_difference(text: str) -> str:
    """"ranked by how far they are below reorder level", "the biggest shortfall between its total reorder level and
    total stock", "..., i.e. sum of (reorder level - on hand) over the items that are below their level": the
    shortfall in the words of its definition (the restated definition adds nothing to the measure's own)."""
    text = re.sub(r"\bhow\s+far\s+(?:they|it|each(?:\s+one)?)\s+(?:are|is)\s+(below|under)\b", r"how far \1", text)
    text = re.sub(r"\b(shortfall|gap|difference)\s+between\s+(?:(?:its|their|the)\s+)?(?:total\s+)?reorder\s+levels?\s+"
                  r"and\s+(?:(?:its|their|the)\s+)?(?:total\s+)?(?:stock|quantity)(?:\s+on\s+hand)?\b", "shortfall", text)
    return re.sub(r"\s*,?\s*\b(?:i\.?\s?e\.?|that\s+is|meaning)\s*,?\s+(?:the\s+)?(?:sum|total)\s+of\s+\(?\s*reorder\s+"
                  r"levels?\s*(?:-|minus)\s*(?:the\s+)?(?:quantity\s+|stock\s+)?on\s+hand\s*\)?\s+(?:over|across|for|of)\s+"
                  r"(?:the\s+|all\s+)?(?:items|products|rows)\s+(?:that\s+are\s+|which\s+are\s+)?(?:below|under)\s+"
                  rf"{_LEVEL}", " ", text)


def _units_to_reach(text: str, spec: dict[str, Any]) -> str:
    """"how many units would Drammen need in total to bring every item that is below its reorder level back up to
    that level": the total shortfall of the things said (every one of them: one total; each one, or none named: a
    figure per thing); words between the head and the purpose that are not the ones of asking ("Drammen") stay."""
    verbs = _words(spec, "reach_verbs")
    back = re.search(rf"\s+(?:in\s+order\s+)?to\s+(?:{verbs})\s+(?:up\s+)?(?P<things>(?:[\w'-]+\s+){{0,14}}?)"
                     rf"(?:back\s+(?:up\s+)?|up\s+)to\s+(?:{_LEVEL}|it\b|them\b)", text)
    if back is None:
        return text
    heads = _words(spec, "unit_heads")
    head = re.search(rf"\b(?:the\s+)?(?P<total>total\s+)?(?:{heads})\b(?P<mid>(?:\s+[\w'-]+){{0,8}}?)\s*$",
                     text[:back.start()])
    if head is None:
        return text
    things = back.group("things").strip()  # (bringing up to the level is of those below it: the measure's own
    # condition, stock below the level, keeps those above it out)
    filler = set(spec.get("asking_words", []))
    mid = [w for w in head.group("mid").split() if w not in filler]
    total = bool(head.group("total")) or bool(re.search(r"\b(?:in\s+total|altogether|overall)\b", head.group("mid")))
    things = re.sub(r"\s+there$", "", things)  # "every product there": the place said before
    if _EVERY.match(things) or things.startswith("everything"):
        total = True
        things = _EVERY.sub("", things)
        things = re.sub(r"^everything\b", "products", things)
    if _EACH.fullmatch(things + " "):
        total = False  # "each of them", "it": the things pointed at, each with its own figure (the pointer kept)
    else:
        things = _EACH.sub("", things)
    said = ("total shortfall" if total else "shortfall") + (f" of {things}" if things else "")
    return f"{text[:head.start()]} {' '.join(mid)} {said} {text[back.end():]}"


def _gap_nouns(text: str, spec: dict[str, Any]) -> str:
    """"items below reorder level there, w/ the gap", "which warehouse needs the biggest top-up": a gap noun in a
    question that says things are below their reorder level is their shortfall (elsewhere, "the gap between web and
    store revenue", it is not touched)."""
    nouns = _words(spec, "gap_nouns")
    text = re.sub(rf"\b(?:needs?|requires?|wants?)\s+the\s+(biggest|largest|most|smallest|least)\s+(?:total\s+)?"
                  rf"(?:{nouns})\b", r"has the \1 shortfall", text)
    return re.sub(rf"\b(?P<pre>(?:the|its|their)\s+)?(?P<tot>total\s+)?(?:reorder\s+)?(?:{nouns})\b"
                  r"(?!\s+(?:between|of|in|from|to)\b)",
                  lambda m: f" {m.group('pre') or ''}{m.group('tot') or ''}shortfall ", text)
