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
    # One sweep per feature over the lines sorted by value (counts and distinct offers on each side
    # of every threshold from running totals): a year of offers has 10,000s of lines per rule, and
    # recounting both sides for each threshold was quadratic.
    for name in NUMERIC_FEATURES:
        groups: dict[float, list[Observation]] = {}
        for r in rows:
            value = r.feature(name)
            if value is not None:
                groups.setdefault(value, []).append(r)
        values = sorted(groups)
        if len(values) < 2:
            continue
        neg_below: list[int] = []  # lines <= values[i]
        neg_offers_below: list[int] = []
        count, offers = 0, set[str]()
        for v in values:
            negatives = [r for r in groups[v] if not r.positive]
            count += len(negatives)
            offers.update(r.offer_number for r in negatives)
            neg_below.append(count)
            neg_offers_below.append(len(offers))
        pos_above, pos_offers_above = [0] * len(values), [0] * len(values)  # lines > values[i]
        count, offers = 0, set[str]()
        for i in range(len(values) - 1, 0, -1):
            positives = [r for r in groups[values[i]] if r.positive]
            count += len(positives)
            offers.update(r.offer_number for r in positives)
            pos_above[i - 1], pos_offers_above[i - 1] = count, len(offers)
        for i in range(len(values) - 1):
            acc = (pos_above[i] + neg_below[i]) / n  # lines without the feature count as misses
            if pos_offers_above[i] < MIN_POSITIVE_OFFERS or neg_offers_below[i] < MIN_NEGATIVE_OFFERS:
                continue
            if best is None or acc > best[0]:
                best = (acc, {"attribute": name, "op": ">", "value": _round_threshold(values[i], values[i + 1])})
    total_neg = sum(not r.positive for r in rows)
    pos_in: dict[str, int] = {}
    neg_in: dict[str, int] = {}
    pos_offers_in: dict[str, set[str]] = {}
    neg_customers_of_offer: dict[str, set[str]] = {}
    for r in rows:
        if r.positive:
            pos_in[r.customer] = pos_in.get(r.customer, 0) + 1
            pos_offers_in.setdefault(r.customer, set()).add(r.offer_number)
        else:
            neg_in[r.customer] = neg_in.get(r.customer, 0) + 1
            neg_customers_of_offer.setdefault(r.offer_number, set()).add(r.customer)
    # An offer has a negative line outside customer c unless all its negative lines are c's.
    only_customer: dict[str, int] = {}
    for customers in neg_customers_of_offer.values():
        if len(customers) == 1:
            (only,) = customers
            only_customer[only] = only_customer.get(only, 0) + 1
    for customer in sorted({r.customer for r in rows if r.customer}):
        acc = (pos_in.get(customer, 0) + total_neg - neg_in.get(customer, 0)) / n
        if (len(pos_offers_in.get(customer, ())) >= MIN_POSITIVE_OFFERS
                and len(neg_customers_of_offer) - only_customer.get(customer, 0) >= MIN_NEGATIVE_OFFERS
                and (best is None or acc > best[0])):
            best = (acc, {"attribute": "customer", "op": "==", "value": customer})
    if best is not None and best[0] >= MIN_STUMP_ACCURACY and best[0] >= share + MIN_GAIN:
        return True, best[1]
    if share >= UNCONDITIONAL_SHARE and _offers([r for r in rows if r.positive]) >= MIN_POSITIVE_OFFERS:
        return True, None
    return False, None
