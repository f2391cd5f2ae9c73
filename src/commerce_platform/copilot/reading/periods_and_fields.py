"""Periods and fields: which period applies to which date field, compared periods."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from ...errors import NotUnderstood
from ..lexicon import Span
from ..periods import MONTH_RE, _one_unit, _period, shift_over, unit_of
from ..query import Filter, Period, QueryForm
from ..semantic import predicate_spec
from .base import StateBase
from .patterns import EACH_WORDS, NUMBER_WORDS


class PeriodFieldSteps(StateBase):
    """Steps that place the periods read on the right date fields."""

    def _between_periods(self, i: int) -> bool:
        """"growth in Q3 2026 over Q2 2026": "over" right between two periods, a growth asked, compares them."""
        left, right = self.prev_content(i), self.next_content(i)
        return bool(left and right and left[0] == i - 1 and right[0] == i + 1 and left[1].text.startswith("__period")
                    and right[1].text.startswith("__period") and any(x.has("grammar", "growth") for x in self.spans))

    def _that_period(self) -> None:
        """"in 2025 ..., cancelled orders as a share of all orders placed that year": "that year" points back
        at the period already named (only when one was named before it)."""
        # the period must be named in the same sentence ("... in September 2026? I mean shipped that month" is a
        # second thought, read on its own)
        said = [x for x in re.split(r"[?!]\s+|(?<=[a-z0-9]{2})\.\s+", self.question.lower()) if re.search(r"\b(?:that|same)\s+[a-z]+", x)]
        if not said or not re.search(rf"\b(?:(?:19|20)\d{{2}}|q[1-4]|h[12]|this|last|{MONTH_RE})\b", said[0]):
            return
        for k, s in enumerate(self.spans):
            if k == 0 or s.used or not s.first("grain") or self.spans[k - 1].text not in ("that", "same"):
                continue
            if any(x.text.startswith("__period") for x in self.spans[:k]) and len(
                    {x.text for x in self.spans if x.text.startswith("__period")}) == 1:
                s.used = True

    def _lapsed(self, f: QueryForm, periods: list[Period]) -> bool:
        """"Which customers ordered in 2025 but nothing this year?", "haven't ordered this year but did order in
        2025": customers with an order (any status) in the earlier period and none in the later one, when the
        two periods do not overlap and the later one is the one with no order."""
        earlier, later = sorted(periods, key=lambda p: p.start)
        before_tail = None
        if earlier.start_date < later.start_date <= earlier.end_date <= later.end_date:
            # "ordered this year but no orders after June 30": the later period is the earlier one's tail, so an
            # order of the earlier one is one before the tail
            before_tail = _period(earlier.start_date, later.start_date - timedelta(days=1),
                                  f"{earlier.label} before {later.start}")
        counted = f.measures == ["count"] and f.subject == "customers"  # "how many customers ordered in 2025 but ..."
        measured = self._lapsed_figures(f)
        if f.subject not in (None, "customers") or f.dimensions and not measured or \
                (f.measures and not counted and not measured) or f.derived \
                or earlier.end >= later.start and before_tail is None:
            return False
        spec = self.layer.grammar.get("lapsed", {})
        slot_at: dict[int, int] = {}
        for k, s in enumerate(self.spans):
            if s.text.startswith("__period"):
                # ("... in 2025 but nothing in 2026, with their 2025 revenue": a period said again stands where it is
                # first said)
                slot_at.setdefault(int(s.text[8:-2]), k)
        at_later = slot_at[self.periods.index(later)]
        at_earlier = slot_at[self.periods.index(earlier)]
        ordered = [k for k, s in enumerate(self.spans) if s.has("activity", "orders")]
        # "customers who spent more than 5000 EUR in 2025 but have not ordered since July": a bound on a figure of
        # their orders says they ordered in that period as "ordered" does (the figure is of that period: planner)
        bounds = {x.field for x in f.filters if x.field in self.layer.measures and x.op in (">", ">=")}
        # ("top 10 customers by revenue in 2025 who haven't ordered this year": a figure of their orders, shown or
        # ranked per customer, is of the period it is said with, so they ordered in it)
        figures = bounds | set(measured)
        acted = sorted({*ordered, *(k for k, s in enumerate(self.spans) if s.first("measure")
                                    and s.arg("measure") in figures)})
        # the "no order" words: the never-ordered condition, or "nothing" / "none" said just before the later period
        nothing = [k for k, s in enumerate(self.spans) if not s.used and s.text in spec.get("nothing", [])
                   and 0 < at_later - k <= 2]
        # ("hasn't placed an order": the negation before the verb of ordering says it too)
        never = [k for k, s in enumerate(self.spans) if s.has("predicate", "never_ordered") or s.has(
            "grammar", "negation") and (nxt := self.next_content(k)) is not None and nxt[1].has("activity", "orders")]
        said_none = (nothing and acted and any(k < at_earlier for k in acted) and at_earlier < nothing[0]) or (
            never and ordered and never[0] < at_later < ordered[-1] < at_earlier) or (
            # "ordered in 2025 but haven't ordered (at all) in 2026": the no-order words between the two periods
            never and acted and acted[0] < at_earlier < never[0] < at_later)
        if not said_none or "ordered_before" in f.predicates:
            return False
        # "spent over 2000 in 2025 but have bought nothing since May": the later period's no-order words said with a
        # verb of purchase ("bought nothing", "haven't bought", "purchased nothing") are of purchases (orders that
        # count as a sale), "ordered nothing" of any order
        buying = set(self.layer.grammar.get("purchase_verbs", []))
        said = [self.spans[k].text for k in never if k < at_later] + [
            x[1].text for k in (*nothing, *never) if k < at_later for x in (
                self.prev_content(k) if k in nothing else None, self.next_content(k)) if x is not None]
        if any(set(t.split()) & buying for t in said):
            f.notes = [*f.notes, "lapsed_sales"]
        for k in nothing:
            self.spans[k].used = True
        for k in ordered:
            self.spans[k].used = True
        for k, x in enumerate(self.spans[:at_earlier]):
            if x.has("grammar", "every_customer") and self.spans[k + 1].text == "who":
                x.used = True  # "everyone who ordered in 2025 but hasn't ordered since": the customers who did
        f.subject = "customers"
        f.kind = "aggregate" if counted else "list"
        f.period, f.compare_period = later, before_tail or earlier
        f.predicates = [p for p in f.predicates if p != "never_ordered"] + ["never_ordered", "ordered_in_earlier"]
        f.notes = [n for n in f.notes if n != "activity:orders"]
        return True

    def _lapsed_figures(self, f: QueryForm) -> list[str]:
        """The figures of customers' orders a lapsed-customers question shows or ranks them by ("top 10 customers by
        revenue in 2025 but no order in 2026", "with their 2025 revenue"): measures of the orders entity, per customer
        (no other grouping); the planner computes them over the earlier period. Empty when anything else is asked."""
        figures = [m for m in (*f.measures, *f.show) if m in self.layer.measures]
        if not figures or any(m not in self.layer.measures for m in f.measures) or any(self.layer.measures[m].get("entity") != "orders" or
                              self.layer.measures[m].get("unit") == "date" for m in figures):
            return []
        if f.grain or f.compare or f.subject != "customers" or f.dimensions != (["customer"] if f.measures else []) \
                or any(m != f.order_by for m in f.measures):
            # (a figure asked, not only shown, is the customers' ranking: "average order value of ..." is one
            # figure, and a figure per customer with no ranking is not listed beside them)
            return []
        return figures

    def _ordered_in_both(self, f: QueryForm, slots: list[Span]) -> bool:
        """"How many customers ordered in both 2025 and 2026?", "customers who bought both in May and in June":
        customers with an order (any status) in each of two periods that do not overlap: an order in the later
        period (the query's period) and one in the earlier (the predicate's own), not one span from the first to
        the last. Only with the layer's word for both (grammar.both) right before the first period, the
        periods joined by "and", and a word of ordering before them."""
        words = self.layer.grammar.get("both", [])
        ks = [self.spans.index(x) for x in slots]
        earlier, later = sorted((self.periods[int(x.text[8:-2])] for x in slots), key=lambda p: p.start)
        counted = f.measures == ["count"] and f.subject in (None, "customers")
        if f.subject not in (None, "customers") or f.dimensions or (f.measures and not counted) or f.derived \
                or f.grain or f.compare or earlier.end >= later.start or f.predicates:
            return False
        before = [k for k in range(ks[0]) if not self.spans[k].has("stop") or self.spans[k].text in words]
        if not before or self.spans[before[-1]].text not in words:
            return False
        between = [x.text for x in self.spans[ks[0] + 1:ks[1]]]
        if between not in (["and"], ["and", "in"], ["and", "during"]):
            return False
        ordered = [k for k in before[:-1] if self.spans[k].has("activity", "orders")]
        if not ordered:
            return False
        self.spans[before[-1]].used = True
        for k in ordered:
            self.spans[k].used = True
        for x in self.spans[ks[0] + 1:ks[1]]:
            x.used = True
        f.subject = "customers"
        f.kind = "aggregate" if counted else "list"
        f.period, f.compare_period = later, earlier
        f.period_field = "orders.order_date"
        f.predicates = [*f.predicates, "ordered_in_both"]
        return True

    # ----- periods, fields, acceptance
    def _signup_periods(self, f: QueryForm) -> set[int]:
        """"revenue in 2026 of customers who signed up in 2025", "what did customers who signed up during 2026
        generate in 2026": a period right after the signup is a condition on the customers' signup date, the
        other period (if any) times the figure asked. Returns the positions of the signup periods."""
        figures = [m.split(":")[-1] for m in f.measures]
        timed = [self.layer.measures[m].get("entity") for m in figures if m in self.layer.measures] + [
            m.split(".")[0] for m in figures if "." in m]
        beside_orders = not any(e not in (None, "customers") for e in timed) and self._signup_beside_orders()
        if "customers.signup_date" in f.show or not any(e not in (None, "customers") for e in timed) and \
                not beside_orders:
            return set()
        if beside_orders and not f.period_field:
            f.period_field = "orders.order_date"  # (the other period: of their orders)
        found: set[int] = set()
        for k, s in enumerate(self.spans):
            before = self.prev_content(k) if s.text.startswith("__period") else None
            if before is not None and before[1].first("activity") and before[1].arg("activity") == "signup":
                period = self.periods[int(s.text[8:-2])]
                f.filters.append(Filter("customers.signup_date", "between", [period.start, period.end]))
                s.used = True
                found.add(k)
        new = [k for k, s in enumerate(self.spans[:-1]) if s.first("activity") and s.arg("activity") == "signup"
               and self.spans[k + 1].has("entity", "customers")]
        if new and not found:
            # "revenue from new customers this year": customers who signed up in the period the figure is of
            slots = [s for s in self.spans if s.text.startswith("__period")]
            if len(slots) != 1:
                raise NotUnderstood(f"I could not tell since when '{self.spans[new[0]].text} customers' are new",
                                    field="question", hint="e.g. 'revenue from new customers this year'")
            period = self.periods[int(slots[0].text[8:-2])]
            f.filters.append(Filter("customers.signup_date", "between", [period.start, period.end]))
            for k in new:
                self.spans[k].used = True
        return found

    def _signup_beside_orders(self) -> bool:
        """"how many customers who signed up in 2024 have no orders in 2026": of customers counted, two periods,
        one right after the signup and the other after a word of their orders ("ordered", "orders", a condition on
        their orders timed inside, "no orders"; nothing compares them): the signup one is a condition on the
        customers, the other times their orders."""
        slots = [k for k, s in enumerate(self.spans) if s.text.startswith("__period")]
        if len(slots) != 2 or any(s.has("grammar", "compare") for s in self.spans):
            return False
        kinds = []
        for k in slots:
            before = self.prev_content(k)
            while before is not None and before[1].text in ("at all", "all", "any", "at"):
                before = self.prev_content(before[0])
            kinds.append(None if before is None else "signup" if before[1].has("activity", "signup")
                         else "orders" if before[1].has("activity", "orders") or before[1].has("entity", "orders")
                         or before[1].first("predicate") and self.layer.predicates.get(
                             str(before[1].arg("predicate")), {}).get("period_inside") == "x.order_date"
                         else None)
        return sorted(k or "" for k in kinds) == ["orders", "signup"]

    def _than_periods(self, f: QueryForm, slots: list[Span]) -> bool:
        """"which categories sold less in Q3 than in Q2", "which brands had higher revenue in October than in
        September": the groups whose figure in the first period is below (above) the one in the second, the
        two periods side by side as growth does; only right after the comparative, with a grouping to pick."""
        ks = [self.spans.index(x) for x in slots]
        if f.compare or f.derived or len(f.measures) > 1 or f.grain or f.per_group \
                or "more_than" in (*f.notes, *self.form.notes):
            return False
        if any(x.text.isdigit() or x.text in NUMBER_WORDS for x in self.spans):
            return False  # "the 3 categories that sold less ...": a ranking asked as well
        between = [x for x in self.spans[ks[0] + 1:ks[1]] if not x.has("stop") or x.text == "than"]
        words = {"less": "down", "lower": "down", "fewer": "down", "smaller": "down",
                 "more": "up", "higher": "up", "greater": "up", "bigger": "up"}
        if between and not between[0].used and between[0].text.endswith(" than") and \
                between[0].text.split()[0] in words and [x.text for x in between[1:]] in ([], ["in"]):
            # "products whose revenue last year was higher than this year": the comparative said between the two
            # periods, the figure before the first, as "higher revenue last year than this year" reads
            if any(x.text in words or x.first("comparator") for k, x in enumerate(self.spans)
                   if k not in (ks[0], self.spans.index(between[0]))) or not any(
                    x.first("measure") for x in self.spans[:ks[0]]):
                return False
            near = [between[0]]
            direction = words[between[0].text.split()[0]]
            # ("products whose ...": the things named first are the groups, one row each)
            things = [x.arg("dimension") for x in self.spans[:ks[0]] if x.first("entity") and x.first("dimension")]
            if not f.dimensions and len(things) == 1 and things[0] in self.layer.dimensions:
                f.dimensions = [str(things[0])]
        else:
            if [x.text for x in between] != ["than"] and [x.text for x in between] != ["than", "in"]:
                return False
            near = [x for x in self.spans[:ks[0]] if x.text in words]
            if len(near) != 1 or any(x.text in words for x in self.spans[ks[0]:]):
                return False
            direction = words[near[0].text]
        if not f.dimensions:
            return False
        f.period, f.compare_period = self.periods[int(slots[0].text[8:-2])], self.periods[int(slots[1].text[8:-2])]
        f.derived = {"kind": "growth", "direction": direction}
        f.order_by, f.direction, f.limit = None, "desc", None  # the comparative's ranking: a condition instead
        for x in [*near, *between]:
            x.used = True
        return True

    def _how_many_more_than(self) -> None:
        """"how many more orders did we get in May than in April", "how much less revenue in 2025 than in 2024": one
        figure, the first period's less the second's (an absolute change; "fewer"/"less" the gap the other way), not
        a ranking; "more"/"less"/"fewer" right after "how many"/"how much" and before the figure's own noun, and
        "than" alone joining two periods. Read before the rankings (the comparative marked used); the periods and
        "than" are placed by _periods_and_fields (left unplaced, so refused, when the figure is not one)."""
        slots = [k for k, x in enumerate(self.spans) if x.text.startswith("__period")]
        if len(slots) != 2:
            return
        between = [x for x in self.spans[slots[0] + 1:slots[1]]
                   if not x.has("stop") or x.text == "than" or x.has("grammar", "compare")]
        if [x.text for x in between] not in (["than"], ["than", "in"]) and not (
                len(between) == 1 and between[0].has("grammar", "compare")):
            return  # ("how much more revenue in 2025 compared to 2024": the comparing words join them as "than")
        asks = [k for k, x in enumerate(self.spans[:slots[0]]) if x.text == "how many"
                or (x.text == "much" and k > 0 and self.spans[k - 1].text == "how")]
        comparative = ("more", "less", "fewer")
        # ("how much more revenue in 2025 than in 2024 per category": the gap in each group, one row each; "which
        # category ..." asks for one of them, left to the rankings)
        grouped = [k for k, x in enumerate(self.spans) if x.first("dimension") and not x.has("stop")]
        if len(asks) != 1 or self.spans[asks[0] + 1].text not in comparative \
                or any(x.text in comparative for x in self.spans[asks[0] + 2:]) or any(
                    x.first("ranking") or x.first("grain") for x in self.spans) or any(
                    k == 0 or not self.spans[k - 1].has("grammar", "group_by") or self.values_of(self.spans[k])
                    for k in grouped):
            return
        noun = self.spans[asks[0] + 2] if asks[0] + 2 < slots[0] else None
        previous = getattr(self, "context", None)
        # "so how many more did we sell in Q3 than in Q2?" after one figure per period: that figure (a follow-up)
        said_before = previous is not None and len(previous.measures) == 1 and not previous.dimensions \
            and not previous.grain and not previous.derived
        if not (noun is not None and (noun.first("measure") or noun.first("entity"))) and not said_before:
            return  # "how many more did we sell ...": the figure not named, left to the rankings' reading
        if said_before and noun is not None and (noun.first("measure") or noun.first("entity")):
            return  # a figure named anew in a follow-up: left to the follow-up's reading
        self.spans[asks[0] + 1].used = True
        if between[0].text != "than":
            between[0].used = True  # the comparing words read as "than" (not two periods side by side)
        self.form.notes.append("more_than")
        if self.spans[asks[0] + 1].text != "more":
            self.form.notes.append("fewer_than")

    def _all_units_restated(self, f: QueryForm) -> None:
        """"monthly revenue for 2025 ... all twelve months": "all" and the number of the grain's units the period
        holds restate the rows asked for (was: '12', 'months' left unplaced); another number is left to refuse."""
        if f.grain not in ("year", "quarter", "month", "day") or f.period is None:
            return
        a, b = f.period.start_date, f.period.end_date
        held = {"year": b.year - a.year + 1, "quarter": (b.year - a.year) * 4 + (b.month - 1) // 3 - (a.month - 1) // 3 + 1,
                "month": (b.year - a.year) * 12 + b.month - a.month + 1, "day": (b - a).days + 1}[str(f.grain)]
        for k in range(1, len(self.spans) - 1):
            said, number, unit = self.spans[k - 1], self.spans[k], self.spans[k + 1]
            if said.text in ("all", "every", "all the") and number.first("number") and number.arg("number") == held \
                    and unit.first("grain") and unit.arg("grain") == f.grain and unit.text.endswith("s"):
                said.used = number.used = unit.used = True

    def _listed_units_of_grain(self, f: QueryForm, slots: list[Span]) -> bool:
        """"Revenue per year (2024, 2025 and 2026 so far)": periods listed one after another, each whole units of
        the grain asked for (one or more) and each following the last, are the rows of that grain over them all (was: refused as
        two periods to compare)."""
        if f.grain not in ("year", "quarter", "month") or f.compare_period or len(slots) < 2:
            return False  # (one period alone is no list: left as said)
        at = [self.spans.index(x) for x in slots]
        # ("for 2025 and for 2026 so far": the period's own preposition said again after "and")
        if any(x.text not in (",", "and") and not (x.text in ("for", "in") and self.spans[j - 1].text in (",", "and"))
               for a, b in zip(at, at[1:], strict=False) for j, x in enumerate(self.spans[a + 1:b], start=a + 1)):
            return False
        said = [self.periods[int(x.text[8:-2])] for x in slots]

        def unit(d: date) -> tuple[int, ...]:
            return {"year": (d.year,), "quarter": (d.year, (d.month - 1) // 3), "month": (d.year, d.month)}[str(f.grain)]
        starts_unit = {"year": lambda d: (d.month, d.day) == (1, 1), "month": lambda d: d.day == 1,
                       "quarter": lambda d: d.day == 1 and d.month in (1, 4, 7, 10)}[str(f.grain)]
        # ("per month in June, July and August": "July and August" read as one period, whole months all the same)
        if not all(starts_unit(p.start_date) and (unit(p.start_date) == unit(p.end_date) or starts_unit(
                p.end_date + timedelta(days=1))) for p in said) or any(
                b.start_date != a.end_date + timedelta(days=1) for a, b in zip(said, said[1:], strict=False)):
            return False
        def ends(label: str) -> list[str]:  # "July 2026 to August 2026": a range's two ends ("2026 year to date" is one)
            parts = label.split(" to ")
            return [parts[0], parts[-1]] if len(parts) == 2 and any(c.isdigit() for c in parts[1]) else [label, label]
        first, last = ends(said[0].label)[0], ends(said[-1].label)[1]
        f.period = _period(said[0].start_date, said[-1].end_date, f"{first} to {last}")
        return True

    def _periods_of_a_share(self, f: QueryForm) -> None:
        """"return rate 2025 vs 2026 so far", "return rate for Q2 vs Q3, one row per quarter": a share (or ratio)
        of two periods compared is one row per period when they are whole units of one grain (a year, a quarter, a
        month) one right after the other: the share per unit over both. Other pairs are refused, never answered for
        the first period alone (was: the second period dropped, the first one's share answered: a silent wrong)."""
        said = [p for p in (f.period, f.compare_period) if p is not None]
        first, second = sorted(said, key=lambda p: p.start)
        grains = [f.grain] if f.grain else ["year", "quarter", "month"]
        grain = next((g for g in grains if g in ("year", "quarter", "month")
                      and _one_unit(first, str(g)) and _one_unit(second, str(g))), None)
        if grain is None or second.start_date != first.end_date + timedelta(days=1):
            raise NotUnderstood("I can give a share for one period, or per year, quarter or month over periods that "
                                "follow each other, not for two other periods side by side", field="question",
                                hint="e.g. 'return rate per year in 2025 and 2026'")
        f.period = _period(first.start_date, second.end_date, f"{first.label} to {second.label}")
        f.compare_period = None
        f.grain = grain
        for s in self.spans:  # "2025 vs 2026": the comparing word says the rows
            if s.has("grammar", "compare"):
                s.used = True

    def _periods_side_by_side(self, f: QueryForm, slots: list[Span]) -> bool:
        """"revenue for October 2025 and October 2026 side by side": two periods joined by "and", asked side by
        side, are put beside each other as "vs" puts them (was: refused as two periods, or read as one span)."""
        # ("revenue in Q2 2025 and in Q2 2026, one row per year": each in one year of its own, the rows said)
        # (two whole units of the grain listed, "by year for 2024 and 2026", stay refused: not every year between)
        pair = [self.periods[int(s.text[8:-2])] for s in slots[:2]]
        rows = f.grain is not None and None is not unit_of(pair[0], f.grain) != unit_of(pair[1], f.grain) is not None \
            and not all(_one_unit(p, f.grain) for p in pair)
        one_row = self._one_row_spans()
        side_by_side = self.layer.grammar.get("side_by_side", {}).get("words", [])  # "side by side", "next to each other"
        # ("revenue by category for 2025 and for 2026 so far, side by side", "count for Q3 2025 and count for Q3
        # 2026": the figure said again after "and", and "for"/"in" before each period, join the same two periods)
        joined = self._periods_joined(f, slots)
        if joined is None or not rows and not one_row and not any(
                s.text in side_by_side for s in self.spans) or f.compare_period:
            return False
        for x in joined:
            x.used = True
        for x in one_row:
            x.used = True  # "- one row with both figures": each period's figure a column, as "side by side" says
        f.derived = f.derived or {"kind": "periods"}
        f.compare_period = self.periods[int(slots[1].text[8:-2])]
        if one_row and " ".join(x.text for x in one_row) not in side_by_side \
                and "periods_side_by_side" not in f.notes:
            f.notes.append("periods_side_by_side")
        return True

    def _spans_between_periods(self, slots: list[Span]) -> list[Span]:
        """The spans from where the first of two periods is first said to where the second is first said."""
        texts = [x.text for x in self.spans]
        return self.spans[texts.index(slots[0].text) + 1:texts.index(slots[1].text)]

    def _periods_joined(self, f: QueryForm, slots: list[Span]) -> list[Span] | None:
        """The words between two periods when they only join them: "and", the figure said again, "for"/"in"/"of"
        before the second ("for 2025 and for 2026", "in Q3 2025 and count for Q3 2026"); None otherwise."""
        between = self._spans_between_periods(slots)
        # ("H2 2025 (Jul-Dec) and H2 2024": the first period said again in other words is no word between)
        said = [x for x in between if x.text not in ("for", "in", "of", "during", slots[0].text)]
        if not said or said[0].text != "and" or not all(self._restates_figure(x, f) for x in said[1:]):
            return None
        return between

    def _periods_minus(self, f: QueryForm, slots: list[Span]) -> bool:
        """"revenue in September 2026 minus revenue in September 2025", "order count per channel, Q3 2026 minus Q3
        2025": the first period's figure less the second's (per row when grouped), the absolute change that "how many
        more ... than" reads; the figure may be said again after "minus" (layer grammar minus_words). The earlier
        period said first ("2025 minus 2026") is left refused: a growth is always the later period less the earlier,
        so it would be answered the other way round."""
        if f.compare or f.derived or f.compare_period or f.grain or len(set(f.measures)) != 1:
            return False
        first, second = (self.periods[int(x.text[8:-2])] for x in slots[:2])
        if first.start_date <= second.start_date:
            return False
        between = self._spans_between_periods(slots)
        said = [x for x in between if x.text not in ("in", "for", "of", "during", slots[0].text)]
        if not said or not self._minus_word(said[0]) or not all(
                self._restates_figure(x, f) for x in said[1:]):
            return False
        for x in between:
            x.used = True
        f.measures = list(dict.fromkeys(f.measures))
        f.compare_period = self.periods[int(slots[1].text[8:-2])]
        f.derived = {"kind": "growth", "absolute": True}
        return True

    def _periods_in_total(self, f: QueryForm, slots: list[Span]) -> bool:
        """"Heating revenue for 2024 and 2025 in total", "orders in Q1 and Q2 2026 altogether": periods listed one
        after another (only "and", a comma or their own preposition between), each starting the day after the last
        ends, and closed by words that say they are taken together (the layer's periods_in_total) are one period over
        them all (was: refused as two periods to compare). Without those words, or with a gap between them, the
        question stays refused: side by side or summed is not said."""
        together = {" ".join(w.split()) for w in self.layer.grammar.get("periods_in_total", {}).get("words", [])}
        if f.grain or f.compare or f.derived or f.compare_period or len(slots) < 2 or not together:
            return False
        at = [self.spans.index(x) for x in slots]
        if at != sorted(at) or any(x.text not in (",", "and") and not (
                x.text in ("for", "in") and self.spans[j - 1].text in (",", "and"))
                for a, b in zip(at, at[1:], strict=False) for j, x in enumerate(self.spans[a + 1:b], start=a + 1)):
            return False
        if " ".join(x.text for x in self.spans[at[-1] + 1:]) not in together:
            return False
        said = [self.periods[int(x.text[8:-2])] for x in slots]
        if any(b.start_date != a.end_date + timedelta(days=1) for a, b in zip(said, said[1:], strict=False)):
            return False
        f.period = _period(said[0].start_date, said[-1].end_date, f"{said[0].label} to {said[-1].label}")
        for x in self.spans[at[0] + 1:]:
            x.used = True
        return True

    def _bounds_per_period(self, f: QueryForm, slots: list[Span]) -> bool:
        """"products that sold more than 100 units in 2025 but fewer than 80 in 2026 so far", "business customers who
        spent over 10000 EUR in 2025 but less than 3000 EUR this year": two bounds on figures, each followed by a
        period of its own before the next bound begins (only joining words between), are each held over that period,
        the figure taken over it alone (was: refused as two periods to compare). A ranking, a grouping by time, a
        comparison or any other layout is left as it was (refused)."""
        if f.compare or f.derived or f.grain or f.compare_period or f.order_by or f.limit or f.per_group \
                or f.dimensions or any(m in self.layer.measures for m in f.measures):
            return False  # (a figure shown per group would have no one period: left refused)
        bounds = [x for x in f.filters if (x.field in self.layer.measures or x.field.startswith("count:"))
                  and x.op in ("<", "<=", ">", ">=") and len(x.values) == 1 and x.period is None]
        figures = [x for x in f.filters if x.field in self.layer.measures or x.field.startswith(("count:", "ndistinct:"))]
        if len(bounds) != 2 or len(figures) != 2:
            return False
        comps = [k for k, x in enumerate(self.spans) if x.used and x.first("comparator") and k + 1 < len(self.spans)
                 and self.spans[k + 1].first("number")]
        ks = [self.spans.index(x) for x in slots]
        if len(comps) != 2 or not comps[0] < ks[0] < comps[1] < ks[1]:
            return False
        # between the first period and the second bound only joining words ("but", "and", "while", a comma)
        joining = ("but", "and", "yet", "while", "whereas", ",")
        if not all(x.text in joining or x.has("stop") for x in self.spans[ks[0] + 1:comps[1]]):
            return False
        numbers = [self.spans[k + 1].arg("number") for k in comps]
        if numbers[0] == numbers[1] or {b.values[0] for b in bounds} != set(numbers):
            return False
        for b in bounds:
            b.period = self.periods[int(slots[numbers.index(b.values[0])].text[8:-2])]
        f.period = None
        for x in self.spans[ks[0] + 1:comps[1]]:
            x.used = True  # the joining words
        return True

    def _periods_of_two_events(self, f: QueryForm, slots: list[Span]) -> bool:
        """"orders placed in October shipped in November": two periods, each said right after the verb of its own
        event on a different date (an ordering verb: the order date; "shipped"/"delivered": the parcel's dates,
        layer grammar events, when the date is its entity's own period column), are two conditions on the same things, never two periods to compare (was:
        refused)."""
        if f.compare or f.derived or f.grain or f.compare_period:
            return False
        fields = self._two_events(slots)
        if fields is None:
            return False
        first, second = (self.periods[int(x.text[8:-2])] for x in slots)
        f.period, f.period_field = first, fields[0]
        # ("shipped before 5 October": up to its last day; "shipped in November" when November begins on the as-of
        # day: since its first day, nothing of it being past yet)
        if second.start <= "1900-01-01":
            f.filters.append(Filter(fields[1], "<=", [second.end]))
        elif second.end_date >= self.as_of:
            f.filters.append(Filter(fields[1], ">=", [second.start]))
        else:
            f.filters.append(Filter(fields[1], "between", [second.start, second.end]))
        return True

    def _two_events(self, slots: list[Span]) -> list[str] | None:
        """The two different event dates two periods are said of ("placed in ... shipped in ..."), or None."""
        if len(slots) != 2:
            return None
        fields = [self._event_of_period(self.spans.index(x)) for x in slots]
        return [fields[0], fields[1]] if fields[0] and fields[1] and fields[0] != fields[1] else None

    def _event_of_period(self, k: int) -> str | None:
        """The date column of the event whose verb comes right before the period at ``k`` ("placed in", "shipped
        in", "only got shipped in"), or None."""
        before = self.prev_content(k)
        while before is not None and before[1].text in self.layer.grammar.get("event_adverbs", []):
            before = self.prev_content(before[0])
        if before is None:
            return None
        verb = before[1]
        if verb.text in self.layer.grammar["ordering_verbs"]:
            entity = self.layer.entities["orders"]
            return f"{entity['table']}.{entity['period']}"
        # (an event whose date is no entity's own period column, "delivered", is also an order status: left out)
        own = {f"{e['table']}.{e.get('period')}" for e in self.layer.entities.values()}
        return next((self.layer.grammar["events"][v] for _, v in self.values_of(verb)
                     if self.layer.grammar["events"].get(v) in own), None)

    def _not_since(self, f: QueryForm) -> None:
        """"business customers with no order since 1 June", "customers who haven't ordered since May": no order
        *since* a day says they did order before it (lapsed customers, as "ordered before but not since" reads),
        not customers who never ordered at all (was: those counted too)."""
        p = f.period
        since = self.layer.grammar.get("lapsed", {}).get("since", [])
        if p is None or f.compare_period or "never_ordered" not in f.predicates \
                or not p.label.startswith(("since ", "after ")) or f.subject not in (None, "customers") \
                or {"ordered_before", "ordered_in_earlier"} & set(f.predicates) or not since \
                or not re.search(rf"\b(?:{'|'.join(map(re.escape, since))})\b", self.question, re.IGNORECASE):
            return
        f.predicates.insert(f.predicates.index("never_ordered"), "ordered_before")

    def _periods_and_fields(self, f: QueryForm) -> None:
        signup = self._signup_periods(f) if not f.period else set()
        slots = list({s.text: s for k, s in enumerate(self.spans)
                      if s.text.startswith("__period") and k not in signup}.values())
        each = [s for k, s in enumerate(self.spans) if s.text.startswith("__period") and k not in signup]
        if len(slots) == 1 and self._two_events(each):
            slots = each  # "placed in September and shipped in September": one period said of two events
        if len(slots) > 1 and len({(p.start, p.end) for p in (self.periods[int(s.text[8:-2])] for s in slots)}) == 1 \
                and not self._two_events(slots):
            # "the first six months of 2026, January through June": one period said twice, not two to compare
            # (but "placed in September and shipped in September": the same period of two events, both conditions)
            slots = slots[:1]
        previous = getattr(self, "context", None)
        if previous is not None and "more_than" in self.form.notes and len(slots) == 2 and not (
                f.dimensions or f.grain or f.derived):
            # "so how many more did we sell in Q3 than in Q2?": the previous figure, the first period's less the
            # second's (the count read from "how many" alone is that figure)
            f.measures = list(previous.measures)
            f.period = None
        slot_spans = {(p.start, p.end) for p in (self.periods[int(s.text[8:-2])] for s in slots)}
        if previous is not None and len(slots) == 2 and f.period and f.compare_period and not f.derived and {
                (f.period.start, f.period.end), (f.compare_period.start, f.compare_period.end)} == slot_spans:
            # "and those who ordered in both September and October?": the two periods the merge put side by side
            self._ordered_in_both(f, slots)
        if not f.period and slots:
            f.period = self.periods[int(slots[0].text[8:-2])]
            for s in slots:
                s.used = True
            if len(slots) > 1 and f.derived and f.derived.get("kind") == "growth":
                # growth is of the later period over the earlier, whichever is named first ("from Q2 to Q3")
                first, second = f.period, self.periods[int(slots[1].text[8:-2])]
                f.period, f.compare_period = sorted((first, second), key=lambda p: p.start, reverse=True)
                a, b = self.spans.index(slots[0]), self.spans.index(slots[1])
                for joining in self.spans[a + 1:b]:
                    if joining.has("grammar", "compare"):
                        # "did revenue for Jan-Oct 2026 change compared with Jan-Oct 2025": the growth's two
                        # periods, joined by the comparing words (was: 'compared with' left unplaced)
                        joining.used = True
            elif len(slots) == 2 and self._lapsed(f, [self.periods[int(x.text[8:-2])] for x in slots]):
                pass
            elif len(slots) == 2 and self._ordered_in_both(f, slots):
                pass
            elif len(slots) == 2 and self._than_periods(f, slots):
                pass
            elif len(slots) == 2 and "more_than" in (*f.notes, *self.form.notes) and not (
                    f.grain or f.derived or f.compare or f.limit or f.order_by):
                # "how many more units did we sell in Q3 than in Q2": the first period's figure less the second's
                for x in self.spans[self.spans.index(slots[0]) + 1:self.spans.index(slots[1])]:
                    x.used = True  # "than (in)"
                # ("how many fewer ...": the second's less the first's, the gap as asked, positive when it is so)
                later = self.periods[int(slots[1].text[8:-2])]
                if "fewer_than" in (*f.notes, *self.form.notes):
                    f.period, later = later, f.period
                f.compare_period = later
                f.derived = {"kind": "growth", "absolute": True}
                # ("how many more units": the count word and the figure's noun, split by the comparative, name one
                # figure, not two)
                f.measures = list(dict.fromkeys(f.measures))
            elif len(slots) == 2 and self._periods_side_by_side(f, slots):
                pass
            elif len(slots) == 2 and self._periods_minus(f, slots):
                pass
            elif len(slots) == 2 and self._periods_of_two_events(f, slots):
                pass
            elif self._listed_units_of_grain(f, slots):
                pass
            elif len(slots) == 2 and self._bounds_per_period(f, slots):
                pass
            elif self._periods_in_total(f, slots):
                pass
            elif len(slots) > 1:
                raise NotUnderstood("the question names two periods; I can compare them only with 'vs', "
                                    "'compared with' or 'compare ... with ...'", field="question",
                                    hint="e.g. 'revenue 2025 vs 2024'")
        for s in self.spans:
            if s.text.startswith("__period"):
                s.used = True
        self._not_since(f)
        if f.period and f.compare_period and (f.derived or {}).get("kind") in ("share", "ratio"):
            self._periods_of_a_share(f)
        self._all_units_restated(f)
        for name in list(f.predicates):
            measure = self.layer.predicates.get(name, {}).get("period_measure")
            if measure and f.compare_period:
                raise NotUnderstood("I can put one period on the latest order, not two side by side",
                                    field="question", hint="e.g. 'customers whose last order was in 2025'")
            latest = [x for x in f.filters if x.op in ("=", "in") and x.field in self.layer.dimensions
                      and self.layer.dimensions[x.field]["column"].startswith("orders.")]
            if measure and latest and not self.layer.measures[measure]["sql"].startswith("MAX("):
                # "customers who placed their first order through b2b": the value of the first order, which I
                # cannot test (read as any order through b2b it would be a wrong count)
                raise NotUnderstood("I can put a period on the first order, not a value of it",
                                    field="question", hint="e.g. 'customers whose first order was in 2025'")
            if measure and not f.period and latest:
                # "customers whose most recent order was cancelled": the value of that one order
                for cond in latest:
                    cond.op = "latest in"
                f.predicates.remove(name)
                continue
            if measure and f.period:
                # "customers whose last order was more than a year ago": a condition on that date, shown
                f.predicates.remove(name)
                f.filters.append(Filter(measure, "between", [f.period.start, f.period.end]))
                f.period = None
        for n in list(f.notes):
            if n.startswith("unit:"):
                f.unit = n.split(":", 1)[1]
        rows_said = bool(f.grain)
        if (f.derived or {}).get("kind") == "periods" and f.grain and f.period and f.compare_period and all(
                _one_unit(p, f.grain) for p in (f.period, f.compare_period)) or (f.derived or {}).get("kind") == \
                "periods" and f.grain and f.period and f.compare_period and None is not unit_of(
                f.period, f.grain) != unit_of(f.compare_period, f.grain) is not None:
            # "2024 versus 2025, one row per year": the years compared are the rows; so are "Q2 2025 vs Q2 2026,
            # one row per year", each in one year of its own (was: grouped by the year too, a query that failed)
            f.grain = None
        if (f.derived or {}).get("kind") == "periods" and f.grain and f.period and f.compare_period and None is not \
                unit_of(f.period, f.grain) == unit_of(f.compare_period, f.grain):
            # "revenue Q1 2026 vs Q2 2026, one row per year": both in one year, no row per year of them to give
            # (was: a query that failed)
            raise NotUnderstood(f"both periods lie in one {f.grain}, so there is no row per {f.grain} to compare",
                                field="question", hint="drop the 'per " + f.grain + "', e.g. 'revenue Q1 2026 vs Q2 2026'")
        side_by_side = self.layer.grammar.get("side_by_side", {})  # with the compare words said: "next to"
        if (f.derived or {}).get("kind") == "periods" and f.compare_period and (f.dimensions or not rows_said) and any(
                s.text in (*side_by_side.get("words", []), *side_by_side.get("with", [])) for s in self.spans):
            # ("orders in Q2 2026 compared with Q2 2025, side by side": with no grouping, one row with each period's
            # figure a column; "... side by side (one row per month)" keeps the rows it says)
            # "orders per channel, 2024 versus 2025 side by side", "revenue by segment, 2024 next to 2025": each
            # period a column, one row per channel
            # (was: one row per channel and period; unsaid, rows stay per period as the dev7 writer read it)
            f.notes.append("periods_side_by_side")
        if f.derived and f.derived.get("kind") == "growth" and f.period and not f.compare_period:
            grain = next((s.arg("grain") for s in self.spans if s.first("grain") and not s.used), None)
            f.compare_period = shift_over(f.period, [s.text for s in self.spans], grain)
            for s in self.spans:  # "compared to the month before": said by the growth's default
                if not s.used and (s.has("grammar", "previous") or s.has("grammar", "compare") or
                                   (s.first("grain") and grain)):
                    s.used = True
        if f.derived and f.derived.get("kind") == "growth":
            for k, s in enumerate(self.spans):  # "by how many percent did it change", "by what percent"
                nxt = self.next_content(k)
                if not s.used and s.text == "by" and nxt is not None and (
                        nxt[1].has("grammar") or nxt[1].text in self.layer.grammar.get("percent_words", [])):
                    s.used = True
        if f.derived and f.derived.get("kind") == "growth" and f.period and f.compare_period:
            for k, s in enumerate(self.spans):  # "(Q1 2026 minus Q4 2025)": the later period less the earlier one
                before, after = self.prev_content(k), self.next_content(k)
                if not s.used and self._minus_word(s) and before and after and all(
                        x[1].text.startswith("__period") for x in (before, after)):
                    said = [self.periods[int(x[1].text[8:-2])] for x in (before, after)]
                    if [(p.start, p.end) for p in said] == [(q.start, q.end) for q in (f.period, f.compare_period)]:
                        s.used = True
                        f.derived["absolute"] = True
        if f.derived and f.derived.get("kind") == "growth" and not f.period:
            raise NotUnderstood("growth needs a period to compare", hint="e.g. 'revenue growth this year vs last year'")
        if f.derived and f.derived.get("kind") == "share" and not f.derived.get("condition"):
            self._share_condition(f)
        asked = any(s.text in ("which", "what") and k + 1 < len(self.spans) and self.spans[k + 1].first("dimension")
                    for k, s in enumerate(self.spans))  # "which brand has the highest revenue share": each
        if f.derived and f.derived.get("kind") == "share" and not f.derived.get("condition") and f.limit \
                and f.dimensions and not f.per_group and not asked and not any(
                    s.used and (s.has("grammar", "group_by") or s.text in EACH_WORDS) for s in self.spans):
            # "what pct of revenue came from our top 10 customers": the top ones together, not each
            f.derived["together"] = True
        if f.derived and f.derived.get("kind") == "ratio" and not f.derived.get("dimension"):
            pair = next((x for x in f.filters if x.field in self.layer.dimensions and x.op in ("=", "in")
                         and len(x.values) == 2), None)
            if pair is None:
                raise NotUnderstood("a ratio of what to what? name two values, e.g. 'ratio of web to store revenue'",
                                    field="question")
            f.filters.remove(pair)
            # "web vs store ratio": one figure, so no row per compared value (each row would divide by nothing)
            f.dimensions = [d for d in f.dimensions if d != pair.field]
            if f.compare and f.compare.get("dimension") == pair.field:
                f.compare = None
            f.derived = {"kind": "ratio", "dimension": pair.field, "values": pair.values}
            f.measures = f.measures or ["count"]
            f.kind = "aggregate"
        contains = [(n.split(":", 1)[1], "starts with" if n.startswith("starts:") else "contains")
                    for n in f.notes if n.startswith(("contains:", "starts:"))]
        for text, op in contains:
            if any(x.op == op and x.values == [text] for x in f.filters):
                # a text already looked for in its field: after "the parcel whose tracking code contains AB12",
                # "who is the customer?" keeps that search on the parcels, never again on the customer's name
                continue
            # the text column named in the question ("customer names contain"), else the subject's name
            named = [a for a in f.show if self.layer.column(a)["type"] == "VARCHAR"]
            entity = self.layer.entities[f.subject or "products"]
            if not named and text.lower() in self.addresses:
                # an address is looked for in the field it belongs to, never in a name by default
                raise NotUnderstood(f"which field should contain '{text}'?", field="question",
                                    hint=f"e.g. 'customers with an email at {text}'")
            name_col = named[0] if named else f"{entity['table']}.{entity['label']}"
            if self.layer.column(name_col)["type"] != "VARCHAR" and entity.get("code") and text in self.codes:
                name_col = f"{entity['table']}.{entity['code']}"  # "parcel SC-007562645": its tracking code
            if self.layer.column(name_col)["type"] != "VARCHAR":
                raise NotUnderstood(f"'{text}' would be looked for in {name_col.split('.')[-1]}, which is not text",
                                    hint="e.g. \"products with 'drill' in the name\"")
            if named:
                f.show.remove(name_col)
                f.subject = f.subject or next(n for n, e in self.layer.entities.items()
                                              if e["table"] == name_col.split(".")[0])
            if not any(x.field == name_col and x.op == op for x in f.filters):
                f.filters.append(Filter(name_col, op, [text]))
        dated = [m for m in f.measures if self.layer.measures.get(m, {}).get("unit") == "date"]
        if f.order_by == "@date" and len(dated) == 1 and (f.kind != "list" or not self.layer.entities[
                f.subject or "orders"].get("period")):
            # "the product with the oldest last sale date": the one date the question computes is what is ranked
            f.order_by = dated[0]
        if f.kind == "list":
            entity = self.layer.entities[f.subject or "orders"]
            parcels = self.layer.entities.get("shipments", {})
            if f.order_by == "@date" and f.subject == "orders" and parcels.get("period") and any(
                    "IS NULL" in self.layer.predicates.get(p, {}).get("sql", "") and
                    self.layer.predicates[p]["sql"].startswith("shipments.") for p in f.predicates) and any(
                    s.text in self.layer.grammar.get("duration_extremes", {}) for s in self.spans):
                # "which order has been on the road the longest without being delivered": the time on the road
                # runs from its shipping, so the oldest shipped first (was: the oldest order date)
                f.order_by = f"shipments.{parcels['period']}"
            if f.order_by and isinstance(f.order_by, str) and f.order_by.startswith("@"):
                attr = entity.get("period") if f.order_by == "@date" else entity.get("amount")
                if attr is None:
                    raise NotUnderstood(f"{entity['plural']} have no {'date' if f.order_by == '@date' else 'amount'} "
                                        "to rank by", hint="e.g. 'most expensive products', 'newest customers'")
                f.order_by = f"{entity['table']}.{attr}"
        elif f.order_by == "@amount" and not f.derived and len(amounts := [m for m in f.measures if self._in_eur(m)]) == 1:
            # "our biggest customer by revenue": the one amount the question names is what is ranked
            f.order_by = amounts[0]
        elif f.order_by in ("@amount", "@date") and (f.derived or {}).get("kind") == "growth" and f.compare_period \
                and len(f.measures) == 1:
            # "the biggest growth in units sold", "the biggest drop in revenue from Q2 to Q3": the change of the one
            # figure named between the two periods is what is ranked, a size of the change in the figure's own
            # units, as "biggest" says of an amount (was: refused, nothing to rank by)
            f.order_by = f.measures[0]
            # ("the biggest percentage drop in revenue": a change asked in percent stays in percent; was: the
            # difference in euros ranked, a silent wrong)
            if not any(s.text in self.layer.grammar.get("percent_words", []) for s in self.spans):
                f.derived = {**(f.derived or {}), "absolute": True}
        elif f.order_by and f.order_by.startswith("@"):
            raise NotUnderstood("I could not tell what to rank by", hint="e.g. 'top 5 products by revenue'")
        if f.period:
            self._date_said_for_the_period(f)
        if f.period and not f.period_field:
            first_named = next((n.split(":", 1)[1] for n in f.notes if n.startswith("of_things_named:")), None)
            if first_named:  # "shipments delivered in October - which orders?": the period of the things named first
                f.period_field = self._period_field(replace(f, subject=first_named))
            else:
                f.period_field = self._period_field(f)
        if f.kind == "aggregate" and f.grain and not f.period_field:
            f.period_field = self._period_field(f)
        if f.kind == "aggregate" and "count" in f.measures and f.subject is None:
            f.subject = "orders"
        order_side = [x for x in f.filters if "." not in x.field and x.field in self.layer.dimensions
                      and not self.layer.dimensions[x.field]["column"].startswith("customers.")
                      or "." in x.field and not x.field.startswith("customers.")]
        if self._ordering_said_unnegated():
            # "customers who have placed orders, but never through the web": none of their orders on the web says
            # nothing of whether they ordered at all; the ordering said apart from it still holds (was: dropped)
            order_side = [x for x in order_side if x.op != "never in"]
        if f.subject == "customers" and "activity:orders" in f.notes and not f.predicates and not order_side \
                and not f.dimensions and not f.order_by and set(f.measures) <= {"count"} and f.kind in ("list", "aggregate") \
                and (f.period is None or f.period_field == "customers.signup_date") and not f.lookup \
                and not self.zero_included and not self._figure_asked_first(f):
            # "customers who signed up in 2026 and have placed an order": those with an order (was every one); not
            # when those with none are asked too ("with the orders each has placed, zero included")
            f.predicates.append("has_ordered")
        self._distinct_measures(f)
        self._summed_figures(f)
        if f.measures[:1] == ["count"] and not f.dimensions and not f.grain and not f.derived and not f.order_by:
            # "how many customers have brought in more than 5000 EUR of revenue": the amount the condition is on,
            # named twice (its verb and its noun), is not a second figure
            # ("number of products and units sold among those that sold fewer than 30 units": a figure joined to the
            # count by "and" before any bound is asked too, kept; was dropped, the count alone answered)
            conditioned = {x.field for x in f.filters if x.field in self.layer.measures} - self._asked_beside_count()
            f.measures = [m for m in f.measures if m == "count" or m not in conditioned]
        self._check_units(f)
        self._measures_without_their_filter(f)

    def _asked_beside_count(self) -> set[str]:
        """Figures asked together with a count: named right after "and" (or "and the", "and their", "and total")
        following the count word, before any bound ("number of products and units sold among those that sold
        fewer than 30 units"). Named only in the bound ("how many customers spent more than 5000 EUR of revenue")
        they are the condition's, not asked."""
        asked: set[str] = set()
        counted = False
        for k, s in enumerate(self.spans):
            if s.first("comparator") or s.first("number"):
                break
            if s.has("grammar", "count") or s.text == "how many":
                counted = True
                continue
            measure = s.first("measure")
            if not counted or not measure:
                continue
            j = k - 1
            while j > 0 and self.spans[j].text in ("the", "their", "its", "total", "how many", "how much", "much"):
                j -= 1
            if j > 0 and self.spans[j].text == "and":
                asked.add(str(measure[1]))
        return asked

    def _date_said_for_the_period(self, f: QueryForm) -> None:
        """"... delivered this year arrived late? Use the ship date for the year": "use (the) <a thing's date> for
        the year / period / dates" says which date the question's period is on, as "(by ship date)" does (was:
        refused on 'use', 'year')."""
        dated = {f"{e['table']}.{e['period']}" for e in self.layer.entities.values() if e.get("period")}
        for k, s in enumerate(self.spans):
            nxt = self.next_content(k)
            if s.used or s.text not in ("use", "using") or nxt is None or not nxt[1].first("attribute") or \
                    str(nxt[1].arg("attribute")) not in dated:
                continue
            said = self.next_content(nxt[0])
            if said is None or self.spans[nxt[0] + 1].text != "for" or said[1].used or not (
                    said[1].first("grain") and not said[1].text.endswith("s") or said[1].text in ("period", "dates")):
                continue
            if self.next_content(said[0]) is not None:
                continue  # more said after it: not only the period's date
            field = str(nxt[1].arg("attribute"))
            if f.period_field and f.period_field != field:
                # "shipments delivered this year ... use the ship date": the event the period was on still holds
                held = next((n for n, p in self.layer.predicates.items()
                             if p.get("sql") == f"{f.period_field} IS NOT NULL"), None)
                if held is None:
                    continue
                if held not in f.predicates:
                    f.predicates.append(held)
            f.period_field = field
            f.notes.append("period_field:said")
            s.used = nxt[1].used = said[1].used = True
            return

    def _ordering_said_unnegated(self) -> bool:
        """An ordering verb of the orders said with no negation right before it ("have placed orders")."""
        for k, s in enumerate(self.spans):
            if not s.has("activity", "orders"):
                continue
            before = self.prev_content(k)
            if before is None or not before[1].has("grammar", "negation"):
                return True
        return False

    def _date_column_before_period(self) -> str | None:
        """"products with nothing on hand in Vantaa where the stock record was last updated before 20 October": a
        date column named right before the period ("updated before ...", "signup date in 2025") is the date the
        period is on, whatever the things counted (was: their default date, the orders', a condition misplaced)."""
        bounds = {*self.layer.grammar.get("previous", []), *self.layer.grammar.get("range", [])}
        for k, s in enumerate(self.spans):
            if not (s.first("slot") and str(s.arg("slot")).startswith("__period")):
                continue
            j = k - 1
            while j >= 0 and (self.spans[j].text in bounds or all(x[0] == "stop" for x in self.spans[j].senses)):
                j -= 1
            said = self.spans[j].first("attribute") if j >= 0 else None
            if said is not None and self.layer.column(str(said[1]))["type"] in ("DATE", "TIMESTAMP"):
                return str(said[1])
        return None

    def _period_field(self, f: QueryForm) -> str:
        said = self._date_column_before_period()
        if said is not None:
            return said
        activity = [n.split(":")[1] for n in f.notes if n.startswith("activity:")]
        # "max:delivery_time": an aggregate of a layer measure is timed like the measure
        measure = next((m.split(":")[-1] for m in f.measures if m.split(":")[-1] in self.layer.measures), None)
        if measure:
            entity = self.layer.entities[self.layer.measures[measure]["entity"]]
            placed = next((k for k, x in enumerate(self.spans) if x.first("activity") and x.arg("activity") == "orders"
                           and x.text in self.layer.grammar["ordering_verbs"]), None)
            if placed and entity["table"] != "orders" \
                    and self.spans[placed - 1].first("entity") and self.spans[placed - 1].arg("entity") == "orders":
                return "orders.order_date"  # "for orders placed this year, average days to shipment": their placing
            if entity.get("period"):
                return f"{entity['table']}.{entity['period']}"
            return "orders.order_date"
        shown = next((self.layer.measures[m]["entity"] if m in self.layer.measures else m[6:] for m in f.show
                      if m in self.layer.measures or m.startswith("count:") and m[6:] in self.layer.entities), None)
        if shown and "signup" not in activity and self.layer.entities[shown].get("period"):
            # "customers in Oslo with their revenue (number of orders) in 2025": the period is of the figure shown
            # beside them
            entity = self.layer.entities[shown]
            return f"{entity['table']}.{entity['period']}"
        # "the median order amount in 2025 for business customers": an aggregate of a column is timed by
        # the period of the column's own things (the orders), not by the customers' signup
        column = next((m.split(":", 1)[1] for m in f.measures if m.count(":") == 1 and "." in m), None)
        owner = next((e for e in self.layer.entities.values() if column and e["table"] == column.split(".")[0]), None)
        if owner and owner.get("period") and "signup" not in activity:
            return f"{owner['table']}.{owner['period']}"
        subject = f.subject or "orders"
        # ("countries with at least 10 customers who ordered in 2025": a count of the things themselves is not
        # what the period dates when their ordering is said; the period is of the orders, below)
        counted = [x.field.split(":")[1] for x in f.filters if x.field.startswith("count:")
                   and not ("orders" in activity and x.field.split(":")[1] == "customers")]
        if "signup" not in activity and counted and self.layer.entities[counted[0]].get("period"):
            # "customers with more than 3 orders in 2025": the period is of the orders counted
            entity = self.layer.entities[counted[0]]
            return f"{entity['table']}.{entity['period']}"
        measured = [x.field for x in f.filters if x.field in self.layer.measures]
        # "top five customers by revenue in 2025, with the revenue": the period of the figure ranked or shown
        measured += [m for m in (*f.show, f.order_by) if m in self.layer.measures and m not in measured]
        if "orders" in activity and measured and any(x.first("entity") and x.arg("entity") == "orders"
                                                     for x in self.spans):
            return "orders.order_date"  # "shipments late by over 3 days, for orders placed in September"
        if f.subject == "orders" and measured and "orders.order_date" in self.layer.measures[measured[0]].get("row_sql", ""):
            # "which orders from October were shipped more than 3 days after the order date": the orders' own
            # period, the day the figure starts from (not the ship date it ends on)
            return "orders.order_date"
        if "signup" not in activity and measured:
            # "customers who spent over 3000 EUR in 2025": the period is of what the condition measures
            entity = self.layer.entities[self.layer.measures[measured[0]]["entity"]]
            if entity.get("period"):
                return f"{entity['table']}.{entity['period']}"
        if "signup" in activity:
            return "customers.signup_date"
        subject_table = self.layer.entities[subject]["table"]
        # ("share of Finnish customers with a returned order this year": the share's own condition counts too)
        shared = ((f.derived or {}).get("condition") or {}).get("filter") if (f.derived or {}).get("kind") == "share" \
            else None
        other = [self.layer.dimensions[x.field]["column"].split(".")[0] for x in [
                 *f.filters, *([Filter(shared["field"], shared["op"], shared["values"])] if shared else [])]
                 if x.field in self.layer.dimensions and x.op in ("=", "in")]
        dated = [n for n, e in self.layer.entities.items() if e["table"] in other and e["table"] != subject_table
                 and e.get("period")]
        if subject == "customers" and dated:
            # "customers with a cancelled order last month": the period is of the orders the condition is on
            entity = self.layer.entities[dated[0]]
            return f"{entity['table']}.{entity['period']}"
        if any(predicate_spec(self.layer, p).get("period_inside") for p in f.predicates):
            return "orders.order_date"  # "customers who have not ordered this year": a period of their orders
        shared_predicate = ((f.derived or {}).get("condition") or {}).get("predicate")
        if shared_predicate and predicate_spec(self.layer, shared_predicate).get("period_inside") and \
                self._period_right_after(shared_predicate):
            # "what share of customers have not ordered in the last 90 days": the period said right after the
            # condition's verb dates its orders (was: refused as maybe their signup)
            return "orders.order_date"
        conditioned = [n for p in f.predicates for n, e in self.layer.entities.items()
                       if n == predicate_spec(self.layer, p)["entity"] and e["table"] != subject_table and e.get("period")]
        if subject == "customers" and conditioned and "orders" not in activity:
            # "how many customers got a late delivery last month": the period is of the parcels the condition is on
            entity = self.layer.entities[conditioned[0]]
            return f"{entity['table']}.{entity['period']}"
        if "orders" in activity or subject == "products":
            return "orders.order_date"
        shown_dated = [e for c in f.show if "." in c and c.split(".")[0] != subject_table
                       for e in self.layer.entities.values() if e["table"] == c.split(".")[0] and e.get("period")]
        if subject == "customers" and shown_dated and "signup" not in activity:
            # "Helmi Larsen's order ids in October": the period is of the orders whose column is asked for
            return f"{shown_dated[0]['table']}.{shown_dated[0]['period']}"
        if "shipments" in activity:
            return "shipments.shipped_at"
        entity = self.layer.entities[subject]
        return f"{entity['table']}.{entity['period']}" if entity.get("period") else "orders.order_date"

    def _period_right_after(self, predicate: str) -> bool:
        """Whether a period is said right after the words of the predicate ("not ordered in the last 90 days")."""
        for k, s in enumerate(self.spans):
            if s.first("predicate") and s.arg("predicate") == predicate:
                nxt = self._past_prepositions(self.next_content(k))
                if nxt is not None and nxt[1].text.startswith("__period"):
                    return True
        return False
