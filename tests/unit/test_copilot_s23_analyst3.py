"""s23-analyst3: a few more words for things the lake already answers. A product's stock may be called its
"(total) quantity in stock", "in/across (all) the warehouses" or "units in/across (the) warehouses": the quantity on
hand summed over the warehouses, not the units ordered (a bare "total quantity" stays the order lines'). A verb of
seeming before the state ("look/seem/appear overstocked") says the state as "are overstocked" does (the stock
condition said after it is what it means). "(I'd/we'd) start renegotiating (purchase prices/costs)" is the plan to
renegotiate as "renegotiate" is: the lowest ranked by the figure asked. The state said of things other than
products stays refused. A clause after the question that says a word again against another ("Rate, not count.") only
says which reading is meant: set aside when the question already says the first (its every sense) and not the
second, else refused. "We/I need to ..." opens the asker's plan, and comparing is the asker's own act in it ("we
need to compare them fairly"). After a list asked for ("list/show <things> ...:"), a colon and only columns of the
data, two or more ("order id, carrier and ship date"), say what to show of each thing, as "with ..." does: never a
count per one of them; "ship time" is when a parcel was shipped."""

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
    ("Which carrier had the highest late share in 2025? Share, not count - I need to compare them fairly.",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    ("Best 3 brands by units sold in 2026? Units, not revenue.",
     "SELECT p.brand, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     "JOIN products p USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 2 DESC LIMIT 3"),
    ("List parcels not yet delivered that were shipped before 20 October 2026: order id, carrier and ship time.",
     "SELECT order_id, carrier, shipped_at FROM shipments WHERE delivered_at IS NULL "
     "AND CAST(shipped_at AS DATE) < DATE '2026-10-20'"),
    ("show shipments sent in September 2026: carrier and tracking number",
     "SELECT carrier, tracking_number FROM shipments "
     "WHERE CAST(shipped_at AS DATE) BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("list shipments sent in September 2026: how many per carrier",
     "SELECT carrier, COUNT(*) FROM shipments "
     "WHERE CAST(shipped_at AS DATE) BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' GROUP BY 1"),
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
    # the word said again is not what the question says: which reading is meant is not guessed
    "Which carrier had the most late deliveries in 2025? Rate, not count.",
    "Best 3 brands by units sold in 2026? Revenue, not units.",
    # the average asked, then a total said against it
    "What was the average order value in 2025? Total, not average.",
])
def test_analyst3_refusals(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
