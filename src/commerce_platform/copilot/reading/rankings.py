"""Rankings: superlatives, top N, extremes per group, which one ranked."""

from __future__ import annotations

import re
from typing import Any

from ...errors import NotUnderstood
from ..lexicon import Span
from ..planner import DEFAULT_TOP
from ..query import QueryForm
from .base import StateBase

# "all of those placed on the earliest date": every thing of the first (or last) day of a ranking by date
ALL_ON_EXTREME_DAY_RE = re.compile(r"\ball\b[^?.!]*\b(?:on|from)\s+the\s+(?:earliest|latest|oldest|newest|first|last)"
                                   r"\s+(?:date|day)\b", re.IGNORECASE)


class RankingSteps(StateBase):
    """Steps that read a ranking (order, limit, extreme) out of the question."""

    def _which_value_ranked(self) -> None:
        """"which physical store sold the most?": a value of a dimension asked for as if it were a kind of thing
        (which one of the stores) names nothing the lake can rank; ranking products within it would answer
        another question. A value of a ranked thing's own table is a kind of it ("which consumer spent most")."""
        ranks = bool(self.form.order_by or "ranked" in self.form.notes)
        dims, entities = self.layer.dimensions, self.layer.entities
        kinds = {dims[e["singular"]]["column"].split(".")[0] for e in entities.values()  # things ranked by name
                 if e.get("singular") in dims and not dims[e["singular"]]["column"].endswith("_id")}
        for k, s in enumerate(self.spans[1:], start=1):
            if self.spans[k - 1].text not in ("which", "what") or not self.values_of(s) or not ranks:
                continue
            nxt = self.next_content(k)
            dim, value = self.values_of(s)[0]
            if dims.get(dim, {}).get("column", "").split(".")[0] in kinds:
                continue
            if nxt is None or not (nxt[1].first("entity") or nxt[1].first("dimension")):
                raise NotUnderstood(f"'{s.text}' is a {dim} ({value}), not a kind of thing to pick one of",
                                    hint=f"e.g. 'which {dim} sold the most', 'best selling products in {value}'")

    def _sup_of_amount_noun(self, i: int) -> str | None:
        """"which store order had the highest total?": the superlative is of the things' own amount column when the
        word after it is one of the layer's amount_nouns closing the phrase (no figure, column or thing after) and
        the thing named before it has an amount the noun names (the column's own words say "total")."""
        nouns = self.layer.grammar.get("amount_nouns", [])
        if i + 1 >= len(self.spans) or self.spans[i + 1].text not in nouns:
            return None
        after = self.spans[i + 2] if i + 2 < len(self.spans) else None
        if after is not None and any(x[0] in ("measure", "attribute", "entity", "dimension", "count")
                                     for x in after.senses):
            return None
        named = next((x.arg("entity") for x in reversed(self.spans[:i]) if x.first("entity")), None)
        entity = self.layer.entities.get(str(named), {})
        if not entity.get("amount"):
            return None
        column = f"{entity['table']}.{entity['amount']}"
        words = " ".join([entity["amount"].replace("_", " "), *self.layer.column(column).get("synonyms", [])])
        return column if self.spans[i + 1].text.rstrip("s") in words.split() else None

    def _extreme_of_attribute(self, sa: tuple, t: Span) -> bool:
        """"smallest order amount", "highest unit price": a superlative naming the very amount it is followed by,
        asked as a figure (no "which", list word or count of things ranked)."""
        attr = t.arg("attribute")
        table, column = attr.split(".", 1)
        entity: dict[str, Any] = next((e for e in self.layer.entities.values() if e["table"] == table), {})
        same = sa[1] == column or (sa[1] == "@amount" and entity.get("amount") == column)
        words = {x.text for x in self.spans}
        listing = words & {"which", "list", "show", "who"} or any(x.first("number") for x in self.spans)
        return bool(same and not listing and self.layer.column(attr)["type"] in ("INT", "DOUBLE"))

    def _extreme_of_row_value(self, t: Span) -> bool:
        """"highest discount ... on an order line": ``t`` is both a figure (the column's average) and a number column, and the question
        names no group, no number, no list word and no thing other than the column's own rows."""
        attr = t.first("attribute")
        measure = self.layer.measures.get(str(t.arg("measure")), {}) if t.first("measure") else {}
        sql = str(measure.get("sql") or measure.get("line_sql") or "")
        if not (attr and sql == f"AVG({attr[1]})") or self.layer.column(str(attr[1]))["type"] not in ("INT", "DOUBLE"):
            return False  # only a figure that is the average of that very column ("discount": of discount_percent)
        table = str(attr[1]).split(".")[0]
        for x in self.spans:
            if x.first("dimension") or x.first("number") or x.first("grain") or x.text in ("which", "list", "show", "who"):
                return False
            e = x.first("entity")
            if e and x is not t and self.layer.entities.get(str(e[1]), {}).get("table") != table:
                return False
        return not self.form.dimensions and self.form.order_by is None

    def _extreme_of_column_per_group(self) -> None:
        """"earliest signup date per city", "latest order date by channel", "highest unit price per category": a
        superlative right before a date or number column, said per group and of no thing ranked, is that column's
        minimum / maximum in each group (was: read as a ranking of the groups, by revenue, or refused)."""
        f = self.form
        if not f.dimensions or f.measures or f.limit or any(s.first("entity") or s.first("number") for s in self.spans):
            return
        for i, s in enumerate(self.spans):
            sup, sa = s.first("superlative"), s.first("superlative_attribute")
            nxt = self.next_content(i)
            if not (sup or sa and sa[1] == "@date") or nxt is None or not nxt[1].first("attribute"):
                continue
            attr = str(nxt[1].arg("attribute"))
            if self.layer.column(attr).get("type") not in ("DATE", "TIMESTAMP", "INT", "DOUBLE") \
                    or f.order_by not in (attr, "@date"):
                return
            f.measures = [f"{'min' if f.direction == 'asc' else 'max'}:{attr}"]
            f.order_by, f.direction = None, "desc"
            f.notes = [n for n in f.notes if n != "ranked"]
            s.used = nxt[1].used = True
            return

    def _group_ranked_by_column_extreme(self) -> None:
        """"which warehouse has the oldest stock update?": a superlative right before a date column of the group's own
        table ranks the groups by that column's minimum / maximum (was: refused, nothing to rank by)."""
        f = self.form
        if len(f.dimensions) != 1 or f.measures or f.order_by != "@date" or f.grain or f.compare:
            return
        table = self.layer.dimensions[f.dimensions[0]]["column"].split(".")[0]
        for i, s in enumerate(self.spans):
            sa = s.first("superlative_attribute")
            nxt = self.next_content(i)
            if not (sa and sa[1] == "@date") or nxt is None or nxt[1].used or not nxt[1].first("attribute"):
                continue
            attr = str(nxt[1].arg("attribute"))
            if attr.split(".")[0] != table or self.layer.column(attr).get("type") not in ("DATE", "TIMESTAMP"):
                return
            f.measures = [f"{'min' if f.direction == 'asc' else 'max'}:{attr}"]
            f.order_by = f.measures[0]
            s.used = nxt[1].used = True
            return

    def _superlatives(self) -> None:
        f = self.form
        self._first_one_restated()
        for i, s in enumerate(self.spans):
            if s.used or self._minus_word(s):  # "(Q1 2026 less Q4 2025)": a minus, read with the periods
                continue
            rank = s.first("ranking")
            # "the top seller last month (revenue)": a figure alone in brackets after a ranking word is what it
            # ranks by, as "by revenue" is (was: ranked by units sold, the revenue a column beside)
            bracketed = next((x for x in self.spans[i + 1:] if x.first("measure") and not x.used and re.search(
                rf"\(\s*{re.escape(x.text)}\s*\)", self.question, re.IGNORECASE)), None) if rank else None
            if rank and bracketed is not None and "order:explicit" not in f.notes:
                key = str(bracketed.arg("measure"))
                f.order_by = key
                f.notes.append("order:explicit")
                if key not in f.measures:
                    f.measures.append(key)
                bracketed.used = True
            if rank:
                if "order:explicit" not in f.notes:  # "best-selling brand ... by revenue": by revenue
                    f.order_by = rank[1]
                    if rank[1] not in f.measures:
                        f.measures.append(rank[1])
                f.direction = "asc" if any(w in s.text for w in ("worst", "least")) else "desc"
                s.used = True
                # "the biggest spenders": the phrase names who is ranked (a word of the entity's table)
                named = [n for n, e in self.layer.entities.items() if e.get("table") and set(s.text.split()) &
                         set(e.get("synonyms") or self.layer.tables[e["table"]]["synonyms"])]
                if len(named) == 1 and f.subject is None:
                    f.subject = named[0]
                continue
            sa = s.first("superlative_attribute")
            sup = s.first("superlative")
            when = self.spans and self.spans[0].text == "when"
            nxt = self.next_content(i)
            if when and sa and sa[1] == "@date" and nxt and nxt[1].first("attribute") and \
                    self.layer.column(nxt[1].arg("attribute"))["type"] in ("DATE", "TIMESTAMP"):
                # "when was the inventory last updated": the latest date itself
                attr = nxt[1].arg("attribute")
                f.measures.append(f"{'max' if sa[2] == 'desc' else 'min'}:{attr}")
                s.used = nxt[1].used = self.spans[0].used = True
                table = attr.split(".")[0]
                for x in self.spans:  # "the inventory": the table the date belongs to, no measure of it
                    if x.text in (table, *self.layer.tables[table]["synonyms"]):
                        x.used = True
                continue
            if when and sa and sa[1] == "@date" and any(
                    m.startswith(f"{'max' if sa[2] == 'desc' else 'min'}:") for m in f.measures):
                # "when was it most recently updated (latest across warehouses)?": the same extreme said again,
                # over the places named, never a split by them (was: refused, nothing to rank by)
                s.used = True
                places = self.spans[i + 2] if i + 2 < len(self.spans) else None
                if places is not None and self.spans[i + 1].text in ("across", "over") and places.first("dimension") \
                        and not self.values_of(places) and places.text.endswith("s"):
                    f.dimensions = [d for d in f.dimensions if d != places.arg("dimension")]
                continue
            fn = self.layer.grammar["aggregates"].get(s.text)
            if sup and fn in ("max", "min") and nxt and nxt[1].first("attribute") and not nxt[1].used and \
                    self.layer.column(nxt[1].arg("attribute"))["type"] in ("INT", "DOUBLE"):
                # "maximum order amount per channel": that aggregate of the column (was a ranking by revenue);
                # "which channel had the maximum order amount": the groups ranked by it
                f.measures.append(f"{fn}:{nxt[1].arg('attribute')}")
                if any(x.first("dimension") and self._is_which(k) for k, x in enumerate(self.spans)):
                    f.order_by, f.direction = f.measures[-1], "desc" if fn == "max" else "asc"
                    f.notes.append("ranked")
                s.used = nxt[1].used = True
                continue
            if sup and nxt and not nxt[1].used and self._extreme_of_row_value(nxt[1]):
                # "the highest discount we ever gave on an order line": a superlative of a word that is both a
                # figure and a number column of one row, with nothing grouped or ranked, is that column's
                # maximum / minimum (was: the average figure "ranked" with no groups)
                f.measures.append(f"{'max' if sup[1] == 'desc' else 'min'}:{nxt[1].arg('attribute')}")
                s.used = nxt[1].used = True
                continue
            if sa and nxt and nxt[1].first("attribute") and not nxt[1].used and self._extreme_of_attribute(sa, nxt[1]):
                # "the smallest order amount ever": the smallest amount itself, a figure (not the order ranked)
                attr = nxt[1].arg("attribute")
                f.measures.append(f"{'max' if sa[2] == 'desc' else 'min'}:{attr}")
                s.used = nxt[1].used = True
                continue
            movers = self.layer.grammar.get("movers", {})
            earlier = getattr(self, "context", None)
            if sa and not f.measures and f.order_by is None and earlier is not None and \
                    earlier.order_by in earlier.measures and earlier.kind == "aggregate" and \
                    s.text in (*movers.get("slow", []), *movers.get("fast", [])) and \
                    self.layer.measures.get(earlier.order_by or "", {}).get("line_sql"):
                # "just the three slowest then" after a ranking by units sold: the same figure, slow the fewest
                f.order_by, f.measures = earlier.order_by, [str(earlier.order_by)]
                f.notes.append("order:explicit")
            if sa and "order:explicit" in f.notes and f.order_by not in (None, sa[1]) and \
                    s.text in (*movers.get("slow", []), *movers.get("fast", [])) and \
                    self.layer.measures.get(f.order_by or "", {}).get("line_sql"):
                # "the 5 slowest products by units sold": a speed said of a sales figure is how fast things sell
                # (slow: the fewest first), not a delivery time beside it
                f.direction = "asc" if s.text in movers["slow"] else "desc"
                s.used = True
                nxt = self.next_content(i)
                if nxt and nxt[1].first("number") and not nxt[1].used and f.limit is None:
                    f.limit = int(nxt[1].arg("number"))
                    nxt[1].used = True
                continue
            if sa and s.text == "first" and i > 0 and self.spans[i - 1].text == "there" and "ranked" in f.notes:
                # "which warehouse has the most ..., so we should restock there first": where to act first is the
                # place already ranked, not a second ranking by date
                s.used = True
                continue
            then = self.spans[i + 1] if i + 1 < len(self.spans) else None
            if sa and s.text != "first" and then is not None and then.text == "first" and not then.used \
                    and self.next_content(i + 1) is None and not any(x.first("number") for x in self.spans):
                # "list the open orders, newest first": a sort order, every one of them in that order (was: the
                # "first" read as the earliest, the newest listed last, and a top 10)
                if "order:explicit" not in f.notes or f.order_by is None:
                    f.order_by = sa[1]
                f.direction = sa[2]
                f.notes += ["order:explicit", "sorted"]
                self.every_one_ranked = True
                s.used = then.used = True
                continue
            if sa and not (sup and self._sup_target(i)):
                if "order:explicit" not in f.notes or f.order_by is None:
                    f.order_by = sa[1]  # "the biggest customer by number of orders": by what is named
                f.direction = sa[2]
                if sa[1] in self.layer.measures and sa[1] not in f.measures:
                    f.measures.append(sa[1])
                s.used = True
                self._field_of_ranked_one(i)
                nxt = self.next_content(i)
                if nxt and nxt[1].first("number") and not nxt[1].used:
                    f.limit = int(nxt[1].arg("number"))
                    nxt[1].used = True
                continue
            if not sup:
                continue
            f.direction = sup[1]
            f.notes.append("ranked")
            s.used = True
            nxt = self.next_content(i)
            if nxt and nxt[1].first("number") and not nxt[1].used:
                f.limit = int(nxt[1].arg("number"))
                nxt[1].used = True
            if (amount := self._sup_of_amount_noun(i)) is not None:
                f.order_by = amount  # "which store order had the highest total?": the order's own amount
                self.spans[i + 1].used = True
                continue
            target = self._sup_target(i) or self._sup_target_left(i)
            if target is not None:
                kind, name, span = target
                span.used = True
                if kind == "measure":
                    f.order_by = name
                    if name not in f.measures:
                        f.measures.append(name)
                elif kind == "attribute":
                    f.order_by = name
                    extremes = self.layer.grammar.get("duration_extremes", {})
                    if name == "@date" and s.text in extremes and span.first("superlative_attribute"):
                        # "in transit the longest (oldest shipment ...)": the longest since its date is the oldest
                        f.direction = "asc" if extremes[s.text] == "max" else "desc"
                elif kind == "entity":
                    f.order_by = f"count:{name}"
                    f.notes.append(f"count_of:{name}")
                elif kind == "distinct":
                    if any(x.first("activity") for x in self.spans):
                        # "which customer bought from the most categories": of which orders (any status, or only
                        # those that count as sales) is not settled here
                        raise NotUnderstood(f"I can rank by how many different {span.text} each has, but not by "
                                            f"those of what was {', '.join(x.text for x in self.spans if x.first('activity'))}",
                                            field=span.text, hint="e.g. 'which country has the most cities'")
                    f.order_by = "ndistinct:" + self.layer.dimensions[name]["column"]
                    f.measures.append(f.order_by)
            elif s.text in self.layer.grammar.get("duration_extremes", {}) and f.order_by is None:
                # "shipments waiting the longest", "on the road the longest": no duration named, so the time
                # since their own date (the oldest first); was the default newest-first list
                f.order_by = "@date"
                f.direction = "asc" if self.layer.grammar["duration_extremes"][s.text] == "max" else "desc"
        # "the 5 products with the lowest margin": a number just before what is ranked
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            # past the conditions on what is ranked: "the 5 active products", "top 3 Bosch products" (and a word of what
            # they are for: "which 5 lapsed customers ...", placed as a purpose only where the form says so)
            k = i + 1
            while nxt is not None and nxt[0] == k and (nxt[1].first("predicate") or self.values_of(nxt[1])
                                                       or nxt[1].first("purpose")) \
                    and not (nxt[1].first("entity") or nxt[1].first("dimension")):
                after = self.next_content(k)
                k += 1
                nxt = (i + 1, after[1]) if after is not None and after[0] == k else None
            if nxt is not None and k > i + 1:
                nxt = (i + 1, nxt[1])  # read as if the noun followed the number
            ranked = f.order_by or "ranked" in f.notes or {"together", "recommend"} & set(f.notes)
            if (not s.used and s.first("number") and nxt and nxt[0] == i + 1 and ranked and
                    (nxt[1].first("entity") or nxt[1].first("dimension") or (
                        nxt[1].first("grain") and f.grain is not None and nxt[1].has("grain", f.grain)))
                    and nxt[1].text.endswith("s")):
                # ("which 3 days had the highest revenue": the time grain grouped by is what is ranked too)
                f.limit = int(s.arg("number"))
                s.used = True
            elif not s.used and s.first("number") and ranked and k > i + 1 and k < len(self.spans) and \
                    self.spans[k].text == "ones":
                f.limit = int(s.arg("number"))  # "the 5 active ones with the best margin": "ones" is the noun
                s.used = True
        # "which customers spend the most? Give me five": a bare number asked for is how many of the ranking
        for i, s in enumerate(self.spans):
            nxt = self.next_content(i)
            asked = [x.text for x in self.spans[max(0, i - 2):i]]
            if not s.used and s.first("number") and f.order_by and asked and asked[-1] in ("me", "us") and \
                    len(asked) == 2 and asked[0] in ("give", "show", "list", "name") and \
                    (nxt is None or nxt[1].first("purpose") or nxt[1].first("intent")):
                f.limit = int(s.arg("number"))
                s.used = True
        # "5 best-selling products", "three biggest customers": a number just before a ranking word
        for i, s in enumerate(self.spans):
            if s.used and (s.first("ranking") or s.first("superlative") or s.first("superlative_attribute")):
                prev = self.prev_content(i)
                if prev and prev[1].first("number") and not prev[1].used:
                    f.limit = int(prev[1].arg("number"))
                    prev[1].used = True
                elif prev and prev[1].first("ordinal") and not prev[1].used and f.limit in (None, 1):
                    # "the second best seller": the one ranked after the first (a place, not a count)
                    place = int(prev[1].arg("ordinal"))
                    nxt = self.next_content(i)
                    if nxt is not None and nxt[1].first("entity") and \
                            nxt[1].text == self.layer.entities.get(str(nxt[1].arg("entity")), {}).get("plural"):
                        # "the second best selling products": which places are many is not said
                        raise NotUnderstood(f"I can give place {place} of a ranking only when one thing is asked",
                                            hint="e.g. 'the second best selling product in 2025'")
                    f.offset, f.limit = place - 1, 1
                    prev[1].used = True

    def _field_of_ranked_one(self, i: int) -> None:
        """"status of her most recent order", "latest order status": a field of the things ranked by
        recency is shown beside them, not grouped by."""
        nxt = self.next_content(i)
        if nxt is None or nxt[1].used:
            return
        t = nxt[1]
        if t.first("dimension") and not t.first("entity"):  # "latest order status": the entity inside the words
            dim = self.layer.dimensions[t.arg("dimension")]
            name = next((n for n, e in self.layer.entities.items() if e["table"] == dim["column"].split(".")[0]
                         and t.text.split()[0] == e.get("singular")), None)
            if name:
                self.form.subject = self.form.subject or name
                self.form.show.append(dim["column"])
                self.form.limit = self.form.limit or 1  # "order status" is one order's, though it ends in "s"
                t.used = True
            return
        if t.first("attribute") and not t.first("entity") and not t.first("dimension"):
            # "Aino Dahl's most recent order number": the number of the one order ranked
            column = str(t.arg("attribute"))
            name = next((n for n, e in self.layer.entities.items() if e["table"] == column.split(".")[0]
                         and t.text.split()[0] == e.get("singular")), None)
            if name and len(t.text.split()) > 1:
                self.form.subject = self.form.subject or name
                self.form.show.append(column)
                self.form.limit = self.form.limit or 1
                self.form.notes.append(f"ranked_one:{column.split('.')[0]}:{nxt[0]}")
                t.used = True
            return
        while t.first("entity") is None and (self.values_of(t) or t.first("predicate")):
            # "Oskar's last delivered order": past the conditions on the one ranked to its noun
            after = self.next_content(nxt[0])
            if after is None:
                return
            nxt, t = after, after[1]
        ent_sense = t.first("entity")
        if ent_sense is None:
            return
        table = self.layer.entities[ent_sense[1]]["table"]
        if not t.text.endswith("s"):
            # its fields asked with "which" are shown (_decide_kind); the noun's place, for what is said after it
            self.form.notes.append(f"ranked_one:{table}:{nxt[0]}")
        k = i - 1
        while k >= 0 and (  # past "of", "her", "the 3", "Helmi Larsen's"
                self.spans[k].text == "of" or not self._meaningful(self.spans[k]) or self.spans[k].first("number")
                or self.values_of(self.spans[k]) or self.spans[k].has("grammar", "person_pronoun")):
            k -= 1
        between = {x.text for x in self.spans[k + 1:i]}
        d = self.spans[k] if k >= 0 else None
        # "the order date of our oldest pending order": a column of the one ranked, not a grouping, shown too
        # (was: only a dimension's; an attribute's words were left unplaced)
        field = d is not None and not d.first("dimension") and not d.first("measure") and d.first("attribute")
        if d is None or d.used or "of" not in between or not (d.first("dimension") or field):
            return
        column = str(d.arg("attribute")) if field else self.layer.dimensions[d.arg("dimension")]["column"]
        if column.split(".")[0] == table:
            self.form.show.append(column)
            d.used = True

    def _sup_target_left(self, i: int) -> tuple[str, str, Span] | None:
        """"which product costs the most": the attribute stands before the superlative."""
        prev = self.prev_content(i)
        if prev is None or prev[1].used:
            return None
        t = prev[1]
        if t.first("dimension"):
            return None
        if t.first("attribute"):
            return "attribute", t.arg("attribute"), t
        if t.first("measure"):
            return "measure", t.arg("measure"), t
        return None

    def _sup_target(self, i: int) -> tuple[str, str, Span] | None:
        nxt = self.next_content(i)
        if nxt is None:
            return None
        j, t = nxt
        # past a count, "average"/"total", and the values or conditions that qualify what is ranked:
        # "the worst average margin", "the most returned orders", "the 5 most open orders"
        while (t.first("number") or t.has("grammar", "average") or t.text in self.layer.grammar["aggregates"]
               or (self.values_of(t) or t.first("predicate")) and not t.first("measure")):
            nxt = self.next_content(j)
            if nxt is None:
                return None
            j, t = nxt
        if t.used:
            return None
        if t.first("entity") and self.spans[i].text in ("most", "fewest", "least", "more", "less", "fewer"):
            return "entity", t.arg("entity"), t  # "which city has the most customers"
        if t.first("dimension"):
            if self.spans[i].text in ("most", "fewest", "least") and t.text.endswith("s") and not self.values_of(t) \
                    and t.text != self.spans[i].text:
                # "which category has the most brands": how many different values each one holds, ranked
                return "distinct", t.arg("dimension"), t
            return None
        if t.first("measure"):
            return "measure", t.arg("measure"), t
        if t.first("attribute"):
            if self.spans[i].text in self.layer.grammar.get("duration_extremes", {}) and \
                    (self.layer.column(t.arg("attribute"))["type"] not in ("INT", "DOUBLE", "DATE", "TIMESTAMP")
                     or t.arg("attribute").endswith("_id")):
                # "on the road the longest? tracking number": a text is shown, never long or short; nor is an id
                # ("... longest? order id" ranked by the highest order id, a silent wrong)
                return None
            return "attribute", t.arg("attribute"), t
        if t.first("superlative_attribute"):
            return "attribute", t.arg("superlative_attribute"), t
        return None

    def _first_one_restated(self) -> None:
        """"which active product has the lowest margin? first one for the price review": a "first one" after
        another superlative that ranks the one asked is that ranking's first, said again, never a second ranking
        by date (was: refused, nothing to rank by)."""
        for k, s in enumerate(self.spans[:-1]):
            t = self.spans[k + 1]
            if s.used or t.used or s.text != "first" or t.text != "one":
                continue
            if k > 0 and self.spans[k - 1].text in ("the", "of", "that", "this"):
                continue  # "which warehouse holds the most of the first one?": a row of an earlier answer
            before = [x for x in self.spans[:k] if x.text != "first" and (
                x.first("superlative") or x.first("superlative_attribute") or x.first("ranking"))]
            if before and not any(x.text.isdigit() for x in self.spans[:k]):
                s.used = t.used = True

    def _sorted_first(self) -> None:
        """"revenue per product category for 2025, highest first": the groups sorted by the one figure asked,
        every one of them (no top N)."""
        f = self.form
        for k, s in enumerate(self.spans[:-1]):
            t = self.spans[k + 1]
            if s.used or t.used or not s.first("superlative") or t.text != "first" or self.next_content(k + 1):
                continue
            figures = {x.arg("measure") for x in self.spans if x.first("measure")}
            if not figures and any(x.has("grammar", "count") and x.text != "how many" for x in self.spans):
                figures = {"count"}  # "number of orders by month, highest first"
            if not figures and f.order_by is None and (f.grain or f.dimensions):
                # "orders by month in 2025, most first": a count per group to sort by, which I would read as the
                # newest orders first (a wrong answer); refused instead
                raise NotUnderstood("I can sort groups by a figure named in the question",
                                    field="question", hint="e.g. 'number of orders by month in 2025, highest first'")
            if len(figures) != 1 or f.order_by is not None:
                return
            f.order_by, f.direction = figures.pop(), s.arg("superlative")
            f.notes += ["order:explicit", "sorted"]
            s.used = t.used = True

    def _all_on_the_extreme_date(self, f: QueryForm) -> None:
        """"the oldest open orders? all of those placed on the earliest date": every one of that first day (the
        ranking's ties kept), not the first ten in date order."""
        if f.kind != "list" or f.order_by is None or f.per_group or not ALL_ON_EXTREME_DAY_RE.search(self.said_mended()):
            return
        if f.order_by != "@date" and ("." not in f.order_by or
                                      self.layer.column(f.order_by)["type"] not in ("DATE", "TIMESTAMP")):
            return
        f.limit = 1
        f.notes.append("ties")

    def _which_one_it_is(self) -> None:
        """"what's the oldest shipment not yet delivered? which order is it": a closing "which <thing> is it" about
        the one row ranked, where that row holds the other thing's key (a shipment its order id), asks that key
        beside the row (was: refused, 'order' not placed)."""
        f = self.form
        own = self.layer.entities.get(f.subject or "", {}).get("table")
        if f.limit not in (None, 1) or f.order_by is None or not own or f.dimensions or f.measures:
            return
        for k, s in enumerate(self.spans[1:], start=1):
            e = s.first("entity")
            rest = {x.text for x in self.spans[k + 1:]}
            if s.used or e is None or self.spans[k - 1].text != "which" or not rest or \
                    not rest <= {"is", "was", "it", "that", "this"} or not ({"it", "that", "this"} & rest):
                continue
            other = self.layer.entities.get(str(e[1]), {})
            key = other.get("key")
            if other.get("table") != own and key in self.layer.tables[own]["columns"]:
                if f"{own}.{key}" not in f.show:
                    f.show.append(f"{own}.{key}")
                s.used = self.spans[k - 1].used = True
            return

    def _which_order_ranked(self) -> None:
        """"which order(s) had the most units": orders asked for, ranked by a figure summed per order (was the
        figure summed over all orders, a silent wrong)."""
        f = self.form
        if f.subject != "orders" or f.dimensions or "order" not in self.layer.dimensions or \
                not (f.order_by in self.layer.measures and f.order_by in f.measures):
            return
        if any(x.has("entity", "orders") and self._is_which(k)
               for k, x in enumerate(self.spans)):
            f.dimensions.append("order")

    def _ranked_column(self, f: QueryForm) -> str | None:
        """The column a ranking names, qualified: "unit price" as such, "cheapest products" (the things' price),
        "newest customers" (their period's date); None for a measure or an amount ranked."""
        if not f.order_by or f.order_by in self.layer.measures or f.order_by == "@amount":
            return None
        if "." in f.order_by:
            return f.order_by
        entity = self.layer.entities.get(f.subject or "", {})
        column = entity.get("period") if f.order_by == "@date" else f.order_by
        table = entity.get("table")
        if not table or not column or column not in self.layer.tables.get(table, {}).get("columns", {}):
            return None
        return f"{table}.{column}"

    def _attribute_ranked_per_group(self, f: QueryForm) -> bool:
        """"the cheapest product in each category", "newest customer in each country", "largest order per
        channel": a superlative of the things' own field (price, date, amount), said with "each"/"per", picks
        the ranked ones inside every group: a list ranked in each group (was one thing overall, or the groups
        ranked by a default measure)."""
        each = [n.split(":", 1)[1] for n in f.notes if n.startswith("each:")]
        entity = self.layer.entities.get(f.subject or "")
        if entity is None or not each or f.kind != "aggregate" or f.measures or f.derived or f.compare or f.grain \
                or f.lookup or f.within or sorted(f.dimensions) != sorted(set(each)) or f.order_by is None:
            return False
        if f.order_by in self.layer.measures or (f.order_by == "@amount" and not entity.get("amount")):
            return False  # "biggest customer per country": ranked by a measure, answered by _per_group
        tied = self._tied_tables(entity["table"])
        columns = [self.layer.dimensions[d]["column"] for d in f.dimensions]
        if any(c.split(".")[0] not in tied for c in columns):
            return False  # a group the thing has many of (a product's warehouses) would repeat it
        singular = any(n.startswith(f"ranked_one:{entity['table']}:") for n in f.notes)
        f.kind, f.per_group, f.dimensions = "list", list(f.dimensions), []
        f.show += [c for c in columns if c not in f.show]
        f.limit = f.limit or (1 if singular else DEFAULT_TOP)
        return True

    def _ordered_most(self, f: QueryForm) -> None:
        """"which customers ordered most and how much did they spend": a verb of ordering right before the
        superlative ranks by the number of orders; a ranking by another figure would answer another question,
        so it is refused (the order count ranking alone is answered)."""
        verbs = set(self.layer.grammar["ordering_verbs"])
        for k, s in enumerate(self.spans[:-1]):
            nxt = self.next_content(k)
            named = (nxt[0] + 1, self.spans[nxt[0] + 1]) if nxt is not None and nxt[0] + 1 < len(self.spans) else None
            revenue_ranked = any(self.layer.grammar["ranking_default"].get(d) == "revenue" for d in f.dimensions) or \
                "customer" in f.dimensions
            if s.text in verbs and nxt is not None and nxt[1].first("superlative") and f.order_by and \
                    not f.order_by.startswith("count") and f.order_by in self.layer.measures and revenue_ranked and \
                    not (named is not None and (named[1].first("measure") or named[1].first("entity"))):
                raise NotUnderstood("'ordered most' ranks by the number of orders, beside another figure I could not "
                                    "rank by it", hint="e.g. 'which customers placed the most orders' and ask the "
                                                       "other figure on its own")

    def _what_sells_best(self) -> bool:
        """"what sells best with X", "what's it most often bought with": "what" with a verb in the singular
        and a superlative asks for the one thing ranked first ("what is usually bought with X", no
        superlative, lists them)."""
        words = [s.text for s in self.spans]
        for k, w in enumerate(words[:-1]):
            if w == "what" and words[k + 1] in ("is", "sells", "goes", "'s", "s"):
                rest = self.spans[k + 2:]
                return any(s.text in ("best", "most") or s.text.startswith("most ") or s.first("superlative")
                           for s in rest)
        return False
