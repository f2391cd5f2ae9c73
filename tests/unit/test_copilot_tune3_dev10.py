"""tune3-dev10: "those"/"these" standing alone point back at the previous answer, so the question is
never answered afresh with the previous conditions dropped."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional

TOP_WAREHOUSE = "which warehouse has the most products below their reorder level?"


@pytest.mark.parametrize("context, question", [
    ([TOP_WAREHOUSE], "which products are those there?"),        # was: every product listed
    ([TOP_WAREHOUSE], "which products are those in that warehouse?"),  # was: products counted per warehouse
])
def test_a_bare_those_is_never_read_as_a_new_question(parser, context, question):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, same_as", [
    (["how many customers never ordered?"], "list those please", "list them please"),
])
def test_a_bare_those_answers_like_them(parser, engine, context, question, same_as):
    assert results_match(answer(parser, engine, same_as, context), answer(parser, engine, question, context))


@pytest.mark.parametrize("context, question, same_as", [
    ([], "revenue for the year so far", "revenue this year"),
    (["On-time share per carrier last month"], "what about for the whole year so far?", "what about this year?"),
    (["number of orders last month"], "and the year so far?", "and this year?"),
])
def test_the_year_so_far_is_this_year(parser, engine, context, question, same_as):
    assert results_match(answer(parser, engine, same_as, context), answer(parser, engine, question, context))


@pytest.mark.parametrize("question, same_as", [
    # "in our warehouses" after a stock verb says where stock is held, not a split by warehouse
    ("Any discontinued products still sitting in our warehouses?", "inactive products with stock above 0"),
    ("Any discontinued products still sitting in our warehouses that we should clear out?",
     "inactive products with stock above 0"),
])
def test_stock_held_in_our_warehouses_is_no_split(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question))


@pytest.mark.parametrize("question, same_as", [
    # "products in stock" is the in-stock condition, not the total stock on hand
    ("which products are in stock", "which products have stock on hand"),
    ("list discontinued products in stock", "inactive products with stock above 0"),
    # a count whose thing is named only inside the condition's phrase counts those things, not orders
    ("how many in stock products are there", "how many products have stock on hand"),
    ("how many products are in stock", "how many products have stock on hand"),
    ("how many units are in stock", "total stock"),
])
def test_products_in_stock_is_the_in_stock_condition(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question))
