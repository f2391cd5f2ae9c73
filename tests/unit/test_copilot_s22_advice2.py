"""s22 advice2: a product's margin in euros per unit (list price minus unit cost), an amount "per unit" beside a
per-unit figure, a money bound on a margin read as euros (never as a fraction), and "sales minus cost" as gross
profit."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, gold", [
    ("which active products make us less than 2 euros per unit (list price minus cost)?",
     "SELECT name FROM products WHERE active AND unit_price - unit_cost < 2"),
    ("products with a margin below 2 euros",
     "SELECT name FROM products WHERE unit_price - unit_cost < 2"),
    ("which products have a unit margin of more than 100 euros?",
     "SELECT name FROM products WHERE unit_price - unit_cost > 100"),
    ("which product has the highest margin per unit?",
     "SELECT name FROM products ORDER BY unit_price - unit_cost DESC, name LIMIT 1"),
    ("top 3 active products with the highest margin in euros",
     "SELECT name FROM products WHERE active ORDER BY unit_price - unit_cost DESC, name LIMIT 3"),
    ("which product has the lowest margin per unit?",
     "SELECT name FROM products ORDER BY unit_price - unit_cost, name LIMIT 1"),
    ("which products cost more than 300 euros per unit?",
     "SELECT name FROM products WHERE unit_price > 300"),
    ("products with a margin below 20%",
     "SELECT name FROM products WHERE (unit_price - unit_cost) / unit_price < 0.2"),
    ("Which 3 products earned the most gross profit last year (sales minus cost)?",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100) - oi.quantity * p.unit_cost) g "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY p.name ORDER BY g DESC LIMIT 3"),
])
def test_margins_in_euros_per_unit(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "customers who spent more than 300 euros per unit",  # 'per unit' beside a total is not placed
])
def test_per_unit_beside_a_total_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


LAST_SALE = (f"SELECT p.name, MAX(o.order_date) d FROM products p JOIN order_items oi USING (product_id) "
             f"JOIN orders o ON o.order_id = oi.order_id WHERE {VALID_ORDER} GROUP BY p.name")


@pytest.mark.parametrize("question, gold", [
    ("last sale date by product", LAST_SALE),
    ("which product has gone longest without a sale?", f"SELECT name FROM ({LAST_SALE}) ORDER BY d, name LIMIT 1"),
    ("which 5 products have gone the longest without selling?",
     f"SELECT name FROM ({LAST_SALE}) ORDER BY d, name LIMIT 5"),
    ("which product has the oldest last sale date?", f"SELECT name FROM ({LAST_SALE}) ORDER BY d, name LIMIT 1"),
    ("last sale date of each brand",
     f"SELECT p.brand, MAX(o.order_date) FROM products p JOIN order_items oi USING (product_id) "
     f"JOIN orders o ON o.order_id = oi.order_id WHERE {VALID_ORDER} GROUP BY p.brand"),
])
def test_a_products_last_sale_date(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "slow products",  # slow selling or late delivery: was the products of late parcels
    "for the slow stuff: which product sold the most units?",
])
def test_slow_said_of_products_with_no_parcel_named_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_slow_shipments_of_products_are_still_late_ones(parser, engine):
    gold = ("SELECT DISTINCT p.name FROM products p JOIN order_items oi USING (product_id) JOIN orders o "
            "ON o.order_id = oi.order_id JOIN shipments s ON s.order_id = o.order_id "
            "WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, "products in slow shipments"))


def test_dead_stock_names_a_list_of_stocked_products_not_sold_in_the_period(parser, engine):
    gold = ("SELECT p.name FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) s FROM inventory "
            "GROUP BY 1) i USING (product_id) WHERE i.s > 0 AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders o "
            f"USING (order_id) WHERE oi.product_id = p.product_id AND {VALID_ORDER} "
            "AND o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31')")
    question = "Dead stock check: anything with stock on hand that hasn't sold a single unit in the last 30 days?"
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question))


@pytest.mark.parametrize("question", ["how much dead stock do we have?", "dead stock by warehouse"])
def test_dead_stock_with_no_conditions_stated_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def _transfer_gold(product: str, receiver: str) -> str:
    return ("SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) "
            f"WHERE p.name = '{product}' AND i.warehouse <> '{receiver}' "
            "ORDER BY i.quantity_on_hand - i.reorder_level DESC, i.warehouse LIMIT 1")


@pytest.mark.parametrize("question, product, receiver", [
    ("Vantaa is almost out of the Makita Copper Pipe. Which warehouse should we transfer some from — the one with "
     "the most spare stock above its reorder level?", "Makita Copper Pipe", "Vantaa"),
    ("Vantaa is running low on the Makita Copper Pipe. Which warehouse has the biggest surplus over reorder level "
     "to transfer from?", "Makita Copper Pipe", "Vantaa"),
])
def test_a_warehouse_named_beside_a_transfer_source_is_where_the_stock_goes(parser, engine, question, product,
                                                                             receiver):
    assert results_match(engine.execute(_transfer_gold(product, receiver)).rows, answer(parser, engine, question))


def test_spare_stock_is_the_surplus_over_reorder_level(parser, engine):
    gold = ("SELECT warehouse FROM inventory GROUP BY 1 "
            "ORDER BY SUM(quantity_on_hand) - SUM(reorder_level) DESC, warehouse LIMIT 1")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, "which warehouse has the most spare stock?"))


CUSTOMER_REVENUE = (f"SELECT c.name, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) "
                    f"WHERE {VALID_ORDER} GROUP BY c.name, c.customer_id")


@pytest.mark.parametrize("question, gold", [
    ("who is our most valuable customer?", f"SELECT name FROM ({CUSTOMER_REVENUE}) ORDER BY r DESC LIMIT 1"),
    ("who's our single most valuable customer ever, by revenue?",
     f"SELECT name FROM ({CUSTOMER_REVENUE}) ORDER BY r DESC LIMIT 1"),
    ("who is our most valuable customer by number of orders?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) GROUP BY c.name, c.customer_id "
     "ORDER BY COUNT(*) DESC, c.name LIMIT 1"),
    ("who are the top spenders by number of orders?",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) GROUP BY c.name, c.customer_id "
     "ORDER BY COUNT(*) DESC, c.name LIMIT 10"),
    ("For Finland, which carrier is slowest on average door to door?",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.country = 'FI' AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(date_diff('second', s.shipped_at, s.delivered_at)) DESC LIMIT 1"),
])
def test_most_valuable_is_by_revenue_unless_another_key_is_named(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("Which city except Oslo has the most revenue?",
     f"SELECT c.city FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND c.city <> 'Oslo' "
     "GROUP BY 1 ORDER BY SUM(o.total_amount) DESC LIMIT 1"),
    ("which warehouse other than Vantaa has the most stock?",
     "SELECT warehouse FROM inventory WHERE warehouse <> 'Vantaa' GROUP BY 1 ORDER BY SUM(quantity_on_hand) DESC "
     "LIMIT 1"),
    ("which categories other than Tools sold more than 1000 units?",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category <> 'Tools' GROUP BY 1 HAVING SUM(oi.quantity) > 1000"),
    ("revenue of categories other than Tools",
     f"SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND p.category <> 'Tools'"),
])
def test_which_thing_other_than_a_value_still_asks_for_those_things(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question
