"""The places counted per row said again: "products out of stock in at least two warehouses, with the number of such
warehouses" / "... the number of warehouses where that's the case"."""

from __future__ import annotations

from ..query import QueryForm
from .base import StateBase


class CountedPlacesSteps(StateBase):
    """Steps that place words restating a count of places already shown beside each row (layer grammar
    ``counted_restated``)."""

    def _counted_places_restated(self, f: QueryForm) -> None:
        """"which products are out of stock in at least two warehouses? give the number of such warehouses": a list
        held to a bound on how many different places each row has (``ndistinct:`` filter, shown beside each row)
        asked again as "the number of such <places>" / "the number of <places> where that's the case": the words
        that point back at the condition ("such" before the places, the layer's ``after`` phrases after them) say
        nothing new (was: refused on 'such' / 'case'). Only right after "number of" naming the very places counted,
        and only when the rows are the things listed (not grouped by those places)."""
        spec = self.layer.grammar.get("counted_restated", {})
        if not spec or f.kind != "list":
            return
        counted = {x.field.split(":", 1)[1] for x in f.filters if x.field.startswith("ndistinct:")}
        if not counted:
            return
        for k, s in enumerate(self.spans):
            if not (s.used and s.has("grammar", "count")):
                continue
            j = k + 1
            before = []
            while j < len(self.spans) and not self.spans[j].used and self.spans[j].text in spec.get("before", []):
                before.append(self.spans[j])
                j += 1
            if j >= len(self.spans):
                continue
            place = self.spans[j]
            dim = place.arg("dimension") if place.first("dimension") else None
            column = self.layer.dimensions.get(str(dim), {}).get("column") if dim else None
            if not place.used or column not in counted or column in [
                    self.layer.dimensions.get(d, {}).get("column") for d in f.dimensions]:
                continue
            after = []
            rest = [x.text for x in self.spans[j + 1:]]
            for phrase in spec.get("after", []):
                words = phrase.split()
                if rest[:len(words)] == words and not any(x.used for x in self.spans[j + 1:j + 1 + len(words)]):
                    after = self.spans[j + 1:j + 1 + len(words)]
                    break
            for x in [*before, *after]:
                x.used = True
