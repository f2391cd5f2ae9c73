"""s23-rec3: advice questions that rank or size a reorder. '<things> (end up|appear|show up) in <x> orders most
often' ranks the things by how many such orders they are in, as 'in the most <x> orders' says it (a number before
the things is how many). 'How many units should we order (of each ...) to get it/them back (up) to the reorder
level' and 'how many <products> do we need to order to bring ... up to their reorder level' ask the shortfall below
the reorder level (summed over all warehouses); a noun phrase between 'get'/'bring' and 'back up to' is whose
shortfall. Without the purpose clause 'how many units should we order' stays as it was (not a shortfall)."""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, assert_answers_like

pytestmark = pytest.mark.functional

STOCK = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"


@pytest.mark.parametrize("question, gold", [
    # "most often" after "in <x> orders": ranked by how many of those orders, a number before is the top N
    ("Which 3 products end up in cancelled orders most often?",
     "SELECT p.name FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status = 'cancelled' GROUP BY p.product_id, p.name ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 3"),
    ("which two brands show up in b2b orders most frequently?",
     "SELECT p.brand FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.channel = 'b2b' GROUP BY 1 ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 2"),
    # the shortfall, asked as the act of ordering with the level to reach after it
    ("how many units do we need to order of each low-stock product to bring it back up to its reorder level?",
     f"SELECT p.name, s.reorder - s.stock FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE s.stock <= s.reorder"),
    ("How many units should we order to get the Lighting products back to their reorder levels, per product?",
     f"SELECT p.name, s.reorder - s.stock FROM products p JOIN {STOCK} s USING (product_id) "
     "WHERE p.category = 'Lighting'"),
])
def test_rankings_and_reorder_sizes(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_shortfall_of_one_named_product(parser, engine):
    name = engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0]
    assert_answers_like(parser, engine, f"how many {name}s must we order to get back up to the reorder level?",
                        f"SELECT s.reorder - s.stock FROM products p JOIN {STOCK} s USING (product_id) "
                        f"WHERE p.name = '{name}'")


def test_ordering_without_the_level_to_reach_is_no_shortfall(parser):
    try:
        result = parser.parse("how many units should we order of each low stock product?", COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert "reorder_level) - SUM" not in result.sql
