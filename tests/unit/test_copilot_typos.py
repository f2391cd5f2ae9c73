"""Typo tolerance: which slips are mended, which are refused with the candidates named.

What each part checks:
- A slip on top of a misspelling (two edits, one a swap of neighbours), slips in words
  the parser reads from its grammar tables, slips in lake values and follow-ups, and ties between two known
  words refused with both words named.
- Ties broken by the letters a slip keeps (all of them, or all but one of a double),
  letters jumbled further than two edits (same letters, same first one), the past tense jumbled, slips in words
  with Nordic letters and in "thousand".
- Four-letter typos mended only when one meaningful word is near, and periods "to date"
  ("this year", "the last 30 days") ending on the last whole day before --as-of.
"""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.copilot.lexicon import Lexicon
from commerce_platform.copilot.parser import relative_period
from commerce_platform.errors import NotFound, NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

pytestmark = pytest.mark.functional


@pytest.mark.parametrize("slipped, meant", [
    ("how many custmres are there in Oslo", "how many customers are there in Oslo"),   # lost 'o', swapped
    ("how many odrres did we get in August 2026", "how many orders did we get in August 2026"),  # two swaps
    ("quartley revenue this year", "quarterly revenue this year"),
    ("medina order value in 2025", "median order value in 2025"),          # a grammar-table word (aggregates)
    ("best selling producst by units in March 2026", "best selling products by units in March 2026"),
    ("customers in Stokhoml who signed up in 2025", "customers in Stockholm who signed up in 2025"),  # lake value
    ("total revenue for the Kithcn category in 2025", "total revenue for the Kitchen category in 2025"),
    ("cancellatoin rate in 2025", "cancellation rate in 2025"),
    ("products whose stock is more than 5 timse their reorder level",
     "products whose stock is more than 5 times their reorder level"),
])
def test_a_slipped_question_answers_like_the_clean_one(parser, engine, slipped, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, slipped)), slipped


@pytest.mark.parametrize("context, slipped, meant", [
    (["number of customers who signed up in 2025"], "and the prevuis year?", "and the previous year?"),
    (["number of business customers in Oslo"], "same thing but for Stokhoml", "same thing but for Stockholm"),
])
def test_a_slipped_follow_up_answers_like_the_clean_one(parser, engine, context, slipped, meant):
    assert results_match(answer(parser, engine, meant, context), answer(parser, engine, slipped, context)), slipped


@pytest.mark.parametrize("token, meant", [
    ("custmres", "customers"), ("prevuis", "previous"), ("retrun", "returns"), ("gotenbugr", "gothenburg"),
    ("producst", "products"),   # a swap is nearer than a lost letter ("product")
    ("timse", "times"),          # a word of no one-word phrase is not "the same meaning" as another
    ("deliverey", "delivery"),   # a stray letter typed, not "y" for "d" (keys far apart: "delivered")
    ("itmes", "items"),          # not "times": people seldom slip on the first letter
    ("spilt", "split"),          # a real word, but two neighbours swapped is the commonest slip
    ("lien", "line"),            # two swapped, not the stock verb "lies" a far key away
    # real words the lexicon lacks are left alone, never read as a word two arbitrary edits away
    ("driver", None), ("weather", None),
])
def test_mend_picks_the_one_near_word_or_none(parser, token, meant):
    assert parser.lexicon.correct(token) == meant


@pytest.mark.parametrize("question, named", [
    # ("sattsu", "delievrd" are mended: see test_a_jumbled_or_tied_slip_answers_like_the_clean_one)
    ("what share of deliveres were late", r"'deliveres' \(could be 'delivered', 'deliveries' or 'delivers'\)"),
])
def test_a_slip_equally_near_two_words_is_refused_naming_them(parser, question, named):
    with pytest.raises(NotUnderstood, match=named):
        parser.parse(question, date_of_tests())


def date_of_tests():
    from .conftest import COPILOT_AS_OF

    return COPILOT_AS_OF


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
def test_a_jumbled_or_tied_slip_answers_like_the_clean_one(parser, engine, slipped, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, slipped)), slipped


