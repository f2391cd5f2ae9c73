"""Purposes of recommendation questions added as layer rows (grammar.purposes), and a sales condition said with
"sold zero units".

What each part checks:
- "customers to call back": placed only when the form read lists customers; "which carrier should we avoid? the one
  with ...": the worst carrier. ("stop using / stocking" is not a phrase: "stop" as a known word would leave the
  slip "stok" between "stock" and "stop", unmended; "should we use / favour / push" are not phrases either: a
  decision asked in a sentence of its own before the criterion ("Which carrier should we use? Show me ...") is set
  aside by the preface reading only while its words are not the layer's.)
- "which warehouse has the fewest X units and should get more": the plan's "more" is not a ranking word (was: the
  most first, a silent wrong); beside the most, refused.
- "sold zero units / no units / 0 units in <period>" is a product not sold in the period (was: read as out of stock,
  a silent wrong); "zero units" alone is still no stock on hand.
"""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood
from tests.unit.conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

NOT_SOLD = ("SELECT p.name FROM products p WHERE p.active AND p.product_id NOT IN (SELECT oi.product_id FROM orders o "
            f"JOIN order_items oi USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '{{a}}' AND DATE '{{b}}')")


@pytest.mark.parametrize("question, gold", [
    ("Which carrier should we avoid? The one with the highest late share last year.",
     "SELECT s.carrier FROM shipments s WHERE s.delivered_at IS NOT NULL AND s.shipped_at >= TIMESTAMP '2025-01-01' "
     "AND s.shipped_at < TIMESTAMP '2026-01-01' GROUP BY s.carrier "
     "ORDER BY AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) DESC LIMIT 1"),
    ("Active products that sold zero units since September 1st 2026", NOT_SOLD.format(a="2026-09-01", b="2026-10-31")),
    ("active products that sold no units last month", NOT_SOLD.format(a="2026-10-01", b="2026-10-31")),
    ("consumer customers we should call back: ordered before but nothing in the last 60 days",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id, c.name HAVING MAX(o.order_date) < DATE '2026-09-02'"),
    ("which warehouse holds the fewest Garden units and should receive more?",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
     "GROUP BY i.warehouse ORDER BY SUM(i.quantity_on_hand) ASC LIMIT 1"),
    ("products with zero units on hand",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.name "
     "HAVING SUM(i.quantity_on_hand) = 0"),
])
def test_purpose_rows_answer_like_the_plain_question(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "which warehouse has the most Garden units on hand and should get more?",  # the most is not the one to fill
    "which carrier should we avoid",         # nothing ranked
])
def test_a_purpose_row_beside_another_form_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
