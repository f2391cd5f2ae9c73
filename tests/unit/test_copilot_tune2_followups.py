"""Follow-ups, round 2: a count whose thing is left out ("how many came from ...", "how many did we sell"),
"that" as the subject of "was" pointing at the previous top one, "break it down by" after a list, and
"who are the customers?" after a list of orders."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("context, followup, meant", [
    # a count with its thing left out counts the previous rows, the new condition added
    (["orders over 1000 EUR this year"], "how many came from business customers?",
     "how many orders over 1000 EUR this year from business customers"),
    (["web orders in 2025"], "how many were cancelled?", "how many cancelled web orders in 2025"),
    # "how many did we sell" after a product's stock: its units sold
    (["what's the stock of Ensto LED Bulb?"], "and how many did we sell last month?",
     "how many Ensto LED Bulbs did we sell last month?"),
    # "that" after "was": the previous top one, the new figure beside (not a new ranking)
    (["which product brought in the most revenue in 2025?"], "and how many units was that?", None),
    # "break it down by" after a list: the listed rows counted per group
    (["late shipments last month"], "break it down by carrier", "number of late shipments last month by carrier"),
    # "who are the customers?" after listed orders: the customers of those orders, each once
    (["pending orders in 2026"], "who are the customers?", "customers with pending orders in 2026"),
    (["web orders last month"], "which are the products?", "products in web orders last month"),
])
def test_a_follow_up_answers_like_the_question_said_in_full(parser, engine, context, followup, meant):
    if meant is None:  # said with "it" instead of "that"
        meant, was = followup.replace(" that", " it"), answer(parser, engine, followup.replace(" that", " it"), context)
    else:
        was = answer(parser, engine, meant)
    assert results_match(was, answer(parser, engine, followup, context)), followup


@pytest.mark.parametrize("context, followup, rows", [
    (["which product brought in the most revenue in 2025?"], "and how many units was that?", 1),
    (["late shipments last month"], "break it down by carrier", None),
])
def test_the_previous_ranking_or_rows_are_kept(parser, engine, context, followup, rows):
    got = answer(parser, engine, followup, context)
    listed = answer(parser, engine, context[0])
    if rows is not None:  # the same top one, the new figure beside
        assert len(got) == rows and got[0][:2] == listed[0]
    if rows is None:  # counted per group: the counts add up to the listed rows
        assert sum(r[-1] for r in got) == len(listed)


@pytest.mark.parametrize("context, followup, meant", [
    # "who are the customers for those?" after counted shipments: their customers, each once
    (["count of shipments not delivered yet"], "who are the customers for those?",
     "customers with shipments not delivered yet"),
    # "each of them" after listed customers: the count per customer
    (["Which customers in Tampere ordered last month?"], "how many orders did each of them place?",
     "number of orders per customer from Tampere customers last month"),
    # "and in total?" after figures per warehouse: summed over the groups, the product kept
    (["stock of Makita Hammer per warehouse"], "and in total?", "stock of Makita Hammer"),
    # another thing named bare after a count: that thing counted, the groups kept
    (["number of order lines per category last month"], "and distinct orders?",
     "number of orders per category last month"),
])
def test_a_follow_up_about_the_previous_rows_answers_like_the_question_said_in_full(parser, engine, context,
                                                                                     followup, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, followup, context)), followup


def test_customers_listed_for_a_condition_on_their_parcels_appear_once(parser, engine):
    rows = answer(parser, engine, "who are the customers?", ["shipments not delivered yet shipped before October 20"])
    assert len({r[0] for r in rows}) == len(rows)


@pytest.mark.parametrize("context, followup, meant", [
    # spending after listed orders: the revenue of those orders
    (["orders from Erik Olsen this year"], "what did he spend in total?", "revenue from Erik Olsen this year"),
    # "same year": the period kept while the value changes
    (["revenue from Tallinn customers in 2025", "and 2026?"], "now Oslo, same year", "revenue from Oslo customers in 2026"),
    # "the 30 days before that": that many days right before the previous period
    (["revenue last 30 days"], "and the 30 days before that?", "revenue from 2026-09-02 to 2026-10-01"),
    (["revenue last 30 days"], "and the 7 days before that?", "revenue from 2026-09-25 to 2026-10-01"),
    # a slip in a courtesy word
    (["units sold of Kitchen products in 2024"], "by brand pleese", "units sold of Kitchen products in 2024 by brand"),
])
def test_a_follow_up_said_around_the_change_answers_like_the_question_said_in_full(parser, engine, context,
                                                                                    followup, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, followup, context)), followup


def test_spending_of_listed_cancelled_orders_is_refused_not_zero(parser):
    from .conftest import COPILOT_AS_OF

    form = parser.parse("cancelled orders from Erik Olsen this year", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("what did he spend in total?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, followup, meant", [
    # a sorting verb before "by <figure>": the ranking on that figure
    (["units sold per category last month"], "now rank them by revenue instead",
     "revenue per category last month"),
    # "already ordered": customers with at least one order
    (["how many new customers signed up in August 2026?"], "how many of them have already ordered?",
     "how many customers signed up in August 2026 that have ordered at least once"),
])
def test_a_follow_up_with_a_verb_of_ranking_or_ordering_answers_like_the_question_said_in_full(
        parser, engine, context, followup, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, followup, context)), followup


def test_rank_them_by_a_figure_sorts_on_it(parser, engine):
    rows = answer(parser, engine, "now rank them by revenue instead", ["units sold per category last month"])
    assert [r[-1] for r in rows] == sorted((r[-1] for r in rows), reverse=True)
