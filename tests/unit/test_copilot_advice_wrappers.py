"""Advice framings around a ranking or a condition the question states itself (slice rec, stop 34): the framing is a
purpose of the layer (grammar.purposes) or a plan set aside, the criterion the asker names decides.

What each part checks:
- "ought we to" is written as "should we" (grammar.abbreviations), so the purposes said with "should" read it too.
- "what do we need to order", "place a purchase order" are reorder words (low stock), never the orders entity.
- "give more volume to" a carrier is the carrier's choice (its "volume" no figure of units sold); "deserve(s) a call"
  is the call list; "negotiate a bigger volume deal with", "candidates to stop discounting", "a price cut",
  "a premium display" / "the flagship" / "headline the banner", "an emergency restock", "need a transfer",
  "where should the extra stock go", "should the sales team focus on", "should get more budget", "we're opening a
  new showroom", "bring it up with": each a purpose whose shape must fit.
- "I need it for the range review": the aside's "it" is the answer asked (the whole ranking), not one thing of it.
- the call list needs a criterion stated (the purpose's ``criterion``: a condition, period, figure's limit, ranking);
  a segment or place alone names no reason to call.
Bare framings, or a criterion of the wrong shape, stay refused.
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood
from tests.unit.conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

LOW_STOCK = ("WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS lvl FROM inventory "
             "GROUP BY product_id) SELECT p.name FROM s JOIN products p USING (product_id) WHERE s.stock <= s.lvl")


@pytest.mark.parametrize("question, gold", [
    ("which Bosch products ought we to reorder? the ones low on stock",
     LOW_STOCK + " AND p.brand = 'Bosch'"),
    ("time to place a PO for Garden. which garden items are low on stock?",
     LOW_STOCK + " AND p.category = 'Garden'"),
    ("what do we need to order for Kuopio? products under the reorder level in that warehouse",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand < i.reorder_level"),
    ("Which carrier should we give more volume to - the one with the lowest average delivery time in 2025?",
     "SELECT s.carrier FROM shipments s WHERE s.delivered_at IS NOT NULL AND s.shipped_at >= TIMESTAMP '2025-01-01' "
     "AND s.shipped_at < TIMESTAMP '2026-01-01' GROUP BY s.carrier "
     "ORDER BY AVG(date_diff('second', s.shipped_at, s.delivered_at)) ASC LIMIT 1"),
    ("Which 3 brands had the most discount given in euros in 2025, on orders not cancelled or returned? Candidates to "
     "stop discounting.",
     "SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     + VALID_ORDER + " AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.brand "
     "ORDER BY SUM(oi.quantity * oi.unit_price * oi.discount_percent / 100) DESC LIMIT 3"),
    ("which brand should we negotiate a bigger volume deal with? the one with the most units sold in 2025",
     "SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     + VALID_ORDER + " AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.brand "
     "ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
    ("We're opening a new showroom. Which country had the most web revenue in 2025?",
     "SELECT c.country FROM orders o JOIN customers c USING (customer_id) WHERE " + VALID_ORDER +
     " AND o.channel = 'web' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY c.country ORDER BY SUM(o.total_amount) DESC LIMIT 1"),
    ("Which carrier had the highest average delivery time in 2025? Want to bring it up with them.",
     "SELECT s.carrier FROM shipments s WHERE s.delivered_at IS NOT NULL AND s.shipped_at >= TIMESTAMP '2025-01-01' "
     "AND s.shipped_at < TIMESTAMP '2026-01-01' GROUP BY s.carrier "
     "ORDER BY AVG(date_diff('second', s.shipped_at, s.delivered_at)) DESC LIMIT 1"),
    ("The 3 cheapest active products? Consider them for a premium display.",
     "SELECT p.name FROM products p WHERE p.active ORDER BY p.unit_price ASC LIMIT 3"),
    ("which Garden product costs the most? I want it as the flagship in the garden leaflet",
     "SELECT p.name FROM products p WHERE p.category = 'Garden' ORDER BY p.unit_price DESC LIMIT 1"),
    ("candidates for an emergency restock: products with no stock at all",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) = 0"),
    ("Where should the extra stock go? the warehouse with the fewest Garden units on hand",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
     "GROUP BY i.warehouse ORDER BY SUM(i.quantity_on_hand) ASC LIMIT 1"),
    ("Which brand should the web sales team focus on? The one with the highest web revenue in 2025.",
     "SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     + VALID_ORDER + " AND o.channel = 'web' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY p.brand ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1"),
])
def test_advice_framing_read_with_the_criterion_said(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, purpose", [
    ("Which customers in Oslo deserve a call? those with no order in the last 90 days", "call list"),
    ("candidates for a price cut: active products over 200 euros that sold under 50 units this year", "price cut"),
    ("Which Lighting products are at zero in Drammen and need a transfer?", "restock"),
    ("which product should headline the homepage banner? the top seller by units in 2025", "promote"),
    ("Which brand should get more budget: the one whose revenue grew the most from Q3 2025 to Q3 2026?", "focus on"),
    ("I want to run a promotion on slow movers. Which 3 products sold the fewest units in 2025?", "needs push"),
])
def test_advice_framing_names_its_purpose(parser, question, purpose):
    assert f"{purpose} read as" in parser.parse(question, COPILOT_AS_OF).interpretation


@pytest.mark.parametrize("question, limit", [
    ("Rank brands by revenue in 2025, I need it for the supplier review.", "top 10"),  # the whole ranking
    ("what sold best in Garden in 2025? want to feature it", "top 1"),                 # one thing pointed at
])
def test_an_asides_it_points_at_one_thing_only_when_it_is_one(parser, question, limit):
    assert limit in parser.parse(question, COPILOT_AS_OF).interpretation


@pytest.mark.parametrize("question", [
    "Who deserves a call?",                                         # no one named, no criterion
    "which business customers in Oslo deserve a call?",             # who, but no reason to call
    "which customers should we call?",                              # no criterion
    "which carrier should we give more volume to?",                 # no criterion
    "Which brand should we give more volume to? the one with the most revenue",  # the framing is a carrier's
    "which brand should we negotiate a better deal with?",          # no criterion
    "We're opening a new showroom, which one?",                    # no criterion, nothing named
    "which products need a price cut?",                             # no limit said
    "which products should headline the banner",                    # no criterion
    "which customers need to order again?",                         # a customer's ordering, no reorder
])
def test_bare_or_misfitting_advice_framings_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# the reorder words need the asker ("what do we need to order"); a customer's ordering or a customer's purchase order
# is no reorder
@pytest.mark.parametrize("question", [
    "what did customer 12 need to order",
    "show me the purchase order for customer 12",
])
def test_a_customers_ordering_is_no_reorder(parser, question):
    try:
        parsed = parser.parse(question, COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert "low on stock" not in parsed.interpretation


# "the biggest shortfall against its reorder level" is the shortfall measure; "ordered at some point in 2025" is within
# the period, never an order before it
@pytest.mark.parametrize("question, gold", [
    ("Which brand has the biggest shortfall against its reorder level?",
     "WITH s AS (SELECT p.brand, SUM(i.reorder_level - i.quantity_on_hand) AS gap FROM inventory i JOIN products p "
     "USING (product_id) WHERE i.product_id IN (SELECT product_id FROM inventory GROUP BY product_id "
     "HAVING SUM(quantity_on_hand) < SUM(reorder_level)) GROUP BY p.brand) SELECT brand FROM s ORDER BY gap DESC LIMIT 1"),
])
def test_the_shortfall_said_against_the_level(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_ordered_at_some_point_in_a_period_is_not_an_order_before_it(parser):
    try:
        parsed = parser.parse("how many customers ordered at some point in 2025", COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert "ordered before" not in parsed.interpretation
