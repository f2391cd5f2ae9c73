"""Follow-ups, tuning round: a new grouping replaces the previous one unless the follow-up says it adds
("too", "split that by ..."), and the other follow-up phenomena of this round, each checked against
gold SQL on the demo lake."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

YTD = "o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"


@pytest.mark.parametrize("context, question, gold", [
    # a time grain named alone replaces the previous groups
    (["number of orders per channel this year"], "now by month",
     f"SELECT date_trunc('month', o.order_date), COUNT(*) FROM orders o WHERE {YTD} GROUP BY 1"),
    (["revenue per country in 2025"], "by quarter instead",
     "SELECT quarter(o.order_date), SUM(o.total_amount) FROM orders o WHERE o.status NOT IN ('cancelled', "
     "'returned') AND year(o.order_date) = 2025 GROUP BY 1"),
    # a dimension named alone replaces a previous time grain too
    (["revenue by month in 2025"], "by channel instead",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND year(o.order_date) = 2025 "
     "GROUP BY 1"),
    # "too", "also", "split that by": the new grouping beside the previous one
    (["orders per status"], "split that by channel too",
     "SELECT o.status, o.channel, COUNT(*) FROM orders o GROUP BY 1, 2"),
    (["orders per channel in 2025"], "and by status as well",
     "SELECT o.channel, o.status, COUNT(*) FROM orders o WHERE year(o.order_date) = 2025 GROUP BY 1, 2"),
    (["open orders per channel"], "split that by segment",
     "SELECT o.channel, c.segment, COUNT(*) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status IN ('pending', 'paid') GROUP BY 1, 2"),
])
def test_follow_up_grouping(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, gold", [
    # "without the X ones": X left out where the previous question kept every value of its field, or several
    (["number of orders in September 2026"], "without the cancelled ones",
     "SELECT COUNT(*) FROM orders o WHERE o.status <> 'cancelled' AND o.order_date BETWEEN DATE '2026-09-01' "
     "AND DATE '2026-09-30'"),
    (["open orders in 2025"], "without the paid ones",
     "SELECT o.order_id FROM orders o WHERE o.status = 'pending' AND year(o.order_date) = 2025"),
    (["number of web orders in 2025"], "drop the web filter",  # the one value filtered on: the filter goes
     "SELECT COUNT(*) FROM orders o WHERE year(o.order_date) = 2025"),
    # "when did they last order?" after one customer: their one latest order
    (["show customer 15"], "when did they last order?",
     "SELECT MAX(o.order_date) FROM orders o WHERE o.customer_id = 15"),
    # "<entity> count" names a count of that entity
    (["average order value per channel in 2025"], "what about order count",
     "SELECT o.channel, COUNT(*) FROM orders o WHERE year(o.order_date) = 2025 GROUP BY 1"),
    # other values of a compared dimension: still compared side by side
    (["revenue Finland vs Sweden in 2025"], "what about Norway and Denmark instead?",
     f"SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND year(o.order_date) = 2025 AND c.country IN ('NO', 'DK') GROUP BY 1"),
])
def test_follow_up_filters_counts_and_one_latest(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


TOP10_CUSTOMERS_2025 = (
    f"SELECT c.customer_id, c.name, c.segment, c.country, SUM(o.total_amount) AS m FROM orders o JOIN customers c "
    f"USING (customer_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1, 2, 3, 4 ORDER BY m DESC LIMIT 10")
TOP5_CATEGORIES_2025 = (
    f"SELECT p.category, SUM(i.quantity) AS u FROM orders o JOIN order_items i USING (order_id) JOIN products p "
    f"USING (product_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY u DESC LIMIT 5")


@pytest.mark.parametrize("context, question, gold", [
    # a condition within the previous top N keeps some of those N (never a new top N of the ones meeting it)
    (["top 10 customers by revenue in 2025"], "which of them are business customers?",
     f"SELECT name FROM ({TOP10_CUSTOMERS_2025}) WHERE segment = 'business'"),
    (["top 10 customers by revenue in 2025", "which of them are business customers?"],
     "and which of those are in Finland?",
     f"SELECT name FROM ({TOP10_CUSTOMERS_2025}) WHERE segment = 'business' AND country = 'FI'"),
    (["top 5 categories by units sold in 2025"], "which of those sold under 900 units?",
     f"SELECT category FROM ({TOP5_CATEGORIES_2025}) WHERE u < 900"),
    (["top 10 products by revenue"], "which ones are low on stock?",
     f"WITH t AS (SELECT p.product_id, p.name, SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) AS m "
     f"FROM orders o JOIN order_items i USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     "GROUP BY 1, 2 ORDER BY m DESC LIMIT 10), s AS (SELECT product_id, SUM(quantity_on_hand) AS q, "
     "SUM(reorder_level) AS r FROM inventory GROUP BY 1) SELECT name FROM t JOIN s USING (product_id) WHERE q <= r"),
    # a count within the one top carrier: its late shipments
    (["top carrier by number of shipments in 2025"], "how many of those were late?",
     "WITH top AS (SELECT carrier, COUNT(*) AS n FROM shipments WHERE year(shipped_at) = 2025 GROUP BY 1 "
     "ORDER BY n DESC, carrier LIMIT 1) SELECT COUNT(*) FROM shipments WHERE carrier IN (SELECT carrier FROM top) "
     "AND year(shipped_at) = 2025 AND delivered_at > shipped_at + INTERVAL 3 DAY"),
])
def test_a_condition_within_the_previous_top(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_a_condition_within_a_top_of_another_shape_is_refused(parser):
    from commerce_platform.errors import NotUnderstood

    form = parser.parse("top 3 categories by revenue in each country in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="within the previous top"):
        parser.parse("which of those are Tools?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "as a share of <condition> <things>": the condition is the whole; the previous condition is the share's
    (["late shipments in 2025"], "now as a share of shipments to Finland",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.country = 'FI' AND s.delivered_at IS NOT NULL AND year(s.shipped_at) = 2025"),
    (["open orders per channel in 2025"], "show that as a share of web orders instead",
     "SELECT 'web', 1.0 * COUNT(*) FILTER (WHERE status IN ('pending', 'paid')) / COUNT(*) FROM orders "
     "WHERE channel = 'web' AND year(order_date) = 2025"),
])
def test_a_share_of_named_things(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, gold", [
    # a share asked again on another scale: the same share
    (["share of orders cancelled in 2025"], "give it as a percentage",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE status = 'cancelled') / COUNT(*) FROM orders WHERE year(order_date) = 2025"),
    # "the most recent one" after a count: the counted things ranked on their own date
    (["how many orders did customer 15 place?"], "what's the most recent one?",
     "SELECT MAX(order_date) FROM orders WHERE customer_id = 15"),
    (["how many orders were cancelled in 2025"], "and the 3 biggest ones?",
     "SELECT total_amount FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025 "
     "ORDER BY total_amount DESC LIMIT 3"),
    # what listed orders are worth, and what one order's lines came to
    (["store orders still pending"], "what are they worth in total?",
     "SELECT SUM(total_amount) FROM orders WHERE channel = 'store' AND status = 'pending'"),
    (["what was in order 1200?"], "what did that come to in total?",
     "SELECT total_amount FROM orders WHERE order_id = 1200"),
])
def test_a_share_rescaled_a_count_ranked_and_a_list_totalled(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_a_list_with_no_worth_is_not_totalled(parser):
    from commerce_platform.errors import NotUnderstood

    form = parser.parse("products in the Garden category", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="worth"):
        parser.parse("what are they worth in total?", COPILOT_AS_OF, form)


TOP_BRAND_2025 = (
    f"SELECT p.brand FROM orders o JOIN order_items i USING (order_id) JOIN products p USING (product_id) "
    f"WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 "
    "ORDER BY SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) DESC LIMIT 1")


@pytest.mark.parametrize("context, question, gold", [
    # "by order count" ranks as "by number of orders"
    (["top 5 customers by order count"], "which of them are from Sweden?",
     "SELECT name FROM (SELECT c.name, c.country, COUNT(*) AS n FROM orders o JOIN customers c USING (customer_id) "
     "GROUP BY c.customer_id, 1, 2 ORDER BY n DESC, 1 LIMIT 5) WHERE country = 'SE'"),
    # another dimension's best within the one top thing, on the same figure
    (["which brand had the highest revenue in 2025?"], "what's its best product?",
     f"SELECT p.name, SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) AS r FROM orders o "
     f"JOIN order_items i USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     f"AND year(o.order_date) = 2025 AND p.brand = ({TOP_BRAND_2025}) GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    (["which brand had the highest revenue in 2025?"], "and its 3 best selling products?",
     f"SELECT p.name, SUM(i.quantity) AS u FROM orders o JOIN order_items i USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 AND p.brand = ({TOP_BRAND_2025}) "
     "GROUP BY 1 ORDER BY u DESC LIMIT 3"),
])
def test_within_the_top_one(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_where_the_one_top_product_is_stocked(parser, engine):
    gold = (f"WITH top AS (SELECT i.product_id FROM orders o JOIN order_items i USING (order_id) WHERE {VALID_ORDER} "
            "AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY SUM(i.quantity) DESC LIMIT 1) "
            "SELECT warehouse, quantity_on_hand FROM inventory WHERE product_id IN (SELECT product_id FROM top) "
            "AND quantity_on_hand > 0")
    rows = answer(parser, engine, "where is it now?", ["what was our best selling product by units in 2025"])
    assert rows and results_match(engine.execute(gold).rows, rows)


@pytest.mark.parametrize("question, gold", [
    # a year after "the most in" is a period (a number right after "most" is still a count)
    ("which customer spent the most in 2025?",
     f"SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND year(o.order_date) = 2025 GROUP BY c.customer_id, 1 ORDER BY SUM(o.total_amount) DESC LIMIT 1"),
])
def test_a_year_after_the_most_in(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", ["Which physical store sold the most last year?", "which web sold the most in 2025?"])
def test_which_value_ranked_is_refused_naming_it(parser, question):
    from commerce_platform.errors import NotUnderstood

    with pytest.raises(NotUnderstood, match="is a channel"):
        parser.parse(question, COPILOT_AS_OF)
