"""Conditions bound each to its own place: "out of stock in Vantaa but over 50 units in Kuopio", "at zero in one
warehouse but more than 100 units in another", "below reorder level in Turku while some other warehouse has spare".

The form holds one set of places for all its conditions; a question putting a different condition on each place
is read here instead: the question is cut at the connector between its two places, each clause is read by the
parser on its own as a condition of one place (a named one, or "one" / "another" / "some other" place, read as
of any one place for its words), and the planner tests each condition on that place's own figure. Words come
from the layer (grammar.scoped_conditions); a clause that does not read as exactly one stock condition of one
place leaves the question to the ordinary reading (which refuses it)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import NotUnderstood, ValidationFailed
from .query import QueryForm
from .reading.patterns import alternation

if TYPE_CHECKING:
    from .parser import SemanticParser


def _alternation(words: list[str]) -> str:
    return alternation(words, flexible_spaces=False)


def scope_dimension(parser: SemanticParser) -> str | None:
    scopes = {p.get("scoped_by") for p in parser.layer.predicates.values()} - {None}
    return next(iter(scopes)) if len(scopes) == 1 else None


def _place_mentions(parser: SemanticParser, question: str, dim: str, values: list[str]) -> list[dict[str, Any]]:
    spec = parser.layer.grammar.get("scoped_conditions", {})
    noun = rf"{re.escape(dim)}s?"
    found: list[dict[str, Any]] = []
    for m in re.finditer(rf"\b(?:(?:in|at|from)\s+)?(?P<v>{_alternation(values)})\b", question, re.IGNORECASE):
        found.append({"kind": "named", "value": next(v for v in values if v.lower() == m.group("v").lower()),
                      "start": m.start(), "end": m.end(), "prep": m.group(0) != m.group("v")})
    others = rf"(?:(?:in|at|from)\s+)?(?:{_alternation(spec.get('other_places', []))})(?:\s+{noun}|(?=\s*[?.!,;)]*\s*$))"
    for m in re.finditer(rf"\b{others}", question, re.IGNORECASE):
        found.append({"kind": "other", "start": m.start(), "end": m.end(), "prep": m.group(0).lower().startswith(("in ", "at ", "from "))})
    for m in re.finditer(rf"\b(?:in|at)\s+(?:{_alternation(spec.get('one_place', []))})\s+{noun}\b", question, re.IGNORECASE):
        if not any(f["start"] <= m.start() < f["end"] for f in found):
            found.append({"kind": "one", "start": m.start(), "end": m.end(), "prep": True})
    found.sort(key=lambda f: f["start"])
    # a mention inside another ("in some other warehouse" holds "other warehouse"): the longer one
    kept: list[dict[str, Any]] = []
    for f in found:
        if kept and f["start"] < kept[-1]["end"]:
            if f["end"] - f["start"] > kept[-1]["end"] - kept[-1]["start"]:
                kept[-1] = f
            continue
        kept.append(f)
    return kept


PARTS_RE = re.compile(r"(?<=[?.!:])\s+|\s+[—–-]+\s+|\s*[—–]\s*|:\s+|\s*[()]\s*")


def read_scoped_conditions(parser: SemanticParser, question: str, as_of: date) -> QueryForm | None:
    """The form of a question with one condition per place, or None when it is not of that shape. "Which
    products could we transfer out of Kuopio? Products where ...": a sentence (or part set off by a dash or a
    colon) that only says the stock is to be moved between the places named is set aside beside them."""
    whole = _read(parser, question, as_of)
    if whole is not None:
        return whole
    parts = [x for x in PARTS_RE.split(question) if x and x.strip(" ?.!,;:-—–")]
    if len(parts) < 2:
        return None
    spec = parser.layer.grammar.get("scoped_conditions", {})
    allowed = set(spec.get("purpose_words", {}).get("words", []))
    read = [(k, form) for k, part in enumerate(parts) if (form := _read(parser, part, as_of)) is not None]
    if len(read) != 1:
        return None
    k, form = read[0]
    named = {str(c["value"]).lower() for c in (form.derived or {})["conditions"] if c.get("value")}
    for j, part in enumerate(parts):
        if j == k:
            continue
        words = re.findall(r"[\w']+", part.lower())
        if not words or any(w not in allowed and w not in named for w in words):
            return None
        form.notes.append(f"aside:{part.strip()}")
    return form


def _read(parser: SemanticParser, question: str, as_of: date) -> QueryForm | None:
    dim = scope_dimension(parser)
    if dim is None or parser.vocab is None:
        return None
    spec = parser.layer.grammar.get("scoped_conditions", {})
    column = parser.layer.dimensions.get(dim, {}).get("column", "")
    values = parser.vocab.values.get(dim) or parser.vocab.values.get(column) or []
    if not values or not spec:
        return None
    places = _place_mentions(parser, question, dim, values)
    if len(places) != 2:
        return None
    first, second = places
    kinds = (first["kind"], second["kind"])
    if kinds not in (("named", "named"), ("named", "other"), ("one", "other"), ("other", "named")) or (
            kinds == ("named", "named") and first["value"] == second["value"]):
        return None
    between = question[first["end"]:second["start"]]
    cut = re.search(rf"\b(?:{_alternation(spec.get('connectors', []))})\b", between, re.IGNORECASE)
    if cut is None:
        return None
    split = first["end"] + cut.start()
    clauses = [question[:split], question[first["end"] + cut.end():]]
    stand_in = values[0]
    conditions = []
    for k, (clause, place, offset) in enumerate(zip(clauses, places, (0, first["end"] + cut.end()), strict=True)):
        start, end = place["start"] - offset, place["end"] - offset
        head, tail = clause[:start].rstrip(), clause[end:].strip()
        named = place.get("value") or stand_in
        nothing = spec.get("none_phrases", {})
        if k == 1 and place["prep"] and not tail.strip(" ?.!,;:") and nothing.get("phrases") and re.fullmatch(
                rf"(?:{_alternation(nothing['phrases'])})", head.strip(), re.IGNORECASE):
            # "... have stock in Kuopio but none in Vantaa": none there is being out of stock there
            head = nothing["read_as"]
        verbs = _alternation(spec.get("subject_verbs", []))
        if not place["prep"]:
            # "Kuopio holds more than twice its reorder level": the place is the subject; read as "... in Kuopio"
            if not re.match(rf"(?:{verbs})\b", tail, re.IGNORECASE):
                return None
            head = re.sub(r"\b(?:where|when)\s*$", "that", head, flags=re.IGNORECASE)
            text = f"{head} {tail} in {named}"
        else:
            text = f"{head} in {named} {tail}"
        text = re.sub(rf"\b(its|their)\s+(?:{_alternation(spec.get('fillers', []))})\b", r"\1", text, flags=re.IGNORECASE)
        held = spec.get("held_phrases", {})
        if held.get("phrases"):
            # "that some other warehouse still has on hand": holding some there is being in stock there
            text = re.sub(rf"\b(?:{_alternation(held['phrases'])})\b", held["read_as"], text, flags=re.IGNORECASE)
        text = text.strip(" ?.!,;:-—–")
        if k == 1:
            lead = text.split()[0].lower() if text.split() else ""
            subject = "products" if lead in spec.get("clause_heads", []) else "products that"
            text = f"{subject} {text}"
        try:
            form = parser.parse(text, as_of).form
        except (NotUnderstood, ValidationFailed):
            return None
        counted = k == 0 and form.kind == "aggregate" and form.measures == ["count"]
        if counted:
            # "how many products are out of stock in Vantaa but ...": the products kept, counted
            form.kind, form.measures = "list", []
        condition = _one_condition(parser, form, dim, named)
        if condition is None:
            return None
        if counted:
            condition["counted"] = True
        conditions.append({**condition, "place": place["kind"], "value": place.get("value")})
    if kinds == ("other", "named"):
        # "... where another warehouse has spare while Turku is below": the named place first, then the others
        conditions.reverse()
    counted = any(c.pop("counted", False) for c in conditions)
    return QueryForm(kind="aggregate" if counted else "list", subject="products",
                     measures=["count"] if counted else [], notes=["scoped_conditions"],
                     derived={"kind": "scoped_conditions", "conditions": conditions, "dimension": dim})


def _one_condition(parser: SemanticParser, form: QueryForm, dim: str, named: str) -> dict[str, Any] | None:
    """The one stock condition of a clause read as of one place: a predicate scoped by the place or a bound on
    a figure of the place's own stock rows; anything else (a period, a grouping, another filter) is not read."""
    layer = parser.layer
    if form.subject != "products" or form.kind != "list" or form.dimensions or form.grain or form.period or \
            form.order_by or form.limit or form.compare or form.derived or form.within or form.lookup or \
            [n for n in form.notes if not n.startswith("aside:")]:
        return None
    places = [x for x in form.filters if x.field == dim]
    if len(places) != 1 or places[0].op not in ("=", "in") or places[0].values != [named]:
        return None
    bounds = [x for x in form.filters if x.field != dim]
    scoped = [p for p in form.predicates if layer.predicates.get(p, {}).get("scoped_by") == dim]
    if len(scoped) != len(form.predicates) or len(scoped) + len(bounds) != 1 or form.measures:
        return None
    if scoped:
        return {"predicate": scoped[0]}
    bound = bounds[0]
    spec = layer.measures.get(bound.field, {})
    if spec.get("entity") != "products" or layer.measure_tables(bound.field) != {"inventory"} or bound.op not in ("<", "<=", ">", ">=", "=", "between"):
        return None
    return {"measure": bound.field, "op": bound.op, "values": list(bound.values)}
