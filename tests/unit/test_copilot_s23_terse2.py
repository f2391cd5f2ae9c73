"""s23-terse2: terse and phone-style questions. A period's number may be said in words up to "ninety" ("the
last sixty days"); "needs a promo/promotion/push/boost" of a ranking lowest first is that ranking (what
sells least, refused without a lowest-first ranking); "<things> are/is empty" is out of stock (per
warehouse when one or every warehouse is named); "ordered before but nothing/none in <period>" is "but not
in <period>"; "the <product> is empty/out of stock in <warehouse>: which warehouse has the most of it to
transfer" ranks the other warehouses by that product's stock (the state is the receiver's, not a condition
on the warehouses ranked); "where (should we) target a push" beside a lowest-first ranking is that ranking
(as "where should we run a campaign")."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

LINE = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


@pytest.mark.parametrize("question, gold", [
    ("number of orders over the past sixty days",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-09-02' AND DATE '2026-10-31'"),
    ("units sold in the last thirty days",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31'"),
    ("which brand could use a promotion - fewest units sold in 2025",
     f"SELECT p.brand, COALESCE(SUM(oi.quantity) FILTER (WHERE {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31'), 0) AS u FROM products p LEFT JOIN order_items oi USING (product_id) "
     "LEFT JOIN orders o USING (order_id) GROUP BY 1 ORDER BY u, 1 LIMIT 1"),
    ("the 2 categories that need a push: lowest revenue this year",
     f"SELECT p.category, COALESCE(SUM({LINE}) FILTER (WHERE {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2026-01-01' AND DATE '2026-10-31'), 0) AS r FROM products p LEFT JOIN order_items oi USING (product_id) "
     "LEFT JOIN orders o USING (order_id) GROUP BY 1 ORDER BY r, 1 LIMIT 2"),
    ("where to target a push: which brand had the lowest revenue in 2025",
     f"SELECT p.brand, COALESCE(SUM({LINE}) FILTER (WHERE {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31'), 0) AS r FROM products p LEFT JOIN order_items oi USING (product_id) "
     "LEFT JOIN orders o USING (order_id) GROUP BY 1 ORDER BY r, 1 LIMIT 1"),
    ("count the products that are empty in at least one warehouse",
     "SELECT COUNT(DISTINCT product_id) FROM inventory WHERE quantity_on_hand = 0"),
    ("which Tools products are empty",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) WHERE p.category = 'Tools' "
     "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) = 0"),
    ("consumer customers who bought before but none in the last two months",
     "SELECT c.name FROM customers c WHERE c.segment = 'consumer' AND EXISTS (SELECT 1 FROM orders x "
     "WHERE x.customer_id = c.customer_id AND x.order_date < DATE '2026-09-02') AND NOT EXISTS (SELECT 1 "
     "FROM orders x WHERE x.customer_id = c.customer_id AND x.order_date BETWEEN DATE '2026-09-02' "
     "AND DATE '2026-10-31')"),
])
def test_terse_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_receiver_state_before_its_warehouse(parser, engine):
    name = engine.execute("SELECT p.name FROM products p JOIN inventory i USING (product_id) "
                          "WHERE i.warehouse = 'Kuopio' ORDER BY p.product_id LIMIT 1").rows[0][0]
    gold = ("SELECT i.warehouse, SUM(i.quantity_on_hand) AS s FROM inventory i JOIN products p USING (product_id) "
            f"WHERE p.name = '{name}' AND i.warehouse <> 'Kuopio' GROUP BY 1 ORDER BY s DESC, 1 LIMIT 1")
    for state in ("is empty", "is out of stock"):
        question = f"{name} {state} in Kuopio. which warehouse has the most of it so we can transfer?"
        assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "which product needs a promo",           # no lowest-first ranking: what needs one is not a figure
    "top 3 brands by revenue need a boost",  # a highest-first ranking is not what needs a push
    "where should we target a push - which city has the most customers",  # nor where to push
])
def test_terse_refusals(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
