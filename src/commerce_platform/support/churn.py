"""Churn risk: low / medium / high (or unknown) from the ticket in hand, earlier contacts, order
recency and open issues.

Formula (documented, table-driven; every component in [0, 1] except where noted):

    risk = 0.40 * current + 0.30 * recency + 0.15 * repeat + 0.10 * history + 0.05 * open_issues

- current = the sentiment of the ticket being handled (the customer's newest contact): a negative
  one (label negative) counts 0.5 + 0.5 * |score|, a positive one -score (it lowers the risk), a
  neutral one 0. What the customer says today weighs most: a support lead reads the ticket first.
- recency = days since the last non-cancelled order, by RECENCY_STEPS; NO_ORDERS_RECENCY for a known
  customer who has not ordered yet (a prospect is not a lapsed buyer); left out (weights renormalised)
  when there is no customer database to ask.
- repeat = earlier negative contacts in the last 30 days, plus one when the ticket says it is
  happening again ("second time", "again", "still", "taas", "toisen kerran" ...), capped at 2, / 2.
- history = mean sentiment of the earlier contacts of the last 90 days, recent ones (30 days) weighing
  twice, negated; in [-1, 1]: earlier praise lowers the risk.
- open_issues = other open tickets, min(n, 3) / 3.
- A ticket that says the customer is leaving ("cancel our account", "never order again", "money back",
  "en tilaa enää") is at least high.

Level: risk < 0.30 -> low; < 0.55 -> medium; else high. A customer id that is not in the customer
database gets level "unknown" with score None and a reason: there is nothing to judge churn by
(previously "never ordered" counted as maximal recency, so a mistyped id came out high).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

WEIGHTS = {"current": 0.45, "recency": 0.25, "repeat": 0.20, "history": 0.05, "open_issues": 0.05}
FORMULA = "0.45*current + 0.25*recency + 0.20*repeat + 0.05*history + 0.05*open_issues"
# (days since last order up to and including, recency component)
RECENCY_STEPS: list[tuple[float, float]] = [(30, 0.0), (90, 0.3), (180, 0.6), (365, 0.85), (float("inf"), 1.0)]
NO_ORDERS_RECENCY = 0.3
LEVELS: list[tuple[float, str]] = [(0.25, "low"), (0.50, "medium"), (float("inf"), "high")]
OPEN_ISSUES_CAP = 3
REPEAT_CAP = 2
REPEAT_WINDOW_DAYS = 30
SENTIMENT_WINDOW_DAYS = 90
NEGATIVE = -0.2  # the sentiment scorer's negative label boundary

# Said in the ticket: "this happened before" / "I am leaving". Plain phrases, English and Finnish.
REPEAT_CUES = re.compile(r"\b(again|second time|third time|twice|still|once more|taas|jälleen|uudestaan|"
                         r"toisen kerran|kolmannen kerran|vieläkään)\b", re.IGNORECASE)
LEAVE_CUES = re.compile(r"\b(cancel (my|our) (account|subscription|contract)|close (my|our) account|"
                        r"never (order|buy|shop)\w* (again|here|from you)|money back|want (a|my) refund|"
                        r"had enough|switch(ing)? to (another|a competitor)|en (tilaa|osta) enää|"
                        r"rahat takaisin|lopetan asiakkuu)", re.IGNORECASE)


@dataclass(frozen=True)
class Contact:
    """One interaction as churn sees it: its sentiment score and age."""
    score: float
    days_ago: float
    text: str = ""


@dataclass(frozen=True)
class ChurnRisk:
    level: str
    score: float | None
    components: dict[str, float]
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"level": self.level, "score": self.score, "components": self.components, "formula": FORMULA,
                "reasons": self.reasons}


def unknown_risk(reason: str) -> ChurnRisk:
    return ChurnRisk("unknown", None, {}, [reason])


def recency_component(days_since_last_order: float | None, has_orders: bool = True) -> float:
    if days_since_last_order is None:
        return 1.0 if has_orders else NO_ORDERS_RECENCY
    for limit, value in RECENCY_STEPS:
        if days_since_last_order <= limit:
            return value
    return 1.0


def current_component(score: float | None) -> float:
    if score is None:
        return 0.0
    if score < NEGATIVE:
        return round(0.5 + 0.5 * min(1.0, -score), 3)
    return round(-score, 3) if score > -NEGATIVE else 0.0


def churn_risk(current: Contact | None, earlier: Sequence[Contact], days_since_last_order: float | None,
               open_issues: int, *, known_orders: bool | None = True) -> ChurnRisk:
    """``known_orders``: True/False = the customer database says whether the customer has ordered
    (days_since_last_order None with False = a known customer without orders); None = no database
    to ask, so recency is left out."""
    window = [c for c in earlier if c.days_ago <= SENTIMENT_WINDOW_DAYS]
    weights = [2.0 if c.days_ago <= REPEAT_WINDOW_DAYS else 1.0 for c in window]
    history = -sum(w * c.score for w, c in zip(weights, window, strict=True)) / sum(weights) if window else 0.0
    text = current.text if current else ""
    repeats = sum(1 for c in window if c.days_ago <= REPEAT_WINDOW_DAYS and c.score < NEGATIVE)
    repeats += 1 if current and current.score < NEGATIVE and REPEAT_CUES.search(text) else 0
    components = {
        "current": current_component(current.score if current else None),
        "repeat": round(min(repeats, REPEAT_CAP) / REPEAT_CAP, 3),
        "history": round(max(-1.0, min(1.0, history)), 3),
        "open_issues": round(min(max(open_issues, 0), OPEN_ISSUES_CAP) / OPEN_ISSUES_CAP, 3),
    }
    if known_orders is not None:
        components["recency"] = recency_component(days_since_last_order, known_orders)
    total_weight = sum(WEIGHTS[k] for k in components)
    score = round(max(0.0, min(1.0, sum(WEIGHTS[k] * v for k, v in components.items()) / total_weight)), 3)
    reasons = _reasons(components, current, repeats, known_orders, days_since_last_order)
    leaving = bool(current and LEAVE_CUES.search(text))
    if leaving:
        score = max(score, LEVELS[1][0])
        reasons.insert(0, "the ticket says the customer is leaving or wants their money back")
    level = next(name for limit, name in LEVELS if score < limit)
    return ChurnRisk(level, score, components, reasons)


def _reasons(c: dict[str, float], current: Contact | None, repeats: int, known_orders: bool | None,
             days: float | None) -> list[str]:
    out = []
    if c["current"] >= 0.5 and current:
        out.append(f"this ticket is negative (sentiment {current.score:+.2f})")
    elif c["current"] < 0 and current:
        out.append(f"this ticket is positive (sentiment {current.score:+.2f})")
    if repeats:
        out.append(f"{repeats} negative contact(s) or a repeated problem in the last {REPEAT_WINDOW_DAYS} days")
    if c["history"] > 0.2:
        out.append("earlier contacts were mostly negative")
    if known_orders is None:
        out.append("order recency unknown (no customer database): left out")
    elif not known_orders:
        out.append("no orders yet")
    elif c.get("recency", 0) >= 0.6:
        out.append(f"last order {int(days)} days ago" if days is not None else "no recent order")
    if c["open_issues"]:
        out.append(f"{round(c['open_issues'] * OPEN_ISSUES_CAP)} other open ticket(s)")
    return out
