"""s23-rec3: advice questions that rank or size a reorder. '<things> (end up|appear|show up) in <x> orders most
often' ranks the things by how many such orders they are in, as 'in the most <x> orders' says it (a number before
the things is how many). 'How many units should we order (of each ...) to get it/them back (up) to the reorder
level' and 'how many <products> do we need to order to bring ... up to their reorder level' ask the shortfall below
the reorder level (summed over all warehouses); a noun phrase between 'get'/'bring' and 'back up to' is whose
shortfall. Without the purpose clause 'how many units should we order' stays as it was (not a shortfall).
Periods around a month: 'before June 2026' is every day before its first day, 'after March' and 'since the end of
April' the days after its last one up to the day before the as-of day, 'since the start of August' and 'from the
start of August until now' from its first day to date ('the month before March' is left alone). A last (or first)
order date beside revenue is of all the customer's orders, not only those the revenue counts. 'Which <groups>
sold less/had lower <figure> in <period> than (in) <period>': the groups whose figure in the first period is below
(more/higher: above) the second's, a missing figure as 0; with a number asked as well it stays refused.
'How many customers ordered in <earlier> but haven't ordered (at all) in <later>': the lapsed customers counted.
'(cancelled/returned orders don't count)' set apart by a bracket or a comma is 'excluding cancelled and returned
orders'."""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"


@pytest.mark.parametrize("question, gold", [
    # "most often" after "in <x> orders": ranked by how many of those orders, a number before is the top N
    ("Which 3 products end up in cancelled orders most often?",
     "SELECT p.name FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status = 'cancelled' GROUP BY p.product_id, p.name ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 3"),
    ("which two brands show up in b2b orders most frequently?",
     "SELECT p.brand FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.channel = 'b2b' GROUP BY 1 ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 2"),
    # the shortfall, asked as the act of ordering with the level to reach after it
    ("how many units do we need to order of each low-stock product to bring it back up to its reorder level?",
     f"SELECT p.name, s.reorder - s.stock FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE s.stock <= s.reorder"),
    ("How many units should we order to get the Lighting products back to their reorder levels, per product?",
     f"SELECT p.name, s.reorder - s.stock FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE p.category = 'Lighting'"),
])
def test_rankings_and_reorder_sizes(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_shortfall_of_one_named_product(parser, engine):
    name = engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0]
    assert_answers_like(parser, engine, f"how many {name}s must we order to get back up to the reorder level?",
                        f"SELECT s.reorder - s.stock FROM products p JOIN {STOCK} s USING (product_id) "
                        f"WHERE p.name = '{name}'")


def test_ordering_without_the_level_to_reach_is_no_shortfall(parser):
    try:
        result = parser.parse("how many units should we order of each low stock product?", COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert "reorder_level) - SUM" not in result.sql


@pytest.mark.parametrize("question, gold", [
    ("How many customers haven't ordered anything since the end of March 2026?",
     "SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id "
     "AND o.order_date >= DATE '2026-04-01')"),
    ("how many orders were placed after August 2026?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-10-31'"),
    ("units sold from the start of September until now",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-10-31'"),
    ("customers whose last order was before July 2026",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name "
     "HAVING MAX(o.order_date) < DATE '2026-07-01'"),
    # the last order is of every order, the revenue of those that count as sales
    ("our top 5 customers by revenue whose last order was before May 2026",
     f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name "
     f"HAVING MAX(o.order_date) < DATE '2026-05-01' ORDER BY SUM(o.total_amount) FILTER (WHERE {VALID_ORDER}) DESC "
     "LIMIT 5"),
])
def test_periods_around_a_month(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


REV = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


@pytest.mark.parametrize("question, gold", [
    ("Which brands had lower revenue in Q2 2026 than in Q1 2026?",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM({REV}) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' "
     f"AND DATE '2026-06-30'), 0) < COALESCE(SUM({REV}) FILTER (WHERE o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-03-31'), 0)"),
    ("which channels had more orders in August than July?",
     "SELECT o.channel FROM orders o GROUP BY 1 HAVING COUNT(*) FILTER (WHERE o.order_date BETWEEN DATE '2026-08-01' "
     "AND DATE '2026-08-31') > COUNT(*) FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-07-31')"),
])
def test_groups_lower_or_higher_in_one_period_than_another(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_number_beside_than_periods_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which 3 brands had more orders in August than July?", COPILOT_AS_OF)


def test_lapsed_customers_counted(parser, engine):
    assert_answers_like(
        parser, engine, "How many customers ordered in Q1 2026 but haven't ordered at all in Q3 2026?",
        "SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id "
        "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31') AND NOT EXISTS (SELECT 1 FROM orders o "
        "WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30')")


def test_no_order_in_the_earlier_period_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which customers haven't ordered in Q1 but ordered in Q3?", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("how many orders did we get in 2025 (cancelled/returned orders don't count)?",
     f"SELECT COUNT(*) FROM orders o WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("number of web orders in Q2 2026, pending orders do not count",
     "SELECT COUNT(*) FROM orders o WHERE o.status <> 'pending' AND o.channel = 'web' "
     "AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
])
def test_orders_that_do_not_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)
