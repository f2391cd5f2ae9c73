"""s23-followups: follow-ups that widen or recount the previous question. "not just <value>" / "not only <value>"
drops the previous condition on that value's field (the rest kept; "all <value> products" keeps its value);
"including <the complement>" or "<the complement> too" after a condition drops both ("active" and "inactive"
together are every product); "and all <dimension> too" after an earlier drop drops that condition as well; "the
number of <things>" after a figure that counted nothing (revenue by country) counts those things under the same
conditions, never the orders; "how much did he spend?" after one customer's orders counted is their revenue;
"their total <amount>" after things counted sums that amount of them; "for each" closing a follow-up is its
groups."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

REVENUE = "SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100))"
LINES = "order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id)"


@pytest.mark.parametrize("context, question, gold", [
    # "not just <value>": that condition goes, the brand named again stays
    (["units sold of Bosch products in Garden last month"], "all Bosch products, not just the Garden ones",
     f"SELECT SUM(oi.quantity) FROM {LINES} WHERE {VALID_ORDER} AND p.brand = 'Bosch' "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    (["revenue of Philips products in Lighting in 2025"], "and not only Lighting",
     f"SELECT {REVENUE} FROM {LINES} WHERE {VALID_ORDER} AND p.brand = 'Philips' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # a condition and its complement together: no condition on that column
    (["active products in Garden"], "show the inactive ones as well",
     "SELECT name FROM products WHERE category = 'Garden'"),
    (["active products in Plumbing"], "including the inactive ones",
     "SELECT name FROM products WHERE category = 'Plumbing'"),
    # a second drop after a first one
    (["revenue from consumer customers in Norway via web last quarter", "ignore the channel"],
     "and all segments too",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.country = 'NO' AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    # the things named counted, not the orders
    (["revenue per country in 2025"], "and how many customers was that?",
     "SELECT c.country, COUNT(DISTINCT o.customer_id) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    (["revenue by channel this year"], "what about the number of customers who bought?",
     "SELECT o.channel, COUNT(DISTINCT o.customer_id) FROM orders o "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    # a customer's orders counted, then what they spent: their revenue over the same period
    (["how many orders has Erik Olsen placed this year?"], "and how much did he spend in total?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.name = 'Erik Olsen' AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    # counted things, then "their total <amount>": that amount summed over the same groups (every status)
    (["order count by channel in 2025"], "what about their total amount?",
     "SELECT channel, SUM(total_amount) FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    # "for each" closing a follow-up: the previous answer's groups
    (["average delivery time per carrier in 2025"], "and how many late shipments for each?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01' GROUP BY 1"),
])
def test_widening_and_recounting_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_all_of_a_value_keeps_that_value(parser):
    form = parser.parse("all Makita products", COPILOT_AS_OF, parser.parse("revenue of Makita in 2025",
                                                                           COPILOT_AS_OF).form).form
    assert any(x.field == "brand" and x.values == ["Makita"] for x in form.filters)


@pytest.mark.parametrize("context, question", [
    # nothing of that field to widen
    (["revenue in 2025"], "not just garden"),
    # open and closed are no complement the layer names
    (["open orders"], "including closed ones"),
    # a price of products is not summed unless a total is asked
    (["number of products per category"], "and their price?"),
    # the spend of a customer's cancelled orders is no revenue
    (["how many cancelled orders did Erik Olsen place in 2025?"], "and how much did he spend?"),
])
def test_widening_what_was_not_there_is_refused(parser, context, question):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)
