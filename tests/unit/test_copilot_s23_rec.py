"""s23-rec: advice questions with the asker's plan said after them. A plan may open 'so I know ...' / 'so we
know ...' and say 'who' or 'more' of the asker's own act ('so I know who to call', 'they deserve more space');
'they/those/these need ...' opens a plan too. Reordering or restocking the ones found, or sending someone, is the
asker's act, not a low-stock condition or a carrier ('we should restock those' after a ranking leaves it whole). A
plan that names something new (a warehouse, a carrier) is never set aside. Things that 'appear in' orders are the
ones in those orders, as 'show up in'. 'Might be worth ...' opens a plan (the longest opener is read)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"


@pytest.mark.parametrize("question, gold", [
    # "more" in the plan is the asker's own act, not a ranking or a comparison
    ("Which 3 products brought in the most revenue in 2025? They deserve more space in the catalogue.",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, "
     "p.name ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 3"),
    ("which category did customer 32 spend the most on? we want to pitch more of it",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.customer_id = 32 GROUP BY 1 "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1"),
    # "so I know who to call": the plan asks nothing
    ("Which Oslo customers ordered in 2025? so I know who to call",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # restocking the ones found is the asker's plan: the ranking is not narrowed to low-stock products
    ("Which 3 products sold the most units in Q3 2026? we should restock those",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' "
     "GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT 3"),
    ("Which products have zero stock? These need a quick restock.",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE s.stock = 0"),
    # "might be worth ..." opens a plan as "might" does ("worth" is then no order value)
    ("Which 2 brands sold the fewest units in 2025? Might be worth discontinuing them.",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity) LIMIT 2"),
    # sending is the asker's act, not a carrier's
    ("Which warehouse holds the most Garden stock? that's where I'll send the team",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
     "GROUP BY 1 ORDER BY SUM(i.quantity_on_hand) DESC LIMIT 1"),
    # "appear in" the orders: the products of those orders, counted by order
    ("which 5 products appear in the most cancelled orders?",
     "SELECT p.name FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status = 'cancelled' GROUP BY p.product_id, p.name ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 5"),
])
def test_plans_said_after_advice_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "Which 3 products sold the most units in Q3 2026? we should restock those",
    "Which products have zero stock? These need a quick restock.",
])
def test_a_restock_plan_is_set_aside_not_a_condition(parser, question):
    result = parser.parse(question, COPILOT_AS_OF)
    assert "reorder_level" not in result.sql and "set aside" in result.interpretation, question


@pytest.mark.parametrize("question", [
    # the plan names a warehouse the question does not
    "Which products sold the most units last month? Those need restocking in Kuopio.",
    "which customers ordered most in 2025? we'll send them a voucher with Posti",
    # 'more ... than' compares: not the asker's own amount
    "which customer spent the most in 2025? we want to sell more to them than to Oslo",
    # a plan with a new condition or a ranking of its own is not the asker's act
    "Which customers ordered in 2025? so I know who to call first among the biggest",
])
def test_a_plan_naming_something_new_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
