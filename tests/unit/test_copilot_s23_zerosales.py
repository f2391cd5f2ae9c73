"""s23-zerosales: things with no rows on the other side of a join. When the question is about the things
themselves (products, customers, and their brands or categories; the layer's ``zero_when_none`` entities)
and ranks them from the bottom by a figure added up from other rows (units sold, revenue, orders: a sum or a
count), or holds that figure to a bound that 0 meets ("fewer than 80 units", "less than 100 EUR", "at most
one order"), every thing counts, one with none of those rows in the period as 0: the other rows are joined
outer, their conditions (the glossary's sales, the period, a channel) filter the figure, and the figure is
COALESCEd to 0. A question about the sales rows themselves (by month, channel), an average (a thing with no
orders has no average) or a bound 0 does not meet keeps the inner join. A condition on stock beside one on
units sold is tested on the stock shown per product (was a Binder Error). A speed word said of a sales
figure ("the 5 slowest products by units sold") is how fast they sell, slow the fewest first (was ranked by
units, most first, beside a delivery time), and so is a bare speed word after a ranking by a sales figure
("and the 3 slowest?"). The demo lake (as of 2026-11-01) has five products with no sale
in October 2026, customers with no order in a month, and a brand with no Garden sale in the week of 19-25
October, so every row below but the last four (where the inner join stays) fails on an inner join."""

from __future__ import annotations

import pytest

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

OCTOBER = "o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
WEEK = "o.order_date BETWEEN DATE '2026-10-19' AND DATE '2026-10-25'"
Q3 = "o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"
STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY 1)"


def sold(measure: str, period: str, name: str = "x") -> str:
    """Each product's figure over its sales in the period (products with none are absent: joined outer)."""
    return (f"(SELECT oi.product_id, {measure} AS {name} FROM order_items oi JOIN orders o USING (order_id) "
            f"WHERE {VALID_ORDER} AND {period} GROUP BY 1)")


def spent(period: str) -> str:
    return f"(SELECT customer_id, SUM(total_amount) AS x FROM orders o WHERE {VALID_ORDER} AND {period} GROUP BY 1)"


REVENUE = "SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100))"


@pytest.mark.parametrize("question, gold", [
    # ranked from the bottom: the unsold ones first, at 0
    ("the five products with the fewest units sold in October 2026",
     f"SELECT p.name, COALESCE(u.x, 0) FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u "
     "USING (product_id) ORDER BY 2, 1 LIMIT 5"),
    # a speed said of a sales figure ("slowest ... by units sold") is how fast they sell: fewest first
    ("the 3 slowest Plumbing products by units sold in October 2026",
     f"SELECT p.name FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE p.category = 'Plumbing' ORDER BY COALESCE(u.x, 0), p.name LIMIT 3"),
    ("lowest-earning Lighting item last month",
     f"SELECT p.name FROM products p LEFT JOIN {sold(REVENUE, OCTOBER)} r USING (product_id) "
     "WHERE p.category = 'Lighting' ORDER BY COALESCE(r.x, 0), p.name LIMIT 1"),
    ("which brand sold the fewest Garden units last week",
     f"SELECT p.brand FROM products p LEFT JOIN {sold('SUM(oi.quantity)', WEEK)} u "
     "USING (product_id) WHERE p.category = 'Garden' GROUP BY 1 ORDER BY SUM(COALESCE(u.x, 0)), 1 LIMIT 1"),
    # held to a bound 0 meets: the ones with no sales are in
    ("Electrical products that sold under 2 units in October 2026",
     f"SELECT p.name, COALESCE(u.x, 0) FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u "
     "USING (product_id) WHERE p.category = 'Electrical' AND COALESCE(u.x, 0) < 2"),
    ("how many products sold fewer than 5 units last month?",
     f"SELECT COUNT(*) FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE COALESCE(u.x, 0) < 5"),
    ("business customers in Helsinki who spent less than 500 EUR in October 2026",
     f"SELECT c.name, COALESCE(s.x, 0) FROM customers c LEFT JOIN {spent(OCTOBER)} s USING (customer_id) "
     "WHERE c.segment = 'business' AND c.city = 'Helsinki' AND COALESCE(s.x, 0) < 500"),
    ("Tampere customers who placed at most one order in Q3 2026",
     "SELECT c.name FROM customers c LEFT JOIN (SELECT customer_id, COUNT(*) AS n FROM orders WHERE order_date "
     "BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' GROUP BY 1) o USING (customer_id) "
     "WHERE c.city = 'Tampere' AND COALESCE(o.n, 0) <= 1"),
    # stock beside units sold: each on its own rows, the unsold at 0
    ("products with more than 600 units in stock that sold fewer than 40 units last quarter",
     f"SELECT p.name, s.stock, COALESCE(u.x, 0) FROM products p JOIN {STOCK} s USING (product_id) LEFT JOIN "
     f"{sold('SUM(oi.quantity)', Q3)} u "
     "USING (product_id) WHERE s.stock > 600 AND COALESCE(u.x, 0) < 40"),
    # not about the things: the sales rows (a month), an average, a bound 0 does not meet
    # (and a condition on one stock record beside units sold keeps the inner join: never a filter on the sales)
    ("Heating products with more than 300 on hand that sold fewer than 5 units last month",
     f"SELECT p.name, i.quantity_on_hand FROM products p JOIN inventory i USING (product_id) JOIN "
     f"{sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) WHERE p.category = 'Heating' "
     "AND i.quantity_on_hand > 300 AND u.x < 5"),
    ("which month of 2026 had the lowest revenue",
     f"SELECT date_trunc('month', o.order_date) FROM orders o WHERE {VALID_ORDER} AND o.order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY SUM(o.total_amount) LIMIT 1"),
    ("customers with the lowest average order value in October 2026",
     f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} AND {OCTOBER} "
     "GROUP BY c.customer_id, c.name ORDER BY AVG(o.total_amount), c.customer_id LIMIT 10"),
    ("Plumbing products that sold more than 10 units in October 2026",
     f"SELECT p.name FROM products p JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE p.category = 'Plumbing' AND u.x > 10"),
])
def test_things_without_sales_count_as_zero(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, said", [
    ("which 3 customers spent the least in October 2026?", True),
    ("Garden products that sold under 10 units last month", True),
    ("which month of 2026 had the lowest revenue", False),
    ("top 5 products by revenue last month", False),
    ("products with more than 300 on hand that sold fewer than 5 units last month", False),
])
def test_answer_says_the_ones_with_none_count_as_zero(parser, question, said):
    assert ("counted, one with none as 0" in parser.parse(question, COPILOT_AS_OF).interpretation) is said


@pytest.mark.parametrize("context, question, gold", [
    # a bare speed word after a ranking by a sales figure: that figure, slow the fewest first (was a delivery time)
    (["top 10 Plumbing products by units sold in October 2026"], "and the 3 slowest?",
     f"SELECT p.name FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE p.category = 'Plumbing' ORDER BY COALESCE(u.x, 0), p.name LIMIT 3"),
])
def test_slowest_after_a_sales_ranking(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)
