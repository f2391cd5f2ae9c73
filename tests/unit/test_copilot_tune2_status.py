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
    # "have been shipped": shipped at some time (delivered orders too), not the status 'shipped' alone
    ("Of the orders placed in September 2026, how many have been shipped?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # an age said with "old"; "no delivery" of a parcel; a purpose naming the carrier is no grouping by it
    ("List the open orders that are more than three weeks old.",
     "SELECT order_id FROM orders WHERE status IN ('pending', 'paid') AND order_date < DATE '2026-10-11'"),
    ("Orders shipped in September that still have no delivery - which ones? need to chase the carrriers",
     "SELECT order_id FROM shipments WHERE shipped_at >= TIMESTAMP '2026-09-01' "
     "AND shipped_at < TIMESTAMP '2026-10-01' AND delivered_at IS NULL"),
    # "the longest" with no duration named: the time since their own date, oldest first (was newest first)
    ("Which 5 undelivered shipments have been on the road the longest?",
     "SELECT tracking_number, shipped_at FROM shipments WHERE delivered_at IS NULL ORDER BY shipped_at LIMIT 5"),
    ("which 3 open orders have been waiting the longest",
     "SELECT order_id FROM orders WHERE status IN ('pending', 'paid') ORDER BY order_date, order_id LIMIT 3"),
    # a support agent's narration ("on the phone asking", "just called") says nothing about the data
    ("Customer on the phone asking where order 1699 is - what's its status?",
     "SELECT status FROM orders WHERE order_id = 1699"),
    ("{customer} just called. What open orders does he have with us?",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = '{customer}' "
     "AND o.status IN ('pending', 'paid')"),
    # two dates apart are whole days (the ship date is the date the parcel left, not its hour)
    ("On average how many days pass between the order date and the ship date, for shipments this year?",
     "SELECT AVG(DATE_DIFF('day', o.order_date, CAST(s.shipped_at AS DATE))) FROM shipments s JOIN orders o "
     f"USING (order_id) WHERE {YEAR}"),
    ("What's in order 148? Products and quantites please.",
     "SELECT p.name, oi.quantity FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id = 148"),
    # orders "not delivered" with nothing said of parcels: their status (was: orders with a parcel in transit)
    ("How many orders from last month are not delivered?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     "AND status <> 'delivered'"),
    ("list the DHL orders that have shipped but aren't delivered yet",
     "SELECT order_id FROM shipments WHERE carrier = 'DHL' AND delivered_at IS NULL"),
    # "neither X nor Y": both values excluded
    ("How many orders this year were neither cancelled nor returned?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "AND status NOT IN ('cancelled', 'returned')"),
    ("customers neither in Finland nor in Sweden, how many",
     "SELECT COUNT(*) FROM customers WHERE country NOT IN ('FI', 'SE')"),
    # "which order(s)" ranked by a figure: the figure per order (was the figure summed over all orders)
    ("which order had the highest revenue",
     "SELECT o.order_id, SUM(o.total_amount) AS r FROM orders o WHERE o.status NOT IN ('cancelled', 'returned') "
     "GROUP BY 1 ORDER BY r DESC, 1 LIMIT 1"),
    ("which 3 orders had the most units",
     "SELECT o.order_id, SUM(oi.quantity) AS u FROM orders o JOIN order_items oi USING (order_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY u DESC, 1 LIMIT 3"),
    # "a customer is calling about": who is on the phone, not the customers asked about
    ("A customer is calling about parcel {code}. Which order number is that?",
     "SELECT order_id FROM shipments WHERE tracking_number = '{code}'"),
])
def test_question_answers_like_gold(parser, engine, question, gold):
    customer = engine.execute("SELECT c.name FROM customers c JOIN orders o USING (customer_id) "
                              "WHERE o.status IN ('pending', 'paid') ORDER BY c.customer_id LIMIT 1").rows[0][0]
    code = engine.execute("SELECT tracking_number FROM shipments ORDER BY shipment_id LIMIT 1").rows[0][0]
    question, gold = (x.replace("{customer}", customer).replace("{code}", code) for x in (question, gold))
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    # an address whose name holds a dot is one text (its pieces were read as a customer's name and words)
    ("customer with email {email}", "SELECT customer_id FROM customers WHERE email = '{email}'"),
    ("orders of the customer with email {email}",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.email = '{email}'"),
])
def test_a_dotted_address_is_one_text(parser, engine, question, gold):
    email = engine.execute("SELECT email FROM customers WHERE email LIKE '%.%@%' ORDER BY customer_id LIMIT 1").rows[0][0]
    question, gold = (x.replace("{email}", email) for x in (question, gold))
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question
