"""Groupings: group by, per period, one row per thing, per-group figures."""

from __future__ import annotations

import re

from ...errors import NotUnderstood
from ..followups import SORTING_VERBS
from ..lexicon import Span
from ..planner import DEFAULT_TOP
from ..query import Filter, QueryForm
from ..semantic import predicate_spec
from .base import StateBase
from .patterns import EACH_WORDS


class GroupingSteps(StateBase):
    """Steps that read how the rows are grouped."""

    def _value_before_grouped(self, j: int) -> tuple[int, Span] | None:
        """"in each Finnish city", "per Swedish city": a value of the same table right before the dimension grouped
        by stays a filter on its rows; the grouping is by the dimension after it (was: the grouping word left
        unplaced)."""
        t, after = self.spans[j], self.next_content(j)
        if after is None or after[0] != j + 1 or t.first("dimension") or t.used or after[1].used or \
                not after[1].first("dimension") or after[1].first("entity"):
            return None
        table = self.layer.dimensions[str(after[1].arg("dimension"))]["column"].split(".")[0]
        values = self.values_of(t)
        if values and all(self.layer.dimensions[d]["column"].split(".")[0] == table for d, _ in values
                          if d in self.layer.dimensions):
            return after
        return None

    def _every_period_of_grain(self) -> None:
        """"revenue per year, all years we have": "all"/"every" before the plural of the grain already asked
        says every period of it, no period limit (was: 'years' left unplaced and the question refused)."""
        for i, s in enumerate(self.spans[:-1]):
            t = self.spans[i + 1]
            if s.text in ("all", "every") and not s.used and not t.used and t.text.endswith("s") and \
                    self.form.grain is not None and t.has("grain", self.form.grain):
                s.used = t.used = True

    def _in_every_period(self) -> None:
        """"How many customers placed an order in each of the four quarters of 2025", "customers who ordered in all
        12 months of 2025": "in each of the / in all the (N) <grains>" before the one period said is an order in every
        one of those grains (a condition on each customer, note ``every_period:<grain>``; the planner counts them),
        not a figure per grain. The number said must be the grains in the period; a period of no whole grains, or
        things other than ordering customers, are refused by the planner. "in each quarter" (one grain) stays a
        grouping."""
        if len(self.periods) != 1 or not any(x.has("activity", "orders") for x in self.spans) or \
                not any(x.has("entity", "customers") for x in self.spans):
            return
        from ..planner import periods_in
        for i, s in enumerate(self.spans):
            if s.used:
                continue
            if s.text == "in each" and i + 1 < len(self.spans) and self.spans[i + 1].text == "of":
                j = i + 2
            elif s.text == "in" and i + 1 < len(self.spans) and self.spans[i + 1].text == "all":
                j = i + 2
            else:
                continue
            if j < len(self.spans) and self.spans[j].text == "the":
                j += 1
            said = self.spans[j].first("number") if j < len(self.spans) else None
            if said is not None:
                j += 1
            if j >= len(self.spans) or not self.spans[j].first("grain") or not self.spans[j].text.endswith("s"):
                continue
            grain = str(self.spans[j].arg("grain"))
            k = j + 1
            if k < len(self.spans) and self.spans[k].text == "of":
                k += 1
            if k >= len(self.spans) or not self.spans[k].text.startswith("__period"):
                continue
            count = periods_in(self.periods[0], grain)
            if count is None or said is not None and said[1] != count:
                continue
            for x in self.spans[i:j + 1]:
                x.used = True
            self.form.notes.append(f"every_period:{grain}")
            return

    def _place_pointed_at(self) -> None:
        """"What should Vantaa reorder? Products below their reorder level in that warehouse.": "in / at / from that
        <place>" (a dimension of the layer's places) after the question named one value of it points at that value,
        which the value's filter already says; no split by the place (was: the products counted per warehouse, a
        silent wrong). With no value of it said, or two, it is left to be read as before."""
        places = set(self.layer.grammar.get("places", {}).get("dimensions", []))
        for i, s in enumerate(self.spans[1:-1], start=1):
            place = self.spans[i + 1]
            if s.text != "that" or s.used or place.used or self.spans[i - 1].text not in ("in", "at", "from") or \
                    not place.first("dimension") or place.arg("dimension") not in places or self.values_of(place):
                continue
            dim = place.arg("dimension")
            named = {x[2] for o in self.spans[:i - 1] for x in o.senses if x[0] == "value" and x[1] == dim}
            if len(named) == 1:
                for x in self.spans[i - 1:i + 2]:
                    x.used = True

    def _figures_of_each_thing(self, totals: set[str]) -> None:
        """"on-hand quantities of Kitchen products in Kuopio", "stock levels of Bosch products": a figure named in
        the plural (the layer's ``grammar.plural_figures``: one figure each) of things named in the plural, nothing
        summing them and no grouping said, is one row per thing (was: one summed figure)."""
        f = self.form
        plural = set(self.layer.grammar.get("plural_figures", []))
        if totals or f.dimensions or f.grain:
            return
        for i, s in enumerate(self.spans):
            said = s.first("measure") and s.text.split()[-1] in plural
            after = self.spans[i + 1] if i + 1 < len(self.spans) else None
            restated = s.first("measure") and after is not None and after.text in plural and not after.used
            if not (said or restated) or s.used:
                continue
            k = i + 2 if restated else i + 1
            if k >= len(self.spans) or self.spans[k].text not in ("of", "for"):
                continue
            nxt = self.next_content(k)
            while nxt is not None and self.values_of(nxt[1]) and not nxt[1].first("entity"):
                nxt = self.next_content(nxt[0])  # "of Kitchen products", "for the Bosch and Makita products"
            ent = nxt[1].first("entity") if nxt else None
            sub_dim = self._thing_dimension(ent[1] if ent else "")
            if nxt is None or not sub_dim or not nxt[1].text.endswith("s") or self.values_of(nxt[1]):
                continue
            f.dimensions.append(sub_dim)
            if restated and after is not None and after.first("attribute"):
                after.used = True
            return

    def _in_every_place(self, i: int) -> bool:
        """"in every <place>" (a singular place of the layer's ``places``, no value named) said of figures alone: no
        condition or bound that could hold in each place, no word summing the places ("in total", "combined",
        "across"), nothing ranked or asked as a count of things, and a figure asked."""
        s = self.spans[i]
        t = self.spans[i + 1] if i + 1 < len(self.spans) else None
        if s.text != "every" or s.used or t is None or t.used or i == 0 or self.spans[i - 1].text != "in" or \
                not t.first("dimension") or self.values_of(t) or t.text.endswith("s") or \
                t.arg("dimension") not in self.layer.grammar.get("places", {}).get("dimensions", []):
            return False
        rest = [x for k, x in enumerate(self.spans) if k not in (i - 1, i, i + 1)]
        summing = set(self.layer.grammar.get("overall", [])) | {"total", "combined", "together", "across", "sum"}
        return any(x.first("measure") for x in rest) and not self.form.dimensions and not self.form.predicates and not any(
            x.first("comparator") or x.first("predicate") or x.first("ranking") or x.first("superlative")
            or x.text in summing for x in rest)

    def _groupings(self) -> None:
        f = self.form
        self._place_pointed_at()
        for i, s in enumerate(self.spans[:-1]):
            t = self.spans[i + 1]
            # "for every carrier combined": every one summed together, not a figure for each (was: split by it)
            summed = s.text == "for every" and i + 2 < len(self.spans) and self.spans[i + 2].text in (
                "together", "combined")
            ranked_each = i > 0 and self.spans[i - 1].text in SORTING_VERBS or i + 2 < len(self.spans) and \
                self.spans[i + 2].text in SORTING_VERBS
            # (of things: those the layer sums figures for, customers and products; an order ranked is a list row)
            each_dim = t.arg("dimension") if t.first("dimension") else self._own_dimension(str(t.arg("entity"))) \
                if t.first("entity") and self.layer.entities[str(t.arg("entity"))].get("zero_when_none") else None
            thing = self.spans[i + 2] if t.text in ("the", "our") and i + 2 < len(self.spans) else t
            verb_at = i + 3 if thing is not t else i + 2  # "all the brands ranked by units"
            if s.text in ("all", "every", "each") and (thing.first("entity") or thing.first("dimension")) and (
                    i > 0 and self.spans[i - 1].text in SORTING_VERBS
                    or verb_at < len(self.spans) and self.spans[verb_at].text in SORTING_VERBS):
                # "rank all orders by amount": every one of them in that order, however many (was a top 10)
                self.every_one_ranked = True
            if s.text in ("all", "every", "each") and ranked_each and each_dim and not s.used and not t.used \
                    and each_dim not in f.dimensions:
                # "rank all cities by customers", "every product sorted by stock": one row each, ranked (was: "all
                # cities" read as no split, one total)
                s.used = t.used = True
                f.dimensions.append(str(each_dim))
                continue
            # ("every customer who spent more than 5000 EUR": the things asked, each one of them, no split to drop)
            relative = t.first("entity") and i + 2 < len(self.spans) and self.spans[i + 2].text.split()[0] in (
                "who", "whose", "that", "which", "with")
            if relative and s.text in ("all", "every") and not s.used and not t.used:
                s.used = True  # (read as "customers who ...": every one of them listed, not a split or a count)
                continue
            if self._in_every_place(i) and each_dim not in f.dimensions:
                # "on hand and reorder level of the X in every warehouse": said of a figure with no condition to hold
                # in each place and nothing summing them, "in every <place>" is one row per place, as "in each"
                # (was: read as "all warehouses", one summed row)
                s.used = t.used = self.spans[i - 1].used = True
                f.dimensions.append(str(each_dim))
                continue
            if (s.text in ("any", "all", "every") or summed) and not s.used and not t.used and t.first("dimension") \
                    and not relative:
                s.used = t.used = True  # "(any status)", "all channels", "across all warehouses": no split
                f.notes.append(f"any:{t.arg('dimension')}")  # "any status": not even the glossary's status filter
                if i > 0 and self.spans[i - 1].has("grammar", "group_by"):
                    self.spans[i - 1].used = True
                if i + 2 < len(self.spans) and self.spans[i + 2].text in ("included", "includes", "counted"):
                    self.spans[i + 2].used = True  # "all statuses included": every status, as "any status"
            elif s.text == "whatever" and not s.used:
                nxt = self.next_content(i)  # "(by order total, whatever its status)": as "any status"
                if nxt is not None and not nxt[1].used and nxt[1].first("dimension") and not self.values_of(nxt[1]):
                    s.used = nxt[1].used = True
                    f.notes.append(f"any:{nxt[1].arg('dimension')}")
            elif s.text == "regardless of" and s.has("grammar", "drop_filter") and not s.used:
                nxt = self.next_content(i)  # "regardless of (order) status": as "any status", no split
                if nxt is not None and not nxt[1].used and nxt[1].first("dimension") and not self.values_of(nxt[1]):
                    s.used = nxt[1].used = True
                    f.notes.append(f"any:{nxt[1].arg('dimension')}")
        stock_verbs = set(self.layer.grammar.get("stock_verbs", []))
        # "how many X are in the warehouses altogether": the places summed, as "in total" says
        together = any(x.text in self.layer.grammar.get("overall", []) and x.text != "overall"
                       or x.text in ("total", "combined") for x in self.spans)
        for i, s in enumerate(self.spans[1:-1], start=1):
            k = i + 1
            while k < len(self.spans) - 1 and self.spans[k].text in ("our", "the", "your"):
                k += 1  # "sitting in our warehouses"
            place, held = self.spans[k], self.spans[i - 1]
            # "the most of in the warehouses overall": the places said with "overall" right after them are summed
            summed_here = k + 1 < len(self.spans) and self.spans[k + 1].text in self.layer.grammar.get("overall", [])
            # "the most units left in the warehouses": what is left there is what they hold (was: split by them)
            stocked = held.text in stock_verbs or held.text.endswith((" left", " remaining")) and \
                held.has("measure", "stock") or held.first("predicate") and "inventory." in \
                self.layer.predicates.get(held.arg("predicate"), {}).get("sql", "") or together or summed_here
            if s.text == "in" and stocked and not s.used and not place.used and place.first("dimension") and \
                    not self.values_of(place) and place.text.endswith("s"):
                # "stock sitting in warehouses": where stock is held, all of them together; not a split
                for x in self.spans[i:k + 1]:
                    x.used = True
                f.notes.append(f"any:{place.arg('dimension')}")
        for i, s in enumerate(self.spans[:-1]):
            if together and not s.used and s.first("dimension") and not self.values_of(s) and s.text.endswith("s") \
                    and self.spans[i + 1].text in stock_verbs:
                # "how many X do the warehouses hold in total": the places holding it, summed as "in total" says
                # (was: split by warehouse)
                s.used = True
                f.notes.append(f"any:{s.arg('dimension')}")
        places = [d for d, spec in self.layer.dimensions.items() if spec.get("column", "").startswith("inventory.")]
        for i, s in enumerate(self.spans[1:], start=1):
            held = self.spans[i - 1]
            if s.text == "everywhere" and not s.used and len(places) == 1 and held.first("predicate") and \
                    self.layer.predicates.get(held.arg("predicate"), {}).get("every_scope_is_summed"):
                # "out of stock everywhere": a stock condition that holds in every place exactly when it holds
                # summed over them (layer every_scope_is_summed), as "in all warehouses" (was: 'everywhere' left
                # unplaced; "low on stock everywhere" stays refused, each place and the sum differ there)
                s.used = True
                f.notes.append(f"any:{places[0]}")
        for i, s in enumerate(self.spans[2:], start=2):
            place = self.spans[i - 1]
            every = self.spans[i - 2].text in ("every", "for every")  # "every carrier combined": one noun each
            if not s.used and s.text in ("together", "combined") and (self.spans[i - 2].text == "all" or every) \
                    and place.first("dimension") and not self.values_of(place) and (place.text.endswith("s") or every) \
                    and sum(x.first("dimension") == place.first("dimension") for x in self.spans) == 1:
                s.used = True  # "(reorder level minus stock, all warehouses together)": summed over them, not split
        for i, s in enumerate(self.spans[3:], start=3):
            kind, noun = self.spans[i - 2], self.spans[i - 1]
            if not s.used and s.text in ("together", "combined") and self.spans[i - 3].text == "all" and \
                    kind.first("product_kind") and noun.has("entity", "products") and "product" not in f.dimensions \
                    and not any(x is not noun and x.has("dimension", "product") for x in self.spans):
                # "How many copper pipes did we sell? All copper pipe products together.": every product of that kind,
                # summed (the kind's condition already holds them all), not split by product
                s.used = True
        for i, s in enumerate(self.spans):
            if not s.used and s.has("grammar", "summed_over"):
                # "less than 300 units in total across (all) warehouses": summed over them, never split by them
                k = i + 1
                while k < len(self.spans) and (self.spans[k].text in ("all", "every") or self.spans[k].has("stop")):
                    k += 1  # "in total across all of our warehouses"
                if k < len(self.spans) and self.spans[k].first("dimension"):
                    for x in self.spans[i:k + 1]:
                        x.used = True
                continue
            if s.used or not s.has("grammar", "group_by"):
                continue
            nxt = self.next_content(i)
            if nxt is None:
                continue
            j, t = nxt
            if i + 1 < len(self.spans) and self.spans[i + 1].text in ("all", "every") and t.first("dimension"):
                s.used = t.used = True  # "across all warehouses": summed over them, not split
                continue
            if s.text in ("across", "over") and self.spans[i + 1].text in ("its", "their") and t.first("entity") \
                    and any(x.has("grammar", "average") for x in self.spans[:i]):
                s.used = t.used = True  # "the average margin across its products": averaged over them, not split
                continue
            if s.text in ("across", "over") and self.spans[i + 1].text == "the" and t.first("entity") and \
                    j + 1 < len(self.spans) and (self.spans[j + 1].text in ("in each", "in every", "of each", "of every") or
                                                 j + 2 < len(self.spans) and self.spans[j + 1].text in ("in", "of") and
                                                 self.spans[j + 2].text in ("each", "every")) and any(x.has("grammar", "average") for x in self.spans[:i]):
                # "avg stock per brand, averaged over the products of each brand": the rows averaged within each
                # group the question names, not a split by product (was: grouped by brand and product)
                s.used = t.used = True
                continue
            if s.text == "across" and (t.first("dimension") or t.first("entity")) and not self.values_of(t) \
                    and t.text.endswith("s") and all(x.text in ("the", "our", "those", "these") for x in self.spans[i + 1:j]) \
                    and any(x.text in ("total", "in total") for x in self.spans[:i]):
                # "total stock and total reorder level across warehouses", "the total shortfall across the products
                # that are below their level": one total over them (was: split by product when "the" came between)
                s.used = t.used = True
                continue
            if s.text == "by" and j == i + 1 and i > 0 and self.spans[i - 1].first("activity") and \
                    (self.spans[i - 1].text.endswith("ed") or self.spans[i - 1].text in self.layer.grammar.get(
                        "purchase_verbs", [])) and t.first("entity") and t.text.endswith("s") \
                    and not any(x.first("ranking") or x.first("superlative") for x in self.spans):
                # "orders placed by customers in Finland", "units bought by customers in Denmark": "by" right after
                # the activity's participle (or a purchase verb of the layer) names who did it (the agent), not a
                # split per customer (was: counted per customer, a silent wrong once read)
                s.used = True
                continue
            if s.text == "across" and self.prev_content(i) is None and j == i + 1 and t.first("entity") \
                    and not t.first("dimension"):
                s.used = True  # "Across order lines with a discount, what is the average ...": over those rows
                continue
            if i + 1 < len(self.spans) and self.spans[i + 1].text in ("all", "every") and t.first("entity") \
                    and s.text in ("across", "over"):
                s.used = self.spans[i + 1].used = True  # "across all order lines": over every one of them
                continue
            if s.text == "per" and j == i + 1 and t.first("entity") and self._averaged_over(t.arg("entity"), i):
                s.used = t.used = True  # "average discount per order line": the rows it averages, not a grouping
                continue
            per: tuple[int, Span] | None = nxt
            taking_part: list[Span] = []
            # "revenue by Makita product" groups as "per Makita product" does (singular: "bought by business
            # customers" names who bought)
            grouping = s.text == "per" or s.text == "by" and self._by_value_then_singular_entity(i)
            while grouping and per is not None and not per[1].first("entity") and not per[1].used and (
                    self.values_of(per[1]) or per[1].first("predicate") or per[1].has("grammar", "participating")):
                if per[1].has("grammar", "participating"):
                    taking_part.append(per[1])  # "per ordering customer": those with orders, as figures per one are
                per = self.next_content(per[0])  # "per Heating product": the value stays a filter on them
            if per is not None and per[1].first("entity") and per[0] != j and grouping:
                j, t = per
            elif (grouped := self._value_before_grouped(j)) is not None:
                j, t = grouped
            if t.first("entity") and not t.used and s.text == "per" and not t.text.endswith("s") and any(
                    x.has("grammar", "average") or x.text == "median" and not x.used for x in self.spans[:i]) and any(
                    d.get("entity") == t.arg("entity") for d in self.layer.dimensions.values()):
                # "average units per order", "avg number of orders per customer": per-entity figures, averaged
                # ("the median number of orders per customer": their median)
                f.derived = {"kind": "average_per", "entity": t.arg("entity")}
                s.used = t.used = True
                for x in taking_part:
                    x.used = True
                for x in self.spans[:i]:
                    if x.has("grammar", "average"):
                        x.used = True
                    elif x.text == "median" and not x.used:
                        x.used = True
                        f.derived["fn"] = "median"
                continue
            if t.first("activity") and not t.first("grain") and j + 1 < len(self.spans) and self.spans[j + 1].first("grain"):
                # "customers by signup year", "orders by order month": the grain of that event's date
                f.notes.append(f"activity:{t.arg('activity')}")
                t.used = True
                j, t = j + 1, self.spans[j + 1]
            if t.first("grain"):
                f.grain = t.arg("grain")
                s.used = t.used = True
            elif t.first("dimension") and not t.used:
                dim = t.arg("dimension")
                if dim not in f.dimensions:
                    f.dimensions.append(dim)
                if s.text in EACH_WORDS:
                    f.notes.append(f"each:{dim}")  # a ranking restarts in each of these groups
                s.used = t.used = True
            elif t.first("entity") and not t.used and (dim := self._thing_dimension(t.arg("entity"))):
                if dim not in f.dimensions:
                    f.dimensions.append(dim)
                s.used = t.used = True
            elif s.text == "by" and t.first("attribute") and any(x.text.startswith("__period") for x in self.spans) \
                    and not any(x.first("ranking") or x.first("superlative") for x in self.spans) \
                    and t.arg("attribute") in {f"{e['table']}.{e['period']}" for e in self.layer.entities.values()
                                               if e.get("period")}:
                # "revenue of orders shipped with DHL this year (by order date)": the date the period is on
                f.period_field = str(t.arg("attribute"))
                f.notes.append("period_field:said")
                s.used = t.used = True
            elif s.text == "by" and t.has("grammar", "average") and not t.used and j + 1 < len(self.spans) and \
                    self.spans[j + 1].first("measure") and str(self.layer.measures.get(
                        str(self.spans[j + 1].arg("measure")), {}).get("sql", "")).upper().startswith("AVG("):
                # "rank carriers by average delivery days": a measure that is itself an average is the ranking key,
                # "average" its own (was: refused, 'by' not placed)
                key = str(self.spans[j + 1].arg("measure"))
                f.order_by = key
                f.notes.append("order:explicit")
                if key not in f.measures:
                    f.measures.append(key)
                s.used = t.used = self.spans[j + 1].used = True
            elif s.text in ("by", "per") and not t.used and (dim := self._grouping_of_figure(t)) is not None and \
                    not self._something_ranked(j):
                # "revenue by discount", "units sold per discount": with nothing ranked, a figure that is also a column
                # of rows with a grouping of its own is that grouping (was: products ranked by the average discount)
                if dim not in f.dimensions:
                    f.dimensions.append(dim)
                s.used = t.used = True
            elif (t.first("measure") or t.first("attribute") or t.first("ranking")) and s.text in ("by", "per"):
                # "top products by revenue": the ranking key
                key = next(t.arg(kind) for kind in ("measure", "ranking", "attribute") if t.first(kind))
                f.order_by = key
                f.notes.append("order:explicit")
                if t.first("measure") or t.first("ranking"):
                    if key not in f.measures:
                        f.measures.append(key)
                s.used = t.used = True
            elif s.text == "by" and t.first("entity") and j + 1 < len(self.spans) \
                    and self.spans[j + 1].text == "count":
                # "top customers by order count": as "by number of orders"
                f.order_by = f"count:{t.arg('entity')}"
                f.notes.extend([f"count_of:{t.arg('entity')}", "order:explicit"])
                s.used = t.used = self.spans[j + 1].used = True
            elif (t.text.startswith("__id") or self.values_of(t)) and s.text == "by":
                s.used = True  # "placed by customer 150", "made by Bosch": the by of an agent
            elif t.first("predicate") and s.text == "by" and (after := self.next_content(j)) is not None and \
                    after[1].has("grammar", "share"):
                s.used = True  # "best carrier by on-time percentage": ranked by that share (read with the share)
            elif t.first("grammar") and t.text in ("number of", "count", "count of") and s.text == "by":
                after = self.next_content(j)
                while after is not None and after[1].first("predicate") and not after[1].first("entity"):
                    after = self.next_content(after[0])  # "by number of late deliveries": the late ones counted
                if after and after[1].first("entity"):
                    f.order_by = f"count:{after[1].arg('entity')}"
                    # an explicit key: a ranking phrase ("top spenders by number of orders") does not override it
                    f.notes.extend([f"count_of:{after[1].arg('entity')}", "order:explicit"])
                    s.used = t.used = after[1].used = True
        # "orders by channel and month": "and" continues a grouping with a dimension or a grain
        for i, s in enumerate(self.spans[:-1]):
            t = self.spans[i + 1]
            before = self.prev_content(i)
            if s.text != "and" or s.used or t.used or before is None or not before[1].used \
                    or not (before[1].first("dimension") and before[1].arg("dimension") in f.dimensions
                            or before[1].first("grain") and f.grain):
                continue
            if t.first("grain") and not f.grain:
                f.grain = t.arg("grain")
                s.used = t.used = True
            elif t.first("dimension") and not self.values_of(t):
                if t.arg("dimension") not in f.dimensions:
                    f.dimensions.append(t.arg("dimension"))
                s.used = t.used = True
        # "stock levels for all Tikkurila products": a measure for every one of them, one row each
        asks_measure = any(x.first("measure") for x in self.spans)
        totals = {x.text for x in self.spans} & {"total", "sum", "combined", "overall", "altogether"}
        for i, s in enumerate(self.spans):
            each = s.text in EACH_WORDS and s.has("grammar", "group_by")  # "revenue per business customer"
            if s.used or not (each or s.text in ("all", "every") and i > 0 and self.spans[i - 1].text == "for") \
                    or not asks_measure or totals:
                continue
            nxt = self.next_content(i)
            while nxt is not None and (self.values_of(nxt[1]) or nxt[1].first("predicate") or nxt[1].first(
                    "product_kind")) and not nxt[1].first("entity"):  # "stock of each copper pipe product"
                nxt = self.next_content(nxt[0])
            ent = nxt[1].first("entity") if nxt else None
            sub_dim = self._thing_dimension(ent[1] if ent else "")
            if nxt is not None and sub_dim and (each or nxt[1].text.endswith("s")) and sub_dim not in f.dimensions:
                f.dimensions.append(sub_dim)
                s.used = True
        self._figures_of_each_thing(totals)
        for i, s in enumerate(self.spans[:-3]):
            # "in which warehouses is stock below the reorder level? Give warehouse and product": the thing named
            # beside a group as a column asked is a group too, one row per pair (as "each warehouse and product")
            d, conj, e = self.spans[i + 1], self.spans[i + 2], self.spans[i + 3]
            ent = e.first("entity")
            sub_dim = self._thing_dimension(ent[1] if ent else "")
            scoping = d.first("dimension") and any(
                x.first("predicate") and self.layer.predicates.get(x.arg("predicate"), {}).get("scoped_by")
                == d.arg("dimension") for x in self.spans)  # a state held per warehouse
            if s.text in ("give", "list", "show") and scoping and conj.text == "and" and sub_dim \
                    and not e.text.endswith("s") and sub_dim not in f.dimensions:
                f.dimensions += [x for x in (d.arg("dimension"), sub_dim) if x not in f.dimensions]
                s.used = d.used = conj.used = e.used = True
        # a monthly/weekly word without "by"; "which day had the most orders"
        for i, s in enumerate(self.spans):
            if not s.used and s.first("grain") and (s.text.endswith("ly") or " by " in s.text or self._is_which(i)):
                f.grain = s.arg("grain")
                s.used = True

    def _over_the_things(self) -> None:
        """"the average product margin per category, over active products only", "across its active products":
        the things a figure is taken over, named by a condition already read (not a comparator: no number)."""
        for k, s in enumerate(self.spans):
            if s.used or s.text not in ("over", "across", "among"):
                continue
            nxt = self.next_content(k)
            if nxt is None or not nxt[1].used or not (nxt[1].first("predicate") or self.values_of(nxt[1])):
                continue
            after = self.next_content(nxt[0])
            while after is not None and after[1].used and not after[1].first("entity") and (
                    after[1].first("predicate") or self.values_of(after[1])):
                after = self.next_content(after[0])  # "across active Makita products"
            if after is not None and after[1].first("entity") and not any(x.first("number") for x in self.spans[k:nxt[0] + 1]):
                s.used = True

    def _period_of_parent_rows(self) -> None:
        """"order lines of last year's orders", "lines of orders from 2025": the rows asked about belong (many to
        one) to the things named with the period, so the period is on those things' date (was: 'orders' left
        unplaced and the question refused)."""
        f = self.form
        table = self.layer.entities.get(f.subject or "", {}).get("table")
        for k, s in enumerate(self.spans[1:], start=1):
            ent = s.first("entity")
            if s.used or ent is None or ent[1] == f.subject or table is None:
                continue
            spec = self.layer.entities[ent[1]]
            parent = any(j["left"].split(".")[0] == table and j["right"].split(".")[0] == spec["table"]
                         and j.get("cardinality") == "many_to_one" for j in self.layer.joins)
            before = self.spans[k - 1]
            nxt = self.next_content(k)
            dated = before.text.startswith("__period") and k > 1 and self.spans[k - 2].text in ("of", "in", "from") \
                or before.text in ("of", "in", "from") and nxt is not None and nxt[1].text.startswith("__period")
            field = f"{spec['table']}.{spec.get('period')}"  # ("of last year's orders", "of orders from 2025")
            if dated and parent and spec.get("period") and f.period_field in (None, field):
                s.used = True
                f.period_field = field

    def _how_many_in_each(self) -> None:
        """"which categories have low-stock products, and how many in each?": "in each" closing the question, with
        no noun after it, is each of the groups already named; the count per group is what is asked (was: refused,
        'in each' not placed)."""
        f = self.form
        if len(f.dimensions) != 1 or not any(m == "count" or m.startswith("count:") for m in f.measures):
            return
        for k, s in enumerate(self.spans):
            if not s.used and s.text in EACH_WORDS and self.next_content(k) is None and \
                    any(x.text == "how many" for x in self.spans[max(0, k - 3):k]):
                s.used = True

    def _one_row_per(self) -> None:
        """"2024 versus 2025, one row per year", "one row per country": the grouping said as the table's shape
        ("per year" is the grouping, read where it stands; "one row" adds nothing)."""
        for k, s in enumerate(self.spans[1:-1], start=1):
            t = self.spans[k + 1]
            if s.text in ("row", "rows") and not s.used and self.spans[k - 1].text in ("one", "a", "1") \
                    and t.has("grammar", "group_by") and t.used:
                s.used = True

    def _dimension_mix(self) -> None:
        """"status mix per month", "channel distribution of orders": a mix of a dimension is the count (or
        figure) per its values, so the word after a dimension that is grouped by says nothing more (layer
        grammar dimension_mix)."""
        f = self.form
        last = self.content()[-1] if self.content() else None
        if last is not None and not last.used and last.text == "each" and (f.dimensions or f.grain) and \
                any(m.startswith("count") for m in f.measures) and any(x.has("grammar", "count") for x in self.spans):
            # "which carriers ..., and how many parcels each?": the count per the grouping already asked
            last.used = True
        words = set(self.layer.grammar.get("dimension_mix", []))
        for k, s in enumerate(self.spans[1:], start=1):
            before = self.spans[k - 1]
            if not s.used and s.text in words and before.first("dimension") \
                    and before.arg("dimension") in self.form.dimensions:
                s.used = True

    def _of_each(self) -> bool:
        """"how much stock is left of each", "Garden products: how much stock does each have": "each" at the end
        (after "of", or as the subject of a last "have") is each of the things named."""
        texts = [s.text for s in self.spans]
        # "Bosch products in Vantaa: how many of each on hand?": the figure's own words after "of each"
        figure_after = len(texts) > 2 and texts[-3:-1] == ["of", "each"] and self.spans[-1].first("measure") is not None
        return len(texts) > 1 and texts[-2:] == ["of", "each"] or len(texts) > 2 and texts[-3] in ("does", "do") \
            and texts[-2] == "each" and texts[-1] in ("have", "hold", "carry") or figure_after

    def _per_group(self, f: QueryForm, explicit_limit: int | None) -> None:
        """"top category by revenue in each country", "best-selling product per category": a ranking
        with a grouping said with "each"/"per" ranks inside every group of it."""
        each = [n.split(":", 1)[1] for n in f.notes if n.startswith("each:")]
        within = [d for d in each if d in f.dimensions]
        if f.kind != "aggregate" or not within or not (f.order_by or "ranked" in f.notes) or f.derived:
            return
        ranked = [d for d in f.dimensions if d not in within]
        sub_dim = self._thing_dimension(f.subject or "")
        if not ranked and sub_dim:
            ranked = [sub_dim]
            f.dimensions.append(sub_dim)
        if not ranked:
            return
        if explicit_limit is None:
            # the ranked noun's number: "the best-selling product" is one per group, "top products" ten
            nouns = [s for s in self.spans if s.has("dimension", ranked[0]) or (
                s.first("entity") and self._thing_dimension(s.arg("entity")) == ranked[0])]
            f.limit = 1 if nouns and not nouns[0].text.endswith("s") else DEFAULT_TOP
        f.order_by = f.order_by if f.order_by and not f.order_by.startswith("@") else (f.measures[0] if f.measures else None)
        f.per_group = within

    def _which_per_scope(self, f: QueryForm) -> None:
        """"which products are below the reorder level per warehouse / in which warehouse": the things asked
        with "which" are listed, each with the place (the layer's ``scoped_by`` of the condition stated) where the
        condition holds, one row per thing and place (was: a count per place, which names no thing)."""
        if f.kind != "aggregate" or len(f.dimensions) != 1 or f.order_by or f.limit:
            return
        dim = f.dimensions[0]
        scoped = [p for p in f.predicates if self.layer.predicates.get(p, {}).get("scoped_by") == dim]
        if not scoped:
            return
        # "Lighting products at or below reorder level - product, warehouse, on hand": the thing's own noun and the
        # place named in a list of columns (commas) beside the figures the condition shows, one row per thing and
        # place (was: the stock summed per warehouse, no product named)
        own = self.layer.entities.get(f.subject or "", {}).get("singular")
        columns = f.measures and set(f.measures) <= {m for p in scoped for m in self.layer.predicates[p].get("show", [])} \
            and re.search(rf"\b{own}\s*,\s*{re.escape(dim)}\s*(?:,|\band\b)", self.question, re.IGNORECASE)
        if f.measures != ["count"] and not columns:
            return
        if not columns and not any(x.has("entity", f.subject or "") and self._is_which(k) for k, x in enumerate(self.spans)):
            return  # "how many products are below the reorder level per warehouse": the count is asked
        column = self.layer.dimensions[dim]["column"]
        f.kind, f.measures = "list", []
        if column not in f.show:
            f.show.append(column)

    def _every_group_asked(self, f: QueryForm) -> None:
        """"break it down for all three channels, as % of the total" after the top channel: "all (N) <groups>" of
        the previous grouping asks every group, so the previous top N is dropped (was: the top one's share of the
        total, or refused on the number)."""
        if not f.limit or len(f.dimensions) != 1 or f.grain or f.per_group or any(
                x.text in ("together", "combined", "altogether", "overall", "in total") for x in self.spans):
            return  # "all carriers combined": one figure of them all, not each
        for k, s in enumerate(self.spans):
            if not s.has("dimension", f.dimensions[0]) or not s.text.endswith("s") or k == 0:
                continue
            j = k - 1
            counted = self.spans[j] if self.spans[j].first("number") is not None else None
            if counted is not None:
                j -= 1
            if j < 0 or not set(self.spans[j].text.split()) & {"all", "every"}:
                continue
            said = self.spans[j].text.split()[:-1] or ([self.spans[j - 1].text] if j > 0 else [])
            if not set(said) & {"for", "across", "over"} and f.filters:
                # "forget the category, all products": the condition dropped, the top N kept (with no condition
                # to drop, "... all brands pls" after the top 5 brands asks every brand)
                continue
            f.limit, f.offset = None, 0
            for x in (s, self.spans[j], *([counted] if counted is not None else [])):
                x.used = True
            return

    def _grouping_of_figure(self, t: Span) -> str | None:
        """The layer's grouping on the very column a word names as a figure or attribute ("discount": the lines'
        discount percent), if there is one."""
        column = t.arg("attribute") if t.first("attribute") else None
        if column is None:
            return None
        return next((d for d, spec in self.layer.dimensions.items() if spec.get("column") == column), None)

    def _something_ranked(self, k: int) -> bool:
        """Whether the question names things that "by <figure>" could rank: a ranking or superlative word, or
        things listed (an entity or grouping said other than as what a count counts)."""
        for j, x in enumerate(self.spans):
            if j == k:
                continue
            if x.first("ranking") or x.first("superlative") or x.first("superlative_attribute") or \
                    x.text in ("rank", "ranked", "sort", "sorted", "order by", "sort by"):
                return True
            if x.first("entity") or x.first("dimension"):
                before = self.prev_content(j)
                if before is None or not (before[1].has("grammar", "count") or before[1].text == "how many"):
                    return True
        return False

    def _holding_places(self, f: QueryForm, dim: str) -> None:
        """"which warehouses have the Ensto Rake", "how many warehouses carry it": those holding some of it,
        not every warehouse with a stock record of it (a record may hold 0)."""
        scoped = {n for n, p in self.layer.predicates.items() if p.get("scoped_by") == dim}
        product_fields = {d for d, spec in self.layer.dimensions.items() if spec["column"].startswith("products.")}
        if "in_stock" in scoped and not any(x.removeprefix("not_") in scoped for x in f.predicates) and \
                any(x.field in product_fields or x.field.startswith("products.") for x in f.filters):
            if dim in f.dimensions:
                f.predicates.append("in_stock")  # tested per (product, warehouse)
            else:  # counted: the stock records holding some
                f.filters.append(Filter("inventory.quantity_on_hand", ">", [0]))

    def _measures_shown_per_item(self) -> None:
        """Per-product stock figures beside a condition on the products: "low-stock products, how
        far below reorder level" lists each product with its shortfall (the layer's ``shown_with``);
        "products whose stock is more than 5 times their reorder level" lists them with their stock
        (the ratio ``restates`` it). A total is asked with "total"/"overall"."""
        f = self.form
        if f.subject not in (None, "products") or f.dimensions or f.grain or f.order_by or f.limit or f.compare:
            return
        # "whose total stock", "their total reorder level": each one's total, not a total over them
        words = {s.text for k, s in enumerate(self.spans)
                 if not (k > 0 and self.spans[k - 1].text in ("whose", "their", "its"))}
        # "..., how many units short of the total reorder level? list product and shortfall": the things asked to
        # be listed name the rows (each product with its figures, each one's total), whatever "total" said before
        listed = any(s.text in ("list", "show", "give") and (nxt := self.next_content(k)) is not None
                     and nxt[1].has("entity", "products") and not nxt[1].text.endswith("s")
                     for k, s in enumerate(self.spans))
        if words & {"total", "overall", "altogether", "in total", "sum", "combined"} and not listed:
            return
        measures = self.layer.measures
        restated = {r for x in f.filters for r in measures.get(x.field, {}).get("restates", [])}
        shown = [m for m in f.measures if m in restated
                 or set(measures.get(m, {}).get("shown_with", [])) & set(f.predicates)]
        if listed and shown:
            shown = list(f.measures)
        if not shown or len(shown) != len(f.measures):
            return
        f.subject = "products"
        f.show += [m for m in shown if m not in f.show]
        # "more than five times their reorder level in stock": both sides of the ratio are shown beside it (was:
        # the stock only)
        f.show += [r for x in f.filters for r in measures.get(x.field, {}).get("restates", []) if r not in f.show]
        f.measures = []

    def _conditions_per_scope(self, f: QueryForm) -> None:
        """"out of stock in Vantaa but over 50 units in Kuopio": each warehouse has its own condition.
        The form holds one set of warehouses for all conditions, which would test both conditions on
        the two together (always empty here), so the question is refused instead."""
        scopes = {predicate_spec(self.layer, p).get("scoped_by") for p in f.predicates} - {None}
        for scope in scopes:
            at = [k for k, s in enumerate(self.spans) if any(d == scope for d, _ in self.values_of(s))]
            values = {v for k in at for d, v in self.values_of(self.spans[k]) if d == scope}
            if len(values) < 2:
                continue
            between = self.spans[at[0] + 1:at[-1]]
            ops = {x.op for x in f.filters if x.field == scope}
            # "out of stock in Vantaa but not in Kuopio": the condition held in one, not held in the other
            negated = bool(ops & {"=", "in"}) and bool(ops & {"not in", "!=", "<>"}) and \
                any(x.has("grammar", "negation") for x in between)
            if negated or any(x.first("predicate") or x.first("comparator") or x.first("measure") for x in between):
                raise NotUnderstood(f"the question puts a different condition on each {scope}; I can test "
                                    f"conditions only on the {scope}s together",
                                    hint=f"ask about one {scope} at a time, e.g. 'products out of stock in "
                                         f"{sorted(values)[0]}'")
