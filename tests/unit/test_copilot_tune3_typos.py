"""Typo tolerance, tune3: ties broken by the letters a slip keeps (all of them, or all but one of a
double), letters jumbled further than two edits (same letters, same first one), the past tense
jumbled, slips in words with Nordic letters and in "thousand"."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("slipped, meant", [
    ("stastu of order 2500", "status of order 2500"),                       # same letters: not "stats"
    ("sattsu of order 2500", "status of order 2500"),
    ("late deliveries by carire this year", "late deliveries by carrier this year"),  # one of a double lost
    ("how many customers do we have in Købenahvn", "how many customers do we have in København"),
    ("How many orders came from customers in Køebnhavn in 2025?",
     "How many orders came from customers in København in 2025?"),
    ("How many orders were delievrd in August?", "How many orders were delivered in August?"),
    ("Which brands sold more than two thosuand units in 2025?",
     "Which brands sold more than two thousand units in 2025?"),
    ("how many costuemrs are there in Oslo", "how many customers are there in Oslo"),  # jumbled further
])
def test_a_slipped_question_answers_like_the_clean_one(parser, engine, slipped, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, slipped)), slipped


@pytest.mark.parametrize("context, slipped, meant", [
    (["revenue by brand in 2025"], "and the utnis sold?", "and the units sold?"),
])
def test_a_slipped_follow_up_answers_like_the_clean_one(parser, engine, context, slipped, meant):
    assert results_match(answer(parser, engine, meant, context), answer(parser, engine, slipped, context)), slipped


def test_a_tie_the_kept_letters_do_not_break_stays_refused(parser):
    lex = parser.lexicon
    assert lex.mend("deliveres")[0] is None  # "delivered", "deliveries", "delivers": each adds a letter
    assert lex.mend("stastu") == ("status", ())
    assert lex.mend("carire") == ("carrier", ())
