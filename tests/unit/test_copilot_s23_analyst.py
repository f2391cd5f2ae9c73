"""s23-analyst: analysts' multi-condition questions. In a list of the things named, "every"/"each" before
that thing ("give me every active product under its reorder level") is "all" of them (not a grouping); a
choice said in the passive ("which carrier should be preferred?") is the choice said actively ("should we
prefer"); "restrict/limit/narrow that to ..." after a question narrows the previous question, as "only ..."
does; "his/her" in a follow-up to a question about one customer is that customer; "below their total
reorder level" is below the reorder level (stock and level both summed over the warehouses); after a top N,
a figure for "those same N things ... as well/too" stands beside the same ranked ones; a "non-zero discount" is a
discount; "date and time" in a question opening with "when" is what "when" asks; "more than N days/weeks before today" is "more than N ... ago"."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"
DAYS = "epoch(s.delivered_at - s.shipped_at) / 86400.0"


@pytest.mark.parametrize("question, gold", [
    # "every"/"each" before the listed thing: all of them
    ("List every inactive product that still has stock, with its stock",
     f"SELECT p.name, s.stock FROM products p JOIN {STOCK} s USING (product_id) WHERE NOT p.active AND s.stock > 0"),
    ("show me each Garden product at low stock",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE p.category = 'Garden' AND s.stock <= s.reorder"),
    ("which Garden products have a total stock under their total reorder level",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE p.category = 'Garden' AND s.stock < s.reorder"),
    ("how many order lines with a non-zero discount were there in 2025?",
     "SELECT COUNT(*) FROM order_items oi JOIN orders o USING (order_id) WHERE oi.discount_percent > 0 "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("When, date and time, did order 3 get delivered?",
     "SELECT delivered_at FROM shipments WHERE order_id = 3"),
    ("which pending orders were placed more than two weeks before today?",
     "SELECT order_id FROM orders WHERE status = 'pending' AND order_date < DATE '2026-11-01' - INTERVAL 14 DAY"),
    # a passive choice with a measure named: the ranking asked, the choice set aside
    ("Which carrier has the lowest average delivery time and should be chosen for parcels to Sweden?",
     f"SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     f"WHERE c.country = 'SE' AND s.delivered_at IS NOT NULL GROUP BY 1 ORDER BY AVG({DAYS}) LIMIT 1"),
])
def test_analyst_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    (["average delivery days per carrier"], "limit that to shipments going to business customers",
     f"SELECT s.carrier, AVG({DAYS}) FROM shipments s JOIN orders o USING (order_id) JOIN customers c "
     "USING (customer_id) WHERE c.segment = 'business' AND s.delivered_at IS NOT NULL GROUP BY 1"),
    (["number of orders by channel in 2025"], "narrow it down to cancelled orders",
     "SELECT channel, COUNT(*) FROM orders WHERE status = 'cancelled' AND order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1"),
    # a person pronoun after one customer: that customer
    (["how many orders did customer 12 place in 2025"], "and what about her revenue?",
     f"SELECT SUM(total_amount) FROM orders o WHERE customer_id = 12 AND {VALID_ORDER} "
     "AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # the same top N, the new figure beside them
    (["top 3 categories by revenue in 2025"], "give me the units sold of those same three categories too",
     f"SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r, "
     f"SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "ORDER BY r DESC LIMIT 3"),
])
def test_analyst_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("question", [
    # a passive choice with nothing to choose by is refused as the active one is
    "which warehouse should be used?",
    # "every" before a grouping thing is no list of all: left unplaced
    "show every order by channel",
    # a pronoun with no one customer before it names nobody
    "and his revenue?",
])
def test_a_choice_with_nothing_to_choose_by_or_every_grouping_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
