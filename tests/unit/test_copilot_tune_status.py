"""Order status and shipping questions (dev6): a parcel's own events ("parcels shipped", "delivered parcels")
are not the order status; a field of the most recent order is shown, not grouped; time units inside a
duration's words; verbs of shipping and carrying; reporting verbs ("X says ...") are no typo of a field."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional

OCT = "s.shipped_at >= TIMESTAMP '2026-10-01' AND s.shipped_at < TIMESTAMP '2026-11-01'"
YEAR = "s.shipped_at >= TIMESTAMP '2026-01-01' AND s.shipped_at < TIMESTAMP '2026-11-01'"


@pytest.mark.parametrize("question, gold", [
    # a parcel shipped or delivered is the parcel's event, not the order's status (orders move on to delivered)
    ("parcels shipped per carrier last month",
     f"SELECT s.carrier, COUNT(*) FROM shipments s WHERE {OCT} GROUP BY 1"),
    ("which carrier shipped the most parcels to Norway this year",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     f"WHERE c.country = 'NO' AND {YEAR} GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"),
    ("What fraction of last month's delivered parcels arrived within 2 days?",
     "SELECT AVG(CASE WHEN epoch(s.delivered_at - s.shipped_at) / 86400.0 <= 2 THEN 1.0 ELSE 0.0 END) "
     f"FROM shipments s WHERE {OCT} AND s.delivered_at IS NOT NULL"),
    # the unit inside the measure's own words; a carrier named between the extreme and the delivery
    ("avg delivery hours to Copenhagen since 1 Aug 2026",
     "SELECT AVG(epoch(s.delivered_at - s.shipped_at) / 3600.0) FROM shipments s JOIN orders o USING (order_id) "
     "JOIN customers c USING (customer_id) WHERE c.city = 'Copenhagen' AND s.delivered_at IS NOT NULL "
     "AND s.shipped_at >= TIMESTAMP '2026-08-01'"),
    ("longest DHL delivery this year in hours?",
     f"SELECT MAX(epoch(s.delivered_at - s.shipped_at) / 3600.0) FROM shipments s WHERE s.carrier = 'DHL' AND {YEAR} "
     "AND s.delivered_at IS NOT NULL"),
    ("How many parcels did we ship to customers in Oslo in Q3 2026?",
     "SELECT COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Oslo' AND s.shipped_at >= TIMESTAMP '2026-07-01' AND s.shipped_at < TIMESTAMP '2026-10-01'"),
    ("How many days did order 42 take from dispatch to delivery?",
     "SELECT epoch(s.delivered_at - s.shipped_at) / 86400.0 FROM shipments s WHERE s.order_id = 42"),
    ("Which carier is handling order 2031?", "SELECT carrier FROM shipments WHERE order_id = 2031"),
    ("when did order 2031 leave the warehouse?", "SELECT shipped_at FROM shipments WHERE order_id = 2031"),
    # a "which <things>?" asked after other things named first lists the things asked for
    ("Stockholm customers with a parcel still in transit - which orders?",
     "SELECT DISTINCT o.order_id FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Stockholm' AND s.delivered_at IS NULL"),
    # "top 10" of a figure of products: ten products
    ("Kuopio: biggest shortfalls vs reorder level, top 10 please",
     "SELECT p.name, SUM(i.reorder_level) - SUM(i.quantity_on_hand) AS sf FROM inventory i JOIN products p "
     "USING (product_id) WHERE i.warehouse = 'Kuopio' GROUP BY p.product_id, p.name ORDER BY sf DESC, p.name LIMIT 10"),
    # "how much" of things that have an amount: the amount summed
    ("Paid but not yet shipped orders: how much money is that in total?",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'paid'"),
    ("how much are the open orders worth", "SELECT SUM(total_amount) FROM orders WHERE status IN ('pending', 'paid')"),
    ("nr of cancelled orders in septmber 2026",
     "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("How many of the shipments we sent out in October still have no delivery date?",
     f"SELECT COUNT(*) FROM shipments s WHERE {OCT} AND s.delivered_at IS NULL"),
    ("count of shipments stuck for over 9 days without delivery",
     "SELECT COUNT(*) FROM shipments s WHERE s.delivered_at IS NULL AND s.shipped_at < TIMESTAMP '2026-10-23'"),
    # a rate ranked: the share of the things counted (a revenue share of cancelled orders was always 0),
    # ordered by the share's own column (was a query error)
    ("which channel has the highest cancellation rate",
     "SELECT channel FROM orders GROUP BY 1 ORDER BY AVG(CASE WHEN status = 'cancelled' THEN 1.0 ELSE 0 END) DESC LIMIT 1"),
    ("best carreir for Tallinn based on lowest late share (all time)",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Tallinn' AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END), 1 LIMIT 1"),
    # a name before a comma and a question word is not the name of the noun after them
    ("For Denmark, which carrier has the best on-time rate this year?",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     f"WHERE c.country = 'DK' AND {YEAR} AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 0.0 ELSE 1.0 END) DESC, 1 LIMIT 1"),
    # a code after a parcel, or after "tracking", is the tracking number
    ("status of the order behind tracking {code}",
     "SELECT o.status FROM shipments s JOIN orders o USING (order_id) WHERE s.tracking_number = '{code}'"),
    ("where is parcel {code}?", "SELECT order_id, carrier FROM shipments WHERE tracking_number = '{code}'"),
    ("Can you look up tracking number {code}?", "SELECT order_id FROM shipments WHERE tracking_number = '{code}'"),
    ("where is parcel XX-999999999?", "SELECT order_id FROM shipments WHERE tracking_number = 'XX-999999999'"),
    # a month abbreviation alone; a reporting phrase; the event of an order named before "was"
    ("rev per channel oct",
     "SELECT channel, SUM(total_amount) FROM orders WHERE status NOT IN ('cancelled', 'returned') "
     "AND order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("Caller asks when order #777 was delivered", "SELECT delivered_at FROM shipments WHERE order_id = 777"),
    ("Averge days between order date and shipment, per carrier",
     "SELECT s.carrier, AVG(epoch(s.shipped_at - CAST(o.order_date AS TIMESTAMP)) / 86400.0) FROM shipments s "
     "JOIN orders o USING (order_id) GROUP BY 1"),
    ("how many paid orders don't have a shipment yet?",
     "SELECT COUNT(*) FROM orders o WHERE status = 'paid' AND NOT EXISTS (SELECT 1 FROM shipments s "
     "WHERE s.order_id = o.order_id)"),
    # a superlative with no figure after it ranks by the figure named; "what's ..." asks for one
    ("what's selling best in Heating this year (units)?",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled','returned') AND p.category = 'Heating' "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY p.product_id, p.name "
     "ORDER BY u DESC, p.name LIMIT 1"),
    # "by" before what the ranking counts or the share it compares
    ("Top 3 customer cities by number of late deliveries in 2026",
     "SELECT c.city, COUNT(*) AS n FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY AND s.shipped_at >= TIMESTAMP '2026-01-01' "
     "AND s.shipped_at < TIMESTAMP '2026-11-01' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3"),
    ("best carrier for Helsinki by on-time percentage?",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Helsinki' AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 0.0 ELSE 1.0 END) DESC, 1 LIMIT 1"),
    ("which carier is shipping order 2031", "SELECT carrier FROM shipments WHERE order_id = 2031"),
    # every two products of one order, each pair once, by the (valid) orders they share
    ("What are the 5 product pairs most often bought together?",
     "SELECT p1.name, p2.name, COUNT(DISTINCT a.order_id) AS n FROM (SELECT DISTINCT order_id, product_id FROM "
     "order_items) a JOIN (SELECT DISTINCT order_id, product_id FROM order_items) b ON a.order_id = b.order_id "
     "AND a.product_id < b.product_id JOIN products p1 ON p1.product_id = a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 5"),
    # "whose total stock", "their total reorder level": each product's total (a sum over them was a silent wrong)
    ("products whose total stock is more than 10 times their total reorder level",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) > 10 * SUM(i.reorder_level)"),
    ("For {product}, which warehouse has the biggest surplus over its reorder level?",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.name = '{product}' "
     "ORDER BY i.quantity_on_hand - i.reorder_level DESC, i.warehouse LIMIT 1"),
    ("which warehouse needs the most replenishment (most products under reorder level)",
     "SELECT warehouse FROM inventory WHERE quantity_on_hand < reorder_level GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"),
    ("Which 5 products have the most stock but sold nothing last month? Candidates for a promo.",
     "SELECT p.name, SUM(i.quantity_on_hand) AS st FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.product_id NOT IN (SELECT oi.product_id FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.status NOT IN ('cancelled','returned') AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31') "
     "GROUP BY p.product_id, p.name ORDER BY st DESC, p.name LIMIT 5"),
    ("top sellers by units over the past 90 days",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled','returned') AND o.order_date >= DATE '2026-08-03' "
     "AND o.order_date < DATE '2026-11-01' GROUP BY p.product_id, p.name ORDER BY u DESC, p.name LIMIT 10"),
])
def test_question_answers_like_gold(parser, engine, question, gold):
    code = engine.execute("SELECT tracking_number FROM shipments ORDER BY shipment_id LIMIT 1").rows[0][0]
    product = engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0]
    question, gold = (x.replace("{code}", code).replace("{product}", product) for x in (question, gold))
    rows = answer(parser, engine, question)
    assert results_match(engine.execute(gold).rows, rows), question


@pytest.mark.parametrize("question", [
    "which carrier shipped {name}'s last parcel",
    "when was {name}'s last parcel shipped and by which carrier?",
])
def test_the_carrier_of_the_last_parcel_is_that_parcels(parser, engine, question):
    name = engine.execute("SELECT c.name FROM customers c JOIN orders o USING (customer_id) JOIN shipments s "
                          "USING (order_id) ORDER BY c.customer_id LIMIT 1").rows[0][0]
    gold = ("SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
            f"WHERE c.name = '{name}' ORDER BY s.shipped_at DESC, s.shipment_id LIMIT 1")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question.format(name=name)))


@pytest.mark.parametrize("question", [
    "{name} - status of her most recent order?",
    "status of {name}'s latest order",
    "most recent order status for {name}",
])
def test_status_of_the_latest_order_is_that_order_not_a_grouping(parser, engine, question):
    name = engine.execute("SELECT name FROM customers ORDER BY customer_id LIMIT 1").rows[0][0]
    gold = ("SELECT o.status FROM orders o JOIN customers c USING (customer_id) "
            f"WHERE c.name = '{name}' ORDER BY o.order_date DESC, o.order_id DESC LIMIT 1")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question.format(name=name)))


@pytest.mark.parametrize("question, same_as", [
    ("Inactve products that still have stock on hand - list them so we can clear them out",
     "inactive products that still have stock on hand"),
    ("Which categories has {customer} never bought from? Want to pitch them something new.",
     "Which categories has {customer} never bought from?"),
    ("we want to cut the range - which 5 active products sold the fewest units this year?",
     "which 5 active products sold the fewest units this year?"),
    ("which warehouse has the most {product} to tranfer from?", "which warehouse has the most {product}?"),
    ("{customer} is on the phone - what's the status of her most recent order?",
     "status of the most recent order of {customer}"),
    ("Which four products show up in the most returned orders?", "Which four products are in the most returned orders?"),
    ("People who buy the {product} - what else do they put in the same order? Top 5.",
     "top 5 products bought together with {product}"),
])
def test_same_answer(parser, engine, question, same_as):
    names = {"product": engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0],
             "customer": engine.execute("SELECT name FROM customers ORDER BY customer_id LIMIT 1").rows[0][0]}
    assert results_match(answer(parser, engine, same_as.format(**names)),
                         answer(parser, engine, question.format(**names))), question


@pytest.mark.parametrize("question, refused", [
    ("want to send him an offer: what category has customer 5 spent the most on", "send"),  # no verb of shipping
])
def test_refused_naming_the_word(parser, question, refused):
    with pytest.raises(NotUnderstood, match=refused):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("token, meant", [
    ("says", None),              # a reporting verb is no typo of "days"
    ("costumers", "customers"),  # the same letters, two exchanged, not "consumers" (two edits too)
])
def test_mend(parser, token, meant):
    assert parser.lexicon.correct(token) == meant


@pytest.mark.parametrize("context, question, same_as", [
    (["How many of the shipments we sent out in October still have no delivery date?"],
     "only the ones going to Finland", "only Finland"),
])
def test_follow_up_same_answer(parser, engine, context, question, same_as):
    assert results_match(answer(parser, engine, same_as, context), answer(parser, engine, question, context))
