"""s22 advice2: a product's margin in euros per unit (list price minus unit cost), an amount "per unit" beside a
per-unit figure, a money bound on a margin read as euros (never as a fraction), and "sales minus cost" as gross
profit."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, gold", [
    ("which active products make us less than 2 euros per unit (list price minus cost)?",
     "SELECT name FROM products WHERE active AND unit_price - unit_cost < 2"),
    ("products with a margin below 2 euros",
     "SELECT name FROM products WHERE unit_price - unit_cost < 2"),
    ("which products have a unit margin of more than 100 euros?",
     "SELECT name FROM products WHERE unit_price - unit_cost > 100"),
    ("which product has the lowest margin per unit?",
     "SELECT name FROM products ORDER BY unit_price - unit_cost, name LIMIT 1"),
    ("which products cost more than 300 euros per unit?",
     "SELECT name FROM products WHERE unit_price > 300"),
    ("products with a margin below 20%",
     "SELECT name FROM products WHERE (unit_price - unit_cost) / unit_price < 0.2"),
    ("Which 3 products earned the most gross profit last year (sales minus cost)?",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100) - oi.quantity * p.unit_cost) g "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY p.name ORDER BY g DESC LIMIT 3"),
])
def test_margins_in_euros_per_unit(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "customers who spent more than 300 euros per unit",  # 'per unit' beside a total is not placed
])
def test_per_unit_beside_a_total_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
