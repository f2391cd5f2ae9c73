"""s23-rec5: number words up to ninety ('thirty', 'forty', 'sixty', 'ninety') are numbers as 'twenty' is ('the last
ninety days', 'fewer than forty units'). 'how much is left', 'how many are left', 'how much/many do we have left'
ask for stock. 'of each' at the end of a question, after things named with a condition, is each of those things:
'how much'/'how many' there asks each one's figure, listed beside it, not one total. 'how much is that in total?'
after things listed each with one summed figure (stock, units, revenue) is that figure summed over them; a shown
figure that does not add up (an average, a distinct count) stays refused. 'furthest/farthest/most below its (their, the)
reorder level' ranks by the shortfall. 'who should ...' after the question is the asker's plan (set aside when it
names nothing new), and 'after' in a plan ('look after them') is the plan's own word; a plan naming a new value or a
period stays part of the question."""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"
REV = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


@pytest.mark.parametrize("question, gold", [
    ("top 3 products by revenue in the last ninety days",
     "SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-08-03' AND DATE '2026-10-31' "
     f"GROUP BY p.product_id, p.name ORDER BY SUM({REV}) DESC LIMIT 3"),
    ("how many orders came in over the past thirty days?",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31'"),
    ("which categories sold more than forty units in the last sixty days",
     "SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-09-02' AND DATE '2026-10-31' "
     "GROUP BY 1 HAVING SUM(oi.quantity) > 40"),
])
def test_number_words(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("inactive products we still stock: how many are left of each?",
     f"SELECT p.name, s.stock FROM products p JOIN {STOCK} s USING (product_id) WHERE NOT p.active AND s.stock > 0"),
    ("Garden products that are low on stock - how much stock of each?",
     f"SELECT p.name, s.stock FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE p.category = 'Garden' AND s.stock <= s.reorder"),
    ("how much do we have left of the Tools category?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Tools'"),
])
def test_what_is_left_and_each_ones_figure(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_shown_figure_summed_over_the_rows(parser, engine):
    assert_answers_like(
        parser, engine, "what does that add up to?",
        "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE NOT p.active",
        context=["inactive products with their stock"])


def test_a_shown_average_is_not_summed(parser):
    form = parser.parse("Garden products with their average discount", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("how much is that in total?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("question, gold", [
    ("which 2 items are farthest below their reorder level?",
     f"SELECT p.name FROM products p JOIN {STOCK} s USING (product_id) ORDER BY s.reorder - s.stock DESC LIMIT 2"),
])
def test_furthest_below_the_reorder_level(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_who_should_after_the_question_is_a_plan(parser, engine):
    assert_answers_like(
        parser, engine, "five biggest customers by revenue in 2025 - who should the sales reps look after?",
        f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} "
        "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, c.name "
        "ORDER BY SUM(o.total_amount) DESC LIMIT 5")


def test_who_should_naming_a_new_value_is_not_set_aside(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("top 5 customers by revenue in 2025 - who should the store team look after?", COPILOT_AS_OF)
