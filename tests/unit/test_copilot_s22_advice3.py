"""s22 advice3: the asker's own act of offering or recommending ("maybe offer them a trade account", "deciding where
to push upsells") in a plan said after the question is set aside like the rest of the plan; a plan that names
something new still is not."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

AOV = (f"SELECT o.channel, AVG(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
       "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY o.channel")


@pytest.mark.parametrize("question, gold", [
    ("average order value per channel this year? deciding where to push upsells", AOV),
    ("average order value per channel this year? maybe recommend them something", AOV),
    ("Which consumer customers spent more than 3000 euros this year? Maybe offer them a trade account.",
     f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.segment = 'consumer' AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY c.customer_id, c.name HAVING SUM(o.total_amount) > 3000"),
])
def test_offering_in_a_plan_after_the_question_is_set_aside(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "average order value per channel this year? deciding where to push upsells in Garden",  # a value: may narrow
    "average order value per channel this year? maybe offer them only the cheapest",  # 'only' may narrow
])
def test_a_plan_naming_something_new_is_not_set_aside(parser, question):
    form = None
    try:
        form = parser.parse(question, COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert not any(n.startswith("aside:") for n in form.notes), question
