"""s22 analysts: a measure said as its own formula ("unit price times quantity on hand", "reorder level minus
quantity on hand", "line revenue minus quantity times unit cost") is that measure, and "defined as" its formula
after the measure was named restates it; the products "we still hold stock of" are those in stock;
"all three channels (web, store and b2b)" is every one listed; customers "only/exclusively through" a channel
have every order there."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.copilot.parser import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, same_as", [
    ("What is the retail value (unit price times quantity on hand) of all Tools stock?",
     "What is the retail value of all Tools stock?"),
    ("quantity on hand times unit price of Tools stock", "retail value of Tools stock"),
    ("gross profit in 2025, defined as line revenue minus quantity times unit cost", "gross profit in 2025"),
    ("What was the gross profit on Tools products in 2025, defined as line revenue minus quantity times the "
     "product's unit cost?", "What was the gross profit on Tools products in 2025?"),
    ("which warehouse has the largest quantity on hand minus reorder level", "which warehouse has the largest surplus"),
    ("reorder level minus quantity on hand by warehouse", "shortfall below reorder level by warehouse"),
    ("What was the average realised selling price per unit of Makita products in 2025 (line revenue divided by "
     "units sold)?", "What was the average selling price per unit of Makita products in 2025?"),
    ("revenue divided by units sold for Makita in 2025", "average selling price for Makita in 2025"),
    # a carrier picking a shipment up is its shipping
    ("how many shipments did each carrier pick up in October 2026",
     "how many shipments did each carrier ship in October 2026"),
])
def test_a_measure_said_as_its_formula_answers_like_its_name(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("gross profit of Tools products in 2025, defined as line revenue minus quantity times unit cost",
     "SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100) - oi.quantity * p.unit_cost) "
     "FROM order_items oi JOIN orders o ON oi.order_id = o.order_id JOIN products p ON oi.product_id = p.product_id "
     f"WHERE {VALID_ORDER} AND p.category = 'Tools' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("unit price times quantity on hand of Tools stock",
     "SELECT SUM(i.quantity_on_hand * p.unit_price) FROM inventory i JOIN products p ON i.product_id = p.product_id "
     "WHERE p.category = 'Tools'"),
])
def test_the_formula_is_computed_as_the_layer_defines_it(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    # "defined as" with no measure named before it restates nothing: still not placed
    "revenue in 2025 defined as the web channel",
])
def test_defined_as_without_the_same_measure_before_it_is_not_dropped(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    "discontinued stuff we still hold stock of - to clear out",
    "Which discontinued products are still holding stock?",
])
def test_things_we_still_hold_stock_of_are_the_products_in_stock(parser, engine, question):
    # "we still hold stock of": a condition on the products (stock > 0), listed; not one total of stock
    gold = ("SELECT p.name FROM products p JOIN inventory i ON i.product_id = p.product_id WHERE NOT p.active "
            "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0")
    got = answer(parser, engine, question)
    assert len(got) == len(engine.execute(gold).rows) > 1, question


@pytest.mark.parametrize("question, gold", [
    ("how many customers have bought through all three channels (web, store and b2b)?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE channel IN ('web', 'store', 'b2b') "
     "GROUP BY 1 HAVING COUNT(DISTINCT channel) = 3)"),
    ("how many customers have ordered through all two channels (web and store)?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE channel IN ('web', 'store') "
     "GROUP BY 1 HAVING COUNT(DISTINCT channel) = 2)"),
])
def test_all_n_things_listed_are_every_one_of_them(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_all_n_things_with_a_list_of_another_length_is_not_read_as_every_one(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("how many customers have bought through all two channels (web, store and b2b)?",
                     COPILOT_AS_OF, None)


@pytest.mark.parametrize("question, gold", [
    ("How many customers who have ordered have done so exclusively through the store channel?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING BOOL_AND(channel = 'store'))"),
    # "only through": every order of theirs, not one store order among others (was any store order: a silent wrong)
    ("How many customers have ordered only through the web channel?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING BOOL_AND(channel = 'web'))"),
    # "only" of the figure, not of customers: a plain filter
    ("revenue only through the web channel in 2025",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel = 'web' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_customers_only_through_a_channel_have_every_order_there(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question
