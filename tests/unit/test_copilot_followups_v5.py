"""Fifth follow-up round: periods named relative to the previous answer's period ("the prior
quarter", "same period last year"), pronouns over a ranking's top ones, a changed number (the
limit, a threshold), the opposite of a condition said in other words, and the previous count
listed with a column."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

VALID = VALID_ORDER


@pytest.mark.parametrize("context, question, gold", [
    # a period counted back from the previous answer's period, not from today
    (["number of customers who joined in 2024"], "and the prior year?",
     "SELECT COUNT(*) FROM customers WHERE year(signup_date) = 2023"),
    (["how many orders were placed in May 2026"], "what about the preceding month?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-04-30'"),
    (["store revenue in Q3 2025"], "and the previous quarter",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.channel = 'store' "
     "AND o.order_date BETWEEN DATE '2025-04-01' AND DATE '2025-06-30'"),
    (["units sold in September 2026"], "same period last year?",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2025-09-01' AND DATE '2025-09-30'"),
    (["web orders from 2026-02-10 to 2026-03-05"], "and the same dates a year ago?",
     "SELECT COUNT(*) FROM orders WHERE channel = 'web' AND order_date BETWEEN DATE '2025-02-10' AND DATE '2025-03-05'"),
    # a mended typo in the follow-up still counts back from the previous period ("peroid" reads as "period")
    (["web revenue in August 2026"], "same peroid last year?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.channel = 'web' "
     "AND o.order_date BETWEEN DATE '2025-08-01' AND DATE '2025-08-31'"),
    (["revenue in 2025"], "and the previuos year?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND year(o.order_date) = 2024"),
])
def test_follow_up_period_relative_to_the_previous_one(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, gold", [
    # the one customer named before: their orders, in the period the follow-up names
    (["which country is Helmi Larsen from?"], "show me her orders from last quarter",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Helmi Larsen' "
     "AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    (["customer 23"], "how many orders did he place in 2025?",
     "SELECT COUNT(*) FROM orders WHERE customer_id = 23 AND year(order_date) = 2025"),
    (["details of customer 8"], "list all their orders",
     "SELECT order_id FROM orders WHERE customer_id = 8"),
    # a ranking of customers: the same top ones with their city, or their spend beside
    (["top 4 customers by units sold in 2026"], "where are they based?",
     f"SELECT c.name, c.city, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN customers c "
     f"USING (customer_id) WHERE {VALID} AND year(o.order_date) = 2026 GROUP BY c.customer_id, c.name, c.city "
     "ORDER BY q DESC LIMIT 4"),
    (["which 3 customers had the most delivered orders in 2025"], "and how much did they spend?",
     "SELECT c.name, COUNT(*) n, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status = 'delivered' AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name ORDER BY n DESC LIMIT 3"),
    # the largest orders: who placed them (the same orders, their customer beside)
    (["the largest order by total amount"], "who placed it?",
     "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) ORDER BY o.total_amount DESC LIMIT 1"),
    (["3 biggest orders in 2025"], "which customers made them?",
     "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) WHERE year(o.order_date) = 2025 "
     "ORDER BY o.total_amount DESC LIMIT 3"),
])
def test_follow_up_pronoun_over_the_previous_ones(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context", [
    "which customer placed the most orders",       # cancelled orders counted: revenue's filter would recount
    "top 3 customers by units sold this year",     # a measure of lines: the orders' totals would sum per line
])
def test_spend_beside_a_ranking_it_would_change_is_refused(parser, context):
    form = parser.parse(context, COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="top ones could change"):
        parser.parse("how much did they spend?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # the ranking's limit changed, the ranking kept
    (["top 2 brands by revenue in 2025"], "show me 6 instead",
     f"SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY 1 ORDER BY r DESC LIMIT 6"),
    (["5 cheapest products"], "make it 2",
     "SELECT name FROM products ORDER BY unit_price ASC LIMIT 2"),
    # the one threshold changed, with the comparator the follow-up says
    (["how many orders above 300 euros were placed in Q2 2026"], "and below 100?",
     "SELECT COUNT(*) FROM orders WHERE total_amount < 100 AND order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
    (["customers with more than 3 orders in 2025"], "what about at least 20?",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE year(o.order_date) = 2025 "
     "GROUP BY c.customer_id, c.name HAVING COUNT(*) >= 20"),
])
def test_follow_up_changes_the_one_number(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, said", [
    (["revenue by channel in 2025"], "and over 5000?", "no threshold"),
    (["orders over 200 EUR with more than 3 lines"], "and over 500?", "2 thresholds"),
    # a ranking with a threshold: a bare number could change either
    (["top 5 customers with more than 10 orders"], "and 20?", "the limit or the threshold"),
])
def test_a_number_with_nothing_to_change_is_refused(parser, context, question, said):
    form = parser.parse(context[0], COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match=said):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "on time" is the complement of "late" among delivered shipments, whatever else the question kept
    (["how many DHL shipments were late in September 2026"], "and how many were on time?",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'DHL' AND delivered_at IS NOT NULL AND "
     "delivered_at <= shipped_at + INTERVAL 3 DAY AND shipped_at >= TIMESTAMP '2026-09-01' "
     "AND shipped_at < TIMESTAMP '2026-10-01'"),
    (["late shipments in Q2 2026"], "and the punctual ones?",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NOT NULL AND delivered_at <= shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2026-04-01' AND shipped_at < TIMESTAMP '2026-07-01'"),
])
def test_follow_up_names_the_opposite_of_the_previous_condition(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, gold", [
    # the things counted before, listed with the columns the follow-up names
    (["how many products are discontinued"], "show them with their unit cost",
     "SELECT name, unit_cost FROM products WHERE NOT active"),
    (["how many store orders were cancelled in 2025"], "list them with their order amounts",
     "SELECT order_id, total_amount FROM orders WHERE channel = 'store' AND status = 'cancelled' "
     "AND year(order_date) = 2025"),
    # "what is their value?" asks for a figure, not a list with a column
    (["how many web orders are paid"], "and what's their total value?",
     "SELECT SUM(total_amount) FROM orders WHERE channel = 'web' AND status = 'paid'"),
])
def test_follow_up_lists_the_counted_things_with_columns(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, gold", [
    # a verb that only says the grouping after it
    (["units sold in 2025"], "divide it up by category",
     f"SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1"),
    (["stock of Tools products"], "split that by warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category = 'Tools' GROUP BY 1"),
    # a verb that only says a carrier carries it: the order's carrier
    (["show order 1200"], "which carrier is delivering it?",
     "SELECT carrier FROM shipments WHERE order_id = 1200"),
])
def test_follow_up_verbs_around_what_it_names(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question", [
    # a name the lake does not hold, beside the dimension the previous question filtered on
    ("total stock in Kuopio", "and in the Tallinna warehouse?"),
    ("how many DHL shipments were delivered in 2025", "what about carrier Ekspressi?"),
])
def test_follow_up_naming_a_value_the_lake_lacks_is_not_found(parser, context, question):
    from commerce_platform.errors import NotFound

    form = parser.parse(context, COPILOT_AS_OF).form
    with pytest.raises(NotFound, match="there is no"):
        parser.parse(question, COPILOT_AS_OF, form)


def test_an_unread_word_elsewhere_is_still_not_understood(parser):
    # the word is not beside the filtered dimension: not a value, so the question is refused as unread
    form = parser.parse("total stock in Kuopio", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("and the frobnicated ones in that warehouse?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "they" after a top N: the same top ones, what describes them or a new figure beside
    (["top 3 customers by revenue last year"], "what city are they in?",
     f"SELECT c.name, c.city, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name, c.city ORDER BY r DESC LIMIT 3"),
    (["top 4 customers by number of orders in 2025"], "and what segment are they?",
     "SELECT c.name, c.segment, COUNT(*) n FROM orders o JOIN customers c USING (customer_id) "
     "WHERE year(o.order_date) = 2025 GROUP BY c.customer_id, c.name, c.segment ORDER BY n DESC LIMIT 4"),
    # a new grouping without pointing back still replaces the old one
    (["top 3 customers by revenue last year"], "same for cities",
     f"SELECT c.city, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 3"),
    # one customer named before: their spend in the period the follow-up names
    (["customer 12"], "how much did she spend last year?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.customer_id = 12 AND year(o.order_date) = 2025"),
])
def test_follow_up_about_the_ranked_or_named_ones(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, said", [
    # a figure beside a top N that cannot be computed with it: refused, never re-ranked by it
    ("top 5 products by units sold", "how much stock do they have?", "more than once"),
    # the top ones of one period in another: not a question the form can say
    ("top 3 customers by revenue last year", "how much did they spend in 2024?", "apply the period"),
])
def test_follow_up_about_the_ranked_ones_that_cannot_apply_is_refused(parser, context, question, said):
    form = parser.parse(context, COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match=said):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # the listed things counted, the same conditions kept
    (["late shipments in 2025"], "how many?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY AND year(shipped_at) = 2025"),
    (["products low on stock in Kuopio"], "how many are there?",
     "SELECT COUNT(*) FROM (SELECT product_id FROM inventory WHERE warehouse = 'Kuopio' "
     "GROUP BY product_id HAVING SUM(quantity_on_hand) <= SUM(reorder_level))"),
    # another thing counted for the listed ones: their orders, never the listed ones again
    (["customers in Tampere"], "and how many orders have they placed?",
     "SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Tampere'"),
])
def test_follow_up_counts_the_listed_things(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, said", [
    # a top N cut counted says nothing (a condition within a top N: test_copilot_tune_followups.py)
    ("the 3 largest orders of 2025", "how many are there?", "cut to its first rows"),
])
def test_follow_up_on_a_cut_list_is_refused(parser, context, question, said):
    form = parser.parse(context, COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match=said):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "its" points back: the figure of the one listed thing, not of all of them
    (["the cheapest product"], "what is its margin?",
     "SELECT name, (unit_price - unit_cost) / unit_price FROM products ORDER BY unit_price ASC LIMIT 1"),
    # a condition on the same columns replaces the old one (never both: a contradiction, an empty answer)
    (["how many active products are there"], "and inactive?",
     "SELECT COUNT(*) FROM products WHERE NOT active"),
    (["late shipments in September 2026"], "and the undelivered ones?",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL AND shipped_at >= TIMESTAMP '2026-09-01' "
     "AND shipped_at < TIMESTAMP '2026-10-01'"),
    # the other values of the one filtered dimension, with the dimension named or not
    (["how many customers are in Sweden"], "and in the other countries?",
     "SELECT COUNT(*) FROM customers WHERE country <> 'SE'"),
    (["stock in Drammen"], "and everywhere else?",
     "SELECT SUM(quantity_on_hand) FROM inventory WHERE warehouse <> 'Drammen'"),
])
def test_follow_up_replaces_or_complements_what_it_points_at(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_a_count_beside_listed_rows_is_refused(parser):
    # "how many did we sell" is no count of the listed product: refused, never dropped silently
    form = parser.parse("the cheapest product", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="what to count"):
        parser.parse("how many did we sell in 2025?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # a superlative alone after figures per group: the one figure ranked, one group when "the"/"which" names one
    (["units sold by category in 2025"], "and the lowest?",
     f"SELECT p.category, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY q ASC LIMIT 1"),
    (["revenue by channel in Q3 2026"], "which was the best?",
     f"SELECT o.channel, SUM(o.total_amount) r FROM orders o WHERE {VALID} AND o.order_date BETWEEN DATE '2026-07-01' "
     "AND DATE '2026-09-30' GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    (["average delivery time per carrier in 2025"], "and the fastest?",
     "SELECT carrier, AVG(epoch(delivered_at) - epoch(shipped_at)) / 86400 d FROM shipments WHERE delivered_at IS NOT NULL "
     "AND year(shipped_at) = 2025 GROUP BY 1 ORDER BY d ASC LIMIT 1"),
    # "who ..." names no one: among the previous answer's ones
    (["list customers in Espoo"], "who spent the most?",
     f"SELECT c.name, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.city = 'Espoo' GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 1"),
])
def test_follow_up_ranks_the_previous_figures(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question, gold", [
    # the previous figures the other way round (every row kept)
    (["units sold by brand in 2025"], "sort it ascending",
     f"SELECT p.brand, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY q ASC"),
    # a bare column named with "their" describes the ranked ones: beside them, the ranking kept
    (["top 4 products by units sold in 2026"], "and their categories?",
     f"SELECT p.name, p.category, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND year(o.order_date) = 2026 GROUP BY p.product_id, p.name, p.category "
     "ORDER BY q DESC LIMIT 4"),
])
def test_follow_up_reorders_or_describes_the_previous_rows(parser, engine, context, question, gold):
    rows = answer(parser, engine, question, context)
    assert results_match(engine.execute(gold).rows, rows), question


def test_sorting_the_order_of_a_sorted_answer_keeps_its_order(parser, engine):
    # ascending means the order of the rows too, not only the same set
    rows = answer(parser, engine, "lowest first", ["revenue by channel in 2025"])
    assert [r[-1] for r in rows] == sorted(r[-1] for r in rows)


def test_a_top_n_sorted_the_other_way_is_refused(parser):
    form = parser.parse("top 5 brands by revenue", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="cut to its top rows"):
        parser.parse("lowest first", COPILOT_AS_OF, form)


def test_who_after_a_figure_about_no_customers_still_names_customers(parser, engine):
    # "who" among the previous ones only when those were customers; else a ranking of customers
    rows = answer(parser, engine, "who spent the most?", ["revenue in 2025"])
    assert len(rows) > 1 and all(isinstance(r[0], str) for r in rows)


def test_ordered_is_no_sorting_word(parser):
    # "who ordered the most?" places orders: never the previous list sorted the other way
    form = parser.parse("open orders", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("who ordered the most?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "ones" points back: the previous question with the condition added
    (["number of shipments by carrier in October 2026"], "late ones only",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2026-10-01' AND shipped_at < TIMESTAMP '2026-11-01' GROUP BY 1"),
    # a count before, "list the ... ones": the counted things listed with the new condition
    (["how many customers do we have in Denmark"], "list the business ones",
     "SELECT name FROM customers WHERE country = 'DK' AND segment = 'business'"),
    # "just the X ones" after a top N restates the ranking with the condition
    (["top 3 products by units sold in 2025"], "just the Garden ones",
     f"SELECT p.name, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category = 'Garden' AND year(o.order_date) = 2025 "
     "GROUP BY p.product_id, p.name ORDER BY q DESC LIMIT 3"),
    # a figure alone is of the previous answer's things and period
    (["revenue in 2025"], "how many units?",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025"),
])
def test_follow_up_without_connective_still_follows(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question
