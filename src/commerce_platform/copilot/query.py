"""The typed query form: what a question means, independent of SQL.

The parser (offline) and the LLM (as JSON under a schema) both produce a ``QueryForm``;
one planner compiles it to SQL. Every name in it is a name of the semantic layer
(measures, dimensions, attributes as ``table.column``, predicates), so a form can be
checked against the layer before anything runs, stored with a conversation turn, and
merged with a follow-up.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

OPS: tuple[str, ...] = ("=", "in", "not in", "<", "<=", ">", ">=", "between", "is null", "is not null", "contains",
                        "not contains", "starts with", "all of", "only of", "never in", "latest in", "bought in", "never bought in",
                        "no line in", "not bought by")


@dataclass
class Filter:
    """``field`` is a dimension name ("city"), an attribute ``table.column`` or a measure name
    (a measure filter is a HAVING condition: "customers with more than 5 orders")."""

    field: str
    op: str
    values: list[Any] = dataclasses.field(default_factory=list)  # "field" is an attribute here
    unit: str | None = None  # of a duration's values ("more than 48 hours")
    # a bound on a measure held over a period of its own ("over 1000 EUR in 2025 but less than 200 EUR this year"):
    # the figure is taken over that period alone (the form's period is then none: each bound says its own)
    period: Period | None = None
    # a bound that is another figure of the same thing ("less stock than the units they sold last month", "stock more
    # than 10 times their reorder level"): ``values`` holds the factor, ``than`` that figure's measure name
    than: str | None = None


@dataclass
class Period:
    start: str   # ISO dates, inclusive
    end: str
    label: str

    @property
    def start_date(self) -> date:
        return date.fromisoformat(self.start)

    @property
    def end_date(self) -> date:
        return date.fromisoformat(self.end)


@dataclass
class QueryForm:
    """One question's meaning.

    - ``subject``: the entity the question is about (orders, customers, products, shipments).
    - ``measures``: measure names of the layer, or ``count`` (of the subject).
    - ``dimensions`` and ``grain``: the grouping (a time grain groups by the period column).
    - ``filters`` and ``predicates`` (layer boolean phrases, ``not_`` prefix when negated).
    - ``compare``: values of one dimension side by side ("Finland vs Sweden").
    - ``derived``: ``share`` (of a condition, or of the total per group), ``growth`` (vs ``compare_period``).
    - ``order_by``/``direction``/``limit``: ranking on a measure or a sortable attribute; ``offset``: the
      places skipped before the ``limit`` ("the second largest": one, after the first);
      ``per_group``: dimensions the ranking restarts in ("top category in each country").
    - ``lookup``: an id the question is about (order status, a customer's profile, ...).
    - ``kind``: aggregate | list | lookup | bought_together | recommend_customer.
    - ``within``: a previous top N (a form, as a dict) whose rows this answer keeps ("which of those are
      business customers?" after the top 10 customers): the condition applies within them, no new ranking.
    """

    kind: str = "aggregate"
    subject: str | None = None
    measures: list[str] = field(default_factory=list)
    unit: str | None = None
    dimensions: list[str] = field(default_factory=list)
    grain: str | None = None
    filters: list[Filter] = field(default_factory=list)
    predicates: list[str] = field(default_factory=list)
    period: Period | None = None
    period_field: str | None = None
    compare: dict[str, Any] | None = None
    derived: dict[str, Any] | None = None
    compare_period: Period | None = None
    order_by: str | None = None
    direction: str = "desc"
    limit: int | None = None
    offset: int = 0  # ranked ones skipped before the limit ("the second highest": offset 1, limit 1)
    lookup: dict[str, Any] | None = None
    show: list[str] = field(default_factory=list)   # extra attributes to show in a list
    per_group: list[str] = field(default_factory=list)  # the ranking restarts in each group ("in each country")
    notes: list[str] = field(default_factory=list)
    within: dict[str, Any] | None = None
    as_of: str | None = None  # the as-of day, for a measure counted up to it (an age: AS_OF_DAY() in its SQL)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> QueryForm | None:
        if not data or "kind" not in data:
            return None  # turns stored by the first parser carry another shape: no context
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["filters"] = [Filter(**{**f, "period": Period(**f["period"]) if isinstance(f.get("period"), dict)
                                      else f.get("period")}) for f in known.get("filters") or []]
        for key in ("period", "compare_period"):
            if known.get(key):
                known[key] = Period(**known[key])
        return cls(**known)

    def filter_on(self, name: str) -> Filter | None:
        return next((f for f in self.filters if f.field == name), None)


def output_name(form: QueryForm, measure: str) -> str:
    """The result column of a measure: a count is named by what it counts ("orders")."""
    if measure == "count" or measure.startswith("count:"):
        return measure.split(":")[1] if ":" in measure else (form.subject or "orders")
    if ":" in measure:  # "sum:orders.total_amount" -> sum_total_amount
        fn, attr = measure.split(":", 1)
        return f"{fn}_{attr.split('.')[-1]}"
    return measure
