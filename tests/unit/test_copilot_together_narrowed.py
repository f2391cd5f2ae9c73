"""Products bought together with a named product, narrowed (planner._together_narrowed, reading/together_words.py).

What each part checks:
- a condition on another product field ("Garden products bought with X", "excluding / not counting other Bosch
  products") is of the other products, the anchor being named already;
- a bound on the orders the two share ("in more than 3 orders", "more than 3 times", "at least twice") keeps every
  product over it (no top 10 cut, no single row for "which Kitchen products");
- "which <value> products" is many products, "which product" one; "times" outside a bought-together question is
  not a count of shared orders.
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood
from tests.unit.conftest import COPILOT_AS_OF, assert_answers_like

TOGETHER = ("SELECT p.name, COUNT(DISTINCT a.order_id) AS n FROM order_items a JOIN order_items b "
            "ON a.order_id = b.order_id AND b.product_id <> a.product_id JOIN products pa ON pa.product_id = a.product_id "
            "JOIN products p ON p.product_id = b.product_id WHERE pa.name = '{anchor}' {extra} GROUP BY p.name {having} "
            "ORDER BY n DESC, p.name {limit}")


@pytest.mark.parametrize("question, gold", [
    ("which items were ordered together with the Makita Hammer in more than 30 orders?",
     TOGETHER.format(anchor="Makita Hammer", extra="", having="HAVING COUNT(DISTINCT a.order_id) > 30", limit="")),
    ("products that show up in the same basket as the Ensto LED Bulb at least 20 times",
     TOGETHER.format(anchor="Ensto LED Bulb", extra="", having="HAVING COUNT(DISTINCT a.order_id) >= 20", limit="")),
    ("the 5 products most often bought with the Makita Hammer, ignoring other Makita products",
     TOGETHER.format(anchor="Makita Hammer", extra="AND p.brand <> 'Makita'", having="", limit="LIMIT 5")),
    ("which Garden products are bought together with the Makita Hammer",
     TOGETHER.format(anchor="Makita Hammer", extra="AND p.category = 'Garden'", having="", limit="LIMIT 10")),
    ("Which Kitchen products were bought with the Ensto LED Bulb at least twice?",
     TOGETHER.format(anchor="Ensto LED Bulb", extra="AND p.category = 'Kitchen'",
                     having="HAVING COUNT(DISTINCT a.order_id) >= 2", limit="")),
])
def test_products_bought_together_narrowed(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_which_product_is_still_one(parser, engine):
    assert_answers_like(parser, engine, "which product is most often bought with the Makita Hammer",
                        TOGETHER.format(anchor="Makita Hammer", extra="", having="", limit="LIMIT 1"))


def test_times_outside_a_together_question_is_not_a_shared_order_count(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which products sold more than 3 times the Makita Hammer", COPILOT_AS_OF)
