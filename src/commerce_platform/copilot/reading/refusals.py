"""Refusals and asides: actions requested, unknown or missing names, pointers without a referent."""

from __future__ import annotations

import re

from ...errors import NotFound, NotUnderstood
from ..lexicon import Span, is_english_word
from ..query import QueryForm
from .base import StateBase
from .patterns import EACH_WORDS, SUGGESTIONS


class RefusalSteps(StateBase):
    """Steps that refuse what cannot be answered, naming why."""

    # ----- the grammar
    def _cost_of_shipping(self) -> None:
        """A cost said of the shipping verb with no product named is a shipping cost, which the lake lacks
        ("what did shipping with DHL cost us in 2025"); "what did the products we shipped cost us" keeps unit cost."""
        senses = [tuple(x) for s in self.spans for x in s.senses]
        product_side = any(x[0] == "entity" and x[1] == "products"
                           or x[0] in ("value", "dimension") and x[1] in ("product", "category", "brand")
                           for x in senses)
        if (("activity", "shipments") in senses and ("attribute", "products.unit_cost") in senses
                and not product_side):
            raise NotUnderstood("the retail lake has no data about shipping cost",
                                hint="try: " + "; ".join(SUGGESTIONS[:4]))

    def _action_requested(self) -> None:
        """"Please email all Oslo customers a 10% discount code", "cancel order 1234": a question that opens (after
        a courtesy) with a verb of acting on the data (layer grammar ``action_verbs``) and then its object (an
        article, a value, a number or a noun of the data) asks to do something, which a read-only copilot never
        does: refused, naming the verb (was: the customers listed with their email, as if that were asked)."""
        spec = self.layer.grammar.get("action_verbs", {})
        verbs, courtesy, objects = (set(spec.get(k, [])) for k in ("verbs", "courtesy", "objects"))
        k = 0
        while k < len(self.spans) and self.spans[k].text in courtesy:
            k += 1
        # the verb as typed ("cancel order 1234" is mended to "cancelled order" before the spans are read)
        typed = next((w for w in re.findall(r"[a-z][a-z-]*", self.question.lower()) if w not in courtesy), None)
        # a verb alone, not the start of a phrase of the data ("reorder level of X", "email address")
        if k + 1 >= len(self.spans) or typed is None or typed not in verbs or " " in self.spans[k].text or \
                not self.spans[k].text.startswith(typed[:4]):
            return
        after = self.spans[k + 1]
        if after.text in objects or any(x[0] in ("value", "entity", "number", "slot") for x in after.senses):
            raise NotUnderstood(f"I could not place '{typed}': I only read the lake and answer "
                                "questions about it, I cannot act on it", field=typed,
                                hint="ask about the data instead, e.g. 'customers in Oslo with their email'")

    def _pointer_without_referent(self) -> None:
        """"shortfall of it", "what is its stock", "how many of those are active" asked first: the pointer
        stands for something said before, and nothing was (no earlier turn, and nothing in the question before
        it names things: only figures and function words); refused rather than read as every thing."""
        words = [s.text for s in self.spans]
        for k in range(1, len(words) - 1):
            if words[k:k + 2] == ["that", "one"] and words[k - 1] in ("of", "for", "about", "on", "in", "from", "with") \
                    and not self.ids and not self.texts:
                # "who is the customer on that one?": the one thing of an answer given before, and none was
                raise NotUnderstood("I could not tell what 'that one' refers to: there is no earlier question",
                                    field="question", hint="name it, e.g. 'who placed order 217?'")
        for k, w in enumerate(words):
            before = words[k - 1] if k > 0 else ""
            after = words[k + 1] if k + 1 < len(words) else None
            pointer = w in ("its", "their", "them") or (w in ("it", "they") and (
                after is None or before in ("of", "for", "about", "on", "in", "from", "with"))) or (
                w in ("those", "these") and (after is None or before == "of") and not (
                    after is not None and self.spans[k + 1].first("entity")))
            if not pointer:
                continue
            named = any(x[0] not in ("stop", "grammar", "measure") for s in self.spans[:k] for x in s.senses)
            if not named and not self.ids and not self.texts:
                raise NotUnderstood(f"I could not tell what '{w}' refers to: there is no earlier question, and "
                                    "the question names nothing before it", field="question",
                                    hint="name the things, e.g. 'shortfall of the Makita Copper Pipe'")

    def _second_count_of_its_own(self) -> None:
        """"number of products out of stock there and number at or below their reorder level there": a count
        asked again after "and" with a condition after each is two figures, each of its own things; one count of
        the things meeting both conditions would answer neither (was: both conditions on one count, the second
        "number" left as a function word). Refused; "out of stock vs low stock" puts two conditions side by side."""
        f = self.form
        if f.measures != ["count"] or f.derived or len(f.predicates) + len(f.filters) < 2:
            return
        first = next((k for k, s in enumerate(self.spans) if s.used and s.has("grammar", "count")), None)
        if first is None:
            return
        for k in range(first + 1, len(self.spans) - 2):
            j = k + 1 + (self.spans[k + 1].text == "the")
            again = self.spans[j] if j < len(self.spans) else None
            if self.spans[k].text != "and" or again is None or again.used or \
                    again.text not in ("number", "number of", "count", "count of", "how many"):
                continue
            said = [x for x in self.spans[j + 1:] if x.used and (x.first("predicate") or self.values_of(x)
                                                                  or x.first("comparator"))]
            before = [x for x in self.spans[first + 1:k] if x.used and (x.first("predicate") or self.values_of(x)
                                                                        or x.first("comparator"))]
            if said and before:
                raise NotUnderstood("two counts were asked, each with its own condition, and I read one count of "
                                    "the things meeting both", field="question",
                                    hint="ask one count at a time, or put two conditions side by side, e.g. "
                                         "'number of products out of stock vs low stock per warehouse'")

    def _unknown_names(self) -> None:
        """"How many parcels did Acme Post deliver late": a capitalised word the lake does not know, standing where
        a name of a dimension stands (layer name_slots: a word before it and one after), is a name that is not
        there: "not found", not a word left unexplained."""
        capitalised = {w.lower() for w in re.findall(r"(?<![\w-])([A-Z][\w-]+)", self.question)}
        for dim, slot in self.layer.grammar.get("name_slots", {}).items():
            for i, s in enumerate(self.spans):
                if s.senses or s.used or s.text not in capitalised or i == 0:
                    continue
                before = self.spans[i - 1].text
                after = next((x.text for x in self.spans[i + 1:] if x.senses or x.text not in capitalised), "")
                if before in slot["before"] and after in slot["after"]:
                    raise NotFound(f"there is no {dim} named {self.question[self.question.lower().find(s.text):][:len(s.text)]!r}"
                                   " in the lake", field="question", hint=f"check the {dim}'s name")

    def _own_entity_conflict(self, f: QueryForm) -> None:
        """"which best sellers has customer N never bought": a condition read for another entity
        ("never ordered" of products: by nobody) beside a filter on its own entity (one customer) would
        always be empty; refused rather than answered with no rows."""
        if f.kind in ("recommend_customer", "bought_together"):
            return  # these forms say "not yet bought by this customer" themselves
        ranked_entity = f.subject if f.subject in self.layer.entities else None
        for dim in f.dimensions:
            ranked_entity = ranked_entity or self.layer.dimensions.get(dim, {}).get("entity")
        for name in f.predicates:
            spec = self.layer.predicates.get(name)
            if spec is None or ranked_entity not in (spec.get("by_entity") or {}):
                continue
            own_table = self.layer.entities[spec["entity"]]["table"]
            if any(x.field.split(".")[0] == own_table or self.layer.dimensions.get(x.field, {}).get("column", "")
                   .startswith(own_table + ".") for x in f.filters):
                raise NotUnderstood(f"'{spec['label']}' of {ranked_entity} is over all {spec['entity']}; I cannot "
                                    f"yet restrict it to the {self.layer.entities[spec['entity']]['singular']} named",
                                    hint="e.g. 'recommend products to customer 7' (best sellers they have not bought)")

    def _titled(self) -> set[str]:
        """Words written with a capital inside a sentence (not its first word): the shape of a name."""
        out = set()
        for sentence in re.split(r"[.?!:;\u2014]\s+", self.question):
            words = re.findall(r"[\w'-]+", sentence)
            out |= {w.lower() for w in words[1:] if w[:1].isupper() and w[1:2].islower()}
            # "when was Anna Virtanen's last delivery?": the name without its possessive ending
            out |= {w[:-2].lower() for w in words[1:] if w[:1].isupper() and w[1:2].islower() and w.endswith("'s")}
        # "Aino Mäki - how many orders has she placed?": capitalised words opening the question, set off by a colon
        # or a spaced dash, are a name too (its first word's capital is the name's own)
        opening = re.match(r"\s*([A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){1,3}\s*(?::|\s[—–-]\s)", self.question)
        if opening is not None:
            out.add(opening.group(1).lower())
        # a name the spelling mender took for a lake word ("Maija" as "maja") is still the name written
        return out | {better for original, better in self.corrections if original in out}

    def _missing_names(self, left: list[Span]) -> None:
        """A name of a kind the question's shape says (a word before a dimension's noun, a code with the
        field's prefix, a person's two names) that the lake does not hold is not found: the answer is
        that it does not exist, never a refusal that reads as if the question were unclear."""
        titled = self._titled()
        closed = {d for d in self.layer.dimensions if not any(e.get("table") and d == n for n, e in
                                                                 self.layer.entities.items())}
        for k, s in enumerate(self.spans):
            nxt = self.next_content(k)
            # "products below reorder level in malmo warehouse": a word written in lower case that names nothing,
            # right before the singular noun of a dimension, stands where that dimension's name stands all the same
            # (never an English word: "out of stock in another warehouse" names no warehouse)
            lower = s in left and s.text.isalpha() and len(s.text) >= 4 and not is_english_word(s.text) \
                and nxt is not None and nxt[0] == k + 1 \
                and not nxt[1].text.endswith("s") and k > 0 and self.spans[k - 1].text in ("in", "at", "from", "the")
            if nxt is None or s.text not in titled and not lower:
                continue
            noun = nxt[1].first("dimension")
            if noun is None or nxt[1].first("entity") or noun[1] not in closed:
                continue
            if any(x.text in ("which", "what", "who", "how", "where", "when") for x in self.spans[k + 1:nxt[0]]):
                continue  # "For Denmark, which carrier ...": the noun opens a new clause; it does not name the word
            values = self.values_of(s)
            table = self.layer.dimensions[noun[1]]["column"].split(".")[0]
            grouped = nxt[1].text.endswith("s") or k > 0 and (
                self.spans[k - 1].text in EACH_WORDS or self.spans[k - 1].has("grammar", "group_by"))
            if s not in left and grouped and any(
                    self.layer.dimensions[d]["column"].split(".")[0] == table for d, _ in values):
                # "Finnish cities", "in each Finnish city": the cities of that country (one table), grouped, not one
                # named (was: "each Finnish city" not found, as a city named Finnish)
                continue
            if s in left or values and all(d != noun[1] for d, _ in values):
                # "our Tallinn warehouse": a city, but no warehouse of that name
                raise NotFound(f"there is no {noun[1]} named {s.text.title()!r} in the lake", field="question",
                               hint=f"ask for the {noun[1]}s there are, e.g. 'stock by {noun[1]}'")
        # "How many DeWalt Hammer Drill do we have": a run of capitalised words, one a kind of product the lake's
        # names hold ("Hammer") and the others names it does not know, is a product the lake does not hold (was:
        # refused as not understood)
        named = [k for k, s in enumerate(self.spans) if s.text in titled and s.text.isalpha()
                 and (s in left or s.first("product_kind"))]
        run = [k for k in named if k - 1 in named or k + 1 in named]
        if left and len(run) >= 2 and run == list(range(run[0], run[-1] + 1)) and \
                all(self.spans.index(x) in run for x in left) and any(self.spans[k].first("product_kind") for k in run):
            written = {b: a for a, b in self.corrections}
            name = " ".join(written.get(self.spans[k].text, self.spans[k].text).title() for k in run)
            raise NotFound(f"there is no product named {name!r} in the lake", field="question",
                           hint="check the product's spelling, or ask for the products there are")
        # "What has Rakennus Lindgren Oy ordered", "Olaf Gunnarsdottir Ab": three or four capitalised words, all that
        # is left, none a kind of product, one of them a word of the lake's customer names ("Oy") or a company form
        # (layer company_suffixes): a customer the lake does not hold (was: refused as not understood)
        at = [k for k, s in enumerate(self.spans) if s in left]
        suffixes = set(self.layer.grammar.get("company_suffixes", []))
        # "Bauhaus Oy orders last year": two such words, the last a company form, name a company too
        # (its first word may open the question: a capital there is the name's own when the company form after it
        # is written with one too)
        two = len(at) == 2 and self.spans[at[-1]].text in suffixes and self.spans[at[0]].text not in suffixes \
            and self.spans[at[-1]].text in titled
        opening = re.match(r"\s*([A-Z][a-z]+)\b", self.question)
        named_at = titled | ({opening.group(1).lower()} if two and opening else set())
        if (3 <= len(at) <= 4 or two) and at == list(range(at[0], at[-1] + 1)) and all(
                self.spans[k].text in named_at and self.spans[k].text.isalpha() and not self.spans[k].first("product_kind")
                for k in at):
            words = {self.spans[k].text for k in at} & self.p.lexicon.value_words
            company = {self.spans[k].text for k in at} & set(self.layer.grammar.get("company_suffixes", []))
            if company or words and any(x[0] == "value" and x[1] == "customer"
                                        for key, senses in self.p.lexicon.phrases.items()
                                        if len(key) > 1 and words & set(key) for x in senses):
                written = {b: a for a, b in self.corrections}
                name = " ".join(written.get(self.spans[k].text, self.spans[k].text).title() for k in at)
                raise NotFound(f"there is no customer named {name!r} in the lake", field="question",
                               hint="check the customer's name")
        for k, s in enumerate(self.spans):
            if s not in left:
                continue
            prev, nxt = self.prev_content(k), self.next_content(k)
            if prev is not None and prev[1].first("attribute") and re.fullmatch(r"[0-9][\w-]*", s.text) and \
                    prev[1].arg("attribute").split(".")[0] in {e["table"] for e in self.layer.entities.values()}:
                # "SKU-009999": the field's prefix and a code the lake does not hold
                raise NotFound(f"there is no {prev[1].text} {prev[1].text.upper()}-{s.text.upper()} in the lake",
                               field="question", hint=f"check the {prev[1].text}")
            before = self.values_of(prev[1]) if prev is not None else []
            if prev is not None and prev[0] == k - 1 and prev[1] not in left and any(d == "brand" for d, _ in before) \
                    and not s.first("number") and s.text.isalpha():
                # "stock makita snow blower", written in lower case: a brand and words right after it that
                # name nothing are a product of that brand the lake does not hold
                written = {b: a for a, b in self.corrections}
                j = k + 1
                while j < len(self.spans) and self.spans[j] in left and self.spans[j].text.isalpha():
                    j += 1
                if any(x not in self.spans[k:j] for x in left) and not all(x.text in titled for x in self.spans[k:j]):
                    # "tell me a joke about Oras taps": more is not understood than a name; one written with
                    # capitals ("the Fiskars Snow Shovel? should we reorder before winter?") is a name all the same
                    continue
                name = " ".join(written.get(x.text, x.text).title() for x in [prev[1], *self.spans[k:j]])
                raise NotFound(f"there is no product named {name!r} in the lake", field="question",
                               hint="check the product's spelling, or ask for the products of the brand")
            if s.text not in titled:
                continue
            products = self.form.subject == "products" or "product" in self.form.dimensions
            if products and left == [s] and k > 0 and self.spans[k - 1].text in ("from", "by") and s.text.isalpha():
                # "slow movers from DeWalt this year": products from a name, the only word not placed, are a brand's
                raise NotFound(f"there is no brand named {s.text.title()!r} in the lake", field="question",
                               hint="check the brand's spelling, or ask for the brands there are")
            if nxt is not None and nxt[1].first("entity") and nxt[1].arg("entity") == "products" or \
                    any(d == "brand" for d, _ in before):
                # "Hilti products" (no such brand), "Bosch Dishwasher" (no such product of the brand)
                kind = "product" if before else "brand"
                name = f"{prev[1].text.title()} {s.text.title()}" if before and prev is not None else s.text.title()
                raise NotFound(f"there is no {kind} named {name!r} in the lake", field="question",
                               hint=f"check the {kind}'s spelling, or ask for the {kind}s there are")
            if nxt is not None and nxt[1] in left and nxt[1].text in titled and (
                    prev is None or not (prev[1] in left and prev[1].text in titled)):
                after = self.next_content(nxt[0])
                name_parts = [s, nxt[1]]
                if (after is None or not (after[1] in left and after[1].text in titled)) and \
                        not (after is not None and after[0] == nxt[0] + 1 and after[1] in left and
                             after[1].text not in self.layer.grammar.get("company_suffixes", [])):
                    # "has Pekka Virtanen spent": a person's first and last name, no customer of that name
                    # ("how many pickers do we need for the Black Friday week?": a word not understood right after
                    # the two names, not a company form, makes them no person's name; was: no customer named Black Friday)
                    written = {b: a for a, b in self.corrections}
                    person = " ".join(written.get(x.text, x.text).title() for x in name_parts)
                    if any(x.has("grammar", "bought_together") for x in self.spans):
                        # "what sells together with the Stihl Chainsaw?": what is bought with it is a product
                        raise NotFound(f"there is no product named {person!r} in the lake", field="question",
                                       hint="check the product's spelling, or ask for the products there are")
                    raise NotFound(f"there is no customer named {person} in the lake",
                                   field="question", hint="check the customer's name")
