"""Advice said with the asker's own words for what the answer is for (stop 35, slice rec): layer rows only, each a
purpose whose shape must fit the criterion the question names, plus a few readings the advice leans on.

What each part checks:
- purposes: "a loyalty discount" / "a thank-you call" / "a key-account manager" (the customers ranked highest),
  "the key-account team call" (the call list, a criterion said), "hold a customer event" / "a new pickup point" (the
  place ranked highest), "should go on the homepage" / "push harder" / "I want to grow it" (the best ranked),
  "put on sale to clear space" / "free space" / "liquidate" (the most stock), "think about discontinuing" (no sales
  in the period), "marketing focus on" (the one ranked
  first), "a quality problem" (ranked highest by returns), "a reactivation mail" (customers with no orders in the
  period). Bare, with no criterion, each stays refused.
- "I'd go with <criterion>" after the question is the asker's criterion (a filler, as "go by").
- "stock left" is the stock on hand; "fully out of stock" is out of stock; "van company" / "delivery company" is a
  carrier.
- days since a customer's last order (layer measure ``days_since_last_order``): shown, ranked ("has gone the
  longest without an order", an abbreviation of "has the most days since last order") or held to a limit ("more
  than 90 days since their last order", counted up to the as-of day).
- "priced over 100 euros have a margin above 50%": the amount said right after a figure in EUR bounds that
  figure, never the margin named after other words (was: the margin in euros per unit, a silent wrong).
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood
from tests.unit.conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

CUSTOMER_REVENUE_2025 = (f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} "
                         "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'{extra} "
                         "GROUP BY c.customer_id, c.name ORDER BY SUM(o.total_amount) DESC LIMIT {n}")
CITY_ORDERS_2026 = ("SELECT c.city FROM orders o JOIN customers c USING (customer_id) WHERE o.order_date "
                    "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY c.city ORDER BY COUNT(*) DESC LIMIT 1")
PRODUCT_STOCK = ("SELECT p.name FROM inventory i JOIN products p USING (product_id){where} GROUP BY p.product_id, p.name "
                 "ORDER BY SUM(i.quantity_on_hand) DESC, p.name LIMIT {n}")
UNITS_SOLD = ("SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
              f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '{{a}}' AND DATE '{{b}}'{{extra}} "
              "GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT {n}")
CARRIER_TIME_2025 = ("SELECT s.carrier FROM shipments s WHERE s.delivered_at IS NOT NULL AND s.shipped_at >= "
                     "TIMESTAMP '2025-01-01' AND s.shipped_at < TIMESTAMP '2026-01-01' GROUP BY s.carrier "
                     "ORDER BY AVG(date_diff('second', s.shipped_at, s.delivered_at)) ASC LIMIT 1")
NOT_SOLD_60 = ("SELECT p.name FROM products p WHERE p.active AND p.product_id NOT IN (SELECT oi.product_id FROM orders o "
               f"JOIN order_items oi USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-09-02' "
               "AND DATE '2026-10-31')")
DAYS_SINCE = ("SELECT c.name, date_diff('day', MAX(o.order_date), DATE '2026-11-01') d FROM customers c "
              "JOIN orders o USING (customer_id){where} GROUP BY c.customer_id, c.name")


@pytest.mark.parametrize("question, gold", [
    ("which 5 customers deserve a loyalty discount? the ones with the most revenue in 2025",
     CUSTOMER_REVENUE_2025.format(extra="", n=5)),
    ("top 3 business customers by revenue in 2025 - they deserve a thank-you call",
     CUSTOMER_REVENUE_2025.format(extra=" AND c.segment = 'business'", n=3)),
    ("Which consumer should get a key-account manager? The one with the most revenue in 2025.",
     CUSTOMER_REVENUE_2025.format(extra=" AND c.segment = 'consumer'", n=1)),
    ("where should we hold a customer event? the city with the most orders this year", CITY_ORDERS_2026),
    ("where would a new pickup point make most sense? the city with the most orders this year", CITY_ORDERS_2026),
    ("which 2 products should go on the homepage - most units sold in 2025",
     UNITS_SOLD.format(a="2025-01-01", b="2025-12-31", extra="", n=2)),
    ("which Garden product should we push harder? the best seller by units in 2025",
     UNITS_SOLD.format(a="2025-01-01", b="2025-12-31", extra=" AND p.category = 'Garden'", n=1)),
    ("what 3 products should we put on sale to clear space? the most stock on hand",
     PRODUCT_STOCK.format(where="", n=3)),
    ("which inactive product should we liquidate first? the one with the most stock left",
     PRODUCT_STOCK.format(where=" WHERE NOT p.active", n=1)),
    ("which active products should we think about discontinuing? those with no units sold in the last 60 days",
     NOT_SOLD_60),
    ("Which category deserves more shelf space? I'd go with the most units sold in 2025",
     "SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.category "
     "ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
    ("which products are fully out of stock?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) = 0"),
    ("which delivery company had the shortest average delivery time in 2025", CARRIER_TIME_2025),
    ("Which Swedish customer has gone the longest without an order?",
     DAYS_SINCE.format(where=" WHERE c.country = 'SE'") + " ORDER BY d DESC, c.name LIMIT 1"),
    ("business customers in Finland with more than 60 days since their last order",
     "SELECT name FROM (" + DAYS_SINCE.format(where=" WHERE c.country = 'FI' AND c.segment = 'business'")
     + ") WHERE d > 60"),
    ("active products priced over 100 euros with a margin above 45%",
     "SELECT p.name FROM products p WHERE p.active AND p.unit_price > 100 "
     "AND (p.unit_price - p.unit_cost) / p.unit_price > 0.45"),
])
def test_advice_rows_answer_like_the_plain_question(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "who should get a loyalty discount?",                    # no criterion said
    "which customers deserve a thank-you call",              # every customer listed, nothing ranked
    "where should we hold a customer event?",                # no figure named
    "which products should we put on sale to clear space?",  # no stock ranked or bound
    "which products should go on the homepage? the ones with the fewest units sold in 2025",  # the wrong end
    "who should the key-account team call?",                # no criterion said
    "which customers have gone quiet for the longest time?",   # not the days since the last order's words
])
def test_advice_rows_without_their_criterion_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_a_price_bound_stays_on_the_price_beside_a_margin(parser):
    form = parser.parse("which products priced under 30 euros have a margin above 40%?", COPILOT_AS_OF).form
    bounds = {(x.field, x.op) for x in form.filters}
    assert ("products.unit_price", "<") in bounds and ("margin", ">") in bounds
    assert not any(x.field == "unit_margin" for x in form.filters)
