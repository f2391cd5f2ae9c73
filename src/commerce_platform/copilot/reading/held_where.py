"""Where a thing is held: "which warehouses have the X in stock", "is the X in stock anywhere"."""

from __future__ import annotations

import re

from ..query import Filter, QueryForm
from .base import StateBase


class HeldWhereSteps(StateBase):
    """Steps that read a question about the places a thing is held (layer grammar ``held_where``)."""

    def _held_where(self, f: QueryForm) -> None:
        """"which warehouses have the Husqvarna Chef Knife in stock", "is it in stock anywhere": the places whose own
        figure is above 0, one row each (was: every warehouse listed, those at 0 too; 'anywhere' unplaced). Only of
        the one figure asked per place, or of none per place with a word for 'in some place'."""
        spec = self.layer.grammar.get("held_where", {})
        measure, dim = spec.get("measure"), spec.get("dimension")
        if not measure or not dim or f.kind != "aggregate" or f.measures != [measure] or f.grain or f.derived \
                or f.compare or f.compare_period or f.within or f.lookup or f.predicates:
            return
        if not any(s.text in spec.get("phrases", []) and s.has("measure", measure) for s in self.spans):
            return
        if any(x.field == measure for x in f.filters):
            return
        anywhere = [s for s in self.spans if s.has("grammar", "held_where") and not s.used]
        asked = re.match(rf"\s*(?:{'|'.join(map(re.escape, spec.get('asking', [])))})\b", self.question, re.I)
        where = "|".join(map(re.escape, spec.get("where", [])))
        placed = bool(where) and re.match(rf"\s*(?:{where})(?![\w'])", self.question, re.I) is not None
        if f.dimensions == [dim] and asked and not anywhere:
            f.filters.append(Filter(measure, ">", [0.0]))
        elif not f.dimensions and anywhere and not placed and self._total_said():
            # "is the X in stock anywhere? how many units in total": the one total over all places answers both
            # (was: its places with stock, no row at all when it has none)
            for s in anywhere:
                s.used = True
        elif not f.dimensions and (anywhere or placed):  # "where is the X in stock": its places asked
            f.dimensions = [dim]
            f.filters.append(Filter(measure, ">", [0.0]))
            for s in anywhere:
                s.used = True
