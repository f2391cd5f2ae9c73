"""s23-analyst2: analysts' questions with two periods or mixed figures. "How many customers ordered in P1 but
not / nothing / have not placed any order in P2" counts the lapsed customers (an order of any status in the
earlier period, none in the later), as the list of them already was; "not placed any order(s)" is "never
ordered"; a list of products with a condition on their stock beside a condition on their sales (units sold in
a period) compares the stock per product (the inventory summed for each product), never a grouped sum over
the order lines (which has no inventory rows: it did not compile)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY 1)"
LAPSED = ("SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE order_date BETWEEN DATE '{a}-01-01' AND "
          "DATE '{a}-12-31' EXCEPT SELECT customer_id FROM orders WHERE order_date BETWEEN DATE '{b}-01-01' "
          "AND DATE '{b}-12-31')")


@pytest.mark.parametrize("question, gold", [
    ("how many customers bought from us in 2024 but not in 2025?", LAPSED.format(a=2024, b=2025)),
    ("Number of customers that ordered during 2025 but have not placed any orders during 2026",
     LAPSED.format(a=2025, b=2026)),
    ("how many customers haven't ordered in 2025 but did order in 2024", LAPSED.format(a=2024, b=2025)),
    # stock and sales conditions side by side: the stock per product
    ("list the products with over 600 units on hand and under 60 units sold in Q3 2026, with stock and units sold",
     f"SELECT p.name, s.stock, SUM(oi.quantity) FROM products p JOIN {STOCK} s USING (product_id) "
     f"JOIN order_items oi USING (product_id) JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' AND s.stock > 600 "
     "GROUP BY p.product_id, p.name, s.stock HAVING SUM(oi.quantity) < 60"),
])
def test_analyst2_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    # two periods with no lapse between them stay refused
    "how many customers ordered in 2025 and in 2026",
    # overlapping periods: no earlier and later one
    "how many customers ordered in 2025 but not in October 2025",
])
def test_two_periods_without_a_lapse_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
