"""Follow-ups that count what stood behind the previous figure ("how many distinct customers was that?" after a
revenue): the things counted are the ones the figure summed, so the figure's own condition (the glossary's sales:
orders not cancelled or returned) stays on them, as a layer predicate of the same condition says it."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from sqlglot import exp

from .planner import PREVIOUS_ROWS
from .query import Filter, QueryForm

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


def _line_tables(layer, measure: str) -> set[str]:
    """The tables a figure is computed from when narrowed to some of its lines (its ``line_sql``), beyond the
    table of its own ``sql`` ("revenue": order_items)."""
    return layer.measure_tables(measure, ("line_sql",)) - layer.measure_tables(measure)


def _planned_tables(state: _State, form: QueryForm) -> set[str]:
    try:
        return {t.name for t in state.p.planner.plan(form).find_all(exp.Table)}
    except Exception:  # noqa: BLE001 - a form that cannot be planned reads no table
        return set()


def figure_of_those_counted(state: _State, context: QueryForm, f: QueryForm) -> QueryForm:
    """"how much revenue came from those orders?" after orders counted by a condition on their lines ("orders with
    at least one discounted item"): the figure of those whole orders (the counted ones as answered, ``within``), not
    of their lines meeting the condition (was: the discounted lines' revenue, silently). Named with a pointer and
    the counted things' own noun ("those orders"); else ``f`` unchanged."""
    layer, new = state.layer, state.form
    subject = context.subject or ""
    entity = layer.entities.get(subject, {})
    if context.kind != "aggregate" or context.measures != ["count"] or not entity.get("key") or context.dimensions \
            or context.grain or context.compare or context.derived or context.limit or context.within \
            or len(new.measures) != 1 or new.dimensions or new.filters or new.predicates or new.grain \
            or len(state.periods) > 1 or state.ids:
        return f
    spans = state.spans
    pointers = set(layer.grammar.get("figure_pointer", {}).get("rows", []))
    if not any(a.text in pointers and b.has("entity", subject) for a, b in zip(spans, spans[1:], strict=False)):
        return f
    measure = new.measures[0]
    spec = layer.measures.get(measure, {})
    if spec.get("entity") != subject or not str(spec.get("sql", "")).upper().startswith("SUM(") \
            or not _line_tables(layer, measure) & _planned_tables(state, f):
        return f  # (the merged figure is of the whole orders already: nothing to change)
    if state.periods and context.period and state.periods[0] != context.period:
        return f  # another period than the one they were counted in: not the same orders
    listed = replace(context, kind="list", measures=[], show=[], order_by=None, notes=[])
    g = QueryForm(kind="aggregate", subject=subject, measures=[measure], unit=new.unit,
                  filters=[Filter(f"{entity['table']}.{entity['key']}", "=", [PREVIOUS_ROWS])],
                  within=listed.to_dict())
    try:
        state.p.planner.plan(g)
    except Exception:  # noqa: BLE001 - a figure the population cannot be planned for is left as merged
        return f
    for s in spans:
        s.used = True
    return g
