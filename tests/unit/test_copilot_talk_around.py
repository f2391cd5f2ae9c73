"""Requests wrapped in talk, and bounds held over periods of their own.

What each part checks:
- A sentence after the question whose only data is a value the question names itself (or a word of such a value:
  "the Makita rep" after "Makita Hammers") is set aside; one naming a value the question does not name stays and
  is refused.
- A sentence before the question opening with one value and saying only what happened in words the lake lacks
  ("Vantaa phoned.", "Aino Virtanen just wrote.") is news: set aside when the question names the value, the name
  kept with the question when the question points back at a customer ("her"); any other data in it, or a question
  that neither names nor points back, stays refused.
- "which one" after a preface set aside is the one way of grouping the preface names ("help me choose a brand:
  which one ...").
- Two bounds on a figure, each said with a period of its own ("over 1000 EUR in 2025 but under 300 EUR this
  year"), each hold over that period; with a ranking or a grouping they stay refused.
- "products whose revenue last year was higher than this year": the comparative between the two periods, and
  "less in Q2 than in Q3" (the earlier period first) keeps its direction.
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

UNITS_2026 = (f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
              f"USING (product_id) WHERE {VALID_ORDER} AND p.name = '{{name}}' "
              "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'")


def _product_of_brand(engine, brand: str) -> str:
    return engine.execute(f"SELECT name FROM products WHERE brand = '{brand}' ORDER BY product_id LIMIT 1").rows[0][0]


def test_a_sentence_after_naming_only_the_questions_own_value_is_set_aside(parser, engine):
    name = _product_of_brand(engine, "Makita")
    question = f"How many {name} units did we sell this year? The Makita account manager comes in tomorrow."
    assert_answers_like(parser, engine, question, UNITS_2026.format(name=name))
    parsed = parser.parse(question, COPILOT_AS_OF)
    assert any(n.startswith("aside:The Makita account manager") for n in parsed.form.notes)


@pytest.mark.parametrize("question", [
    # the value after the question is not one the question names: it may narrow, so it stays and is refused
    "How many hammers did we sell this year? The Makita account manager comes in tomorrow.",
    # a blocker in the sentence after the question ("only") may narrow it
    "How many Makita Copper Pipe units did we sell this year? Makita only comes in tomorrow.",
])
def test_a_sentence_after_with_a_new_value_or_a_blocker_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("Vantaa phoned. Which products have nothing on hand in the Vantaa warehouse?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Vantaa' "
     "AND i.quantity_on_hand = 0"),
    ("Vantaa called. Which products have nothing on hand in the Vantaa warehouse?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Vantaa' "
     "AND i.quantity_on_hand = 0"),
])
def test_news_of_a_value_the_question_names_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def _a_customer_with_orders(engine) -> str:
    return engine.execute("SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, "
                          "c.name HAVING COUNT(*) > 2 ORDER BY c.customer_id LIMIT 1").rows[0][0]


def test_news_of_a_customer_the_question_points_back_at_keeps_the_name(parser, engine):
    name = _a_customer_with_orders(engine)
    question = f"{name} just wrote in. How many orders has she placed with us?"
    gold = f"SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.name = '{name}'"
    assert_answers_like(parser, engine, question, gold)
    assert "wrote in" in parser.parse(question, COPILOT_AS_OF).interpretation


@pytest.mark.parametrize("question", [
    # the question neither names the customer nor points back at her: the name may be a condition or not
    "{name} just wrote in. How many orders did we get in 2025?",
    # a place that only phoned, but the question does not name it: left refused ('phoned' unplaced)
    "Kuopio phoned. Which products have nothing on hand?",
])
def test_news_that_may_be_a_condition_stays_refused(parser, engine, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question.format(name=_a_customer_with_orders(engine)), COPILOT_AS_OF)


def test_news_with_a_condition_of_the_data_is_read_not_set_aside(parser, engine):
    # the sentence says more than news: a condition of the data ("business") is read, never set aside
    form = parser.parse(f"{_a_customer_with_orders(engine)} is a business customer - how many orders has she placed?",
                        COPILOT_AS_OF).form
    assert any(f.field == "segment" and f.values == ["business"] for f in form.filters)
    assert not any(n.startswith("aside:") for n in form.notes)


def test_which_one_after_a_preface_is_the_grouping_it_names(parser, engine):
    gold = (f"SELECT p.brand, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) "
            f"JOIN products p USING (product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' "
            "AND DATE '2025-12-31' GROUP BY 1 ORDER BY u DESC LIMIT 1")
    assert_answers_like(parser, engine, "help me choose a brand: which one sold the most units in 2025?", gold)


def test_which_one_after_a_preface_naming_several_groupings_is_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("help me decide on a carrier or a brand: which one did best in 2025?", COPILOT_AS_OF)


SPENT = ("SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id {where} "
         "GROUP BY c.customer_id, c.name HAVING "
         f"COALESCE(SUM(o.total_amount) FILTER (WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' "
         "AND DATE '2025-12-31'), 0) > {high} AND "
         f"COALESCE(SUM(o.total_amount) FILTER (WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' "
         "AND DATE '2026-10-31'), 0) < {low}")
UNITS = ("SELECT p.name FROM products p LEFT JOIN order_items oi USING (product_id) LEFT JOIN orders o USING (order_id) "
         "GROUP BY p.product_id, p.name HAVING "
         f"COALESCE(SUM(oi.quantity) FILTER (WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' "
         "AND DATE '2025-12-31'), 0) > {high} AND "
         f"COALESCE(SUM(oi.quantity) FILTER (WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' "
         "AND DATE '2026-10-31'), 0) < {low}")


@pytest.mark.parametrize("question, gold", [
    ("Which customers spent more than 1500 EUR in 2025 but under 300 EUR this year?",
     SPENT.format(where="", high=1500, low=300)),
    ("which consumer customers spent over 800 EUR in 2025 and less than 100 EUR in 2026?",
     SPENT.format(where="WHERE c.segment = 'consumer'", high=800, low=100)),
    ("Products that sold more than 90 units in 2025 but fewer than 70 in 2026?", UNITS.format(high=90, low=70)),
])
def test_two_bounds_each_with_its_own_period(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)
    form = parser.parse(question, COPILOT_AS_OF).form
    assert form.period is None and all(f.period is not None for f in form.filters if f.op in ("<", ">"))


@pytest.mark.parametrize("question", [
    # a ranking beside the two bounds: which period would it rank over?
    "top 3 products by revenue that sold more than 90 units in 2025 but fewer than 70 in 2026",
    # a figure shown per group has no one period
    "Which categories sold more than 900 units in 2025 but fewer than 800 in 2026?",
    # one bound, two periods: not two bounds each with its own
    "Which products sold more than 90 units in 2025 and 2026?",
])
def test_bounds_without_a_period_each_stay_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


GROWTH = ("SELECT {col} FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
          f"WHERE {VALID_ORDER} GROUP BY 1 HAVING "
          "SUM({fig}) FILTER (WHERE o.order_date BETWEEN DATE '{a0}' AND DATE '{a1}') {op} "
          "COALESCE(SUM({fig}) FILTER (WHERE o.order_date BETWEEN DATE '{b0}' AND DATE '{b1}'), 0)")
LINE = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


@pytest.mark.parametrize("question, gold", [
    ("products whose revenue last year was higher than this year",
     GROWTH.format(col="p.name", fig=LINE, a0="2025-01-01", a1="2025-12-31", op=">", b0="2026-01-01", b1="2026-10-31")),
    ("Which brands had units sold in Q3 2026 lower than in Q2 2026?",
     GROWTH.format(col="p.brand", fig="oi.quantity", a0="2026-07-01", a1="2026-09-30", op="<", b0="2026-04-01",
                   b1="2026-06-30")),
    # the earlier period said first: lower in Q2 than in Q3 is higher in Q3 than in Q2 (was: answered inverted)
    ("which categories sold less in Q2 2026 than in Q3 2026",
     GROWTH.format(col="p.category", fig=LINE, a0="2026-07-01", a1="2026-09-30", op=">", b0="2026-04-01",
                   b1="2026-06-30")),
])
def test_a_figure_of_each_compared_across_two_periods(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("Garden revenue for 2024 and 2025 combined",
     f"SELECT SUM({LINE}) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Garden' AND o.order_date BETWEEN DATE '2024-01-01' AND DATE '2025-12-31'"),
    ("number of orders in Q2 and Q3 2026 altogether",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-09-30'"),
])
def test_periods_one_after_another_taken_in_total_are_one_period(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "Garden revenue for 2024 and 2025",                 # side by side or summed: not said
    "Garden revenue for 2024 and 2026 combined",        # a year between them: not one period
])
def test_two_periods_not_taken_together_stay_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("who registered in August 2026?",
     "SELECT name FROM customers WHERE signup_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31'"),
    ("who joined in 2025 from Sweden?",
     "SELECT name FROM customers WHERE country = 'SE' AND signup_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # "since we started (recording)": all the lake holds, no period
    ("number of orders by channel since we started tracking", "SELECT channel, COUNT(*) FROM orders GROUP BY 1"),
    # "carry out" is carrying: the carrier's parcels
    ("how many parcels did Bring carry out in 2025?",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'Bring' AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31'"),
])
def test_phrasings_of_plain_questions(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)



@pytest.mark.parametrize("question, gold", [
    ("What share of orders were returned, in percent? (0-100)",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE status = 'returned') / COUNT(*) FROM orders"),
    ("percentage (0 to 100) of active products that are out of stock",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE s = 0) / COUNT(*) FROM (SELECT p.product_id, SUM(i.quantity_on_hand) AS s "
     "FROM products p JOIN inventory i USING (product_id) WHERE p.active GROUP BY 1)"),
])
def test_a_zero_to_hundred_scale_restates_a_percent(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "What fraction of orders were returned? (0-100)",   # a 0-1 fraction asked: 0-100 contradicts it
    "revenue in 2025 (0-100)",                          # no percent to restate
])
def test_a_zero_to_hundred_scale_beside_no_percent_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("revenue per channel, August 2026 minus August 2025",
     "SELECT channel, SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31') "
     "- SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2025-08-01' AND DATE '2025-08-31') FROM orders o "
     f"WHERE {VALID_ORDER} GROUP BY 1"),
    ("number of orders by channel, Q3 2026 minus Q3 2025",
     "SELECT channel, COUNT(*) FILTER (WHERE order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') "
     "- COUNT(*) FILTER (WHERE order_date BETWEEN DATE '2025-07-01' AND DATE '2025-09-30') FROM orders GROUP BY 1"),
    # two periods joined by "and for", side by side: a column each
    ("units sold by brand for 2024 and for 2025, side by side",
     "SELECT p.brand, SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'), "
     "SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31') FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} GROUP BY 1"),
])
def test_two_periods_less_one_another_or_side_by_side(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_earlier_period_less_the_later_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("revenue per channel, August 2025 minus August 2026", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("kuopio looks crowded, what are the 3 products with the most units on hand there",
     "SELECT p.name, i.quantity_on_hand AS q FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Kuopio' ORDER BY q DESC LIMIT 3"),
])
def test_news_of_a_place_before_a_comma_is_the_place_there_points_at(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    # no "there": the place may or may not be asked about
    "kuopio looks crowded, what are the 3 products with the most units on hand",
])
def test_news_of_a_place_the_question_does_not_point_at_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    # a plan after the question: what the asker wants done with the ones found ("want ... to"), what someone should
    # do with them, or dropping them, names no condition
    ("which 3 active products have the highest margin? want the floor team to feature them",
     "SELECT name FROM products WHERE active ORDER BY (unit_price - unit_cost) / unit_price DESC LIMIT 3"),
    ("highest margin product in Garden? buyers should stock up on it",
     "SELECT name FROM products WHERE category = 'Garden' ORDER BY (unit_price - unit_cost) / unit_price DESC LIMIT 1"),
    ("which product appears in the most cancelled orders? might drop it",
     "SELECT p.name, COUNT(DISTINCT o.order_id) AS n FROM order_items oi JOIN orders o USING (order_id) "
     "JOIN products p USING (product_id) WHERE o.status = 'cancelled' GROUP BY 1 ORDER BY n DESC LIMIT 1"),
])
def test_a_plan_after_the_question_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "highest margin product in Garden? buyers should stock up on the Fiskars ones",       # a value not asked
    "which product appears in the most cancelled orders? might drop the web ones",        # a value not asked
])
def test_a_plan_that_may_narrow_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_a_wish_that_narrows_is_read_not_set_aside(parser):
    form = parser.parse("which 3 active products have the highest margin? want only the Bosch ones", COPILOT_AS_OF).form
    assert any(f.field == "brand" and f.values == ["Bosch"] for f in form.filters)
    assert not any(n.startswith("aside:") for n in form.notes)


def test_a_decision_then_the_thing_with_the_most(parser, engine):
    gold = ("SELECT c.city, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) WHERE "
            f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
            "ORDER BY r DESC LIMIT 1")
    assert_answers_like(parser, engine, "where should we run the next roadshow? city with the most revenue in 2025", gold)


def test_a_decision_naming_a_value_the_criterion_lacks_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("where should we run the next Swedish roadshow? city with the most revenue in 2025", COPILOT_AS_OF)
