"""Stock and recommendation round 4: derived stock measures, slow movers, and words that only name
what a list is for (placed only when the layer lists them as purposes of the form that was read)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

AS_OF = COPILOT_AS_OF
VALID = VALID_ORDER
STOCK = ("(SELECT p.product_id, p.name, p.category, p.brand, p.active, SUM(i.quantity_on_hand) AS stock, "
         "SUM(i.reorder_level) AS reorder FROM products p JOIN inventory i USING (product_id) GROUP BY ALL)")
UNITS_2026 = (f"SELECT p.name, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) "
              f"JOIN products p USING (product_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2026-01-01' "
              "AND DATE '2026-10-31' GROUP BY 1")


@pytest.mark.parametrize("question, gold", [
    # slow / fast movers: products ranked by units sold, the speed word giving the end of the ranking
    ("the 4 slowest movers this year", f"{UNITS_2026} ORDER BY 2 ASC LIMIT 4"),
    ("fastest 2 movers this year", f"{UNITS_2026} ORDER BY 2 DESC LIMIT 2"),
    # a purpose word beside the form it names: kept, and the ranking is on the measure said
    ("which 4 products could we delist, lowest revenue in 2026",
     f"SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND o.order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 2 ASC LIMIT 4"),
    ("suggest 2 products to discontinue with the lowest revenue this year",
     f"SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND o.order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 2 ASC LIMIT 2"),
    ("top 3 Bosch products by margin, worth promoting",
     "SELECT name, (unit_price - unit_cost) / unit_price FROM products WHERE brand = 'Bosch' ORDER BY 2 DESC LIMIT 3"),
    ("which Garden products are at risk of running out (low stock)",
     f"SELECT name FROM {STOCK} WHERE category = 'Garden' AND stock <= reorder"),
    ("what needs restocking in Kuopio",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand <= i.reorder_level"),
    # shortfall below the reorder level: reorder levels minus stock, per product beside a stock condition
    ("low stock products and how far below the reorder level they are",
     f"SELECT name, reorder - stock FROM {STOCK} WHERE stock <= reorder"),
    ("the 2 products with the biggest shortfall below reorder level",
     f"SELECT name, reorder - stock FROM {STOCK} ORDER BY 2 DESC LIMIT 2"),
    ("total shortfall of the low-stock products", f"SELECT SUM(reorder - stock) FROM {STOCK} WHERE stock <= reorder"),
    # stock as a multiple of the reorder level, and "overstocked" beside it
    ("overstocked: products whose stock is more than 8 times their reorder level",
     f"SELECT name, stock FROM {STOCK} WHERE stock > 8 * reorder"),
    ("Kitchen products whose stock is less than 2 times their reorder level",
     f"SELECT name FROM {STOCK} WHERE category = 'Kitchen' AND stock < 2 * reorder"),
    # the values of a product dimension a customer has no order line in (a set difference)
    ("which brands has customer 51 never bought, cross-sell ideas",
     "SELECT DISTINCT brand FROM products WHERE brand NOT IN (SELECT p.brand FROM orders o JOIN order_items oi "
     "USING (order_id) JOIN products p USING (product_id) WHERE o.customer_id = 51)"),
    ("categories customer 32 has never ordered from",
     "SELECT DISTINCT category FROM products WHERE category NOT IN (SELECT p.category FROM orders o JOIN "
     "order_items oi USING (order_id) JOIN products p USING (product_id) WHERE o.customer_id = 32)"),
    # units with a verb of keeping are units in stock, with a verb of selling units sold
    ("which 2 products do we hold the most units of", f"SELECT name, stock FROM {STOCK} ORDER BY 2 DESC LIMIT 2"),
    ("which 2 products sold the most units this year", f"{UNITS_2026} ORDER BY 2 DESC LIMIT 2"),
])
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, unplaced", [
    ("revenue by month in 2025, at risk", "at risk"),             # no stock condition: nothing is at risk
    ("top 3 products by revenue to discontinue", "discontinue"),  # the best sellers are no discontinue list
    ("worth promoting: the 3 cheapest customers", "worth promoting"),
    ("top movers by revenue", "movers"),
    ("overstocked Kitchen products", "overstocked"),
    ("revenue by category in 2025, cross-sell ideas", "cross-sell ideas"),               # no multiple said: no threshold to use                           # no speed word: "movers" is not placed
])
def test_a_purpose_word_beside_another_form_is_refused(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=unplaced):
        parser.parse(question, AS_OF)
