"""Conditions on learnings, learned from the evidence with a decision stump.

An observation is one AI line that a rule could have changed: the salesperson changed it the
rule's way (positive) or kept it (negative), with the line's features: quantity, run length in
metres (quantity x section length) and customer. The stump is the single split (feature > t, or
customer == c) that best separates the two; it becomes the learning's condition when it is clearly
better than "always", with enough offers on each side. A condition is plain data
(``{"attribute": "run_length_m", "op": ">", "value": 10}``) kept in the sidecar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_POSITIVE_OFFERS = 3     # offers where the change was made (above the threshold)
MIN_NEGATIVE_OFFERS = 2     # offers where it was not (below): a condition needs seen counter-examples
MIN_STUMP_ACCURACY = 0.9
MIN_GAIN = 0.1              # the condition must beat "always" by this much ...
UNCONDITIONAL_SHARE = 2 / 3  # ... and "always" needs this share of the lines changed

# Features in the order a tie is broken: a run length is what a salesperson reasons about.
NUMERIC_FEATURES = ("run_length_m", "quantity")
_PHRASES = {  # attribute -> (phrase for ">", phrase for "<="), as data for one describe()
    "run_length_m": ("runs over {v} m", "runs of at most {v} m"),
    "quantity": ("quantities over {v}", "quantities of at most {v}"),
}


@dataclass(frozen=True)
class Observation:
    offer_number: str
    positive: bool
    quantity: float | None
    run_length_m: float | None
    customer: str

    def feature(self, name: str):
        return getattr(self, name)


def holds(condition: dict | None, features: dict) -> bool:
    """Does a line with these features meet the condition? No condition always holds; a missing
    feature never meets one (a rule on run length says nothing about a product sold by the piece)."""
    if not condition:
        return True
    value = features.get(condition.get("attribute", ""))
    if value is None:
        return False
    op, limit = condition.get("op"), condition.get("value")
    if op in (">", "<="):
        if not isinstance(limit, int | float | str):
            return False  # a threshold without a number: nothing passes it
        bound = float(limit)
        return float(value) > bound if op == ">" else float(value) <= bound
    if op == "==":
        return str(value) == str(limit)
    return False


def describe(condition: dict) -> str:
    attr, op, value = condition["attribute"], condition["op"], condition["value"]
    if attr in _PHRASES:
        return _PHRASES[attr][0 if op == ">" else 1].format(v=_num(value))
    return f"{attr.replace('_', ' ')} {value}" if op == "==" else f"{attr} {op} {value}"


def _num(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _round_threshold(lo: float, hi: float) -> float:
    """The roundest number t with lo <= t < hi: 10 between 9 m and 12 m, as a person would say it."""
    for step in (1000, 100, 50, 10, 5, 1):
        t = math.ceil(lo / step) * step
        if lo <= t < hi:
            return float(t)
    return float(lo)


def _offers(rows: list[Observation]) -> int:
    return len({r.offer_number for r in rows})


def learn_condition(rows: list[Observation]) -> tuple[bool, dict | None]:
    """(applies, condition): whether the change is a pattern at all, and when it is made."""
    if not rows:
        return False, None
    n = len(rows)
    share = sum(r.positive for r in rows) / n
    best: tuple[float, dict] | None = None
    for name in NUMERIC_FEATURES:
        known = sorted((r for r in rows if r.feature(name) is not None), key=lambda r: r.feature(name))
        values = sorted({r.feature(name) for r in known})
        for lo, hi in zip(values, values[1:], strict=False):
            above = [r for r in known if r.feature(name) > lo]
            below = [r for r in known if r.feature(name) <= lo]
            correct = sum(r.positive for r in above) + sum(not r.positive for r in below)
            acc = correct / n  # lines without the feature count as misses
            if _offers([r for r in above if r.positive]) < MIN_POSITIVE_OFFERS:
                continue
            if _offers([r for r in below if not r.positive]) < MIN_NEGATIVE_OFFERS:
                continue
            if best is None or acc > best[0]:
                best = (acc, {"attribute": name, "op": ">", "value": _round_threshold(lo, hi)})
    for customer in sorted({r.customer for r in rows if r.customer}):
        inside = [r for r in rows if r.customer == customer]
        outside = [r for r in rows if r.customer != customer]
        acc = (sum(r.positive for r in inside) + sum(not r.positive for r in outside)) / n
        if (_offers([r for r in inside if r.positive]) >= MIN_POSITIVE_OFFERS
                and _offers([r for r in outside if not r.positive]) >= MIN_NEGATIVE_OFFERS
                and (best is None or acc > best[0])):
            best = (acc, {"attribute": "customer", "op": "==", "value": customer})
    if best is not None and best[0] >= MIN_STUMP_ACCURACY and best[0] >= share + MIN_GAIN:
        return True, best[1]
    if share >= UNCONDITIONAL_SHARE and _offers([r for r in rows if r.positive]) >= MIN_POSITIVE_OFFERS:
        return True, None
    return False, None
