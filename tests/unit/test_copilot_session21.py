"""Round 7 (dev6-dev9): a real English word is not a slip of another word; a named year, quarter or
month that holds the as-of day ends where "this year" ends."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("token, meant", [
    ("caller", None), ("trail", None),        # real words, not "called" / "trial"
    ("amounts", "amount"), ("return", "returns"),  # another form of a known word is still read as it
    ("shipmnets", "shipments"),
])
def test_a_real_word_is_read_only_as_a_form_of_a_known_word(parser, token, meant):
    assert parser.lexicon.correct(token) in ((meant,) if meant is None else (meant, meant.rstrip("s")))


@pytest.mark.parametrize("question, same_as", [
    ("late shipments per month in 2026", "late shipments per month this year"),
    ("shipments in Q4 2026", "shipments this quarter"),
    ("shipments in 2025", "shipments from 2025-01-01 to 2025-12-31"),
])
def test_a_named_period_holding_the_as_of_day_ends_with_this_year(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


def test_a_named_year_holding_the_as_of_day_says_where_it_ends(parser):
    period = parser.parse("late shipments per month in 2026", COPILOT_AS_OF).form.period
    assert period is not None and (period.start, period.end) == ("2026-01-01", "2026-10-31")


@pytest.mark.parametrize("question, same_as", [
    # a sorting verb opening the question sorts the things named; "order" there is not the orders table
    ("order the categories by revenue", "categories ranked by revenue"),        # was the top 1 category alone
    ("order the low-stock products by units sold last month", "low-stock products ranked by units sold last month"),
    ("sort products by price", "products ranked by price"),
    ("please rank the brands by units sold in 2025", "brands ranked by units sold in 2025"),
])
def test_a_sorting_verb_opening_the_question_sorts_the_things_named(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question