@pytest.mark.parametrize("context, slipped, meant", [
    (["revenue by brand in 2025"], "and the utnis sold?", "and the units sold?"),
])
def test_a_jumbled_slip_in_a_follow_up_answers_like_the_clean_one(parser, engine, context, slipped, meant):
    assert results_match(answer(parser, engine, meant, context), answer(parser, engine, slipped, context)), slipped


def test_a_tie_the_kept_letters_do_not_break_stays_refused(parser):
    lex = parser.lexicon
    assert lex.mend("deliveres")[0] is None  # "delivered", "deliveries", "delivers": each adds a letter
    assert lex.mend("stastu") == ("status", ())
    assert lex.mend("carire") == ("carrier", ())


AS_OF = COPILOT_AS_OF
VALID = VALID_ORDER


@pytest.mark.parametrize("question, gold", [
    # four-letter slips: one edit from exactly one word that means something
    ("total stok in Kuopio", "SELECT SUM(quantity_on_hand) FROM inventory WHERE warehouse = 'Kuopio'"),
    ("unts sold in 2025 by channel",
     f"SELECT o.channel, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
    # a period to date ends the day before the as-of day, whose data is still coming in
    ("how many orders so far this year",
     "SELECT COUNT(*) FROM orders WHERE order_date >= DATE '2026-01-01' AND order_date < DATE '2026-11-01'"),
    ("revenue over the last 14 days",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID} AND order_date >= DATE '2026-10-18' "
     "AND order_date < DATE '2026-11-01'"),
    # an address written out is a text to look for in the field named with it
    ("number of customers with an e-mail address at company.example",
     "SELECT COUNT(*) FROM customers WHERE email LIKE '%company.example%'"),
    ("list customers whose email is at company.example",
     "SELECT customer_id, name, email, segment, city, country FROM customers WHERE email LIKE '%company.example%'"),
    # a period on the latest order of each customer, and that date shown
    ("consumer customers whose latest order was more than 120 days ago",
     "SELECT c.customer_id, c.name, c.email, c.segment, c.city, c.country, MAX(o.order_date) FROM customers c "
     "JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' GROUP BY ALL "
     "HAVING MAX(o.order_date) < DATE '2026-07-04'"),
    ("how many customers last ordered in 2025",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING year(MAX(order_date)) = 2025)"),
    # "in total across warehouses" sums over them (the glossary's stock), never splits by them
    ("list of Ensto products with more than 500 units in stock in total across warehouses",
     "SELECT p.product_id, p.name, p.category, p.brand, p.unit_price, SUM(i.quantity_on_hand) FROM products p "
     "JOIN inventory i USING (product_id) WHERE p.brand = 'Ensto' GROUP BY ALL HAVING SUM(i.quantity_on_hand) > 500"),
    ("revenue summed over all channels in 2025",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID} AND year(order_date) = 2025"),
    # "..., show the stock" after the listed things is a column beside them
    ("discontinued products, show the stock",
     "SELECT p.product_id, p.name, p.category, p.brand, p.unit_price, SUM(i.quantity_on_hand) FROM products p "
     "JOIN inventory i USING (product_id) WHERE NOT p.active GROUP BY ALL"),
    # a share "from the top N" is of those N together, one figure
    ("what share of units sold do the 3 best-selling brands have",
     f"WITH u AS (SELECT p.brand, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} GROUP BY 1) "
     "SELECT 1.0 * (SELECT SUM(q) FROM (SELECT q FROM u ORDER BY q DESC LIMIT 3)) / (SELECT SUM(q) FROM u)"),
    # ... but "by customer" asks for each one's share
    ("revenue share by customer in 2025, top 4",
     f"SELECT c.name, SUM(o.total_amount) r, 1.0 * SUM(o.total_amount) / SUM(SUM(o.total_amount)) OVER () "
     f"FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 4"),
])
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_two_periods_on_the_latest_order_are_refused(parser):
    with pytest.raises(NotUnderstood, match="one period"):
        parser.parse("customers whose last order was in 2025 vs 2024", AS_OF)


