"""s22-general: "on average, how many units are in a delivered order": a figure of each one thing named
after "a"/"an"/"each" (values or conditions may come between), averaged, as "average units per delivered
order" is."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, gold", [
    ("On average, how many units are in a delivered order?",
     "SELECT AVG(u) FROM (SELECT o.order_id, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o "
     "USING (order_id) WHERE o.status = 'delivered' GROUP BY 1)"),
    ("average number of units in a delivered order",
     "SELECT AVG(u) FROM (SELECT o.order_id, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o "
     "USING (order_id) WHERE o.status = 'delivered' GROUP BY 1)"),
    ("on average, how much revenue does a web order bring in",
     f"SELECT AVG(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel = 'web'"),
    ("on average how many order lines does an order placed in 2026 have",
     "SELECT AVG(n) FROM (SELECT o.order_id, COUNT(*) AS n FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1)"),
])
def test_a_figure_of_one_thing_on_average_is_averaged_over_them(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, same_as", [
    # "per customer 2025": a figure of each of many customers is no one customer's id; the number is a year
    ("avg revenue per buying customer 2025", "avg revenue per buying customer in 2025"),
    ("average units per order 2025", "average units per order in 2025"),
])
def test_a_year_after_per_thing_is_a_period_not_an_id(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


def test_an_id_after_a_named_thing_stays_an_id(parser):
    assert parser.parse("status of order 2025", COPILOT_AS_OF).form.lookup == {"entity": "order", "id": 2025}


@pytest.mark.parametrize("question, gold", [
    # a superlative right before one period unit asks which one, as "which day had the most orders" does
    ("busiest day last month by number of orders",
     "SELECT o.order_date, COUNT(*) AS n FROM orders o WHERE o.order_date BETWEEN DATE '2026-10-01' "
     "AND DATE '2026-10-31' GROUP BY 1 ORDER BY n DESC LIMIT 1"),
    ("best month of 2025 by revenue",
     f"SELECT DATE_TRUNC('month', o.order_date) AS m, SUM(o.total_amount) AS r FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 ORDER BY r DESC LIMIT 1"),
])
def test_a_superlative_before_a_period_unit_ranks_the_periods(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question
