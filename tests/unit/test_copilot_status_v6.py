"""Order and shipment status, round 6: the fifth dev set's phrasings (a count asked after a dash, a future
period refused as a forecast, follow-ups that pick from or break down the previous answer)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional

AS_OF = COPILOT_AS_OF

CASES: list[tuple[str, str]] = [
    # a count asked at the end, after a dash or comma
    ("open orders from the web channel - count",
     "SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'paid') AND channel = 'web'"),
    ("cancelled orders in 2025, count", "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025"),
    # an on-time share is taken of the delivered parcels only, like a late share (an undelivered one is neither)
    ("on-time delivery percentage per carrier in 2025",
     "SELECT carrier, 100.0 * COUNT(*) FILTER (WHERE NOT delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
    # a share of a parcel condition with no things named is of parcels, its period on the shipping date
    ("on-time rate by carrier in 2025",
     "SELECT carrier, 1.0 * COUNT(*) FILTER (WHERE NOT delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
    # contractions of stopwords and the destination of a parcel (the customer's country)
    ("the shortest delivery time we've had in 2025, in days",
     "SELECT MIN(epoch(delivered_at) - epoch(shipped_at)) / 86400 FROM shipments WHERE year(shipped_at) = 2025"),
    ("parcels not delivered yet by destination country",
     "SELECT c.country, COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE s.delivered_at IS NULL GROUP BY 1"),
    # an age said by a comparative: placed (or shipped) before the as-of day minus that one unit
    ("how many paid orders are older than a week",
     "SELECT COUNT(*) FROM orders WHERE status = 'paid' AND order_date < DATE '2026-10-25'"),
    ("parcels not delivered yet that are older than a day",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL AND CAST(shipped_at AS DATE) < DATE '2026-10-31'"),
    # "shipped in <period>": when the shipping happened (any status since), not shipped status plus order date
    ("how many orders shipped in August",
     "SELECT COUNT(DISTINCT order_id) FROM shipments WHERE shipped_at >= DATE '2026-08-01' AND shipped_at < DATE '2026-09-01'"),
    # a yes/no condition asked of one order that its own columns cannot say: its truth value is shown
    ("was order 1200 delivered late?",
     "SELECT s.delivered_at > s.shipped_at + INTERVAL 3 DAY FROM orders o LEFT JOIN shipments s USING (order_id) "
     "WHERE o.order_id = 1200"),
    ("is order 77 late?",
     "SELECT s.delivered_at > s.shipped_at + INTERVAL 3 DAY FROM orders o LEFT JOIN shipments s USING (order_id) "
     "WHERE o.order_id = 77"),
    ("on-time rate of parcels last month",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE NOT delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= DATE '2026-10-01' AND shipped_at < DATE '2026-11-01'"),
]


@pytest.mark.parametrize("question, gold", CASES)
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


REFUSED: list[tuple[str, str]] = [
    # a period wholly after the as-of day is a forecast: no rows to answer from (was the empty sum 0)
    ("how many orders will we get in January 2027", "future"),
    ("expected revenue for December 2026", "future"),
    ("units sold in 2027", "future"),
    # an age needs an order or a parcel to take it of
    ("customers older than a week", "older"),
]


@pytest.mark.parametrize("question, word", REFUSED)
def test_refused(parser, question, word):
    with pytest.raises(NotUnderstood, match=word):
        parser.parse(question, AS_OF)


def test_a_period_up_to_today_is_still_answered(parser, engine):
    rows = answer(parser, engine, "revenue in October 2026")
    assert len(rows) == 1 and rows[0][0] > 0


# follow-ups: "which of those ..." after a count lists the counted things; "by X" after a list counts them per X
FOLLOWUPS: list[tuple[list[str], str, str]] = [
    (["how many orders were cancelled in 2025?"], "which of those came through the web?",
     "SELECT order_id FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025 AND channel = 'web'"),
    (["returned orders in 2025"], "split that by channel",
     "SELECT channel, COUNT(*) FROM orders WHERE status = 'returned' AND year(order_date) = 2025 GROUP BY 1"),
    (["parcels shipped last week"], "per carrier?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE CAST(shipped_at AS DATE) BETWEEN DATE '2026-10-19' "
     "AND DATE '2026-10-25' GROUP BY 1"),
    (["late rate per carrier in 2025"], "now by month for Bring",
     "SELECT date_trunc('month', shipped_at), 1.0 * COUNT(*) FILTER (WHERE delivered_at > shipped_at + INTERVAL 3 DAY) "
     "/ COUNT(*) FROM shipments WHERE delivered_at IS NOT NULL AND carrier = 'Bring' AND year(shipped_at) = 2025 "
     "GROUP BY 1"),
    # an activity with a new period after a list of customers: the period is when they did it, not their signup
    (["customers in Oslo"], "which of them ordered something in September?",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # a column of one order's details asked after them: the same row, which holds it
    (["which carrier shipped order 1200?"], "and the tracking number?",
     "SELECT tracking_number FROM shipments WHERE order_id = 1200"),
    # a column named bare after a list stays a column beside each row
    (["which products are out of stock?"], "which brands are they?",
     "SELECT p.name, p.brand FROM products p JOIN inventory i USING (product_id) GROUP BY p.name, p.brand "
     "HAVING SUM(i.quantity_on_hand) = 0"),
]


@pytest.mark.parametrize("context, question, gold", FOLLOWUPS)
def test_followup_answers_like_its_gold_sql(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context=context)), question
