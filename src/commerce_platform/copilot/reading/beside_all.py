"""A figure for one group beside the same figure for all: "revenue from Helsinki customers this year next to revenue
from all customers this year", "Paint stock in Vantaa, and Paint stock across all warehouses - one row"."""

from __future__ import annotations

from dataclasses import asdict

from ...errors import NotUnderstood
from ..lexicon import Span
from ..query import Filter, QueryForm
from .base import StateBase
from .patterns import phrase_spans


class BesideAllSteps(StateBase):
    """Steps that read two figures asked in one row (layer grammar ``beside_all`` and ``one_row``)."""

    def _restates_figure(self, x: Span, f: QueryForm) -> bool:
        """``x`` names again the one figure asked ("revenue ... and revenue ...", "count for ... and count for ...")."""
        if len(set(f.measures)) != 1:
            return False
        measure = f.measures[0]
        return bool(x.first("measure") and x.arg("measure") == measure
                    or measure.startswith("count") and x.has("grammar", "count"))

    def _one_row_spans(self) -> list[Span]:
        """The spans of one phrase of the layer's ``one_row`` ("- one row with both figures", "both in one row",
        "two numbers in one row"; found by patterns.phrase_spans, the longest first): the table's shape, placed only
        by a reading that puts two figures side by side as columns; an empty list when none is said."""
        for k, j in phrase_spans(self.spans, self.layer.grammar.get("one_row", [])):
            # ("one row per year" says the grouping: not this shape)
            if not any(x.used and not x.has("stop") for x in self.spans[k:j]) and not (
                    j < len(self.spans) and self.spans[j].has("grammar", "group_by")):
                return self.spans[k:j]
        return []

    def _figure_beside_all(self, f: QueryForm) -> None:
        """"How many orders did Helsinki customers place in 2025, and how many orders were there in total?", "Tools
        revenue in Q3 next to total revenue across all categories in the same quarter": one figure asked twice, joined
        by "and" or a comparing word, the second time over all ("in total", "all <things>", "across all <group>"): the
        one condition said only with the first is that figure's group, a column under it beside the column without
        it, in one row (was: the second figure dropped, a silent wrong, or refused). Only when the second clause says
        nothing else: the figure's words, the all-words, the first clause's own conditions and period said again
        ("the same quarter"), the table's shape ("one row"); the group's dimension named after "all" (or the entity
        it belongs to) must be that condition's."""
        spec = self.layer.grammar.get("beside_all", {})
        if f.kind != "aggregate" or f.dimensions or f.grain or f.derived or f.compare or f.compare_period \
                or f.limit or f.order_by or f.within or f.lookup or len(set(f.measures)) != 1 or not spec:
            return
        all_words = set(spec.get("all_words", []))
        for k, s in enumerate(self.spans):
            if s.used or not (s.text == "and" or s.has("grammar", "compare")):
                continue
            if self._beside_all_at(f, k, spec):
                return
            second = self.spans[k + 1:]
            if any(self._restates_figure(x, f) for x in second) and any(x.text in all_words for x in second):
                # "revenue from Helsinki customers and total revenue from all business customers": the figure said
                # again over all, but with words I cannot give it (was: both conditions on one figure, or the
                # second clause dropped: a silent wrong)
                raise NotUnderstood("the question asks the figure twice, the second time over all, and I could not "
                                    "tell which one condition sets the first apart", field="question",
                                    hint="e.g. 'revenue from Helsinki customers next to revenue from all customers'")

    def _beside_all_at(self, f: QueryForm, k: int, spec: dict) -> bool:
        first, second = self.spans[:k], self.spans[k + 1:]
        all_words, same_words = set(spec.get("all_words", [])), set(spec.get("same_period", []))
        one_row = [x for x in self._one_row_spans() if not any(x is y for y in self.spans[:k + 1])]
        shape = {id(x) for x in one_row}
        first_values = {v for x in first for v in self.values_of(x)}
        first_texts = {x.text for x in first}
        restated = said_all = False
        named: Span | None = None
        placed: list[Span] = []
        for i, x in enumerate(second):
            before = second[i - 1] if i else None
            if id(x) in shape or x.text.startswith("__period") and (
                    x.text in first_texts or not any(y.text.startswith("__period") for y in first)):
                continue  # the first clause's period said again, or one period said last of both
            if x.text in all_words:
                said_all = True
                placed.append(x)
                continue
            if before is not None and before.text in all_words and (x.first("dimension") or x.first("entity")) \
                    and not self.values_of(x):
                named = x  # "all customers", "across all warehouses": the group the figure is over
                continue
            if self._restates_figure(x, f) or x.has("grammar", "average") and any(
                    y.has("grammar", "average") for y in first):
                restated = True
                continue
            if x.text in same_words:
                if not any(y.text.startswith("__period") for y in first):
                    return False
                placed.append(x)
                continue
            values = self.values_of(x)
            if values:
                if not set(values) <= first_values and any(
                        c.op in ("=", "in") and c.field == dim and value in c.values
                        for dim, value in values for c in f.filters):
                    return False  # a condition said of the second figure alone
                continue
            if x.first("entity") and not x.first("dimension") or x.first("entity") and (
                    x.arg("entity") == f.subject or any(y.has("entity", x.arg("entity")) for y in first)):
                continue  # "how many orders were there": the things the figure counts
            if x.first("entity") and i + 1 < len(second) and self._restates_figure(second[i + 1], f):
                continue  # "total product revenue": the figure's own things before it
            if (x.has("grammar", "group_by") or x.has("grammar", "range")) and i + 1 < len(second) \
                    and second[i + 1].text in all_words:
                continue  # "across all", "over all", "from all"
            if len(x.senses) == 1 and x.senses[0][0] == "stop" and x.text not in self.layer.grammar.get(
                    "commentary", {}).get("blockers", []):
                continue
            if x.text.startswith("__period"):
                return False  # another period: two periods, not one group beside all
            if x.first("activity") and x.used:
                continue  # "shipments shipped in 2025": the event the period is of
            return False
        if not (restated and (said_all or named is not None)):
            return False
        group = self._group_of_first(f, first, second)
        if group is None:
            return False
        if named is not None:
            column = self.layer.dimensions.get(group.field, {}).get("column", "")
            entity = named.arg("entity") if named.first("entity") else None
            table = self.layer.entities.get(entity or "", {}).get("table")
            if not (named.has("dimension", group.field) or table and column.startswith(f"{table}.")):
                return False  # "Helsinki revenue and revenue of all carriers": not the group the condition is of
        f.filters.remove(group)
        f.derived = {"kind": "beside_all", "filter": asdict(group)}
        kept = {id(x) for x in placed} | shape
        for x in [self.spans[k], *second]:
            if not x.has("stop") or id(x) in kept:
                x.used = True
        return True

    def _group_of_first(self, f: QueryForm, first: list[Span], second: list[Span]) -> Filter | None:
        """The one condition said in the first clause alone (a value of a dimension), or None."""
        again = {v for x in second for v in self.values_of(x)}
        said = {v for x in first if x.used for v in self.values_of(x)} - again
        groups = [c for c in f.filters if c.op == "=" and len(c.values) == 1 and (c.field, c.values[0]) in said
                  and c.field in self.layer.dimensions]
        if len(groups) != 1 or len([c for c in f.filters if c.field == groups[0].field]) != 1:
            return None
        if f.predicates and not all(any(x.has("predicate", p) for x in second) for p in f.predicates):
            return None  # "late shipments of DHL and all shipments": is the second late too? not said
        return groups[0]

    def _figure_of_those(self, f: QueryForm) -> None:
        """"per channel: number of orders, and number of those orders with at least one discounted line", "per
        city: customers, and how many of those are business customers": a count beside the count of those of its
        things that meet one condition said in the second clause alone, a column each (was: the condition put on
        both, one figure: a silent wrong). A second clause that says anything else (a period, a second condition)
        is refused."""
        if f.kind != "aggregate" or f.grain or f.derived or f.compare or f.compare_period or f.limit or f.order_by \
                or f.within or f.lookup or f.measures != ["count"] or not f.subject:
            return
        for k, s in enumerate(self.spans):
            second = self.spans[k + 1:]
            if s.used or s.text != "and" or not any(x.text == "those" for x in second[:4]) or not any(
                    x.has("grammar", "count") for x in second[:3]):
                continue
            said = self._condition_of_those(f, self.spans[:k], second)
            if said is None:
                raise NotUnderstood("the question asks a count and the count of those of them that meet a condition, "
                                    "and I could not tell that one condition apart", field="question",
                                    hint="e.g. 'per channel: number of orders, and number of those orders that "
                                         "include a discounted line'")
            if said.first("predicate"):
                name = str(said.arg("predicate"))
                f.predicates.remove(name)
                f.derived = {"kind": "beside_all", "predicate": name}
            else:
                dim, value = self.values_of(said)[0]
                group = next(c for c in f.filters if c.field == dim and c.op == "=" and c.values == [value])
                f.filters.remove(group)
                f.derived = {"kind": "beside_all", "filter": asdict(group), "of_those": True}
            for x in second:
                x.used = True
            return

    def _condition_of_those(self, f: QueryForm, first: list[Span], second: list[Span]) -> Span | None:
        """The one span of the second clause that says the condition on those counted, or None when it says more."""
        conditions: list[Span] = []
        for i, x in enumerate(second):
            after = second[i + 1:i + 3]
            if x.text == "those" or self._restates_figure(x, f) or x.has("entity", f.subject) \
                    or len(x.senses) == 1 and x.senses[0][0] == "stop":
                continue
            if x.first("predicate") or self.values_of(x):
                conditions.append(x)
                continue
            if (x.has("comparator", ">=") or x.has("number", 1.0)) and any(y.first("predicate") for y in after):
                continue  # "with at least one discounted line": one such line
            if x.first("entity") and i > 0 and second[i - 1].first("predicate"):
                continue  # "discounted line": the things the condition is of
            return None
        if len(conditions) != 1 or any(y.text == conditions[0].text for y in first):
            return None
        said = conditions[0]
        if said.first("predicate"):
            return said if str(said.arg("predicate")) in f.predicates and len(said.senses) == 1 else None
        values = self.values_of(said)
        if len(values) != 1 or not any(c.field == values[0][0] and c.op == "=" and c.values == [values[0][1]]
                                       for c in f.filters):
            return None
        if any(c.op in (">=", ">") and c.values == [1.0] for c in f.filters):
            return None
        return said

