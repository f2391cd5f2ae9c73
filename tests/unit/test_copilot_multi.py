"""Several conditions at once: lists with a figure beside each row, columns named after a colon."""

import pytest

from .conftest import COPILOT_AS_OF, answer, assert_answers_like

pytestmark = pytest.mark.functional

AS_OF = COPILOT_AS_OF


@pytest.mark.parametrize("question, gold", [
    # a last clause asking only "how many" of a list tested on a figure asks that figure beside each row
    ("Which shoppers had over 3 of their orders returned? Give the number.",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'returned' "
     "GROUP BY c.customer_id, c.name HAVING COUNT(*) > 3"),
    ("Which Lighting products have fewer than 30 units in Kuopio, and how many does each have?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category = 'Lighting' AND i.warehouse = 'Kuopio' GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) < 30"),
    ("Which categories have more than 3 products under the reorder level in Vantaa? Show the count for each.",
     "WITH s AS (SELECT product_id FROM inventory WHERE warehouse = 'Vantaa' GROUP BY product_id "
     "HAVING SUM(quantity_on_hand) < SUM(reorder_level)) SELECT p.category, COUNT(*) FROM s JOIN products p "
     "USING (product_id) GROUP BY p.category HAVING COUNT(*) > 3"),
    # ... but "how many are there" counts the rows, as before
    ("Which Lighting products have fewer than 30 units in Kuopio, and how many are there?",
     "SELECT COUNT(*) FROM (SELECT p.product_id FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category = 'Lighting' AND i.warehouse = 'Kuopio' GROUP BY p.product_id "
     "HAVING SUM(i.quantity_on_hand) < 30)"),
    # and "how many customers" asks how many of the things listed
    ("Which shoppers had over 3 of their orders returned? Give the number of customers.",
     "SELECT COUNT(*) FROM (SELECT c.customer_id FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status = 'returned' GROUP BY c.customer_id HAVING COUNT(*) > 3)"),
    # the things named first, then after a colon only columns: a list showing them (not a count per column)
    ("web orders from 2026-10-30: order id, status and total",
     "SELECT order_id, status, total_amount FROM orders WHERE channel = 'web' AND order_date = DATE '2026-10-30'"),
    ("Undelivered shipments of consumer customers: order id, carrier and when it was shipped",
     "SELECT s.order_id, s.carrier, s.shipped_at FROM shipments s JOIN orders o USING (order_id) "
     "JOIN customers c USING (customer_id) WHERE c.segment = 'consumer' AND s.delivered_at IS NULL"),
    # ... one word after the colon still groups
    ("orders in October 2026: channel",
     "SELECT channel, COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     "GROUP BY channel"),
])
def test_row_figures_and_columns_after_colon(parser, engine, question, gold):
    assert engine.execute(gold).rows
    assert_answers_like(parser, engine, question, gold)


def test_a_figure_for_a_list_without_one_is_not_the_rows_count(parser, engine):
    # "Which customers are in Oslo? Give the number for each.": the list has no figure of its own; never the list
    # alone silently answered as if its figure were shown
    rows = None
    try:
        rows = answer(parser, engine, "Which customers live in Oslo? Give the number for each.")
    except Exception:  # refused is fine
        return
    assert rows is not None and all(len(r) > 1 for r in rows)
