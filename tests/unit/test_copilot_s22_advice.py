"""s22-advice: questions of managers asking for advice. A choice of carrier with no measure named is the
fastest average delivery (said in the answer); a bare choice of another thing is refused; the asker's plan said
after the question ("should we cancel them?", "I want someone to call them", "want to feature it") is set aside
when it names nothing new and cannot narrow; 'still in stock' is a condition; 'product lines' are products; the
units needed to get back up to the reorder level are the shortfall."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"


@pytest.mark.parametrize("question, gold", [
    # a carrier to use, no measure named: the shortest average delivery time of delivered parcels
    ("which carrier should we use for Norway?",
     "WITH d AS (SELECT s.carrier, AVG(epoch(s.delivered_at - s.shipped_at)) AS t FROM shipments s "
     "JOIN orders o USING (order_id) JOIN customers c USING (customer_id) WHERE c.country = 'NO' "
     "AND s.delivered_at IS NOT NULL GROUP BY 1) SELECT carrier FROM d ORDER BY t LIMIT 1"),
    # "should we cancel them?" asks whether to act on the ones listed: not the status cancelled
    ("Which orders are still pending from before 15 October? should we cancel them?",
     "SELECT order_id FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-15'"),
    ("Clearance candidates in Electrical? i.e. discontinued but still in stock",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE p.category = 'Electrical' AND NOT p.active AND s.stock > 0"),
    ("Which warehouse has the most product lines at or below reorder level?",
     "SELECT warehouse FROM inventory WHERE quantity_on_hand <= reorder_level GROUP BY 1 ORDER BY COUNT(*) DESC "
     "LIMIT 1"),
    ("which products should we promote? give me the 5 active ones with the best margin",
     "SELECT name FROM products WHERE active ORDER BY (unit_price - unit_cost) / unit_price DESC LIMIT 5"),
    ("which customers have returned more than 3 orders? might need a chat",
     "SELECT customer_id FROM orders WHERE status = 'returned' GROUP BY 1 HAVING COUNT(*) > 3"),
    ("Which customers have an open order worth more than 1000 euros? I want someone to call and confirm them.",
     "SELECT DISTINCT customer_id FROM orders WHERE status IN ('pending', 'paid') AND total_amount > 1000"),
    ("Which warehouse holds the least Garden stock? We should move some garden items there.",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
     "GROUP BY 1 ORDER BY SUM(i.quantity_on_hand) LIMIT 1"),
    # "feature it": one thing is asked
    ("what sold best in Lighting in Q3 2026, in units? want to feature it in the window",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Lighting' AND o.order_date BETWEEN DATE '2026-07-01' AND "
     "DATE '2026-09-30' GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
    ("For Drammen, give me a reorder list: every product under its reorder level there and how many units it "
     "takes to get back up to that level",
     "SELECT p.name, i.reorder_level - i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Drammen' AND i.quantity_on_hand < i.reorder_level"),
])
def test_advice_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    (["Which orders are still pending from before 15 October? should we cancel them?"],
     "whats the total vaule of those orders?",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-15'"),
    # "those orders": the previous rows' own noun after the pointer (was a new question over every order)
    (["which orders are pending?"], "how much are those orders worth in total?",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'pending'"),
])
def test_advice_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("question", [
    "which warehouse should we use?",
    # a plan that names something new (a channel) or narrows is never set aside
    "Which products sold best last year? We'd like the Finnish ones.",
])
def test_a_choice_with_nothing_to_choose_by_or_a_narrowing_plan_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, not_in_sql", [
    ("Which orders are still pending from before 15 October? should we cancel them?", "cancelled"),
    ("how many units of Bosch Garden Hose are still in stock?", "order_items"),
])
def test_advice_words_do_not_become_conditions(parser, question, not_in_sql):
    assert not_in_sql not in parser.parse(question, COPILOT_AS_OF).sql


def test_a_plan_that_narrows_is_never_set_aside(parser):
    result = parser.parse("Which products sold best last year? We should only count Bosch.", COPILOT_AS_OF)
    assert "Bosch" in result.sql and "set aside" not in result.interpretation


@pytest.mark.parametrize("question, gold", [
    # lapsed customers: an order (any status) in the earlier period and none in the later one
    ("Which business customers went quiet — ordered in 2025 but nothing at all this year?",
     "SELECT c.name FROM customers c WHERE c.segment = 'business' AND EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31') AND NOT "
     "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.order_date >= DATE '2026-01-01')"),
    ("Which Helsinki customers haven't ordered since the start of this year but did order in 2025?",
     "SELECT c.name FROM customers c WHERE c.city = 'Helsinki' AND EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31') AND NOT "
     "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.order_date >= DATE '2026-01-01')"),
    ("Which carrier should we drop? I mean the one with the highest share of late deliveries among shipments "
     "sent this year.",
     "WITH l AS (SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) "
     "AS r FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= TIMESTAMP '2026-01-01' GROUP BY 1) "
     "SELECT carrier FROM l ORDER BY r DESC LIMIT 1"),
    ("Which category is moving slowest this year in units?",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date >= DATE '2026-01-01' GROUP BY 1 ORDER BY SUM(oi.quantity) LIMIT 1"),
])
def test_lapsed_customers_dropping_and_slow_movers(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_went_quiet_without_periods_is_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which customers went quiet?", COPILOT_AS_OF)


def test_contractions_are_not_quotes(parser):
    # "who've ... haven't": two apostrophes inside words are not a quoted name
    result = parser.parse("Who should we try to win back? Customers who've spent over 5000 euros in total with us "
                          "but haven't ordered anything since 1 May 2026.", COPILOT_AS_OF)
    assert "LIKE" not in result.sql.upper() and "5000" in result.sql


def test_products_of_a_category_a_customer_never_bought(parser, engine):
    gold = ("SELECT p.name FROM products p WHERE p.category = 'Tools' AND p.product_id NOT IN (SELECT oi.product_id "
            "FROM order_items oi JOIN orders o USING (order_id) WHERE o.customer_id = 32)")
    question = "Which Tools products has customer 32 never bought?"
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "Bundle ideas: which two products are most often bought in the same order?",
    "which product pair is bought together most often?",
])
def test_which_two_products_bought_together_is_one_pair(parser, engine, question):
    rows = answer(parser, engine, question)
    assert len(rows) == 1 and isinstance(rows[0][0], str) and isinstance(rows[0][1], str), question


def test_stock_spread_across_the_warehouses_is_per_warehouse(parser, engine):
    gold = ("SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
            "WHERE p.name = 'Philips Heat Pump' GROUP BY 1")
    question = "Philips Heat Pump: how is the stock spread across the warehouses? thinking of rebalancing"
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_twice_the_reorder_level_is_a_stock_multiple_of_two(parser, engine):
    gold = ("SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Bosch Garden Hose' "
            "AND i.quantity_on_hand > 2 * i.reorder_level")
    question = "Which warehouses hold more than twice their reorder level of Bosch Garden Hose? Those could spare some."
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_ordered_before_but_not_in_a_window(parser, engine):
    gold = ("SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id) "
            "AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.order_date >= "
            "DATE '2026-08-03')")
    question = "how many customers have ordered before but not in the last 90 days? size of the win-back campaign"
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


def test_growth_from_one_month_to_the_next_is_the_later_over_the_earlier(parser):
    form = parser.parse("revenue growth from September to October 2026", COPILOT_AS_OF).form
    assert (form.period.start, form.period.end) == ("2026-10-01", "2026-10-31")
    assert (form.compare_period.start, form.compare_period.end) == ("2026-09-01", "2026-09-30")
