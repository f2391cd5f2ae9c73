"""s22 advice3: the asker's own act of offering or recommending ("maybe offer them a trade account", "deciding where
to push upsells") in a plan said after the question is set aside like the rest of the plan; a plan that names
something new still is not."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

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
    assert parser.set_aside_commentary(question, COPILOT_AS_OF) == (question, []), question


TOP_CUSTOMER = (f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} "
                "GROUP BY c.customer_id, c.name ORDER BY SUM(o.total_amount) DESC LIMIT 1")


@pytest.mark.parametrize("question, gold", [
    ("who's our single most valuable customer ever, by revenue? they should get the VIP treatment", TOP_CUSTOMER),
    ("who is our most valuable customer by revenue? those should get a thank-you call", TOP_CUSTOMER),
])
def test_what_the_ones_found_should_get_is_a_plan(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "who's our most valuable customer? they should get the Garden catalogue",  # a value: may narrow
    "who's our most valuable customer? they should get only the top offer",
])
def test_what_they_should_get_naming_something_new_is_not_set_aside(parser, question):
    assert parser.set_aside_commentary(question, COPILOT_AS_OF) == (question, []), question
