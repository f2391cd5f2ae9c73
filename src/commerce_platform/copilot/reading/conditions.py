"""Conditions: negations, comparisons, ranges and bounds, money, percent, scopes, never-ordered."""

from __future__ import annotations

import re
from dataclasses import replace

from ...errors import NotUnderstood
from ..followups import points_back, same_columns
from ..lexicon import Span
from ..query import Filter, QueryForm
from ..semantic import negated_predicate, predicate_spec
from .base import StateBase


class ConditionSteps(StateBase):
    """Steps that read conditions on the rows (filters) out of the question."""

    def _bound_on_each_row(self) -> None:
        """"revenue from orders worth more than 500 euros each": "each" right after a bound on a column of the
        things' own rows (an order's total amount) says the bound is on each one, as it already is (was: 'each'
        unplaced, refused). A bound on a figure summed per thing ("customers who spent over 500 each") is not read."""
        for k, s in enumerate(self.spans):
            if s.used or s.text != "each" or k < 2:
                continue
            j = k - 1
            if self.spans[j].text == "__money__" or self.spans[j].first("currency") or self.spans[j].first("unit"):
                j -= 1
            num = self.spans[j]
            if j < 1 or not num.first("number") or not self.spans[j - 1].has("comparator"):
                continue
            value = num.arg("number")
            if any("." in x.field and x.field.split(".")[0] in {e.get("table") for e in self.layer.entities.values()}
                   and x.op in ("<", "<=", ">", ">=") and value in x.values for x in self.form.filters):
                s.used = True

    def _amount_summed_per_thing(self) -> None:
        """"business customers with open orders worth more than 1000 EUR in total": a bound on an order's own amount
        (the entity's amount column) said of other things listed (customers), with an overall word right after the
        amount ("in total", "altogether", "combined"), holds on the sum of each listed one's orders, not on each order
        (was: each order over it, a silent wrong); the orders' own conditions (open, a period) stay on the orders
        summed. Orders listed ("orders worth more than 500 in total") are left as they are read."""
        f = self.form
        owner = self.layer.entities.get(f.subject or "", {}).get("table")
        if owner is None or f.dimensions or f.grain or f.compare or f.derived:
            return
        overall = set(self.layer.grammar.get("overall", [])) - {"overall"}
        texts = [s.text for s in self.spans]
        for n, x in enumerate(f.filters):
            table, _, column = x.field.partition(".")
            entity = next((e for e in self.layer.entities.values() if e.get("table") == table), None)
            if entity is None or entity.get("amount") != column or x.op not in ("<", "<=", ">", ">=") or \
                    len(x.values) != 1 or not any(j["cardinality"] == "many_to_one" and j["left"].startswith(f"{table}.")
                                                  and j["right"].startswith(f"{owner}.") for j in self.layer.joins):
                continue  # (only an amount of the listed things' own rows: an order's, of a customer listed)
            for k, s in enumerate(self.spans):
                if not s.first("number") or s.arg("number") != x.values[0] or k == 0 or \
                        not self.spans[k - 1].has("comparator"):
                    continue
                j = k + 1
                while j < len(texts) and (texts[j] == "__money__" or self.spans[j].first("currency")):
                    j += 1
                said = " ".join(texts[j:j + 2])
                if texts[j:j + 1] and (texts[j] in overall or said in overall):
                    f.filters[n] = replace(x, field=f"sum:{x.field}")
                    for u in self.spans[j:j + (2 if said in overall and texts[j] not in overall else 1)]:
                        u.used = True
                    break

    def _compared_predicates(self) -> None:
        """"products with stock under 50", "with stock over 500 units": a condition's words followed by a
        comparator name the measure compared (layer measure_when_compared), not the condition (in stock)."""
        for k, s in enumerate(self.spans):
            name = s.arg("predicate") if s.first("predicate") else None
            measure = self.layer.predicates.get(name or "", {}).get("measure_when_compared")
            nxt = self.next_content(k)
            num = self.next_content(nxt[0]) if measure and nxt is not None else None
            place = self.next_content(num[0]) if num is not None and num[1].first("number") else None
            # "still have units in at least one warehouse": the comparator counts the places, the condition stays
            places = place is not None and place[1].has("dimension", self.layer.predicates[name or ""].get("scoped_by"))
            if measure and nxt is not None and nxt[1].first("comparator") and not places:
                s.senses = [("measure", measure)]
            figure = measure or (s.arg("measure") if s.first("measure") else None)
            if figure and nxt is not None and nxt[1].first("predicate") and figure in self.layer.predicates.get(
                    nxt[1].arg("predicate"), {}).get("show", []) and any(
                    x.first("entity") and (x.arg("entity") == self.layer.predicates[nxt[1].arg("predicate")].get("entity")
                                           # "in which warehouse rows is stock below ...": the rows the condition sums
                                           or self.layer.entities[x.arg("entity")]["table"] + "." in
                                           self.layer.predicates[nxt[1].arg("predicate")].get("sql", ""))
                    for x in self.spans[:k]):
                # "products whose total stock is below their reorder level", "items that have stock at or under
                # the reorder level": the figure the condition itself compares, named as its subject; neither a
                # figure asked (a total of it) nor a second condition (in stock)
                s.senses = [("stop",)]
                s.used = True
                continue
            stock_condition = any(x.first("predicate") and "inventory." in self.layer.predicates.get(
                x.arg("predicate"), {}).get("sql", "") for x in self.spans)
            # ("the five products with the lowest total stock and their quantities": the stock ranked by, named again)
            stock_named = stock_condition or any(x.first("measure") and x.arg("measure") == "stock" for x in self.spans[:k])
            # ("the heating products in Jonkoping with quantities": things listed in one place where stock is held,
            # their quantity there; was: each order line's quantity, one row per line sold)
            held = self.layer.grammar.get("held_where", {}).get("dimension")
            held_of = self.layer.measures.get("stock", {}).get("entity")
            stock_named = stock_named or bool(held) and any(
                x.has("value", held) for x in self.spans[:k]) and any(
                x.has("entity", held_of) for x in self.spans[:k])
            j = k - 1 if k > 1 and self.spans[k - 1].text in ("their", "its", "the") else k
            if stock_named and s.text in self.layer.grammar.get("stock_quantity_words", []) and j > 0 and \
                    self.spans[j - 1].text in ("with", "and", "plus") and (nxt is None or not nxt[1].first("activity")):
                # "in-stock products, list them with quantities": the quantity on hand the condition is about
                s.senses = [("measure", "stock")]
            other_condition = any(x is not s and x.first("predicate") and "stock" in self.layer.predicates.get(
                x.arg("predicate"), {}).get("show", []) for x in self.spans)
            # "... at or below their reorder level, with stock and reorder level": the other figure the
            # condition shows, joined by "and", closes the request the same way
            shown_too = nxt is not None and nxt[0] == k + 2 and self.spans[k + 1].text == "and" and \
                self.next_content(nxt[0]) is None and bool(nxt[1].first("measure")) and any(
                    x is not s and x.first("predicate") and nxt[1].arg("measure") in self.layer.predicates.get(
                        x.arg("predicate"), {}).get("show", []) for x in self.spans)
            # ("products at or below their reorder level, with stock": the same figure set off by a comma at the end)
            after_comma = nxt is None and bool(re.search(rf",\s*{re.escape(s.text)}\W*$", self.question, re.IGNORECASE))
            if other_condition and (nxt is None and any(x.text in ("show", "list", "display", "give")
                                                        for x in self.spans[:k]) or shown_too or after_comma) and \
                    s.first("predicate") and s.text.startswith("with ") and \
                    self.layer.predicates.get(s.arg("predicate"), {}).get("measure_when_compared"):
                # "show products at or below their reorder level with stock": the last words of a request to
                # show a stock condition's products name the figure shown, not a second condition (stock > 0)
                s.senses = [("measure", self.layer.predicates[s.arg("predicate")]["measure_when_compared"])]
            if s.first("attribute") and nxt is not None and nxt[1].first("measure") and \
                    s.text in self.layer.measures.get(nxt[1].arg("measure"), {}).get("label", "").lower().split():
                # "the total value of our inventory at cost": the measure's own noun, not the order amount
                s.senses = [("stop",)]
                s.used = True

    def _never_bought_values(self, f: QueryForm) -> None:
        """"customers who bought Bosch but never Makita": a customer with no line of Makita at all, which a
        per-line condition (brand not Makita) does not say; refused, never answered as the per-line one."""
        if f.subject != "customers" and not any(s.first("entity") and s.arg("entity") == "customers" for s in self.spans):
            return
        product_side = [x for x in f.filters if x.field in self.layer.dimensions
                        and not self.layer.dimensions[x.field]["column"].startswith("customers.")
                        and self.layer.dimensions[x.field]["column"].split(".")[0] in ("products", "order_items")]
        # a negated buying verb ("never bought", "haven't ordered"); "excluding Bosch" is of the lines
        said_never = any(s.text in ("never", "not", "haven't", "hasn't", "didn't", "don't", "doesn't", "havent",
                                    "hasnt", "didnt", "dont", "doesnt") for s in self.spans) and any(
            s.has("activity", "orders") or s.first("predicate") for s in self.spans)
        never = [x for x in product_side if x.op == "not in" and said_never]
        if "never_ordered" in f.predicates and any(x.op in ("=", "in") for x in product_side):
            # "buy Tools but have never bought anything in Garden": the values said after "never" are the ones
            # never bought (one filter may hold both sides: it is split where "never" stands)
            at = next((k for k, x in enumerate(self.spans) if x.has("predicate", "never_ordered")), len(self.spans))
            after = {v for x in self.spans[at + 1:] for _, v in self.values_of(x)}
            for x in [x for x in product_side if x.op in ("=", "in")]:
                later = [v for v in x.values if str(v) in after]
                if later and len(later) < len(x.values):
                    x.values = [v for v in x.values if str(v) not in after]
                    x.op = "=" if len(x.values) == 1 else "in"
                    split = Filter(x.field, "in", later)
                    f.filters.append(split)
                    product_side.append(split)
                    never.append(split)
                elif later:
                    never.append(x)
        if never and all(self.layer.dimensions[x.field]["column"].startswith("products.") for x in product_side):
            # a customer none of whose purchases has a line of it (not: a line that is not of it); what they did
            # buy is tested the same way, on purchases (every blind writer read "bought" so here)
            for x in product_side:
                x.op = "never bought in" if x in never else "bought in" if x.op in ("=", "in") else x.op
            if "never_ordered" in f.predicates:
                f.predicates.remove("never_ordered")
            f.subject = "customers"
        elif never:
            raise NotUnderstood(f"customers who never bought {', '.join(map(str, never[0].values))}: I can say which "
                                "order lines are not of it, not which customers have no such line at all",
                                field="question", hint="e.g. 'customers who bought Bosch products', "
                                                       "'customers who never ordered'")

    def _residence(self) -> None:
        """"customers who live in Oslo": the place is the filter; "where does <customer> live": that
        customer's place (the layer's residence dimension). A pronoun ("which segment is he") is the
        customer the same question names."""
        spec = self.layer.grammar.get("residence") or {}
        customers = [k for k, s in enumerate(self.spans) if any(d == "customer" for d, _ in self.values_of(s))]
        for k, s in enumerate(self.spans):
            if s.used:
                continue
            if s.has("grammar", "person_pronoun") and customers:
                s.used = True
            if not s.has("grammar", "residence"):
                continue
            nxt = self.next_content(k)
            place = nxt is not None and any(
                self.layer.dimensions[d]["column"].startswith("customers.") and d != "customer"
                for d, _ in self.values_of(nxt[1]))
            if place:
                s.used = True
            elif customers and spec.get("dimension"):
                s.used = True
                if spec["dimension"] not in self.form.dimensions:
                    self.form.dimensions.append(spec["dimension"])

    def _condition_alone(self, strong: list[Span]) -> bool:
        """"with no discount only", "only the discontinued" after a figure: a condition alone, said as a
        restriction ("only", "just", or opening with "with"/"without"), narrows the previous question (was: a
        new question about the condition's own rows, the order lines without discount listed)."""
        words = [s.text for s in self.spans if s.senses]
        said = bool(words) and (words[0].split()[0] in ("with", "without") or bool({"only", "just"} & set(words)))
        return said and bool(strong) and not self.ids and all(
            s.first("predicate") is not None and not any(x[0] in ("measure", "entity", "ranking") for x in s.senses)
            for s in strong)

    def _status_markers(self) -> None:
        """"Emma has orders marked cancelled": a marker word (layer status_markers) right before a status value
        says that status; it is placed with it, nothing more ("products marked inactive": right before a named
        condition of the rows, the same)."""
        words = set(self.layer.grammar.get("status_markers", {}).get("words", []))
        for i, s in enumerate(self.spans[:-1]):
            if not s.used and s.text in words and (any(d == "status" for d, _ in self.values_of(self.spans[i + 1]))
                                                   or self.spans[i + 1].first("predicate")):
                s.used = True

    def _carrying_verbs(self) -> None:
        """"which carrier took order 7": a verb of carrying (layer carrying_verbs) right before an id or a thing
        is placed as a verb; "took" is a delivery time only with a span of time ("took more than 4 days")."""
        verbs = set(self.layer.grammar.get("carrying_verbs", []))
        for i, s in enumerate(self.spans):
            if s.used or s.text not in verbs:
                continue
            nxt, prev = self.next_content(i), self.prev_content(i)
            if nxt is not None and (nxt[1].text.startswith("__id") or nxt[1].first("entity")):
                s.used = True
            elif prev is not None and any(dim == "carrier" for dim, _ in self.values_of(prev[1])):
                s.used = True  # "how many shipments did Bring send": the carrier's verb
            elif s.text == "used" and prev is not None and prev[1].first("dimension") \
                    and prev[1].arg("dimension") == "carrier":
                s.used = True  # "which carriers have we used for customers in Oslo": the carriers that carried
            elif i + 1 < len(self.spans) and self.spans[i + 1].text in ("them", "those", "these", "it", "each") and \
                    prev is not None and prev[1].first("dimension") and prev[1].arg("dimension") == "carrier":
                s.used = True  # "which carriers took them?" (after orders shipped), "which carrier took each of them?"

    def _slots(self) -> None:
        f = self.form
        for s in self.spans:
            if s.text.startswith("__id"):
                entity, ident = self.ids[int(s.text[4:-2])]
                s.used = True
                table = {"order": "orders", "customer": "customers", "product": "products", "shipment": "shipments"}[entity]
                several = self.id_lists.get(int(s.text[4:-2]))
                f.filters.append(Filter(f"{table}.{entity}_id", "in", several) if several
                                 else Filter(f"{table}.{entity}_id", "=", [ident]))
                f.lookup = {"entity": entity, "id": ident}

    OUT_IN = {"are out in", "is out in", "are out at", "is out at"}

    def _out_in_a_warehouse(self) -> None:
        """"which products are out in Kuopio / in at least one warehouse": 'out' is out of stock only when a
        warehouse follows (Kuopio, the Kuopio warehouse, at least one/any/every warehouse) and products are
        said just before it; elsewhere ("orders that are out in Finland", "which orders are out at
        the Kuopio warehouse": a parcel sent) it is left unplaced, so the question is refused, not guessed."""
        def warehouse(t: Span) -> bool:
            return any(col == "warehouse" for col, _ in self.values_of(t)) or t.has("dimension", "warehouse")
        for i, s in enumerate(self.spans):
            if s.text not in self.OUT_IN:
                continue
            after = [t for t in self.spans[i + 1:] if not (len(t.senses) == 1 and t.senses[0][0] == "stop")
                     and not t.has("number", 1.0) and t.text != "one"]
            before = self.prev_content(i)
            of_products = before is not None and before[1].has("entity", "products")
            if of_products and after and (warehouse(after[0]) or after[0].text in {"at least", "any", "every", "each", "all"}
                          and len(after) > 1 and warehouse(after[1])):
                continue
            s.senses = []

    def _have_in_stock(self) -> None:
        """"Which Philips products do we have in stock(, leaving out the discontinued ones)?": things asked with
        "which"/"what" and "in stock" right after a verb of holding ("have", "hold", "keep", "got"), with no figure asked (no count, amount, number, bound or ranking), is
        the condition that they are in stock (was: every one listed with its stock, those with none too: a silent
        wrong); "how many do we have in stock" stays the quantity."""
        if "in_stock" not in self.layer.predicates or not self.spans or self.spans[0].text not in ("which", "what"):
            return
        if not any(s.has("entity", "products") for s in self.spans):
            return
        last = next((k for k, s in enumerate(self.spans) if s.text == "in stock" and s.senses == [("measure", "stock")]),
                    None)
        if last is None:
            return
        verb = next((k for k in range(last - 1, -1, -1) if self.spans[k].text not in ("currently", "still", "now")), None)
        if verb is None or self.spans[verb].text not in ("have", "hold", "keep", "got"):
            return
        if any(x[0] in ("number", "comparator", "superlative", "ranking", "measure") or x == ("grammar", "count")
               for k, s in enumerate(self.spans) if k != last for x in s.senses) or \
                any(s.text in ("much", "many", "units", "quantity", "how") for s in self.spans):
            return
        self.spans[last].senses = [("predicate", "in_stock")]

    def _span_tables(self, s: Span) -> set[str]:
        """The tables a span's senses are of (an activity is of orders)."""
        out: set[str] = set()
        for sense in s.senses:
            kind, name = sense[0], str(sense[1]) if len(sense) > 1 else ""
            if kind == "entity":
                out.add(self.layer.entities[name]["table"])
            elif kind in ("dimension", "value") and name in self.layer.dimensions:
                out.add(self.layer.dimensions[name]["column"].split(".")[0])
            elif kind in ("measure", "predicate"):
                spec = (self.layer.measures if kind == "measure" else self.layer.predicates).get(name, {})
                out.add(self.layer.entities.get(spec.get("entity", ""), {}).get("table", "?"))
            elif kind == "activity":
                out.add("orders")
        return out

    def _only_stock_said(self, others: list[Span]) -> bool:
        """A warehouse (or a stock condition scoped by one) is named and every other word is of products and
        their stock, nothing of orders or sales."""
        stock_tables = {self.layer.entities[n]["table"] for n in ("products", "stock_records") if n in self.layer.entities}
        stock_said = any(s.has("dimension", "warehouse") or any(c == "warehouse" for c, _ in self.values_of(s))
                         or (s.first("predicate") and predicate_spec(self.layer, s.arg("predicate")).get("scoped_by"))
                         for s in others)
        return stock_said and all(self._span_tables(s) <= stock_tables for s in others)

    def _lines_of_stock(self) -> None:
        """"how many Nordline lines in Kuopio are under the reorder level", "the most warehouse lines below reorder
        level": bare "lines" in a question that names a warehouse or a stock condition and nothing of orders or
        sales (every other word is of products and their stock) are stock records, one per product and warehouse
        (was: order lines, counted through every sale of the products)."""
        if "stock_records" not in self.layer.entities or "order_lines" not in self.layer.entities:
            return
        lines = [s for s in self.spans if s.text in ("line", "lines") and s.senses == [("entity", "order_lines")]]
        if not lines or not self._only_stock_said([s for s in self.spans if s not in lines]):
            return
        for s in lines:
            s.senses = [("entity", "stock_records")]

    def _quantity_in_a_warehouse(self) -> None:
        """"which product has the biggest quantity in Jonkoping?": a bare quantity word (the layer's
        stock_quantity_words, else units sold) in a question that names a warehouse and nothing of orders or
        sales is the quantity on hand there (was: refused, units sold joined to stock)."""
        if "stock" not in self.layer.measures:
            return
        words = set(self.layer.grammar.get("stock_quantity_words", []))
        said = [s for s in self.spans if s.text in words and s.first("measure") and all(
            x[0] in ("measure", "attribute") for x in s.senses)]
        if not said or not self._only_stock_said([s for s in self.spans if s not in said]):
            return
        for s in said:
            s.senses = [("measure", "stock")]

    def _by_how_many_below(self) -> None:
        """"which products are below their reorder level and by how many units": 'by how many (units)' / 'by
        how much' said right after a below-the-reorder-level condition asks the shortfall (reorder level
        minus stock). Elsewhere ("by how much did revenue grow") it is not touched."""
        for i, s in enumerate(self.spans[:-1]):
            nxt = self.spans[i + 1]
            split = nxt.text == "how" and i + 2 < len(self.spans) and self.spans[i + 2].text in ("many", "much")
            if s.text != "by" or nxt.text not in ("how many", "how much") and not split:
                continue
            if any(x.has("grammar", "growth") or x.has("grammar", "growth_absolute") for x in self.spans[i + 2:]):
                # "by how much / by how many percent did revenue grow": the size of the growth, neither a
                # grouping ("by") nor a count ("how many")
                for x in self.spans[i:(i + 3 if split else i + 2)]:
                    x.senses = [("stop",)]
                continue
            prev = self.prev_content(i)
            # "below the reorder level in Kuopio, and by how much": the warehouse the condition is tested in
            while prev is not None and (prev[1].text == "and" or any(d == "warehouse" for d, _ in
                                                                     self.values_of(prev[1]))):
                prev = self.prev_content(prev[0])
            name = prev[1].arg("predicate") if prev is not None and prev[1].first("predicate") else ""
            if not re.search(r"SUM\(inventory\.quantity_on_hand\) <=? SUM\(inventory\.reorder_level\)",
                             self.layer.predicates.get(name, {}).get("sql", "")):
                continue
            s.senses = [("stop",)]
            nxt.senses = [("measure", "shortfall")]
            k = i + 3 if split else i + 2
            if split:
                self.spans[i + 2].senses = [("stop",)]
            if k < len(self.spans) and self.spans[k].text == "units":
                self.spans[k].senses = [("stop",)]

    def _other_scopes(self) -> None:
        """"out of stock in Vantaa but still available in some/any other warehouse(s)": the second condition,
        said after one named warehouse and another condition of the same scope, holds in the warehouses
        other than the named one, together (note others:<predicate>); 'but stock in other warehouses' is
        in stock there. Only that shape; elsewhere 'other' stays unplaced and the question is refused."""
        for i, s in enumerate(self.spans):
            # "any/some other warehouse" (not "all other": each of them)
            after = [t for t in self.spans[i + 1:] if not (len(t.senses) == 1 and t.senses[0][0] == "stop")
                     and t.text not in ("any", "some")]
            if s.text == "stock" and i > 0 and self.spans[i - 1].text == "but" and after and \
                    after[0].text in ("other", "another"):
                s.senses = [("predicate", "in_stock")]  # "zero in Kuopio but stock in other warehouses"
            name = s.arg("predicate") if s.first("predicate") else None
            scope = self.layer.predicates.get(name or "", {}).get("scoped_by")
            if not scope or name != "in_stock":
                # only stock held: "in some other warehouse", "in the other warehouses together" and "in any
                # other" are then one test; "out of stock in another warehouse" (in one? in all?) is not
                continue
            if len(after) < 2 or after[0].text not in ("other", "another") or not after[1].has("dimension", scope):
                continue
            before = self.spans[:i]
            named = {v for t in before for d, v in self.values_of(t) if d == scope}
            said = [t for t in before if t.first("predicate") and
                    self.layer.predicates.get(t.arg("predicate"), {}).get("scoped_by") == scope]
            if len(named) != 1 or len(said) != 1 or said[0].arg("predicate") == name or \
                    any(d == scope for t in self.spans[i + 1:] for d, _ in self.values_of(t)):
                continue
            after[0].used = after[1].used = True
            self.form.notes.append(f"others:{name}")

    def _in_any_scope(self) -> None:
        """"zero qty in at least one warehouse": a stock condition held in some one warehouse, tested per
        (product, warehouse), neither over all warehouses together nor split by warehouse."""
        scopes = {p["scoped_by"] for p in self.layer.predicates.values() if p.get("scoped_by")}

        def condition_said(dim: Span) -> bool:  # a condition of the layer scoped by the places is said
            return any(x.first("predicate") and self.layer.predicates.get(x.arg("predicate"), {}).get("scoped_by")
                       == dim.arg("dimension") for x in self.spans)

        def bound_said(k: int) -> bool:  # "fewer than 10 units" said before the places
            return any(x.first("comparator") and not x.used for x in self.spans[:k])
        for i, s in enumerate(self.spans[:-2]):
            num, dim = self.spans[i + 1], self.spans[i + 2]
            if s.has("comparator", ">=") and s.text == "at least" and num.has("number", 1.0) and \
                    dim.first("dimension") and dim.arg("dimension") in scopes and not condition_said(dim) and bound_said(i):
                # "fewer than 10 units in at least one warehouse": the bound holds on some one place's own figure
                # (tested on each stock record by the planner; was: 'at least one' read as a bound of its own, the
                # products grouped by warehouse, no rows)
                s.used = num.used = dim.used = True
                self.form.notes.append(f"some:{dim.arg('dimension')}")
                continue
            if s.has("comparator", ">=") and s.text == "at least" and num.has("number", 1.0) and \
                    dim.first("dimension") and dim.arg("dimension") in scopes and condition_said(dim):
                s.used = num.used = dim.used = True
                said = next((x.arg("predicate") for x in reversed(self.spans[:i]) if x.first("predicate")), None)
                if said and self.layer.predicates.get(said, {}).get("some_scope_is_summed"):
                    continue  # "low on stock overall but still have units in at least one warehouse": in stock
                self.form.notes.append(f"each:{dim.arg('dimension')}")
        for i, s in enumerate(self.spans[:-1]):
            dim = self.spans[i + 1]
            if s.text in ("any", "some") and not s.used and i > 0 and self.spans[i - 1].text == "in" and \
                    dim.first("dimension") and dim.arg("dimension") in scopes and not self.values_of(dim) and \
                    not condition_said(dim) and bound_said(i - 1):
                s.used = dim.used = self.spans[i - 1].used = True  # "over 500 units in any warehouse": in some one
                self.form.notes.append(f"some:{dim.arg('dimension')}")
                continue
            if s.text in ("any", "some") and not s.used and i > 0 and self.spans[i - 1].text == "in" and \
                    dim.first("dimension") and dim.arg("dimension") in scopes and not self.values_of(dim) and condition_said(dim):
                # "out of stock in any (some) warehouse": held in some one warehouse, as "at least one"
                s.used = dim.used = self.spans[i - 1].used = True
                self.form.notes.append(f"each:{dim.arg('dimension')}")
        for i, s in enumerate(self.spans[:-2]):
            num, dim = self.spans[i + 1], self.spans[i + 2]
            if s.text in ("only", "just") and (num.text == "one" or num.has("number", 1.0)) and dim.first("dimension") and \
                    dim.arg("dimension") in scopes and not self.values_of(dim):
                # "products with stock in only one warehouse": a count of the places holding each thing
                raise NotUnderstood(f"I cannot count the {dim.arg('dimension')}s each thing is held in",
                                    hint=f"e.g. 'stock per {dim.arg('dimension')} of <product>'")
        for i, s in enumerate(self.spans[:-1]):
            # "in every single warehouse": every one of them
            last = i + 2 if s.text == "every" and self.spans[i + 1].text == "single" and i + 2 < len(self.spans) else i + 1
            last = self._all_n_places(i, last, scopes)  # "in all four warehouses", "in every one of the four warehouses"
            dim = self.spans[last]
            if s.text in ("every", "all") and i > 0 and self.spans[i - 1].text == "in" and dim.first("dimension") and \
                    dim.arg("dimension") in scopes and not self.values_of(dim):
                held = [x.arg("predicate") for x in self.spans[:i] if x.first("predicate") and self.layer.predicates.get(
                    x.arg("predicate"), {}).get("scoped_by") == dim.arg("dimension")]
                bounded = s.text == "every" and any(x.first("comparator") for x in self.spans[:i])
                if bounded and not held:
                    # "fewer than 50 units in every warehouse": the bound holds in each one (tested on each stock
                    # record by the planner; a figure that is no sum of them is refused there)
                    for x in self.spans[i - 1:last + 1]:
                        x.used = True
                    self.form.notes.append(f"every:{dim.arg('dimension')}")
                    continue
                zero = self.spans[i - 2] if i >= 2 else None
                if held and zero is not None and not zero.used and not bounded and (
                        zero.text in ("zero", "0", "nothing", "none") or zero.has("number", 0.0)) and all(
                        "= 0" in str(self.layer.predicates[x].get("sql", "")) and
                        self.layer.predicates[x].get("every_scope_is_summed") for x in held):
                    # "out of stock (zero in every warehouse)": nothing in each one restates a sum of 0 over them
                    zero.used = True
                values = self._every_value(dim.arg("dimension"))
                if held and not bounded and values and not any(x.field == dim.arg("dimension") for x in self.form.filters) \
                        and not all(self.layer.predicates[x].get("every_scope_is_summed") for x in held):
                    # "below the reorder level in every warehouse": held in each one, as "in both A and B" is of the
                    # two named: every value of the place, each tested on its own (was: refused)
                    for x in self.spans[i - 1:last + 1]:
                        x.used = True
                    self.form.filters.append(Filter(dim.arg("dimension"), "all of", values))
                    continue
                if held and not all(self.layer.predicates[x].get("every_scope_is_summed") for x in held) or bounded:
                    # "below their reorder level in every warehouse", "more than 200 units in every warehouse":
                    # held in each one, which the summed stock of all of them does not test
                    place = dim.arg("dimension")
                    raise NotUnderstood(f"I can test that condition only on the {place}s together or in one "
                                        f"{place} at a time, not in every {place} each",
                                        hint="e.g. 'products below their reorder level' (all warehouses together)")

    def _every_value(self, dim: str) -> list[str]:
        """Every value of a categorical dimension in the lake (its vocabulary), or [] when it is not known."""
        vocab = getattr(self.p, "vocab", None)
        column = self.layer.dimensions.get(dim, {}).get("column", "")
        return list(vocab.values.get(column.split(".")[-1], [])) if vocab is not None and column else []

    def _all_n_places(self, i: int, last: int, scopes: set[str]) -> int:
        """"in all four warehouses", "in every one of the four warehouses": the number of places said, when it is the
        number of them the lake holds, restates "all"; the index of the place's noun past it (else ``last``)."""
        s = self.spans[i]
        k = i + 1
        if s.text == "every" and [x.text for x in self.spans[k:k + 2]] == ["one", "of"]:
            k += 2
            if k < len(self.spans) and self.spans[k].text == "the":
                k += 1
        elif s.text != "all":
            return last
        if k + 1 >= len(self.spans) or not self.spans[k].first("number"):
            return last
        dim = self.spans[k + 1]
        if not dim.first("dimension") or self.values_of(dim) or dim.arg("dimension") not in scopes or \
                i == 0 or self.spans[i - 1].text != "in":
            return last  # (only the places a stock condition is scoped by: "all three channels" is read elsewhere)
        values = self._every_value(dim.arg("dimension"))
        if not values or float(self.spans[k].arg("number")) != float(len(values)):
            return last
        for x in self.spans[i + 1:k + 1]:
            x.senses, x.used = [("stop",)], True
        return k + 1

    def _verbs_not_values(self) -> None:
        """"did Norway bring ...", "does it post ...": a lake value that is also an English verb, written
        in lower case right after an auxiliary and its subject, is the verb, not the value (the carrier
        Bring). Its value sense is dropped; unless a layer phrase explains it, the question is refused."""
        auxiliaries = set(self.layer.grammar.get("auxiliaries", []))
        subjects = {"we", "they", "you", "it", "he", "she", "i"}
        determiners = {"our", "the", "their", "its", "those", "these", "all", "my", "your"}
        for i, s in enumerate(self.spans):
            if not self.values_of(s) or i < 2 or " " in s.text:
                continue
            if re.search(rf"(?<![\w-]){re.escape(s.text)}(?![\w-])", self.question) is None:
                continue  # written capitalized somewhere: a name
            if i + 1 < len(self.spans) and self.spans[i + 1].first("entity"):
                # "did Swedish consumer customers place": a value right before the things' noun says which of them
                # (an adjective of the subject), never the verb (was: refused, 'consumer' read as a verb)
                continue
            # "did Norway bring", "did business customers bring": the words between the auxiliary and
            # the verb are its subject (values, an entity, a pronoun, a determiner)
            j = i - 1
            while j > 0 and (self.spans[j].text in subjects | determiners or self.values_of(self.spans[j])
                             or self.spans[j].first("entity")):
                j -= 1
            if j < i - 1 and self.spans[j].text in auxiliaries and \
                    any(x.text not in determiners for x in self.spans[j + 1:i]):
                s.senses = [x for x in s.senses if x[0] != "value"]
                if any(x.first("measure") and self.layer.measures[x.arg("measure")].get("unit") == "EUR"
                       for x in self.spans[:j]):
                    # "how much revenue did business customers bring": the verb of the amount already named
                    s.senses = [("stop",)]

    def _single_items(self) -> None:
        """"the biggest single order", "the single largest customer": the word stresses that one row of
        a ranking is meant, which the ranking says itself. Elsewhere ("customers with a single order":
        exactly one) it stays unplaced, so such a question is refused, not read as "a order"."""
        def ranks(t: Span) -> bool:
            return bool(t.first("superlative") or t.first("superlative_attribute") or t.first("ranking"))
        for i, s in enumerate(self.spans):
            if not s.has("grammar", "single_item"):
                continue
            prev, nxt = self.prev_content(i), self.next_content(i)
            if nxt is not None and (ranks(nxt[1]) or nxt[1].first("entity") and prev is not None and ranks(prev[1])):
                s.senses = [("stop",)]  # said by the ranking: skipped like any other function word
            elif nxt is not None and i > 0 and self.spans[i - 1].text == "which" and not nxt[1].text.endswith("s") \
                    and (nxt[1].first("grain") or nxt[1].first("dimension") or nxt[1].first("entity")) \
                    and any(ranks(x) for x in self.spans[nxt[0] + 1:]):
                s.senses = [("stop",)]  # "which single day saw the most orders": the one day of the ranking
            elif nxt is not None and i > 0 and self.spans[i - 1].text == "any" and nxt[1].first("entity") \
                    and not nxt[1].text.endswith("s") and any(ranks(x) for x in self.spans[:i]):
                s.senses = [("stop",)]  # "the highest discount on any single order line": each one, ranked

    def _not_just(self) -> list[tuple[int, int, str]]:
        """"not just tools", "not only in Oslo": the value named is no longer the only one allowed, so the
        condition on its field goes (spans from, to and the field)."""
        found = []
        for i, s in enumerate(self.spans[:-2]):
            if s.text != "not" or self.spans[i + 1].text not in ("just", "only"):
                continue
            nxt = self._past_prepositions(self.next_content(i + 1))
            if nxt is not None and self.values_of(nxt[1]):
                found.append((i, nxt[0], self.values_of(nxt[1])[0][0]))
        return found

    def _widen(self) -> None:
        for i, j, dim in self._not_just():
            for s in self.spans[i:j + 1]:
                s.used = True
            self.widened.append(dim)
        # "which items are below the reorder level? include discontinued ones": the things of that condition are
        # among those asked (no condition), never the only ones; with a condition on the same columns named as
        # well ("active products, including discontinued ones") it is left unplaced
        for k, s in enumerate(self.spans):
            nxt = self.next_content(k)
            if s.used or s.text not in ("include", "including", "incl") or nxt is None or not nxt[1].first("predicate") \
                    or nxt[1].used:
                continue
            if not any(x.first("entity") or x.first("predicate") for x in self.spans[:k]):
                continue  # "including inactive ones" alone: a follow-up's change of the previous question
            name = nxt[1].arg("predicate")
            if any(x is not nxt[1] and x.first("predicate") and same_columns(self.layer, name, x.arg("predicate"))
                   for x in self.spans):
                continue
            after = self.next_content(nxt[0])
            if after is not None and after[1].text not in ("ones", "too", "as well") and not after[1].first("entity"):
                continue
            s.used = nxt[1].used = True
            if after is not None:
                after[1].used = True
        counting = any(s.has("grammar", "count") for s in self.spans) and not any(s.first("measure") for s in self.spans)
        for k, s in enumerate(self.spans):
            if not counting or s.used or s.text not in ("included", "including", "too") or k < 2 \
                    or self.spans[k - 1].text != "ones" or len(self.values_of(self.spans[k - 2])) != 1 \
                    or self.values_of(self.spans[k - 2])[0][0] != "status" or k + 1 < len(self.spans) \
                    and self.spans[k + 1].text not in ("?", "."):
                continue
            # "how many orders they placed, cancelled ones included": a count of orders keeps every status, so the
            # status named is among those counted, never the only one (was: only the cancelled ones counted)
            for x in self.spans[k - 2:k + 1]:
                x.senses, x.used = [("stop",)], True

    def _either_or_values(self) -> None:
        """"orders that are either paid or shipped": "either" before two or more values of one dimension joined by
        "or" only says that one of them is enough, as the values listed already say (the rows with any of them)
        (was: refused, 'either' not placed)."""
        for i, s in enumerate(self.spans):
            if s.used or s.senses or s.text != "either":
                continue
            nxt = self.next_content(i)
            first = self.values_of(nxt[1]) if nxt is not None else []
            if nxt is None or not first:
                continue
            dims = {d for d, _ in first}
            k, joined = nxt[0], False
            while (after := self.next_content(k, skip_stop=False)) is not None:
                k, t = after
                if t.text in ("or", ","):
                    joined = joined or t.text == "or"
                    continue
                if not ({d for d, _ in self.values_of(t)} & dims):
                    break
                if joined:
                    s.used = True
                    break

    def _orders_holding_lines(self) -> None:
        """"late deliveries in 2025 for orders that included a Heating product": the orders named after other things
        (their shipments) only lead to the order's lines, whose value (of the products) is the condition; the
        orders' noun is placed by it (was: refused, 'orders' not placed)."""
        for i, s in enumerate(self.spans):
            if s.used or not s.has("entity", "orders") or len(s.senses) != 1:
                continue
            first = next((x.arg("entity") for x in self.spans[:i] if x.first("entity")), None)
            if first in (None, "orders", "products", "customers"):
                continue
            nxt = self.next_content(i)
            if nxt is not None and nxt[1].has("grammar", "contains") and all(x[0] == "grammar" for x in nxt[1].senses):
                nxt = self.next_content(nxt[0])
            elif not (i + 1 < len(self.spans) and self.spans[i + 1].text == "with"):
                continue
            values = self.values_of(nxt[1]) if nxt is not None else []
            if values and self.layer.dimensions[values[0][0]]["column"].startswith("products."):
                s.used = True

    def _negation_after_values(self) -> None:
        """"(cancelled and returned excluded)", "cancelled ones left out": a negation said after values of one
        dimension (layer grammar ``negation_after``), nothing named after it, leaves those values out as "excluding
        cancelled and returned" does (was: refused, 'excluded' not placed beside a filter keeping only them)."""
        after_words = set(self.layer.grammar.get("negation_after", []))
        for i, s in enumerate(self.spans):
            if s.used or s.text not in after_words:
                continue
            nxt = self.next_content(i)
            if nxt is not None and (self.values_of(nxt[1]) or nxt[1].first("predicate")):
                continue  # "excluded Bosch": the negation before its value, read as such
            found: list[tuple[int, str, str]] = []
            nouns: list[int] = []
            k = i
            while (prev := self.prev_content(k)) is not None:
                k, t = prev
                if t.used:
                    break
                if t.text in ("and", "or", ",", "&"):
                    continue
                if (t.text == "ones" or t.first("entity")) and not found:
                    nouns.append(k)  # "cancelled ones excluded", "Bosch products removed": the things' noun
                    continue
                values = self.values_of(t)
                if not values or found and values[0][0] != found[0][1]:
                    break
                found.append((k, values[0][0], values[0][1]))
            if not found:
                continue
            dim = found[0][1]
            # "orders in 2025 with Bosch products left out": none of the order's lines has it, as "without Bosch"
            first = next((x.arg("entity") for x in self.spans if x.first("entity")), None)
            op = "no line in" if self.layer.dimensions[dim]["column"].startswith("products.") and first == "orders" \
                else "not in"
            self.form.filters.append(Filter(dim, op, [v for _, _, v in reversed(found)]))
            s.used = True
            for k in [*nouns, *(k for k, _, _ in found)]:
                self.spans[k].used = True
            for k in range(min(k for k, _, _ in found), i):
                if self.spans[k].text in ("and", "or", "ones", "&"):
                    self.spans[k].used = True

    def _negations(self) -> None:
        for i, s in enumerate(self.spans):
            if not s.has("grammar", "negation") or s.used:
                continue
            # "not made by Bosch", "not from Finland": the preposition leads to the value
            nxt = self._past_prepositions(self.next_content(i))
            if nxt is None:
                continue
            j, t = nxt
            verb = self._line_verb_before_value(i, j)
            if verb is not None:
                # "orders that did not include any Electrical product": the verb of the order's lines between the
                # negation and the value; the value is what no line of the order has
                t.used = True
                j, t = verb
            negated_phrase = self.p.lexicon.phrases.get(("not", *t.text.split()), [])
            named = next((x[1] for x in negated_phrase if x[0] == "predicate"), None)
            if named and not t.used:
                # "haven't been delivered": the layer names "not delivered" itself
                self.form.predicates.append(named)
                s.used = t.used = True
            elif t.has("predicate") and not t.used:
                name = t.arg("predicate")
                self.form.predicates.append("not_" + name)
                s.used = t.used = True
            elif self.values_of(t) and not t.used:
                dim, value = self.values_of(t)[0]
                self._type_noun(j, dim)
                before = self.prev_content(i)
                glossary = self.layer.measures.get(str(before[1].arg("measure")), {}).get("filter", "") \
                    if before is not None and before[1].first("measure") else ""
                if before is not None and s.text in self.layer.grammar.get("minus_words", []) and \
                        self.layer.dimensions[dim]["column"] in glossary and f"'{value}'" in glossary:
                    # "revenue minus returns": the figure's own glossary already leaves those out, so "minus" asks a
                    # subtraction of their figure, which I do not compute (was: read as excluding them, a no-op)
                    raise NotUnderstood(f"{before[1].text} never includes {value} ones, so '{s.text} {t.text}' would "
                                        "subtract their figure, which I cannot compute", field=s.text,
                                        hint=f"ask the two figures separately, e.g. '{before[1].text}' and the "
                                             f"total amount of {value} orders")
                table = self.layer.dimensions[dim]["column"].split(".")[0]
                grouped = before is not None and before[0] > 0 and self.spans[before[0] - 1].has("grammar", "group_by")
                # "the most orders (excluding cancelled)": the noun is what is ranked or counted; left to that pass
                counted = before is not None and (pb := self.prev_content(before[0])) is not None and bool(
                    pb[1].first("superlative") or pb[1].has("grammar", "count"))
                if before and not before[1].used and not grouped and not counted and (before[1].has("dimension", dim) or (
                        before[1].first("entity") and self.layer.entities[before[1].arg("entity")]["table"] == table)):
                    before[1].used = True  # "categories other than Tools", "customers outside Finland"
                    if before[1].has("dimension", dim) and before[0] > 0 and \
                            self.spans[before[0] - 1].text in ("which", "what") and dim not in self.form.dimensions:
                        # "which city except Oslo has the most revenue": the cities are still what is asked
                        self.form.dimensions.append(dim)
                    # the subject is the first thing named: "orders from customers outside Finland" are orders
                    if before[1].first("entity") and not any(x.first("entity") for x in self.spans[:before[0]]):
                        self.form.subject = self.form.subject or before[1].arg("entity")
                # "customers who never ordered online": none of their orders, not some order of another channel
                op = "never in" if s.text == "never" and table == "orders" and any(
                    x.has("entity", "customers") for x in self.spans) else "not in"
                # "orders that contained Makita products but no Bosch products": none of the order's lines has the
                # value (not: some line of another brand); the orders are the first thing named
                first = next((x.arg("entity") for x in self.spans[:i] if x.first("entity")), None)
                if table == "products" and first == "orders" and s.text in (
                        "no", "without", "never", "not", "didn't", "don't", "doesn't", "didnt", "dont", "doesnt"):
                    op = "no line in"
                existing = next((x for x in self.form.filters if x.field == dim and x.op == op), None)
                if existing:
                    existing.values.append(value)
                else:
                    self.form.filters.append(Filter(dim, op, [value]))
                s.used = t.used = True
                # "not web or store": the negation reaches a list of values
                k = j
                while True:
                    nn = self.next_content(k)
                    if nn is None or not self.values_of(nn[1]) or nn[1].used:
                        break
                    k, u = nn
                    d2, v2 = self.values_of(u)[0]
                    if d2 != dim:
                        break
                    negated = next((x for x in self.form.filters if x.field == dim and x.op == op), None)
                    if negated is not None:
                        negated.values.append(v2)
                    u.used = True
                    self._type_noun(k, dim)
            elif t.has("activity", "orders") and self._entity_before(i) == "orders":
                # "orders not placed on the web": the verb of the orders themselves; the value follows
                t.used = True
                after = self._past_prepositions(self.next_content(j))
                if after is not None and self.values_of(after[1]) and not after[1].used:
                    dim, value = self.values_of(after[1])[0]
                    self.form.filters.append(Filter(dim, "not in", [value]))
                    s.used = after[1].used = True
            elif (t.has("activity", "orders") or t.has("activity", "sales")) and \
                    s.text in ("never", "not", "no", "haven't", "hasn't", "didn't"):
                # "customers who never ordered" / "products never ordered": a period is of those orders;
                # "never sold" counts sales only (the glossary: not cancelled or returned)
                sold = t.has("activity", "sales") and "never_sold" in self.layer.predicates
                if not sold and self._never_ordered_with(j):
                    s.used = t.used = True
                    continue
                self.form.predicates.append("never_sold" if sold else "never_ordered")
                self.form.notes.append("activity:orders")
                s.used = t.used = True
                obj = self.next_content(j)
                if obj is not None and obj[1].text in ("any", "a", "an", "single") and not obj[1].used:
                    obj = self.next_content(obj[0])
                if not sold and obj is not None and not obj[1].used and obj[1].text in ("order", "orders") \
                        and t.text in ("placed", "place", "made", "make"):
                    # "who ordered in 2025 but hasn't placed any order this year": the order is what is not placed,
                    # not the things asked for (was: read as orders, the two periods refused)
                    obj[1].used = True
                    for k in range(j + 1, obj[0]):
                        self.spans[k].used = True

    def _line_verb_before_value(self, i: int, j: int) -> tuple[int, Span] | None:
        """The value after "not contain"/"not include" (the layer's contains words, "any" or "a" between) said of
        orders, when it is a value of the products (one of the order's lines); else None."""
        t = self.spans[j]
        if t.used or not t.has("grammar", "contains") or any(x[0] != "grammar" for x in t.senses):
            return None
        after = self.next_content(j)
        while after is not None and after[1].text in ("any", "a", "an", "single") and not after[1].used:
            after = self.next_content(after[0])
        first = next((x.arg("entity") for x in self.spans[:i] if x.first("entity")), None)
        values = self.values_of(after[1]) if after is not None else []
        if after is None or after[1].used or not values or first != "orders" or \
                not self.layer.dimensions[values[0][0]]["column"].startswith("products."):
            return None
        for x in self.spans[j + 1:after[0]]:
            x.used = True
        return after

    def _never_ordered_with(self, j: int) -> bool:
        """"customers who never ordered online (or b2b)": no order of theirs with those values, kept as
        one condition (a channel filter beside "never ordered" would contradict it)."""
        if not any(x.has("entity", "customers") for x in self.spans):
            return False
        found: list[tuple[int, str, str]] = []
        k = j
        while (nxt := self._past_prepositions(self.next_content(k))) is not None:
            k, u = nxt
            vals = self.values_of(u)
            if u.used or not vals or not self.layer.dimensions[vals[0][0]]["column"].startswith("orders."):
                break
            if found and vals[0][0] != found[0][1]:
                break
            found.append((k, *vals[0]))
        if not found:
            return False
        self.form.filters.append(Filter(found[0][1], "never in", [v for _, _, v in found]))
        for k, dim, _ in found:
            self.spans[k].used = True
            self._type_noun(k, dim)
        return True

    def _never_ordered_values(self) -> None:
        """"customers who never ordered online": the value said right after "never ordered" is of the
        orders that are not there (a filter beside the predicate would keep no customer at all)."""
        f = self.form
        if "never_ordered" not in f.predicates or f.subject not in (None, "customers") or any(
                x.text.startswith("__period") for x in self.spans):
            return  # a period belongs to the orders inside the predicate (period_inside), kept as it was
        at = next((k for k, x in enumerate(self.spans) if x.has("predicate", "never_ordered")), None)
        if at is None:
            return
        values: list[tuple[str, str]] = []
        k = at
        while (nxt := self._past_prepositions(self.next_content(k))) is not None and self.values_of(nxt[1]):
            k = nxt[0]
            values += self.values_of(nxt[1])[:1]
        dims = {d for d, _ in values}
        if len(dims) != 1 or not self.layer.dimensions[next(iter(dims))]["column"].startswith("orders."):
            return
        dim = next(iter(dims))
        x = next((x for x in f.filters if x.field == dim and x.op in ("=", "in")
                  and {str(v) for v in x.values} == {v for _, v in values}), None)
        if x is not None:
            x.op = "never in"
            f.predicates.remove("never_ordered")

    def _past_prepositions(self, nxt: tuple[int, Span] | None) -> tuple[int, Span] | None:
        while nxt is not None and all(x[0] == "grammar" for x in nxt[1].senses) and \
                nxt[1].text in ("by", "from", "in", "with", "of", "on", "via", "through"):
            nxt = self.next_content(nxt[0])
        return nxt

    def _entity_before(self, i: int) -> str | None:
        return next((self.spans[k].arg("entity") for k in range(i - 1, -1, -1) if self.spans[k].first("entity")),
                    None)

    def _figure_of_each_value(self, i: int) -> bool:
        """"web revenue and store revenue for every month": one figure said again with each of two values of one
        dimension, joined by "and", is each value's figure put beside the other's, as "vs" puts them (was: one
        figure of the two values summed)."""
        left, right = self.prev_content(i), self.next_content(i)
        if left is None or right is None or not left[1].first("measure"):
            return False
        before, after = self.prev_content(left[0]), self.next_content(right[0])
        if before is None or after is None or not after[1].has("measure", left[1].arg("measure")) or \
                before[1].used or right[1].used:
            return False
        return bool({d for d, _ in self.values_of(before[1])} & {d for d, _ in self.values_of(right[1])})

    def _comparisons(self) -> None:
        for i, s in enumerate(self.spans):
            if s.used or not (s.has("grammar", "compare") or s.text == "over" and self._between_periods(i)
                              or s.text == "and" and self._figure_of_each_value(i)):
                continue
            if s.text == "compare":
                # "compare revenue for Jan-Oct 2026 with Jan-Oct 2025": the verb's two periods joined by "with"
                slots = [k for k, x in enumerate(self.spans) if k > i and x.text.startswith("__period") and not x.used]
                if len(slots) == 2 and slots[1] == slots[0] + 2 and self.spans[slots[0] + 1].text in ("with", "to",
                                                                                                      "and", "against"):
                    a, b = self.spans[slots[0]], self.spans[slots[1]]
                    self.form.derived = self.form.derived or {"kind": "periods"}
                    self.form.period = self.periods[int(a.text[8:-2])]
                    self.form.compare_period = self.periods[int(b.text[8:-2])]
                    s.used = a.used = b.used = self.spans[slots[0] + 1].used = True
                    continue
            left, right = self.prev_content(i), self.next_content(i)
            if left is not None and (left[1].first("entity") or left[1].first("measure")) and not left[1].used:
                left = self.prev_content(left[0]) or left  # "web orders vs store orders"
            if left is None or right is None:
                continue
            a, b = left[1], right[1]
            if a.text.startswith("__period") and b.text.startswith("__period"):
                self.form.derived = self.form.derived or {"kind": "periods"}
                self.form.period = self.periods[int(a.text[8:-2])]
                self.form.compare_period = self.periods[int(b.text[8:-2])]
                s.used = a.used = b.used = True
                continue
            pa, pb = a.first("predicate"), b.first("predicate")
            if pa and pb and not a.used and not b.used and pa[1] != pb[1]:
                if predicate_spec(self.layer, pa[1])["entity"] != predicate_spec(self.layer, pb[1])["entity"]:
                    raise NotUnderstood(f"'{a.text}' and '{b.text}' are conditions on different things; I can put "
                                        "side by side conditions of one kind", hint="e.g. 'active vs inactive products'")
                # "discounted lines vs full-price lines": one row per condition
                self.form.derived = {"kind": "predicates", "values": [pa[1], pb[1]]}
                s.used = a.used = b.used = True
                continue
            va, vb = self.values_of(a), self.values_of(b)
            common = {d for d, _ in va} & {d for d, _ in vb}
            if common:
                dim = sorted(common)[0]
                values = [next(v for d, v in va if d == dim), next(v for d, v in vb if d == dim)]
                # more values in the chain: "web vs store vs b2b"
                k = right[0]
                while True:
                    nxt = self.next_content(k)
                    if nxt is None or not (nxt[1].has("grammar", "compare")):
                        break
                    after = self.next_content(nxt[0])
                    if after is None or dim not in {d for d, _ in self.values_of(after[1])}:
                        break
                    values.append(next(v for d, v in self.values_of(after[1]) if d == dim))
                    nxt[1].used = after[1].used = True
                    k = after[0]
                self.form.compare = {"dimension": dim, "values": values}
                self.form.filters.append(Filter(dim, "in", values))
                if dim not in self.form.dimensions:
                    self.form.dimensions.append(dim)
                s.used = a.used = b.used = True
        if any(s.used and s.has("grammar", "compare") for s in self.spans):
            for s in self.spans:  # "compare revenue 2025 vs 2024": the verb says what "vs" does
                if not s.used and s.text == "compare":
                    s.used = True

    def _values_compared(self) -> None:
        """"compare revenue in Helsinki and Stockholm this year": the verb "compare" before values of one field
        joined by "and" (read as one condition on them) puts them side by side, one row each, as "Helsinki vs
        Stockholm" does (was: 'compare' not placed, refused). Values of two fields, or no such condition, leave the
        verb unplaced."""
        verbs = [s for s in self.spans if not s.used and s.text in ("compare", "comparing") and s.has("grammar", "compare")]
        joined = [x for x in self.form.filters if x.op == "in" and len(x.values) > 1 and x.field in self.layer.dimensions]
        if len(verbs) != 1 or len(joined) != 1 or self.form.compare or self.form.derived or self.form.compare_period \
                or any(x.op == "in" and x is not joined[0] for x in self.form.filters):
            return
        dim = joined[0].field
        self.form.compare = {"dimension": dim, "values": list(joined[0].values)}
        if dim not in self.form.dimensions:
            self.form.dimensions.append(dim)
        verbs[0].used = True

    def _predicate_bounds(self) -> None:
        """"with a discount of 15% or more", "discounted by 20%", "with a discount above 15%": a number right after
        a condition that a column is above zero (the layer's bounded_by) bounds that column instead."""
        for i, s in enumerate(self.spans):
            name = s.arg("predicate") if s.first("predicate") and not s.used else None
            spec = self.layer.predicates.get(str(name), {})
            if spec.get("entity") == "order_lines" and i > 1 and self.spans[i - 1].text in ("item", "items") and \
                    self.spans[i - 2].text in ("some", "any", "an", "a"):
                self.spans[i - 1].used = True  # "had some item with a discount": the line the condition is on
            if spec.get("entity") == "order_lines" and i + 1 < len(self.spans) and \
                    self.spans[i + 1].text in ("item", "items") and any(x.has("entity", "orders") for x in self.spans):
                # "orders with at least one discounted item": an order's item is its line, the condition's own
                # (was: refused, 'item' read as products)
                self.spans[i + 1].used = True
            column = spec.get("bounded_by")
            if not column:
                continue
            k = i + 1
            if k < len(self.spans) and self.spans[k].text in ("of", "by", "at"):
                k += 1
            op = "="
            if k < len(self.spans) and self.spans[k].first("comparator"):
                op = str(self.spans[k].arg("comparator"))
                k += 1
            if k >= len(self.spans) or not self.spans[k].first("number"):
                continue
            number = self.spans[k]
            last = k + 1 if k + 1 < len(self.spans) and self.spans[k + 1].text == "__pct__" else k
            after = self.spans[last + 1] if last + 1 < len(self.spans) else None
            if op == "=" and after is not None and after.first("comparator") and after.text.startswith("or "):
                op = str(after.arg("comparator"))  # "15% or more"
                last += 1
            if op not in ("=", "<", "<=", ">", ">="):
                continue
            self.form.filters.append(Filter(column, op, [number.arg("number")]))
            for t in self.spans[i:last + 1]:
                t.used = True

    def _field_near(self, i: int, direction: int, counts: bool = True) -> tuple[str, Span | None] | None:
        """The attribute or measure a comparator refers to, looking left (-1) or right (+1); ``counts``: a
        thing named on the right may be counted ("more than 10 orders"; not after an amount of money)."""
        rng = range(i - 1, max(-1, i - 5), -1) if direction < 0 else range(i + 1, min(len(self.spans), i + 4))
        for j in rng:
            s = self.spans[j]
            if direction > 0 and counts and s.first("dimension") and not s.first("value") and not s.first("entity") \
                    and s.text.endswith("s") and s.arg("dimension") in self.layer.dimensions and all(
                        t.text in ("different", "distinct", "unique") for t in self.spans[i + 1:j]):
                # "customers who ordered from at least 5 different categories": how many values of it each has
                # (was: the number read as a bound on a figure of the thing on the left, the price of products)
                column = self.layer.dimensions[str(s.arg("dimension"))]["column"]
                head = next((t for t in self.spans if t.first("entity")), None)
                # ("products in at least 3 categories": one value of its own each, never counted)
                if head is not None and self.layer.entities[str(head.arg("entity"))]["table"] != column.split(".")[0]:
                    for t in self.spans[max(0, i - 4):i]:  # "ordered products from at least 5 categories": theirs
                        if t.first("entity") and self.layer.entities[str(t.arg("entity"))]["table"] == column.split(".")[0]:
                            t.used = True
                    return "ndistinct:" + column, s
            if s.first("attribute") and self.layer.column(s.arg("attribute"))["type"] in ("VARCHAR", "BOOLEAN"):
                continue  # "above 500 across warehouses": a number is never compared with a name
            if s.first("attribute"):
                return s.arg("attribute"), s
            if s.first("measure"):
                return s.arg("measure"), s
            if direction > 0 and s.first("entity"):
                return ("count:" + s.arg("entity"), s) if counts else None
            if direction < 0 and s.first("entity"):
                entity = self.layer.entities[s.arg("entity")]
                if entity.get("amount"):
                    return f"{entity['table']}.{entity['amount']}", None  # "orders over 500" = their total
                return None
            if direction > 0 and j + 1 < len(self.spans) and self.spans[j + 1].first("entity") and \
                    self._said_of(s, str(self.spans[j + 1].arg("entity"))):
                continue  # "customers with more than 2 returned orders": the orders counted are those returned
            if s.first("value") or s.first("predicate"):
                return None
        return None

    def _said_of(self, s: Span, entity: str) -> bool:
        """``s`` is a value or condition of the entity's own rows ("returned" of orders, "open" of orders)."""
        table = self.layer.entities[entity]["table"]
        values = self.values_of(s)
        if values and not s.first("predicate"):
            return all(self.layer.dimensions.get(d, {}).get("column", "").split(".")[0] == table for d, _ in values)
        if s.first("predicate") and not values:
            return predicate_spec(self.layer, str(s.arg("predicate")))["entity"] == entity
        return False

    def _ranges_and_comparators(self) -> None:
        placed_money: tuple[int, tuple[str, Span | None]] | None = None  # the last amount placed on a figure, its span
        for i, s in enumerate(self.spans):
            if s.used:
                continue
            if s.has("grammar", "range") and i + 3 < len(self.spans):
                lo, mid, hi = self.spans[i + 1], self.spans[i + 2], self.spans[i + 3]
                if lo.first("number") and hi.first("number") and mid.text in ("and", "to", "-"):
                    # the field after the range first ("between 500 and 600 units in stock"), as for comparators
                    target = self._field_near(i + 3, +1) or self._field_near(i, -1)
                    if target:
                        self._attach(target, "between", [lo.arg("number"), hi.arg("number")])
                        for x in (s, lo, mid, hi):
                            x.used = True
                continue
            comp = s.first("comparator")
            if not comp:
                continue
            op = comp[1]
            # "10 or more" puts the number first
            if s.text.startswith("or "):
                prev = self.prev_content(i)
                if prev and prev[1].first("number"):
                    target = self._field_near(i, +1) or self._field_near(prev[0], -1)
                    if target:
                        self._attach(target, op, [prev[1].arg("number")])
                        s.used = prev[1].used = True
                elif prev and prev[1].first("unit") and prev[0] > 0 and self.spans[prev[0] - 1].first("number"):
                    # "took five days or longer": the number and its unit first, as "at least five days"
                    # (was: the number and 'longer' left unplaced, the question refused)
                    said, per = self.spans[prev[0] - 1], prev[1]
                    target = self._field_near(i, +1) or self._field_near(prev[0] - 1, -1)
                    if target is None and self._about_shipping():
                        target = (next(m for m, spec in self.layer.measures.items() if spec.get("units")), None)
                    if target:
                        self._attach(target, op, [said.arg("number")], per.arg("unit"))
                        s.used = said.used = per.used = True
                continue
            nxt = self.next_content(i)
            if nxt is None or not nxt[1].first("number"):
                continue
            j, num = nxt
            after = self.next_content(j)
            if op == ">=" and num.arg("number") == 1 and after is not None and after[1].first("predicate"):
                s.used = num.used = True  # "at least one discounted line": there is such a line
                continue
            if op == ">=" and num.arg("number") == 1 and after is not None and self.values_of(after[1]):
                k: tuple[int, Span] | None = after
                while k is not None and (self.values_of(k[1]) or k[1].first("predicate")) and not k[1].first("entity"):
                    k = self.next_content(k[0])
                if k is not None and k[1].first("entity"):
                    s.used = num.used = True  # "customers with at least one cancelled order": such an order exists
                    continue
            # "more than 48 hours": the unit belongs to the number; the field is then looked for
            # on the right ("more than 10 orders"), else on the left ("took more than", "orders over")
            unit = self.spans[j + 1] if j + 1 < len(self.spans) and self.spans[j + 1].first("unit") else None
            pct = j + 1 < len(self.spans) and self.spans[j + 1].text == "__pct__"
            if pct:
                self.spans[j + 1].used = True
            of_total = self._of_the_total(j + 1) if pct and op in ("<", "<=", ">", ">=") else None
            if of_total is not None:
                # "made up more than 12.5% of total sales": a bound on each group's share of the total, placed (its
                # words used) only once a share of the total per group is read (_share_bound)
                self.share_bound = (op, float(num.arg("number")) / 100, [s, num, *of_total], True)
                continue
            money = j + 1 < len(self.spans) and self.spans[j + 1].text == "__money__"
            # ("above 30,000 EUR from Finnish customers": money is never a count of the customers)
            right = self._field_near(j + (1 if unit or money else 0), +1, counts=not money)
            if money and right is not None and "." in right[0] and ":" not in right[0] and \
                    self.layer.column(right[0]).get("unit") != "EUR":
                right = None  # "orders worth over 1000 euros: which order ids?": an amount is never an id
            if right is not None and right[1] is not None and i > 0 and self._figure_span(self.spans[i - 1]) and any(
                    x.text in ("with", "and", "that", "have", "has", "having") for x in
                    self.spans[j + 1:self.spans.index(right[1])]):
                # "products priced over 100 euros with a margin above 50%", "... 100 euros have a margin ...": the
                # figure said right before the comparator is bounded; the one after "with"/"have" has a bound of its
                # own (was: the margin bounded twice, or in euros)
                right = None
            target = right or self._field_near(i, -1)
            if after is not None and after[0] == j + 1 and not self._field_near(j, +1) and after[1].has("activity", "sales") \
                    and not unit and not money and "units_sold" in self.layer.measures and \
                    (target is None or target[0].startswith("products.")):
                # "products with under 20 sold in September": a bare number said of selling counts units sold
                target = ("units_sold", None)
                after[1].used = True
            if target is None and money and placed_money is not None and all(
                    x.text in ("but", "and", "yet", "while", "whereas", ",") or x.text.startswith("__period")
                    for x in self.spans[placed_money[0] + 1:i]) and any(
                    x.text.startswith("__period") for x in self.spans[placed_money[0] + 1:i]):
                # "spent over 10000 EUR in 2025 but less than 3000 EUR this year": a second amount right after the
                # first one's period bounds the same figure (each bound's period is placed by _bounds_per_period)
                target = placed_money[1]
            if target is None and money:
                target = self._amount_near(i)  # "web orders in Oslo this year over 200 EUR": the orders' total
            if target is None and unit is not None and self._about_shipping():
                # "delivered within 2 days": a time span measures the layer's duration; not "orders sitting
                # in pending for more than two weeks", where no parcel is spoken of
                target = (next(m for m, spec in self.layer.measures.items() if spec.get("units")), None)
            if target is None:
                continue
            name = target[0]
            if pct and op in ("<", "<=", ">", ">=") and any(x.has("grammar", "growth") for x in self.spans[:i]):
                # "grew revenue (units sold) by more than 50%": a bound on the growth in percent, not on the figure;
                # placed (its words used) only once a growth of two periods is read (_growth_bound)
                by = self.spans[i - 1] if self.spans[i - 1].text == "by" else None
                self.growth_bound = (op, float(num.arg("number")), [s, num, *([by] if by else [])])
                continue
            in_eur = self._in_eur(name) or "." in name and name.count(".") == 1 and ":" not in name \
                and name.split(".")[0] in self.layer.tables \
                and self.layer.tables[name.split(".")[0]]["columns"].get(name.split(".")[1], {}).get("unit") == "EUR"
            if pct and in_eur and op in ("<", "<=", ">", ">=") and name in self.layer.measures and \
                    any(x.has("grammar", "share") for x in self.spans[:i]):
                # "categories with a share of 2025 revenue above 12.5%": the percent bounds the share said before it,
                # placed only once a share of the total per group is read (_share_bound)
                self.share_bound = (op, float(num.arg("number")) / 100, [s, num], False)
                continue
            if pct and in_eur:
                # "more than 40% of their lines discounted": a percent is never a price or an amount in EUR
                raise NotUnderstood(f"{num.arg('number'):g}% is a share, and the figure it would be compared with "
                                    "is an amount in EUR", hint="ask for the share itself, e.g. "
                                    "'share of discounted order lines by product'")
            value = num.arg("number")
            if pct and self.layer.measures.get(target[0], {}).get("fraction"):
                value = value / 100
            self._attach(target, op, [value], unit.arg("unit") if unit else self._bound_unit_in_words(target[1]))
            s.used = num.used = True
            if money and target[0] in self.layer.measures:
                placed_money = (j + 1, target)
            if unit is not None:
                unit.used = True

    def _figure_span(self, s: Span) -> bool:
        """A span naming a figure a number can bound: a numeric column or a measure."""
        if s.first("measure"):
            return True
        return bool(s.first("attribute")) and self.layer.column(s.arg("attribute"))["type"] in ("INT", "DOUBLE")

    def _of_the_total(self, k: int) -> list[Span] | None:
        """The words "of (the) total" / "of (the) whole" right after the percent sign at ``k`` ("more than 12.5% of
        total sales"): what the percent is a share of is the total of the figure named after them; else None."""
        words = self.spans[k + 1:k + 4]
        if not words or words[0].text != "of":
            return None
        said = [words[0]]
        rest = words[1:]
        if rest and rest[0].text == "the":
            said.append(rest[0])
            rest = rest[1:]
        if rest and rest[0].text in self.layer.grammar.get("share_wholes", []) and not rest[0].used:
            return [*said, rest[0]]
        return None

    def _bound_unit_in_words(self, span: Span | None) -> str | None:
        """"over 48 hours to deliver", "delivery hours above 30": a time unit inside the words of the duration
        a bound is said of is the bound's unit (not the duration's default one)."""
        if span is None:
            return None
        measure = self.layer.measures.get(span.arg("measure") or "", {}) if span.first("measure") else {}
        if not measure.get("units"):
            return None
        units = self.layer.grammar.get("units", {})
        return next((units[w] for w in span.text.split() if units.get(w) in measure["units"]), None)

    def _about_shipping(self) -> bool:
        """Does the question speak of parcels (shipments, their dates, carriers, arrivals)?"""
        for s in self.spans:
            if s.has("entity", "shipments") or s.has("dimension", "carrier") or any(
                    x[0] == "activity" and x[1] in ("delivered", "shipments") for x in s.senses):
                return True
            if any(x[0] == "predicate" and predicate_spec(self.layer, x[1])["entity"] == "shipments" for x in s.senses):
                return True
            if any(x[0] == "measure" and self.layer.measures[x[1]].get("units") for x in s.senses):
                return True
        return False

    def _amount_near(self, i: int) -> tuple[str, Span | None] | None:
        """The money attribute of the nearest entity before ``i`` (else after it) that has an amount."""
        order = [*range(i - 1, -1, -1), *range(i + 1, len(self.spans))]
        for k in order:
            ent = self.spans[k].first("entity")
            if ent and self.layer.entities[ent[1]].get("amount"):
                spec = self.layer.entities[ent[1]]
                return f"{spec['table']}.{spec['amount']}", None
        context: QueryForm | None = getattr(self, "context", None)
        previous = self.layer.entities.get(context.subject or "", {}) if context is not None else {}
        if previous.get("amount") and context is not None and context.kind == "list" and points_back(self.spans):
            # "which of those were over 300 EUR?" after orders listed: the amount of the things listed
            return f"{previous['table']}.{previous['amount']}", None
        return None

    def _money_placed(self) -> None:
        """A currency after a number that was read as a value ("between 100 and 200 EUR") is its unit."""
        for k, s in enumerate(self.spans):
            if s.text == "__money__" and k > 0 and self.spans[k - 1].used and self.spans[k - 1].first("number"):
                s.used = True
                # "a margin below 2 euros": an amount in money bounds the money variant of a fraction measure
                # (a margin in euros per unit), never the fraction itself (every product is below 2)
                number = self.spans[k - 1].arg("number")
                for j, flt in enumerate(self.form.filters):
                    variant = self.layer.measures.get(flt.field, {}).get("in_eur")
                    if variant and number in flt.values and self.layer.measures[flt.field].get("fraction"):
                        self.form.measures = [variant if x == flt.field else x for x in self.form.measures]
                        self.form.filters[j] = replace(flt, field=variant)
                # "less than 2 euros per unit": the amount's unit, when what it bounds is a figure per unit (a
                # measure the layer marks per_unit, or a column it describes per unit: list price, unit cost)
                after = [x.text for x in self.spans[k + 1:k + 3]]
                if after == ["per", "unit"] and not any(x.used for x in self.spans[k + 1:k + 3]) and any(
                        self._per_unit(flt.field) and self.spans[k - 1].arg("number") in flt.values
                        for flt in self.form.filters):
                    for x in self.spans[k + 1:k + 3]:
                        x.used = True

    def _per_unit(self, field: str) -> bool:
        """A figure stated per unit of a product: a measure the layer marks so, or a column described so."""
        if self.layer.measures.get(field, {}).get("per_unit"):
            return True
        table, _, column = field.partition(".")
        return bool(column) and "per unit" in self.layer.tables.get(table, {}).get("columns", {}).get(
            column, {}).get("description", "")

    def _percent_values(self) -> None:
        """"lines with a 20% discount": a number in percent just before a column kept in percent is
        that column's value (row by row, not an average)."""
        for i, s in enumerate(self.spans[:-2]):
            pct, target = self.spans[i + 1], self.spans[i + 2]
            if s.used or not s.first("number") or pct.text != "__pct__" or target.used:
                continue
            attr = next((x[1] for x in target.senses if x[0] == "attribute"
                         and self.layer.column(x[1]).get("unit") == "%"), None)
            if attr:
                self.form.filters.append(Filter(attr, "=", [s.arg("number")]))
                s.used = pct.used = target.used = True

    def _attach(self, target: tuple[str, Span | None], op: str, values: list, unit: str | None = None) -> None:
        name, span = target
        if span is not None:
            span.used = True
        if unit and not self.layer.measures.get(name, {}).get("units"):
            raise NotUnderstood(f"'{unit}' only applies to delivery times", field="question",
                                hint="e.g. 'deliveries that took more than 48 hours'")
        self.form.filters.append(Filter(name, op, values, unit))
        if name.startswith("count:"):
            self.form.notes.append(f"count_of:{name[6:]}")

    def _contains(self) -> None:
        f = self.form
        for i, s in enumerate(self.spans):
            if s.text.startswith("__text"):
                text = self.texts[int(s.text[6:-2])]
                s.used = True
                prev = self.prev_content(i)
                starts = prev is not None and prev[1].has("grammar", "starts_with")
                if prev and (prev[1].has("grammar", "contains") or starts):
                    prev[1].used = True
                nxt = self.next_content(i)
                if nxt and nxt[1].has("grammar", "name_field"):
                    nxt[1].used = True
                # "names that start with 'Bygg'": the text at the start, else anywhere in the name
                f.notes.append(f"{'starts' if starts else 'contains'}:{text}")
            elif s.has("grammar", "starts_with") and not s.used and self._text_after(i) is not None:
                pass  # the text slot after it places it ("tracking numbers that start with AB-")
            elif s.has("grammar", "contains") and not s.used and self._holds_items(i):
                s.used = True  # "orders containing Kitchen products": what the orders hold, not a text match
            elif s.has("grammar", "contains") and not s.used:
                nxt = self.next_content(i, skip_stop=False)
                if nxt and not nxt[1].senses:
                    f.notes.append(f"contains:{nxt[1].text}")
                    s.used = nxt[1].used = True
                    after = self.next_content(nxt[0])
                    if after and after[1].has("grammar", "name_field"):
                        after[1].used = True
        for s in self.spans:
            if not s.used and s.has("grammar", "name_field") and any(n.startswith(("contains:", "starts:"))
                                                                    for n in f.notes):
                s.used = True

    def _text_after(self, i: int) -> int | None:
        nxt = self.next_content(i)
        return nxt[0] if nxt is not None and nxt[1].text.startswith("__text") else None

    def _holds_items(self, i: int) -> bool:
        nxt = first = self.next_content(i)
        while nxt is not None and (nxt[1].first("number") or nxt[1].first("comparator") or nxt[1].has("grammar", "both")):
            nxt = self.next_content(nxt[0])
        if nxt is None or self._entity_before(i) != "orders":
            return False
        t = nxt[1]
        item_side = {d for d, spec in self.layer.dimensions.items()
                     if spec["column"].split(".")[0] in ("products", "order_items")}
        # ("orders that contained copper pipes": a kind of product said without its brand, right after the verb, is
        # what the orders hold too; with a number before it, "contain more than 2 copper pipes", it is left to refuse)
        return bool({d for d, _ in self.values_of(t)} & item_side or t.has("entity", "products")
                    or t.has("entity", "order_lines") or t.has("measure", "units_sold") or t.first("predicate")
                    or (nxt is first and t.first("product_kind")))

    def _each_did(self) -> None:
        """"For customers in Tampere, the number of orders each placed": "each" before the verb is each of the
        things named before (another entity than the one counted), so the figure is per one of them. "Which business
        customers bought last year, and how much did each spend?": "each" before the figure's own verb is each of the
        things listed (was: refused on 'each')."""
        f = self.form
        if f.dimensions and len(f.measures) == 1 and not f.derived:
            # "the top 3 cities by revenue in 2025, and how much did each bring in?": "each" before the figure's own
            # verb (or the activity's), after the groups were named, is each of those groups; the figure asked is
            # the one already shown per group (was: refused on 'each')
            for k, s in enumerate(self.spans[:-1]):
                verb = self.spans[k + 1]
                if verb.text in ("has", "have", "had") and k + 2 < len(self.spans):
                    verb = self.spans[k + 2]
                if not s.used and s.text == "each" and (verb.has("measure", f.measures[0]) or verb.first("activity")) \
                        and any(x.used and x.first("dimension") and x.arg("dimension") in f.dimensions
                                                  for x in self.spans[:k]):
                    s.used = verb.used = True
            return
        if f.dimensions or len(f.measures) != 1 or f.derived:
            return
        auxiliaries = set(self.layer.grammar.get("auxiliaries", []))
        for k, s in enumerate(self.spans):
            # "business customers in Finland - names and how many orders they placed": "they" after the things'
            # own column was listed is each of them, as "each" is (was: one count over all of them)
            listed = s.text == "they" and any(
                x.first("attribute") and not x.first("entity") and self.spans[j + 1].text == "and" and any(
                    e.first("entity") and str(x.arg("attribute")).split(".")[0] ==
                    self.layer.entities[str(e.arg("entity"))]["table"] for e in self.spans[:j])
                for j, x in enumerate(self.spans[:k]))
            # "customers in Oslo and how many orders they placed": "they" right after "<things> and how many <x>"
            # is each of the things listed (was: one count over all of them, the things' word dropped)
            joined = s.text == "they" and not listed and any(
                a.text == "and" and b.text == "how many" and self.spans[j + 2:k] and
                all(not x.first("entity") or x.arg("entity") == f.subject for x in self.spans[j + 2:k]) and any(
                    e.first("entity") and e.first("dimension") and e.arg("entity") != f.subject
                    for e in self.spans[:j])
                for j, (a, b) in enumerate(zip(self.spans[:k], self.spans[1:k], strict=False)))
            listed = listed or joined
            if s.used or s.text != "each" and not listed or k + 1 >= len(self.spans):
                continue
            verb = self.spans[k + 1]
            if verb.text in ("has", "have", "had") and k + 2 < len(self.spans):
                verb = self.spans[k + 2]  # "how many orders each has placed": the perfect's own verb
            elif k > 0 and self.spans[k - 1].text == "of" and verb.text in auxiliaries and "'" not in verb.text \
                    and [x.text for x in self.spans[k + 2:k + 3]] == ["we"] and k + 3 < len(self.spans):
                verb = self.spans[k + 3]  # "how many units of each did we sell": the question's own verb past "did we"
            figure = verb.has("measure", f.measures[0]) and not verb.first("activity")
            if listed and not joined and not verb.first("activity"):
                continue  # ("names and how much they spent": the figure shown beside each, read with the columns)
            if not (verb.first("activity") or figure or joined):
                continue
            named = [x for x in self.spans[:k] if x.first("entity") and x.first("dimension")
                     and (figure or x.arg("entity") != f.subject)]
            own = [x for x in self.spans[:k] if x.has("entity", f.subject)] if f.subject else []
            if not named and own and f.measures[0] in self.layer.measures and \
                    self.layer.measures[f.measures[0]].get("entity") != f.subject and \
                    any(x.first("predicate") and x.used for x in self.spans[:k]):
                # "for the products that are low on stock, how many units did each sell this year?", "of the
                # discontinued products, how many units of each did we sell": each of the things listed (those in
                # the condition named) with its own figure beside it, one with none at 0 (was: refused on 'each')
                f.show.append(f.measures.pop())
                if "zero_included" not in f.notes:
                    f.notes.append("zero_included")
                s.used = True
            elif len(named) == 1:
                f.dimensions.append(str(named[0].arg("dimension")))
                s.used = True
            elif not named and f.subject and f.measures[0] in self.layer.measures and any(
                    a.text == "and" and b.text == "how many" and any(x.has("entity", f.subject) for x in self.spans[:j])
                    for j, (a, b) in enumerate(zip(self.spans[:k], self.spans[1:k], strict=False))):
                # "low stock products and how many units each sold this year": the figure of each of the things
                # listed, shown beside them as "with their units sold" (was: refused, 'each' not placed)
                f.show.append(f.measures.pop())
                s.used = True
            return

    def _each_closing(self) -> None:
        """"inactive products that still have stock left: how many units each?": "each" closing the question
        right after the one figure's word, the things named being those the figure is held by (stock of
        products), is each of them: the figure per one of them (was: refused on 'each')."""
        f = self.form
        if f.kind != "aggregate" or f.dimensions or f.grain or len(f.measures) != 1 or f.derived or f.order_by:
            return
        spans = [x for x in self.spans if not (x.senses and all(y[0] == "stop" for y in x.senses))]
        # ("... how many units each? (clearance list)": a purpose said after it names what the list is for; it is
        # placed, or refused, by the purposes step)
        tail = 0
        while len(spans) > 2 and spans[-1].first("purpose") and not spans[-1].used:
            spans.pop()
            tail += 1
        last = self.spans[-1 - tail] if tail < len(self.spans) else None
        if len(spans) < 2 or spans[-1].text != "each" or spans[-1].used or spans[-1] is not last or \
                any(not x.first("purpose") for x in self.spans[len(self.spans) - tail:]):
            return
        figure = spans[-2]
        entity = self.layer.measures.get(f.measures[0], {}).get("entity")
        dim = self._thing_dimension(entity)
        # the things named: the subject, or those a condition said of them names ("products in stock")
        named = f.subject == entity or f.subject is None and any(
            self.layer.predicates.get(p, {}).get("entity") == entity for p in f.predicates)
        if not figure.used or figure.first("measure") is None or dim is None or not named:
            return
        f.dimensions.append(dim)
        spans[-1].used = True

    def _those_with_figure(self) -> None:
        """"number of orders per customer, only those with 8 or more": a bound said last, after "with", of the one
        figure asked per group, is a condition on that figure (a HAVING)."""
        f = self.form
        if len(f.measures) != 1 or not f.dimensions or f.derived:
            return
        name = f.measures[0]
        field = f"count:{f.subject}" if name == "count" and f.subject else name
        if not (field.startswith("count:") or name in self.layer.measures):
            return
        left = [k for k, s in enumerate(self.spans) if not s.used and not s.has("stop") and not s.text.startswith("__")]
        if len(left) != 2 or left[1] != left[0] + 1 or self.next_content(left[1]) is not None:
            return
        a, b = self.spans[left[0]], self.spans[left[1]]
        if a.first("number") and b.text in ("or more", "or less") and b.first("comparator"):
            op, value = b.arg("comparator"), a.arg("number")
        elif a.first("comparator") and b.first("number"):
            op, value = a.arg("comparator"), b.arg("number")
        else:
            return
        if left[0] == 0 or self.spans[left[0] - 1].text != "with":
            return
        f.filters.append(Filter(field, op, [value]))
        a.used = b.used = True

    def _both(self) -> None:
        """"orders with both the Fiskars Radiator and the Oras Wall Paint": every one of the values,
        not any of them; "both numbers side by side" beside a comparison says nothing more."""
        f = self.form
        for i, s in enumerate(self.spans):
            if s.used or not s.has("grammar", "both"):
                continue
            nxt = self.next_content(i)
            slots = [k for k, x in enumerate(self.spans) if x.text.startswith("__period")]
            # "which categories sold less in October than in September? show both months' revenue": said after the
            # two periods, of their grain, it asks for the two figures the comparison already shows (the
            # comparison is read later; "ordered in both 2025 and 2026" says it before the periods)
            restated = nxt is not None and nxt[1].first("grain") and nxt[1].text.endswith("s") and \
                len({self.spans[k].text for k in slots}) >= 2 and all(k < i for k in slots)
            # "more revenue this year than in 2025? Show both figures.": said after the two periods, "both" and a
            # noun of figures ask for the two periods' figures, which the comparison shows (was: 'both' refused)
            noun = self.spans[i + 1] if i + 1 < len(self.spans) else None
            if noun is not None and noun.text in ("figures", "numbers", "values", "totals") and \
                    all(x[0] == "stop" for x in noun.senses) and \
                    len({self.spans[k].text for k in slots}) >= 2 and all(k < i for k in slots):
                restated = True
                noun.used = True
            if f.compare or (f.derived or {}).get("kind") in ("periods", "predicates", "growth") or restated:
                s.used = True  # "both quarters' revenue": the two periods compared
                if nxt is not None and not nxt[1].used and nxt[1].first("grain") and nxt[1].text.endswith("s") \
                        and len({x.text for x in self.spans if x.text.startswith("__period")}) >= 2:
                    nxt[1].used = True
                continue
            nxt = self.next_content(i)
            values = self.values_of(nxt[1]) if nxt is not None else []
            flt = next((x for x in f.filters if values and x.field == values[0][0] and x.op == "in"
                        and len(x.values) >= 2), None)
            if flt is not None:
                flt.op = "all of"
                s.used = True

    def _values_held_together(self) -> None:
        """"How many Fiskars units do Kuopio and Vantaa hold together?": a closing "together" after two or more
        values of one place, neither split by nor of products (not "bought together"), is their sum, as the
        filter already reads them (was: refused, 'together' not placed)."""
        f = self.form
        last = self.prev_content(len(self.spans))
        if last is None or last[1].used or last[1].text != "together" or f.notes and "together" in f.notes:
            return
        if f.kind == "list" or not f.measures:
            return
        said = [x for x in f.filters if x.op == "in" and len(x.values) >= 2 and x.field in self.layer.dimensions
                and x.field not in f.dimensions and not self.layer.dimensions[x.field]["column"].startswith("products.")]
        if said:
            last[1].used = True

    def _only_through(self) -> None:
        """"customers who have ordered exclusively through the store channel", "only via web": customers none of
        whose orders went another way, not customers with one store order among others."""
        f = self.form
        preps = ("through", "via", "in", "on", "from", "using", "to", "by")
        verbs = ("ordered", "bought", "purchased", "shopped", "sold", "order", "buy", "purchase", "shop")
        n = len(self.spans)
        for i, s in enumerate(self.spans):
            if s.text not in ("only", "exclusively", "solely") or i + 1 >= n:
                continue
            # "who only ordered in store", "with only web orders": the verb before the way, or the way said
            # as the orders' adjective, say the same "every order that way"; "only ever ordered in store" too
            # (was: 'ever' hid the verb, and one store order among others counted)
            k = i + 1 + (i + 2 < n and self.spans[i + 1].text == "ever")
            # ("ever ordered" is one span, the layer's ever_ordered)
            verb = self.spans[k].text in verbs or self.spans[k].text.removeprefix("ever ") in verbs
            k += verb
            prep = k < n and self.spans[k].text in preps
            k += prep
            k += k < n and self.spans[k].text == "the"
            if not (prep or verb or k + 1 < n and self.spans[k + 1].text in ("orders", "order")):
                continue
            values = self.values_of(self.spans[k]) if k < n else []
            flt = next((x for x in f.filters if values and x.field == values[0][0] and x.op in ("=", "in")), None)
            if f.subject != "customers" or flt is None or \
                    self.layer.dimensions.get(flt.field, {}).get("column", "").split(".")[0] != "orders":
                if verb and values and f.subject not in ("orders", None):
                    # "products only sold to business customers": every sale to them is not a restriction
                    raise NotUnderstood(f"I cannot yet answer '{s.text} {self.spans[i + 1].text}' (every one "
                                        "of their orders) of this", field=s.text)
                continue
            flt.op = "only of"
            flt.values = list(flt.values)
            s.used = True

    def _every_one_of_their_orders(self) -> None:
        """"How many customers had every single one of their orders delivered?", "customers whose orders were all
        cancelled": the value said of the orders holds for every order of the customer (as "only ... orders"),
        not for one order among others (was: 'all' dropped, customers with one such order counted, or refused).
        Words from the layer (grammar.every_one_of_their); a universal said of their orders with no value of the
        orders themselves to hold it (a shipment's carrier) is refused, never read as "some order"."""
        spec = self.layer.grammar.get("every_one_of_their", {})
        universal, fillers = spec.get("universal", []), spec.get("fillers", [])
        owners, links = spec.get("owners", []), spec.get("links", [])
        f = self.form
        n = len(self.spans)
        said: list[int] = []
        for k, s in enumerate(self.spans):
            if not s.has("entity", "orders") or k == 0:
                continue
            j = k - 1
            if self.spans[j].text not in owners:
                continue
            before = j - 1
            # "every single one of their orders", "all (of) their orders"
            while before >= 0 and self.spans[before].text in fillers:
                before -= 1
            if before >= 0 and self.spans[before].text in universal and not self.spans[before].used:
                said = [before, *range(before + 1, j)]
                break
            # "whose orders were all ...", "their orders have all been ..."
            after = k + 1
            while after < n and self.spans[after].text in links:
                after += 1
            if after < n and self.spans[after].text in universal and not self.spans[after].used:
                said = [after]
                break
        if not said or f.subject != "customers":
            return
        if any(s.text.startswith("__period") for s in self.spans):
            # "all of their orders in 2025 delivered": every order of the period, which I do not test (every order
            # ever, with one in the period, would be another count)
            raise NotUnderstood(f"I can test '{self.spans[said[0]].text}' of their orders over all their orders, "
                                "not over the orders of a period", field=self.spans[said[0]].text,
                                hint="e.g. 'customers who had all of their orders delivered'")
        held = [x for x in f.filters if x.op in ("=", "in")
                and self.layer.dimensions.get(x.field, {}).get("column", "").split(".")[0] == "orders"]
        if len(held) != 1 or len(f.filters) != len(held) and any(
                self.layer.dimensions.get(x.field, {}).get("column", "").split(".")[0] not in ("orders", "customers")
                for x in f.filters if x not in held):
            raise NotUnderstood(f"I can test '{self.spans[said[0]].text}' of their orders only on one value of the "
                                "orders themselves (their status or channel)", field=self.spans[said[0]].text,
                                hint="e.g. 'customers who had all of their orders delivered'")
        held[0].op = "only of"
        held[0].values = list(held[0].values)
        for k in said:
            self.spans[k].used = True

    def _every_line_of_the_orders(self) -> None:
        """"how many orders had a discount of at least 10% on every single line?", "orders with all lines discounted":
        the condition said of the lines holds on every line of the order (the layer's note ``every_line``; the
        planner tests it on all of them), not on one line among others (was: 'every' refused; "all lines" dropped, an
        order with one such line counted). Only of orders, with conditions on the lines' own columns; a condition on
        the products of the lines ("every Makita line") is refused."""
        spec = self.layer.grammar.get("every_one_of_their", {})
        universal, fillers = set(spec.get("universal", [])), set(spec.get("fillers", [])) | {"its", "their", "the"}
        f = self.form
        said: list[int] = []
        for k, s in enumerate(self.spans):
            if s.used or s.text not in universal:
                continue
            j = k + 1
            while j < len(self.spans) and self.spans[j].text in fillers:
                j += 1
            if j < len(self.spans) and self.spans[j].has("entity", "order_lines"):
                said = list(range(k, j + 1))
                break
        if not said or f.subject != "orders" or f.dimensions or f.grain:
            return  # ("average discount across all order lines": the lines a figure is taken over, read elsewhere)
        lines = [x for x in f.filters if str(self.layer.dimensions.get(x.field, {}).get("column", x.field)).split(".")[0]
                 == "order_items"]
        held = [p for p in f.predicates if re.fullmatch(r"order_items\.\w+\s*[<>=!]+\s*[\w.]+",
                                                         str(self.layer.predicates.get(p, {}).get("sql", "")).strip())]
        products = [x for x in f.filters if str(self.layer.dimensions.get(x.field, {}).get("column", x.field)).split(".")[0]
                    == "products"]
        if not (lines or held):
            return
        if products:
            raise NotUnderstood(f"I can test '{self.spans[said[0]].text} line' only on a value of the order lines "
                                "themselves (their discount)", field=self.spans[said[0]].text,
                                hint="e.g. 'orders with a discount of at least 10% on every line'")
        f.notes.append("every_line")
        for k in said:
            self.spans[k].used = True

    def _lines_of_the_orders(self) -> None:
        """A condition on order lines said of the orders counted or summed. "orders that had no discounted line",
        "orders with no discount at all", "full-price orders": a negated line condition (or one the layer marks
        ``none_of`` another: full price is no discount) holds on every line of the order (note ``every_line``),
        not on one line among others (was: the orders with some undiscounted line). "revenue from orders that had
        at least one discounted line": an order with such a line is summed whole (note ``some_line``), not only
        that line (was: the discounted lines' revenue). Not with a grouping or another condition on the lines or
        their products (which line each would be of is not said: "no discounted Makita line" is refused, "the
        Makita Hammer bought at full price" is that product's line); "orders with a line without a discount" (a line
        said to exist) keeps the line condition."""
        f = self.form
        if f.subject != "orders" or "every_line" in f.notes or f.dimensions or f.grain or f.derived:
            return
        lines = [p for p in f.predicates if predicate_spec(self.layer, p).get("entity") == "order_lines"]
        if len(lines) != 1:
            return
        table = self.layer.entities["order_lines"]["table"]
        near = [x for x in f.filters if str(self.layer.dimensions.get(x.field, {}).get("column", x.field)).split(".")[0]
                in (table, "products")]
        p = lines[0]
        base = p[4:] if negated_predicate(self.layer, p) else p
        at = next((k for k, s in enumerate(self.spans) if s.has("predicate", p) or s.has("predicate", base)), None)
        orders = next((k for k, s in enumerate(self.spans) if s.has("entity", "orders")), None)
        if at is None:
            return
        between = self.spans[orders + 1:at] if orders is not None and orders < at else []
        said_one = any(s.text in ("a", "an", "one", "some", "1") or s.first("comparator") for s in between) and any(
            s.has("entity", "order_lines") for s in self.spans[orders + 1 if orders is not None else 0:at])
        if negated_predicate(self.layer, p) or predicate_spec(self.layer, p).get("none_of"):
            if said_one or near and not negated_predicate(self.layer, p):
                # "orders with a line without a discount": that line exists; "orders that include the <product>
                # bought at full price": the state of that product's line
                return
            if near:
                raise NotUnderstood("I can say 'no ... line' of an order only with the condition on its lines alone",
                                    hint="e.g. 'orders with no discounted line'")
            f.notes.append("every_line")
        elif not near and any(m != "count" for m in f.measures):
            f.notes.append("some_line")

    def _rows_of_the_named(self) -> None:
        """"orders that have no shipment record", "shipment records shipped in 2025": a word of the layer's
        ``row_words`` right after words that end in the noun of a thing of the lake (placed: an entity, or a condition
        said with it, "have no shipment") is that thing's row, the thing itself."""
        words = set(self.layer.grammar.get("row_words", []))
        nouns = {str(e.get(k, "")).split()[-1] for e in self.layer.entities.values() for k in ("singular", "plural")
                 if e.get(k)}
        for k in range(1, len(self.spans)):
            s, before = self.spans[k], self.spans[k - 1]
            if not s.used and s.text in words and before.used and before.text.split()[-1] in nouns and (
                    before.first("entity") or before.first("predicate")):
                s.used = True

    def _inclusive_range_said(self) -> None:
        """"orders between 2026-03-15 and 2026-04-15 (both days included)", "a unit price between 20 and 30 EUR,
        inclusive": beside a range between two ends (a "between" bound, or a period said "between"/"from" one day
        to another) the layer's ``inclusive_range`` words restate that both ends are in, as they already are; beside
        anything else ("after May 1, inclusive") they stay unplaced."""
        f = self.form
        ranged = any(x.op == "between" for x in f.filters) or any(" to " in p.label for p in self.periods) \
            and re.search(r"\b(?:between|from)\b", self.question, re.IGNORECASE) is not None
        if not ranged:
            return
        texts = [s.text for s in self.spans]
        for phrase in sorted(self.layer.grammar.get("inclusive_range", []), key=len, reverse=True):
            words = phrase.split()
            for k in range(len(texts)):
                run: list[Span] = []
                said: list[str] = []
                for s in self.spans[k:]:
                    if len(said) >= len(words):
                        break
                    run.append(s)
                    said += s.text.split()
                if said == words and not any(s.used for s in run):
                    for s in run:
                        s.used = True

    def _status_of_ones_orders(self) -> None:
        """"what's the status of <one customer>'s orders from October": the status of each of that one
        customer's orders is asked (a list of them with their status), not a count per status; a count word
        ("how many"), a grouping ("by", "per") or several customers keep the breakdown."""
        f = self.form
        if f.measures not in ([], ["count"]) or f.dimensions != ["status"] or f.grain or f.limit or f.order_by \
                or f.derived or f.subject not in (None, "orders") or f.lookup:
            return
        who = f.filter_on("customer")
        if who is None or who.op != "=" or len(who.values) != 1:
            return
        # "status of every order she placed": each of the orders listed (no grouping word)
        each_order = [s for k, s in enumerate(self.spans[:-1]) if s.text in ("each", "every") and not s.used
                      and self.spans[k + 1].has("entity", "orders")]
        if any(s.has("grammar", "count") or s.has("grammar", "group_by") for s in self.spans if s not in each_order):
            return
        at = next((k for k, s in enumerate(self.spans) if s.first("dimension") and s.arg("dimension") == "status"), None)
        if at is None or at + 1 >= len(self.spans) or self.spans[at + 1].text != "of":
            return
        f.measures = []
        f.dimensions = []
        f.subject = "orders"
        if "orders.status" not in f.show:
            f.show.append("orders.status")
        for s in each_order:
            s.used = True

    def _event_predicate_dated(self) -> None:
        """"orders that have been shipped before 25 October", "has shipped this month": a period right after a
        condition that states an event of other rows (the layer predicate's ``event``) is when that event
        happened (was: the orders' own date)."""
        f = self.form
        if "period_field:said" in f.notes:
            return
        for k, s in enumerate(self.spans[:-1]):
            event = predicate_spec(self.layer, s.arg("predicate")).get("event") if s.first("predicate") else None
            if event and s.arg("predicate") in f.predicates and self.spans[k + 1].text.startswith("__period"):
                f.period_field = event
                return

    def _status_of_shipment(self) -> None:
        """"delivered orders that were not late": beside a condition on shipments, a status that a
        shipment predicate states (``status_value``) is that shipment fact, so orders delivered and
        later returned still count as delivered."""
        f = self.form
        # "Posti average delivery days in 2025 (delivered ones)": a figure of shipments alone, with no order noun
        # said, is of delivered parcels too (was: the order status 'delivered', dropping parcels of orders later
        # returned)
        of_parcels = bool(f.measures) and all(self.layer.measures.get(m, {}).get("entity") == "shipments"
                                              for m in f.measures) and f.subject in (None, "shipments") and \
            not any(x.has("entity", "orders") for x in self.spans)
        # "how many shipments have been delivered", "the share of shipments sent this year and already delivered":
        # the shipments counted, no order noun said, are delivered parcels (was: their order's status)
        of_parcels = of_parcels or f.subject == "shipments" and all(m == "count" for m in f.measures) and \
            not f.dimensions and not any(x.has("entity", "orders") for x in self.spans)
        if not of_parcels and not any(predicate_spec(self.layer, p)["entity"] == "shipments" for p in f.predicates):
            return
        for name, spec in self.layer.predicates.items():
            value = spec.get("status_value")
            flt = f.filter_on("status")
            if value and flt is not None and flt.op == "=" and flt.values == [value]:
                f.filters.remove(flt)
                if name not in f.predicates:
                    f.predicates.append(name)

    def _undelivered_orders(self) -> None:
        """"orders from last month that are not delivered": with nothing said of parcels (no parcel noun, carrier
        or shipping), orders not delivered are those whose status is not 'delivered' (pending and paid ones
        too), not the orders with a parcel in transit."""
        f = self.form
        if "not_delivered" not in f.predicates or f.subject != "orders":
            return
        # ("still pending, paid or shipped (so not yet delivered)": "shipped" one of a list of the orders' statuses
        # is their status, nothing said of parcels)
        listed = {v for x in f.filters if x.field == "status" and x.op == "in" and len(x.values) > 1 for v in x.values}
        if any(x.has("entity", "shipments") or self._is_carrier(x) or x.first("measure") or (
                "ship" in x.text and not any(x.has("value", "status", v) for v in listed)) for x in self.spans):
            return
        # "which of Erik's orders are still in transit", "on the way": words that say a parcel is moving
        moving = set(self.layer.predicates["not_delivered"].get("said_of_parcels", []))
        if any(x.has("predicate", "not_delivered") and moving & set(x.text.split()) for x in self.spans):
            return
        value = self.layer.predicates["delivered"].get("status_value")
        if value is None:
            return
        f.predicates.remove("not_delivered")
        f.filters.append(Filter("status", "not in", [value]))

    def _counted_where(self, f: QueryForm) -> None:
        """"total shortfall of Kitchen products": a figure that exists only under a condition (the layer's
        ``counted_where``: a shortfall only where stock is below the reorder level) summed over many things counts
        only those meeting it, unless the question states that condition or one it is shown with (else the
        surplus of the others makes the total negative). One product's own figure is left as asked."""
        if f.kind != "aggregate" or f.lookup or "product" in f.dimensions or f.filter_on("product"):
            return
        for m in f.measures:
            spec = self.layer.measures.get(m, {})
            cond = spec.get("counted_where")
            if cond and cond not in f.predicates and not set(spec.get("shown_with", [])) & set(f.predicates):
                f.predicates.append(cond)

    def _no_such_orders(self, f: QueryForm) -> None:
        """"customers with no delivered order", "... but have no delivered order": none of their orders in that
        state (a condition on all their orders), which the conditions on one order cannot say: refused."""
        if f.subject != "customers":
            return
        for k, s in enumerate(self.spans[:-2]):
            if s.text not in ("no", "without") or not s.has("grammar", "negation"):
                continue
            j = k + 1
            while j < len(self.spans) and self.spans[j].text in ("a", "an", "any"):
                j += 1
            if j + 1 < len(self.spans) and self.values_of(self.spans[j]) and self.spans[j + 1].has("entity", "orders"):
                raise NotUnderstood(f"customers with no {self.spans[j].text} order (none of their orders so) is not "
                                    "a condition I can state", hint="e.g. 'customers with a "
                                    f"{self.spans[j].text} order' or 'customers who never ordered'")

    def _values_never_bought(self) -> None:
        """"which categories has customer 12 never bought from": the values of a product dimension
        with no order line of that customer (a set difference), not customers without orders."""
        f = self.form
        if f.predicates != ["never_ordered"] or f.measures or f.order_by or f.compare:
            return
        if not any(x.field in ("customer", "customers.customer_id") for x in f.filters):
            return
        dims = [d for d in f.dimensions if not self.layer.dimensions[d].get("entity")
                and self.layer.dimensions[d]["column"].startswith("products.")]
        own = self._own_dimension("products")
        if not f.dimensions and f.subject == "products" and own and not f.limit and not any(
                s.first("number") or s.has("grammar", "recommend") for s in self.spans):
            # "which Tools products has Build Tamm Oy never bought?": the products themselves, by name
            dims = f.dimensions = [own]
        if len(dims) != 1 or len(f.dimensions) != 1:
            return
        f.kind, f.subject, f.predicates = "not_bought", "products", []
        f.notes = [n for n in f.notes if not n.startswith("values_of:")]
