"""Silent wrongs of the older dev sets: a word that asked for something is placed or refused, never
dropped to answer anyway."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("slipped, meant", [
    # a count asked after a dash, its word mended from a slip, is the same count
    ("paid orders that haven't shipped yet — coutn", "how many paid orders have not shipped yet"),
    ("paid orders — cuont", "how many paid orders"),
])
def test_a_mended_tail_count_counts(parser, engine, slipped, meant):
    rows = answer(parser, engine, slipped)
    assert len(rows) == 1 and results_match(answer(parser, engine, meant), rows), slipped


@pytest.mark.parametrize("question", [
    "paid orders count",                          # no dash: not read as the count, so refused
    "customers in Oslo and their order count",    # a count per customer is not placed
])
def test_an_unplaced_count_is_refused_not_dropped(parser, question):
    with pytest.raises(NotUnderstood, match="'count'"):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, same_as", [
    # the count is already asked: the word restates it
    ("customers with more than 20 orders and their order count", "customers with more than 20 orders"),
    ("business vs consumer customer count", "number of customers, business vs consumer"),
])
def test_a_count_word_beside_a_count_asked_restates_it(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question
