"""s23-general: rules from a held-out-like mix. "A vs B per X" (the compared values with another grouping: a
dimension or a time grain) is one row per X with A and B as columns, side by side; with no other grouping the
values stay rows. A lake value that is also an English verb, written in lower case after an auxiliary and its
subject noun phrase ("did business customers bring"), is the verb (a filler), not the value (the carrier Bring).
"money" asks for an amount: a question with "money" whose reading has no amount in EUR is refused (was a
count of the orders). "in the <places> altogether / in total / combined" sums over the places, not split by
them. A share of things (customers) with a condition on related rows (orders) is of all the things the
subject's own conditions keep, the part those with at least one such row (was: of customers with orders). A
superlative of size ("biggest customer") with an explicit key ("by number of orders") ranks by that key (was
revenue, the key dropped); with only an amount named ("by revenue") by that amount. "register"/"join" are the
signup. "how many customers ordered in A but haven't ordered in B" counts the lapsed customers. "growth in Q3 over
Q2": "over" right between two periods compares them. A measure named twice, as the verb and noun of a condition
("brought in more than 5000 EUR of revenue"), is the condition, not a second figure. Figures asked together
each count their own rows: "revenue and number of orders" is the revenue of orders not cancelled or returned
beside the orders of any status (was: both over the revenue's orders). "the same period of <year>" after one
period within a year is those days in that year."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, gold", [
    # compared values with another grouping: one row per group, one column per value
    ("Finland versus Sweden: number of customers in each segment, next to each other",
     "SELECT segment, COUNT(*) FILTER (WHERE country = 'FI'), COUNT(*) FILTER (WHERE country = 'SE') "
     "FROM customers WHERE country IN ('FI', 'SE') GROUP BY 1"),
    ("b2b vs web revenue by month in 2025",
     "SELECT date_trunc('month', order_date), SUM(total_amount) FILTER (WHERE channel = 'b2b'), "
     "SUM(total_amount) FILTER (WHERE channel = 'web') FROM orders WHERE " + VALID_ORDER.replace("o.", "")
     + " AND channel IN ('b2b', 'web') AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("paid vs pending orders for every channel",
     "SELECT channel, COUNT(*) FILTER (WHERE status = 'paid'), COUNT(*) FILTER (WHERE status = 'pending') "
     "FROM orders WHERE status IN ('paid', 'pending') GROUP BY 1"),
    # no other grouping: the values are the rows
    ("web vs store orders in 2025",
     "SELECT channel, COUNT(*) FROM orders WHERE channel IN ('web', 'store') AND order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    # the verb after an auxiliary and its subject is not the carrier
    ("How much revenue did consumer customers bring via the web channel last year?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.segment = 'consumer' AND o.channel = 'web' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31'"),
    ("how many shipments did Bring deliver in 2025",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'Bring' AND delivered_at IS NOT NULL AND "
     "shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01'"),
    # summed over the places
    ("how many units of the Bosch products are in our warehouses combined",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.brand = 'Bosch'"),
    # a share of all customers, the part those with such an order
    ("what percent of customers have a cancelled order?",
     "SELECT 100.0 * COUNT(DISTINCT o.customer_id) FILTER (WHERE o.status = 'cancelled') / "
     "(SELECT COUNT(*) FROM customers) FROM orders o"),
    ("share of business customers who have ordered through the store channel",
     "SELECT COUNT(DISTINCT c.customer_id) FILTER (WHERE c.customer_id IN (SELECT customer_id FROM orders "
     "WHERE channel = 'store')) * 1.0 / COUNT(*) FROM customers c WHERE c.segment = 'business'"),
    ("Which is our largest customer by number of orders?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) GROUP BY c.customer_id, c.name "
     "ORDER BY COUNT(*) DESC, c.name LIMIT 1"),
    ("who is the biggest customer by revenue in 2025?",
     f"SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND o.order_date "
     "BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, c.name "
     "ORDER BY SUM(o.total_amount) DESC LIMIT 1"),
    ("When did customer 15 register?", "SELECT signup_date FROM customers WHERE customer_id = 15"),
    ("How many consumer customers ordered in 2024 but haven't ordered in 2025?",
     "SELECT COUNT(*) FROM customers c WHERE c.segment = 'consumer' AND EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND year(o.order_date) = 2024) AND NOT EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND year(o.order_date) = 2025)"),
    ("order count growth in Q2 2026 over Q1 2026 in percent",
     "SELECT 100.0 * (COUNT(*) FILTER (WHERE quarter(order_date) = 2) - COUNT(*) FILTER (WHERE quarter(order_date) "
     "= 1)) / COUNT(*) FILTER (WHERE quarter(order_date) = 1) FROM orders WHERE year(order_date) = 2026"),
    ("How many customers brought in over 3000 euros of revenue?",
     f"SELECT COUNT(*) FROM (SELECT o.customer_id FROM orders o WHERE {VALID_ORDER} GROUP BY 1 "
     "HAVING SUM(o.total_amount) > 3000)"),
    ("number of orders and revenue per channel in 2025",
     f"SELECT channel, COUNT(*), SUM(total_amount) FILTER (WHERE {VALID_ORDER.replace('o.', '')}) FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("orders from 1 March to 15 April 2026 compared with the same period of 2025",
     "SELECT make_date(year(order_date), 3, 1), COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-03-01' "
     "AND DATE '2026-04-15' OR order_date BETWEEN DATE '2025-03-01' AND DATE '2025-04-15' GROUP BY 1"),
])
def test_general_mix(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    # an amount the lake does not hold: never the count of the orders
    "How much money did we refund on cancelled orders last year?",
    "how much money was given back for returned orders in 2026?",
    # a lake value as a verb with no amount named: still refused, never the carrier
    "how much did the business customers bring last month?",
])
def test_money_without_an_amount_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_a_compared_value_after_a_ranking_stays_a_row(parser):
    sql = parser.parse("top 3 categories by revenue, web vs store", COPILOT_AS_OF).sql
    assert "FILTER(WHERE o.channel" not in sql
