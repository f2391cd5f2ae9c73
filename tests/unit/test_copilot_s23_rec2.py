"""s23-rec2: recommendation questions of buyers and managers. Reorder advice ("what should we reorder",
"what needs restocking in X") lists every product at or below its reorder level (the glossary's low stock, the
shipped set's reading), each shown with whether it is active, and the answer says discontinued ones are
included; naming active or discontinued products narrows it. One row is asked by "the top
one", "the slowest seller" (a singular mover noun), "what sells best / what is most often bought with X" (a
superlative after "what" and a verb in the singular) and "which two products ... the pair". "In how many orders
were A and B bought together" counts the orders holding both. "The margin in percent" is the margin on 0-100
(not a share of a total). Customers who ordered before (lapsed) are listed with their last order date. A
follow-up re-ranking by another figure with no direction word keeps the lowest-first end. Purpose phrases
("we could push", "thinking of dropping it", "an urgent reorder", ...) are set aside when they fit the form.
"When did X last sell" is its last sale date; a mended slip ("orderd before but not since") reads as spelt."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"
TOGETHER = ("SELECT o.name, COUNT(DISTINCT a.order_id) AS n FROM order_items a JOIN order_items b "
            "ON a.order_id = b.order_id AND a.product_id <> b.product_id JOIN products t ON t.product_id = a.product_id "
            "JOIN products o ON o.product_id = b.product_id WHERE t.name = '{name}' GROUP BY o.name "
            "ORDER BY n DESC, o.name LIMIT {limit}")


@pytest.mark.parametrize("question, gold", [
    # reorder advice: every low-stock product, with its active flag
    ("which items do we have to reorder?",
     f"SELECT p.name, p.active FROM products p JOIN {STOCK} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("what does the Kuopio warehouse need to reorder?",
     "SELECT p.name, p.active FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand <= i.reorder_level"),
    ("which active Lighting items need restocking?",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE p.category = 'Lighting' "
     "AND p.active AND s.stock <= s.reorder"),
    ("reorder review - which products are at or below their reorder level?",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("which products are at zero stock? they need an urgent reorder",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE s.stock = 0"),
    # a discontinued product named: the question says which ones
    ("which discontinued products would we have to reorder?",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE NOT p.active AND s.stock <= s.reorder"),
    # one row asked
    ("what is most often bought with the Bosch Garden Hose?", TOGETHER.format(name="Bosch Garden Hose", limit=1)),
    ("what do people buy along with the Makita Copper Pipe? only the top one",
     TOGETHER.format(name="Makita Copper Pipe", limit=1)),
    ("what is usually bought with the Makita Copper Pipe?", TOGETHER.format(name="Makita Copper Pipe", limit=10)),
    ("the slowest seller among Lighting products in 2025, by units?",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Lighting' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity), p.name LIMIT 1"),
    ("which two products are most often bought together? name the pair",
     "SELECT pa.name, pb.name FROM order_items a JOIN order_items b ON a.order_id = b.order_id "
     "AND a.product_id < b.product_id JOIN products pa ON pa.product_id = a.product_id "
     "JOIN products pb ON pb.product_id = b.product_id GROUP BY 1, 2 "
     "ORDER BY COUNT(DISTINCT a.order_id) DESC, 1, 2 LIMIT 1"),
    # a count of the orders holding both
    ("in how many orders were the Bosch Garden Hose and the Makita Copper Pipe bought together in 2025?",
     "SELECT COUNT(*) FROM (SELECT oi.order_id FROM order_items oi JOIN orders o USING (order_id) "
     "JOIN products p USING (product_id) WHERE p.name IN ('Bosch Garden Hose', 'Makita Copper Pipe') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "HAVING COUNT(DISTINCT p.name) = 2)"),
    ("in how many orders were the Bosch Garden Hose and the Makita Copper Pipe bought together, per channel?",
     "SELECT o.channel, COUNT(*) FROM orders o WHERE o.order_id IN (SELECT oi.order_id FROM order_items oi "
     "JOIN products p USING (product_id) WHERE p.name IN ('Bosch Garden Hose', 'Makita Copper Pipe') GROUP BY 1 "
     "HAVING COUNT(DISTINCT p.name) = 2) GROUP BY 1"),
    # the margin asked in percent: 0-100
    ("products with a margin under 30%, with their margin in percent",
     "SELECT name, 100 * (unit_price - unit_cost) / unit_price FROM products "
     "WHERE (unit_price - unit_cost) / unit_price < 0.3"),
    # lapsed customers with their last order
    ("customers who ordered before but not since 1 June 2026",
     "SELECT c.name, MAX(o.order_date) FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, "
     "c.name HAVING MAX(o.order_date) < DATE '2026-06-01'"),
    # "when did X last sell": the date of its latest sale
    ("when was the Makita Hammer last sold?",
     f"SELECT MAX(o.order_date) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND p.name = 'Makita Hammer'"),
    # a slip mended before the ordered-before reading
    ("customers who have orderd before but not since 1 June 2026",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name "
     "HAVING MAX(o.order_date) < DATE '2026-06-01'"),
    # purposes set aside
    ("best-margin Paint product we could push?",
     "SELECT name FROM products WHERE category = 'Paint' ORDER BY (unit_price - unit_cost) / unit_price DESC "
     "LIMIT 1"),
    ("lowest revenue Garden product in 2025, thinking of dropping it",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Garden' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY p.product_id, p.name "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) LIMIT 1"),
])
def test_recommendation_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    # no direction word: the same (lowest-first) end, on the new figure
    (["which 3 brands had the lowest revenue in 2025?"], "what about by units sold instead?",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity) LIMIT 3"),
    (["what should the Vantaa warehouse reorder?"], "and Kuopio?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand <= i.reorder_level"),
])
def test_recommendation_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_reorder_advice_says_discontinued_ones_are_included(parser):
    said = parser.parse("what should we reorder?", COPILOT_AS_OF).interpretation
    assert "discontinued ones included" in said


@pytest.mark.parametrize("question", [
    # a basket's counts split by an order's field: refused, not dropped
    "what is usually bought together with the Makita Copper Pipe per channel?",
    "which products should we reorder from the supplier with the shortest lead time?",
])
def test_unclear_recommendations_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
