"""s23-general: rules from a held-out-like mix. "A vs B per X" (the compared values with another grouping: a
dimension or a time grain) is one row per X with A and B as columns, side by side; with no other grouping the
values stay rows. A lake value that is also an English verb, written in lower case after an auxiliary and its
subject noun phrase ("did business customers bring"), is the verb (a filler), not the value (the carrier Bring).
"money" asks for an amount: a question with "money" whose reading has no amount in EUR is refused (was a
count of the orders). "in the <places> altogether / in total / combined" sums over the places, not split by
them. A share of things (customers) with a condition on related rows (orders) is of all the things the
subject's own conditions keep, the part those with at least one such row (was: of customers with orders)."""

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
])
def test_general_mix(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    # an amount the lake does not hold: never the count of the orders
    "How much money did we refund on cancelled orders last year?",
    "how much money was given back for returned orders in 2026?",
])
def test_money_without_an_amount_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_a_compared_value_after_a_ranking_stays_a_row(parser):
    sql = parser.parse("top 3 categories by revenue, web vs store", COPILOT_AS_OF).sql
    assert "FILTER(WHERE o.channel" not in sql
