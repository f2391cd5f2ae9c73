"""Columns shown: what is listed beside the answer (own columns, possessives, shown too)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..query import QueryForm
from .base import StateBase


class ColumnSteps(StateBase):
    """Steps that read which columns are shown beside the answer."""

    def _shown_too(self) -> None:
        """"Which customers have placed more than 30 orders? Show the number of orders too.": a last "too" / "as
        well" after a figure placed, in a clause that asks to show it, of a question grouped by the things (the
        figure is each one's) adds nothing to read (was: 'too' unplaced, refused)."""
        if len(self.spans) < 3 or not self.spans[-1].has("grammar", "adding") or self.spans[-1].used:
            return
        figure = self.spans[-2]
        if not figure.used or not any(x[0] in ("measure", "entity", "attribute", "dimension") for x in figure.senses):
            return
        bounded = not self.form.measures and figure.first("measure") is not None and any(
            x.field == figure.arg("measure") and x.op in ("<", "<=", ">", ">=", "between") for x in self.form.filters)
        if not self.form.dimensions and not bounded:
            # "anything to reorder? show stock too": a figure beside listed things, not read here: refused ("which
            # products have more than 900 units in stock? give the stock too": the figure bounded, which a list
            # shows beside each row, is read)
            return
        k = len(self.spans) - 2
        while k > 0 and self.spans[k - 1].text not in ("show", "display", "give", "include", "list"):
            if self.spans[k - 1].text in (".", "?", ",", "and") or self.spans[k - 1].first("comparator"):
                return
            k -= 1
        if k > 0:
            self.spans[-1].used = True

    def _own_columns_listed(self, f: QueryForm) -> None:
        """"which stock records are below reorder level": a figure shown beside each listed row that only sums a
        column of the rows' own table (stock: SUM(inventory.quantity_on_hand)) is that row's column (was: a SUM
        beside ungrouped columns, which failed)."""
        table = self.layer.entities.get(f.subject or "", {}).get("table")
        if f.kind != "list" or not table:
            return
        for k, m in enumerate(f.show):
            sql = str(self.layer.measures.get(m, {}).get("sql", ""))
            match = re.fullmatch(r"SUM\((\w+)\.(\w+)\)", sql)
            if match and match.group(1) == table:
                f.show[k] = f"{table}.{match.group(2)}"
        for k, x in enumerate(f.filters):
            # "which stock records have more than 390 units on hand": a bound on such a figure is on each row's
            # own column (was: a HAVING over ungrouped columns, which failed)
            sql = str(self.layer.measures.get(x.field, {}).get("sql", ""))
            match = re.fullmatch(r"SUM\((\w+)\.(\w+)\)", sql)
            if match and match.group(1) == table and x.op in ("<", "<=", ">", ">=", "=", "between"):
                f.filters[k] = replace(x, field=f"{table}.{match.group(2)}")

    def _entity_words_shown(self, f: QueryForm) -> None:
        """"which SKUs are out of stock": the things listed are named by that code, so it is shown."""
        if f.kind != "list":
            return
        shown = self.layer.grammar.get("entity_words_shown", {})
        for s in self.spans:
            column = shown.get(s.text)
            if column and s.first("entity") and self.layer.entities[s.arg("entity")]["table"] == \
                    column.split(".")[0] and f.subject == s.arg("entity") and column not in f.show:
                f.show.append(column)

    def _possessives(self) -> None:
        """"business customers' orders by status": of two things joined by a possessive the second is what
        is counted or listed; the owner (with its values) only restricts it."""
        # (with the slips mended as the spans read them: "business customers' ordesr")
        said = self.said_mended()
        owners = {(m.group(1) + ("s" if m.group(2) == "s'" else ""), m.group(3))
                  for m in re.finditer(r"\b([a-zåäö]+?)(s'|'s)\s+([a-zåäö]+)", said)}
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            if s.used or nxt is None or (s.text, nxt[1].text) not in owners or self.form.subject:
                continue
            if s.first("entity") and nxt[1].first("entity") and s.arg("entity") != nxt[1].arg("entity"):
                self.form.subject = nxt[1].arg("entity")
                s.used = nxt[1].used = True

    def _beside_shipment_noun(self, i: int) -> bool:
        """A word right after or before a parcel noun ("parcels shipped", "delivered parcels") or after a
        carrier ("which carrier shipped")."""
        before = self.spans[i - 1] if i > 0 else None
        after = self.spans[i + 1] if i + 1 < len(self.spans) else None
        k = i - 1
        while k > 0 and self.spans[k].text in ("have", "has", "had", "been", "was", "were", "are", "is", "already"):
            k -= 1
        # "the shipments sent in Q3 that have been delivered": a clause said of the parcel noun before it
        antecedent = next((x for x in reversed(self.spans[:k]) if x.first("entity")), None) \
            if k < i - 1 and self.spans[k].text in ("that", "which") else None
        return any(x is not None and x.has("entity", "shipments") for x in (before, after, antecedent)) or (
            before is not None and self._is_carrier(before))

    def _type_noun(self, i: int, dim: str) -> None:
        """"the Vantaa warehouse", "in category Kitchen", "Helsinki customers": the dimension's or
        its entity's name beside a value says what the value is; it is no grouping."""
        table = self.layer.dimensions[dim]["column"].split(".")[0]
        before = self.prev_content(i)
        for j in {i - 1, i + 1, before[0] if before else -1}:
            if not 0 <= j < len(self.spans) or self.spans[j].used:
                continue
            t = self.spans[j]
            ent = t.first("entity")
            if t.has("dimension", dim) and j in (i - 1, i + 1):
                t.used = True
            elif ent and self.layer.entities[ent[1]]["table"] == table:
                t.used = True  # "Helsinki customers", "customers in Göteborg"
                # "orders with no Bosch products": the things named first are the subject, not the value's own
                if not any(x.first("entity") and x.arg("entity") != ent[1] for x in self.spans[:min(i, j)]):
                    self.form.subject = self.form.subject or ent[1]

    def _shown_beside(self) -> None:
        """"low-stock products with their stock", "discontinued products and their category",
        "... products, show the stock": a measure or dimension after "with/their/its/show" is a
        column beside the listed things."""
        f = self.form
        # (the layer's show verbs and the words asking for a column beside the rows: "plus")
        shown = self.layer.grammar.get("show_verbs", {})
        shows = {*shown.get("verbs", []), *shown.get("beside", [])}
        moved: set[int] = set()
        for k, s in enumerate(self.spans):
            # ("every order, whatever its status, how many units ...": "its" of "whatever its" owns no column)
            before = {x.text for i, x in enumerate(self.spans[max(0, k - 3):k], start=max(0, k - 3))
                      if not (i > 0 and self.spans[i - 1].text == "whatever")}
            j = k - 1
            while j > 0 and (self.spans[j].text in ("and", ",", "the") or self.spans[j].first("attribute") or
                             self.spans[j].first("entity") or self.spans[j].first("dimension")):
                j -= 1
            if j >= 0 and self.spans[j].text in shows:
                before.add(self.spans[j].text)  # "give shipment id, order and carrier": the last field of a list shown
            if s.first("dimension") and s.arg("dimension") in f.dimensions and not f.measures and f.subject and \
                    self._is_which(k) and {x.text for x in self.spans[k + 1:k + 3]} & {"they", "it"} and any(
                    x.has("entity", f.subject) and self._is_which(j) for j, x in enumerate(self.spans[:k])):
                # "which products are low on stock, and what category are they in?": asked of each thing listed
                # (the pronoun is them), a column beside it, not a count per category
                f.dimensions.remove(s.arg("dimension"))
                f.show.append(self.layer.dimensions[s.arg("dimension")]["column"])
                continue
            j = k - 1
            while j > 0 and self.spans[j].text in ("and", "total", "the", ","):
                j -= 1
            # "with their total stock and total reorder level": a measure joined by "and" to one shown beside
            chained = j < k - 1 and "and" in {x.text for x in self.spans[j + 1:k]} and (j in moved or j in self.counts_shown)
            # "in transit - order id and carrier" ("carrier and order id"): a field joined by "and" to a column
            # shown beside each row is a column too (an id per row leaves nothing to group)
            shown = [x for x in (self.spans[j] if j < k - 1 else None,
                                 self.spans[k + 2] if k + 2 < len(self.spans) and self.spans[k + 1].text == "and" else None)
                     # ("shipment id": any of the word's columns shown, not only its first sense, the customer id)
                     if x is not None and any(a[0] == "attribute" and str(a[1]) in f.show for a in x.senses)]
            chained = chained or (bool(shown) and "and" in {x.text for x in self.spans[j + 1:k + 2]}
                                  and not {"by", "per"} & {x.text for x in self.spans[max(0, k - 1):k]})
            # "customers who spent more than 3,000 this year - names and how much they spent": a figure asked "how
            # much" of "they" / "each" after things listed is each one's figure, shown beside it (was: one total)
            near = [x.text for x in self.spans[max(0, k - 4):k]]
            after = {x.text for x in self.spans[k + 1:k + 3]}  # ("how much revenue did they bring in")
            # (never beside a ranking: "which customers ordered most and how much did they spend" is ranked by one
            # of the two, which is not said)
            of_each = bool({"they", "each"} & (set(near[-2:]) | after)) and "how" in near and \
                bool({"much", "many"} & set(near)) and not f.order_by and not f.limit
            if not ({"their", "its", "with current", "with their", "with its"} & before or chained or of_each or
                    # ("with stock": the word inside the span read as a figure by _compared_predicates)
                    (("with" in before or s.text.startswith("with ")) and (f.predicates or f.subject)) or
                    (shows & before and any(x.first("entity") for x in self.spans[:k]))):
                continue
            if s.first("grain") and not s.used and s.arg("grain") == f.grain and shows & before:
                s.used = True  # "which months had revenue above 30,000? Show the month and the amount": the grouping
                continue
            # ("total revenue and stock of products with revenue under 500", "stock and units sold of products with
            # fewer than 30 units sold": the figure asked before, named again in its own condition after "with",
            # stays asked; named only in the condition it is a column beside each, as before)
            bound = bool(s.first("measure") and f.filter_on(str(s.arg("measure"))) is not None and (
                (b := self.prev_content(k)) is not None and b[1].first("number") or (
                    a := self.next_content(k)) is not None and a[1].first("comparator")) and any(
                x.has("measure", s.arg("measure")) for x in self.spans[:k]))
            if s.first("measure") and s.arg("measure") in f.measures and (f.predicates or f.subject) and not bound \
                    and not f.dimensions and "count" not in f.measures and not (f.derived or {}).get("kind") == "growth":
                # ("which product grew its revenue the most from Q2 to Q3": the growth's own figure stays the figure)
                f.measures.remove(s.arg("measure"))
                f.show.append(s.arg("measure"))
                moved.add(k)
            elif s.first("dimension") and s.arg("dimension") in f.dimensions and not f.measures:
                f.dimensions.remove(s.arg("dimension"))
                f.show.append(self.layer.dimensions[s.arg("dimension")]["column"])
            elif s.first("dimension") and s.arg("dimension") in f.dimensions and f.measures and f.subject and \
                    ("ranked" in f.notes or f.order_by in f.measures) and (own := self._own_dimension(f.subject)) and own not in f.dimensions and \
                    self.layer.dimensions[s.arg("dimension")]["column"].split(".")[0] == \
                    self.layer.entities[f.subject]["table"]:
                # "top 5 customers by revenue, show their city": the customers are ranked, the city beside
                f.dimensions[f.dimensions.index(s.arg("dimension"))] = own
                f.show.append(self.layer.dimensions[s.arg("dimension")]["column"])
            elif s.first("entity") and not s.used and f.subject and s.arg("entity") != f.subject and \
                    shows & before:
                # "stock records ..., show product" ("give product and warehouse"): the other entity's label beside each row
                other = self.layer.entities[s.arg("entity")]
                f.show.append(f"{other['table']}.{other['label']}")
                s.used = True

    def _where_the_order_is(self, f: QueryForm) -> None:
        """"Who placed order 2629, and where is it now?": the one order named by its id, asked where it is after
        another thing asked of it, is its status (and its parcel) shown beside the answer (was: the customer
        alone, the second question dropped)."""
        if f.kind != "list" or f.subject in (None, "orders") or f.measures or f.dimensions or f.order_by or \
                not any(x.field == "orders.order_id" and x.op == "=" and len(x.values) == 1 for x in f.filters) or \
                not re.search(r"\band\s+where(?:'s|\s+is)\s+(?:it|that order|the order)\b", self.question, re.IGNORECASE):
            return
        f.show += [c for c in ("orders.status", "shipments.carrier", "shipments.shipped_at", "shipments.delivered_at")
                   if c not in f.show]

    def _percent_bound_shown(self, f: QueryForm) -> None:
        """"which products have a margin under 22%?": a fraction bounded by a percent is shown in percent too (the
        layer's <measure>_pct beside the 0-1 figure; was: the fraction alone, where the reader said percent)."""
        if f.kind != "list" or not re.search(r"\d\s*(?:%|percent\b|pct\b)", self.question, re.IGNORECASE):
            return
        for x in f.filters:
            pct = f"{x.field}_pct"
            if x.op in ("<", "<=", ">", ">=") and pct in self.layer.measures and pct not in f.show and \
                    pct not in f.measures:
                f.show.append(pct)

    def _figures_beside_listed(self, f: QueryForm) -> None:
        """"customers in Oslo with their number of orders": a list of things, each with a figure of its rows shown
        beside it, lists every one of the things its own conditions keep, one with none of those rows at 0 (was:
        joined inner, those with none silently left out). Not where the rows kept say which things are listed:
        a condition on other rows ("which products did Mikko Rask buy, with the units of each"), an activity said
        of the things before the figure ("customers who ordered this year, with their revenue"), a figure named
        twice ("that have generated any revenue, with their revenue"); only where the figure's rows join outer."""
        if f.kind != "list" or "zero_included" in f.notes or "with_rows" in f.notes or f.within or f.lookup:
            return
        shown = [m for m in f.show if self.p.planner.is_measure(m)]
        table = self.layer.entities.get(f.subject or "", {}).get("table")
        if not shown or not table or not self._own_conditions(f, table):
            return
        if not self._figure_before_activity(len(shown)):
            return
        trial = replace(f, notes=[*f.notes, "zero_included"])
        if self.p.planner.zero_entity(trial) is not None:
            f.notes.append("zero_included")

    def _figure_before_activity(self, figures: int) -> bool:
        """Whether the question names each of the shown figures once, with no activity said before them
        ("customers in Oslo with the number of orders each has placed", not "customers who ordered, with ...")."""
        def counted(k: int) -> bool:  # "number of orders", "order count"
            return any(0 <= j < len(self.spans) and self.spans[j].has("grammar", "count") for j in (k - 1, k + 1))

        named = [k for k, s in enumerate(self.spans) if s.first("measure") or s.first("entity") and counted(k)]
        return len(named) == figures and not any(s.first("activity") for s in self.spans[:named[0]])

    def _own_conditions(self, f: QueryForm, table: str) -> bool:
        """Whether every value condition of the form is on the listed things' own columns."""
        for x in f.filters:
            column = self.layer.dimensions[x.field]["column"] if x.field in self.layer.dimensions else x.field
            if self.p.planner.is_measure(x.field) or not column.startswith(table + "."):
                return False
        return True

    def _names_beside_figure(self, f: QueryForm) -> None:
        """"Oslo customers - names and how many orders did they place": a figure asked together with the things'
        names is each thing's figure beside it, the things listed (was: one total, the names silently dropped)."""
        if f.kind != "aggregate" or not f.measures or not f.show or f.dimensions or f.grain or f.derived \
                or f.compare or f.compare_period or f.limit or f.order_by or f.per_group or f.within or f.lookup:
            return
        entity = next((k for k, e in self.layer.entities.items() if e.get("zero_when_none")
                       and set(f.show) == {f"{e['table']}.{e['label']}"}), None)
        if entity is None or entity == f.subject:
            return
        counted = f.subject or "orders"
        f.show = [*f.show, *(f"count:{counted}" if m == "count" else m for m in f.measures)]
        f.kind, f.subject, f.measures = "list", entity, []

    def _figure_asked_first(self, f: QueryForm) -> bool:
        """"customers in Oslo with the number of orders each has placed": the activity said after the figure is the
        figure's own (each one's count), not a condition that the things have ordered."""
        shown = [m for m in f.show if self.p.planner.is_measure(m)]
        return f.kind == "list" and bool(shown) and self._figure_before_activity(len(shown))
