"""Churn risk: low / medium / high from sentiment, recency and open issues.

Formula (documented, table-driven):

    risk = 0.45 * negativity + 0.35 * recency + 0.20 * open_issues

- negativity = max(0, -mean sentiment score) of the customer's interactions of the last 90 days
  (0 when there are none); in [0, 1].
- recency = from days since the last (non-cancelled) order, by RECENCY_STEPS below; 1.0 when the
  customer has never ordered.
- open_issues = min(open tickets, 3) / 3.

Level: risk < 0.30 -> low; < 0.55 -> medium; else high.
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS = {"negativity": 0.45, "recency": 0.35, "open_issues": 0.20}
# (days since last order up to and including, recency component)
RECENCY_STEPS: list[tuple[float, float]] = [(30, 0.0), (90, 0.3), (180, 0.6), (365, 0.85), (float("inf"), 1.0)]
LEVELS: list[tuple[float, str]] = [(0.30, "low"), (0.55, "medium"), (float("inf"), "high")]
OPEN_ISSUES_CAP = 3
SENTIMENT_WINDOW_DAYS = 90


@dataclass(frozen=True)
class ChurnRisk:
    level: str
    score: float
    components: dict[str, float]

    def to_dict(self) -> dict:
        return {"level": self.level, "score": self.score, "components": self.components,
                "formula": "0.45*negativity + 0.35*recency + 0.20*open_issues"}


def recency_component(days_since_last_order: float | None) -> float:
    if days_since_last_order is None:
        return 1.0
    for limit, value in RECENCY_STEPS:
        if days_since_last_order <= limit:
            return value
    return 1.0


def churn_risk(mean_sentiment: float | None, days_since_last_order: float | None, open_issues: int) -> ChurnRisk:
    negativity = max(0.0, -(mean_sentiment or 0.0))
    components = {
        "negativity": round(min(negativity, 1.0), 3),
        "recency": recency_component(days_since_last_order),
        "open_issues": round(min(max(open_issues, 0), OPEN_ISSUES_CAP) / OPEN_ISSUES_CAP, 3),
    }
    score = round(sum(WEIGHTS[k] * v for k, v in components.items()), 3)
    level = next(name for limit, name in LEVELS if score < limit)
    return ChurnRisk(level, score, components)
