"""Advice asked: reordering, purposes, slow and moving things, good or bad directions."""

from __future__ import annotations

import re
from dataclasses import replace

from ...errors import NotUnderstood
from ..lexicon import Span
from ..query import Filter, QueryForm
from .base import StateBase


class AdviceSteps(StateBase):
    """Steps that read a request for advice into the figures that answer it."""

    def _reorder_advice(self) -> None:
        """"what should we reorder?", "what needs restocking in Vantaa": every product at or below its reorder
        level (the glossary's low stock, as most writers and the shipped set read it), each shown with whether it
        is still active, and the answer says discontinued ones are included (a discontinued product is not
        reordered; the user sees which they are and can ask for active products only). Where the condition is
        also said in facts ("low on stock", "out of stock") or active / discontinued products are named, the
        question says itself which ones."""
        spec = self.layer.grammar.get("reorder_advice")
        f = self.form
        if not spec or spec["predicate"] not in f.predicates:
            return
        words = set(spec["words"])
        conditions = [s for s in self.spans if s.first("predicate") and s.used
                      and self.layer.predicates.get(s.arg("predicate"), {}).get("entity") == "products"]
        advice = [s for s in conditions if s.arg("predicate") == spec["predicate"] and s.text in words]
        if not advice or len(advice) != len(conditions):
            return  # no advice word, or a stated condition beside it (or active / discontinued named)
        if "products.active" not in f.show:
            f.show.append("products.active")
        f.notes.append("reorder_advice")

    def _advice_summed(self, f: QueryForm) -> None:
        """"anything we should reorder? show stock": reorder advice lists the products to reorder, so a figure
        asked with it ("show stock") is each one's, which the list shows anyway; read as one figure over all of them
        (no grouping, no count, no total said) the products are lost: refused (was: one sum of their stock)."""
        if "reorder_advice" not in f.notes or f.kind != "aggregate" or f.dimensions or f.grain or f.compare \
                or f.derived or f.per_group or set(f.measures) <= {"count"}:
            return
        own = {self._own_dimension("products"), "sku", "products.product_id"}
        if any(x.field in own and x.op == "=" and len(x.values) == 1 for x in f.filters):
            return  # "should we reorder the Makita Hammer? how much stock is left": the one product's own figure
        if self._total_said():
            return  # "the total stock of what we should reorder": one figure said
        raise NotUnderstood("reorder advice lists the products to reorder, and I read one figure over all of them",
                            field="question", hint="ask 'what should we reorder?' for the list with each one's stock")

    def _share_of_orders_with_both(self, f: QueryForm, whole: Filter, dim: str, value: str) -> None:
        """"what share of orders containing A also contain B" (how often B goes with A, for a bundle): the orders
        with a line of A are the whole, those of them with a line of B the part (was: refused); "sales orders" (the
        layer's sales_orders_restated words) keeps the orders that count as sales. Of other things (customers who
        bought A) it stays refused."""
        if f.subject not in (None, "orders") or not str(self.layer.dimensions[dim]["column"]).startswith("products."):
            raise NotUnderstood(f"a share of the ones with {whole.values[0]} that also have {value}: I can give the "
                                "orders with both, or each one's share, not one within the other",
                                hint=f"e.g. 'how many orders contain both {whole.values[0]} and {value}'")
        whole.op = "all of"  # the orders with a line of it (per order, not per line)
        f.filters.append(Filter(dim, "=", [value]))
        sales = self.layer.grammar.get("sales_orders_restated", {}).get("words", [])
        if sales and (any(s.text in sales for s in self.spans) or re.search(
                rf"\b(?:{'|'.join(map(re.escape, sales))})\b", self.question, re.IGNORECASE)):
            f.filters.insert(0, Filter("status", "not in", list(self.layer.grammar.get("lost_statuses", []))))
            for s in self.spans:
                if s.text in sales or s.text == "sales" and s.has("measure", "revenue") and not s.used:
                    s.used = True

    def _not_bought_by_named(self, f: QueryForm) -> None:
        """"which of them has customer 36 never bought?" within a ranking of products (said after it or in "which of
        our 10 best sellers has ..."): the products of the ranking none of that customer's purchases has, not the
        products nobody ordered (was: refused as always empty). Only within a ranking: "the top 5 products customer
        36 never bought" would rank the ones never bought instead."""
        whose = [x for x in f.filters if x.field in ("customer", "customers.customer_id")]
        ranked = (f.within or {}).get("dimensions") == ["product"] and f.subject in (None, "products") and \
            f.dimensions == ["product"]
        if not ranked or f.predicates != ["never_ordered"] or len(whose) != 1 or whose[0].op != "=":
            return
        f.predicates = []
        f.filters = [replace(x, op="not bought by") if x is whose[0] else x for x in f.filters]

    def _little_sales_bounded(self) -> None:
        """"high margin but not selling: products that sold under 100 units this year": an upper bound on a sales
        figure says how little "not selling" means; the products under it are listed, those with none at 0 (was:
        only those with no sale at all, which the bound then could not change)."""
        f = self.form
        if "never_sold" not in f.predicates:
            return
        measures = self.layer.measures
        if any(x.op in ("<", "<=") and x.field in measures and measures[x.field].get("filter")
               and measures[x.field].get("line_sql") for x in f.filters):
            f.predicates.remove("never_sold")

    def _movers(self) -> None:
        """"the slowest 5 movers", "fast movers": products ranked by the layer's sales measure, the
        speed word giving the direction (slow: fewest first)."""
        spec = self.layer.grammar.get("movers")
        if not spec:
            return
        f = self.form
        for i, s in enumerate(self.spans):
            if not s.used and s.has("entity", "products") and s.text.endswith("s") and not s.has("mover"):
                self._speed_of_products(i, spec)
                continue
            if s.used or not s.has("mover"):
                continue
            k = i
            prev = self.prev_content(k)
            if prev and prev[1].first("number") and not prev[1].used and f.limit is None:
                f.limit = int(prev[1].arg("number"))
                prev[1].used = True
                k = prev[0]
                prev = self.prev_content(k)
            after = self.next_content(i)
            if (prev is None or prev[1].used or prev[1].text not in (*spec["slow"], *spec["fast"])) and \
                    s.text in spec.get("verbs", []) and after is not None and not after[1].used and \
                    after[1].text in (*spec["slow"], *spec["fast"]):
                prev = after  # "which category is moving slowest": the speed word after the verb
            if prev is not None and not prev[1].used and prev[1].text in ("top", "bottom") and \
                    s.text in spec.get("ranked", []) and f.subject in (None, "products"):
                # "our top 20 sellers this year (units)", "top 5 sellers by revenue": the ranking word before the noun
                # says which end (left to the superlatives), the sellers are the products ranked, by the figure
                # named or else the movers' measure (was: refused on 'sellers')
                s.used = True
                f.subject = "products"
                if not f.measures:
                    f.measures.append(spec["measure"])
                continue
            if prev is None or prev[1].used or prev[1].text not in (*spec["slow"], *spec["fast"]):
                continue  # "movers" alone does not say which end of the ranking is meant
            prev[1].used = s.used = True
            nxt = self.next_content(prev[0])
            if f.limit is None and nxt and nxt[1].first("number") and not nxt[1].used:
                f.limit = int(nxt[1].arg("number"))  # "slowest 5 movers"
                nxt[1].used = True
            if f.limit is None and s.text in spec["nouns"] and s.text not in spec.get("verbs", []) and \
                    not s.text.endswith("s"):
                f.limit = 1  # "the slowest seller in Garden": one product
            f.direction = "asc" if prev[1].text in spec["slow"] else "desc"
            f.order_by = spec["measure"]
            f.notes.append("order:explicit")
            if f.limit is None and any(x.field == spec["measure"] and x.op in ("<", "<=", ">", ">=", "between")
                                       for x in f.filters):
                # "slow movers: active products that sold fewer than 25 units": the bound says which are slow,
                # every one of them in that order (was: the first 10 only)
                f.notes.append("sorted")
            if spec["measure"] not in f.measures:
                f.measures.append(spec["measure"])
            f.subject = f.subject or "products"

    def _speed_of_products(self, i: int, spec: dict) -> None:
        """"slowest 3 Garden products over the last 180 days (units)": a speed word before the products (past a number
        and values), with the movers' figure named, ranks them as movers do (was: read as a delivery time, refused);
        "slow products" alone may be slow sellers or late parcels, so it stays refused."""
        f = self.form
        if not any(x.has("measure", spec["measure"]) for x in self.spans):
            return
        between: list[Span] = []
        prev = self.prev_content(i)
        while prev is not None and not prev[1].used and (prev[1].first("number") or self.values_of(prev[1])):
            between.append(prev[1])
            prev = self.prev_content(prev[0])
        if prev is None or prev[1].used or prev[1].text not in (*spec["slow"], *spec["fast"]) or f.order_by:
            return
        after = self.next_content(prev[0])
        numbers = [x for x in between if x.first("number")]
        if len(numbers) > 1 or numbers and after is not None and after[1] is not numbers[0]:
            return  # a number elsewhere than right after the speed word ("slowest Garden 3 products") is not a count
        if numbers:
            f.limit = int(numbers[0].arg("number"))
            numbers[0].used = True
        prev[1].used = True
        f.direction = "asc" if prev[1].text in spec["slow"] else "desc"
        f.order_by = spec["measure"]
        f.notes.append("order:explicit")
        if spec["measure"] not in f.measures:
            f.measures.append(spec["measure"])
        f.subject = f.subject or "products"

    def _slow_things(self, f: QueryForm) -> None:
        """"the slow stuff", "slow products": a speed word read as a condition of another thing (late parcels) said
        of products, where nothing of that thing is named, means slow selling as much as late delivery: refused
        (was a silent wrong: the products of late parcels)."""
        speed = set(self.layer.grammar.get("movers", {}).get("slow", []))
        product_side = f.subject == "products" or any(
            self.layer.dimensions.get(d, {}).get("column", "").startswith("products.") for d in f.dimensions)
        if not product_side:
            return
        for s in self.spans:
            name = s.arg("predicate") if s.used and s.text in speed and s.first("predicate") else None
            entity = self.layer.predicates.get(name or "", {}).get("entity")
            if name not in f.predicates or entity in (None, "products"):
                continue
            named = any(x is not s and (x.has("entity", entity) or any(
                y[0] in ("measure", "dimension") and y[1] in self._of_entity(entity) for y in x.senses))
                for x in self.spans)
            if not named:
                raise NotUnderstood(f"'{s.text}' of products could mean slow selling or {name} delivery",
                                    hint="say 'slowest selling products' or 'products in late shipments'")

    def _of_entity(self, entity: str) -> set[str]:
        """The layer's measures and dimensions computed from an entity's table ("carrier", "delivery time")."""
        table = self.layer.entities[entity]["table"]
        out = {m for m, spec in self.layer.measures.items() if spec.get("entity") == entity}
        return out | {d for d, spec in self.layer.dimensions.items() if spec.get("column", "").startswith(table + ".")}

    def _evaluative_direction(self, f: QueryForm) -> None:
        """"the worst late share": worst and best judge, they do not measure; ranked by the share of a condition
        the layer marks undesirable (late), the worst is the highest share and the best the lowest."""
        condition = (f.derived or {}).get("condition") or {}
        spec = self.layer.predicates.get(condition.get("predicate") or "", {})
        judged = [s for s in self.spans if s.used and s.text in self.layer.grammar.get("evaluative", {})]
        if f.order_by and (f.derived or {}).get("kind") == "share" and spec.get("undesirable") and len(judged) == 1:
            f.direction = "desc" if self.layer.grammar["evaluative"][judged[0].text] == "asc" else "asc"

    def _purposes(self, f: QueryForm) -> None:
        """Words naming only what a list is for ("at risk", "worth promoting", "for a bundle") are placed when
        the layer lists them as purposes of the form that was read (any one of its ``requires`` shapes);
        never as skipped words. The purpose is noted so the answer says which definition answered it."""
        purposes = self.layer.grammar.get("purposes", {})
        for s in self.spans:
            # a phrase of several purposes ("pick the one with": a carrier's choice, or any ranked group's first)
            # is the first one that fits the form
            sense = next((x for x in s.senses if x[0] == "purpose" and self._fits_purpose(f, x[1])), s.first("purpose"))
            if s.used or sense is None:
                continue
            if not self._fits_purpose(f, sense[1]):
                # "what city would you pick for an in-store promotion? go by store revenue in 2025": the figure is
                # named, the end to pick from is the purpose's (the layer's ``ranks_unranked``)
                sense = next((x for x in s.senses if x[0] == "purpose" and self._rank_for_purpose(f, x[1])), sense)
            if self._fits_purpose(f, sense[1]):
                s.used = True
                k = self.spans.index(s)
                if k + 1 < len(self.spans) and self.spans[k + 1].text == "because" and not self.spans[k + 1].senses:
                    # "which active products could we drop because they have no sales in the last 30 days": the
                    # reason said right after the purpose is the asker's criterion, read as the question's condition
                    # (was: refused on 'because')
                    self.spans[k + 1].used = True
                if f"purpose:{sense[1]}" not in f.notes:
                    f.notes.append(f"purpose:{sense[1]}")
                other = purposes[sense[1]].get("other_end")
                if other in f.dimensions and f.limit:
                    # "Vantaa is almost out: which warehouse should we transfer some from?": the warehouse
                    # named is where the stock goes, so the one to take from is among the others
                    f.filters = [replace(x, op="not in") if x.field == other and x.op in ("=", "in") else x
                                 for x in f.filters]
                    if any(x.field == other and x.op == "not in" for x in f.filters):
                        for k, word in enumerate(self.spans[:-1]):
                            # "We need to refill X in Vantaa. Which other warehouse has the most of it?": 'other'
                            # before the things ranked says what the named one's exclusion already does (was:
                            # refused, 'other' unplaced)
                            if word.text in ("other", "another") and not word.used and \
                                    self.spans[k + 1].has("dimension", other) and not self.values_of(self.spans[k + 1]):
                                word.used = True
                    words = set(purposes[sense[1]].get("other_end_words", []))
                    receiver_states = set(purposes[sense[1]].get("other_end_states", []))
                    for k, named in enumerate(self.spans):
                        if not any(v[0] == other for v in self.values_of(named)):
                            continue
                        # "the X is empty in Vantaa: which warehouse has the most of it": the state said of the
                        # one product named just before the receiver's name is the receiver's stock too
                        before = [b for b in self.spans[:k]
                                  if not (b.senses and all(x[0] == "stop" for x in b.senses))]
                        state = before[-1].arg("predicate") if before and before[-1].first("predicate") else None
                        if (state in receiver_states and state in f.predicates
                                and any(x.field == "product" and x.op in ("=", "in") for x in f.filters)):
                            f.predicates.remove(state)
                            f.notes.append(f"receiver_state:{state}")
                            continue
                        for after in self.spans[k + 1:]:
                            if after.senses and all(x[0] == "stop" for x in after.senses):
                                continue
                            state = after.arg("predicate") if after.first("predicate") else None
                            if state in receiver_states and state in f.predicates:
                                # "Vantaa is running low on it": the receiver's stock, not a condition on
                                # the warehouses ranked to take from
                                f.predicates.remove(state)
                                f.notes.append(f"receiver_state:{state}")
                                break
                            if after.used or after.senses or after.text not in words:
                                break
                            after.used = True
                    # "The X is out of stock in Vantaa. Which warehouse has the most of it?": a state said with the
                    # warehouse named before the question (a premise) is the receiver's too
                    asks = next((k for k, x in enumerate(self.spans) if x.text in ("which", "what", "where")), None)
                    named_at = [k for k, x in enumerate(self.spans) if any(v[0] == other for v in self.values_of(x))]
                    # "Makita Garden Hose 2 is low. From which warehouse can we move it?": with no warehouse named, a
                    # state of the one product named, said before the question, is the premise (where it runs low),
                    # never a condition on the warehouses ranked to take from (was: only the low ones ranked)
                    one_product = [x for x in f.filters if x.field == "product" and x.op == "=" and len(x.values) == 1]
                    for k, x in enumerate(self.spans):
                        state = x.arg("predicate") if x.first("predicate") else None
                        if state in receiver_states and state in f.predicates and asks is not None and k < asks \
                                and ((named_at and all(j < asks for j in named_at)) or (not named_at and one_product)):
                            f.predicates.remove(state)
                            f.notes.append(f"receiver_state:{state}")
                    for state in f.predicates:
                        if state in receiver_states and self.layer.predicates[state].get("scoped_by") == other and \
                                any(x.field == other and x.op == "not in" for x in f.filters):
                            # "the most stock of products out of stock in Vantaa so we can transfer": a state of
                            # the things asked about, said of the warehouse named, is that warehouse's (the
                            # receiver's), not of the others ranked
                            f.notes.append(f"receiver_scope:{state}")

    def _rank_for_purpose(self, f: QueryForm, name: str) -> bool:
        """"what city would you pick for an in-store promotion? go by store channel revenue in 2025", "which brand
        should get the winter campaign, going by units sold last quarter": one figure named per value of one grouping,
        no ranking said, and the one asked for (the grouping's noun singular): the purpose says which end is picked
        (the layer's ``ranks_unranked``: a promotion goes to the highest), so the form is ranked that way, top 1, and
        the answer says the order came from the purpose. A count, several figures, a plural ("which cities") or a
        grouping the purpose does not list is left as read (refused on the purpose's words)."""
        spec = self.layer.grammar.get("purposes", {}).get(name, {}).get("ranks_unranked")
        if not spec or f.order_by or f.limit or f.compare or f.derived or f.grain or f.per_group or f.within \
                or f.kind != "aggregate" or len(f.dimensions) != 1 or f.dimensions[0] not in spec["dimension"]:
            return False
        if len(f.measures) != 1 or f.measures[0] not in self.layer.measures:
            return False
        dim = f.dimensions[0]
        plurals = set(self.layer.grammar.get("irregular_plurals", []))
        nouns = [x for x in self.spans if x.has("dimension", dim) and not self.values_of(x)]
        if not nouns or any(x.text.endswith("s") or x.text in plurals for x in nouns):
            return False  # "which cities should get it": how many is not said
        measure = f.measures[0]
        worse_high = bool(self.layer.measures[measure].get("worse_high"))
        direction = spec["direction"] if spec["direction"] in ("asc", "desc") else \
            ("asc" if worse_high else "desc") if spec["direction"] == "best" else ("desc" if worse_high else "asc")
        before = (f.order_by, f.direction, f.limit)
        f.order_by, f.direction, f.limit = measure, direction, 1
        if not self._fits_purpose(f, name):
            f.order_by, f.direction, f.limit = before
            return False
        f.notes.append(f"purpose_ranked:{name}")
        return True

    def _premise_of_aside_purpose(self, f: QueryForm, name: str) -> None:
        """"Makita Hammer is low. Which warehouse holds the most of it? We could transfer from there.": a purpose of
        moving stock said after the question (set aside, then checked against the form) reads the premise as it
        does inside the question: with no warehouse named, a state of the one product named, said before the
        question word, is where it runs low, never a condition on the warehouses ranked to take from (was: only
        the warehouses where it is low ranked, a silent wrong)."""
        spec = self.layer.grammar.get("purposes", {}).get(name, {})
        other, states = spec.get("other_end"), set(spec.get("other_end_states", []))
        if not other or not states or any(x.field == other for x in f.filters):
            return
        if len([x for x in f.filters if x.field == "product" and x.op == "=" and len(x.values) == 1]) != 1:
            return
        asks = next((k for k, x in enumerate(self.spans) if x.text in ("which", "what", "where")), None)
        for k, x in enumerate(self.spans):
            state = x.arg("predicate") if x.first("predicate") else None
            if asks is not None and k < asks and state in states and state in f.predicates:
                f.predicates.remove(state)
                f.notes.append(f"receiver_state:{state}")

    def _worse_high(self, f: QueryForm) -> bool:
        """The higher the ranked figure, the worse: a share of an undesirable condition ("the highest late share"),
        or a count of things under one ("the most late deliveries", was: read as the best, so refused beside
        "which carrier should we drop")."""
        condition = (f.derived or {}).get("condition") or {}
        if not f.derived and self.layer.measures.get(f.order_by or "", {}).get("worse_high"):
            return True  # "the slowest average delivery time": the longer, the worse
        if (f.derived or {}).get("kind") == "share":
            shared = condition.get("filter") or {}
            if shared.get("field") == "status" and shared.get("op") in ("=", "in") and shared.get("values") and \
                    set(shared["values"]) <= set(self.layer.grammar.get("lost_statuses", [])):
                return True  # "the highest cancellation rate": a share of lost orders (cancelled, returned) is bad
            return bool(self.layer.predicates.get(condition.get("predicate") or "", {}).get("undesirable"))
        counted = f.order_by is not None and (f.order_by == "count" or f.order_by.startswith("count:"))
        lost = set(self.layer.grammar.get("lost_statuses", []))
        statuses = [x for x in f.filters if x.field == "status"]
        if counted and not f.derived and not f.predicates and len(statuses) == 1 and statuses[0].op in ("=", "in") \
                and set(statuses[0].values) <= lost:
            return True  # "the product in the most returned orders": a count of lost orders is bad
        return counted and not f.derived and bool(f.predicates) and all(
            self.layer.predicates.get(p, {}).get("undesirable") for p in f.predicates)

    def _purpose_shapes(self, name: str) -> list[dict]:
        """The layer's ``requires`` of a purpose: one shape or a list of shapes, any one of which fits."""
        needs = self.layer.grammar["purposes"][name]["requires"]
        return needs if isinstance(needs, list) else [needs]

    def _fits_purpose(self, f: QueryForm, name: str) -> bool:
        return any(self._purpose_fits(f, need) for need in self._purpose_shapes(name))

    def _purpose_fits(self, f: QueryForm, need: dict) -> bool:
        fits = True
        if "predicates" in need:
            fits &= bool(set(need["predicates"]) & set(f.predicates))
        if "predicates_all" in need:  # "dead stock": in stock and never sold, both read
            fits &= set(need["predicates_all"]) <= set(f.predicates)
        if need.get("ranked") == "none":  # a plain list: no ranking or top N read alongside
            fits &= f.order_by is None and not f.limit
        elif need.get("ranked") == "worst":
            # "which carrier should we drop? the one with the highest late share": the worst first (the highest
            # share of an undesirable condition, else the lowest figure)
            worse_high = self._worse_high(f)
            fits &= f.order_by is not None and f.direction == ("desc" if worse_high else "asc")
        elif "ranked" in need:
            fits &= f.order_by is not None and need["ranked"] in ("any", f.direction)
        if "order_by" in need:
            fits &= f.order_by in need["order_by"]
        if "subject" in need:
            sub_dim = self._thing_dimension(need["subject"])
            fits &= f.subject == need["subject"] or sub_dim in f.dimensions
        if "dimension" in need:
            fits &= bool(set(need["dimension"]) & set(f.dimensions))
        if "filter_on" in need:
            fits &= any(x.field in need["filter_on"] and x.op in (">", ">=") for x in f.filters)
        if "filter_on_any" in need:
            fits &= any(x.field in need["filter_on_any"] and x.op in ("=", "in") for x in f.filters)
        if need.get("measured"):  # "units sold per category - which need a push?": a figure named, not a count
            fits &= bool(f.measures) and "count" not in f.measures
        if "filter_below_on" in need:
            # "sold fewer than 60 units": an upper limit on one of the figures named
            fits &= any(x.field in need["filter_below_on"] and x.op in ("<", "<=") for x in f.filters)
        if need.get("filter_below"):
            # "margin under 25% - should we drop them": an upper limit on a measure
            fits &= any(x.field in self.layer.measures and x.op in ("<", "<=") for x in f.filters)
        if need.get("criterion"):
            # "which customers deserve a call?": the question states why (a condition, a period, a limit on a figure,
            # a ranking, anything of their orders), never only which ones are listed (a segment, a place)
            described = {d for d, spec in self.layer.dimensions.items()
                         if str(spec.get("column", "")).startswith(self.layer.entities[need.get("subject", "customers")]["table"] + ".")}
            fits &= bool(f.predicates) or f.order_by is not None or f.period is not None or any(
                x.field not in described and x.field not in ("customer", "customers.customer_id") for x in f.filters)
        if "kind" in need:
            fits &= f.kind in need["kind"]
        if "measures_all" in need:  # "where should we restock X - stock and reorder level per warehouse"
            # (a figure shown beside each thing listed counts as read: "and how many units would bring each back up")
            fits &= set(need["measures_all"]) <= set(f.measures) | set(f.show)
        if "derived" in need:  # "trending": a figure's growth ranked; "what's slowing down": lower than in the one compared
            fits &= all((f.derived or {}).get(k) == v for k, v in need["derived"].items())
        return fits
