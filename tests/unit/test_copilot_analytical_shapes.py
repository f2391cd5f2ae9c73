"""Analysts' shapes of a table (dev54): two periods per row, a year up to a month, one group beside all.

What each part checks:
- "<figure> in P1 minus <figure> in P2" (per group when grouped) is the first period's figure less the second's, as
  "how many more ... than" reads it (layer grammar ``minus_words``); another figure after "minus" stays refused.
- Two periods joined by "and", the figure said again and "for"/"in" before each ("for 2024 and for 2025", "count for
  Q3 2025 and count for Q3 2026"), asked side by side or "in one row with both figures" (layer ``one_row``), are
  the two periods as columns; two different figures so joined stay refused.
- "per month in 2025 up to August", "quarterly ... for 2025, Q1 through Q3": the year up to there, one period.
- A figure for one group beside the same figure over all ("... next to revenue from all customers", "... and how
  many orders were there in total", "... across all categories in the same quarter", reading/beside_all.py): one
  row, the group's condition on its column alone; a second clause that says another condition, or an "all" of
  another group, is refused (was: both conditions on one figure, or the second clause dropped); a follow-up to it
  is refused.
- "<count>, and number of those <things> with <one condition>" (reading/beside_all.py): the count beside the count of
  those meeting the condition, a column each (was: the condition on both, one figure); a second clause with its own
  period or more than the one condition is refused.
- "which <groups> had more than N <other things>": the groups show that count (was: the number of the groups' own
  things, customers per city).
- A 0-100 range said as the scale of a share in percent or a growth in % ("(0-100)", "as a percentage 0-100", "as
  0-100") restates it; beside a fraction it stays refused.
- Degenerate figures: a share whose condition is said again as a condition on all the things is the share (was: 1
  always); an average per order of the number of orders is refused.
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

pytestmark = pytest.mark.functional

LINES = "FROM orders o JOIN order_items i ON i.order_id = o.order_id JOIN products p ON p.product_id = i.product_id"


def _between(start: str, end: str) -> str:
    return f"o.order_date BETWEEN DATE '{start}' AND DATE '{end}'"


@pytest.mark.parametrize("question, gold", [
    ("Per sales channel: units sold in Q2 2026 minus units sold in Q2 2025",
     f"SELECT o.channel, SUM(i.quantity) FILTER (WHERE {_between('2026-04-01', '2026-06-30')}) - SUM(i.quantity) "
     f"FILTER (WHERE {_between('2025-04-01', '2025-06-30')}) {LINES} WHERE {VALID_ORDER} GROUP BY o.channel"),
    ("number of orders by segment, October 2026 minus October 2025",
     f"SELECT c.segment, COUNT(*) FILTER (WHERE {_between('2026-10-01', '2026-10-31')}) - COUNT(*) FILTER (WHERE "
     f"{_between('2025-10-01', '2025-10-31')}) FROM orders o JOIN customers c USING (customer_id) GROUP BY c.segment"),
    ("revenue for each channel in H1 2026 (Jan-Jun) minus revenue in H1 2025 (Jan-Jun)",
     f"SELECT o.channel, SUM(o.total_amount) FILTER (WHERE {_between('2026-01-01', '2026-06-30')}) - "
     f"SUM(o.total_amount) FILTER (WHERE {_between('2025-01-01', '2025-06-30')}) FROM orders o WHERE {VALID_ORDER} "
     "GROUP BY o.channel"),
])
def test_one_period_minus_another_per_row(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("units sold by brand for 2024 and for 2025, side by side",
     f"SELECT p.brand, SUM(i.quantity) FILTER (WHERE {_between('2024-01-01', '2024-12-31')}), SUM(i.quantity) "
     f"FILTER (WHERE {_between('2025-01-01', '2025-12-31')}) {LINES} WHERE {VALID_ORDER} GROUP BY p.brand"),
    ("web revenue in Q2 2025 and in Q2 2026, one row with both figures",
     f"SELECT SUM(o.total_amount) FILTER (WHERE {_between('2025-04-01', '2025-06-30')}), SUM(o.total_amount) "
     f"FILTER (WHERE {_between('2026-04-01', '2026-06-30')}) FROM orders o WHERE {VALID_ORDER} AND o.channel = 'web'"),
    ("Orders per channel: count for Q1 2025 and count for Q1 2026, side by side",
     f"SELECT o.channel, COUNT(*) FILTER (WHERE {_between('2025-01-01', '2025-03-31')}), COUNT(*) FILTER (WHERE "
     f"{_between('2026-01-01', '2026-03-31')}) FROM orders o GROUP BY o.channel"),
])
def test_two_periods_joined_by_and_as_columns(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("orders per month in 2025 up to August",
     f"SELECT date_trunc('month', o.order_date), COUNT(*) FROM orders o WHERE {_between('2025-01-01', '2025-08-31')} "
     "GROUP BY 1"),
    ("monthly revenue of consumer customers in 2026 through September",
     f"SELECT date_trunc('month', o.order_date), SUM(o.total_amount) FROM orders o JOIN customers c USING "
     f"(customer_id) WHERE {VALID_ORDER} AND c.segment = 'consumer' AND {_between('2026-01-01', '2026-09-30')} "
     "GROUP BY 1"),
    ("quarterly units sold for 2025, Q1 through Q3",
     f"SELECT quarter(o.order_date), SUM(i.quantity) {LINES} WHERE {VALID_ORDER} AND "
     f"{_between('2025-01-01', '2025-09-30')} GROUP BY 1"),
])
def test_a_year_up_to_a_month_or_quarter_is_one_period(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("revenue of Tampere customers in 2025 next to revenue of all customers in 2025",
     "SELECT SUM(o.total_amount) FILTER (WHERE c.city = 'Tampere'), SUM(o.total_amount) FROM orders o JOIN customers "
     f"c USING (customer_id) WHERE {VALID_ORDER} AND {_between('2025-01-01', '2025-12-31')}"),
    ("number of orders through the web channel in 2025 and the number of orders over all channels, one row",
     "SELECT COUNT(*) FILTER (WHERE o.channel = 'web'), COUNT(*) FROM orders o WHERE "
     f"{_between('2025-01-01', '2025-12-31')}"),
    ("how many orders did Tampere customers place in 2026, and how many orders were there in total?",
     "SELECT COUNT(*) FILTER (WHERE c.city = 'Tampere'), COUNT(*) FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {_between('2026-01-01', '2026-10-31')}"),
    # a product condition: both figures of the order lines (the line revenue)
    ("Kitchen units sold this year and total units sold across all categories this year",
     f"SELECT SUM(i.quantity) FILTER (WHERE p.category = 'Kitchen'), SUM(i.quantity) {LINES} WHERE {VALID_ORDER} "
     f"AND {_between('2026-01-01', '2026-10-31')}"),
    ("Plumbing revenue in Q2 2026 compared with total product revenue across all categories in the same quarter",
     "SELECT SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) FILTER (WHERE p.category = 'Plumbing'), "
     f"SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) {LINES} WHERE {VALID_ORDER} "
     f"AND {_between('2026-04-01', '2026-06-30')}"),
    # an average of a duration: the average itself under the condition (not the division after it)
    ("average delivery days for DHL vs the average across all carriers, shipments shipped in 2025, both in one row",
     "SELECT AVG(epoch(s.delivered_at - s.shipped_at) / 86400.0) FILTER (WHERE s.carrier = 'DHL'), "
     "AVG(epoch(s.delivered_at - s.shipped_at) / 86400.0) FROM shipments s WHERE s.delivered_at IS NOT NULL "
     "AND s.shipped_at >= TIMESTAMP '2025-01-01' AND s.shipped_at < TIMESTAMP '2026-01-01'"),
])
def test_one_groups_figure_beside_the_figure_for_all(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_interpretation_says_which_column_holds_the_condition(parser):
    sql_form = parser.parse("revenue of Tampere customers in 2025 next to revenue of all customers in 2025",
                            COPILOT_AS_OF)
    assert "the figure where city = Tampere" in sql_form.interpretation
    assert "over all" in sql_form.interpretation


@pytest.mark.parametrize("question", [
    # another figure after "minus", or after "and" between two periods: not one figure in two periods
    "revenue per channel in September 2026 minus units sold in September 2025",
    "revenue in Q2 2025 and units sold in Q2 2026, one row",
    # the second clause says a condition of its own, two conditions said with the first, an "all" of another group
    "revenue from Tampere customers and total revenue from all business customers in 2025",
    "revenue from business customers in Tampere and total revenue",
    "revenue from Tampere customers and revenue from all carriers",
])
def test_shapes_that_cannot_be_placed_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_a_followup_to_one_group_beside_all_is_refused(parser, engine):
    first = "revenue of Tampere customers in 2025 next to revenue of all customers in 2025"
    assert len(answer(parser, engine, first)) == 1
    with pytest.raises(NotUnderstood):
        answer(parser, engine, "and for Helsinki?", context=[first])


@pytest.mark.parametrize("question, gold", [
    ("per sales channel in 2025: number of orders, and number of those orders with a discounted line",
     "SELECT o.channel, COUNT(DISTINCT o.order_id), COUNT(DISTINCT o.order_id) FILTER (WHERE i.discount_percent > 0) "
     f"FROM orders o JOIN order_items i ON i.order_id = o.order_id WHERE {_between('2025-01-01', '2025-12-31')} "
     "GROUP BY o.channel"),
    ("per city: number of customers and how many of those are business customers",
     "SELECT c.city, COUNT(*), COUNT(*) FILTER (WHERE c.segment = 'business') FROM customers c GROUP BY c.city"),
    ("number of orders placed in 2025 and how many of those were returned",
     "SELECT COUNT(*), COUNT(*) FILTER (WHERE o.status = 'returned') FROM orders o WHERE "
     f"{_between('2025-01-01', '2025-12-31')}"),
])
def test_a_count_beside_the_count_of_those_meeting_a_condition(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    # the second clause's own period, or a condition said with the first too
    "per channel: number of orders and how many of those were cancelled in 2025",
    "for each country: number of customers, and number of those customers who placed at least one order in 2026",
])
def test_those_with_more_than_one_condition_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("Which customer cities had more than 100 orders in 2025? Show the count.",
     "SELECT c.city, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE "
     f"{_between('2025-01-01', '2025-12-31')} GROUP BY c.city HAVING COUNT(*) > 100"),
    # near-miss: a bound on the groups' own things shows those things
    ("which cities have more than 20 customers",
     "SELECT c.city, COUNT(*) FROM customers c GROUP BY c.city HAVING COUNT(*) > 20"),
])
def test_groups_held_to_a_count_show_that_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("What percentage (0-100) of active products are out of stock?",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE p.product_id IN (SELECT product_id FROM inventory GROUP BY product_id "
     "HAVING SUM(quantity_on_hand) = 0)) / COUNT(*) FROM products p WHERE p.active"),
    ("share of all orders that were returned, as a percentage 0-100",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE o.status = 'returned') / COUNT(*) FROM orders o"),
    ("per channel, percent growth in revenue from Q1 2025 to Q1 2026, as 0-100",
     f"SELECT o.channel, 100.0 * (SUM(o.total_amount) FILTER (WHERE {_between('2026-01-01', '2026-03-31')}) - "
     f"SUM(o.total_amount) FILTER (WHERE {_between('2025-01-01', '2025-03-31')})) / SUM(o.total_amount) FILTER "
     f"(WHERE {_between('2025-01-01', '2025-03-31')}) FROM orders o WHERE {VALID_ORDER} GROUP BY o.channel"),
])
def test_a_percent_scale_said_restates_the_percent(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "What fraction (0-100) of orders were returned?",
    "per channel: number of orders and average total amount per order",
])
def test_a_scale_against_the_fraction_and_an_average_of_ones_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_a_share_condition_said_again_is_not_a_condition_on_the_whole(parser, engine):
    assert_answers_like(
        parser, engine,
        "What fraction (0-1) of delivered shipments shipped in 2025 arrived within 3 days (delivery time of 3 days "
        "or less)?",
        "SELECT 1.0 * COUNT(*) FILTER (WHERE epoch(s.delivered_at - s.shipped_at) <= 3 * 86400) / COUNT(*) FROM "
        "shipments s WHERE s.delivered_at IS NOT NULL AND s.shipped_at >= TIMESTAMP '2025-01-01' "
        "AND s.shipped_at < TIMESTAMP '2026-01-01'")
