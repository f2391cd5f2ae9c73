"""s23-general2: 'the first N months of <year>' is January to the end of the Nth month of that year; one period
said twice ('the first six months of 2026, January to June': both the same days) is one period, not two to
compare (two different periods stay refused). 'zero/no units on hand (in stock)' is out of stock, so 'in at
least one warehouse' tests it per warehouse. A bracket after a 'bought together' question that only says what
together means ('(same order)', '(in the same basket)') restates it and is set aside; 'same order' elsewhere
stays unplaced. A plan said after the question: 'they probably/likely need ...' opens one as 'they need' does;
'a price review' is the reprice purpose, 'we should clear' the clearance purpose, 'sales should call' / 'we
should call' the call-list purpose. 'from <day/month> onwards (on)' is from that day (the month's first) to
date; 'the first N days/weeks of <month>' its first N (7N) days, and a bracket right after that names the same
days ('(1st to 14th)') says them again (other days stay refused). A customer's order ids in a period are of their
orders placed in it, not of customers who signed up in it. 'vs the same period last year (a year earlier)' is
the days of the period named, one year before it; with no period named it stays refused. 'stock count' and
'inventory count' are the stock. 'the most (least) <...> stock above/over (the) reorder level(s)' ranks by the
surplus (stock less the level), while 'stock above reorder level' as a condition is left as it was."""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY 1)"


@pytest.mark.parametrize("question, gold", [
    ("revenue over the first three months of 2026",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31'"),
    ("number of orders in the first 5 months of last year",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-05-31'"),
    # the same days named twice
    ("units sold in the first four months of 2026, January to April",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-04-30'"),
    ("orders in Q2 2026, April through June",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
])
def test_first_months_and_a_period_said_twice(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_two_different_periods_stay_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("orders in Q2 2026, April through July", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("how many products have no units on hand?",
     f"SELECT COUNT(*) FROM {STOCK} s WHERE s.stock = 0"),
    ("count the products with zero units in stock in at least one warehouse",
     "SELECT COUNT(DISTINCT product_id) FROM inventory WHERE quantity_on_hand = 0"),
])
def test_zero_units_on_hand_is_out_of_stock(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_bracket_restating_together(parser, engine):
    name = engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0]
    assert_answers_like(
        parser, engine, f"top 4 products bought together with the {name} (in the same basket)",
        "SELECT p2.name, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 ON p1.product_id = "
        "a.product_id JOIN order_items b ON a.order_id = b.order_id AND b.product_id <> a.product_id JOIN products p2 "
        f"ON p2.product_id = b.product_id WHERE p1.name = '{name}' GROUP BY 1 ORDER BY n DESC LIMIT 4")


def test_same_order_elsewhere_stays_unplaced(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which orders have the same order date as order 12", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("products with a margin under 20%. They likely need a pricing review",
     "SELECT name FROM products WHERE (unit_price - unit_cost) / unit_price < 0.20"),
    ("inactive products with stock that we should clear",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE NOT p.active AND s.stock > 0"),
    ("consumer customers we should call: those who ordered before but not since 1 August 2026",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id, c.name HAVING MAX(o.order_date) < DATE '2026-08-01'"),
])
def test_plans_said_with_the_question(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # "from <day> onwards": that day to date
    ("orders from Sept 14 onwards",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-09-14' AND DATE '2026-11-01'"),
    ("revenue from 2 March 2026 on",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-03-02' AND DATE '2026-11-01'"),
    # the first days or weeks of a month; a bracket naming the same days again
    ("units sold in the first three weeks of September",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-21'"),
    ("number of orders in the first 7 days of August 2026 (1st-7th)",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-07'"),
])
def test_onwards_and_first_days(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_other_days_in_the_bracket_stay_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("number of orders in the first 7 days of August 2026 (1st-9th)", COPILOT_AS_OF)


def test_a_customers_order_ids_in_a_period_are_of_their_orders(parser, engine):
    name = engine.execute("SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY 1 "
                          "ORDER BY COUNT(*) DESC LIMIT 1").rows[0][0]
    assert_answers_like(parser, engine, f"{name}'s order ids in 2025",
                        "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) "
                        f"WHERE c.name = '{name}' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'")


@pytest.mark.parametrize("question, gold", [
    # the same days of the period named, one year earlier (not the whole of last year)
    ("units sold so far this year vs the same period last year",
     "SELECT YEAR(o.order_date), SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND (o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "OR o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-10-31') GROUP BY 1"),
    # 'stock count' is the stock
    ("stock count per warehouse",
     "SELECT warehouse, SUM(quantity_on_hand) FROM inventory GROUP BY 1"),
])
def test_same_period_last_year_and_stock_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_same_period_last_year_without_a_period_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("orders vs the same period last year", COPILOT_AS_OF)


def test_the_most_stock_above_the_reorder_level_is_the_surplus(parser, engine):
    assert_answers_like(
        parser, engine, "which warehouse holds the most Garden stock above reorder levels?",
        "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
        "GROUP BY 1 ORDER BY SUM(i.quantity_on_hand - i.reorder_level) DESC LIMIT 1")


def test_stock_above_the_reorder_level_as_a_condition_is_not_the_surplus(parser):
    try:
        result = parser.parse("products with stock above reorder level", COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert "reorder_level) AS surplus" not in result.sql
