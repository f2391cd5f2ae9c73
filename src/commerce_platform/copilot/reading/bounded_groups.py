"""Groups held to a bound on a count of other things: "which cities had more than 150 orders in 2025"."""

from __future__ import annotations

from ...errors import NotUnderstood
from ..query import Filter, QueryForm
from .base import StateBase


class BoundedGroupSteps(StateBase):
    """Steps that pick the figure shown beside groups held to a bound."""

    def _bounded_count_shown(self, f: QueryForm) -> None:
        """"which customer cities had more than 150 orders in 2025 (with the count)": the groups held to a bound on
        a count of other things show that count, as "which brands sold more than 400 units" shows the units (was:
        the number of the grouping's own things, customers per city, a figure nobody asked: a silent wrong). Only
        when no count was asked in words ("how many customers ...", "number of ...") and the one bound is a count."""
        if f.kind != "aggregate" or not f.dimensions or f.grain or f.derived or f.compare or f.measures != ["count"] \
                or f.within or f.lookup or any(x.has("grammar", "count") and x.text != "count" for x in self.spans):
            return
        if f"values_of:{f.dimensions[0]}" not in f.notes:
            return  # ("which cities ...": the values of the grouping asked for)
        bounds = [c for c in f.filters if c.field.startswith("count:")]
        if len(bounds) != 1 or bounds[0].field == f"count:{f.subject}" or bounds[0].op not in ("<", "<=", ">", ">=", "="):
            return
        f.measures = [bounds[0].field]

    def _degenerate_figures(self, f: QueryForm) -> None:
        """Figures that hold one value whatever the data: a share whose condition is also a condition on all the
        things ("share of delivered shipments that arrived within 2 days (delivery time of 2 days or less)": the
        parenthesis restates the share's condition, not a condition on the whole, which made every share 1) is the
        share; an average per order of the number of orders (always 1: "number of orders and average total_amount
        per order" lost the amount) is refused."""
        derived = f.derived or {}
        condition = (derived.get("condition") or {}).get("filter") if derived.get("kind") == "share" else None
        if condition:
            said = Filter(**condition)
            f.filters = [c for c in f.filters if c != said]
        if derived.get("kind") == "average_per" and derived.get("entity") and derived["entity"] == f.subject \
                and any(m == "count" or m == f"count:{f.subject}" for m in f.measures):
            raise NotUnderstood(f"an average per {derived['entity'].rstrip('s')} of the number of {f.subject} is "
                                f"always 1: I could not tell which figure to average", field="question",
                                hint="e.g. 'average order value per country'")

