"""A follow-up naming one row of the previous ranking by its place: "how many orders did the second one place?",
"where does the third customer live?" after a top 5.

The phrase (the layer's ``row_of_ranking``: "the" + a place word + "one" or the ranked thing's own noun) stands for
the one thing at that place of a ranking of several. The previous ranking is narrowed to that place alone (``offset``/``limit`` 1) and the
phrase is read as the pointer at the one thing of a top 1 ("it"), which the follow-ups
already read; the answer's interpretation names the place ("place 2"). A place beyond the ranking's top N, a
previous answer that ranked nothing, or a phrase naming another kind of thing is left as it was (refused there).
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from ..errors import NotUnderstood
from .query import QueryForm
from .reading.patterns import alternation

if TYPE_CHECKING:
    from .parser import ParseResult, SemanticParser


def _ranked_nouns(parser: SemanticParser, context: QueryForm) -> set[str] | None:
    """The words that name the things the previous answer ranked (its one dimension, or its listed entity)."""
    senses: set[tuple[str, str]] = set()
    if context.kind == "aggregate" and len(context.dimensions) == 1:
        dim = context.dimensions[0]
        senses.add(("dimension", dim))
        entity = parser.layer.dimensions.get(dim, {}).get("entity")
        if entity:
            senses.add(("entity", str(entity)))
    elif context.kind == "list" and context.subject:
        senses.add(("entity", context.subject))
    else:
        return None
    return {w for w, ss in parser.lexicon.word_senses.items()
            if " " not in w and any(tuple(x[:2]) in senses for x in ss)}


def row_of_the_ranking(parser: SemanticParser, question: str,
                       context: QueryForm | None) -> tuple[str, QueryForm | None]:
    """(the question with the place phrase read as a pointer, the previous ranking narrowed to that place), or the
    question and context unchanged."""
    table = parser.layer.grammar.get("row_of_ranking", {})
    places = {k: v for k, v in table.get("places", {}).items() if not k.startswith("_")}
    # (a place names one of several: after a top 1, "the first one" is rather a row of an earlier answer, which
    # the previous form does not hold, "which warehouse holds the most of the first one?" two questions on)
    if context is None or not places or not context.order_by or not context.limit or context.limit < 2 \
            or context.per_group \
            or context.grain or context.compare or context.derived or context.within or context.lookup:
        return question, context
    nouns = _ranked_nouns(parser, context)
    if nouns is None:
        return question, context
    found = [m for m in re.finditer(rf"\bthe\s+({alternation(list(places), flexible_spaces=False)})\s+([\w-]+)\b",
                                    question, re.IGNORECASE)
             if m.group(2).lower() in ("one", *nouns)]
    numbered = {k: v for k, v in table.get("numbered", {}).items() if not k.startswith("_")}
    if not found and numbered:
        # "who was number one?", "and number 2?": the place said as a number after "number"
        # ("customer number 5", "order no 3": a thing named before "number" is an id, never a place)
        found = [m for m in re.finditer(rf"\bnumber\s+({alternation(list(numbered), flexible_spaces=False)})\b",
                                        question, re.IGNORECASE)
                 if not any(x[0] in ("entity", "dimension") for x in parser.lexicon.word_senses.get(
                     (re.findall(r"[\w-]+", question[:m.start()].lower()) or [""])[-1], []))]
        places = {**places, **numbered}
    if len(found) != 1:
        return question, context
    m = found[0]
    rest = set(re.findall(r"[a-z']+", (question[:m.start()] + " " + question[m.end():]).lower()))
    if m.group(1).lower() == "top" and rest <= {"only", "just", "show", "me", "and", "then", "give", "please", "ok",
                                                "okay", "now", "so"}:
        return question, context  # "just the top one": the ranking cut to its first, as said alone (not "just it")
    place = int(places[m.group(1).lower()])
    if place < 1 or place > context.limit:
        return question, context
    narrowed = copy.deepcopy(context)
    narrowed.offset, narrowed.limit = context.offset + place - 1, 1
    return question[:m.start()] + "it" + question[m.end():], narrowed


def _same_ranking(form: QueryForm, narrowed: QueryForm) -> bool:
    """``form`` ranks as the narrowed ranking did: the same figure, order, place, things, conditions and period."""
    return (form.order_by == narrowed.order_by and form.direction == narrowed.direction
            and form.offset == narrowed.offset and form.limit == 1 and form.filters == narrowed.filters
            and form.predicates == narrowed.predicates and form.period == narrowed.period
            and form.period_field == narrowed.period_field and not form.per_group
            and all(d in form.dimensions for d in narrowed.dimensions)
            and all(m in form.measures for m in narrowed.measures)
            and (form.subject == narrowed.subject or narrowed.kind == "aggregate"))


def row_kept(result: ParseResult, narrowed: QueryForm, question: str, layer) -> ParseResult:
    """The follow-up read with the place phrase as a pointer must answer of that one row: either the ranking kept
    as it stands (its figures beside: "where does the third customer live?") or the row held as answered
    (``within``: "how much stock of the second one?"). A reading that ranked again (another figure, period or
    condition: the place would name another thing) is refused, never answered."""
    from .answers import describe_form

    form = result.form
    held = QueryForm.from_dict(form.within) if form.within else None
    if held is not None and _same_ranking(held, narrowed) or held is None and form.kind == narrowed.kind \
            and _same_ranking(form, narrowed):
        return result
    raise NotUnderstood(f"I could not tell what {question!r} asks of the one at place {narrowed.offset + 1} of the "
                        f"previous answer ({describe_form(narrowed, layer)})", field="question",
                        hint="e.g. 'where does the second one live?', 'how much stock of the third one?'")
