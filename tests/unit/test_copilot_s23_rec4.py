"""s23-rec4: a growth word that says which way (the layer's growth_direction: grew/increase up, decrease down), asked
of the groups with 'which' and no ranking, keeps the groups whose figure moved that way between the two periods ('which
brands had a units decrease from Q1 to Q2'); 'which products ...' makes the products the groups; with 'the most', a
number, or a direction-free word ('changed') it is every group's growth as before. A figure named as the subject of a
stock condition ('products whose total stock is at or under their total reorder level', 'items that have stock below
the reorder level') is what the condition compares: the things are listed or counted, not their stock summed, and
'have stock' there is no second condition (stock > 0); 'at or under/below their/its total reorder level' includes the
level. A pointer ('it', 'its', 'them', 'those' ...) in a first question with nothing named before it is refused. A
preface that ends with a colon or a spaced dash and names nothing the question does not name itself, with no word
that may narrow or ask (the commentary blockers), is set aside as saying why ('Upsell thought: ...'); a preface that
names a value, a purpose or holds a blocker stays part of the question. 'Show each with its <figure>', 'how much do we
have of each' after a list of things is each thing listed; 'new' in a plan after the question ('deciding where to put
the new hire') is the asker's own, as 'more' is. 'including <condition> ones' after things asked is no condition on
them ('strictly below the reorder level' is below it); beside a condition on the same columns it stays refused."""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"
REV = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"
Q1 = "o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31'"
Q2 = "o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"


@pytest.mark.parametrize("question, gold", [
    ("Which brands had a revenue decrease from Q1 2026 to Q2 2026?",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM({REV}) FILTER (WHERE {Q2}), 0) "
     f"< COALESCE(SUM({REV}) FILTER (WHERE {Q1}), 0)"),
    ("which categories grew in units sold from Q1 2026 to Q2 2026",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM(oi.quantity) FILTER (WHERE {Q2}), 0) "
     f"> COALESCE(SUM(oi.quantity) FILTER (WHERE {Q1}), 0)"),
    ("Which products saw an increase in units sold from Q1 2026 to Q2 2026?",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY p.product_id, p.name HAVING COALESCE(SUM(oi.quantity) FILTER (WHERE {Q2}), 0) "
     f"> COALESCE(SUM(oi.quantity) FILTER (WHERE {Q1}), 0)"),
])
def test_groups_that_moved_one_way(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "which brand grew the most from Q1 2026 to Q2 2026",
    "which categories changed from Q1 2026 to Q2 2026",
    "revenue decrease per category from Q1 2026 to Q2 2026",
])
def test_a_ranking_or_no_direction_keeps_every_group(parser, question):
    result = parser.parse(question, COPILOT_AS_OF)
    assert "HAVING" not in result.sql


@pytest.mark.parametrize("question, gold", [
    ("list the items whose total stock is at or under their total reorder level",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("which products have total stock at or below its total reorder level?",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("how many products have stock under their reorder level?",
     f"SELECT COUNT(*) FROM {STOCK} s WHERE s.stock < s.reorder"),
    ("count of active products whose total stock is below their total reorder level",
     f"SELECT COUNT(*) FROM products p JOIN {STOCK} s USING (product_id) WHERE p.active AND s.stock < s.reorder"),
])
def test_the_figure_a_stock_condition_compares(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "shortfall of it",
    "what is its stock?",
    "how many of those are active",
    "revenue of them last month",
])
def test_a_pointer_with_nothing_before_it_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("Upsell thought: which business customers have bought from the Tools category?",
     "SELECT DISTINCT c.customer_id, c.name FROM customers c JOIN orders o USING (customer_id) "
     "JOIN order_items oi USING (order_id) "
     "JOIN products p USING (product_id) WHERE c.segment = 'business' AND p.category = 'Tools'"),
    ("For our Finnish newsletter - top 3 products by revenue from customers in Finland last year",
     "SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND c.country = 'FI' "
     f"AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, p.name "
     f"ORDER BY SUM({REV}) DESC LIMIT 3"),
])
def test_a_preface_saying_why_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_preface_naming_a_value_is_kept(parser):
    result = parser.parse("Garden: top 3 products by revenue", COPILOT_AS_OF)
    assert "Garden" in result.sql


def test_a_preface_with_a_blocker_is_not_set_aside(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("Only a hunch - which city has the fewest business customers?", COPILOT_AS_OF)


def test_each_of_the_things_listed_with_their_figure(parser, engine):
    assert_answers_like(parser, engine, "inactive items that still hold stock - how much do we have of each?",
                        f"SELECT p.name, s.stock FROM products p JOIN {STOCK} s USING (product_id) "
                        "WHERE NOT p.active AND s.stock > 0")


def test_new_in_a_plan_is_the_askers_own(parser, engine):
    assert_answers_like(
        parser, engine, "which channel brought in the most revenue in 2025? deciding where to put the new hire",
        f"SELECT o.channel FROM orders o WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' "
        "AND DATE '2025-12-31' GROUP BY 1 ORDER BY SUM(o.total_amount) DESC LIMIT 1")


def test_including_a_condition_is_no_condition(parser, engine):
    assert_answers_like(parser, engine, "which products are strictly under their reorder level, including inactive ones?",
                        f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) WHERE s.stock < s.reorder")


def test_including_beside_the_same_condition_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("active products below the reorder level, including discontinued ones", COPILOT_AS_OF)
