"""tune3-dev12: words of the semantic layer's tables (customer synonyms, a 'repeat buyer' predicate,
fillers that restate what is asked, a shipping idiom, a copula) and a four-letter slip of a word
that is also in a grammar table ("ordr")."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("question, same_as", [
    ("business accounts based in Oslo", "business customers in Oslo"),
    ("customer base by signup year", "number of customers by signup year"),
    ("Which carrier had the most late deliveries this year (absolute number)?",
     "Which carrier had the most late deliveries this year?"),
    ("Which brand had the highest sales in 2025, by value? Just the winnner.",
     "Which brand had the highest revenue in 2025?"),
    ("How many customers have never placed a single ordr?", "How many customers have never ordered?"),
    ("In Vantaa, which products sit below their reorder level?",
     "In Vantaa, which products are below their reorder level?"),
    ("How many orders went out the door in September 2026?", "How many orders were shipped in September 2026?"),
])
def test_a_rephrased_question_answers_like_the_plain_one(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("How many repeat buyers do we have?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING COUNT(*) >= 2)"),
    ("How many repeat buyers with 20 or more orders do we have?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING COUNT(*) >= 20)"),
    ("list repeat customers in Oslo",
     "SELECT c.name FROM customers c WHERE c.city = 'Oslo' AND c.customer_id IN "
     "(SELECT customer_id FROM orders GROUP BY 1 HAVING COUNT(*) >= 2)"),
])
def test_repeat_buyers_are_customers_with_two_or_more_orders(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("token, meant", [("ordr", "order")])
def test_a_four_letter_slip_of_a_grammar_word_that_means_something_is_mended(parser, token, meant):
    assert parser.lexicon.correct(token) == meant


@pytest.mark.parametrize("question, gold", [
    # a day range with no year: the as-of year (1 November 2026), read as dates, never as amounts
    ("daily revenue from the 25th to the 31st of October",
     f"SELECT o.order_date, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-10-25' AND DATE '2026-10-31' GROUP BY 1"),
    ("list the orders between 25 and 31 October",
     "SELECT order_id FROM orders WHERE order_date BETWEEN DATE '2026-10-25' AND DATE '2026-10-31'"),
    ("revenue from October 1 to October 14",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-14'"),
    ("revenue from the 1st of March to the 15th of March",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-15'"),
    # "not updated since before 18 October 2026" says "updated before 18 October 2026"
    ("How many stock records haven't been updated since before 18 October 2026?",
     "SELECT COUNT(*) FROM inventory WHERE updated_at < TIMESTAMP '2026-10-18'"),
])
def test_day_ranges_without_a_year_and_since_before(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, same_as", [
    ("How many customers ordered Bosch products this year, regardless of order status?",
     "How many customers ordered Bosch products this year, any status?"),
    ("revenue in 2025 regardless of order status", "revenue in 2025 any status"),
    ("number of orders in 2025 regardless of channel", "number of orders in 2025"),
])
def test_regardless_of_a_dimension_is_any_of_it_not_a_split(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question
    assert "GROUP BY" not in parser.parse(question, COPILOT_AS_OF).sql


@pytest.mark.parametrize("question, same_as", [
    ("which stock records haven't been updated since October 15? give product and warehouse",
     "which stock records haven't been updated since October 15? show product and warehouse"),
])
def test_give_names_columns_beside_like_show(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question
