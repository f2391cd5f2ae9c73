"""Follow-ups: a question said instead of the previous one, and the pieces of merging a follow-up into it."""

from __future__ import annotations

from ...errors import NotUnderstood
from ..query import QueryForm
from .base import StateBase


class FollowupSteps(StateBase):
    """Steps that read a follow-up and merge it into the previous form."""

    def _instead_of_previous(self) -> None:
        """"by segment rather than country", "maximum delivery time instead of average": in a follow-up, the words
        right after "instead of" / "rather than" that name what the previous question had (a grouping, a figure,
        its aggregate) say what the new words replace; read as "instead", they add nothing themselves."""
        c = self.context
        if c is None:
            return
        aggregates = self.layer.grammar.get("aggregates", {})
        for k, (a, b) in enumerate(zip(self.spans, self.spans[1:], strict=False)):
            if (a.text, b.text) not in (("instead", "of"), ("rather", "than")):
                continue
            named = []
            fillers = ("the", "a", "an", "per", "by")  # "per month instead of per carrier": the grouping word said again
            for x in self.spans[k + 2:]:
                if x.text in fillers or x.has("dimension") and x.arg("dimension") in c.dimensions or \
                        x.first("grain") and x.arg("grain") == c.grain or \
                        x.first("measure") and x.arg("measure") in c.measures or \
                        (x.text in aggregates or x.has("grammar", "average")) and bool(c.measures):
                    named.append(x)
                elif any(m.startswith("count") for m in c.measures) and (x.has("grammar", "count") or x.first(
                        "entity") and x.arg("entity") == (c.subject or "orders") and x is not self.spans[-1]
                        and self.spans[self.spans.index(x) + 1].has("grammar", "count")):
                    named.append(x)  # "revenue instead of order count" after orders counted: the count replaced
                elif self.values_of(x) and not any(x.first(k) for k in ("dimension", "measure", "entity", "grain")):
                    # "Sweden instead of Finland" after Finland's revenue: the one value the previous question kept,
                    # now replaced (was: both values kept, their revenue summed); a value it did not keep, or one of
                    # several it kept, is refused (which of them goes is not told)
                    kept = [f for d, v in self.values_of(x) for f in c.filters
                            if f.field == d and f.op in ("=", "in") and v in f.values]
                    if not kept or any(len(f.values) != 1 for f in kept):
                        raise NotUnderstood(f"I could not tell what '{x.text}' after '{a.text} {b.text}' replaces: the "
                                            "previous question kept " + ("several values" if kept else "no such value"),
                                            field="question", hint="e.g. 'and for Sweden?'")
                    named.append(x)
                else:
                    break
            if not any(x.text not in fillers for x in named):
                continue
            for x in (a, b, *named) if a.text == "rather" else (b, *named):
                x.senses, x.used = [("stop",)], True
            if a.text == "rather":
                a.text = "instead"  # the replacing reading of "instead" (not adding beside the previous grouping)

    def _one_of_them(self) -> bool:
        """"which of those brands is the biggest?": "which of" the plural things, then "is"/"was", asks for one of
        them (was: the plural noun read as asking for all of them, every brand ranked)."""
        words = [s.text for s in self.spans]
        return any(words[k:k + 2] == ["which", "of"] and {"is", "was"} & set(words[k + 2:k + 6])
                   for k in range(len(words)))

    # ----- follow-ups
    def _every_of_one_value(self, context: QueryForm, i: int) -> bool:
        """"now for every segment" after revenue from consumer customers: every value of the one named before, so
        that condition goes and nothing is split (as "all segments"; "for each" / "by segment" still split)."""
        nxt = self.next_content(i)
        if self.spans[i].text != "for every" or nxt is None or nxt[0] != i + 1 or not nxt[1].first("dimension") \
                or self.values_of(nxt[1]):
            return False
        dim = nxt[1].arg("dimension")
        return dim not in context.dimensions and any(
            x.field == dim and x.op == "=" and len(x.values) == 1 for x in context.filters)

    def _on_those_rows(self, f: QueryForm, context: QueryForm) -> None:
        """"the avg discount per category on those same orders" after revenue per category: the new figure over
        the rows the previous one counted, so the previous figure's own condition (revenue: orders not cancelled
        or returned) stays as a condition, the layer predicate of that SQL (was: dropped with the old figure,
        every order averaged)."""
        texts = [s.text for s in self.spans]
        those = [k for k in range(len(texts) - 1) if texts[k] in ("those", "these", "the same", "same")
                 and (self.spans[k + 1].first("entity") or texts[k + 1] == "same" and k + 2 < len(texts)
                      and self.spans[k + 2].first("entity"))]
        if not those or f.measures == context.measures:
            return
        k = those[0] + (2 if texts[those[0] + 1] == "same" else 1)
        entity = str(self.spans[k].arg("entity"))
        specs = self.layer.measures
        filters = {specs.get(m, {}).get("filter") for m in context.measures}
        if len(filters) != 1 or None in filters or any(specs.get(m, {}).get("entity") != entity for m in context.measures):
            return
        if any(specs.get(m, {}).get("filter") for m in f.measures):
            return  # the new figure keeps a condition of its own
        row_filter = filters.pop()
        named = next((n for n, p in self.layer.predicates.items() if p.get("sql") == row_filter
                      and p.get("entity") == entity), None)
        if named is None:
            return
        if named not in f.predicates:
            f.predicates.append(named)
        for s in self.spans[those[0]:k + 1]:
            s.used = True

    def _aggregate_swap(self, f: QueryForm, new: QueryForm) -> None:
        """"and the median?", "and the maximum?" after an average duration (delivery time per carrier): the
        same per-row duration under the aggregate named (layer aggregates), the rest of the question kept. Only
        a duration (a measure with row_sql) has rows to aggregate another way; other measures are left alone."""
        fns = self.layer.grammar["aggregates"]
        # ("and the median in hours instead of the average?": the unit said beside it, and the aggregate it replaces
        # read as "instead", are not of the swap; was refused)
        bare = [s for s in self.spans if not s.has("grammar", "followup") and not s.first("unit") and not (
            s.used and all(x[0] == "stop" for x in s.senses)) and (
            s.text in fns or not all(x[0] == "stop" for x in s.senses))]
        extremes = self.layer.grammar.get("duration_extremes", {})
        # ("and the longest one?", "and the maximum?" after one average duration of no groups: a superlative has
        # nothing to rank there, so it names the aggregate of the per-row duration; was: refused, nothing to rank)
        ungrouped = len(bare) == 1 and (bare[0].first("superlative") is not None or bare[0].text in extremes) \
            and f.kind == "aggregate" \
            and not (f.dimensions or f.grain or f.compare or f.derived or new.dimensions or new.grain)
        if new.measures or len(bare) != 1 or bare[0].used and not ungrouped or len(f.measures) != 1 or (
                bare[0].text not in fns and not (ungrouped and bare[0].text in extremes)):
            return
        old = f.measures[0]
        base = old.split(":", 1)[1] if ":" in old and old.split(":", 1)[0] in fns.values() else old
        if not self.layer.measures.get(base, {}).get("row_sql"):
            return
        fn = fns.get(bare[0].text) or extremes[bare[0].text]
        if ungrouped:
            f.order_by, f.direction, f.limit = None, "desc", None  # the superlative ranks nothing here
        f.measures = [base if fn == "avg" else f"{fn}:{base}"]
        if f.order_by == old:
            f.order_by = f.measures[0]
        bare[0].used = True

    def _figure_of_the_same_value(self, context: QueryForm) -> bool:
        """"how many makita units did we sell" after "and Makita?" (revenue of Bosch last quarter): a whole question
        whose every value is one the previous figure was already held to, with no period of its own and no grouping,
        asks another figure of the same things in the conversation's period (was: a new question over all time).
        Only after one figure of no groups and a period, every condition of it said again: a value the question
        names anew is a new question."""
        if context.kind != "aggregate" or context.period is None or context.dimensions or context.limit \
                or context.compare or context.derived or context.grain or self.periods or self.ids:
            return False
        named = [s for s in self.spans if self.values_of(s)]
        if not named or not any(s.first("measure") or s.has("grammar", "count") for s in self.spans):
            return False
        # ("average delivery time in days": a unit of the duration named, no grouping by day)
        durations = {m for m, spec in self.layer.measures.items() if spec.get("units")}
        timed = any(s.first("measure") and s.arg("measure") in durations for s in self.spans)
        if any(x[0] in ("dimension", "ranking", "superlative", "grain") and not self.values_of(s)
               and not (x[0] == "dimension" and s.first("entity")) and not (timed and s.first("unit"))
               for s in self.spans for x in s.senses):
            return False  # a grouping or a ranking asked ("customers" is a thing named, not a grouping)
        if not any(s.first("measure") for s in self.spans):
            # a count: of the things the period dates ("how many orders"), not of standing ones ("how many
            # customers in Oulu are there" counts them all, not the ones who ordered in the period)
            k = next(k for k, s in enumerate(self.spans) if s.has("grammar", "count"))
            thing = next((s.arg("entity") for s in self.spans[k + 1:] if s.first("entity")), None)
            table = str(context.period_field or "orders.order_date").split(".")[0]
            if thing is None or self.layer.entities.get(str(thing), {}).get("table") != table:
                return False

        def held(field: str, value: object) -> bool:
            x = context.filter_on(field)
            return x is not None and x.op in ("=", "in") and value in x.values
        said = {field for s in named for field, value in self.values_of(s) if held(field, value)}
        # every value held, and every condition of the previous figure said again (one left unsaid, or a
        # predicate, leaves open whether it still holds)
        return all(any(held(field, value) for field, value in self.values_of(s)) for s in named) \
            and not context.predicates and all(x.field in said for x in context.filters)
