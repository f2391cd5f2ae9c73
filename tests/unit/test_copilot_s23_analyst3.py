"""s23-analyst3: a few more words for things the lake already answers. A product's stock may be called its
"(total) quantity in stock", "in/across (all) the warehouses" or "units in/across (the) warehouses": the quantity on
hand summed over the warehouses, not the units ordered (a bare "total quantity" stays the order lines'). A verb of
seeming before the state ("look/seem/appear overstocked") says the state as "are overstocked" does (the stock
condition said after it is what it means). "(I'd/we'd) start renegotiating (purchase prices/costs)" is the plan to
renegotiate as "renegotiate" is: the lowest ranked by the figure asked. The state said of things other than
products stays refused."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional

MARGIN = "AVG((unit_price - unit_cost) / unit_price)"


@pytest.mark.parametrize("question, gold", [
    ("Which category has the lowest average margin among active products? That's where we'd start renegotiating.",
     f"SELECT category, {MARGIN} FROM products WHERE active GROUP BY 1 ORDER BY 2 LIMIT 1"),
    ("which brand has the weakest margin - I'd start renegotiating purchase prices there",
     f"SELECT brand, {MARGIN} FROM products GROUP BY 1 ORDER BY 2 LIMIT 1"),
    ("Which products seem overstocked: over 800 units on hand?",
     "SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) > 800"),
    ("Which products look overstocked: more than 600 units on hand but fewer than 30 units sold in September 2026?",
     "SELECT p.product_id FROM products p WHERE (SELECT SUM(quantity_on_hand) FROM inventory i "
     "WHERE i.product_id = p.product_id) > 600 AND COALESCE((SELECT SUM(oi.quantity) FROM order_items oi "
     "JOIN orders o USING (order_id) WHERE oi.product_id = p.product_id AND o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'), 0) < 30"),
    ("Inactive products that still hold stock - show each with its total quantity across all warehouses",
     "SELECT p.product_id, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
     "WHERE NOT p.active GROUP BY 1 HAVING SUM(i.quantity_on_hand) > 0"),
    ("total quantity in the warehouses per category",
     "SELECT p.category, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) GROUP BY 1"),
    ("which products have a quantity in stock under 25",
     "SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) < 25"),
    ("total quantity sold by brand in 2025",
     "SELECT p.brand, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     "JOIN products p USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
])
def test_analyst3_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    # customers hold no stock: the state said of them is not placed
    "which customers look overstocked",
    # a bare 'out' is no stock state (it may be a parcel sent)
    "which products are out in at least one warehouse",
])
def test_analyst3_refusals(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
