"""Measures: counts, how much, shares, growth, durations, ages, units and scales."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from ...errors import NotUnderstood
from ..followups import pointing_back
from ..lexicon import Span
from ..query import Filter, QueryForm
from ..semantic import predicate_spec
from .base import StateBase
from .patterns import EACH_WORDS, NUMBER_WORDS, phrase_said


class MeasureSteps(StateBase):
    """Steps that read which figure is asked (counts, amounts, shares, growth, durations)."""

    def _valuations(self) -> None:
        """"value of stock in Drammen at list price": the valuation named (layer grammar valued_at) picks which
        of the valued measures is meant, wherever it stands; with no such measure it stays unplaced."""
        table = self.layer.grammar.get("valued_at", {})
        family = set(table.values())
        for s in self.spans:
            if s.used or not s.first("valued_at"):
                continue
            valued = [x for x in self.spans if x.first("measure") and x.arg("measure") in family]
            if valued:
                for x in valued:
                    x.senses = [("measure", s.arg("valued_at"))]
                s.used = True
                continue
            # "the total value of our inventory at unit cost", "the stock in Vantaa worth at list price": the
            # figure the valuation values (layer "values"), said with "value" / "worth", is the valued measure
            base = self.layer.measures.get(str(s.arg("valued_at")), {}).get("values")
            values = [x for x in self.spans if x.first("measure") and x.arg("measure") == base]
            # "the most capital (money) tied up in stock at cost": an amount said of the figure valued is its value
            worth = [x for x in self.spans if x.text in ("worth", "value", "valued", "money", "capital") and not x.used]
            if values and worth:
                for x in values:
                    x.senses = [("measure", s.arg("valued_at"))]
                for x in worth:
                    x.senses, x.used = [("stop",)], True
                s.used = True

    def _worth(self) -> None:
        """"orders worth more than 500": the amount compared, said with a verb (the comparator places it);
        "which of them cost more than 30 euros": the verb of the layer's "costs" column, with a plural subject."""
        priced = [f"{t}.{c}" for t, spec in self.layer.tables.items() for c, col in spec.get("columns", {}).items()
                  if "costs" in col.get("synonyms", [])]
        for k, s in enumerate(self.spans[:-2]):
            if s.text == "cost" and not s.senses and len(priced) == 1 and self.spans[k + 1].first("comparator") \
                    and self.spans[k + 2].first("number") is not None:
                s.senses = [("attribute", priced[0])]
        for k, s in enumerate(self.spans[:-1]):
            prev = self.prev_content(k)
            if s.text == "worth" and not s.senses and self.spans[k + 1].first("comparator") and prev is not None \
                    and prev[1].first("entity") and self.layer.entities[prev[1].arg("entity")].get("amount"):
                s.senses, s.used = [("stop",)], True

    def _split_between(self) -> None:
        """"the split of revenue between consumer and business customers": one row per value named,
        the values' dimension grouped (layer grammar split_between), the values kept as the filter."""
        # read by the words themselves, not as lexicon senses: a follow-up's "split that by" reads them too
        words = set(self.layer.grammar.get("split_between", []))
        for i, s in enumerate(self.spans):
            if s.used or s.text not in words:
                continue
            for k in range(i, len(self.spans)):
                t = self.spans[k]
                # "revenue split business vs consumer": the values right after the word, no "between"
                bare = k == i and i + 1 < len(self.spans) and bool(self.values_of(self.spans[i + 1]))
                if not bare and (k == i or t.used or t.text not in ("between", "among", "across")):
                    continue
                after = self.next_content(k)
                if t.text == "across" and k == i + 1 and after is not None and after[1].first("dimension") and \
                        not self.values_of(after[1]):
                    s.used = True  # "how is the stock spread across the warehouses": per warehouse ("across")
                    break
                named: list[set[str]] = []
                joints = []
                for u in self.spans[k + 1:]:
                    if self.values_of(u):
                        named.append({d for d, _ in self.values_of(u)})
                    elif u.text in ("and", "or", "vs", ","):
                        joints.append(u)
                    else:
                        break
                dims = set.intersection(*named) if len(named) > 1 else set()
                if len(dims) != 1:
                    break
                (dim,) = dims
                if dim not in self.form.dimensions:
                    self.form.dimensions.append(dim)
                for u in (s, t, *joints):
                    u.used = True
                break

    def _measure_split_by_verb(self) -> None:
        """"how many spare units does it have above the reorder level": a measure's words ("spare units above the
        reorder level") said around a verb are that one measure; the part after the verb (a preposition, then a
        figure said whole) restates it, when the two parts together are one of the measure's own names."""
        for i, s in enumerate(self.spans):
            if s.used or not s.first("measure") or s.text in ("above", "over"):
                continue
            synonyms = set(self.layer.measures.get(s.arg("measure"), {}).get("synonyms", []))
            for j in range(i + 1, len(self.spans)):
                prep = self.spans[j]
                if prep.used or prep.text not in ("above", "over", "below", "under"):
                    continue
                for k in range(j + 1, min(j + 4, len(self.spans))):
                    tail = self.spans[j:k + 1]
                    if self.spans[k].first("measure") and \
                            f"{s.text} {' '.join(x.text for x in tail)}" in synonyms:
                        for x in tail:
                            x.used = True
                        break
                break

    def _how_long(self) -> None:
        """"how long did delivery take for order 3455": "how long" asks the duration a measure in days names
        (was: "long" unplaced); with no such measure it stays unplaced."""
        durations = [x for x in self.spans if x.first("measure")
                     and self.layer.measures.get(str(x.arg("measure")), {}).get("unit") in ("days", "hours")]
        kinds = self.layer.grammar.get("duration_of_entity", {})
        asked = [k for k, s in enumerate(self.spans[1:], start=1)
                 if s.text == "long" and not s.senses and self.spans[k - 1].text == "how"]
        if asked and not durations:
            # "how long did the delivery of order 1000 take?": the thing's own duration (the layer's
            # duration_of_entity), the thing named between "how long" and "take" (was: 'long' unplaced)
            things = [t for t in self.spans[asked[0] + 1:] if not t.used and any(
                x[0] == "entity" and x[1] in kinds for x in t.senses)]
            takes = [t for t in self.spans[asked[0] + 1:] if t.text in ("take", "took", "takes") and not t.used]
            if len(things) == 1 and len(takes) == 1 and self.spans.index(things[0]) < self.spans.index(takes[0]):
                entity = next(x[1] for x in things[0].senses if x[0] == "entity" and x[1] in kinds)
                things[0].senses = [("measure", kinds[entity])]
                takes[0].senses, takes[0].used = [("stop",)], True
                durations = [things[0]]
        for k, s in enumerate(self.spans[1:], start=1):
            if s.text == "long" and not s.senses and self.spans[k - 1].text == "how" and durations:
                s.senses, s.used = [("stop",)], True

    def _ages(self) -> None:
        """"orders sitting in pending for more than two weeks", "shipments in transit for more than 10 days": a
        span of time after "for", with no duration that is defined for the things spoken of, is their age
        (layer age_since): started more than N days before the as-of date."""
        g = self.layer.grammar
        durations = {m for m, spec in self.layer.measures.items() if spec.get("row_sql")}
        named = {x.arg("measure") for x in self.spans if x.first("measure")} & durations
        predicates = {x.arg("predicate") for x in self.spans if x.first("predicate")}
        undefined = {m for m in named if set(self.layer.measures[m].get("undefined_with", [])) & predicates}
        if named - undefined:
            return  # "deliveries that took more than 4 days": a delivery time
        days = {"days": 1, "weeks": 7}
        # "pending orders older than a week": an age said by a comparative (layer age_comparatives), one unit
        for i in range(len(self.spans) - 2):
            older, than = self.spans[i:i + 2]
            rest = self.spans[i + 2:i + 4]
            if older.text not in g.get("age_comparatives", []) or than.text != "than" or not rest:
                continue
            article = rest[0] if rest[0].text in ("a", "an", "one") else None
            unit = rest[1] if article is not None and len(rest) > 1 else rest[0]
            if not unit.first("unit") or unit.arg("unit") not in days or unit.text not in ("day", "week"):
                continue
            spoken = {x.arg("entity") for x in self.spans if x.first("entity")} | {
                predicate_spec(self.layer, p)["entity"] for p in predicates}
            aged = [e for e in ("shipments", "orders") if e in spoken and e in g.get("age_since", {})]
            if not aged:
                return
            since = self.as_of - timedelta(days=days[unit.arg("unit")])
            self.form.filters.append(Filter(g["age_since"][aged[0]], "<", [since.isoformat()]))
            older.used = than.used = unit.used = True
            if article is not None:
                article.used = True
            return
        for i in range(1, len(self.spans) - 2):
            before, comp, num, unit = self.spans[i - 1:i + 3]
            if (before.text != "for" and before.text not in g.get("age_states", [])) or not comp.first("comparator") or not num.first("number") or \
                    unit.arg("unit") not in days if unit.first("unit") else True:
                continue
            op = comp.arg("comparator")
            if op not in (">", ">="):
                continue
            if before.text != "for" and not (predicates or any(x[0] != "stop" for x in before.senses) or any(
                    d == "status" for x in self.spans for d, _ in self.values_of(x))):
                continue  # "orders waiting more than 2 weeks": which orders wait (a status) is not said
            spoken = {x.arg("entity") for x in self.spans if x.first("entity")} | {
                predicate_spec(self.layer, p)["entity"] for p in predicates}
            aged = [e for e in ("shipments", "orders") if e in spoken and e in g.get("age_since", {})]
            if not aged:
                return  # "customers waiting for more than 10 days": no order or parcel to take the age of
            field = g["age_since"][aged[0]]
            since = self.as_of - timedelta(days=num.arg("number") * days[unit.arg("unit")])
            self.form.filters.append(Filter(field, "<" if op == ">" else "<=", [since.isoformat()]))
            comp.used = num.used = unit.used = True
            before.used = before.used or before.text == "for"  # a state word before keeps its own meaning
            for m in undefined:  # the delivery time the words named is not what is asked
                for x in self.spans:
                    if x.first("measure") and x.arg("measure") == m:
                        x.used = True

    def _share_of_predicate_entity(self, f: QueryForm) -> None:
        """"on-time rate by carrier": with no things named, a share of a condition is taken of the things the
        condition is about (parcels), not of the default orders (which counted orders and put the period on
        the order date)."""
        # the share's condition is still among the predicates here (it becomes the condition later)
        name = ((f.derived or {}).get("condition") or {}).get("predicate") or (
            f.predicates[0] if len(f.predicates) == 1 else "")
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), None)
        after = [str(s.arg("predicate")) for s in self.spans[at or 0:] if s.first("predicate")] if at else []
        if not name and len(after) == 1 and after[0] in f.predicates:
            # ("of the orders shipped in 2025 that have been delivered, what share arrived late": the condition
            # said after "share" is the part; those said before it name the whole)
            name = after[0]
        predicate = self.layer.predicates.get(name) or self.layer.predicates.get(name.removeprefix("not_"))
        named = {str(s.arg("entity")) for s in self.spans if s.first("entity")}
        if f.derived is None or f.derived.get("kind") != "share" or predicate is None or f.measures != ["count"] and (
                f.measures or not named):
            return
        if f.subject not in (None, "orders") or named and (
                len(named - {predicate["entity"]}) != 1 or not self._same_rows(next(iter(named - {predicate["entity"]})),
                                                                           predicate["entity"])):
            return
        # ("what share of orders arrived late": an order is late through its one shipment; the whole is the orders
        # shipped, their shipments, never every order placed, unshipped ones counted as on time)
        f.subject = predicate["entity"]

    def _duration_anchors(self) -> None:
        """"more than 3 days after shipping": the words after a placed span of time name where a delivery time
        starts (layer duration_anchors); only there, so "profit after shipping costs" stays unplaced."""
        anchors = [tuple(a) for a in self.layer.grammar.get("duration_anchors", [])]
        for i, s in enumerate(self.spans[:-2]):
            if not (s.first("unit") and s.used):
                continue
            after = tuple(x.text for x in self.spans[i + 1:i + 3])
            if after in anchors:
                self.spans[i + 1].used = self.spans[i + 2].used = True

    def _shares_and_growth(self) -> None:
        f = self.form
        fell = self._fall_ranked()
        growth = [s for s in self.spans if not s.used and s.has("grammar", "growth")]
        for s in growth:
            s.used = True
            f.derived = {"kind": "growth"}
        if fell and all(s in fell for s in growth):
            # "which category lost the most revenue from Q2 to Q3", "the biggest drop in units sold": how much the
            # figure went down between the two periods, ranked (the biggest fall first: _growth_direction), in the
            # figure's own units with the fall beside it, or in percent when a percent is said
            for k, s in enumerate(self.spans[:-1]):
                if s.text == "going" and self.spans[k + 1].text == "from":
                    s.used = True  # ("going from Q2 to Q3": the move between the two periods)
            in_percent = any(s.text in self.layer.grammar.get("percent_words", []) for s in self.spans)
            f.derived = {"kind": "growth", "fall": True, **({} if in_percent else {"absolute": True})}
        absolute = [s for s in self.spans if not s.used and s.has("grammar", "growth_absolute")]
        # "which brand grew the most in euros": the euros a growth is asked in are the change itself (README:
        # growth in percent unless euros are asked)
        absolute += [s for k, s in enumerate(self.spans) if k > 0 and not s.used and s.first("currency")
                     and (s.text.startswith("in ") or self.spans[k - 1].text == "in")]
        if growth and absolute and f.derived is not None:
            # "grew the most in absolute euros": the change as a difference, not in percent
            for s in absolute:
                s.used = True
            f.derived["absolute"] = True
        for k, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "share"):
                continue
            s.used = True
            before = self.prev_content(k)
            named = before and (before[1].first("measure") or before[1].first("ranking"))
            if s.text in self.layer.grammar.get("percent_words", []) and named and \
                    self.layer.measures.get(named[1], {}).get("in_pct"):
                # "the highest margin in percent", "margin percentage": a fraction figure (0-1) asked in percent
                # is its percent variant (0-100), never a share of a total of it
                self.in_percent.add(str(named[1]))
                continue
            if k > 0 and self._unit_of(self.spans[k - 1]) == "%":
                continue  # "discount pct", "margin percent": the unit of a figure kept in percent
            pct = self._sole_figure_in_percent(k)
            if pct is not None:
                self.in_percent.add(pct)
                continue
            if self._sole_figure_as_fraction(k):
                continue  # "average margin of Heating products (as a fraction)": the margin's own 0-1 scale
            if k > 1 and self.spans[k - 1].text in ("in", "as") and self._unit_of(self.spans[k - 2]) == "%":
                continue  # "the margin in percent": that figure's unit, not a share of a total
            if not growth:  # "growth in %": the percent is the growth's unit
                ratio = s.text in self.layer.grammar.get("ratio_words", ["ratio"])  # "web divided by store"
                f.derived = {"kind": "ratio" if ratio else "share"}
        if f.derived and f.derived.get("kind") == "share":
            for k, s in enumerate(self.spans[:-2]):
                if s.text == "out" and not s.used and self.spans[k + 1].text == "of" and self.spans[k + 2].text == "all":
                    # "the share of late ones, out of all their shipments": of the whole named, every one ("out of
                    # delivered shipments" names a condition of the whole, left unplaced)
                    s.used = True
                elif s.text == "out" and not s.used and self.spans[k + 1].text == "of" and \
                        self.spans[k + 2].has("activity", "delivered") and k + 3 < len(self.spans) and \
                        self.spans[k + 3].has("entity", "shipments") and \
                        all(x.has("entity", "shipments") for x in self.spans if x.first("entity")) and \
                        any(predicate_spec(self.layer, str(x.arg("predicate"))).get("decidable")
                            for x in self.spans if x.first("predicate")):
                    # "late delivery % by carrier, out of delivered shipments": the whole named, as "(share of
                    # delivered shipments)" names it (was: refused on 'out')
                    s.used = True
            # the layer's scale: a share is a 0-1 fraction unless the question says percent
            percent = set(self.layer.grammar.get("percent_words", []))
            f.derived["scale"] = "percent" if any(s.text in percent for s in self.spans) else "fraction"

    def _fall_ranked(self) -> list:
        """"which category's revenue dropped the most from Q2 to Q3", "who lost the most units from Q3 2025 to Q3
        2026": a word of the layer's growth_fall (a figure went down; "drop" elsewhere leaves a filter out) is a
        growth word where two periods are named and a superlative ranks the groups; those words (else none:
        without a ranking or two periods a fall word is not placed)."""
        words = set((self.layer.grammar.get("growth_fall") or {}).get("words", []))
        if not words or len(self.periods) != 2 or not any(
                s.first("superlative") or s.first("superlative_attribute") for s in self.spans):
            return []
        fell = [s for s in self.spans if not s.used and s.text in words]
        for s in fell:
            if not s.has("grammar", "growth"):
                s.senses.append(("grammar", "growth"))
        return fell

    def _sole_figure_in_percent(self, k: int) -> str | None:
        """"Average margin of the active Tools products, as a percent": a closing "as a percent" / "in percent"
        after a question whose one figure is a fraction (0-1) with a percent variant, and nothing counted or
        bounded a share could be of, asks that figure in percent (was: a share of active products among all,
        100%)."""
        words = [s.text for s in self.spans]
        if words[k] not in self.layer.grammar.get("percent_words", []) or \
                not (words[k - 1:k] in (["in"], ["as"]) or words[max(k - 2, 0):k] == ["as", "a"]):
            return None
        if self.next_content(k) is not None:
            return None  # "as a percent of all orders": more said after it
        figures = {str(s.arg("measure")) for s in self.spans if s.first("measure")}
        if len(figures) != 1 or any(s.first("comparator") or s.first("count") or s.has("grammar", "share")
                                    for j, s in enumerate(self.spans) if j != k):
            return None
        figure = next(iter(figures))
        return figure if self.layer.measures.get(figure, {}).get("in_pct") else None

    def _sole_figure_as_fraction(self, k: int) -> bool:
        """"average margin of the Heating products, as a fraction": a closing "as a fraction" / "in fractions"
        after a question whose one figure is itself a fraction (0-1; layer measure flag "fraction") and nothing
        counted or bounded a share could be of, says that figure's scale, as "as a percent" asks its percent
        variant (was: the Heating products' margin as a share of every product's, a ratio of averages)."""
        words = [s.text for s in self.spans]
        if words[k] not in ("fraction", "fractions") or \
                not (words[k - 1:k] in (["in"], ["as"]) or words[max(k - 2, 0):k] == ["as", "a"]):
            return False
        if self.next_content(k) is not None:
            return False  # "as a fraction of all products": a whole said after it
        figures = {str(s.arg("measure")) for s in self.spans if s.first("measure")}
        if len(figures) != 1 or any(s.first("comparator") or s.first("count") or s.has("grammar", "share")
                                    for j, s in enumerate(self.spans) if j != k):
            return False
        return bool(self.layer.measures.get(next(iter(figures)), {}).get("fraction"))

    def _scale_only(self) -> bool:
        """"as a percent", "in percent": every share word of the question only says the scale of a share."""
        percent = set(self.layer.grammar.get("percent_words", []))
        words = [s.text for s in self.spans]
        said = [k for k, s in enumerate(self.spans) if s.has("grammar", "share")]
        return bool(said) and all(words[k] in percent and (words[k - 1:k] in (["in"], ["as"]) or
                                                           words[max(k - 2, 0):k] == ["as", "a"]) for k in said)

    def _unit_of(self, s: Span) -> str | None:
        measure, attribute = s.first("measure"), s.first("attribute")
        if measure:
            return self.layer.measures[measure[1]].get("unit")
        return self.layer.column(attribute[1]).get("unit") if attribute else None

    def _age_figures(self) -> None:
        """"how many days has the oldest open order been waiting", "on average how many days have the paid
        orders been waiting since they were placed": "how many days/weeks" with a verb of waiting (layer
        age_figures) and no duration named asks a figure of each thing's age, up to the as-of day, under the
        aggregate said ("oldest": the largest age, "on average": the mean). No aggregate said: left (refused)."""
        spec = self.layer.grammar.get("age_figures")
        if not spec:
            return
        spans = self.spans
        if any(x.first("measure") and self.layer.measures[x.arg("measure")].get("row_sql") for x in spans):
            return  # "how many days did delivery take": a duration of its own
        ask = next((k for k in range(1, len(spans)) if spans[k - 1].text == "how many" and spans[k].first("unit")
                    and spans[k].arg("unit") in ("days", "weeks") and not spans[k].used), None)
        verbs = [x for x in spans if x.text in spec["verbs"] and not x.used]
        aggs = [x for x in spans if x.text in spec["aggregates"] and not x.used]
        if ask is None or not verbs or len({spec["aggregates"][x.text] for x in aggs}) != 1:
            return
        predicates = {x.arg("predicate") for x in spans if x.first("predicate")}
        spoken = {x.arg("entity") for x in spans if x.first("entity")} | {
            predicate_spec(self.layer, p)["entity"] for p in predicates}
        aged = [e for e in spec["measures"] if e in spoken]
        if len(aged) != 1:
            return
        fn, measure = spec["aggregates"][aggs[0].text], spec["measures"][aged[0]]
        self.form.measures.append(measure if fn == "avg" else f"{fn}:{measure}")
        self.form.unit = spans[ask].arg("unit")
        for x in (spans[ask - 1], spans[ask], *verbs, *aggs):
            x.used = True
        for k in range(len(spans)):  # "(up to today, 1 November 2026)": the as-of day itself, said again
            said = next((spans[k:j] for j in (k + 1, k + 2) if " ".join(y.text for y in spans[k:j]) in spec["up_to"]),
                        None)
            days = [y for y in spans[k + len(said or ()):] if y.text.startswith("__period")][:2]
            if said and not any(y.used for y in said) and days and \
                    spans[k + len(said):k + len(said) + len(days)] == days and all(
                    self.periods[int(y.text[8:-2])].start == self.periods[int(y.text[8:-2])].end
                    == self.as_of.isoformat() for y in days):
                for y in said:
                    y.used = True
                for y in days:
                    y.text, y.used = "__as_of__", True  # not a period of the things counted
        for k, x in enumerate(spans):  # "since they were placed": the age's own start, said again
            if x.text == "since" and not x.used and all(y.text in spec["since"] or y.first("activity")
                                                        for y in spans[k + 1:k + 4] if not y.text.startswith("?")):
                for y in spans[k:k + 4]:
                    if y.text in spec["since"] or y.first("activity"):
                        y.used = True

    def _duration_aggregates(self) -> None:
        """"median delivery days by carrier", "longest delivery in hours for each carrier", "how many days did
        delivery take for order 1": an aggregate of a per-row duration (layer duration_extremes, aggregates),
        or the duration a thing's time unit asks about (layer duration_of_entity). Not a ranking: "which carrier
        has the longest delivery time" ranks carriers and is left to the superlatives."""
        f, g = self.form, self.layer.grammar
        if any(x.first("dimension") and self._is_which(k) for k, x in enumerate(self.spans)):
            return
        for i, s in enumerate(self.spans):
            fn = g.get("duration_extremes", {}).get(s.text) or g["aggregates"].get(s.text)
            how_many = s.first("unit") and i > 0 and self.spans[i - 1].text == "how many"
            if s.used or not (fn or how_many) or fn == "avg":  # a duration measure is already an average
                continue
            nxt = self.next_content(i)
            averaged = None
            if how_many and nxt is not None and not nxt[1].used and g["aggregates"].get(nxt[1].text) == "avg":
                # "how many days on average does DHL take to deliver": the duration is an average already
                averaged, nxt = nxt[1], self.next_content(nxt[0])
            while nxt is not None and not nxt[1].used and self.values_of(nxt[1]) and not (
                    nxt[1].first("measure") or nxt[1].first("entity")):
                nxt = self.next_content(nxt[0])  # "longest DHL delivery": past the value naming whose parcels
            if nxt is None or nxt[1].used:
                continue
            measure = nxt[1].arg("measure") if nxt[1].first("measure") else None
            entity = nxt[1].arg("entity") if nxt[1].first("entity") else None
            duration = measure if measure and self.layer.measures[measure].get("row_sql") else \
                g.get("duration_of_entity", {}).get(entity or "")
            if not duration:
                continue
            ranked = any(x.first("number") or x.text in ("list", "top") for x in self.spans[max(0, i - 3):i])
            if ranked and not how_many and not self.form.dimensions and not any(
                    x.first("dimension") for x in self.spans):
                # "top 5 longest deliveries": parcels ranked one by one by their own time, not a figure
                raise NotUnderstood("I can give the longest or shortest delivery time (overall or per carrier), "
                                    "not a list of parcels ranked by their delivery time",
                                    hint="e.g. 'longest delivery time per carrier in 2025'")
            if how_many:  # "how many days did delivery take": the duration itself, in that unit
                f.unit = s.arg("unit")
                f.measures.append(duration)
                self.spans[i - 1].used = True
                if averaged is not None:
                    averaged.used = True
            else:
                f.measures.append(f"{fn}:{duration}")
            self._unit_in_words(nxt[1])
            s.used = nxt[1].used = True
            for k, x in enumerate(self.spans):  # "did delivery take", "has taken to be delivered": its own verbs
                if x.text in ("take", "taken", "takes", "took") and not x.used:
                    x.used = True
                    after = [y for y in self.spans[k + 1:k + 4] if y.text in g["events"]]
                    if after and [y.text for y in self.spans[k + 1:k + 3]] == ["to", "be"]:
                        after[0].used = True

    def _counts(self) -> None:
        f = self.form
        for i in range(len(self.spans) - 2):
            # "how much of the Makita Hammer do we have in each warehouse": a named product's pieces held, as "how
            # many Makita Hammers do we have" (was: its stock records counted, or its catalog row listed)
            how, much = self.spans[i:i + 2]
            nxt = self.next_content(i + 1)
            if how.text == "how" and much.text == "much" and not how.used and nxt is not None \
                    and any(dim == "product" for dim, _ in self.values_of(nxt[1])) and self._items_of_stock(nxt[0], nxt[0]):
                how.used = much.used = True
                f.notes.append("count:stock")
                if "count" not in f.measures:
                    f.measures.append("count")
        self._same_things_counted_twice()
        for i, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "count"):
                continue
            nxt = self.next_content(i)
            s.used = True
            counted = self.spans[i - 1].first("entity") if i > 1 and s.text == "count" else None
            listed = next((str(x.arg("entity")) for x in self.spans[:i - 1] if x.first("entity")), None)
            own = self._thing_dimension(listed)
            if counted and self.spans[i - 2].text in ("their", "its") and f.subject is None and own \
                    and listed != counted[1] and own not in f.dimensions \
                    and not any(x.field == f"count:{counted[1]}" for x in f.filters):
                # "business customers in Tampere with their order count": each one's count of its orders beside
                # them (was the customers counted), as "with their number of orders" below
                f.subject = listed
                f.show.append(f"count:{counted[1]}")
                self.spans[i - 1].used = True
                self.counts_shown.add(i - 1)
                continue
            if nxt is not None and nxt[1].text in ("each", "apiece") and self.next_content(nxt[0]) is None and \
                    s.text == "how many" and i > 0 and self.spans[i - 1].text in ("with", "and") and \
                    any(x.field.startswith("count:") for x in f.filters):
                # "customers with more than 2 returned orders, and how many each": as "with how many" below
                nxt[1].used = True
                continue
            # "orders from Norway last year, how many? Norwegian customers only": a question mark closes the
            # count asked after the things; what follows it is a sentence of its own (not the things counted)
            closed = s.text == "how many" and len(re.findall(r"\bhow\s+many\b", self.question, re.I)) == 1 and \
                re.search(r"\bhow\s+many\s*\?", self.question, re.I) is not None and i > 0
            if nxt is None or closed:
                # "..., how many?"; "paid orders not shipped yet — count": a count asked after a dash or comma
                # the word as written: a mended slip ("coutn") is the same count
                written = "|".join(re.escape(a) for a, b in [*self.corrections, ("count", "count")] if b == "count")
                # ("... in 2026 - count them": the things just named, counted; was: listed)
                tail_count = s.text == "count" and re.search(rf"[—–,:;-]\s*(?:{written})(?:\s+(?:them|those|these)"
                                                             rf"(?:\s+all)?)?\W*$", self.question,
                                                             re.IGNORECASE)
                before = self.prev_content(i)
                said_before = self.spans[i - 1].text if i > 0 else ""
                if s.text == "how many" and said_before in ("with", "and") and \
                        any(x.field.startswith("count:") for x in f.filters):
                    # "customers with more than 2 open orders, with how many": the count the condition is on,
                    # shown beside each one (a list of them), not how many of them there are
                    continue
                if "count" not in f.measures and (s.text == "how many" or tail_count):
                    f.measures.append("count")
                elif s.text == "count" and before is not None and before[1].first("entity") and not any(
                        t.text in pointing_back(self.layer) for t in self.spans):
                    # "what about order count": a count of the things named right before it
                    f.subject = f.subject or before[1].arg("entity")
                    f.measures.append("count")
                    before[1].used = True
                elif s.text != "how many":
                    s.used = False  # "their order count": not placed, so not guessed
                    self.unplaced.append(s)  # a stop word too, but here it asked for a count: refused if left
                continue
            j, t = nxt
            if not t.used and t.text in self.layer.grammar.get("counted_restated", {}).get("before", []):
                # "the number of such warehouses": the places counted; the pointing word is placed only where it
                # restates a count shown beside each row (reading/counted_places.py), else left and refused
                past = self.next_content(j)
                if past is not None and past[1].first("dimension") and not past[1].first("entity"):
                    j, t = past
            if t.first("measure") and t.arg("measure") in ("units_sold", "stock"):
                continue  # "how many units": the measure itself
            ent = t.first("entity")
            if ent is None and t.first("dimension"):
                # "how many categories": distinct values of a dimension
                dim = t.arg("dimension")
                f.notes.append(f"count_distinct:{dim}")
                t.used = True
                continue
            if ent is None:
                # "how many open orders": skip predicates/values before the entity
                k = j
                while nxt is not None and (nxt[1].first("predicate") or self.values_of(nxt[1]) or nxt[1].first("activity")) \
                        and not nxt[1].first("entity"):
                    k = nxt[0]
                    nxt = self.next_content(k)
                if nxt is not None and nxt[1].first("measure"):
                    continue  # "how many Makita units": the measure itself
                if nxt is None or not nxt[1].first("entity"):
                    named = [self.layer.dimensions[d]["column"].split(".")[0] for d, _ in self.values_of(t)
                             if d in self.layer.dimensions]
                    owner = next((n for n, e in self.layer.entities.items() if named and e["table"] == named[0]), None)
                    if owner and k == j and any(x.field == f"count:{owner}" for x in f.filters) and any(
                            x is not t and set(self.values_of(x)) & set(self.values_of(t)) for x in self.spans):
                        # "customers with more than two orders cancelled ... the number of cancellations": the
                        # orders the condition counts, each customer's (not a count of the customers)
                        own = self._thing_dimension(f.subject or "")
                        if own and own not in f.dimensions:
                            f.dimensions.append(own)
                        f.subject = owner
                        if "count" not in f.measures:
                            f.measures.append("count")
                        t.used = True
                        continue
                    if any(x.has("activity", "sales") for x in self.spans):
                        # "how many (Bosch drills) did we sell": units, not orders (the orders are no things
                        # sold); a new question reads it so (_decide_kind), a follow-up keeps the unnamed count
                        f.notes.append("count:sold")
                    elif self._items_of_stock(j, k):
                        f.notes.append("count:stock")  # "how many Bosch Garden Hoses do we have in Vantaa"
                    elif f.subject is None and not f.measures and self._product_named(j, k) and \
                            not any(x.first("entity") or x.first("number") or x.text.startswith("__")
                                    for x in self.spans[k + 1:]):
                        # "how many copper pipes are there": products named, nothing said of holding or selling:
                        # their pieces in stock or the products themselves; not placed (was: orders counted); "how
                        # many X were on order 12" names the things they are counted in
                        s.used = False
                        self.unplaced.append(s)
                        continue
                    if "count" not in f.measures:  # "..., how many?": a count of whatever the subject is
                        f.measures.append("count")
                    continue
                t = nxt[1]
                ent = t.first("entity")
            back = i - 1  # "with their revenue and number of orders": the figures joined by "and" after "their"
            while back > 0 and (self.spans[back].text in ("and", ",", "the", "total") or
                                self.spans[back].first("measure") and not self.spans[back].used):
                back -= 1
            leading = {x.text for x in self.spans[max(0, i - 2):i]} | {self.spans[back].text}
            owner = next((x.arg("entity") for x in self.spans[:i] if x.first("entity")), None)
            # "customers with the number of orders each has placed": "each" after the counted things says it is
            # each one's count, as "their" before it does (was: 'each' not placed, refused)
            each_after = self.next_content(self.spans.index(t))
            each_after = each_after if each_after is not None and each_after[1].text in ("each", "apiece") and \
                "with" in leading else None
            if (leading & {"their", "its", "with their", "with its"} or each_after) and owner and owner != t.arg("entity") \
                    and f.subject in (None, owner) and self.layer.entities[owner].get("table") \
                    and any(d.get("entity") == owner for d in self.layer.dimensions.values()):
                if "count" in f.measures and not f.dimensions:
                    # "number of customers and their number of orders in Oslo": the things are counted, not listed,
                    # so there is no row for each one's count to stand beside (was: that count dropped)
                    raise NotUnderstood(f"the {owner} are counted, so I cannot show each one's number of {t.text} "
                                        "beside them", field=t.text,
                                        hint=f"list them with it, e.g. '{owner} with their number of {t.text}'")
                # "customers in Oslo with their number of orders": each customer's count beside them, not one
                # count of all their orders
                f.subject = owner
                f.show.append(f"count:{t.arg('entity')}")
                t.used = True
                if each_after is not None:
                    each_after[1].used = True
                self.counts_shown.add(j)
                continue
            also = self.spans[j + 2] if j + 2 < len(self.spans) and self.spans[j + 1].text == "and" else None
            if also is not None and s.text != "count" and also.first("entity") and not also.used and also.text.endswith("s") and \
                    self.layer.entities.get(str(also.arg("entity")), {}).get("table") != \
                    self.layer.entities.get(str(t.arg("entity")), {}).get("table"):
                # "how many customers and orders per city": two kinds of things counted in one answer (was: the
                # second dropped)
                raise NotUnderstood(f"I can count one kind of thing at a time here ({t.text} and {also.text} were "
                                    "both asked)", field=also.text,
                                    hint=f"ask for each count on its own, e.g. 'number of {also.text}'")
            # (a bare "count" is also a verb of instruction: "don't count cancelled orders", "count every order")
            if "count" in f.measures and f.subject is not None and f.subject != t.arg("entity") and s.text != "count" and \
                    self.layer.entities.get(str(t.arg("entity")), {}).get("table") != \
                    self.layer.entities.get(f.subject, {}).get("table"):
                # "number of orders and number of customers in Oslo": two kinds of things counted in one answer
                # (was: the second count dropped, the first alone answered)
                raise NotUnderstood(f"I can count one kind of thing at a time here ({f.subject} and {t.text} "
                                    "were both asked)", field=t.text,
                                    hint=f"ask for each count on its own, e.g. 'number of {t.text}'")
            f.subject = f.subject or t.arg("entity")
            if "count" not in f.measures:
                f.measures.append("count")
            t.used = True

    def _same_things_counted_twice(self) -> None:
        """"number of orders, and number of those orders with a discounted line", "how many orders in 2025 and how
        many of them were cancelled": the same things counted twice, under different conditions, is two figures the
        form cannot hold apart (was: the second count's condition put on the first, one count answered). The refusal
        is kept in ``counted_twice`` and raised after the readings of two figures in one row (``reading/beside_all``),
        which may place both counts."""
        counted: list[str] = []
        said_values: dict[str, set[str]] = {}
        for i, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "count") or s.text == "count":
                continue
            said = [x.text for x in self.spans[i + 1:i + 3]]
            nxt = self.next_content(i)
            if nxt is None:
                continue
            j, t = nxt
            if said[:1] in (["those"], ["these"], ["them"]) or said[:1] == ["of"] and said[1:] in (
                    ["them"], ["those"], ["these"]):
                if counted:
                    self.counted_twice = NotUnderstood(
                        f"two counts of {counted[0]} were asked, the second of some of them; I can give one count at "
                        "a time", field=s.text, hint=f"ask each on its own, e.g. 'number of {counted[0]}' and then the other")
                    return
                continue
            dims: set[str] = set()
            while t.first("predicate") or self.values_of(t):
                dims |= {d for d, _ in self.values_of(t)}
                after = self.next_content(j)
                if after is None:
                    break
                j, t = after
            if t.first("entity") and t.text.endswith("s"):
                # ("by segment - how many consumers and how many business accounts": each count a value of the
                # grouping asked, the breakdown itself)
                split = bool(dims) and dims <= set(self.form.dimensions) and dims == said_values.get(str(t.arg("entity")))
                said_values.setdefault(str(t.arg("entity")), dims)
                if t.arg("entity") in counted and not split:
                    self.counted_twice = NotUnderstood(
                        f"two counts of {t.text} were asked, under different conditions; I can give one count at a "
                        "time", field=s.text, hint=f"ask each on its own, e.g. 'number of {t.text}' and then the other")
                    return
                counted.append(str(t.arg("entity")))

    def _held_not_sold(self) -> bool:
        """"which product do we have the most of (in the warehouses)": a ranking of things held (a phrase of
        holding or a verb of keeping), nothing said of selling, buying or a period, ranks them by what is held
        (the layer's ``ranking_default_held``; was: by units sold)."""
        keeping = {s.text for s in self.spans} & set(self.layer.grammar.get("stock_verbs", []))
        if not (keeping or phrase_said(self.layer.grammar.get("holding_phrases", []), self.question)):
            return False
        return not self.periods and not any(n.startswith("activity:") for n in self.form.notes) and not any(
            s.first("activity") for s in self.spans)

    def _product_named(self, first: int, last: int) -> bool:
        """A product (by name) or a kind of product is said among spans first..last."""
        return any(dim == "product" for k in range(first, last + 1) for dim, _ in self.values_of(self.spans[k])) or \
            any(self.spans[k].first("product_kind") for k in range(first, last + 1))

    def _items_of_stock(self, first: int, last: int) -> bool:
        """"how many <a product> ... in Vantaa / sitting": the items counted are a product's pieces in
        stock (the words name no thing counted, a product is named, and a warehouse or a keeping verb)."""
        named = [v for k in range(first, last + 1) for v in self.values_of(self.spans[k])]
        # ("how many copper pipes do we have": a kind of product said without its brand names products too)
        if not any(dim == "product" for dim, _ in named) and not any(
                self.spans[k].first("product_kind") for k in range(first, last + 1)):
            return False
        keeping = set(self.layer.grammar.get("stock_verbs", []))
        if phrase_said(self.layer.grammar.get("holding_phrases", []), self.question):
            return True  # "how many Bosch Garden Hoses do we have": what is held, not orders
        return any(s.text in keeping or s.has("dimension", "warehouse")
                   or any(dim == "warehouse" for dim, _ in self.values_of(s)) for s in self.spans)

    def _whole_of_share(self, i: int) -> bool:
        """"what fraction of their shipments": the things right after a share word are its whole (for Oslo
        customers, their parcels are counted, not the customers)."""
        k = i - 1
        while k > 0 and self.spans[k].text in ("of", "their", "the", "all", "his", "her"):
            k -= 1
        return k < i - 1 and self.spans[k].has("grammar", "share")

    def _fraction_scale_said(self) -> None:
        """"on-time rate for Schenker last month (0 to 1)": a bracketed 0-to-1 range beside a share says its scale,
        the fraction a share already is (was: refused, '0' and '1' not placed); a percent asked stays refused."""
        f = self.form
        if (f.derived or {}).get("kind") != "share" or (f.derived or {}).get("scale") != "fraction" or \
                not re.search(r"\(\s*0\s*(?:to|-|–)\s*1\s*\)", self.question) and not re.search(
                    # "Share 0-1 please.", "as a 0 to 1 fraction": the range said beside a share word
                    r"\b(?:share|fraction|proportion|rate|ratio)\s+(?:as\s+)?0\s*(?:to|-|–)\s*1\b|"
                    r"\b0\s*(?:to|-|–)\s*1\s+(?:share|fraction|proportion|rate|ratio|scale)\b", self.question, re.I):
            return
        self._range_placed(1.0)

    PERCENT_SCALE = re.compile(
        r"\(\s*0\s*(?:to|-|–)\s*100\s*(?:%|scale)?\s*\)"
        r"|\b(?:as|in|on)\s+(?:a\s+)?(?:percentage\s+|percent\s+)?0\s*(?:to|-|–)\s*100\b(?!\s*(?:eur|€|euros?|units?)\b)"
        r"|\b(?:percent|percentage)\s*\(?\s*0\s*(?:to|-|–)\s*100\b"
        r"|\b0\s*(?:to|-|–)\s*100\s+(?:scale|please|pls)\b"
        r"|[?.]\s*0\s*(?:to|-|–)\s*100\s*(?:please|pls)?\s*[.!]?\s*$", re.I)

    def _percent_scale_said(self) -> None:
        """"What percent (0-100) of active products are low stock?", "share of units in stock, as a percentage 0-100",
        "percent growth ..., as 0-100": a 0-to-100 range said as the scale of a share asked in percent (or of a growth
        in %) restates it (was: refused, '0' and '100' not placed); beside a fraction, or as an amount, it stays
        unplaced."""
        f = self.form
        derived = f.derived or {}
        percent = derived.get("kind") == "share" and derived.get("scale") == "percent" or \
            derived.get("kind") == "growth" and not derived.get("absolute")
        if not percent or not self.PERCENT_SCALE.search(self.question):
            return
        self._range_placed(100.0, then=("scale",))

    def _range_placed(self, top: float, then: tuple[str, ...] = ()) -> None:
        """The first unplaced range from 0 to ``top`` ("0 to 1", "0-100") placed, with a word of ``then`` right
        after it ("0-100 scale"): the scale a share or percent was already read in."""
        for k in range(len(self.spans) - 1):
            zero, between = self.spans[k:k + 2]
            end = self.spans[k + 2] if k + 2 < len(self.spans) else between
            if zero.has("number", 0.0) and end.has("number", top) and between.text in ("to", "-", "–") \
                    and not zero.used and not end.used:
                placed, after = [zero, between, end], k + 3
            elif zero.has("number", 0.0) and between.has("number", top) and not zero.used and not between.used:
                placed, after = [zero, between], k + 2  # "0-1": the dash is not a word of its own
            else:
                continue
            if after < len(self.spans) and self.spans[after].text in then:
                placed.append(self.spans[after])
            for x in placed:
                x.used = True
            return

    def _units_said_of_a_figure(self) -> None:
        """"show the shortfall in units", "stock in units": "in units" after a figure counted in units is that
        figure's own unit, not a second figure (was: units sold added, and the ranking moved to it)."""
        f = self.form
        for k, s in enumerate(self.spans):
            if s.text != "units" or not s.has("measure", "units_sold") or "units_sold" not in f.measures:
                continue
            if k < 2 or self.spans[k - 1].text != "in":
                continue
            figure = self.spans[k - 2]
            named = str(figure.arg("measure")) if figure.first("measure") else None
            if not named or named == "units_sold" or named not in f.measures \
                    or self.layer.measures.get(named, {}).get("unit") != "units":
                continue
            if any(x is not s and x.has("measure", "units_sold") for x in self.spans):
                continue
            f.measures.remove("units_sold")
            if f.order_by == "units_sold":
                f.order_by = named
            s.used = self.spans[k - 1].used = True

    def _units_of_stock(self) -> None:
        """"how many units are in stock": units are the stock's unit, not units sold."""
        f = self.form
        for k, s in enumerate(self.spans[1:], 1):
            if "stock" in f.measures and s.text == "left" and not s.used and self.spans[k - 1].text in (
                    "have", "has", "is", "are", "got"):
                s.used = True  # "how much stock of it do we have left": the stock on hand (what is left)
        bare_units = any(s.text == "units" and s.has("measure", "units_sold") for s in self.spans)
        # ("sold the most units this year but is at or below its reorder level in at least one warehouse": the
        # warehouse said as the scope of a stock condition, held in some one of them, is that condition's, not a
        # place the units are in; was: units read as stock)
        scoped = "each:warehouse" in f.notes and ("activity:sales" in f.notes or any(
            s.has("activity", "sales") or s.has("ranking", "units_sold") or s.has("mover") for s in self.spans))
        inventory = "stock" in f.measures or "warehouse" in f.dimensions or f.filter_on("warehouse") is not None or \
            any(s.has("dimension", "warehouse") and not (scoped and s.used) for s in self.spans)  # "across all warehouses"
        # "which product do we hold the most units of": a verb of keeping, and nothing said of selling
        keeping = {s.text for s in self.spans} & set(self.layer.grammar.get("stock_verbs", []))
        inventory = inventory or bool(keeping) and not any(n == "activity:sales" for n in f.notes)
        # "Bosch products we have fewer than 500 units of": units held (a phrase of holding), nothing said of
        # selling or buying, nor a period the units would be counted over
        inventory = inventory or phrase_said(self.layer.grammar.get("holding_phrases", []), self.question) \
            and not self.periods and not any(
                n.startswith("activity:") for n in f.notes) and not any(s.first("activity") for s in self.spans)
        # "(over 300 on hand in Vantaa) that sold fewer than 5 units": a bound said right after a verb of
        # selling is of the units sold, whatever else the question says of stock
        sold_bounds = set()
        for i, s in enumerate(self.spans):
            before, after = self.prev_content(i), self.next_content(i)
            if s.first("comparator") and before is not None and before[1].has("activity", "sales") and \
                    after is not None and after[1].first("number"):
                sold_bounds.add(after[1].arg("number"))
            if s.first("number") and after is not None and after[1].has("measure", "units_sold") and \
                    after[1].text != "units":
                sold_bounds.add(s.arg("number"))  # "with fewer than 30 units sold": a bound on the units sold
        units = next((k for k, s in enumerate(self.spans) if s.text == "units"), None)
        if units is not None and not any(s.first("activity") for s in self.spans) and any(
                s.first("predicate") and s.text.endswith("in stock") and "inventory." in self.layer.predicates.get(
                    s.arg("predicate"), {}).get("sql", "") for s in self.spans[units + 1:]):
            inventory = True  # "how many units are still in stock": the units the stock condition holds
        if units is not None and not self.periods and not any(s.first("activity") for s in self.spans) and any(
                s.first("predicate") and "inventory." in self.layer.predicates.get(s.arg("predicate"), {}).get(
                    "sql", "") for s in self.spans[:units]) and not any(
                x.text == "with" for x in self.spans[max(0, units - 4):units]):
            # "inactive products that still have stock left: how many units?": a stock condition said first, nothing
            # said of selling nor a period to sell in, the units are those held (was: units sold); "..., with their
            # units" stays a column shown beside each (stock and units sold)
            inventory = True
        previous = getattr(self, "context", None)
        if units is not None and previous is not None and not self.periods and previous.period is None and \
                not any(s.first("activity") for s in self.spans) and \
                not any(n.startswith("activity:") for n in previous.notes) and not previous.measures and any(
                "inventory." in self.layer.predicates.get(p, {}).get("sql", "") for p in previous.predicates):
            # "how many units is that in total?" after "which discontinued products still have stock on hand?":
            # the units those products hold (a stock condition before, nothing said of selling; was: units sold)
            inventory = True
        if bare_units and inventory:
            for x in f.filters:  # "fewer than 60 units across all warehouses": units in stock
                if x.field == "units_sold" and not set(x.values) <= sold_bounds:
                    x.field = "stock"
        # ("total stock and units sold of products that sold fewer than 30 units": units sold named in its own words,
        # not beside a number or a comparator of a condition, is asked as well as the stock; was: dropped for the
        # bare "units" of the condition)
        asked = any(s.has("measure", "units_sold") and s.text != "units" and not any(
            x is not None and (x[1].first("number") or x[1].first("comparator"))
            for x in (self.prev_content(k), self.next_content(k))) for k, s in enumerate(self.spans))
        if bare_units and inventory and "units_sold" in f.measures and not asked:
            f.measures.remove("units_sold")
            if "stock" not in f.measures:
                f.measures.append("stock")
            if f.order_by == "units_sold":
                f.order_by = "stock"

    def _unit_in_words(self, s: Span) -> None:
        """"delivery hours", "hours to deliver": a time unit inside a duration measure's own words is its unit."""
        spec = self.layer.measures.get(s.arg("measure") or "", {}) if s.first("measure") else {}
        if not spec.get("units") or self.form.unit:
            return
        units = self.layer.grammar.get("units", {})
        named = [units[w] for w in s.text.split() if w in units]
        if named and named[0] in spec["units"]:
            self.form.unit = named[0]

    def _after_article(self, k: int) -> bool:
        """Whether span k follows "a", "an" or "each", with only values or conditions read between ("a delivered")."""
        j = k - 1
        while j > 0 and self.spans[j].used and (self.values_of(self.spans[j]) or self.spans[j].first("predicate")):
            j -= 1
        return self.spans[j].text in ("a", "an", "each", "one")

    def _average_over_periods(self) -> None:
        """"average monthly revenue in 2025", "average revenue per month", "median weekly orders": each
        period's figure first, then their average (or median); one figure, not a row per month."""
        f = self.form
        word = next((x for x in self.spans if not x.used and x.has("grammar", "average")), None)
        if word is not None and len(f.measures) == 1 and (f.measures == ["count"] or f.measures[0] in self.layer.measures) \
                and not f.grain and not f.dimensions and not f.derived and not f.order_by and not f.limit:
            # "on average, how many order lines does an order placed in 2026 have": lines per order, averaged;
            # "on average, how many units are in a delivered order": units per order (a value may come between)
            one = next((x for k, x in enumerate(self.spans) if k > 0 and self._after_article(k)
                        and x.first("entity") and not x.text.endswith("s")
                        and (x.arg("entity") != f.subject or f.measures != ["count"])
                        and any(d.get("entity") == x.arg("entity") for d in self.layer.dimensions.values())), None)
            if one is not None and f.subject and (f.subject != one.arg("entity") or f.measures != ["count"]):
                word.used = one.used = True
                f.derived = {"kind": "average_per", "entity": one.arg("entity")}
                return
        if not f.grain or f.dimensions or f.derived or len(f.measures) != 1 or f.order_by or f.limit:
            return
        if f.measures[0] not in self.layer.measures and f.measures[0] != "count":
            return
        word = next((x for x in self.spans if not x.used and (x.has("grammar", "average") or x.text == "median")),
                    None)
        grain_at = next((k for k, x in enumerate(self.spans) if x.first("grain") and x.used), None)
        if word is None or grain_at is None or self.spans.index(word) > grain_at:
            return
        word.used = True
        spec = self.layer.measures.get(f.measures[0], {})
        if word.text != "median" and str(spec.get("sql") or spec.get("line_sql") or "").upper().startswith("AVG("):
            # "avg delivery time per month", "average order value per quarter": the figure is an average
            # already, so the word restates it; one row per period, not an average of the periods' averages
            return
        f.derived = {"kind": "average_per", "grain": f.grain, "fn": "median" if word.text == "median" else "avg"}
        f.grain = None

    def _figure_restated(self) -> None:
        """"which five products generated the most revenue? Include the revenue figure for each", "top five
        customers by revenue, with the revenue for each": a figure already asked, named again to be shown beside
        each thing (or "defined as" it), says nothing new ("include" is not a line's contents here, "for each" no new grouping)."""
        f = self.form
        for k, s in enumerate(self.spans):
            if not (s.first("measure") and s.arg("measure") in (*f.measures, *f.show, f.order_by) and s.used):
                continue
            before = self.prev_content(k)
            if before is not None and not before[1].used and before[1].text in ("include", "including", "includes"):
                before[1].used = True
            # "gross profit in 2025, defined as line revenue minus quantity times unit cost": the measure's
            # own definition, said after the measure was named, restates it
            if before is not None and not before[1].used and before[1].text in ("defined", "i.e.") \
                    and any(o.first("measure") and o.arg("measure") == s.arg("measure") for o in self.spans[:before[0]]):
                before[1].used = True
            after = self.next_content(k)
            # ("how much stock each?" closing a single total: no figure "for each", "each" left unplaced, never
            # dropped to give the sum; a follow-up's "each" is each of the previous rows)
            total = f.kind == "aggregate" and not (f.dimensions or f.grain or f.order_by or f.limit or f.derived) \
                and getattr(self, "context", None) is None and after is not None and after[0] == k + 1
            if after is not None and not after[1].used and after[1].text in EACH_WORDS \
                    and after[1].has("grammar", "group_by") and self.next_content(after[0]) is None and not total:
                after[1].used = True

    def _amount_of_measure(self, f: QueryForm) -> None:
        """"customers with more than 15,000 EUR of revenue, with the amount": the amount beside things that
        are not the orders is the money figure compared (their revenue), not each order's total (which
        would split every customer into its orders)."""
        own = self.layer.entities.get(f.subject or "", {}).get("table")
        figures = [m for m in dict.fromkeys([x.field for x in f.filters] + f.show + f.measures)
                   if m in self.layer.measures]
        for col in list(f.show):
            table, _, name = col.partition(".")
            entity = next((n for n, e in self.layer.entities.items() if e["table"] == table), None)
            if entity is None or table == own or self.layer.entities[entity].get("amount") != name:
                continue
            unit = self.layer.tables[table]["columns"][name].get("unit")
            same = [m for m in figures if self.layer.measures[m].get("entity") == entity
                    and self.layer.measures[m].get("unit") == unit]
            if (own or f.dimensions or f.grain) and len(same) == 1:
                f.show = [c for c in f.show if c != col]
                if same[0] not in f.show and same[0] not in f.measures:
                    f.show.append(same[0])

    def _duration_counted_from(self, f: QueryForm) -> None:
        """"delivered within 24 hours of shipping": the event a bounded duration is counted from (layer
        counted_from) restates the duration, no condition of its own."""
        since = {w for x in f.filters for w in self.layer.measures.get(x.field, {}).get("counted_from", []) if x.unit}
        for k, s in enumerate(self.spans):
            if not s.used and k > 0 and s.text in since and self.spans[k - 1].text in ("of", "after", "from"):
                s.used = True

    def _amount_not_count(self, f: QueryForm) -> None:
        """"how much was refunded for returned orders last month?": "how much" asks for an amount; when no
        amount was placed (only a number of things is left), counting them would answer another question.
        "how much was cancelled in 2025": the things of a lost status (layer lost_statuses) asked "how much" of
        are their worth summed (was a list of them)."""
        texts = [x.text for x in self.spans]
        much = "how much" in texts or any(texts[k:k + 2] == ["how", "much"] for k in range(len(texts)))
        worth = self.layer.entities.get(f.subject or "orders", {}).get("worth")
        lost = set(self.layer.grammar.get("lost_statuses", []))
        status = [x for x in f.filters if x.field == "status"]
        amount = f"{self.layer.entities['orders']['table']}.{worth}" if worth else ""
        # the status is what "how much" is of: "how much (value) was cancelled", not "how much was refunded for
        # returned orders" (a refund is no amount I hold)
        k = next((k for k, t in enumerate(texts) if t == "how much" or texts[k:k + 2] == ["how", "much"]), -1)
        k += 1 if k >= 0 and texts[k] == "how much" else 2
        while 0 < k < len(texts) and texts[k] in self.layer.grammar.get("lost_status_links", []):
            k += 1
        said = 0 < k < len(texts) and texts[k] in self.layer.grammar.get("lost_statuses", []) and any(
            d == "status" for d, _ in self.values_of(self.spans[k]))  # the status itself, not a synonym ("refunded")
        if much and said and worth and f.kind in ("list", "aggregate") and f.measures in ([], ["count"]) \
                and not (f.limit or f.order_by or f.derived or f.compare or f.lookup) and set(f.show) <= {amount} \
                and f.subject in (None, "orders") and len(status) == 1 and status[0].op in ("=", "in") \
                and status[0].values and {str(v) for v in status[0].values} <= lost \
                and not {"many", "how many", "number", "count"} & set(texts):
            f.kind, f.subject, f.measures, f.show = "aggregate", "orders", [f"sum:{amount}"], []
            return
        if f.measures != ["count"]:
            return
        if much and not {"many", "how many", "number", "count"} & set(texts):
            what = self.layer.entities.get(f.subject or "", {}).get("table", "things")
            raise NotUnderstood(f"'how much' asks for an amount, and the question names none I hold; I can count "
                                f"the {what}", field="question",
                                hint="ask 'how many ...' for a count, or name the amount (e.g. 'total value of ...')")

    def _share_of_dated_condition(self, f: QueryForm) -> None:
        """"share of repeat customers in 2025": the condition counts orders of its own (two or more), which the
        period would date, while a share's whole is dated by the things' own date; refused rather than read as the
        share among customers who signed up in 2025."""
        shared = ((f.derived or {}).get("condition") or {}).get("predicate")
        spec = self.layer.predicates.get(shared or "", {})
        if (f.derived or {}).get("kind") == "share" and spec.get("period_inside") and f.period \
                and f.period_field not in (None, "orders.order_date"):
            raise NotUnderstood(f"a share of {spec['label']} {spec['entity']} within a period: I cannot tell whether "
                                "the period dates their orders or their signup",
                                hint=f"e.g. 'how many {spec['label']} {spec['entity']} in 2025' or 'share of "
                                     f"{spec['label']} {spec['entity']}'")

    def _at_most_counted(self, f: QueryForm) -> None:
        """"how many customers have placed fewer than 3 orders": an upper bound on a count of related things admits
        those with none; a list joins the related rows outer (those with none at 0), but the count of the things
        keeps only those with some, so it is refused rather than answered without the ones that have none."""
        if f.kind != "aggregate":
            return
        for x in f.filters:
            counted = x.field.split(":")[1] if x.field.startswith("count:") else None
            if counted and counted != f.subject and x.op in ("<", "<=") and x.values and float(x.values[0]) > 0:
                plural = self.layer.entities[counted]["plural"] if counted in self.layer.entities else counted
                raise NotUnderstood(f"a count under an upper bound on the number of {plural} would leave out those "
                                    "with none", hint=f"list them instead, e.g. 'customers with fewer than 3 {plural}'")

    def _sold_products_counted(self, f: QueryForm) -> None:
        """"how many different products were sold in October": sold is the glossary's sales, order lines of orders
        not cancelled or returned (was every order line, a product only on cancelled orders counted); "how many sales
        lines", "order lines sold": the lines of those orders."""
        if f.subject in ("products", "order_lines") and f.measures == ["count"] and "activity:sales" in f.notes \
                and not f.filter_on("status") and not f.predicates and not f.derived and "units_sold" in self.layer.measures:
            flt = str(self.layer.measures["units_sold"].get("filter") or "")
            m = re.fullmatch(r"orders\.status NOT IN \(([^)]*)\)", flt)
            if m:
                f.filters.append(Filter("status", "not in", re.findall(r"'([^']+)'", m.group(1))))

    def _counted_per_itself(self, f: QueryForm) -> None:
        """"top 5 customers by revenue" -> "and the number of customers?": a count of things per one of those same
        things is 1 on every row, never what is asked; refused."""
        if f.kind != "aggregate":
            return
        for m in f.measures:
            entity = f.subject if m == "count" else m[6:] if m.startswith("count:") else None
            own = self._own_dimension(entity) if entity in self.layer.entities else None
            if own is not None and own in f.dimensions:
                plural = self.layer.entities[str(entity)]["plural"]
                raise NotUnderstood(f"the number of {plural} per {self.layer.entities[str(entity)]['singular']} is one "
                                    "each: I could not tell what to count",
                                    hint=f"e.g. 'how many {plural} ordered in total' or 'number of orders per "
                                         f"{self.layer.entities[str(entity)]['singular']}'")

    def _amount_not_counted(self) -> None:
        """"order value per channel", "order totals per status": an amount of each thing, per group, is a total
        or an average of it; never the count of the things (that would drop the amount named): refused, asking
        which."""
        amounts = [a for a in self.form.show if a.count(".") == 1 and self.layer.column(a)["type"] in ("INT", "DOUBLE")
                   and self.layer.column(a).get("unit")]
        if amounts:
            label = (self.layer.column(amounts[0]).get("synonyms") or [amounts[0]])[0]
            raise NotUnderstood(f"the {label} per group can be summed or averaged: say which",
                                hint=f"e.g. 'sum of the {label} per ...' or 'average {label} per ...'")

    def _how_much(self) -> bool:
        texts = [x.text for x in self.spans]
        return any(texts[k:k + 2] == ["how", "much"] for k in range(len(texts) - 1)) and "many" not in texts

    def _one_product_per_stock_place(self, f: QueryForm) -> bool:
        """"Bosch Paint Roller per warehouse": one named product and a place of its stock (a dimension of the stock
        measure's table) with nothing else said is the product's stock in each place (was: the places holding it,
        each with a count of 1, a figure that says nothing). "which warehouses have X" (a question word, a verb) and
        a category or brand per warehouse are not touched."""
        if len(f.dimensions) != 1 or f.predicates or f.period or len(f.filters) != 1 or \
                f.filters[0].field != "product" or f.filters[0].op != "=" or len(f.filters[0].values) != 1:
            return False
        stock = self.layer.measures.get("stock")
        column = self.layer.dimensions.get(f.dimensions[0], {}).get("column", "")
        if stock is None or not column or \
                not re.search(rf"\b{re.escape(column.split('.')[0])}\.", str(stock.get("sql", ""))):
            return False
        if not all((sp.first("value") is not None and sp.arg("value") == "product") or sp.has("grammar", "group_by")
                   or sp.has("dimension", f.dimensions[0]) or sp.text == "the" for sp in self.spans):
            return False
        f.measures, f.subject = ["stock"], str(stock.get("entity") or "products")
        return True

    def _how_much_per_group(self, subject: str) -> bool:
        """"how much was cancelled per channel": "how much" of things named by a condition, per group, is their
        amount summed in each group (not a count of them); with no condition it is refused (revenue or a total
        of every order's amount would both be guesses)."""
        f = self.form
        entity = self.layer.entities[subject]
        amount = entity.get("amount") if entity.get("period") else None  # (a price summed is no figure)
        if not amount or not self._how_much() or f.compare or f.derived:
            return False
        if not (f.filters or f.predicates):
            raise NotUnderstood("'how much' per group: say which figure (a total amount, revenue or a count)",
                                hint="e.g. 'revenue per channel' or 'number of orders per channel'")
        f.measures = [f"sum:{self.layer.entities[subject]['table']}.{amount}"]
        return True

    def _growth_bound(self, f: QueryForm) -> None:
        """"which categories grew revenue by more than 50% from Q3 2025 to Q3 2026": the groups whose growth in
        percent passes the bound."""
        bound = getattr(self, "growth_bound", None)
        derived = f.derived or {}
        if bound is None or derived.get("kind") != "growth" or not f.compare_period or derived.get("absolute") \
                or f.kind != "aggregate" or not (f.dimensions or f.subject in ("products", "customers")):
            return
        op, value, words = bound
        f.derived = {**derived, "bound": {"op": op, "value": value}}
        for s in words:
            s.used = True
        # the ranking a bare "which" would get is not asked: every group past the bound
        if f.order_by is None:
            f.limit = None

    def _share_bound(self, f: QueryForm) -> None:
        """"which categories made up more than 12.5% of total 2025 sales", "brands with a share of revenue above
        10%": the groups whose share of the total of the one figure asked passes the bound (a share of a condition,
        of no grouping, or of two figures stays unplaced: refused)."""
        bound = getattr(self, "share_bound", None)
        if bound is None:
            return
        op, value, words, of_total = bound
        derived = f.derived or {}
        if f.kind != "aggregate" or not (f.dimensions or f.grain) or len(f.measures) != 1 or f.compare \
                or f.compare_period or f.per_group or f.within:
            return
        if derived and (derived.get("kind") != "share" or derived.get("condition") or derived.get("bound")
                        or derived.get("together")) or not derived and not of_total:
            return
        f.derived = {**derived, "kind": "share", "scale": derived.get("scale", "percent"),
                     "bound": {"op": op, "value": value}}
        # ("which categories each made up more than ..."): "each" right after the groups named, before the bound, is
        # each of those groups
        at = next(k for k, x in enumerate(self.spans) if x is words[0])
        words += [x for k, x in enumerate(self.spans[1:at], start=1) if x.text == "each" and not x.used
                  and self.spans[k - 1].first("dimension") and self.spans[k - 1].arg("dimension") in f.dimensions]
        for s in words:
            s.used = True
        # the ranking a bare "which" would get is not asked: every group past the bound
        if f.order_by is None:
            f.limit = None

    def _growth_chronological(self, f: QueryForm) -> None:
        """"which brand grew the most, 2024 vs 2025", "the biggest fall in units, Q1 2025 versus Q1 2026": a growth
        (or fall) between two periods named is always from the earlier one to the later one, whichever is named
        first (was: the first named taken as the current one, so the biggest rise was answered as the biggest
        fall)."""
        # ("how much more in March than in April": a gap asked between the periods in the order said, not a growth)
        if (f.derived or {}).get("kind") == "growth" and f.period and f.compare_period \
                and f.period.start_date < f.compare_period.start_date and "more_than" not in (*f.notes, *self.form.notes):
            f.period, f.compare_period = f.compare_period, f.period
            way = (f.derived or {}).get("direction")
            if f.derived is not None and way in ("up", "down"):
                # "which categories sold less in Q2 than in Q3": lower in the earlier period is higher in the later
                # one, the periods now said the other way round (was: the direction kept, the answer inverted)
                f.derived["direction"] = "down" if way == "up" else "up"
        if (f.derived or {}).get("kind") == "growth" and f.period and f.compare_period:
            # "which channel grew revenue the most between Q3 2025 and Q3 2026": "between" the two periods compared
            # says what "from ... to" says (was: 'between' unplaced, refused)
            slot = re.compile(r"__period\d+__")
            for k, s in enumerate(self.spans[:-3]):
                if not s.used and s.text == "between" and slot.fullmatch(self.spans[k + 1].text) and \
                        self.spans[k + 2].text == "and" and slot.fullmatch(self.spans[k + 3].text):
                    s.used = self.spans[k + 2].used = True

    def _growth_direction(self, f: QueryForm) -> None:
        """"which categories had a revenue decrease from Q2 to Q3", "which products grew in units from September
        to October": a growth word that says which way (the layer's growth_direction), asked of the groups with
        'which' and with no ranking, keeps the groups whose figure moved that way (as "sold less in Q3 than in
        Q2" does); the things asked about ("which products") are the groups when none is named."""
        table = self.layer.grammar.get("growth_direction", {})
        way = {w: d for d in ("up", "down") for w in table.get(d, [])}
        derived = f.derived or {}
        if derived.get("kind") == "growth" and f.compare_period and (f.limit or f.order_by) and (derived.get("fall") or (
                (said := [s.text for s in self.spans if s.has("grammar", "growth")])
                and all(way.get(w) == "down" for w in said))):
            # "the biggest drop", "decreased the most": the groups that went down the most are those with the lowest
            # change (was: the highest growth first, a silent wrong); the least fall is not read
            if f.direction != "desc" or f.order_by not in (None, *f.measures):
                raise NotUnderstood("I can rank the things that went down the most, not the least",
                                    hint="e.g. 'which category's revenue dropped the most from Q2 to Q3'")
            f.direction = "asc"
            if "growth_ranked_fall" not in f.notes:
                f.notes.append("growth_ranked_fall")  # (the answer says "biggest fall first")
            if derived.get("fall") and f.period and f.period.start_date < f.compare_period.start_date:
                # "the biggest drop, Q3 2025 vs Q3 2026": a fall is from the earlier period to the later one
                f.period, f.compare_period = f.compare_period, f.period
            if f.period and abs((f.period.end_date - f.period.start_date) - (
                    f.compare_period.end_date - f.compare_period.start_date)).days > 3:
                # "dropped the most from 2025 to this year": a year against ten months is no like-for-like fall
                raise NotUnderstood("the two periods are not of the same length, so a fall between them would "
                                    "mislead", hint="e.g. 'dropped the most from Jan-Oct 2025 to Jan-Oct 2026'")
            return
        if (f.derived or {}).get("kind") != "growth" or f.derived.get("direction") or not f.compare_period:  # type: ignore[union-attr]
            return
        if f.limit or "ranked" in f.notes or f.grain or f.per_group or f.compare or len(f.measures) != 1 \
                or f.order_by not in (None, f.measures[0]) or f.kind != "aggregate":
            return
        if any(s.first("superlative") or s.first("superlative_attribute") or s.first("number") for s in self.spans):
            return  # "which category grew the most", "the 3 brands that grew": a ranking
        said = [s.text for s in self.spans if s.has("grammar", "growth")]
        if not said or any(w not in way for w in said) or len({way[w] for w in said}) != 1:
            return  # "which categories changed", "grew or decreased": no one way
        sub_dim = self._thing_dimension(f.subject or "")
        # ("categories whose revenue fell in 2026", "brands where units sold went down": the groups named in the
        # plural, a clause of theirs after them, are those asked for, as "which categories ..." are; was: every
        # group listed, the way it moved dropped)
        asked = [s for k, s in enumerate(self.spans) if (self._is_which(k) or (
            k + 1 < len(self.spans) and self.spans[k + 1].text in ("whose", "where", "that", "which")
            and s.text.endswith("s") and not self.values_of(s))) and (
            (s.first("dimension") and s.arg("dimension") in f.dimensions and len(f.dimensions) == 1)
            or (not f.dimensions and sub_dim and s.first("entity") and s.arg("entity") == f.subject))]
        if len(asked) != 1:
            return
        if f.period and abs((f.period.end_date - f.period.start_date) - (
                f.compare_period.end_date - f.compare_period.start_date)).days > 3:
            # "categories whose revenue fell from 2025 to 2026": a year against ten months is no like-for-like move
            raise NotUnderstood("the two periods are not of the same length, so which way the figure moved between "
                                "them would mislead", hint="e.g. 'categories whose revenue fell from Jan-Oct 2025 "
                                                           "to Jan-Oct 2026'")
        if not f.dimensions and sub_dim:
            f.dimensions.append(sub_dim)
        f.derived = {**(f.derived or {}), "direction": way[said[0]]}
        f.order_by = None

    def _growth_ranked(self, f: QueryForm) -> None:
        """"which category grew the most from Q2 to Q3", "which brand's revenue fell the most": a growth verb that
        says which way (the layer's growth_direction) ranking the groups asks for the change itself, in the
        measure's own unit (as every dev writer read it; in percent only when a percent or rate is said, "grew
        the most in %"), and a fall ranks the biggest fall first (was: the growth in percent, highest first,
        the fall's direction dropped: a silent wrong)."""
        derived = f.derived or {}
        table = self.layer.grammar.get("growth_direction", {})
        way = {w: d for d in ("up", "down") for w in table.get(d, [])}
        if derived.get("kind") != "growth" or derived.get("direction") or derived.get("bound") \
                or not f.compare_period or not f.limit or f.kind != "aggregate":
            return
        said = [s.text for s in self.spans if s.has("grammar", "growth")]
        if not said or any(w not in way for w in said) or len({way[w] for w in said}) != 1:
            return  # "the highest growth", "top brands by revenue growth": the growth in percent, as the layer says
        percent = set(self.layer.grammar.get("percent_words", [])) | set(self.layer.grammar.get("rate_words", ["rate"]))
        if not derived.get("absolute") and any(s.text in percent or s.has("grammar", "share") for s in self.spans):
            return
        f.derived = {**derived, "absolute": True}
        # (a fall ranked was already turned to the biggest fall first, once, by _growth_direction)
        if way[said[0]] == "up" and "growth_ranked_fall" in f.notes:
            f.notes.remove("growth_ranked_fall")  # a follow-up that asks for growth after a fall

    def _summed_figures(self, f: QueryForm) -> None:
        """"products with over 700 on hand": a bound on a column of another table that the layer sums into a
        figure of the thing asked about bounds that figure (the glossary's stock of a product: its warehouses'
        rows summed), not one of its rows (one warehouse's record), which would keep a product once per row."""
        if f.subject not in self.layer.entities or any(n.startswith("each:") for n in f.notes):
            return
        table = self.layer.entities[f.subject]["table"]
        for k, x in enumerate(f.filters):
            if "." not in x.field or x.field.split(".")[0] == table:
                continue
            summed = [m for m, spec in self.layer.measures.items()
                      if spec.get("sql") == f"SUM({x.field})" and spec.get("entity") == f.subject]
            if len(summed) == 1:
                f.filters[k] = replace(x, field=summed[0])
                f.measures = [summed[0] if m == x.field else m for m in f.measures]

    def _measures_without_their_filter(self, f: QueryForm) -> None:
        """"revenue of cancelled orders": the glossary's revenue excludes them, so what is asked
        is the plain sum of those orders; the answer says so (the measure's name changes)."""
        if f.subject == "orders" and f.kind == "aggregate" and "count" in f.measures:
            # "how many orders contained more than 10 units": the units of each order counted, whatever
            # its status (the glossary's status filter would drop orders from the count unasked)
            for x in f.filters:
                plain = self.layer.measures.get(x.field, {}).get("without_filter")
                if plain and self.layer.measures[x.field].get("entity") == "orders":
                    x.field = plain
        statuses = {str(v) for x in f.filters if x.field == "status" and x.op in ("=", "in") for v in x.values}
        any_of = [self.layer.dimensions[n[4:]]["column"] for n in f.notes
                  if n.startswith("any:") and n[4:] in self.layer.dimensions]
        for k, m in enumerate(f.measures):
            spec = self.layer.measures.get(m, {})
            flt = spec.get("filter", "")
            if any_of and spec.get("without_filter") and any(col in flt for col in any_of):
                # "units of X across all orders (any status)": the plain sum, whatever the status
                f.measures[k] = spec["without_filter"]
                if f.order_by == m:
                    f.order_by = f.measures[k]
                continue
            if statuses and spec.get("without_filter") and "NOT IN" in flt.upper() and \
                    all(f"'{v}'" in flt for v in statuses):
                f.measures[k] = spec["without_filter"]
                if f.order_by == m:
                    f.order_by = f.measures[k]

    def _distinct_measures(self, f: QueryForm) -> None:
        for m in list(f.measures):
            if m.startswith("distinct:"):
                dim = m.split(":")[1]
                f.measures = ["count"]
                column = self.layer.dimensions[dim]["column"]
                table = column.split(".")[0]
                entity = next((n for n, e in self.layer.entities.items() if e["table"] == table), None)
                if dim in ("customer", "product"):
                    f.subject = entity
                elif "count_distinct:" + dim in f.notes and not f.dimensions and not f.grain:
                    # "in how many countries do we have customers": one number, the values counted
                    self._bound_per_value(f, dim, entity or "products")
                    f.measures = ["ndistinct:" + column]
                    f.subject = entity or "products"
                    self._holding_places(f, dim)
                elif "count_distinct:" + dim in f.notes and f.dimensions and not f.grain and \
                        not f.order_by and not f.limit and dim not in f.dimensions:
                    # "number of warehouses per product", "how many brands per category": how many different values
                    # each group holds (was: one row per value and group, each counting the table's rows)
                    self._bound_per_value(f, dim, entity or "products")
                    f.measures = ["ndistinct:" + column]
                    f.subject = entity or "products"
                    self._holding_places(f, dim)
                else:
                    # how many distinct values: group by the dimension (the rows are the values)
                    f.dimensions = [dim, *f.dimensions]
                    f.subject = entity or "products"
                    f.notes.append("values_of:" + dim)
                    self._holding_places(f, dim)

    def _bound_per_value(self, f: QueryForm, dim: str, subject: str) -> None:
        """"how many cities have revenue above 100,000", "how many categories have fewer than 15 products": a bound
        on a figure said of the values counted holds per value (per city), which the count of values does not test;
        it is read per thing only when the things are named ("cities with customers who spent over 5000")."""
        for x in f.filters:
            if not self.p.planner.is_measure(x.field) or self.layer.measures.get(x.field, {}).get("row_sql"):
                continue
            counted = x.field.split(":", 1)[1] if x.field.startswith("count:") else None
            named = any(s.first("entity") and s.arg("entity") == subject for s in self.spans)
            if x.field == "count" or counted == subject or not named:
                raise NotUnderstood(f"I can count the {dim} values, but not test a figure of each {dim} "
                                    f"({self._field_words(x.field)} {x.op} {x.values[0]})", field=dim,
                                    hint=f"ask for the figure per {dim}, e.g. '{self._field_words(x.field)} by {dim}'")

    def _field_words(self, field: str) -> str:
        if field.startswith("count:"):
            return "number of " + field.split(":", 1)[1]
        return str(self.layer.measures.get(field, {}).get("label") or field.replace("_", " ")).lower()

    def _check_units(self, f: QueryForm) -> None:
        durations = [m for m in f.measures + [x.field for x in f.filters]
                     if self.layer.measures.get(m.split(":")[-1], {}).get("units")]
        if f.unit and not durations:
            raise NotUnderstood(f"'{f.unit}' only applies to delivery times",
                                hint="e.g. 'average delivery time per carrier in hours'")
        if any(s.text == "money" for s in self.spans) and f.kind in ("aggregate", "list") and \
                not any(self._in_eur(m) for m in f.measures + [x.field for x in f.filters] + [f.order_by or ""]):
            # "how much money was refunded for returned orders": an amount is asked; a count of the orders
            # (the words around "money" that the lake does not hold left out) would answer something else
            raise NotUnderstood("'money' asks for an amount in EUR, and I found no amount in the question I "
                                "could compute", field="money", hint="e.g. 'revenue of web orders in 2025'")

    def _in_eur(self, measure: str) -> bool:
        """Whether a measure (a layer name or ``fn:table.column``) is an amount of money."""
        if ":" in measure:
            return measure.split(":")[-1].split(".")[-1] in ("total_amount", "unit_price", "unit_cost")
        return self.layer.measures.get(measure, {}).get("unit") == "EUR"

    def _named_before_share(self, candidates: list[Filter]) -> Filter | None:
        """"cancellation rate for store orders": the value right before the rate word is its condition (the
        store orders are what it is a rate of)."""
        for i, s in enumerate(self.spans):
            if i == 0 or not s.has("grammar", "share"):
                continue
            named = set(self.values_of(self.spans[i - 1]))
            hit = [x for x in candidates if any((x.field, str(v)) in named for v in x.values)]
            if len(hit) == 1:
                return hit[0]
        return None

    def _share_condition(self, f: QueryForm) -> None:
        """"percentage of orders that were returned": the share's condition is the question's own filter."""
        if f.dimensions and not f.filters and not f.predicates:
            return  # share of the total per group ("share of revenue by channel")
        candidates = [x for x in f.filters if x.field in self.layer.dimensions and x.field not in f.dimensions
                      and x.op in ("=", "in", "not in")]
        if f.dimensions and candidates:
            # "For Norway in 2025, what fraction of revenue did each category make up": a value named only before
            # the share word (not right before it, as in "store cancellation rate") scopes the groups' total
            scope = self._named_as_scope(candidates)
            candidates = [x for x in candidates if x not in scope]
            if not candidates and not f.predicates:
                return
        amounts = [x for x in f.filters if "." in x.field and x.field not in self.layer.measures
                   and x.op in ("<", "<=", ">", ">=", "between")]
        if not candidates and not f.predicates and not f.dimensions and len(amounts) == 1:
            # "what share of 2025 revenue came from orders over 1000 euros": the one bound on the things' own
            # column is the share's condition when nothing else is
            candidates = amounts
        grouped = [x for x in f.filters if x.field in f.dimensions and x.op == "=" and len(x.values) == 1]
        if not candidates and not f.predicates and len(grouped) == 1 and not any(
                self.layer.measures.get(x.field, {}).get("row_sql") for x in f.filters):
            # "(revenue by category) what share of the total did Kitchen account for": the one value named is
            # the share's condition, of the total over every group (was the value's share of itself: 1.0)
            f.dimensions.remove(grouped[0].field)
            candidates = grouped
        durations = [x for x in f.filters if self.layer.measures.get(x.field, {}).get("row_sql")]
        for x in list(durations[:-1]):
            if self._in_seconds(x) == self._in_seconds(durations[-1]):
                # "delivered within 48 hours (at most 2 days)": one bound said twice in two units is one condition,
                # the share's (kept beside it, every shipment counted would meet it: a share of 1)
                f.filters.remove(x)
                durations.remove(x)
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), len(self.spans))
        bracketed = " ".join(re.findall(r"\(([^()]*)\)", self.question.lower()))
        bounds: dict[str, dict] = {}
        for p in f.predicates:
            b = predicate_spec(self.layer, p).get("bound")
            if b and p not in self.layer.predicates:  # "on-time (delivered within 3 days)": not late
                b = {**b, "op": {">": "<=", ">=": "<", "<": ">=", "<=": ">"}[b["op"]]}
            if b:
                bounds[p] = b
        restated = None
        for x in [x for x in durations if bounds]:
            # "late delivery rate (share of shipments taking more than 3 days)", "share of late deliveries (more
            # than 3 days)": a bound in brackets, or beside the condition named before the share word, restates
            # it, which stays the share's; another bound there would be a second, unclear one
            number = f"{x.values[0]:g}"
            words = {number} | {w for w, n in NUMBER_WORDS.items() if f"{n:g}" == number}
            if not (any(re.search(rf"\b{w}\b", bracketed) for w in words) or any(
                    s.has("predicate", p) for p in bounds for s in self.spans[max(0, at - 2):at])):
                continue  # "share of late shipments that took more than 3 days": two conditions, as said
            if not any(x.field == b["measure"] and x.op == b["op"] and x.values == [b["value"]]
                       and (x.unit or self.layer.measures[x.field].get("unit")) == b["unit"] for b in bounds.values()):
                raise NotUnderstood(f"{' and '.join(bounds)} already has a bound "
                                    f"({'; '.join(predicate_spec(self.layer, p)['definition'] for p in bounds)}); "
                                    "I cannot tell which one the share is of", field="question")
            f.filters.remove(x)
            durations.remove(x)
            restated = next(p for p, b in bounds.items() if x.field == b["measure"])
        scale = {"scale": (f.derived or {}).get("scale", "fraction")}  # percent or fraction, as the question said
        if (f.derived or {}).get("of_all") or self._share_of_the_things_said(f) or self._whole_said_all(f):
            scale["of_all"] = True  # "out of all their shipments": the whole as said, kept
        if durations:  # "share of shipments delivered within 2 days"
            x = durations[-1]
            f.filters.remove(x)
            f.derived = {**scale, "kind": "share", "condition": {"filter": {"field": x.field, "op": x.op,
                                                                             "values": x.values, "unit": x.unit}}}
        elif f.predicates:
            p = restated or self._predicate_asked_as_share(f.predicates) or f.predicates[-1]
            # "late delivery % (share of delivered shipments)": a condition that only decides another one named
            # (late is known of delivered shipments) is the base, never the share (was: the share of late ones
            # that were delivered, 100%)
            p = next((q for q in f.predicates if q != p and predicate_spec(self.layer, q).get("decidable")
                      == predicate_spec(self.layer, p).get("sql")), p)
            f.predicates.remove(p)
            decides = predicate_spec(self.layer, p).get("decidable")
            # ("delivered late": the delivered that only decides lateness is the share's own base, said once)
            f.predicates = [q for q in f.predicates if predicate_spec(self.layer, q).get("sql") != decides]
            f.derived = {**scale, "kind": "share", "condition": {"predicate": p}}
        elif (had := self._had_one_as_share(f, candidates)) is not None:
            if had[0] is not None:
                f.filters.remove(had[0])
            f.derived = {**scale, "kind": "share", "condition": {"predicate": had[1]}}
        elif candidates:
            x = self._named_before_share(candidates) or candidates[-1]
            if self._named_as_share_base(x) and any(y.field.startswith("count:") or y.field in self.layer.measures
                                                   for y in f.filters):
                # "what percentage of our Finnish customers placed at least one order this year": the Finnish
                # customers are what the share is of; its condition is a count of their orders, which I
                # cannot take a share of (read the other way round it would be a wrong answer)
                raise NotUnderstood("I can take a share of things with a value or condition, not of things with "
                                    "a number of orders or an amount", field="question",
                                    hint="e.g. 'how many Finnish customers ordered this year'")
            f.filters.remove(x)
            f.derived = {**scale, "kind": "share",
                         "condition": {"filter": {"field": x.field, "op": x.op, "values": x.values}}}
        elif not f.dimensions:
            raise NotUnderstood("a share of what? I found no condition to take the share of",
                                hint="e.g. 'what percentage of orders were returned'")
        if f.measures and all(self.layer.measures.get(m, {}).get("row_sql") for m in f.measures):
            # (an average delivery time has no share; the SQL would not even parse)
            raise NotUnderstood("a share of an average delivery time is not a figure I can give",
                                hint="e.g. 'share of shipments delivered within 3 days by carrier'")
        if not f.measures:
            f.measures = ["count"]
            f.subject = f.subject or self._subject_from_condition(f)
        if f.kind != "aggregate":
            f.kind = "aggregate"

    def _in_seconds(self, x: Filter) -> tuple:
        """A bound on a duration as (measure, op, values in seconds), to tell one said in two units."""
        spec = self.layer.measures[x.field]
        seconds = (spec.get("units") or {}).get(x.unit or spec.get("unit") or "", 1)
        return x.field, x.op, [float(v) * seconds for v in x.values]

    def _share_of_the_things_said(self, f: QueryForm) -> bool:
        """"what share of shipments sent this year were delivered late", "fraction of Bring shipments sent in
        September that were delivered within two days": the share is of every thing named right after "<share>
        of" (by the entity's own plural, not "deliveries"), its condition said after them as what happened to
        them ("were delayed"): one not yet delivered is one not delivered late or in time, kept in the whole (was:
        of the delivered ones only). Not when the things are named delivered ("delivered shipments", "that have
        been delivered", "already delivered") or the condition is said as a rule ("are delivered within 2
        days")."""
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), None)
        if at is None or at + 1 >= len(self.spans) or self.spans[at + 1].text != "of" or not f.subject:
            return False
        plural = self.layer.entities.get(f.subject, {}).get("plural")
        n = at + 2
        while n < len(self.spans) and self.spans[n].text != plural:
            s = self.spans[n]
            if not (s.senses and all(x[0] in ("stop", "value") for x in s.senses)):
                return False  # "share of late shipments", "of delivered shipments": the whole is named otherwise
            n += 1
        if n >= len(self.spans) or not self.spans[n].has("entity", f.subject):
            return False
        after = self.spans[n + 1:]
        if any(s.text in ("are", "is") for s in after):
            return False
        conditions = 0
        for j, s in enumerate(after):
            if s.has("activity", "delivered"):
                nxt = after[j + 1] if j + 1 < len(after) else None
                if nxt is None or not (nxt.first("predicate") or nxt.first("comparator")):
                    return False  # "that have been delivered", "and already delivered": the delivered ones
            if s.first("predicate") or s.first("comparator"):
                conditions += 1
        return conditions > 0

    def _whole_said_all(self, f: QueryForm) -> bool:
        """"late shipments / all shipments shipped this year", "late ones out of all shipments": the whole of the
        share said as every one of the things counted (by the entity's own plural right after "all"), not only those
        whose condition is already decided (delivered ones)."""
        plural = self.layer.entities.get(f.subject or "", {}).get("plural")
        return bool(plural) and any(
            s.text == "all" and nxt.text == plural and nxt.has("entity", f.subject)
            for s, nxt in zip(self.spans, self.spans[1:], strict=False))

    def _had_one_as_share(self, f: QueryForm, candidates: list[Filter]) -> tuple[Filter | None, str] | None:
        """"what percent of customers in Sweden placed at least one order last quarter": the things named after
        "<share> of" are the whole; having at least one related row (the layer's predicate that says it) is the
        part, its period on those rows."""
        one = [y for y in f.filters if y.op in (">=", ">") and y.values and float(y.values[0]) == (1 if y.op == ">=" else 0)]
        figures = [y for y in f.filters if y.field.startswith("count:") or y.field in self.layer.measures]
        if len(figures) != len(one) or len(one) > 1 or len(candidates) != 1 or \
                not self._named_as_share_base(candidates[0]):
            return None  # ("share of Finnish customers with more than 5 orders": a count, refused below)
        # "what share of Swedish customers ordered last quarter": the verb of the orders, dated, says the same
        counted = one[0].field if one else next((f"count:{n.split(':')[1]}" for n in f.notes if n.startswith("activity:")
                                                 and f.period is not None), None)
        has = next((n for n, p in self.layer.predicates.items()
                    if counted and p.get("at_least_one") == counted and p.get("entity") == f.subject), None)
        return (one[0] if one else None, has) if has else None

    def _net_of_discount(self, f: QueryForm) -> None:
        """"average selling price ... after discounts": said of figures already net of the line discount it only
        restates them; said of any other figure it stays unplaced (a gross figure is not made net)."""
        said = [s for s in self.spans if s.has("grammar", "net_of_discount") and not s.used]
        specs = [self.layer.measures.get(m, {}) for m in f.measures]
        if said and specs and all("discount_percent" in str(x.get("line_sql") or x.get("sql") or "") for x in specs):
            for s in said:
                s.used = True

    def _averaged_over(self, entity: str, before: int) -> bool:
        """A measure named before `before` is an average over the rows of the entity's own table."""
        table = self.layer.entities[entity].get("table")
        for s in self.spans[:before]:
            m = s.first("measure")
            spec = self.layer.measures.get(m[1], {}) if m else {}
            sql = str(spec.get("line_sql") or spec.get("sql") or "")
            if sql.startswith("AVG(") and {t for t, _ in re.findall(r"(\w+)\.(\w+)", sql)} == {table}:
                return True
        return False

    def _named_as_scope(self, candidates: list[Filter]) -> list[Filter]:
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), None)
        if at is None:
            return []
        before = self._named_before_share(candidates)
        scope = []
        for x in candidates:
            named = {(x.field, str(v)) for v in x.values}
            where = [k for k, s in enumerate(self.spans) if named & set(self.values_of(s))]
            if x is not before and where and all(k < at - 1 for k in where):
                scope.append(x)
        return scope

    def _named_as_share_base(self, x: Filter) -> bool:
        """"percentage of our Finnish customers ...": the value right after "<share> of" names the things."""
        for k, s in enumerate(self.spans):
            if not s.has("grammar", "share") or k + 1 >= len(self.spans) or self.spans[k + 1].text != "of":
                continue
            nxt = self.next_content(k + 1)
            if nxt is not None and any((x.field, str(v)) in set(self.values_of(nxt[1])) for v in x.values):
                return True
            # "percent of customers in Sweden ...": the value right after the things, by "in" or "from"
            if nxt is not None and nxt[1].first("entity") and self.spans[nxt[0] + 1:nxt[0] + 2] and \
                    self.spans[nxt[0] + 1].text in ("in", "from") and any(
                        (x.field, str(v)) in set(self.values_of(s)) for v in x.values for s in self.spans[nxt[0] + 2:nxt[0] + 3]):
                return True
        return False

    def _predicate_asked_as_share(self, predicates: list[str]) -> str | None:
        """"of the shipments that have been delivered, what share arrived late", "the percentage of late
        deliveries among its delivered shipments": a condition named before the share word or after "among"
        says which things the share is taken of; the one named only between them is the share's condition."""
        at = next((k for k, s in enumerate(self.spans) if s.has("grammar", "share")), None)
        if at is None:
            return None
        among = next((k for k, s in enumerate(self.spans) if k > at and s.text in ("among", "amongst")), len(self.spans))
        asked = []
        for p in predicates:
            where = [k for k, s in enumerate(self.spans) if s.has("predicate", p) or s.has("activity", p)]
            if where and all(at < k < among for k in where):
                asked.append(p)
        # "what share of shipments were delivered late": a condition that only decides another ("late" is known
        # of delivered shipments) is that one's verb; the narrower one is the share's
        deciding = {predicate_spec(self.layer, p).get("decidable") for p in asked}
        asked = [p for p in asked if predicate_spec(self.layer, p).get("sql") not in deciding] or asked
        # ("fraction of active products at low stock": of two named after it, the last is the share's)
        return asked[-1] if asked and len(predicates) > 1 else None