def test_a_number_is_never_compared_with_a_name(parser, engine):
    # "above 500 ... warehouses": the number cannot be a warehouse; it is the stock compared (summed over them)
    gold = ("SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
            "WHERE p.brand = 'Ensto' GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 500")
    question = "Ensto products with stock above 500 combined across warehouses"
    assert_answers_like(parser, engine, question, gold)


def test_an_address_with_no_field_named_is_refused(parser):
    with pytest.raises(NotUnderstood, match="which field"):
        parser.parse("customers at company.example", AS_OF)


@pytest.mark.parametrize("token, expected", [
    ("stok", "stock"),
    ("unts", "units"),
    ("stock", None),        # known words stay
    ("zzzz", None),         # nothing near
    ("abc", None),          # three letters: never
])
def test_four_letter_words_are_mended_only_when_one_word_is_near(parser, token, expected):
    assert parser.lexicon.correct(token) == expected


def _lexicon(meaningful: list[str], function: list[str]) -> Lexicon:
    lex = Lexicon()
    for w in meaningful:
        lex.add(w, ("measure", w))
    for w in function:
        lex.add(w, ("stop",))
    lex.words = set(meaningful) | set(function)
    lex.targets = set(meaningful)
    return lex


def test_a_four_letter_word_near_a_function_word_or_two_words_is_left_alone():
    assert _lexicon(["stock"], []).correct("stok") == "stock"
    assert _lexicon(["stock"], ["stop"]).correct("stok") is None      # "stop" is as near
    assert _lexicon(["stock", "stork"], []).correct("stok") is None    # two words as near
    assert _lexicon(["stock"], []).correct("sto") is None              # three letters: never


@pytest.mark.parametrize("kind, start, end", [
    ("this_year", "2026-01-01", "2026-10-31"),
    ("this_quarter", "2026-10-01", "2026-10-31"),
    ("this_month", "2026-11-01", "2026-11-01"),   # starts on the as-of day: that day alone
    ("last_month", "2026-10-01", "2026-10-31"),
])
def test_periods_to_date_end_before_the_as_of_day(kind, start, end):
    period = relative_period(kind, AS_OF)
    assert (period.start, period.end) == (start, end)


# --- Slips mended before the rewrites read the words; a swap from one English word; far keys vs jumbled letters ---
# Rule 1: a slip is mended before the parser's own text rewrites ("twice their reorder level", "since the start
# of this year", "ordered more than twice") read the words, so they read it mended; a quoted text stays as written.
# Rule 2: a token that is not an English word, two neighbours swapped from exactly one common English word, is read
# as that word ("whoveer": "whoever"); two such words ("hwoever": "however" or "whoever") leave it unmended.
# Rule 3: one letter typed for a far key ("cotsumers": "consumers") is no nearer than the same letters jumbled
# ("customers"): both are named and nothing is guessed.
@pytest.mark.parametrize("slipped, meant", [
    ("which products have stock above twice their reorder lveel", "which products have stock above twice their reorder level"),
    ("customers that ordreed more than twice", "customers that ordered more than twice"),
    ("total revenue sicne the start of this year", "total revenue since the start of this year"),
    ("how many unist would it take to bring each one back up to its reorder level",
     "how many units would it take to bring each one back up to its reorder level"),
    ("what is the email of whoveer placed order 2500", "what is the email of whoever placed order 2500"),
    ("units sold from September onwrads", "units sold from September onwards"),
])
def test_a_slip_in_a_rewritten_phrase_answers_like_the_clean_one(parser, engine, slipped, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, slipped)), slipped


def test_a_mended_slip_is_named_in_the_reading_and_quoted_text_is_kept(parser):
    result = parser.parse("total revenue sicne the start of this year", date_of_tests())
    assert "'sicne' as 'since'" in result.interpretation
    quoted = parser.parse('how many products have "lveel" in their name', date_of_tests())
    assert "lveel" in quoted.sql and "level" not in quoted.sql.lower().replace("reorder_level", "")


