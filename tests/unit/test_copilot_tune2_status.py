"""Order status and shipping, round 2 (dev10 support-agent and logistics-planner wording): an order "not
shipped" is one still waiting to ship (a delivered order was shipped too); a parcel "waiting to be delivered"
has no delivery date; what a named carrier delivered or shipped is the parcel's event and its period."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import answer

pytestmark = pytest.mark.functional

YEAR = "s.shipped_at >= TIMESTAMP '2026-01-01' AND s.shipped_at < TIMESTAMP '2026-11-01'"


@pytest.mark.parametrize("question, gold", [
    # "not shipped" was status <> 'shipped', which kept the delivered orders (silent wrong)
    ("Which of yesterday's orders are still not shipped?",
     "SELECT order_id FROM orders WHERE order_date = DATE '2026-10-31' AND status IN ('pending', 'paid')"),
    ("Orders placed on 15 October 2026 that haven't shipped yet?",
     "SELECT order_id FROM orders WHERE order_date = DATE '2026-10-15' AND status IN ('pending', 'paid')"),
    ("orders that have not been shipped", "SELECT order_id FROM orders WHERE status IN ('pending', 'paid')"),
    # "waiting" was skipped, leaving "delivered" as the order status (silent wrong)
    ("How many shipments are still waiting to be delivered?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL"),
    ("parcels yet to be delivered per carrier",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at IS NULL GROUP BY 1"),
    ("how many orders are still waiting for payment?", "SELECT COUNT(*) FROM orders WHERE status = 'pending'"),
    # a carrier's name before the event: the parcel's own event, not the order's status
    ("How many shipments has Schenker delivered in total?",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'Schenker' AND delivered_at IS NOT NULL"),
    # what a carrier shipped "this year" was shipped this year; orders "placed this year" keep the order date
    ("Which carrier shipped the most orders this year?",
     f"SELECT s.carrier, COUNT(*) AS n FROM shipments s WHERE {YEAR} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"),
    ("which carrier shipped the most orders placed this year?",
     "SELECT s.carrier, COUNT(DISTINCT o.order_id) AS n FROM shipments s JOIN orders o USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"),
])
def test_question_answers_like_gold(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question
