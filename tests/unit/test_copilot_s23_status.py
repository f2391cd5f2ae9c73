"""s23-status: order status and fulfilment. "The status of <one customer>'s orders" lists each of those orders
with its status (a count per status only with a count word or a grouping); an average figure (delivery time,
order value) "per month" is one row per month, not the average of the months' averages; of one order, "items
(units)" are the units on its lines; "how much" with no amount placed is refused (no count stands in for an
amount, e.g. of refunds); "X vs Y per <group>, side by side" gives one column per compared value; "customers
with more than N <orders>, with how many" lists them with the count; after a share of one status, "and <other
status>?" swaps the share's condition (not a filter on the whole); a "mix", "distribution" or "breakdown" said
after a grouped dimension is that grouping; "counted by X" is a number per X; things that "appeared in" orders
were in them; the date a list is ranked on by "oldest"/"newest" may be named to be shown; "show every order"
lists all of them; of a parcel, "by whom" is the carrier; "..., and how many <things> each?" after a grouping is
the count per group; a four-letter slip that two swapped neighbours make into one meaningful word is mended to it
("opne": "open") even when a function word is one other edit away; "although" joins two conditions as "but";
the carriers "used" are those that carried."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional

DELIVERY_DAYS = "date_diff('second', shipped_at, delivered_at) / 86400.0"


@pytest.mark.parametrize("question, gold", [
    ("what is the status of Erik Olsen's orders placed in August 2026",
     "SELECT o.order_id, o.status FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31'"),
    # a count word keeps the breakdown
    ("how many of Erik Olsen's orders are in each status?",
     "SELECT o.status, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "GROUP BY 1"),
    ("average delivery time in days per month in 2025",
     f"SELECT date_trunc('month', shipped_at), AVG({DELIVERY_DAYS}) FROM shipments WHERE delivered_at IS NOT NULL "
     "AND shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01' GROUP BY 1"),
    ("avg order value per quarter in 2025",
     "SELECT quarter(order_date), AVG(total_amount) FROM orders WHERE status NOT IN ('cancelled', 'returned') "
     "AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("how many items (units) does order 5 hold?", "SELECT SUM(quantity) FROM order_items WHERE order_id = 5"),
    ("web vs store orders per month in 2025, side by side",
     "SELECT date_trunc('month', order_date), COUNT(*) FILTER (WHERE channel = 'web'), "
     "COUNT(*) FILTER (WHERE channel = 'store') FROM orders WHERE order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1"),
    ("delivered vs returned orders by channel in 2026 side by side",
     "SELECT channel, COUNT(*) FILTER (WHERE status = 'delivered'), COUNT(*) FILTER (WHERE status = 'returned') "
     "FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("customers with at least 4 pending orders, with how many",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'pending' "
     "GROUP BY c.customer_id, c.name HAVING COUNT(*) >= 4"),
    ("status distribution per quarter in 2025",
     "SELECT quarter(order_date), status, COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1, 2"),
    ("delivered orders, counted by carrier",
     "SELECT s.carrier, COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE o.status = 'delivered' GROUP BY 1"),
    ("how many distinct products appeared in orders in September 2026?",
     "SELECT COUNT(DISTINCT oi.product_id) FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("the 4 newest pending orders with their order dates",
     "SELECT order_id, order_date FROM orders WHERE status = 'pending' ORDER BY order_date DESC, order_id LIMIT 4"),
    ("list every order Erik Olsen placed in May 2026 and its status",
     "SELECT o.order_id, o.status FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.order_date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31'"),
    ("which carriers delivered to customers in Oslo, and how many shipments each?",
     "SELECT s.carrier, COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Oslo' AND s.delivered_at IS NOT NULL GROUP BY 1"),
    ("how many b2b orders are still opne?",
     "SELECT COUNT(*) FROM orders WHERE channel = 'b2b' AND status IN ('pending', 'paid')"),
    ("which parcels are still not delivered although they were shipped before 20 October 2026?",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL AND shipped_at < TIMESTAMP '2026-10-20'"),
    ("which carriers have we used for customers in Oslo, and how many shipments each?",
     "SELECT s.carrier, COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Oslo' GROUP BY 1"),
])
def test_status_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    (["what share of orders were returned in each channel in 2026"], "and cancelled?",
     "SELECT channel, AVG(CASE WHEN status = 'cancelled' THEN 1.0 ELSE 0.0 END) FROM orders "
     "WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
])
def test_status_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("question", [
    # no refund amounts in the lake: a count of returned orders is not how much was refunded
    "how much did we refund on returns in September 2026?",
    "how much was refunded for cancelled orders this year",
])
def test_an_amount_the_lake_lacks_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
