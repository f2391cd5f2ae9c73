"""A figure of a thing bounded by another figure of the same thing: "which products have less stock than the units they
sold last month", "products whose total stock is more than ten times their combined reorder level"."""

from __future__ import annotations

import re

from ..lexicon import Span
from ..query import Filter
from .base import StateBase


class FigureThanSteps(StateBase):
    """Steps that read a bound on a figure set by another figure of the same thing (layer grammar
    ``figure_than_figure``)."""

    def _figure_than_figure(self) -> None:
        """"Which products have less stock on hand than they sold last month?", "which products sold more units last
        month than we have in stock?", "products with stock over 4x their reorder level": the first figure held to
        the second (times the factor said), each thing's own two figures (was: refused on 'than' / 'times' / 'x',
        or the comparative read as a ranking). Both figures must be of the layer in the same unit (units with units,
        never units with euros), one of them a figure of the things named, and nothing but grammar words, a period or
        the selling verb around them; else the question is read as before."""
        spec = self.layer.grammar.get("figure_than_figure")
        if not spec:
            return
        comparatives: dict[str, str] = spec.get("comparatives", {})
        factors: dict[str, float] = spec.get("factors", {})
        times = set(spec.get("times", []))
        for k, s in enumerate(self.spans):
            if s.used:
                continue
            if s.text == "than" and not s.senses:
                found = self._figure_before_than(k, comparatives)
            elif s.first("comparator") and str(s.arg("comparator")) in ("<", "<=", ">", ">="):
                found = self._figure_before_comparator(k)
            else:
                continue
            if found is None:
                continue
            left, op, a = found
            right = self._figure_after(k, factors, times, a)
            if right is None:
                continue
            placed, factor, b = right
            if s.text in spec.get("factor_only", []) and not placed[:-1]:
                continue  # "units sold over stock": a ratio as often as a bound; only "over 4x their ..." is a bound
            if not self._figures_of_one_thing(a, b, left[0]):
                continue
            for x in [*left, s, *placed]:
                x.used = True
            self.form.filters.append(Filter(a, op, [factor], than=b))
            if b not in self.form.show:
                self.form.show.append(b)
            return

    def _days_of_stock(self) -> None:
        """"Which products have less than 30 days of stock left, going by their average daily units sold over the last
        90 days?": the stock held to the days said of the daily pace of the period's units sold (stock below 30/90 of
        the units sold in those 90 days; things that sold nothing have no pace and are left out), each thing's own
        figures (was: refused, 'days' read as a delivery time). Only with the pace said in words (the layer's
        ``days_of_stock`` words: a daily or pace word and the units sold) and one period, the pace's, of whole days."""
        spec = self.layer.grammar.get("days_of_stock")
        slots = [x for x in self.spans if x.first("slot") and x.text.startswith("__period")]
        if not spec or len({x.text for x in slots}) != 1:  # (a period restated is the same slot)
            return
        for k, s in enumerate(self.spans[:-4]):
            if s.used or not s.first("comparator") or str(s.arg("comparator")) not in ("<", "<=", ">", ">="):
                continue
            number, days, of, held = self.spans[k + 1:k + 5]
            if not number.first("number") or not days.has("unit", "days") or of.text != "of" or \
                    not (held.has("measure", "stock") or held.text in spec.get("covers", [])):
                continue
            rest = self.spans[k + 5:]
            period = self.periods[int(slots[0].text[8:-2])]
            span_days = (period.end_date - period.start_date).days + 1
            # "(Q3 units / 92 days)": the pace restated as the period's units over its days, placed when the days are
            # the period's own (other days: refused)
            restated: list[Span] = []
            for i in range(len(rest) - 2):
                if rest[i].has("measure", "units_sold") and rest[i + 1].first("number") and \
                        rest[i + 2].has("unit", "days") and not any(x.used for x in rest[i:i + 3]):
                    if float(rest[i + 1].arg("number")) != float(span_days):
                        return
                    restated = [*([rest[i - 1]] if i > 0 and rest[i - 1].first("slot") else []), *rest[i:i + 3]]
                    break
            rest = [x for x in rest if x not in restated]
            left = [x for x in rest[:1] if x.text in spec.get("left", [])]
            pace = [x for x in rest if x.text in spec.get("pace", []) and not x.used]
            figure = [x for x in rest if (x.has("measure", "units_sold") or x.text in spec.get("sold", [])) and not x.used]
            if not any(x.text in spec.get("daily", []) for x in pace) or len(figure) != 1:
                return
            between = [x for x in rest[len(left):] if x not in pace and x not in figure and not x.first("slot")]
            if any(not self._skippable(x) for x in between):
                return  # another word of the data: read as before
            if span_days <= 0:
                return
            for x in [s, number, days, of, held, *left, *pace, *figure, *restated]:
                x.used = True
            self.form.filters.append(Filter("stock", str(s.arg("comparator")),
                                            [float(number.arg("number")) / span_days], than="units_sold"))
            # (the days said and the pace's days, for the answer's words: "30 days of units sold", not its factor)
            self.form.notes.append(f"days_of_stock:{float(number.arg('number')):g}:{span_days}")
            if "units_sold" not in self.form.show:
                self.form.show.append("units_sold")
            return

    def _skippable(self, x: Span) -> bool:
        return bool(x.senses) and all(y[0] == "stop" for y in x.senses)

    def _figure_before_than(self, k: int, comparatives: dict[str, str]) -> tuple[list[Span], str, str] | None:
        """"less stock (on hand) than", "sold more units last month than": the comparative right before the first
        figure, the figure's period or verb between it and "than"."""
        j = k - 1
        while j >= 0 and (self._skippable(self.spans[j]) or self.spans[j].first("slot")):
            j -= 1
        if j < 0 or not self.spans[j].first("measure") or self.spans[j].used:
            return None
        figure = self.spans[j]
        i = j - 1
        while i >= 0 and self._skippable(self.spans[i]) and self.spans[i].text in ("total", "combined"):
            i -= 1
        if i < 0 or self.spans[i].text not in comparatives:
            return None
        return [self.spans[i], figure], comparatives[self.spans[i].text], str(figure.arg("measure"))

    def _figure_before_comparator(self, k: int) -> tuple[list[Span], str, str] | None:
        """"total stock is more than", "stock below": the first figure right before the comparator."""
        j = k - 1
        while j >= 0 and self._skippable(self.spans[j]):
            j -= 1
        if j < 0 or not self.spans[j].first("measure"):
            return None
        figure = self.spans[j]
        return [figure] if not figure.used else [], str(self.spans[k].arg("comparator")), str(figure.arg("measure"))

    def _figure_after(self, k: int, factors: dict[str, float], times: set[str],
                      first: str) -> tuple[list[Span], float, str] | None:
        """The second figure after the pivot: grammar words, then a factor ("ten times", "4x", "twice", "half of"),
        then the figure's word, or the selling verb for the units sold when the first figure is a number of units."""
        j, placed, factor = k + 1, [], 1.0
        while j < len(self.spans) and self._skippable(self.spans[j]):
            j += 1
        if j + 1 < len(self.spans) and self.spans[j].first("number") and self.spans[j + 1].text in times:
            factor = float(self.spans[j].arg("number"))
            placed += self.spans[j:j + 2]
            j += 2
        elif j < len(self.spans) and self.spans[j].text in factors:
            factor = float(factors[self.spans[j].text])
            placed.append(self.spans[j])
            j += 1
        while j < len(self.spans) and self._skippable(self.spans[j]):
            j += 1
        if j >= len(self.spans) or self.spans[j].used:
            return None
        x = self.spans[j]
        if x.first("number") or factor <= 0:
            return None  # "more than 10 units": a bound of its own
        if x.first("measure"):
            return [*placed, x], factor, str(x.arg("measure"))
        sold = self.layer.grammar.get("figure_than_figure", {}).get("sold", {})
        if x.first("activity") and str(x.arg("activity")) == sold.get("activity") and \
                self.layer.measures.get(first, {}).get("unit") == self.layer.measures.get(sold.get("measure", ""), {}).get("unit"):
            return [*placed, x], factor, str(sold["measure"])  # "less on hand than they sold": the units sold
        return None

    def _figures_of_one_thing(self, a: str, b: str, first: Span) -> bool:
        """Two different figures of the layer in one unit (no dates), one of them a figure of the things named first."""
        ma, mb = self.layer.measures.get(a), self.layer.measures.get(b)
        if a == b or ma is None or mb is None or ma.get("unit") != mb.get("unit") or ma.get("unit") in (None, "date"):
            return False
        k = self.spans.index(first)
        named = next((x for x in self.spans[:k] if x.first("entity")), None)
        if named is None:
            return False
        entity = str(named.arg("entity"))
        # each figure is one of the thing's own, or a figure of order lines (a product's units sold): "which orders
        # have more units than we have in stock" names no one thing both are of
        if not any(m1.get("entity") == entity and (m2.get("entity") == entity or "line_sql" in m2)
                   for m1, m2 in ((ma, mb), (mb, ma))):
            return False
        # "fewer units in stock than units sold in Kuopio": a value of a table one figure is taken from and the other
        # is not (sales have no warehouse) would hold one figure only: not read
        ta, tb = (set(re.findall(r"\b([a-z_]+)\.", " ".join(str(m.get(key, "")) for key in ("sql", "line_sql", "filter"))))
                  for m in (ma, mb))
        for x in self.spans:
            for dim, _value in self.values_of(x):
                table = str(self.layer.dimensions.get(dim, {}).get("column", "")).split(".")[0]
                if (table in ta) != (table in tb):
                    return False
        return True
