"""s22-analyst: long analyst questions with several conditions (dev14): thresholds on grouped figures
(a time grain is a grouping: "which months had revenue above ..."), the amount beside grouped things is
the figure compared, not each order's total."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import VALID_ORDER, answer

pytestmark = pytest.mark.functional

MONTH = "CAST(date_trunc('month', o.order_date) AS DATE)"


@pytest.mark.parametrize("question, gold", [
    # a threshold on a figure per month: the months with their figure (was: orders, 0 rows)
    ("Which months of 2026 so far had b2b-channel revenue above 45,000 euros?",
     f"SELECT {MONTH}, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel = 'b2b' "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 HAVING SUM(o.total_amount) > 45000"),
    ("which months had more than 150 orders",
     f"SELECT {MONTH}, COUNT(*) FROM orders o GROUP BY 1 HAVING COUNT(*) > 150"),
    # "with the amount" beside customers compared on revenue: their revenue (was: split by order total)
    ("Which customers have generated more than 15,000 EUR of revenue so far this year? List them with the amount.",
     f"SELECT c.name, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY c.customer_id, c.name "
     "HAVING SUM(o.total_amount) > 15000"),
])
def test_thresholds_on_grouped_figures(parser, engine, question, gold):
    rows = engine.execute(gold).rows
    assert rows, gold
    assert results_match(rows, answer(parser, engine, question)), question
