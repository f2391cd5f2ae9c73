"""A figure asked beside each row of a list: "Which customers have had more than 2 orders returned? Show how many.",
"Which Garden products have less than 20 units in Jonkoping, and how many do they have there?".

After a clause that lists things (or groups them), a last clause that only asks "how many" / "the number" asks the
figure the list is tested on, beside each row, not how many rows there are (was: the rows counted, one number, the
list and its figures lost). The words are the layer's (grammar.row_figures): ``openers`` ask a figure, ``verbs`` may
lead them, ``per_row`` words say it is each row's, ``total`` words say the rows are counted (left to the parser as
before), ``nouns`` may name the figure's unit. The clause may name no other data. The list is read alone; the figure
beside each row is the one its condition is on (a count of orders, the stock) or the figure it already shows.
A list without a figure of its own, or a follow-up, is read with the whole question as before."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from .query import QueryForm
from .reading.patterns import alternation as _alternation

if TYPE_CHECKING:
    from .parser import ParseResult, SemanticParser

# the last clause: after a sentence's end, a semicolon or ", and" (the list's own clause before it)
_SPLIT_RE = re.compile(r"^(?P<main>.+)(?:[?.!;]\s+|,\s+(?=and\b))(?P<tail>[^?.!;]+?)\s*[?.!]*\s*$", re.IGNORECASE | re.DOTALL)
_LIST_OPENER_RE = re.compile(r"^\s*(?:which|what|list|show)\b", re.IGNORECASE)


def _has(words: list[str], text: str) -> bool:
    return bool(words) and re.search(rf"\b(?:{_alternation(words)})\b", text, re.IGNORECASE) is not None


def _figures(parser: SemanticParser, form: QueryForm) -> tuple[list[str], list[str]]:
    """The figures each row of ``form`` shows, and of them those a condition is on (a threshold)."""
    def is_figure(field: str) -> bool:
        return ":" in field or field in parser.layer.measures

    thresholds = [f.field for f in form.filters if is_figure(f.field)]
    shown = list(form.measures) if form.kind == "aggregate" and form.dimensions else []
    return list(dict.fromkeys(thresholds + shown + list(form.show))), thresholds


def _rest_names_no_data(parser: SemanticParser, rest: str, figures: list[str], as_of: date) -> bool:
    """Past the opener and its markers, the clause names nothing but the figure's unit or what it counts."""
    from .parser import _State

    row = parser.layer.grammar.get("row_figures", {})
    counted = {f.split(":", 1)[1] for f in figures if f.startswith(("count:", "distinct:"))}
    for sp in _State(parser, rest, as_of).spans:
        if sp.text in row.get("nouns", []) or all(x[0] == "stop" for x in sp.senses):
            continue
        if any((x[0] == "entity" and x[1] in counted) or (x[0] == "measure" and x[1] in figures) for x in sp.senses):
            continue
        return False
    return True


def _rows_named(parser: SemanticParser, main: str, form: QueryForm, as_of: date) -> bool:
    """The rows read are the things the list clause names first ("Which brands ...": one row per brand; "Which
    Garden products ...": the products), not another grouping read from its other words."""
    from .parser import _State

    named = next((sp for sp in _State(parser, main, as_of).spans
                  if any(x[0] in ("entity", "dimension") for x in sp.senses)), None)
    if named is None:
        return False
    if form.kind == "list":
        return named.has("entity", form.subject)
    return len(form.dimensions) == 1 and named.has("dimension", form.dimensions[0])


def read_row_figures(parser: SemanticParser, question: str, as_of: date,
                     context: QueryForm | None) -> ParseResult | None:
    """The list of ``question``'s first clauses with its figure beside each row, when its last clause only asks
    that figure; None when the question is not of that shape (read as before)."""
    row = parser.layer.grammar.get("row_figures")
    split = _SPLIT_RE.match(question) if row else None
    if row is None or split is None or context is not None or not _LIST_OPENER_RE.match(split.group("main")):
        return None
    asked = re.match(rf"^\s*(?:(?:{_alternation(row['verbs'])})\s+(?:me\s+|us\s+)?)*(?:{_alternation(row['openers'])})\b"
                     r"(?P<rest>.*)$", split.group("tail"), re.IGNORECASE)
    if asked is None:
        return None
    rest = asked.group("rest")
    per_row = _has(row.get("per_row", []), rest)
    if not per_row and _has(row.get("total", []), rest):
        return None  # "..., and how many are there?": the rows counted
    for words in (row.get("per_row", []), row.get("total", [])):
        if words:
            rest = re.sub(rf"\b(?:{_alternation(words)})\b", " ", rest, flags=re.IGNORECASE)
    listed = parser.parse(split.group("main"), as_of, context)
    form = listed.form
    if form.kind not in ("list", "aggregate") or (form.kind == "aggregate" and not form.dimensions):
        return None
    if not _rows_named(parser, split.group("main"), form, as_of):
        return None
    figures, thresholds = _figures(parser, form)
    if not _rest_names_no_data(parser, rest, figures, as_of):
        return None
    if not figures or (not per_row and not thresholds):
        # "Which products are below reorder level? Show how many.": may ask how many products; "Which products did
        # Mikko buy, and how many units of each?": the figure is not the list's, read with the whole question
        return None
    form.notes.append("row_figure:" + ",".join(figures))
    return listed
