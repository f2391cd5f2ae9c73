"""s22-status: questions about one order (by its number, or a customer's latest) show that order's status
and parcel; a status named in the question is what is asked, not a filter that leaves nothing."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import answer

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
