"""s22-status: questions about one order (by its number, or a customer's latest) show that order's status
and parcel; a status named in the question is what is asked, not a filter that leaves nothing."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional

LATEST = ("(SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = '{}' "
          "ORDER BY o.order_date DESC, o.order_id LIMIT 1)")


@pytest.mark.parametrize("question, gold", [
    # one order pinned by its number: the status words are the alternatives asked about
    ("Order 2: paid, shipped or still pending?", "SELECT status FROM orders WHERE order_id = 2"),
    ("was order 5 cancelled or returned?", "SELECT status FROM orders WHERE order_id = 5"),
    ("order 1632 when shipped and when delivered", "SELECT status FROM orders WHERE order_id = 1632"),
    ("is order 1992 delivered yet?", "SELECT status FROM orders WHERE order_id = 1992"),
])
def test_one_orders_status_named_in_the_question_is_shown_not_filtered(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    # a status said of the customer's latest order (after its noun) is asked: the latest one, whatever its status
    ("has Erik Olsen's most recent order been delivered yet?",
     f"SELECT status FROM orders WHERE order_id = {LATEST.format('Erik Olsen')}"),
    ("when was Mikko Rask's latest order shipped",
     f"SELECT shipped_at FROM shipments WHERE order_id = {LATEST.format('Mikko Rask')}"),
    ("when did Ingrid Heikkinen's last order ship, and with which carrier?",
     f"SELECT shipped_at, carrier FROM shipments WHERE order_id = {LATEST.format('Ingrid Heikkinen')}"),
    # "delivered" before the noun picks the order: the latest of the delivered ones
    ("Maja Andersson's last delivered order",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Maja Andersson' "
     "AND o.status = 'delivered' ORDER BY o.order_date DESC, o.order_id LIMIT 1"),
])
def test_a_customers_latest_order_is_asked_about_not_filtered(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    # "in transit", "on the way" say a parcel is moving: orders with a parcel not yet delivered (not every
    # order whose status is not 'delivered', pending and paid ones too)
    ("Which of Erik Olsen's orders are still in transit?",
     "SELECT s.order_id FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.name = 'Erik Olsen' AND s.delivered_at IS NULL"),
    ("which orders are on the way",
     "SELECT order_id FROM shipments WHERE delivered_at IS NULL"),
    # no parcel word: the orders whose status is not delivered
    ("which orders are not delivered", "SELECT order_id FROM orders WHERE status <> 'delivered'"),
])
def test_orders_in_transit_are_those_with_a_moving_parcel(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("returns per month this year",
     "SELECT DATE_TRUNC('month', order_date), COUNT(*) FROM orders WHERE status = 'returned' "
     "AND order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("Which customer placed order 5 and what's their email?",
     "SELECT c.name, c.email FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 5"),
    ("how many customers got a late delivery last month",
     "SELECT COUNT(DISTINCT o.customer_id) FROM shipments s JOIN orders o USING (order_id) "
     "WHERE s.shipped_at >= TIMESTAMP '2026-10-01' AND s.shipped_at < TIMESTAMP '2026-11-01' "
     "AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY"),
])
def test_status_counts_per_period_buyer_of_an_order_and_customers_timed_by_their_parcels(parser, engine, question,
                                                                                         gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("what was on order 12", "SELECT DISTINCT p.name FROM order_items oi JOIN products p USING (product_id) "
                             "WHERE oi.order_id = 12"),
    # one order counted is one: "items" on it are its pieces, and so are those of a product named
    ("How many items in total were on order 12?", "SELECT SUM(quantity) FROM order_items WHERE order_id = 12"),
    ("how many products were on order 12", "SELECT COUNT(DISTINCT product_id) FROM order_items WHERE order_id = 12"),
])
def test_the_contents_of_one_order(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_how_many_of_a_named_product_were_on_an_order_counts_its_pieces(parser, engine):
    name, order_id = engine.execute("SELECT p.name, oi.order_id FROM order_items oi JOIN products p USING (product_id) "
                                    "WHERE oi.quantity > 1 ORDER BY oi.order_id, p.name LIMIT 1").rows[0]
    gold = engine.execute(f"SELECT SUM(oi.quantity) FROM order_items oi JOIN products p USING (product_id) "
                          f"WHERE oi.order_id = {order_id} AND p.name = '{name}'").rows
    question = f"how many {name} were on order {order_id}?"
    assert results_match(gold, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", ["which warehouse was order 12 shipped from?"])
def test_a_field_an_order_has_many_of_through_stock_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    # "longest" in transit on a date ranked ("oldest shipment"): the oldest first
    ("which order has been in transit the longest? (oldest shipment not yet delivered)",
     "SELECT order_id FROM shipments WHERE delivered_at IS NULL ORDER BY shipped_at, order_id LIMIT 1"),
])
def test_in_transit_the_longest_is_the_oldest(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    (["what's the status of order 5?"], "who's the customer?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 5"),
])
def test_the_customer_of_one_order_looked_up(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, gold", [
    # a count per group, then one group's value with "list"/"which <things>": that group's things listed
    (["open orders by channel"], "just the b2b ones - list them with the customer name",
     "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.channel = 'b2b' AND o.status IN ('pending', 'paid')"),
    (["late deliveries by carrier last month"], "only Bring - which orders were those?",
     "SELECT order_id FROM shipments WHERE carrier = 'Bring' AND shipped_at >= TIMESTAMP '2026-10-01' "
     "AND shipped_at < TIMESTAMP '2026-11-01' AND delivered_at > shipped_at + INTERVAL 3 DAY"),
])
def test_one_group_of_a_count_listed(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_one_group_of_a_count_without_a_listing_word_stays_a_count(parser, engine):
    rows = answer(parser, engine, "just b2b", ["open orders by channel"])
    assert len(rows) == 1 and len(rows[0]) == 2


@pytest.mark.parametrize("question, gold", [
    # of several conditions, the share's is the last named after the share word, not one after "among"
    ("Of the shipments sent out in Q3 2026 that have been delivered, what share arrived late?",
     "SELECT AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE shipped_at >= '2026-07-01' AND shipped_at < '2026-10-01' AND delivered_at IS NOT NULL"),
    ("Which carrier had the highest percentage of late deliveries among its delivered shipments sent in 2025?",
     "SELECT carrier, 100.0 * AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) AS p "
     "FROM shipments WHERE shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01' AND delivered_at IS NOT NULL "
     "GROUP BY 1 ORDER BY p DESC LIMIT 1"),
])
def test_the_share_is_of_the_condition_named_after_the_share_word(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("status of orders 2, 5 and 12 please", "SELECT order_id, status FROM orders WHERE order_id IN (2, 5, 12)"),
    ("what was in orders 2 and 12",
     "SELECT p.name FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id IN (2, 12)"),
])
def test_several_order_numbers(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_several_orders_then_the_customer_is_each_ones(parser, engine):
    gold = "SELECT DISTINCT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id IN (2, 5, 12)"
    rows = answer(parser, engine, "who's the customer?", ["status of orders 2, 5 and 12"])
    assert results_match(engine.execute(gold).rows, rows)


def test_two_years_after_orders_are_not_order_numbers(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("orders 2024 and 2025", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    # the fields named after the one order ranked are shown beside it (a parcel's too: one per order)
    ("Ingrid Heikkinen's most recent order: carrier and tracking number?",
     f"SELECT carrier, tracking_number FROM shipments WHERE order_id = {LATEST.format('Ingrid Heikkinen')}"),
    ("What's Helmi Larsen's most recent order number and its status?",
     f"SELECT order_id, status FROM orders WHERE order_id = {LATEST.format('Helmi Larsen')}"),
])
def test_fields_of_a_customers_latest_order(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    (["list Helmi Larsen's open orders"], "what do they add up to?",
     "SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE c.name = 'Helmi Larsen' AND o.status IN ('pending', 'paid')"),
    # the same orders, their parcel dates beside; a parcel condition keeps only orders with a parcel
    (["which of Erik Olsen's orders are in transit?"], "when were they shipped?",
     "SELECT s.order_id, s.shipped_at FROM shipments s JOIN orders o USING (order_id) JOIN customers c "
     "USING (customer_id) WHERE c.name = 'Erik Olsen' AND s.delivered_at IS NULL"),
])
def test_follow_ups_on_listed_orders(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def _order_with_a_product_on_two_lines(engine) -> int:
    return engine.execute("SELECT order_id FROM order_items GROUP BY order_id, product_id HAVING COUNT(*) > 1 "
                          "ORDER BY order_id LIMIT 1").rows[0][0]


def test_how_many_of_each_product_on_an_order_sums_its_lines(parser, engine):
    order_id = _order_with_a_product_on_two_lines(engine)
    gold = engine.execute(f"SELECT p.name, SUM(oi.quantity) FROM order_items oi JOIN products p USING (product_id) "
                          f"WHERE oi.order_id = {order_id} GROUP BY p.name").rows
    question = f"what products are on order {order_id} and how many of each?"
    assert results_match(gold, answer(parser, engine, question)), question


def test_stock_of_an_orders_products_is_not_multiplied_by_its_lines(parser, engine):
    order_id = _order_with_a_product_on_two_lines(engine)
    gold = engine.execute(f"SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
                          f"WHERE p.product_id IN (SELECT product_id FROM order_items WHERE order_id = {order_id}) "
                          f"GROUP BY p.product_id, p.name").rows
    rows = answer(parser, engine, "how much stock do we have of those products?", [f"what was in order {order_id}?"])
    assert results_match(gold, rows)


def test_how_much_of_one_orders_status_is_refused(parser):
    # "refunded" is the returned status; an amount refunded is nothing the lake holds
    with pytest.raises(NotUnderstood):
        parser.parse("how much was refunded for order 5?", COPILOT_AS_OF)


def test_when_was_the_last_delivered_order_delivered_shows_its_parcel(parser, engine):
    gold = ("SELECT s.delivered_at FROM shipments s WHERE s.order_id = (SELECT o.order_id FROM orders o "
            "JOIN customers c USING (customer_id) WHERE c.name = 'Maja Andersson' AND o.status = 'delivered' "
            "ORDER BY o.order_date DESC, o.order_id LIMIT 1)")
    question = "when was Maja Andersson's last delivered order delivered?"
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("I need the email address of whoever placed order 5",
     "SELECT c.name, c.email FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 5"),
    # a condition of the things counted, between the number and their noun
    ("customers with more than 2 returned orders",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE o.status = 'returned' "
     "GROUP BY c.customer_id, c.name HAVING COUNT(DISTINCT o.order_id) > 2"),
    ("customers with more than 2 open orders",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE o.status IN ('pending', 'paid') "
     "GROUP BY c.customer_id, c.name HAVING COUNT(DISTINCT o.order_id) > 2"),
])
def test_whoever_and_counts_of_things_in_a_status(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_how_long_did_it_take_after_one_order_is_its_delivery_time(parser, engine):
    gold = "SELECT date_diff('second', shipped_at, delivered_at) / 86400.0 FROM shipments WHERE order_id = 12"
    rows = answer(parser, engine, "how long did it take?", ["where is order 12"])
    assert results_match(engine.execute(gold).rows, rows)


def test_how_long_after_a_latest_order_not_said_delivered_is_refused(parser):
    form = parser.parse("Erik Olsen's last order", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("how long did it take?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("question, gold", [
    # a clause that picks the order ("that was", "with status") keeps the status a condition
    ("Erik Olsen's most recent order that was delivered",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.status = 'delivered' ORDER BY o.order_date DESC, o.order_id LIMIT 1"),
    ("Erik Olsen's last order with status delivered",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.status = 'delivered' ORDER BY o.order_date DESC, o.order_id LIMIT 1"),
    # of several orders named, a status picks some of them
    ("which of orders 2, 5 and 12 are cancelled?",
     "SELECT order_id FROM orders WHERE order_id IN (2, 5, 12) AND status = 'cancelled'"),
])
def test_a_status_that_picks_stays_a_condition(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_how_much_beside_a_condition_that_states_a_figure_is_that_figure(parser, engine):
    gold = ("SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
            "WHERE NOT p.active GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0")
    question = "discontinued products we still have stock of, and how much"
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question
