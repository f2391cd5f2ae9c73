"""Near-miss wordings answered confidently and wrongly before (tune2-traps): each now answers the
question asked, checked against hand-written SQL on the demo lake."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, gold", [
    # "waiting to be delivered" is the shipment's state, not the order status 'delivered'
    ("How many shipments are still waiting to be delivered?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL"),
    # "have been shipped": a shipment exists, whatever the status has moved on to since
    ("Of the orders placed in September 2026, how many have been shipped?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # "how many countries": one number, the different values counted (not a count per value)
    ("In how many different countries do we have customers that ordered this year?",
     "SELECT COUNT(DISTINCT c.country) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    ("how many categories", "SELECT COUNT(DISTINCT category) FROM products"),
    # "how many <a product> do we have (in a warehouse)": its pieces in stock, not its orders
    ("How many Bosch Garden Hoses do we have sitting in Vantaa?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Bosch Garden Hose' AND i.warehouse = 'Vantaa'"),
    ("how many Bosch Garden Hoses do we have",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Bosch Garden Hose'"),
    # "never online": no order of theirs through that channel (not: some order through another one)
    ("how many customers have only ever ordered in the store, never online or b2b?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING bool_and(channel = 'store'))"),
    ("how many customers never ordered online",
     "SELECT COUNT(*) FROM customers c WHERE NOT EXISTS "
     "(SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.channel = 'web')"),
    # "which order had the most units": ranked per order, not the period's total
    ("Which order from October 2026 had the most units in it?",
     "SELECT o.order_id, SUM(oi.quantity) FROM orders o JOIN order_items oi USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     f"AND {VALID_ORDER} GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    # "whose most recent order was cancelled": the status of that one order, not of any order
    ("how many customers whose most recent order was cancelled",
     "SELECT COUNT(*) FROM (SELECT customer_id, arg_max(status, (order_date, order_id)) AS s FROM orders "
     "GROUP BY 1) WHERE s = 'cancelled'"),
    # "orders ... not delivered", no parcel named: the order's status (a never-shipped order is not delivered)
    ("How many orders from last month are not delivered?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     "AND status <> 'delivered'"),
])
def test_a_near_miss_wording_answers_what_was_asked(parser, engine, question, gold):
    assert answer(parser, engine, question) == engine.execute(gold).rows, question


@pytest.mark.parametrize("question, same_as", [
    # "who bought ...": the buyers, not the products bought
    ("Who bought Makita products in October 2026?", "customers who bought Makita products in October 2026"),
    # "neither X nor Y": both values left out
    ("How many orders this year were neither cancelled nor returned?",
     "How many orders this year were not cancelled or returned?"),
    # "— name and total stock": the products asked for by name, each with its stock (not one sum)
    ("Kitchen products at or below reorder level — name and total stock",
     "which Kitchen products are at or below reorder level"),
])
def test_a_near_miss_wording_answers_like_the_plain_one(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


def test_skus_asked_for_are_shown(parser, engine):
    from datetime import date

    sql = parser.parse("Which SKUs are completely out of stock right now?", date(2026, 11, 1)).sql
    assert "sku" in sql.lower()
    gold = engine.execute("SELECT p.sku FROM products p JOIN inventory i USING (product_id) GROUP BY p.sku "
                          "HAVING SUM(i.quantity_on_hand) = 0 ORDER BY 1").rows
    rows = answer(parser, engine, "Which SKUs are completely out of stock right now?")
    assert results_match(gold, rows)
