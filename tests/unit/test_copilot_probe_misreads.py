"""Silent wrongs found in probes: a word read as another part of the question, now read or refused.

What each part checks:
- "less" right between two periods ("(Q1 2026 less Q4 2025)") is their difference (layer minus_between_periods),
  never a ranking of things the question does not name; the earlier period said first stays refused.
- "place a purchase order for <category>" asks what to reorder there (reorder_advice words), and "place" an order
  for someone is an action (action_verbs), refused; "the purchase order for customer 12" still lists orders.
- Things named first with a clause of theirs ("business customers who ...", "products that ...") read as one
  figure (or one per month) over all of them are refused, as "which customers ..." is; a count of them, a list,
  or one figure with a total said ("orders that were returned in 2025: total value") still reads.
- Reorder advice with a figure asked beside it ("show stock") read as one sum is refused; a count or a total said
  still reads.
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import answer, assert_answers_like

pytestmark = pytest.mark.functional

SOLD = "o.status NOT IN ('cancelled', 'returned')"
Q1 = "o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31'"
Q4 = "o.order_date BETWEEN DATE '2025-10-01' AND DATE '2025-12-31'"
LOW = ("WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS lvl FROM inventory "
       "GROUP BY product_id) SELECT p.product_id, p.name, p.category, p.brand, p.unit_price, p.active, s.stock, s.lvl "
       "FROM s JOIN products p USING (product_id) WHERE s.stock <= s.lvl")


@pytest.mark.parametrize("question, gold", [
    ("revenue change between Q4 2025 and Q1 2026 (that is Q1 2026 less Q4 2025)",
     f"SELECT SUM(o.total_amount) FILTER (WHERE {Q1}), SUM(o.total_amount) FILTER (WHERE {Q4}), "
     f"SUM(o.total_amount) FILTER (WHERE {Q1}) - SUM(o.total_amount) FILTER (WHERE {Q4}) FROM orders o WHERE {SOLD}"),
    ("how much did revenue increase in Q1 2026 compared to Q4 2025 (Q1 2026 less Q4 2025)",
     f"SELECT SUM(o.total_amount) FILTER (WHERE {Q1}), SUM(o.total_amount) FILTER (WHERE {Q4}), "
     f"SUM(o.total_amount) FILTER (WHERE {Q1}) - SUM(o.total_amount) FILTER (WHERE {Q4}) FROM orders o WHERE {SOLD}"),
    ("I need to place a purchase order for Plumbing", LOW + " AND p.category = 'Plumbing'"),
    ("the purchase order for customer 12",
     "SELECT o.order_id, o.order_date, o.status, o.channel, o.total_amount FROM orders o WHERE o.customer_id = 12"),
    # the things named first with a total said outright: one figure over all of them is what was asked
    ("orders that were returned in 2025: total value",
     "SELECT SUM(o.total_amount) FROM orders o WHERE o.status = 'returned' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("how many products should we reorder",
     "SELECT COUNT(*) FROM (SELECT product_id FROM inventory GROUP BY product_id "
     "HAVING SUM(quantity_on_hand) <= SUM(reorder_level))"),
])
def test_read_as_said(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "revenue in Q4 2025 less Q1 2026",  # the earlier period first: the growth would be the other way round
    "place an order for customer 12",  # an action, not a question about the data
    "business customers who spent over 500 EUR each month of 2025",
    "products that sold more than 10 units every month in 2025",
    "products that have stock on hand but no sales in the last 60 days, and how many units are sitting there",
    "what do we need to restock? show the stock",
])
def test_refused_rather_than_read_wrong(parser, engine, question):
    with pytest.raises(NotUnderstood):
        answer(parser, engine, question)


def test_each_one_spending_still_lists_them(parser, engine):
    rows = answer(parser, engine, "business customers who each spent more than 500 EUR in 2025")
    assert len(rows) > 1 and all(r[3] == "business" for r in rows)


def test_one_product_named_with_reorder_advice_keeps_its_figure(parser, engine):
    rows = answer(parser, engine, "do we need to reorder the Makita Hammer? how much stock is left")
    assert len(rows) == 1
