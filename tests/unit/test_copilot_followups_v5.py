"""Fifth follow-up round: periods named relative to the previous answer's period ("the prior
quarter", "same period last year"), pronouns over a ranking's top ones, a changed number (the
limit, a threshold), the opposite of a condition said in other words, and the previous count
listed with a column."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional

VALID = "o.status NOT IN ('cancelled', 'returned')"


@pytest.mark.parametrize("context, question, gold", [
    # a period counted back from the previous answer's period, not from today
    (["number of customers who joined in 2024"], "and the prior year?",
     "SELECT COUNT(*) FROM customers WHERE year(signup_date) = 2023"),
    (["how many orders were placed in May 2026"], "what about the preceding month?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-04-30'"),
    (["store revenue in Q3 2025"], "and the previous quarter",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.channel = 'store' "
     "AND o.order_date BETWEEN DATE '2025-04-01' AND DATE '2025-06-30'"),
    (["units sold in September 2026"], "same period last year?",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2025-09-01' AND DATE '2025-09-30'"),
    (["web orders from 2026-02-10 to 2026-03-05"], "and the same dates a year ago?",
     "SELECT order_id FROM orders WHERE channel = 'web' AND order_date BETWEEN DATE '2025-02-10' AND DATE '2025-03-05'"),
    # a mended typo in the follow-up still counts back from the previous period
    (["revenue in 2025"], "and the previuos year?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND year(o.order_date) = 2024"),
])
def test_follow_up_period_relative_to_the_previous_one(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question
