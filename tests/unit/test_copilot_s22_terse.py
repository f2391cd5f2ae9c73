"""Stop 22, terse questions (blind dev13): short forms written out ("qtr", "wh", "w/"), what a product is
without its brand ("cordless drills": every such product), a bare "orders <period>" counted, the things
named first listed with the figure after them, "who" asking for the people, a period timing the figure
shown beside a list, "who are the customers?" after a count, and a brand with an unknown product name
not found."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotFound, NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, same_as", [
    ("paint stock by wh", "paint stock by warehouse"),
    ("orders by status this yr", "orders by status this year"),
    ("vantaa items below reorder lvl", "vantaa items below reorder level"),
    ("how many business custs", "how many business customers"),
    ("low stock items w/ qty", "low stock items with quantity"),
    ("how many business csuts", "how many business customers"),   # a slip in a short form, mended then written out
])
def test_a_short_form_reads_as_the_word(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    # what a product is, whatever its brand or model number: every product whose name holds it
    ("sales of cordless drills this yr (all brands)",
     f"SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM order_items oi JOIN orders o "
     f"USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND p.name ILIKE '%cordless drill%' "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    ("how many orders had a heat pump in them last quarter",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     "USING (product_id) WHERE p.name ILIKE '%heat pump%' AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    # things of a period, with nothing but what they are: how many
    ("orders ytd", "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    ("b2b orders in septmber 2026",
     "SELECT COUNT(*) FROM orders WHERE channel = 'b2b' AND order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("new signups last qtr",
     "SELECT COUNT(*) FROM customers WHERE signup_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    # ... but a list when asked for one, or when the orders are a state to act on
    ("list the b2b orders in September 2026",
     "SELECT order_id FROM orders WHERE channel = 'b2b' AND order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("pending orders older than two weeks",
     "SELECT order_id FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-18'"),
    # the things named first, each with the figure after them
    ("inactive items + qty on hand",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
     "WHERE NOT p.active GROUP BY p.product_id, p.name"),
    ("products with under 50 units total on hand",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) < 50"),
    ("out of stock products that sold this year (units sold ytd)",
     f"SELECT p.name, SUM(oi.quantity) FROM products p JOIN order_items oi USING (product_id) JOIN orders o "
     f"USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' AND "
     "p.product_id IN (SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) = 0) "
     "GROUP BY p.product_id, p.name"),
    # ... and one figure when a total is asked
    ("total stock of inactive products",
     "SELECT SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) WHERE NOT p.active"),
    # "who" asks for the people who did it
    ("who returned stuff this year",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE o.status = 'returned' "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    # the period times the figure shown beside each customer, not their signup
    ("customers in oslo with their revenue in 2025",
     f"SELECT c.name, SUM(o.total_amount) FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Oslo' "
     f"AND {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name"),
])
def test_terse_questions_answer_like_their_gold_sql(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    # after a count of orders, their customers (was every customer of the lake: the count was not a list)
    (["how many pending orders in 2026"], "who are the customers?",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE o.status = 'pending' "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    (["b2b orders in September 2026"], "list them",
     "SELECT order_id FROM orders WHERE channel = 'b2b' AND order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
])
def test_a_count_of_things_stands_for_the_things_in_a_follow_up(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_a_count_read_from_a_bare_noun_says_how_to_list(parser):
    result = parser.parse("orders ytd", COPILOT_AS_OF)
    assert "counted, not listed" in result.interpretation


@pytest.mark.parametrize("question, name", [
    ("stock makita snow blower", "Makita Snow Blower"),
    ("how many Makita Snow Blowers do we have", "Makita Snow Blowers"),
])
def test_a_brand_with_words_that_name_no_product_is_not_found(parser, question, name):
    with pytest.raises(NotFound, match=name):
        parser.parse(question, COPILOT_AS_OF)


def test_more_unknown_words_than_a_name_stay_not_understood(parser):
    with pytest.raises(NotUnderstood, match="joke"):
        parser.parse("tell me a joke about Oras taps", COPILOT_AS_OF)


PURCHASED = ("SELECT o.customer_id FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
             "WHERE o.status NOT IN ('cancelled', 'returned') AND ")


@pytest.mark.parametrize("question, gold", [
    # bought one thing but never another: tested on each customer's purchases, both ways (was refused)
    ("how many customers bought Bosch but never Makita",
     f"SELECT COUNT(*) FROM ({PURCHASED} p.brand = 'Bosch' EXCEPT {PURCHASED} p.brand = 'Makita')"),
    ("which business customers buy Tools from us but have never bought anything in Garden?",
     f"SELECT c.name FROM customers c WHERE c.segment = 'business' AND c.customer_id IN ({PURCHASED} "
     f"p.category = 'Tools') AND c.customer_id NOT IN ({PURCHASED} p.category = 'Garden')"),
    ("customers who never bought Garden products",
     f"SELECT c.name FROM customers c WHERE c.customer_id NOT IN ({PURCHASED} p.category = 'Garden')"),
])
def test_bought_one_thing_but_never_another(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_bought_but_not_reads_as_never_bought(parser, engine):
    gold = f"SELECT COUNT(*) FROM ({PURCHASED} p.brand = 'Bosch' EXCEPT {PURCHASED} p.brand = 'Makita')"
    rows = answer(parser, engine, "customers who bought Bosch but not Makita")
    assert len(rows) == engine.execute(gold).rows[0][0]
