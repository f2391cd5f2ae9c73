"""Word lists the copilot reads from the layer's grammar tables, not from its code.

Each case says a question twice: with the shipped layer, and with a test layer where a table holds one word more (or
one less). The added word must change the reading the way the table's own words do, a removed one must stop it (the
table is what the code reads); the shipped reading of the same question is checked too, so the test fails when the
word is read from anywhere else.

- ``minus_words``: one table for a set difference of two periods ("Q3 2026 minus Q3 2025", read by _periods_minus,
  and a growth's own "(later minus earlier)"), read by ``StateBase._minus_word``; "less" is not in it (a ranking
  word too: "Q3 2026 less Q3 2025" stays refused).
- ``news_before_question``: news opening with one value before the question (parser _someone_did_first): its
  ``when_words`` ("just phoned") before a word the lake lacks, its ``question_words`` opening the question after a
  comma ("Vantaa phoned, which products ... there").
- ``one_row``: the table's shape said of two figures ("one row with both figures"), found over the spans by
  ``patterns.phrase_spans`` as the question's words are read (a number word as its digits: "two figures" is "2
  figures", in the table and in the question alike).
- ``size_superlatives`` ("the largest number of customers": the highest count) and ``each_verbs`` ("customers who
  each spent over ...": the bound holds of each already): rewrites of reading/base.py whose words were inline.
- ``followup_pointers``: the openers ("same", "what about"), pronouns ("it", "ones") and the possessive "its" that make
  a question go on from the previous answer (parser _is_followup); the pronouns and demonstratives ("those", "these")
  read as the previous answer's rows once it does (followups.pointing_back: about_previous, merge_shapes, measures),
  one table for both (was: a copy of the pronouns inline in followups.py).
- ``show_verbs`` (parser _field_shown: the fields listed after "show"/"display" are columns), ``heading_clause_words``
  (parser _things_heading: "products that ...", "customers who ...") and ``side_by_side`` (reading/periods_and_fields:
  two periods "next to each other" are columns): words that were tuples inline in the code.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

# the words a test layer adds, per table (a path of keys into the layer's grammar): none is in the shipped table
ADDED = {
    ("minus_words",): ["deducting"],
    ("news_before_question", "when_words"): ["also"],
    ("one_row",): ["two figures at once"],
    ("size_superlatives",): ["mightiest"],
}
# the words a test layer takes out of a table: each is in the shipped table
REMOVED = {
    ("news_before_question", "question_words"): ["which"],
    ("each_verbs",): ["spent"],
    ("followup_pointers", "possessive_pronouns"): ["its"],
    ("followup_pointers", "demonstrative_pronouns"): ["these"],
    ("show_verbs", "verbs"): ["display"],
    ("heading_clause_words",): ["that"],
    ("side_by_side", "words"): ["next to each other"],
}


@pytest.fixture(scope="module")
def test_parser(parser):
    """A parser over the shipped layer with the words of ADDED appended to their tables, those of REMOVED taken out."""
    from commerce_platform.copilot.parser import SemanticParser

    grammar = copy.deepcopy(parser.layer.grammar)

    def table(path: tuple[str, ...]) -> list[str]:
        node = grammar
        for key in path:
            node = node[key]
        return node

    for path, words in ADDED.items():
        assert not set(words) & set(table(path)), f"{path}: already in the shipped table"
        table(path).extend(words)
    for path, words in REMOVED.items():
        assert set(words) <= set(table(path)), f"{path}: not in the shipped table"
        table(path)[:] = [w for w in table(path) if w not in words]
    return SemanticParser(parser.vocab, dataclasses.replace(parser.layer, grammar=grammar))


def _between(start: str, end: str) -> str:
    return f"o.order_date BETWEEN DATE '{start}' AND DATE '{end}'"


SEPT_DIFFERENCE = (f"SELECT SUM(o.total_amount) FILTER (WHERE {_between('2026-09-01', '2026-09-30')}) - "
                   f"SUM(o.total_amount) FILTER (WHERE {_between('2025-09-01', '2025-09-30')}) FROM orders o "
                   f"WHERE {VALID_ORDER}")


ZERO_IN_VANTAA = ("SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Vantaa' "
                  "AND i.quantity_on_hand = 0")


CUSTOMERS_BY_COUNTRY = "SELECT c.country FROM customers c GROUP BY c.country ORDER BY COUNT(*) DESC LIMIT 1"
CONSUMERS_OVER_3000 = ("SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
                       f"AND {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
                       "GROUP BY c.customer_id, c.name HAVING SUM(o.total_amount) > 3000")
WEB_Q2_BOTH = (f"SELECT SUM(o.total_amount) FILTER (WHERE {_between('2025-04-01', '2025-06-30')}), SUM(o.total_amount) "
               f"FILTER (WHERE {_between('2026-04-01', '2026-06-30')}) FROM orders o WHERE {VALID_ORDER} "
               "AND o.channel = 'web'")


@pytest.mark.parametrize("question, gold", [
    ("sales revenue for September 2026 deducting sales revenue for September 2025", SEPT_DIFFERENCE),
    ("Vantaa also rang. Which products have nothing on hand in the Vantaa warehouse?", ZERO_IN_VANTAA),
    # (the question's "two" read as 2, as the table's is)
    ("web revenue for Q2 2025 and for Q2 2026, two figures at once", WEB_Q2_BOTH),
    ("web revenue for Q2 2025 and for Q2 2026, 2 figures at once", WEB_Q2_BOTH),
    ("which country has the mightiest number of customers?", CUSTOMERS_BY_COUNTRY),
])
def test_a_word_added_to_a_table_is_read_as_its_words_are(parser, test_parser, engine, question, gold):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
    assert_answers_like(test_parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    # the earlier period first: a growth is the later less the earlier, so it would be answered the other way round
    "sales revenue for September 2025 deducting sales revenue for September 2026",
    # another figure after the word: no difference of one figure
    "sales revenue for September 2026 deducting units sold in September 2025",
    # a grouping right after the shape's words says the rows: not one row
    "web revenue for Q2 2025 and for Q2 2026, two figures at once per month",
    # two different figures: no two periods of one figure side by side
    "units sold for Q2 2025 and revenue for Q2 2026, two figures at once",
])
def test_a_word_added_to_a_table_keeps_the_tables_bounds(test_parser, question):
    with pytest.raises(NotUnderstood):
        test_parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("vantaa rang, which products have nothing on hand there", ZERO_IN_VANTAA),
    ("consumer customers who each spent over 3000 EUR in 2025", CONSUMERS_OVER_3000),
])
def test_a_word_taken_out_of_a_table_is_no_longer_read(parser, test_parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)
    with pytest.raises(NotUnderstood):
        test_parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question", [
    # the news names a place the question neither names nor points back at: it may be a condition, left refused
    "Kuopio just phoned. Which products have nothing on hand?",
    "Kuopio also phoned. Which products have nothing on hand?",
    "kuopio phoned, which products have nothing on hand",
])
def test_news_of_a_place_the_question_does_not_name_stays_refused(parser, test_parser, question):
    for reader in (parser, test_parser):
        with pytest.raises(NotUnderstood):
            reader.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question", [
    "revenue in Q3 2026 less revenue in Q3 2025",  # "less" is a ranking word too: not a difference
    "was revenue in Q3 2026 less than in Q3 2025",
])
def test_less_between_two_periods_is_no_difference(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, goes_on", [
    ("its revenue in 2024", True),  # "its": the possessive of the shipped table, taken out of the test layer's
    ("revenue in 2024", False),  # no pointer: a question of its own, whichever layer
])
def test_a_pronoun_of_the_table_makes_a_follow_up(parser, test_parser, question, goes_on):
    from commerce_platform.copilot.parser import _State

    for reader, expected in ((parser, goes_on), (test_parser, False)):
        context = reader.parse("how many orders did we get in 2025 per channel", COPILOT_AS_OF).form
        assert _State(reader, question, COPILOT_AS_OF)._is_followup(context) is expected


# "these" after orders listed: the demonstrative of the shipped table points back at the listed orders (who placed
# each, followups.pointing_back); taken out of the test layer's table, nothing points back and it is refused
BIGGEST_SIX_PLACED_BY = ("SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) "
                         "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
                         "ORDER BY o.total_amount DESC LIMIT 6")


def test_a_demonstrative_of_the_table_points_back_at_the_rows(parser, test_parser, engine):
    context = ["the six largest orders so far this year"]
    assert_answers_like(parser, engine, "and who ordered these?", BIGGEST_SIX_PLACED_BY, context)
    form = test_parser.parse(context[0], COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        test_parser.parse("and who ordered these?", COPILOT_AS_OF, form)


# a pronoun left in the test layer's table still points back ("them"); a demonstrative heading a clause ("those who
# ...") says no follow-up, whichever layer
def test_a_pronoun_kept_in_the_table_still_points_back(test_parser, engine):
    assert_answers_like(test_parser, engine, "and who ordered them?", BIGGEST_SIX_PLACED_BY,
                        ["the six largest orders so far this year"])


@pytest.mark.parametrize("question, goes_on", [
    ("those orders in 2024", True),  # a demonstrative before the previous rows' own noun (orders)
    ("revenue from those who signed up in 2024", False),  # a demonstrative heading a clause
])
def test_a_demonstrative_of_the_table_makes_a_follow_up(parser, test_parser, question, goes_on):
    from commerce_platform.copilot.parser import _State

    context = parser.parse("how many orders did we get in 2025 per channel", COPILOT_AS_OF).form
    assert _State(parser, question, COPILOT_AS_OF)._is_followup(context) is goes_on


# "display" (the layer's show_verbs): the fields listed after it are columns beside each customer (the order shown);
# taken out of the test layer's table, the order is read as a condition only
def test_a_show_verb_of_the_table_shows_the_fields_after_it(parser, test_parser):
    question = "customers with orders still open - display the customer and the order"
    shown = [reader.parse(question, COPILOT_AS_OF).sql.split(" FROM ")[0] for reader in (parser, test_parser)]
    assert "order_id" in shown[0] and "order_id" not in shown[1], shown


# "that" (the layer's heading_clause_words) heads a clause of the things named first: they are asked for by name, so a
# figure per month of them is refused; taken out of the test layer's table, it is read as a figure; "who" is kept in
# the table: refused whichever layer
@pytest.mark.parametrize("question, refused_by_test_layer", [
    ("business customers that spent over 3000 EUR in 2025 - their revenue per month", False),
    ("business customers who spent over 3000 EUR in 2025 - their revenue per month", True),
])
def test_a_clause_word_of_the_table_heads_the_things_asked_for(parser, test_parser, question, refused_by_test_layer):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)
    if refused_by_test_layer:
        with pytest.raises(NotUnderstood):
            test_parser.parse(question, COPILOT_AS_OF)
    else:
        assert test_parser.parse(question, COPILOT_AS_OF).sql


# "next to each other" (the layer's side_by_side words) after two periods compared per group: each period a column, one
# row per channel; taken out of the test layer's table, one row per channel and period
def test_periods_next_to_each_other_are_columns(parser, test_parser, engine):
    from .conftest import answer

    question = "orders per channel, 2024 versus 2025 next to each other"
    channels = engine.execute("SELECT COUNT(DISTINCT channel) FROM orders").rows[0][0]
    assert len(answer(parser, engine, question)) == channels
    assert len(answer(test_parser, engine, question)) == 2 * channels
