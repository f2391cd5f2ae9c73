"""A figure of one thing, averaged: "on average how many units go into one order? count every order", "counting
every 2025 order, how many units are on an order on average?", "on average, how many order lines one order has? all
orders". The thing averaged over is said with "a", "an", "each" or "one" before it (singular); "every order" or "all
orders" said of that same thing restates which ones are averaged (all of them), not a count of its own; a linking
verb of the grammar's ``per_one_links`` ("go into") links the figure to the one thing. Only when an averaging word
is said and not yet read; anything else stays for the rest of the reader (and is refused if left unplaced)."""

from __future__ import annotations

from ..lexicon import Span
from .base import StateBase

ONE_WORDS = ("a", "an", "each", "one")
EVERY_WORDS = ("every", "all")
COUNTING_WORDS = ("count", "counting", "including", "include")
COUNTED_WORDS = ("counted", "included")


class PerOneSteps(StateBase):
    def _one_thing_averaged(self) -> None:
        if not any(x.has("grammar", "average") and not x.used for x in self.spans):
            return
        one = self._the_one_averaged()
        if one is None:
            return
        entity = one[1].arg("entity")
        for k, s in enumerate(self.spans):
            if s.text in EVERY_WORDS and not s.used:
                self._every_one_restated(k, entity)
        links = set(self.layer.grammar.get("per_one_links", []))
        for k in range(one[0] - 1, 0, -1):
            s = self.spans[k]
            if s.text in ONE_WORDS or s.text in ("into", "in", "on"):
                continue
            if s.text in links and not s.used:
                s.used = True  # "how many units go into one order": the figure that one order holds
            break

    def _the_one_averaged(self) -> tuple[int, Span] | None:
        """The singular thing after "a", "an", "each" or "one" that names an entity with a dimension of its own."""
        for k, s in enumerate(self.spans[1:], start=1):
            if self.spans[k - 1].text in ONE_WORDS and s.first("entity") and not s.text.endswith("s") and any(
                    d.get("entity") == s.arg("entity") for d in self.layer.dimensions.values()):
                return k, s
        return None

    def _every_one_restated(self, k: int, entity: object) -> None:
        """"(count) every (2025) order", "all orders": the things averaged over, all of them; the period said between
        stays a period (read as the question's own)."""
        j = k + 1
        while j < len(self.spans) and self.spans[j].text.startswith("__period"):
            j += 1
        if j >= len(self.spans):
            return
        t = self.spans[j]
        if t.used or not t.first("entity") or t.arg("entity") != entity:
            return
        self.spans[k].used = t.used = True
        if k > 0 and self.spans[k - 1].text in COUNTING_WORDS and not self.spans[k - 1].used:
            self.spans[k - 1].used = True
        if j + 1 < len(self.spans) and self.spans[j + 1].text in COUNTED_WORDS and not self.spans[j + 1].used:
            self.spans[j + 1].used = True  # "all orders counted"
