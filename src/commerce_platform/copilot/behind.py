"""Follow-ups that count what stood behind the previous figure ("how many distinct customers was that?" after a
revenue): the things counted are the ones the figure summed, so the figure's own condition (the glossary's sales:
orders not cancelled or returned) stays on them, as a layer predicate of the same condition says it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .query import QueryForm

if TYPE_CHECKING:
    from .parser import _State


def points_at_figure(layer, words: list[str]) -> bool:
    """"how many orders was that", "how many customers did that come from", "how many were behind it": a pointer
    at the previous figure (layer grammar figure_pointer)."""
    said = layer.grammar.get("figure_pointer", {})
    before, pointers = set(said.get("before", [])), set(said.get("pointers", []))
    return any(w in pointers and k > 0 and words[k - 1] in before for k, w in enumerate(words))


def counted_behind_figure(state: _State, context: QueryForm, f: QueryForm) -> QueryForm:
    """A count merged in place of the previous figure(s), the question pointing at that figure: the predicate of
    the layer whose condition is the figure's own filter (all previous figures sharing it) is added, so the count
    is of the same rows the figure summed (was: every order of any status counted). Else ``f`` unchanged."""
    layer = state.layer
    if f.kind != "aggregate" or not f.measures or not all(m == "count" for m in f.measures) \
            or not context.measures or any(m in f.measures for m in context.measures):
        return f
    if not points_at_figure(layer, [s.text for s in state.spans]):
        return f
    filters = {str(layer.measures.get(m, {}).get("filter") or "") for m in context.measures}
    if len(filters) != 1 or not next(iter(filters)):
        return f
    condition = next(iter(filters))
    # (read afresh: the merge may have set the value words aside, "cancelled ones included")
    said = {str(layer.dimensions.get(str(s.arg("value")), {}).get("column", ""))
            for s in type(state)(state.p, state.question, state.as_of).spans if s.first("value") is not None}
    if any(column and column in condition for column in said):
        return f  # "how many orders was that, cancelled ones included": the question says that column itself
    named = [k for k, spec in layer.predicates.items() if str(spec.get("sql", "")) == condition]
    if len(named) != 1 or named[0] in f.predicates:
        return f
    g = QueryForm.from_dict(f.to_dict())
    assert g is not None
    g.predicates = [*g.predicates, named[0]]
    try:
        state.p.planner.plan(g)
    except Exception:  # noqa: BLE001 - a count the predicate cannot be planned on is left as merged
        return f
    return g