@pytest.mark.parametrize("token, meant", [
    ("whoveer", "whoever"), ("daets", "dates"), ("gievs", "gives"),   # one English word a swap away
    ("hwoever", None),                                                  # "however" or "whoever": a tie
])
def test_a_swap_from_one_english_word_is_mended(parser, token, meant):
    assert parser.lexicon.mend(token)[0] == meant


def test_a_far_key_letter_and_a_jumbled_word_are_both_named(parser):
    assert parser.lexicon.mend("cotsumers") == (None, ("consumers", "customers"))
    assert parser.lexicon.mend("costumers") == ("customers", ())   # one exchange, no far key: still mended
    with pytest.raises(NotUnderstood, match=r"'cotsumers' \(could be 'consumers' or 'customers'\)"):
        parser.parse("how many cotsumers signed up in 2025", date_of_tests())


# a slip that lost a letter ("deliveris": "deliveries") is nearer than one that typed a letter the word lacks
# ("delivers"); a misspelling is no phrase of the layer, so it is mended like any other ("candiates": was refused)
@pytest.mark.parametrize("question, gold", [
    ("number of late deliveris per carrier last quarter",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' GROUP BY 1"),
    ("Candiates for a price increase: active products with a margin under 30% that sold more than 100 units in 2025",
     "SELECT p.name FROM products p JOIN order_items oi USING (product_id) JOIN orders o USING (order_id) "
     f"WHERE p.active AND (p.unit_price - p.unit_cost) / p.unit_price < 0.3 AND {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY p.product_id, p.name HAVING SUM(oi.quantity) > 100"),
])
def test_a_lost_letter_and_a_misspelt_phrase(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# one of a double lost from a common English word the lake lacks ("acount": "account") is that word, left unexplained,
# not a letter replaced in a known one (was: "amount", a blocker that kept the plan from being set aside); since
# the layer's purposes say "a key-account manager", "account" is a word the parser knows, and the slip is that word
def test_a_lost_double_letter_of_an_english_word_is_not_mended_elsewhere(parser, engine):
    assert parser.lexicon.mend("acount") in ((None, ()), ("account", ()))
    assert_answers_like(
        parser, engine, "Top 10 customers by revenue this year - who should our acount managers look after?",
        "SELECT c.name, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) "
        f"WHERE {VALID} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
        "GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 10")


# "payed", a common misspelling that is an English word (so never mended), is the status paid (was: refused)
@pytest.mark.parametrize("question, gold", [
    ("number of orders that are payed but not shipped yet", "SELECT COUNT(*) FROM orders WHERE status = 'paid'"),
])
def test_payed_is_paid(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "whos", the apostrophe left out (as "whats"), is "who's" (was: refused, 'whos' unplaced)
@pytest.mark.parametrize("question, gold", [
    ("which carrier should we use? whos fastest on average delivery time in 2025",
     "SELECT carrier, AVG(date_diff('second', shipped_at, delivered_at)) / 86400.0 a FROM shipments "
     "WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1 ORDER BY a ASC LIMIT 1"),
])
def test_whos_is_who_is(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, unplaced", [
    ("Stihl revenue 2025", "stihl"),                     # near "still": a name the lake lacks, not a slip
    ("Verry revenue in 2025", "verry"),                  # near "very": no question opens with it
])
def test_a_capital_opening_word_is_not_mended_into_a_word_of_no_meaning(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=f"could not place '{unplaced}'"):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("slipped, meant", [
    ("Whcih product sold the most units in 2025?", "Which product sold the most units in 2025?"),
    ("Toatl revenue in 2025", "Total revenue in 2025"),
    ("Pleaes list open orders of customer 15", "Please list open orders of customer 15"),
])
def test_a_slip_in_a_word_that_opens_questions_is_still_mended(parser, engine, slipped, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, slipped)), slipped


@pytest.mark.parametrize("question, gold", [
    # a capitalised name with two neighbours swapped is the lake's name, never a function word ("Olso" not "also")
    ("how many customers live in Ouul", "SELECT COUNT(*) FROM customers WHERE city = 'Oulu'"),
    ("customers in Epsoo", "SELECT customer_id FROM customers WHERE city = 'Espoo'"),
    ("Epsoo customers", "SELECT customer_id FROM customers WHERE city = 'Espoo'"),  # opening the sentence too
    # a capitalised slip of a month name is still the month (not kept as a name)
    ("How many orders were placed in Novmber 2025?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-11-01' AND DATE '2025-11-30'"),
    # a four-letter swap that makes a phrase with its neighbour ("all time"), not the other word as near ("item")
    ("Which brand sold the most units of all itme?",
     "SELECT p.brand, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY u DESC LIMIT 1"),
])
def test_a_swapped_name_and_a_swap_that_makes_a_phrase(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "makitas revenue": a name's possessive with the apostrophe left out reads as "makita's" (only a word neither the
# lexicon nor English knows; "what brings the most revenue" keeps its verb) (was: refused, the word not placed)
@pytest.mark.parametrize("slipped, meant", [
    ("makitas revenue in 2025", "makita's revenue in 2025"),
    ("what was schenkers average delivery time in September 2026", "what was schenker's average delivery time in "
     "September 2026"),
])
def test_a_possessive_without_its_apostrophe_is_the_name(parser, engine, slipped, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, slipped)), slipped


# "per chanle": a far key typed ("change") is no nearer than two neighbours swapped on top of a lost double letter
# ("channel"); both are named and the question refused (was: read as "change", a growth figure: a silent wrong)
def test_a_far_key_letter_and_a_swapped_misspelling_are_both_named(parser):
    assert parser.lexicon.mend("chanle") == (None, ("change", "channel"))
    assert parser.lexicon.mend("chanel") == ("channel", ())   # one letter lost: still mended
    for question in ("revenue split by chanle for 2025", "units sold per brand and chanle in 2026"):
        with pytest.raises(NotUnderstood):
            parser.parse(question, date_of_tests())


# a slip in the function words of "among our top N ..., which ones ..." (the condition tested within the ranking)
# and in the second noun of a possessive ("consumer customers' odrers": the orders are counted) reads as the clean
# question (was: the condition ranked first, and the customers counted: silent wrongs)
@pytest.mark.parametrize("slipped, meant", [
    ("Amogn the top 5 products by revenue in 2025, which ones have a margin below 40%?",
     "Among the top 5 products by revenue in 2025, which ones have a margin below 40%?"),
    ("Of our top 10 products by units sold in 2025, wihch ones are out of stock now?",
     "Of our top 10 products by units sold in 2025, which ones are out of stock now?"),
    ("orders per status of consumer customers' odrers in 2025",
     "orders per status of consumer customers' orders in 2025"),
])
def test_a_slip_in_a_shape_read_from_the_words_answers_like_the_clean_one(parser, engine, slipped, meant):
    assert results_match(answer(parser, engine, meant), answer(parser, engine, slipped)), slipped


# a slip on top of a misspelling that keeps every letter typed: a past tense swapped ("delivedr": "delivered", not
# "deliver" with a stray "d"), a plural kept plural ("warehsues": "warehouses", the total over all of them, not per
# warehouse), a letter lost and a swap in five letters ("odres"), a segment ("busiens": "business", not "busiest",
# which lacks the "n"), a function word the same letters make ("basde": "based", not "base"), and a shape read off the
# written words ("all of those placed on the earliset date") (was: silent wrongs or refusals)
@pytest.mark.parametrize("question, gold", [
    ("how many parcels were delivedr in September 2026",
     "SELECT COUNT(*) FROM shipments WHERE CAST(delivered_at AS DATE) BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("Makita Hammer units on hand in our warehsues altogether",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Makita Hammer'"),
    ("odres per channel in October",
     "SELECT channel, COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("revenue from busiens customers in 2025",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.segment = 'business' AND year(o.order_date) = 2025"),
    ("late delivreis per carrier in 2025",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND year(shipped_at) = 2025 GROUP BY 1"),
    ("Which customers are basde in Oslo?", "SELECT customer_id, name FROM customers WHERE city = 'Oslo'"),
    ("the oldest paid orders - all of those placed on the earliset date",
     "SELECT order_id FROM orders WHERE status = 'paid' AND order_date = "
     "(SELECT MIN(order_date) FROM orders WHERE status = 'paid')"),
])
def test_a_slip_that_keeps_every_letter_typed_answers_like_its_gold(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# ... but a slip equally near words the typed letters fit stays unmended: "delievres" ("deliveres": a letter lost from
# "deliveries", one added to "delivers", a neighbouring key in "delivered"), "pacle" ("parcel" or "place", two swaps)
def test_a_slip_near_words_the_typed_letters_all_fit_is_refused(parser):
    assert parser.lexicon.mend("ordedr") == ("ordered", ())
    assert parser.lexicon.mend("delievres") == (None, ("delivered", "deliveries", "delivers"))
    assert parser.lexicon.mend("pacle") == (None, ())
    for question in ("which carrier is best for delievres to Bergen customers?", "how many orders did they pacle in 2025"):
        with pytest.raises(NotUnderstood):
            parser.parse(question, date_of_tests())


# a grammar table the layer marks "typo_target": false holds words tested in one place of one shape only: they are
# not words a slip is mended to. The days-of-stock pace words are so marked: "pacle" is no slip of 'pace' and the
# question stays refused; the same layer with the mark taken off mends it and answers (the mark is what is read);
# a table left unmarked (the aggregates) still mends its words ("medain" is 'median')
DAYS_LEFT_AT_A_SLIPPED_PACE = ("which products have under 20 days of stock remaining at their average daily pacle of "
                               "units sold over the last 60 days")


def _layer_without_typo_mark(parser, table: str):
    import copy
    import dataclasses

    from commerce_platform.copilot.parser import SemanticParser

    grammar = copy.deepcopy(parser.layer.grammar)
    assert grammar[table].pop("typo_target") is False, f"{table}: not marked in the shipped layer"
    return SemanticParser(parser.vocab, dataclasses.replace(parser.layer, grammar=grammar))


def test_a_table_marked_no_typo_target_is_no_word_a_slip_is_mended_to(parser):
    assert parser.lexicon.mend("pacle") == (None, ())
    assert "pace" not in parser.lexicon.extra_words
    assert parser.lexicon.mend("medain") == ("median", ())
    with pytest.raises(NotUnderstood):
        parser.parse(DAYS_LEFT_AT_A_SLIPPED_PACE, COPILOT_AS_OF)
    unmarked = _layer_without_typo_mark(parser, "days_of_stock")
    assert "pace" in unmarked.lexicon.extra_words
    assert unmarked.lexicon.mend("pacle") == ("pace", ())
    assert unmarked.parse(DAYS_LEFT_AT_A_SLIPPED_PACE, COPILOT_AS_OF).sql


# "the Husqvarna Cordless Dril": a four-letter word written as a name, right after the words a product name of the
# lake opens with, is that name's next word when exactly one is one edit away (was: not found); two edits away it
# stays not found
@pytest.mark.parametrize("question, gold", [
    ("how many Husqvarna Cordless Dril units do we have per warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Husqvarna Cordless Drill' GROUP BY i.warehouse"),
    ("units sold of the Husqvarna Cordless Drll in 2025",
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE p.name = 'Husqvarna Cordless Drill' AND o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_a_short_slip_closing_a_product_name(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_far_slip_closing_a_product_name_is_not_found(parser):
    with pytest.raises(NotFound):
        parser.parse("stock of the Husqvarna Cordless Dirl", COPILOT_AS_OF)
