"""s23-analyst2: analysts' questions with two periods or mixed figures. "How many customers ordered in P1 but
not / nothing / have not placed any order in P2" counts the lapsed customers (an order of any status in the
earlier period, none in the later), as the list of them already was; "not placed any order(s)" is "never
ordered"; a list of products with a condition on their stock beside a condition on their sales (units sold in
a period) compares the stock per product (the inventory summed for each product), never a grouped sum over
the order lines (which has no inventory rows: it did not compile), and shows both figures; there "fewer than
N sold" is refused (the order lines joined would miss the products that sold none); growth "in absolute
euros / in absolute terms", "by how many euros" or with "(later period minus earlier period)" is the
difference of the two periods' figures (ranked by it), not the percent; "across" opening the question right
before the rows it is about ("Across order lines with a discount, what is ...") is over those rows; a bound
said last after "with" ("orders per customer, only those with 8 or more"), with nothing after it, is a condition
on the one figure asked per group; "For customers in X, the number of orders each placed" is per customer
("each" before the verb is each of the other things named before)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY 1)"
LAPSED = ("SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE order_date BETWEEN DATE '{a}-01-01' AND "
          "DATE '{a}-12-31' EXCEPT SELECT customer_id FROM orders WHERE order_date BETWEEN DATE '{b}-01-01' "
          "AND DATE '{b}-12-31')")


@pytest.mark.parametrize("question, gold", [
    ("how many customers bought from us in 2024 but not in 2025?", LAPSED.format(a=2024, b=2025)),
    ("Number of customers that ordered during 2025 but have not placed any orders during 2026",
     LAPSED.format(a=2025, b=2026)),
    ("how many customers haven't ordered in 2025 but did order in 2024", LAPSED.format(a=2024, b=2025)),
    # stock and sales conditions side by side: the stock per product
    ("list the products with over 600 units on hand and over 60 units sold in Q3 2026",
     f"SELECT p.name, s.stock, SUM(oi.quantity) FROM products p JOIN {STOCK} s USING (product_id) "
     f"JOIN order_items oi USING (product_id) JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' AND s.stock > 600 "
     "GROUP BY p.product_id, p.name, s.stock HAVING SUM(oi.quantity) > 60"),
    # growth as a difference
    ("by how many euros did revenue change from Q2 2025 to Q2 2026?",
     f"SELECT SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') - "
     f"SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2025-04-01' AND DATE '2025-06-30') FROM orders o "
     f"WHERE {VALID_ORDER}"),
    ("which brand's revenue increased the most in absolute terms from 2024 to 2025?",
     f"SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE "
     f"o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31') - SUM(oi.quantity * oi.unit_price * "
     f"(1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31') "
     f"AS g FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     "GROUP BY 1 ORDER BY g DESC LIMIT 1"),
    ("revenue change from March 2026 to April 2026 (April 2026 minus March 2026)",
     f"SELECT SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-04-30') - "
     f"SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31') FROM orders o "
     f"WHERE {VALID_ORDER}"),
    # "across" opening the question before the rows: over those rows
    ("Across orders from 2025 that were delivered, what is the average order value?",
     "SELECT AVG(total_amount) FROM orders WHERE status = 'delivered' "
     "AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # a bound said last, after "with", of the one figure asked per group
    ("number of orders per customer from Oslo in 2025, just the ones with 5 or more",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, c.name "
     "HAVING COUNT(*) >= 5"),
    ("units sold per category in 2025, only those with more than 400",
     f"SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY 1 HAVING SUM(oi.quantity) > 400"),
    # "each" before the verb: each of the other things named before
    ("for consumer customers in Espoo, give the number of orders each placed during 2025",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.segment = 'consumer' "
     "AND c.city = 'Espoo' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY c.customer_id, c.name"),
])
def test_analyst2_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    # two periods with no lapse between them stay refused
    "how many customers ordered in 2025 and in 2026",
    # overlapping periods: no earlier and later one
    "how many customers ordered in 2025 but not in October 2025",
    # "in absolute terms" with no growth asked, and "minus" of periods other than the two compared
    "revenue in absolute terms in 2025",
    "revenue change from 2024 to 2025 (2024 minus 2025)",
])
def test_two_periods_without_a_lapse_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_fewer_sold_beside_a_stock_condition_counts_the_products_that_sold_none(parser, engine):
    # the sales rows are joined outer, so a product with no sale in the period is one that sold 0 (< 60)
    gold = ("WITH s AS (SELECT product_id, SUM(quantity_on_hand) st FROM inventory GROUP BY 1), "
            "u AS (SELECT oi.product_id, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) "
            "WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2026-07-01' "
            "AND DATE '2026-09-30' GROUP BY 1) "
            "SELECT p.name FROM products p JOIN s USING (product_id) LEFT JOIN u USING (product_id) "
            "WHERE s.st > 600 AND COALESCE(u.q, 0) < 60")
    assert_answers_like(parser, engine, "products with more than 600 units on hand but under 60 units sold in Q3 2026",
                        gold)
