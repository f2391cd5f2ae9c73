"""Sales, customers and stock round 5: strict "below" the reorder level, the sales filter that selling
puts on line figures, the date a list is filtered on, and stock shown per product beside sales figures
(never multiplied by the order lines a join would pair it with)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotFound, NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

AS_OF = COPILOT_AS_OF
VALID = VALID_ORDER
STOCK = ("(SELECT p.product_id, p.name, p.category, p.brand, p.active, SUM(i.quantity_on_hand) AS stock, "
         "SUM(i.reorder_level) AS reorder FROM products p JOIN inventory i USING (product_id) GROUP BY ALL)")
LINE_REVENUE = "SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100))"


@pytest.mark.parametrize("question, gold", [
    # "below" the reorder level is strictly below; "at or below" and "low stock" include the level
    ("how many products are under their reorder level in each warehouse",
     "SELECT warehouse, COUNT(*) FROM inventory WHERE quantity_on_hand < reorder_level GROUP BY 1"),
    ("number of products at or below their reorder level per warehouse",
     "SELECT warehouse, COUNT(*) FROM inventory WHERE quantity_on_hand <= reorder_level GROUP BY 1"),
    ("products below their reorder point", f"SELECT name FROM {STOCK} WHERE stock < reorder"),
    ("how many low stock products", f"SELECT COUNT(*) FROM {STOCK} WHERE stock <= reorder"),
    # selling names the glossary's sales: line figures of sold lines leave cancelled and returned orders out
    ("average discount of sold lines by brand",
     "SELECT p.brand, AVG(oi.discount_percent) FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} GROUP BY 1"),
    ("average discount by brand",
     "SELECT p.brand, AVG(oi.discount_percent) FROM order_items oi JOIN products p USING (product_id) GROUP BY 1"),
    # a list filtered on one of its own dates shows that date
    ("which customers signed up between 2025-02-01 and 2025-03-15",
     "SELECT name, signup_date FROM customers WHERE signup_date BETWEEN DATE '2025-02-01' AND DATE '2025-03-15'"),
    # stock beside sales figures: one figure per product, shown with the condition it is about
    ("low-stock products that sold more than 150 units in 2026",
     f"SELECT name, stock FROM {STOCK} WHERE stock <= reorder AND name IN (SELECT p.name FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND year(o.order_date) = 2026 "
     "GROUP BY p.product_id, p.name HAVING SUM(oi.quantity) > 150)"),
    ("the 3 low stock products with the highest revenue in 2025",
     f"SELECT s.name, s.stock, {LINE_REVENUE} FROM {STOCK} s JOIN order_items oi USING (product_id) "
     f"JOIN orders o USING (order_id) WHERE s.stock <= s.reorder AND {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY s.product_id, s.name, s.stock ORDER BY 3 DESC LIMIT 3"),
    # "the split of X between A and B": one row per value named, grouped by their dimension
    ("how is 2025 revenue split between web and store",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.channel IN ('web', 'store') "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
    ("breakdown of units sold between Kitchen, Garden and Tools",
     "SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category IN ('Kitchen', 'Garden', 'Tools') GROUP BY 1"),
    # "per ordering customer": the average over the customers with orders in the period
    ("mean number of orders per buying customer in 2026",
     "SELECT COUNT(*) * 1.0 / COUNT(DISTINCT customer_id) FROM orders WHERE year(order_date) = 2026"),
    # lapsed customers: none in the period, some before it
    ("how many customers have not ordered since 1 July 2026 but did order before",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING MAX(order_date) < DATE '2026-07-01')"),
    # where a named customer lives, and a pronoun for that customer
    ("where does Oskar Tamm live, and what country is she in",
     "SELECT city, country FROM customers WHERE name = 'Oskar Tamm'"),
    ("customers living in Turku", "SELECT name FROM customers WHERE city = 'Turku'"),
    # a dash between months is a range ("Feb–Apr")
    ("revenue growth Feb–Apr 2026 vs Feb–Apr 2025 in percent",
     f"SELECT 100.0 * (SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-02-01' AND DATE '2026-04-30') "
     "/ SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2025-02-01' AND DATE '2025-04-30') - 1) "
     f"FROM orders o WHERE {VALID}"),
    # a share of a product-side part: the whole is the product lines' revenue too
    ("what percent of 2025 product revenue was Garden",
     f"SELECT 100.0 * SUM({LINE_REVENUE[4:-1]}) FILTER (WHERE p.category = 'Garden') / SUM({LINE_REVENUE[4:-1]}) "
     f"FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025"),
    # "with stock" before a comparator is the stock compared, not "in stock"
    ("products with stock under 3 times their reorder level", f"SELECT name FROM {STOCK} WHERE stock < 3 * reorder"),
    ("products with stock below 40", f"SELECT name, stock FROM {STOCK} WHERE stock < 40"),
    ("Bosch products with stock over 700 units", f"SELECT name, stock FROM {STOCK} WHERE brand = 'Bosch' AND stock > 700"),
    # the measure's own noun before it ("the total value of our stock") is not the order amount
    ("what is the total value of our stock at cost in Kuopio",
     "SELECT SUM(i.quantity_on_hand * p.unit_cost) FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Kuopio'"),
    # "that still have stock on hand": the in-stock condition on the products listed, not a total
    ("Garden products that still have stock on hand", f"SELECT name FROM {STOCK} WHERE category = 'Garden' AND stock > 0"),
    # bought together with a category's or a brand's lines; "other category" leaves the anchor out
    ("which 2 categories are most often bought together with Garden",
     "SELECT p2.category, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 USING (product_id) "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id WHERE p1.category = 'Garden' "
     "AND p2.category <> 'Garden' GROUP BY 1 ORDER BY 2 DESC LIMIT 2"),
    ("what other brand do people put in the same order as Makita products",
     "SELECT p2.brand, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 USING (product_id) "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id WHERE p1.brand = 'Makita' "
     "AND p2.brand <> 'Makita' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    # "with quantities" beside a stock condition: the quantity on hand
    ("the low stock Kitchen products, list them with quantities",
     f"SELECT name, stock FROM {STOCK} WHERE category = 'Kitchen' AND stock <= reorder"),
])
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, missing", [
    # a name where the question's shape says what it is, and the lake has none of that name
    ("units sold of Zorbex products in 2025", "brand named 'Zorbex'"),
    ("how much did Maija Meikäläinen spend last year", "customer named Maija Meikäläinen"),
    ("how many Makita Teapot units do we have", "product named 'Makita Teapot'"),
    # a code whose prefix names a field ("SKU-...") is a value of that field, not free text: not found
    ("price and stock of SKU-777777", "SKU-777777"),
    ("show SKU-000000 with its stock", "SKU-000000"),
    ("stock level in the Bergen warehouse", "warehouse named 'Bergen'"),
    ("What's the stock in our Narvik warehouse?", "warehouse named 'Narvik'"),
])
def test_a_name_the_lake_does_not_hold_is_not_found(parser, question, missing):
    with pytest.raises(NotFound, match=missing):
        parser.parse(question, AS_OF)


@pytest.mark.parametrize("question", [
    "stock in the Drammen warehouse",
    "revenue of Bosch products in 2025",
    "How much has the Kitchen category sold this year",
])
def test_a_name_the_lake_holds_is_answered(parser, engine, question):
    assert answer(parser, engine, question)


def test_a_different_stock_condition_per_warehouse_is_refused(parser):
    # one set of warehouses for every condition would test both on the two together (always empty)
    with pytest.raises(NotUnderstood, match="different condition on each warehouse"):
        parser.parse("products out of stock in Drammen but with more than 40 units in Jonkoping", AS_OF)
