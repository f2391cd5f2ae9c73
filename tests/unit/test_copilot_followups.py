"""Follow-ups: a follow-up carries the whole previous question and changes only what it says.

What each part checks:
- Questions that point back at the previous answer without naming it (pronouns over the one thing or the things
  counted), the complement of its condition, dropping its period, and the growth between the periods of the two
  turns before.
- Periods named relative to the previous answer's period ("the prior quarter", "same period last year"), pronouns
  over a ranking's top ones, a changed number (the limit, a threshold), the opposite of a condition said in
  other words, and the previous count listed with a column.
- A new grouping replaces the previous one unless the follow-up says it adds ("too", "split that by ..."), and the
  other follow-up phenomena of this round, each checked against gold SQL on the demo lake.
- A count whose thing is left out ("how many came from ...", "how many did we sell"), "that" as the subject of
  "was" pointing at the previous top one, "break it down by" after a list, and "who are the customers?" after a
  list of orders.
- A follow-up carries the whole previous question and changes only what it says. "same period in 2025" moves the
  previous period to that year; "October this year" is one month; "per product" regroups the previous figure;
  "how many of them ..." counts the listed things (a thing named after them is a condition, "have ordered" one
  too); "which carrier has it?" after a ranked order is a column beside it, and "who was the customer?" the
  customer beside it; "what was in it?" / "that order" after a ranked order are that order's lines; "how many
  orders have they placed?" after the newest customer counts that one's orders; "its best product by units"
  ranks within the previous top on the figure named.
- "those"/"these" standing alone point back at the previous answer, so the question is never answered afresh with
  the previous conditions dropped.
- Follow-ups that widen or recount the previous question. "not just <value>" / "not only <value>" drops the
  previous condition on that value's field (the rest kept; "all <value> products" keeps its value); "including
  <the complement>" or "<the complement> too" after a condition drops both ("active" and "inactive" together are
  every product); "and all <dimension> too" after an earlier drop drops that condition as well; "the number of
  <things>" after a figure that counted nothing (revenue by country) counts those things under the same
  conditions, never the orders; "how much did he spend?" after one customer's orders counted is their revenue;
  "their total <amount>" after things counted sums that amount of them; "for each" closing a follow-up is its
  groups.
"""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotFound, NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

pytestmark = pytest.mark.functional


VALID = VALID_ORDER


@pytest.mark.parametrize("context, question, gold", [
    # one order named before: its customer, its lines
    (["give me the details of order 777"], "and who ordered it?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 777"),
    (["when was order 2500 shipped"], "which customer placed it?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 2500"),
    (["status of order 310"], "what did it contain?",
     "SELECT p.name, oi.quantity FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id = 310"),
    (["show me order 64"], "which products were in it",
     "SELECT p.name, oi.quantity FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id = 64"),
    # (a cancelled one: no shipment, so its dates are empty rather than the order missing)
    (["what is the status of order 905"], "and when did it arrive?",
     "SELECT s.delivered_at FROM orders o LEFT JOIN shipments s USING (order_id) WHERE o.order_id = 905"),
    # one customer named before: what they spent, where they live
    (["customer 42"], "how much have they spent?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.customer_id = 42"),
    (["show customer 7"], "where does he live?",
     "SELECT city, country FROM customers WHERE customer_id = 7"),
    (["when did Helmi Larsen sign up"], "and where is she located?",
     "SELECT city, country FROM customers WHERE name = 'Helmi Larsen'"),
    # a count before: the things counted, listed; what they spent together
    (["how many customers signed up in 2025 in Denmark"], "which ones are they?",
     "SELECT name FROM customers WHERE country = 'DK' AND year(signup_date) = 2025"),
    (["how many consumer customers are in Oslo"], "list them",
     "SELECT name, email FROM customers WHERE segment = 'consumer' AND city = 'Oslo'"),
    (["number of business customers in Turku"], "how much did they spend in total?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.segment = 'business' AND c.city = 'Turku'"),
    # a count before names the things counted, even when it also names one customer
    (["how many orders has customer 31 placed"], "show them",
     "SELECT order_id FROM orders WHERE customer_id = 31"),
    # the count of another thing beside a ranking keeps the ranking (a new one could name others); the orders
    # counted are of any status, as a count of orders alone (each figure over its own rows)
    (["top 2 customers by revenue in 2026"], "and how many orders did they place?",
     f"SELECT c.name, SUM(o.total_amount) FILTER (WHERE {VALID}) r, COUNT(*) FROM orders o JOIN customers c "
     "USING (customer_id) WHERE year(o.order_date) = 2026 GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 2"),
    # "except ..." adds a condition to the previous question
    (["units sold by category in Q1 2026"], "except store orders",
     f"SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND o.channel <> 'store' AND o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-03-31' GROUP BY 1"),
    # the complement of the one condition
    (["how many products are discontinued"], "and the ones that are not?",
     "SELECT COUNT(*) FROM products WHERE active"),
    (["how many orders were placed on the web in 2025"], "what about the others?",
     "SELECT COUNT(*) FROM orders WHERE channel <> 'web' AND year(order_date) = 2025"),
    # the period dropped, everything else kept
    (["units sold of Garden products in Q3 2026"], "same without the date filter",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category = 'Garden'"),
    (["store revenue last quarter"], "and for all time?",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.channel = 'store'"),
    # growth between the periods of the two turns before, the later over the earlier
    (["number of orders in August 2026", "and in June 2026?"], "how much did it grow between them, in %?",
     "SELECT 100.0 * (COUNT(*) FILTER (WHERE month(order_date) = 8) - COUNT(*) FILTER (WHERE month(order_date) = 6))"
     " / COUNT(*) FILTER (WHERE month(order_date) = 6) FROM orders WHERE year(order_date) = 2026"),
    # an earlier follow-up capability still holds: the bottom N of a ranking, and all values of a filter
    (["top 4 brands by units sold in 2025"], "and the bottom 4?",
     f"SELECT p.brand, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY q ASC LIMIT 4"),
    (["store orders in September 2026"], "what about every channel?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    (["list the store orders in September 2026"], "what about every channel?",
     "SELECT order_id FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
])
def test_follow_up_pointing_back(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, said", [
    # two conditions: which one is meant is a guess
    (["how many business customers are in Espoo"], "and the ones that aren't?", "2 conditions"),
    # no period to drop
    (["how many products are out of stock"], "now without the period restriction", "no period to drop"),
    # a count of orders names no single customer to have spent anything
    (["how many orders were cancelled"], "how much did they spend?", "refers to"),
    # a word left over in a follow-up: the refusal says which question it followed
    (["units sold by brand in 2025"], "and by warehouse colour?", "as a follow-up to the previous question"),
    # a question that changes nothing
    (["revenue by category in 2025"], "and what does it mean?", "changes in the previous question"),
    # "rather than" a grouping the previous question did not have: nothing it replaces
    (["number of customers per country"], "can you split that by segment rather than city?", "'rather', 'than'"),
    # "each of them" after one summed figure: no rows to take each of (was: the total again, "each" dropped)
    (["what was the revenue in 2024?"], "and what did each of them spend?", "no rows to take each of"),
    # listed by a period of their own (signed up in 2025): when the figure is counted is not said, not guessed
    (["list customers who signed up in 2025"], "how much has each of them spent?", "'each'"),
])
def test_follow_up_that_cannot_apply_names_the_previous_question(parser, context, question, said):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood) as refused:
        parser.parse(question, COPILOT_AS_OF, form)
    message = str(refused.value)
    assert said in message
    # the refusal reads back what the previous question computed
    assert form is not None and any(word in message for word in ("number of", "revenue", "units sold", "list of"))


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
    assert_answers_like(parser, engine, question, gold, context)


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
    assert_answers_like(parser, engine, question, gold, context)


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
    # no limit to change: the one threshold's number, on its comparator (was: refused)
    (["products with less than 20 in stock"], "make it 30",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) < 30"),
    # a 0-1 fraction asked in percent: the new number on the same scale (was: margin < 30)
    (["which products have a margin under 25%?"], "make it 30",
     "SELECT name FROM products WHERE (unit_price - unit_cost) / unit_price < 0.30"),
    (["which products have a margin under 25%?"], "what about over 40?",
     "SELECT name FROM products WHERE (unit_price - unit_cost) / unit_price > 0.40"),
])
def test_follow_up_changes_the_one_number(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, said", [
    (["revenue by channel in 2025"], "and over 5000?", "no threshold"),
    (["orders over 200 EUR with more than 3 lines"], "and over 500?", "2 thresholds"),
    # a ranking with a threshold: a bare number could change either
    (["top 5 customers with more than 10 orders"], "and 20?", "the limit or the threshold"),
    # a number under 1 after a fraction said in percent: either scale
    (["which products have a margin under 25%?"], "make it 0.3", "a percent or a fraction"),
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
    (["list late shipments in Q2 2026"], "and the punctual ones?",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NOT NULL AND delivered_at <= shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2026-04-01' AND shipped_at < TIMESTAMP '2026-07-01'"),
])
def test_follow_up_names_the_opposite_of_the_previous_condition(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


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
    assert_answers_like(parser, engine, question, gold, context)


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
    assert_answers_like(parser, engine, question, gold, context)


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
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, said", [
    # the top ones of one period in another: not a question the form can say
    ("top 3 customers by revenue last year", "how much did they spend in 2024?", "apply the period"),
])
def test_follow_up_about_the_ranked_ones_that_cannot_apply_is_refused(parser, context, question, said):
    form = parser.parse(context, COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match=said):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # the listed things counted, the same conditions kept
    (["list late shipments in 2025"], "how many?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY AND year(shipped_at) = 2025"),
    (["products low on stock in Kuopio"], "how many are there?",
     "SELECT COUNT(*) FROM (SELECT product_id FROM inventory WHERE warehouse = 'Kuopio' "
     "GROUP BY product_id HAVING SUM(quantity_on_hand) <= SUM(reorder_level))"),
    # another thing counted for the listed ones: their orders, never the listed ones again
    (["customers in Tampere"], "and how many orders have they placed?",
     "SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Tampere'"),
])
def test_follow_up_counts_the_listed_things(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, said", [
    # a top N cut counted says nothing (a condition within a top N: test_a_condition_within_the_previous_top)
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
    (["list late shipments in September 2026"], "and the undelivered ones?",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL AND shipped_at >= TIMESTAMP '2026-09-01' "
     "AND shipped_at < TIMESTAMP '2026-10-01'"),
    # the other values of the one filtered dimension, with the dimension named or not
    (["how many customers are in Sweden"], "and in the other countries?",
     "SELECT COUNT(*) FROM customers WHERE country <> 'SE'"),
    (["stock in Drammen"], "and everywhere else?",
     "SELECT SUM(quantity_on_hand) FROM inventory WHERE warehouse <> 'Drammen'"),
])
def test_follow_up_replaces_or_complements_what_it_points_at(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_a_count_beside_listed_rows_is_refused(parser):
    # a count of another kind is no count of the listed product: refused, never dropped silently
    form = parser.parse("the cheapest product", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="what to count"):
        parser.parse("how many did customers return in 2025?", COPILOT_AS_OF, form)
    # "how many did we sell" names no thing: the units sold of the one product ranked, as "how many of it did we sell"
    sql = parser.parse("how many did we sell in 2025?", COPILOT_AS_OF, form).sql
    assert "SUM(oi.quantity)" in sql and "previous_rows" in sql


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
    assert_answers_like(parser, engine, question, gold, context)


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
    # "who" among the previous ones only when those were customers; else a ranking of customers, the one
    # ranked first ("who spent the most": one person asked, as every blind writer read "who ... the most")
    rows = answer(parser, engine, "who spent the most?", ["revenue in 2025"])
    assert len(rows) == 1 and isinstance(rows[0][0], str)


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
    assert_answers_like(parser, engine, question, gold, context)


YTD = "o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"


@pytest.mark.parametrize("context, question, gold", [
    # a time grain named alone replaces the previous groups
    (["number of orders per channel this year"], "now by month",
     f"SELECT date_trunc('month', o.order_date), COUNT(*) FROM orders o WHERE {YTD} GROUP BY 1"),
    (["revenue per country in 2025"], "by quarter instead",
     "SELECT quarter(o.order_date), SUM(o.total_amount) FROM orders o WHERE o.status NOT IN ('cancelled', "
     "'returned') AND year(o.order_date) = 2025 GROUP BY 1"),
    # a dimension named alone replaces a previous time grain too
    (["revenue by month in 2025"], "by channel instead",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND year(o.order_date) = 2025 "
     "GROUP BY 1"),
    # "too", "also", "split that by": the new grouping beside the previous one
    (["orders per status"], "split that by channel too",
     "SELECT o.status, o.channel, COUNT(*) FROM orders o GROUP BY 1, 2"),
    (["orders per channel in 2025"], "and by status as well",
     "SELECT o.channel, o.status, COUNT(*) FROM orders o WHERE year(o.order_date) = 2025 GROUP BY 1, 2"),
    (["open orders per channel"], "split that by segment",
     "SELECT o.channel, c.segment, COUNT(*) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status IN ('pending', 'paid') GROUP BY 1, 2"),
])
def test_follow_up_grouping(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # "without the X ones": X left out where the previous question kept every value of its field, or several
    (["number of orders in September 2026"], "without the cancelled ones",
     "SELECT COUNT(*) FROM orders o WHERE o.status <> 'cancelled' AND o.order_date BETWEEN DATE '2026-09-01' "
     "AND DATE '2026-09-30'"),
    (["open orders in 2025"], "without the paid ones",
     "SELECT o.order_id FROM orders o WHERE o.status = 'pending' AND year(o.order_date) = 2025"),
    (["number of web orders in 2025"], "drop the web filter",  # the one value filtered on: the filter goes
     "SELECT COUNT(*) FROM orders o WHERE year(o.order_date) = 2025"),
    # "when did they last order?" after one customer: their one latest order
    (["show customer 15"], "when did they last order?",
     "SELECT MAX(o.order_date) FROM orders o WHERE o.customer_id = 15"),
    # "<entity> count" names a count of that entity
    (["average order value per channel in 2025"], "what about order count",
     "SELECT o.channel, COUNT(*) FROM orders o WHERE year(o.order_date) = 2025 GROUP BY 1"),
    # other values of a compared dimension: still compared side by side
    (["revenue Finland vs Sweden in 2025"], "what about Norway and Denmark instead?",
     f"SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND year(o.order_date) = 2025 AND c.country IN ('NO', 'DK') GROUP BY 1"),
])
def test_follow_up_filters_counts_and_one_latest(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


TOP10_CUSTOMERS_2025 = (
    f"SELECT c.customer_id, c.name, c.segment, c.country, SUM(o.total_amount) AS m FROM orders o JOIN customers c "
    f"USING (customer_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1, 2, 3, 4 ORDER BY m DESC LIMIT 10")
TOP5_CATEGORIES_2025 = (
    f"SELECT p.category, SUM(i.quantity) AS u FROM orders o JOIN order_items i USING (order_id) JOIN products p "
    f"USING (product_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY u DESC LIMIT 5")


@pytest.mark.parametrize("context, question, gold", [
    # a condition within the previous top N keeps some of those N (never a new top N of the ones meeting it)
    (["top 10 customers by revenue in 2025"], "which of them are business customers?",
     f"SELECT name FROM ({TOP10_CUSTOMERS_2025}) WHERE segment = 'business'"),
    (["top 10 customers by revenue in 2025", "which of them are business customers?"],
     "and which of those are in Finland?",
     f"SELECT name FROM ({TOP10_CUSTOMERS_2025}) WHERE segment = 'business' AND country = 'FI'"),
    (["top 5 categories by units sold in 2025"], "which of those sold under 900 units?",
     f"SELECT category FROM ({TOP5_CATEGORIES_2025}) WHERE u < 900"),
    (["top 10 products by revenue"], "which ones are low on stock?",
     f"WITH t AS (SELECT p.product_id, p.name, SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) AS m "
     f"FROM orders o JOIN order_items i USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     "GROUP BY 1, 2 ORDER BY m DESC LIMIT 10), s AS (SELECT product_id, SUM(quantity_on_hand) AS q, "
     "SUM(reorder_level) AS r FROM inventory GROUP BY 1) SELECT name FROM t JOIN s USING (product_id) WHERE q <= r"),
    # a count within the one top carrier: its late shipments
    (["top carrier by number of shipments in 2025"], "how many of those were late?",
     "WITH top AS (SELECT carrier, COUNT(*) AS n FROM shipments WHERE year(shipped_at) = 2025 GROUP BY 1 "
     "ORDER BY n DESC, carrier LIMIT 1) SELECT COUNT(*) FROM shipments WHERE carrier IN (SELECT carrier FROM top) "
     "AND year(shipped_at) = 2025 AND delivered_at > shipped_at + INTERVAL 3 DAY"),
])
def test_a_condition_within_the_previous_top(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_a_condition_within_a_top_of_another_shape_is_refused(parser):
    from commerce_platform.errors import NotUnderstood

    form = parser.parse("top 3 categories by revenue in each country in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="within the previous top"):
        parser.parse("which of those are Tools?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "as a share of <condition> <things>": the condition is the whole; the previous condition is the share's
    (["late shipments in 2025"], "now as a share of shipments to Finland",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.country = 'FI' AND s.delivered_at IS NOT NULL AND year(s.shipped_at) = 2025"),
    (["open orders per channel in 2025"], "show that as a share of web orders instead",
     "SELECT 'web', 1.0 * COUNT(*) FILTER (WHERE status IN ('pending', 'paid')) / COUNT(*) FROM orders "
     "WHERE channel = 'web' AND year(order_date) = 2025"),
])
def test_a_share_of_named_things(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # a share asked again on another scale: the same share
    (["share of orders cancelled in 2025"], "give it as a percentage",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE status = 'cancelled') / COUNT(*) FROM orders WHERE year(order_date) = 2025"),
    # "the most recent one" after a count: the counted things ranked on their own date
    (["how many orders did customer 15 place?"], "what's the most recent one?",
     "SELECT MAX(order_date) FROM orders WHERE customer_id = 15"),
    (["how many orders were cancelled in 2025"], "and the 3 biggest ones?",
     "SELECT total_amount FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025 "
     "ORDER BY total_amount DESC LIMIT 3"),
    # what listed orders are worth, and what one order's lines came to
    (["store orders still pending"], "what are they worth in total?",
     "SELECT SUM(total_amount) FROM orders WHERE channel = 'store' AND status = 'pending'"),
    (["what was in order 1200?"], "what did that come to in total?",
     "SELECT total_amount FROM orders WHERE order_id = 1200"),
])
def test_a_share_rescaled_a_count_ranked_and_a_list_totalled(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_a_list_with_no_worth_is_not_totalled(parser):
    from commerce_platform.errors import NotUnderstood

    form = parser.parse("products in the Garden category", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="worth"):
        parser.parse("what are they worth in total?", COPILOT_AS_OF, form)


TOP_BRAND_2025 = (
    f"SELECT p.brand FROM orders o JOIN order_items i USING (order_id) JOIN products p USING (product_id) "
    f"WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 "
    "ORDER BY SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) DESC LIMIT 1")


@pytest.mark.parametrize("context, question, gold", [
    # "by order count" ranks as "by number of orders"
    (["top 5 customers by order count"], "which of them are from Sweden?",
     "SELECT name FROM (SELECT c.name, c.country, COUNT(*) AS n FROM orders o JOIN customers c USING (customer_id) "
     "GROUP BY c.customer_id, 1, 2 ORDER BY n DESC, 1 LIMIT 5) WHERE country = 'SE'"),
    # another dimension's best within the one top thing, on the same figure
    (["which brand had the highest revenue in 2025?"], "what's its best product?",
     f"SELECT p.name, SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) AS r FROM orders o "
     f"JOIN order_items i USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     f"AND year(o.order_date) = 2025 AND p.brand = ({TOP_BRAND_2025}) GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    (["which brand had the highest revenue in 2025?"], "and its 3 best selling products?",
     f"SELECT p.name, SUM(i.quantity) AS u FROM orders o JOIN order_items i USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 AND p.brand = ({TOP_BRAND_2025}) "
     "GROUP BY 1 ORDER BY u DESC LIMIT 3"),
])
def test_within_the_top_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_where_the_one_top_product_is_stocked(parser, engine):
    gold = (f"WITH top AS (SELECT i.product_id FROM orders o JOIN order_items i USING (order_id) WHERE {VALID_ORDER} "
            "AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY SUM(i.quantity) DESC LIMIT 1) "
            "SELECT warehouse, quantity_on_hand FROM inventory WHERE product_id IN (SELECT product_id FROM top) "
            "AND quantity_on_hand > 0")
    rows = answer(parser, engine, "where is it now?", ["what was our best selling product by units in 2025"])
    assert rows and results_match(engine.execute(gold).rows, rows)


@pytest.mark.parametrize("question, gold", [
    # a year after "the most in" is a period (a number right after "most" is still a count)
    ("which customer spent the most in 2025?",
     f"SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND year(o.order_date) = 2025 GROUP BY c.customer_id, 1 ORDER BY SUM(o.total_amount) DESC LIMIT 1"),
])
def test_a_year_after_the_most_in(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["Which physical store sold the most last year?", "which web sold the most in 2025?"])
def test_which_value_ranked_is_refused_naming_it(parser, question):
    from commerce_platform.errors import NotUnderstood

    with pytest.raises(NotUnderstood, match="is a channel"):
        parser.parse(question, COPILOT_AS_OF)


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
    (["list late shipments last month"], "break it down by carrier", None),
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


BIGGEST_LAST_MONTH = ("(SELECT o.order_id FROM orders o WHERE o.order_date BETWEEN DATE '2026-10-01' "
                      "AND DATE '2026-10-31' ORDER BY o.total_amount DESC, o.order_id LIMIT 1)")


@pytest.mark.parametrize("context, question, gold", [
    (["revenue by channel last quarter"], "same period in 2025",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-07-01' AND DATE '2025-09-30' GROUP BY 1"),
    (["revenue in March 2026"], "the same month of 2025",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-03-01' AND DATE '2025-03-31'"),
    (["revenue in 2025"], "and october this year",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ([], "revenue in may last year",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-05-01' AND DATE '2025-05-31'"),
    (["total units sold for Bosch last year"], "per product",
     "SELECT p.name, SUM(oi.quantity) FROM orders o JOIN order_items oi ON oi.order_id = o.order_id "
     f"JOIN products p ON p.product_id = oi.product_id WHERE {VALID_ORDER} AND p.brand = 'Bosch' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, p.name"),
    (["late deliveries last month"], "how many of them went to customers in Sweden?",
     "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.order_id = s.order_id JOIN customers c "
     "ON c.customer_id = o.customer_id WHERE CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-10-01' "
     "AND DATE '2026-10-31' AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY AND c.country = 'SE'"),
    (["customers who signed up this year"], "how many of them have ordered something?",
     "SELECT COUNT(DISTINCT c.customer_id) FROM customers c JOIN orders o ON o.customer_id = c.customer_id "
     "WHERE c.signup_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    (["what was the biggest order last month?"], "which carrier has it?",
     # (not shipped yet: no carrier, said as an empty one beside the order)
     f"SELECT o.order_id, s.carrier FROM orders o LEFT JOIN shipments s ON s.order_id = o.order_id "
     f"WHERE o.order_id = {BIGGEST_LAST_MONTH}"),
    (["what was the biggest order last month?", "who placed it?"], "which products were in that order?",
     f"SELECT DISTINCT p.name FROM order_items oi JOIN products p ON p.product_id = oi.product_id "
     f"WHERE oi.order_id = {BIGGEST_LAST_MONTH}"),
    (["what was the biggest order last month?"], "what was in it?",
     f"SELECT oi.quantity FROM order_items oi WHERE oi.order_id = {BIGGEST_LAST_MONTH}"),
    (["which order had the highest value in Q3 2026?"], "who was the customer?",
     "SELECT c.name FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE o.order_date BETWEEN "
     "DATE '2026-07-01' AND DATE '2026-09-30' ORDER BY o.total_amount DESC, o.order_id LIMIT 1"),
    (["who is our newest customer?"], "how many orders have they placed?",
     "SELECT COUNT(*) FROM orders o WHERE o.customer_id = (SELECT customer_id FROM customers "
     "ORDER BY signup_date DESC, customer_id LIMIT 1)"),
    (["which brand had the highest revenue this year?"], "what's its best selling product by units?",
     "WITH b AS (SELECT p.brand FROM orders o JOIN order_items oi ON oi.order_id = o.order_id JOIN products p "
     f"ON p.product_id = oi.product_id WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-10-31' GROUP BY 1 ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent "
     "/ 100.0)) DESC, 1 LIMIT 1) SELECT p.name FROM orders o JOIN order_items oi ON oi.order_id = o.order_id "
     f"JOIN products p ON p.product_id = oi.product_id WHERE {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2026-01-01' AND DATE '2026-10-31' AND p.brand = (SELECT brand FROM b) GROUP BY p.product_id, p.name "
     "ORDER BY SUM(oi.quantity) DESC, p.name LIMIT 1"),
    (["Bosch products"], "which of those do we have fewer than 500 units of in total?",
     "SELECT p.name FROM products p JOIN inventory i ON i.product_id = p.product_id WHERE p.brand = 'Bosch' "
     "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) < 500"),
    ([], "how many units of Bosch products do we have?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p ON p.product_id = i.product_id "
     "WHERE p.brand = 'Bosch'"),
    (["how many customers ordered through the web channel in 2025?"], "and how many orders was that?",
     "SELECT COUNT(*) FROM orders o WHERE o.channel = 'web' AND o.order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31'"),
    (["revenue from web orders this year"], "how many orders were placed in that time?",
     "SELECT COUNT(*) FROM orders o WHERE o.channel = 'web' AND o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-10-31'"),
    (["most recent order from Helmi Larsen"], "what's its status?",
     "SELECT o.status FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE c.name = 'Helmi Larsen' "
     "ORDER BY o.order_date DESC, o.order_id LIMIT 1"),
    # the worst of a share per group: the lowest on-time rate, the highest late rate
    (["on-time rate per carrier this year"], "which one performed worst?",
     "SELECT s.carrier, AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 0 ELSE 1 END) FROM shipments s "
     "WHERE s.delivered_at IS NOT NULL AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY 1 ORDER BY 2 ASC, 1 LIMIT 1"),
    (["late rate per carrier this year"], "which one performed worst?",
     "SELECT s.carrier, AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1 ELSE 0 END) FROM shipments s "
     "WHERE s.delivered_at IS NOT NULL AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"),
    (["total inventory value at cost in Kuopio"], "and at selling price?",
     "SELECT SUM(i.quantity_on_hand * p.unit_price) FROM inventory i JOIN products p ON p.product_id = i.product_id "
     "WHERE i.warehouse = 'Kuopio'"),
    (["number of business customers per country"], "and how much revenue did they bring in, all time?",
     f"SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
     f"WHERE {VALID_ORDER} AND c.segment = 'business' GROUP BY 1"),
    (["how many shipments did Bring send this year"], "by month",
     "SELECT DATE_TRUNC('month', s.shipped_at), COUNT(*) FROM shipments s WHERE s.carrier = 'Bring' "
     "AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    (["show me the products in the Heating category"], "which of them cost more than 30 euros?",
     "SELECT name FROM products WHERE category = 'Heating' AND unit_price > 30"),
    ([], "Heating products that cost more than 30 euros",
     "SELECT name FROM products WHERE category = 'Heating' AND unit_price > 30"),
    # (a new question, seen while testing the pointers: the one biggest, not every customer ranked)
    ([], "who was our biggest customer last year?",
     f"SELECT c.name FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, c.name "
     "ORDER BY SUM(o.total_amount) DESC, c.name LIMIT 1"),
])
def test_a_followup_keeps_the_previous_question_and_changes_what_it_says(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question", [
    # the top three together or each one: not guessed
    (["the 3 newest customers"], "how many orders have they placed?"),
    # a condition of the new figure would narrow the ranked figure kept beside it (their revenue of late-shipped
    # orders shown as their revenue)
    (["top 4 customers by revenue in 2025"], "how many of their shipments were delayed?"),
])
def test_a_count_beside_several_ranked_rows_is_refused(parser, engine, context, question):
    with pytest.raises(NotUnderstood):
        answer(parser, engine, question, context)


def test_months_of_one_year_match_their_numbers():
    # "monthly revenue for 2025" answered by month's first day; a gold written with month(date) matches
    assert results_match([[7, 10.0], [8, 20.0]], [["2025-07-01", 10.0], ["2025-08-01", 20.0]])
    # months of two years are not one number each
    assert not results_match([[7, 10.0], [7, 20.0]], [["2025-07-01", 10.0], ["2026-07-01", 20.0]])


def test_another_customer_by_a_name_the_lake_does_not_hold_is_not_found(parser, engine):
    with pytest.raises(NotFound, match="no customer named 'Matti Meikalainen'"):
        answer(parser, engine, "and from Matti Meikalainen?", ["revenue from Erik Olsen this year"])
    # the name right after the follow-up's "and" (no preposition) is another customer as well
    with pytest.raises(NotFound, match="no customer named 'Matti Meikalainen'"):
        answer(parser, engine, "and Matti Meikalainen?", ["how many orders has Erik Olsen placed"])


@pytest.mark.parametrize("context, question, gold", [
    # the figure's own condition (no cancelled or returned orders, delivered parcels) would recount the ranking: it is
    # computed apart for the ranked ones (the ranking as answered), never beside it (was: refused)
    (["top 3 customers by number of orders in 2025"], "and their revenue?",
     "WITH t AS (SELECT o.customer_id FROM orders o WHERE year(o.order_date) = 2025 GROUP BY 1 "
     "ORDER BY COUNT(*) DESC, (SELECT name FROM customers c WHERE c.customer_id = o.customer_id) LIMIT 3) "
     f"SELECT c.name, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025 AND o.customer_id IN (SELECT customer_id FROM t) GROUP BY c.name"),
    (["which carrier shipped the most orders in 2025?"], "and their average delivery time?",
     "WITH t AS (SELECT s.carrier FROM orders o JOIN shipments s USING (order_id) WHERE year(s.shipped_at) = 2025 "
     "GROUP BY 1 ORDER BY COUNT(DISTINCT o.order_id) DESC, 1 LIMIT 1) SELECT AVG(epoch(s.delivered_at - "
     "s.shipped_at) / 86400.0) FROM shipments s WHERE s.carrier IN (SELECT carrier FROM t) AND s.delivered_at IS NOT "
     "NULL AND year(s.shipped_at) = 2025"),
])
def test_a_figure_that_would_recount_the_ranking_is_computed_apart_for_the_ranked_ones(parser, engine, context,
                                                                                        question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context", [["revenue from 2024-11-01 to 2025-02-28"], ["revenue by channel"]])
def test_the_same_period_in_a_year_is_refused_when_no_one_year_period_was_asked(parser, engine, context):
    # (was the whole of 2025: a silent wrong)
    with pytest.raises(NotUnderstood, match="same period"):
        answer(parser, engine, "same period in 2025", context)


TOP_WAREHOUSE = "which warehouse has the most products below their reorder level?"


@pytest.mark.parametrize("context, question", [
    # ("which products are those there?" is now the products of that warehouse: see
    # test_those_after_the_top_group_of_a_count_lists_its_counted_things; was: every product listed)
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


REVENUE = "SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100))"
LINES = "order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id)"


@pytest.mark.parametrize("context, question, gold", [
    # "not just <value>": that condition goes, the brand named again stays
    (["units sold of Bosch products in Garden last month"], "all Bosch products, not just the Garden ones",
     f"SELECT SUM(oi.quantity) FROM {LINES} WHERE {VALID_ORDER} AND p.brand = 'Bosch' "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    (["revenue of Philips products in Lighting in 2025"], "and not only Lighting",
     f"SELECT {REVENUE} FROM {LINES} WHERE {VALID_ORDER} AND p.brand = 'Philips' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # a condition and its complement together: no condition on that column
    (["active products in Garden"], "show the inactive ones as well",
     "SELECT name FROM products WHERE category = 'Garden'"),
    (["active products in Plumbing"], "including the inactive ones",
     "SELECT name FROM products WHERE category = 'Plumbing'"),
    # a second drop after a first one
    (["revenue from consumer customers in Norway via web last quarter", "ignore the channel"],
     "and all segments too",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.country = 'NO' AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    # the things named counted, not the orders ("was that": the customers behind that revenue, sales only)
    (["revenue per country in 2025"], "and how many customers was that?",
     "SELECT c.country, COUNT(DISTINCT o.customer_id) FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    (["revenue by channel this year"], "what about the number of customers who bought?",
     "SELECT o.channel, COUNT(DISTINCT o.customer_id) FROM orders o "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    # a customer's orders counted, then what they spent: their revenue over the same period
    (["how many orders has Erik Olsen placed this year?"], "and how much did he spend in total?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.name = 'Erik Olsen' AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    # counted things, then "their total <amount>": that amount summed over the same groups (every status)
    (["order count by channel in 2025"], "what about their total amount?",
     "SELECT channel, SUM(total_amount) FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    # "for each" closing a follow-up: the previous answer's groups
    (["average delivery time per carrier in 2025"], "and how many late shipments for each?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01' GROUP BY 1"),
])
def test_widening_and_recounting_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_all_of_a_value_keeps_that_value(parser):
    form = parser.parse("all Makita products", COPILOT_AS_OF, parser.parse("revenue of Makita in 2025",
                                                                           COPILOT_AS_OF).form).form
    assert any(x.field == "brand" and x.values == ["Makita"] for x in form.filters)


@pytest.mark.parametrize("context, question", [
    # nothing of that field to widen
    (["revenue in 2025"], "not just garden"),
    # open and closed are no complement the layer names
    (["open orders"], "including closed ones"),
    # a price of products is not summed unless a total is asked
    (["number of products per category"], "and their price?"),
    # the spend of a customer's cancelled orders is no revenue
    (["how many cancelled orders did Erik Olsen place in 2025?"], "and how much did he spend?"),
])
def test_widening_what_was_not_there_is_refused(parser, context, question):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


# after the one ranked first, a follow-up pointing at it ("it", "they") and asking the same figure is that figure of
# the same row ("how much stock above its reorder level does it have?"); a measure's name said around a verb
# ("spare units ... above the reorder level") is that one measure
@pytest.mark.parametrize("context, question, gold", [
    (["which warehouse has the biggest surplus over the reorder level for Garden products?"],
     "how many spare units does it have above the reorder level?",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) - SUM(i.reorder_level) AS s FROM inventory i "
     "JOIN products p USING (product_id) WHERE p.category = 'Garden' GROUP BY 1 ORDER BY s DESC LIMIT 1"),
    (["which customer had the most revenue in 2025?"], "how much revenue did they bring in?",
     "SELECT c.name, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 1"),
])
def test_figure_of_the_one_ranked_first(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question", [
    (["which customer had the most revenue in 2025?"], "how much did it have"),  # no figure named: a guess
])
def test_figure_of_the_one_ranked_first_refused(parser, context, question):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # a dimension asked of a list is a column beside each listed row (was: the same list, the question dropped)
    (["list orders in Q3 2026"], "which cities?",
     "SELECT o.order_id, c.city FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    (["show orders in October"], "what cities are they from?",
     "SELECT o.order_id, c.city FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_a_dimension_asked_of_a_list_is_shown_beside_each_row(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # "overall" beside "not just <value>" is the widening itself (every category), not the grand total
    (["top 3 products by revenue in Garden this year"], "and overall, not just garden",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY p.product_id, p.name "
     "ORDER BY r DESC LIMIT 3"),
    # the segment dropped from a count of the customers of one segment: the customers counted still
    (["how many consumers in Stockholm"], "all segments",
     "SELECT COUNT(*) FROM customers WHERE city = 'Stockholm'"),
    # a period on the event the follow-up names ("shipped before ...") is on that event's date
    (["orders that have shipped but not been delivered yet"], "which of those were shipped before october 7?",
     "SELECT s.order_id FROM shipments s WHERE s.delivered_at IS NULL AND s.shipped_at < TIMESTAMP '2026-10-07'"),
    # "which of them have <things>" after listed customers: those customers, the things a condition on them
    (["business customers in Sweden"], "which of them have open orders?",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'business' "
     "AND c.country = 'SE' AND o.status IN ('pending', 'paid')"),
    # "that one" points at the one thing of the previous answer
    (["which paid order has the highest amount"], "who is the customer on that one?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = "
     "(SELECT order_id FROM orders WHERE status = 'paid' ORDER BY total_amount DESC, order_id LIMIT 1)"),
    # the ranked ones in another period: held as ranked, their figure over the period named (all time, a year)
    (["who was our top customer by revenue in 2025", "where are they based?"],
     "how many orders have they placed in total, all time?",
     "SELECT COUNT(*) FROM orders WHERE customer_id = (SELECT o.customer_id FROM orders o WHERE "
     f"{VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY SUM(o.total_amount) DESC LIMIT 1)"),
    (["top 3 customers by revenue this year"], "how many orders did they place in 2025?",
     "SELECT c.name, COUNT(o2.order_id) FROM customers c JOIN orders o2 USING (customer_id) "
     "WHERE year(o2.order_date) = 2025 AND c.customer_id IN (SELECT o.customer_id FROM orders o WHERE "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 "
     "ORDER BY SUM(o.total_amount) DESC LIMIT 3) GROUP BY c.customer_id, c.name"),
    # a figure of the ranked things themselves (their stock): held as ranked, never re-ranked by it nor put
    # beside the ranking's own rows (was refused: the stock rows would count the order lines again)
    (["top 5 products by units sold"], "how much stock do they have?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE i.product_id IN "
     f"(SELECT oi.product_id FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} GROUP BY 1 "
     "ORDER BY SUM(oi.quantity) DESC LIMIT 5) GROUP BY p.product_id, p.name"),
    (["which product sold the most units in 2025"], "how much stock of it do we have left?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i WHERE i.product_id = (SELECT oi.product_id FROM order_items oi "
     f"JOIN orders o USING (order_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 "
     "ORDER BY SUM(oi.quantity) DESC LIMIT 1)"),
    # a column of the ranked things: listed for the same ones
    (["which customer placed the most orders in 2025"], "when did they sign up?",
     "SELECT signup_date FROM customers WHERE customer_id = (SELECT customer_id FROM orders "
     "WHERE year(order_date) = 2025 GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1)"),
    (["top 3 customers by revenue in 2025"], "whats their email adress?",
     "SELECT email FROM customers WHERE customer_id IN (SELECT o.customer_id FROM orders o WHERE "
     f"{VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY SUM(o.total_amount) DESC LIMIT 3)"),
    # "<measure> per <group> then?": "then" closing the clause asks on from the previous question (its period)
    (["number of shipments per carrier in September"], "avg delivery time per carrier then? in days",
     "SELECT carrier, AVG(epoch(delivered_at) - epoch(shipped_at)) / 86400 FROM shipments WHERE delivered_at IS NOT "
     "NULL AND shipped_at >= TIMESTAMP '2026-09-01' AND shipped_at < TIMESTAMP '2026-10-01' GROUP BY 1"),
    # dropping conditions: "any year" the period, "the <value> part" that value's condition, "all customers"
    # every condition on the customers' own columns
    (["customers in Espoo who ordered in 2025"], "now any year",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Espoo'"),
    (["revenue from Helsinki customers via web in 2025"], "drop the web part",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.city = 'Helsinki' AND year(o.order_date) = 2025"),
    (["units sold of Tools products to consumer customers last year"], "and for all customers?",
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Tools' AND year(o.order_date) = 2025"),
    # an amount bound said of the listed things ("which of those were over 300 eur?"): their own amount
    (["orders from Erik Olsen in 2025"], "which of those were over 500 eur?",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND year(o.order_date) = 2025 AND o.total_amount > 500"),
    # units sold of the product(s) listed as ranked, in the period named
    (["what's our cheapest product"], "how many of it did we sell in 2025?",
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE "
     f"{VALID_ORDER} AND year(o.order_date) = 2025 AND oi.product_id = "
     "(SELECT product_id FROM products ORDER BY unit_price ASC, product_id LIMIT 1)"),
    # the customer of the one ranked parcel
    (["most recent shipment that has not been delivered"], "who's the customer?",
     "SELECT c.name FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE s.shipment_id = (SELECT shipment_id FROM shipments WHERE delivered_at IS NULL "
     "ORDER BY shipped_at DESC, shipment_id LIMIT 1)"),
    # the things counted for the ranked one, listed under the same condition
    (["which customer has the most cancelled orders"], "list those cancelled orders",
     "SELECT order_id FROM orders WHERE status = 'cancelled' AND customer_id = (SELECT o.customer_id FROM orders o "
     "JOIN customers c USING (customer_id) WHERE o.status = 'cancelled' GROUP BY o.customer_id, c.name "
     "ORDER BY COUNT(*) DESC, c.name LIMIT 1)"),
    # "those five brands", "each of them" after a top five: the same five, the new figure beside
    (["top 5 categories by revenue in 2025"], "what were the units sold for those five categories?",
     "SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1 "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 5"),
    (["which 3 customers spent the most in 2025?"], "how many orders did each of them place in 2025",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE year(o.order_date) = 2025 "
     "GROUP BY c.customer_id, c.name ORDER BY SUM(o.total_amount) FILTER (WHERE "
     "o.status NOT IN ('cancelled', 'returned')) DESC LIMIT 3"),
    # "what's it worth at cost?" after the stock: that stock valued (layer "values"), the grouping kept
    (["stock per warehouse"], "and whats it worth at retail, per warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand * p.unit_price) FROM inventory i JOIN products p USING (product_id) "
     "GROUP BY 1"),
    # a share "out of all their <things>": of every one, not only those whose condition is decided
    (["how many late shipments did each carrier have in 2025"],
     "and the share of late ones per carrier, out of all their shipments",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) "
     "FROM shipments WHERE year(shipped_at) = 2025 GROUP BY 1"),
    # a catalog figure (no date of its own) swapped in after a dated figure: the previous period does not apply
    (["units sold per brand in 2025"], "and the average margin of the products in each brand?",
     "SELECT brand, AVG((unit_price - unit_cost) / unit_price) FROM products GROUP BY 1"),
    # "<condition> or not": the condition and its complement, every one; the bound said again with a bare
    # "units" is the previous bound (stock), not a new one on units sold
    (["how many active products are there with stock under 150 units"],
     "and all products under 150 units, active or not?",
     "SELECT COUNT(*) FROM (SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) < 150)"),
])
def test_followups_of_stop_25(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # the place in the ranking kept for another period, dropped when a new limit is said
    (["Which brand was the second best seller by units in 2025?"], "and in 2024?",
     "SELECT p.brand, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} AND year(o.order_date) = 2024 "
     "GROUP BY 1 ORDER BY u DESC LIMIT 1 OFFSET 1"),
    (["Which brand was the second best seller by units in 2025?"], "give me the top 3 instead",
     "SELECT p.brand, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY 1 ORDER BY u DESC LIMIT 3"),
])
def test_follow_up_of_a_place_in_a_ranking(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "that brand's 3 best products" after the one brand ranked first: the things within that one group, ranked (was:
# the brands ranked again, "that brand" read as a grouping)
@pytest.mark.parametrize("context, question, gold", [
    (["which brand had the most revenue last year?"], "what are that brand's 3 best products by revenue this year?",
     "WITH b AS (SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1) "
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r FROM order_items oi "
     "JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' AND p.brand IN "
     "(SELECT brand FROM b) GROUP BY p.product_id, p.name ORDER BY r DESC LIMIT 3"),
])
def test_that_one_group_of_the_previous_top(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which product in that brand sold the most units?" after the one brand ranked first in a period: the top one (the
# thing named is one) or the top ones (named in the plural), in the same period, as "what's its best product?" keeps
# it (was: every product of the brand ranked, over all time)
@pytest.mark.parametrize("context, question, gold", [
    (["which brand had the most revenue in 2025?"], "which product of that brand sold the most units?",
     "WITH b AS (SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1) "
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 AND p.brand IN "
     "(SELECT brand FROM b) GROUP BY p.product_id, p.name ORDER BY u DESC, p.name LIMIT 1"),
    (["which city had the most orders in Q3 2026?"], "which customers in that city spent the most?",
     "WITH t AS (SELECT c.city, COUNT(*) AS n FROM orders o JOIN customers c USING (customer_id) WHERE "
     "o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' GROUP BY 1 ORDER BY n DESC, c.city LIMIT 1) "
     "SELECT c.name, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {VALID} AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' AND c.city IN "
     "(SELECT city FROM t) GROUP BY c.customer_id, c.name ORDER BY r DESC, c.name LIMIT 10"),
    # a bare "best" ranks on the figure the previous ranking was on (was: the categories ranked again)
    (["which category had the highest revenue in Q2 2026?"], "what are that category's 2 best products?",
     "WITH t AS (SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     f"{VALID} AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30' GROUP BY 1 ORDER BY r DESC LIMIT 1) "
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND o.order_date BETWEEN "
     "DATE '2026-04-01' AND DATE '2026-06-30' AND p.category IN (SELECT category FROM t) "
     "GROUP BY p.product_id, p.name ORDER BY r DESC, p.name LIMIT 2"),
])
def test_the_top_ones_within_that_one_group_keep_its_period(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many units of those do we have in total?" after products listed: their stock summed over the same rows (was:
# refused, the summed figure named by the follow-up itself not taken)
@pytest.mark.parametrize("context, question, gold", [
    (["discontinued products we still have stock of"], "how many units of those do we have in total?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE NOT p.active"),
])
def test_a_figure_of_the_listed_things_in_total(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# after a share: "how many orders is that" counts the share's part (was: the whole); "and for web, as a percent"
# after the b2b rate swaps the value the whole was taken of and keeps the share (was: the share of web orders)
@pytest.mark.parametrize("context, question, gold", [
    (["What proportion of 2025 orders were returned?"], "how many orders is that in absolute numbers",
     "SELECT COUNT(*) FROM orders WHERE status = 'returned' AND year(order_date) = 2025"),
    (["what share of shipments were late?"], "how many is that?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY"),
    (["cancellation rate for store orders this year"], "and for web, as a percent",
     "SELECT 100.0 * AVG(CASE WHEN status = 'cancelled' THEN 1.0 ELSE 0.0 END) FROM orders WHERE channel = 'web' "
     "AND order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    # only the scale said ("as a percent"): a new value narrows the whole, the share kept (was: share of web orders)
    (["what share of orders were cancelled in 2025?"], "and for web, as a percent",
     "SELECT 100.0 * AVG(CASE WHEN status = 'cancelled' THEN 1.0 ELSE 0.0 END) FROM orders WHERE channel = 'web' "
     "AND year(order_date) = 2025"),
])
def test_the_part_of_a_share_and_its_scale_after_a_swap(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# a ranking that keeps its ties ("all of those placed on the earliest date") keeps them for a question about its rows
@pytest.mark.parametrize("context, question, gold", [
    (["which open orders are the oldest? all of those placed on the earliest date"], "who are the customers on them?",
     "SELECT DISTINCT o.order_id, o.order_date, o.status, o.channel, o.total_amount, c.name FROM orders o "
     "JOIN customers c USING (customer_id) WHERE o.status IN ('pending', 'paid') "
     "AND o.order_date = (SELECT MIN(order_date) FROM orders WHERE status IN ('pending', 'paid'))"),
])
def test_the_ties_of_a_ranking_kept_in_a_follow_up(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and in units sold per channel?" after the one channel ranked first: the grouping said again asks for every group
# (was the top one only); without it ("and in units sold?") the one ranked first stays
@pytest.mark.parametrize("context, question, gold", [
    (["which channel brought the most revenue in 2025"], "and in units sold per channel?",
     "SELECT o.channel, SUM(oi.quantity) FROM orders o JOIN order_items oi USING (order_id) "
     f"WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1"),
])
def test_the_grouping_said_again_after_the_top_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "give me their emails too" after customers listed: a column beside the same rows, "too" said of it (was refused)
@pytest.mark.parametrize("context, question, gold", [
    (["list the customers in Oslo"], "their signup dates too",
     "SELECT customer_id, name, email, segment, city, country, signup_date FROM customers WHERE city = 'Oslo'"),
])
def test_a_column_added_too(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and the number of undelivered shipments for each?" after a delivery time in days: the unit went with the time it
# was said of, a count has none (was refused: "'days' only applies to delivery times")
@pytest.mark.parametrize("context, question, gold", [
    (["average delivery time in days per carrier"], "and the number of undelivered shipments for each?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at IS NULL GROUP BY carrier"),
])
def test_a_count_after_a_time_in_a_unit(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "by segment rather than country", "maximum delivery time instead of average": the words after "instead of" /
# "rather than" name what the previous question had, which the new words replace (was: refused on them, and "split
# that by segment rather than country" read as a second grouping beside the first)
@pytest.mark.parametrize("context, question, gold", [
    (["number of customers per country"], "Can you split that by segment rather than country?",
     "SELECT segment, COUNT(*) FROM customers GROUP BY 1"),
    (["how many cancelled orders per month this year"], "group by channel instead of month please",
     "SELECT channel, COUNT(*) FROM orders WHERE status = 'cancelled' AND order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-10-31' GROUP BY 1"),
    (["avg delivery time in days per carrier in 2025"], "same but maximum delivery time instead of average",
     "SELECT carrier, MAX(date_diff('second', shipped_at, delivered_at)) / 86400.0 FROM shipments "
     "WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
])
def test_instead_of_what_the_previous_question_had(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_in_which_place_after_a_condition_lists_each_thing_there(parser, engine):
    # "in which warehouse?" after the low-stock products: each product where it is below (was: a count per place)
    assert_answers_like(parser, engine, "in which warehouse?",
                        "SELECT p.name, w.warehouse FROM products p JOIN (SELECT product_id, warehouse, "
                        "SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1, 2) w "
                        "USING (product_id) WHERE w.stock < w.reorder",
                        ["which products are below the reorder level"])


@pytest.mark.parametrize("context, question, gold", [
    # the units sold of the products listed before, summed into one total (was: one row per product)
    (["list Makita products"], "how many units of those did we sell in total?",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.brand = 'Makita'"),
    (["which products sold anything last month"], "how many units of those did we sell in total?",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_units_sold_of_the_listed_products_in_total(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "add their stock value at price" after a list: the figure shown beside each listed one, valued at the selling price
# (was: refused on 'add'; "also show their stock value at price" was the value at cost)
@pytest.mark.parametrize("context, question, gold", [
    (["low stock products with their total stock"], "add their stock value at price",
     "SELECT p.name, st.stock, st.stock * p.unit_price FROM (SELECT product_id, SUM(quantity_on_hand) AS stock, "
     "SUM(reorder_level) AS rl FROM inventory GROUP BY product_id) st JOIN products p USING (product_id) "
     "WHERE st.stock <= st.rl"),
    (["low stock products with their total stock"], "also show their stock value at price",
     "SELECT p.name, st.stock, st.stock * p.unit_price FROM (SELECT product_id, SUM(quantity_on_hand) AS stock, "
     "SUM(reorder_level) AS rl FROM inventory GROUP BY product_id) st JOIN products p USING (product_id) "
     "WHERE st.stock <= st.rl"),
])
def test_a_figure_added_to_the_listed_ones(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("question", ["and for every carrier combined?", "and every carrier together?"])
def test_every_value_combined_drops_the_filter_on_it(parser, engine, question):
    # "and for every carrier combined?" after DHL's: every carrier summed, no split (was: DHL's kept, split by carrier;
    # "every carrier together" refused on 'together')
    assert_answers_like(parser, engine, question,
                        "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
                        "AND shipped_at >= TIMESTAMP '2026-01-01' AND shipped_at < TIMESTAMP '2026-11-01'",
                        ["how many DHL shipments sent this year were late"])


def test_revenue_from_the_orders_counted(parser, engine):
    # "how many orders did customers in Finland place last month" -> "ok and what was the revenue from them?": those
    # orders' revenue (was: refused unless the orders counted were one customer's)
    assert_answers_like(parser, engine, "ok and what was the revenue from them?",
                        f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) "
                        f"WHERE c.country = 'FI' AND {VALID} AND o.order_date BETWEEN DATE '2026-10-01' "
                        f"AND DATE '2026-10-31'",
                        ["how many orders did customers in Finland place last month"])


@pytest.mark.parametrize("context, question, gold", [
    # "which of those <things> is the ...": one of them (was: every brand ranked, the plural noun read as all)
    (["revenue by brand this year"], "which of those brands is the biggest?",
     f"SELECT p.brand FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY p.brand "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1"),
])
def test_which_of_those_things_is_the_top_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many of them were delivered late" after shipments counted: late and delivered, both said in the follow-up, are
# both kept (was: the second, on the same column, replaced the first, so delivered ones were counted)
@pytest.mark.parametrize("context, question, gold", [
    (["how many shipments were sent in 2025", "how many of them were delivered late"], "by carrier",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
])
def test_two_conditions_of_one_follow_up_both_kept(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "by number of orders instead" after the top customers by spend: ranked on the count, which is shown (was: the count
# set as the order while the spend stayed the figure, so the ranking by spend came back)
@pytest.mark.parametrize("context, question, gold", [
    (["which 3 customers spent the most in 2025"], "by number of orders instead",
     "SELECT c.name, COUNT(*) AS n FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, c.name "
     "ORDER BY n DESC, c.name LIMIT 3"),
])
def test_a_ranking_moved_to_a_count(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "now the paid ones" after pending orders listed: "paid" is a status, the condition swapped (was: the spend of the
# pending orders, "paid" read as "how much was paid")
@pytest.mark.parametrize("context, question, gold", [
    (["list pending orders"], "now the paid ones", "SELECT order_id FROM orders WHERE status = 'paid'"),
])
def test_a_status_that_is_also_a_spending_word(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many orders had Fiskars items in them" after Fiskars' units sold: the orders counted, the brand kept (was: the
# products counted, the previous figure's noun)
@pytest.mark.parametrize("context, question, gold", [
    (["units sold of Fiskars products in 2025"], "how many orders had fiskars items in them",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     "USING (product_id) WHERE p.brand = 'Fiskars' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_the_things_counted_named_after_a_figure(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "with no discount only" after units sold: the condition narrows the previous figure (was: a new question, the
# undiscounted order lines listed)
@pytest.mark.parametrize("context, question, gold", [
    (["units sold of Paint products last quarter"], "with no discount only",
     f"SELECT SUM(oi.quantity) FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     f"WHERE p.category = 'Paint' AND oi.discount_percent = 0 AND {VALID} "
     "AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
])
def test_a_condition_alone_narrows_the_figure(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "the average discount per channel on those orders" after revenue per channel: over the orders revenue counted (was:
# cancelled and returned orders averaged too)
@pytest.mark.parametrize("context, question, gold", [
    (["revenue per channel in 2025"], "and the average discount per channel on those same orders",
     f"SELECT o.channel, AVG(oi.discount_percent) FROM orders o JOIN order_items oi USING (order_id) WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
])
def test_a_figure_on_the_same_orders(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many across all warehouses" after a product's stock: the same figure summed over every warehouse (was: the
# product's orders counted)
@pytest.mark.parametrize("context, question, gold", [
    (["do we have Makita Hammer in stock", "how many across all warehouses"], "and Ensto LED Bulb",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Ensto LED Bulb'"),
    (["stock of Makita Hammer by warehouse"], "how many across all warehouses",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Makita Hammer'"),
])
def test_how_many_after_a_number_of_units(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and customer Matti Meikalainen?" after a customer's revenue: another customer by a name the lake does not hold, the
# kind named before it (was: not understood, "changes nothing")
def test_another_customer_named_with_its_kind_not_found(parser, engine):
    with pytest.raises(NotFound, match="no customer named 'Matti Meikalainen'"):
        answer(parser, engine, "and customer Matti Meikalainen?", ["revenue from Erik Olsen this year"])


# "include all channels" after web only, "now for everyone" after business customers: the condition dropped (was:
# refused on "include" / "everyone")
@pytest.mark.parametrize("context, question, gold", [
    (["revenue by brand in 2025, only web"], "include all channels",
     f"SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM orders o "
     f"JOIN order_items oi USING (order_id) JOIN products p USING (product_id) WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    (["revenue per category for business customers in 2025"], "now for everyone",
     f"SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM orders o "
     f"JOIN order_items oi USING (order_id) JOIN products p USING (product_id) WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
])
def test_a_condition_dropped_in_other_words(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what did they spend in total" after the orders of a city's customers counted: those customers' revenue in the
# period (was: refused, only one customer's spend was read)
@pytest.mark.parametrize("context, question, gold", [
    (["how many customers do we have in Helsinki", "how many orders did they place in 2025"],
     "and what did they spend in total",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Helsinki' "
     f"AND {VALID} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_the_spend_of_the_customers_whose_orders_were_counted(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what about reorder levels summed up" after stock per warehouse: "summed up" says the sum the figure is (was:
# refused on "summed", "up")
@pytest.mark.parametrize("context, question, gold", [
    (["total stock per warehouse"], "what about reorder levels summed up",
     "SELECT warehouse, SUM(reorder_level) FROM inventory GROUP BY 1"),
])
def test_summed_up_after_a_figure(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and at 10%?" after units sold with a 20% discount: the one number the previous question was equal to, swapped (was:
# refused, only a threshold or a limit could change)
@pytest.mark.parametrize("context, question, gold", [
    (["units sold with a 20% discount in 2025"], "and at 10%?",
     f"SELECT SUM(oi.quantity) FROM orders o JOIN order_items oi USING (order_id) WHERE oi.discount_percent = 10 "
     f"AND {VALID} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_an_equal_number_swapped(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "total discount amount in euros given last year" then "per channel": "given" only says the discount was given (was:
# refused on "given")
@pytest.mark.parametrize("context, question, gold", [
    (["total discount amount in euros given last year"], "per channel",
     f"SELECT o.channel, SUM(oi.quantity * oi.unit_price * oi.discount_percent / 100) FROM orders o "
     f"JOIN order_items oi USING (order_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1"),
])
def test_a_discount_given_regrouped(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many units short is each one" after the products below their reorder level in a warehouse: each listed
# product's shortfall there, beside it ("each one" points back; was: refused on "short", "each")
@pytest.mark.parametrize("context, question, gold", [
    (["which products are below the reorder level in Kuopio"], "how many units short is each one",
     "SELECT p.name, i.reorder_level - i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Kuopio' AND i.quantity_on_hand < i.reorder_level"),
])
def test_the_shortfall_of_each_listed_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which categories are they in, and how many in each" after the low-stock products: "in each" closing the question is
# each of the groups just named (was: refused on "in each")
@pytest.mark.parametrize("context, question, gold", [
    (["which products are low on stock?"], "which categories are they in, and how many in each",
     "WITH s AS (SELECT product_id, SUM(quantity_on_hand) q, SUM(reorder_level) r FROM inventory GROUP BY 1) "
     "SELECT p.category, COUNT(*) FROM s JOIN products p USING (product_id) WHERE s.q <= s.r GROUP BY 1"),
])
def test_in_each_of_the_groups_just_named(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "split that by shipping month instead": "shipping" names the shipping date as "ship" does (was: refused);
# "and in Tampere overall, any signup date?": the period's own date said with "any" drops the period, the value
# already asked only restates it (was: refused)
@pytest.mark.parametrize("context, question, gold", [
    (["average delivery time per carrier for shipments sent in 2026"], "split that by shipping month insted",
     "SELECT date_trunc('month', shipped_at), AVG(date_diff('second', shipped_at, delivered_at)) / 86400.0 "
     "FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= DATE '2026-01-01' "
     "AND shipped_at < DATE '2026-11-01' GROUP BY 1"),
    (["how many customers in Tampere signed up in 2025"], "and in Tampere overall, any signup date?",
     "SELECT COUNT(*) FROM customers WHERE city = 'Tampere'"),
])
def test_shipping_month_and_any_date_of_the_period(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# late shipments of a period are counted, as the orders of a period are (was: listed), so "what about September?"
# counts too; "how many of them went to customers in Sweden?" after that count counts the shipments (was: customers)
@pytest.mark.parametrize("context, question, gold", [
    (["late shipments in October 2026"], "what about September?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2026-09-01' AND shipped_at < TIMESTAMP '2026-10-01'"),
    (["late deliveries last month"], "how many of them went to customers in Sweden?",
     "SELECT COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.country = 'SE' AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY "
     "AND s.shipped_at >= TIMESTAMP '2026-10-01' AND s.shipped_at < TIMESTAMP '2026-11-01'"),
    (["list late shipments in October 2026"], "how many of them went to customers in Sweden?",
     "SELECT COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.country = 'SE' AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY "
     "AND s.shipped_at >= TIMESTAMP '2026-10-01' AND s.shipped_at < TIMESTAMP '2026-11-01'"),
])
def test_late_shipments_of_a_period_are_counted_and_of_them_keeps_the_things(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and by carrier?" after one carrier's figure: every carrier, one row each (was: the one carrier, grouped); two
# values named before stay the groups
@pytest.mark.parametrize("context, question, gold", [
    (["how many DHL shipments were late in 2025"], "and by carrier?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01' GROUP BY 1"),
    (["revenue in Finland and Sweden in 2025"], "by country",
     "SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND c.country IN ('FI', 'SE') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
])
def test_regrouping_by_the_field_of_one_named_value_drops_it(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "include consumers too" after business customers' figure: both values, not the new one in place of the old (was:
# refused, 'include' not placed)
@pytest.mark.parametrize("context, question, gold", [
    (["revenue from business customers by country in 2025"], "include consumers too",
     "SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND c.segment IN ('business', 'consumer') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    (["units sold in Helsinki last month"], "including Tampere",
     "SELECT SUM(oi.quantity) FROM orders o JOIN order_items oi USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND c.city IN ('Helsinki', 'Tampere') "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_including_another_value_keeps_both(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "same question for last quarter": the previous question for another period, as "same for" (was: refused,
# 'question' not placed)
@pytest.mark.parametrize("context, question, gold", [
    (["which product sold the most units in Q2 2026?"], "same question for last quarter",
     "SELECT p.name FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' "
     "GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
])
def test_same_question_for_another_period(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many units of that did we sell in 2025" after one thing answered (the top product, the product most often
# bought with another): the figure of that one thing (was: the figure over every product, the pointer dropped)
@pytest.mark.parametrize("context, question, gold", [
    (["which product had the most revenue in 2024"], "how many units of that did we sell in 2025",
     "WITH t AS (SELECT oi.product_id FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31' "
     "GROUP BY 1 ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1) "
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN t USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    (["what is most often bought together with Ensto LED Bulb? just the top one"],
     "how many units of that did we sell in 2025",
     "WITH t AS (SELECT b.product_id FROM order_items a JOIN products p1 ON p1.product_id = a.product_id "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id "
     "JOIN products p2 ON p2.product_id = b.product_id WHERE p1.name = 'Ensto LED Bulb' "
     "GROUP BY b.product_id, p2.name ORDER BY COUNT(DISTINCT a.order_id) DESC, p2.name LIMIT 1) "
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN t USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_a_figure_of_that_is_of_the_one_thing_answered(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "show me that share for every carrier" after the one carrier ranked: the same figure for every carrier, the top N
# dropped (was: refused, the change not told)
@pytest.mark.parametrize("context, question, gold", [
    (["Which carrier had the lowest share of late deliveries among shipments sent in 2025?"],
     "show me that share for every carrier",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE year(shipped_at) = 2025 AND delivered_at IS NOT NULL GROUP BY 1"),
    (["which brand had the most revenue in 2025"], "and for each brand?",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM order_items oi "
     "JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND year(o.order_date) = 2025 GROUP BY 1"),
])
def test_for_every_group_after_the_ranked_one_drops_the_top(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "lower the bar to 4000" after a list held to one threshold: that threshold's number moved, its comparator kept
# (was: refused, the change not told); "raise the bar up to 8000" (a comparator beside the move) stays refused
@pytest.mark.parametrize("context, question, gold", [
    (["VIP list please: customers who spent over 6000 EUR in 2025"], "lower the bar to 4000",
     "SELECT c.name, SUM(o.total_amount) FROM customers c JOIN orders o USING (customer_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name "
     "HAVING SUM(o.total_amount) > 4000"),
])
def test_lower_the_bar_moves_the_one_threshold(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_raise_the_bar_with_a_comparator_is_refused(parser):
    context = parser.parse("customers who spent over 6000 EUR in 2025", COPILOT_AS_OF, None).form
    with pytest.raises(NotUnderstood):
        parser.parse("raise the bar up to 8000", COPILOT_AS_OF, context)


# "break it down for all three channels, as % of the total" after the top channel: "all (N) <groups>" asks every
# group, the top N dropped (was: refused on the number; without it, the top one's share of the total)
@pytest.mark.parametrize("context, question, gold", [
    (["Which sales channel brought in the most revenue in 2025? thinking where to put effort"],
     "break it down for all three channels, as % of the total",
     "SELECT channel, 100.0 * SUM(total_amount) / SUM(SUM(total_amount)) OVER () FROM orders "
     "WHERE status NOT IN ('cancelled', 'returned') AND year(order_date) = 2025 GROUP BY 1"),
])
def test_all_the_groups_after_the_top_one_drops_the_top(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_all_the_groups_combined_after_the_top_one_is_not_each(parser):
    context = parser.parse("which carrier had the most late shipments in 2025", COPILOT_AS_OF, None).form
    with pytest.raises(NotUnderstood):
        parser.parse("and for all carriers combined?", COPILOT_AS_OF, context)


# "now for every segment" after one segment's figure: every value of the one named before, that condition dropped and
# nothing split (as "all segments"; was: split by segment); "and for each carrier?" still splits
@pytest.mark.parametrize("context, question, gold", [
    (["Bosch revenue last year from business customers"], "and now for every segment",
     "SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM orders o "
     "JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.brand = 'Bosch' AND year(o.order_date) = 2025"),
    (["which products in the Garden category are low on stock"], "ok and for every category",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) <= SUM(i.reorder_level)"),
    (["how many late DHL shipments were there in 2025"], "and for each carrier?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND year(shipped_at) = 2025 GROUP BY 1"),
])
def test_for_every_after_one_value_drops_that_value(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "per month instead of per channel": the grouping word said again after "instead of" names what is replaced (was:
# split by month and channel)
@pytest.mark.parametrize("context, question, gold", [
    (["number of orders per channel in 2025"], "per month instead of per channel",
     "SELECT date_trunc('month', order_date), COUNT(*) FROM orders WHERE year(order_date) = 2025 GROUP BY 1"),
    (["revenue by category last quarter"], "by month rather than by category",
     "SELECT date_trunc('month', order_date), SUM(total_amount) FROM orders "
     "WHERE status NOT IN ('cancelled', 'returned') AND order_date BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY 1"),
])
def test_instead_of_per_group_replaces_it(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "include the cancelled ones too" after orders excluding cancelled: that value no longer left out (was: refused, the
# value read as the only status)
@pytest.mark.parametrize("context, question, gold", [
    (["how many orders from Oslo customers in 2025, excluding cancelled"], "include the cancelled ones as well",
     "SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Oslo' "
     "AND year(o.order_date) = 2025"),
    (["how many web orders in 2025 excluding returned and cancelled"], "include the returned ones too",
     "SELECT COUNT(*) FROM orders WHERE channel = 'web' AND status <> 'cancelled' AND year(order_date) = 2025"),
])
def test_include_the_ones_left_out(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what about march a year earlier?" after March 2026: the period named again is the one moved back a year (was:
# refused, a period named beside "a year earlier")
@pytest.mark.parametrize("context, question, gold", [
    (["how many customers signed up in July 2026"], "and july one year ago?",
     "SELECT COUNT(*) FROM customers WHERE signup_date BETWEEN '2025-07-01' AND '2025-07-31'"),
    (["revenue in March 2026"], "what about march a year earlier",
     "SELECT SUM(total_amount) FROM orders WHERE status NOT IN ('cancelled', 'returned') "
     "AND order_date BETWEEN '2025-03-01' AND '2025-03-31'"),
])
def test_the_same_period_named_a_year_earlier(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "do it by brand instead" after the top products: "instead" replaces the grouping, even with a pointer at the
# ranked ones (was: the brand beside each product)
@pytest.mark.parametrize("context, question, gold", [
    (["top 5 products by units sold in 2025"], "do that by category instead",
     f"SELECT p.category, SUM(oi.quantity) u FROM {LINES} WHERE {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY 1 ORDER BY u DESC LIMIT 5"),
    (["top 3 products by revenue in 2025"], "now do it by channel instead",
     f"SELECT o.channel, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM {LINES} "
     f"WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 3"),
])
def test_instead_regroups_the_ranked_ones(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what about the share of orders for web" after the web's share of revenue: the things named after "share of"
# counted (was: the share of revenue again)
@pytest.mark.parametrize("context, question, gold", [
    (["what share of revenue came from the store channel in 2025?"], "and the share of orders for store?",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE channel = 'store') / COUNT(*) FROM orders WHERE year(order_date) = 2025"),
    (["what share of revenue came from b2b in 2025?", "and from web?"], "how about the share of orders from b2b",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE channel = 'b2b') / COUNT(*) FROM orders WHERE year(order_date) = 2025"),
])
def test_share_of_other_things_after_a_share(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which one had the most late deliveries?" after carriers ranked: "which one" is one of the groups just shown,
# in their period (was: a new question, every late shipment of all time counted)
# "which category sold the most?" after sales by category last month: the top of the figure just shown, in its
# period (was: units sold over all time)
@pytest.mark.parametrize("context, question, gold", [
    (["average delivery time by carrier in 2025"], "which one had the most late deliveries?",
     "SELECT carrier, COUNT(*) n FROM shipments WHERE year(shipped_at) = 2025 "
     "AND delivered_at > shipped_at + INTERVAL 3 DAY GROUP BY 1 ORDER BY n DESC LIMIT 1"),
    (["revenue by category in 2025"], "which category sold the most?",
     f"SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM {LINES} "
     f"WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    (["revenue by channel in 2025"], "which channel had the highest revenue?",
     f"SELECT channel, SUM(total_amount) r FROM orders o WHERE {VALID} AND year(order_date) = 2025 "
     "GROUP BY 1 ORDER BY r DESC LIMIT 1"),
])
def test_which_of_the_groups_shown(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "per warehouse" after the inactive products with their stock: the stock shown summed per warehouse (was: the
# products counted per warehouse)
@pytest.mark.parametrize("context, question, gold", [
    (["which products are inactive?", "how much stock do we have of those?"], "by warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE NOT p.active GROUP BY 1"),
    (["list the Kitchen products", "and their stock?"], "per warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category = 'Kitchen' GROUP BY 1"),
])
def test_listed_figure_regrouped(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "all channels but only norwegian customers" after b2b orders by status: "all <groups>" of a filter the previous
# question had drops it (was: a new question, the Norwegian customers listed); "all brands again" restores them
@pytest.mark.parametrize("context, question, gold", [
    (["orders by status in 2025", "only store"], "all channels but only swedish customers",
     "SELECT o.status, COUNT(*) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE year(o.order_date) = 2025 AND c.country = 'SE' GROUP BY 1"),
    (["stock by category", "only in Kuopio", "only Lighting"], "all categories again",
     "SELECT p.category, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Kuopio' GROUP BY 1"),
])
def test_all_groups_drops_their_filter(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what was the value of those returns" after returned orders counted: a status said as a noun ("returns") is
# the column's own things, so their amount is summed (was: the count again)
# "how much did he spend on those" after his delivered orders counted: a status revenue keeps whole (was: refused)
@pytest.mark.parametrize("context, question, gold", [
    (["how many orders were returned in 2025?", "only web orders"], "what was the value of those returns",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'returned' AND channel = 'web' AND year(order_date) = 2025"),
    (["how many orders were cancelled in 2025?"], "and the total value of the cancellations?",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025"),
    (["how many orders did Erik Olsen place in 2025?", "how many were delivered?"], "how much did he spend on those",
     "SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.status = 'delivered' AND year(o.order_date) = 2025"),
])
def test_amount_of_the_counted_orders(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and what revenue did it bring?" after a product's units sold this year: the revenue of the same sales (was:
# refused, no answer "it" pointed at)
@pytest.mark.parametrize("context, question, gold", [
    (["how many units of the Philips Heat Pump did we sell in 2025?"], "and what revenue did it bring?",
     f"SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM {LINES} "
     f"WHERE {VALID} AND p.name = 'Philips Heat Pump' AND year(o.order_date) = 2025"),
    (["units sold of Makita products in 2025"], "how much revenue did they bring in?",
     f"SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM {LINES} "
     f"WHERE {VALID} AND p.brand = 'Makita' AND year(o.order_date) = 2025"),
])
def test_revenue_of_the_units_sold(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "show revenue instead of order count" after orders counted per month: "instead of" anywhere points back, and the
# count it names is the figure replaced (was: a new question, 'instead' not placed)
@pytest.mark.parametrize("context, question, gold", [
    (["number of orders per channel in 2025"], "show revenue instead of order count",
     f"SELECT channel, SUM(total_amount) FROM orders o WHERE {VALID} AND year(order_date) = 2025 GROUP BY 1"),
    (["how many orders per status in 2025"], "give me the average order value instead of the order count",
     f"SELECT status, AVG(total_amount) FROM orders o WHERE {VALID} AND year(order_date) = 2025 GROUP BY 1"),
])
def test_figure_instead_of_the_count(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "show how many orders they placed instead, cancelled ones included" after their average order value: a count
# of orders keeps every status, the status named among them (was: refused, or only the cancelled ones counted)
@pytest.mark.parametrize("context, question, gold", [
    (["average order value by channel in 2025"], "how many orders was that instead, cancelled ones included",
     "SELECT channel, COUNT(*) FROM orders WHERE year(order_date) = 2025 GROUP BY 1"),
    (["revenue by country in 2025", "only business customers"], "show how many orders they placed, returned ones too",
     "SELECT c.country, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE year(o.order_date) = 2025 "
     "AND c.segment = 'business' GROUP BY 1"),
])
def test_count_with_a_status_included(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "ok Kuopio then, which products there are below reorder level?" after the warehouse with the most such products:
# the products of the group named, listed (was: the top warehouse's count again)
@pytest.mark.parametrize("context, question, gold", [
    (["which warehouse should we restock first? the one with the most products below their reorder level"],
     "ok Kuopio then. which products there are below reorder level?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand < i.reorder_level"),
    (["which warehouse has the most products below reorder level?"],
     "ok, Vantaa then. which products are below the reorder level there?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Vantaa' "
     "AND i.quantity_on_hand < i.reorder_level"),
])
def test_which_things_of_a_named_group_after_the_top_group(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "for shipments sent in 2025" after the fastest carrier: an opening "for" naming only things and their conditions
# narrows the previous question (was: the 2025 shipments listed, a new question)
@pytest.mark.parametrize("context, question, gold", [
    (["which carrier is the fastest on average?"], "for shipments shipped in 2025",
     "SELECT carrier, AVG(date_diff('second', shipped_at, delivered_at)) / 86400.0 AS d FROM shipments "
     "WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1 ORDER BY d LIMIT 1"),
    (["which carrier is the fastest on average?", "for shipments sent in 2025"], "and for web orders only?",
     "SELECT s.carrier, AVG(date_diff('second', s.shipped_at, s.delivered_at)) / 86400.0 AS d FROM shipments s "
     "JOIN orders o USING (order_id) WHERE s.delivered_at IS NOT NULL AND year(s.shipped_at) = 2025 "
     "AND o.channel = 'web' GROUP BY 1 ORDER BY d LIMIT 1"),
    (["revenue by channel"], "for orders placed in 2025",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND year(o.order_date) = 2025 "
     "GROUP BY 1"),
])
def test_for_things_alone_narrows_the_previous_question(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and by late rate instead?" after the fastest carrier by average delivery time: the share of late deliveries
# replaces the average as what is ranked (was: refused, a share of an average delivery time)
@pytest.mark.parametrize("context, question, gold", [
    (["which carrier should we use? fastest average delivery time in 2025"], "ok and by late rate instead?",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) AS r "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1 ORDER BY r LIMIT 1"),
    (["slowest carrier on average in 2025"], "highest share of late shipments instead",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) AS r "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1"),
])
def test_a_share_instead_of_an_average_ranked(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what's that worth at cost?" after products listed with their stock: the stock of the same rows, valued as named
# (was: refused, 'at cost' not placed)
@pytest.mark.parametrize("context, question, gold", [
    (["which products have more than four times their reorder level in stock?"], "what is that worth at cost?",
     "WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS q, SUM(reorder_level) AS r FROM inventory GROUP BY 1) "
     "SELECT SUM(s.q * p.unit_cost) FROM s JOIN products p USING (product_id) WHERE s.q > 4 * s.r"),
    (["which products are low on stock?"], "what's that worth at list price?",
     "WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS q, SUM(reorder_level) AS r FROM inventory GROUP BY 1) "
     "SELECT SUM(s.q * p.unit_price) FROM s JOIN products p USING (product_id) WHERE s.q <= s.r"),
])
def test_worth_at_a_valuation_of_the_listed_stock(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many units of each did we sell last month?" after products listed: each listed one's units, one with none
# shown as 0 (was: refused, 'each' not placed; "their units sold" dropped the ones with none)
@pytest.mark.parametrize("context, question, gold", [
    (["which products are out of stock?"], "how many units of each did we sell in October?",
     "WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS q FROM inventory GROUP BY 1), "
     "u AS (SELECT i.product_id, SUM(i.quantity) AS n FROM order_items i JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1) "
     "SELECT p.name, COALESCE(u.n, 0) FROM products p JOIN s USING (product_id) LEFT JOIN u USING (product_id) "
     "WHERE s.q = 0"),
    (["which products are out of stock?"], "units sold in September for each?",
     "WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS q FROM inventory GROUP BY 1), "
     "u AS (SELECT i.product_id, SUM(i.quantity) AS n FROM order_items i JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' GROUP BY 1) "
     "SELECT p.name, COALESCE(u.n, 0) FROM products p JOIN s USING (product_id) LEFT JOIN u USING (product_id) "
     "WHERE s.q = 0"),
])
def test_a_figure_of_each_listed_one_keeps_every_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "do we have enough of it in stock? how many units on hand" after the product most bought with another: whether it
# is enough is the asker's call on the quantity held, which is read (was: refused, 'enough' not placed)
@pytest.mark.parametrize("context, question, gold", [
    (["which product is most often bought together with the Ensto LED Bulb?"],
     "do we have enough of it? units on hand in total",
     "WITH x AS (SELECT DISTINCT i.order_id FROM order_items i JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto LED Bulb'), t AS (SELECT i.product_id, COUNT(DISTINCT i.order_id) AS n "
     "FROM order_items i JOIN x USING (order_id) JOIN products p USING (product_id) WHERE p.name <> 'Ensto LED Bulb' "
     "GROUP BY 1 ORDER BY n DESC, MIN(p.name) LIMIT 1) SELECT SUM(v.quantity_on_hand) FROM inventory v JOIN t USING (product_id)"),
])
def test_enough_of_it_reads_the_quantity_held(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many makita units did we sell" after "and Makita?" (revenue of Bosch last quarter): a whole question whose
# every value (and every condition of the previous figure) is said again, with no period or grouping of its own, is
# another figure of the same things in the conversation's period (was: a new question over all time, a silent
# wrong); a count of standing things ("how many customers in Oulu are there") or a value named anew stays new
@pytest.mark.parametrize("context, question, gold", [
    (["revenue for Tikkurila products in Q2 2026", "and Bosch?"], "how many bosch units did we sell",
     "SELECT SUM(i.quantity) FROM order_items i JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.brand = 'Bosch' AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
    (["revenue from Oulu customers in 2025"], "how many orders did the oulu customers place",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Oulu' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    (["units sold of Bosch products in Q2 2026"], "what was the bosch revenue",
     "SELECT SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) FROM order_items i JOIN orders o "
     f"USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND p.brand = 'Bosch' "
     "AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
    (["revenue from Oulu customers in 2025"], "how many customers in oulu are there",
     "SELECT COUNT(*) FROM customers WHERE city = 'Oulu'"),
    (["revenue from Oulu customers in 2025"], "how many orders did the helsinki customers place",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Helsinki'"),
])
def test_a_figure_of_the_same_values_keeps_the_period(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "per warehouse" after the stock of the most expensive product: the figure shown beside the ranked row, split by
# the group named, for that same product (was: the ranked list grouped by warehouse, its limit keeping one
# warehouse's row: a silent wrong)
@pytest.mark.parametrize("context, question, gold", [
    (["what's our cheapest product?", "how much of it is in stock?"], "by warehouse",
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i "
     "WHERE i.product_id = (SELECT product_id FROM products ORDER BY unit_price LIMIT 1)"),
    (["what's our most expensive product?", "how much of it is in stock?"], "per warehouse",
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i "
     "WHERE i.product_id = (SELECT product_id FROM products ORDER BY unit_price DESC LIMIT 1)"),
])
def test_a_figure_of_the_ranked_product_split_by_a_group(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# small follow-up words read: "the median in hours instead of the average" (the unit and the replaced aggregate
# beside the aggregate swapped; was refused), "for comparison" and "aswell" (said beside another period or figure;
# was refused), "the quarter before that, Q2 2026" (the period counted back, said twice; was refused), an opening
# "add" (a figure or column beside the previous rows; was refused or read as a total), "cost value" (stock at cost)
@pytest.mark.parametrize("context, question, gold", [
    (["average delivery time in hours by carrier this year"], "and the median in hours instead of the average?",
     "SELECT carrier, MEDIAN(date_diff('second', shipped_at, delivered_at)) / 3600.0 FROM shipments "
     "WHERE delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY carrier"),
    (["average delivery time by carrier in 2025"], "and the median in days?",
     "SELECT carrier, MEDIAN(date_diff('second', shipped_at, delivered_at)) / 86400.0 FROM shipments "
     "WHERE delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY carrier"),
    (["orders per status in 2025"], "and in 2024 for comparison?",
     "SELECT status, COUNT(DISTINCT order_id) FROM orders WHERE order_date BETWEEN DATE '2024-01-01' "
     "AND DATE '2024-12-31' GROUP BY status"),
    (["revenue per month this year"], "and units sold per month aswell?",
     "SELECT date_trunc('month', o.order_date), SUM(i.quantity) FROM order_items i JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    (["top 5 products by revenue in Q3 2026"], "and the quarter before that, Q2 2026?",
     "SELECT p.name, SUM(i.quantity * i.unit_price * (1 - i.discount_percent / 100)) AS r FROM order_items i "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30' GROUP BY p.name ORDER BY r DESC LIMIT 5"),
    (["top 3 customers by revenue in 2025"], "add their city",
     "SELECT c.name, c.city, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY c.customer_id, c.name, c.city ORDER BY r DESC LIMIT 3"),
    (["top 3 customers by revenue in 2025"], "add how many orders each of them placed",
     "SELECT c.name, SUM(o.total_amount) FILTER (WHERE o.status NOT IN ('cancelled', 'returned')) AS r, "
     "COUNT(DISTINCT o.order_id) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 3"),
    (["Discontinued products that still have inventory"], "add their cost value",
     "SELECT p.name, SUM(i.quantity_on_hand) * p.unit_cost FROM products p JOIN inventory i USING (product_id) "
     "WHERE NOT p.active GROUP BY p.product_id, p.name, p.unit_cost HAVING SUM(i.quantity_on_hand) > 0"),
])
def test_followup_words_said_beside_the_change(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and the longest one?", "and the shortest?" after one average duration of no groups: nothing to rank, so the
# superlative names the maximum / minimum of the per-row duration, the rest kept (was: refused, nothing to rank)
@pytest.mark.parametrize("context, question, gold", [
    (["mean delivery time in hours for DHL in September 2026"], "and the longest one?",
     "SELECT MAX(date_diff('second', shipped_at, delivered_at)) / 3600.0 FROM shipments WHERE carrier = 'DHL' "
     "AND delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    (["avg delivery time for Bring in 2025"], "and the shortest?",
     "SELECT MIN(date_diff('second', shipped_at, delivered_at)) / 86400.0 FROM shipments WHERE carrier = 'Bring' "
     "AND delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_a_superlative_after_one_average_duration_is_its_extreme(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and the previous one?" after her latest order: the one right before it by the same date (after the first one,
# "the next one" goes forward); "what about their other orders?", "any other open orders?", "what else have they
# ordered this year?" after the customer of one order: that customer's orders but that one (was: refused)
@pytest.mark.parametrize("context, question, gold", [
    (["what's the status of Aino Dahl's most recent order?"], "and the previous one?",
     "SELECT o.order_id, o.status FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Aino Dahl' "
     "ORDER BY o.order_date DESC LIMIT 1 OFFSET 1"),
    (["what was Erik Olsen's first order?"], "and the next one?",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "ORDER BY o.order_date LIMIT 1 OFFSET 1"),
    (["who placed order 2956?"], "what about their other orders?",
     "SELECT order_id FROM orders WHERE customer_id = (SELECT customer_id FROM orders WHERE order_id = 2956) "
     "AND order_id <> 2956"),
    (["what's the status of order 3119?", "who ordered it?"], "does that customer have any other open orders?",
     "SELECT order_id FROM orders WHERE customer_id = (SELECT customer_id FROM orders WHERE order_id = 3119) "
     "AND order_id <> 3119 AND status IN ('pending', 'paid')"),
    (["status of order 143", "who's the customer?"], "what else have they ordered this year?",
     "SELECT order_id FROM orders WHERE customer_id = (SELECT customer_id FROM orders WHERE order_id = 143) "
     "AND order_id <> 143 AND order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
])
def test_the_one_before_and_the_other_orders_of_the_customer(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and how many units is that?" after the warehouse holding the most stock: the bare "units" is the previous figure's
# own unit, the same answer (was: refused as units sold beside the ranking); "never mind philips" drops that
# condition as "forget philips" does (layer drop_filter; was refused, 'never', 'mind' not placed)
@pytest.mark.parametrize("context, question, gold", [
    (["Which warehouse holds the most stock of Garden products?"], "And how many units is that?",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) AS s FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category = 'Garden' GROUP BY 1 ORDER BY s DESC LIMIT 1"),
    (["which 5 active products have the highest margin?", "only in lighting", "only Philips"],
     "never mind philips, any lighting",
     "SELECT name, (unit_price - unit_cost) / unit_price AS m FROM products WHERE active AND category = 'Lighting' "
     "ORDER BY m DESC LIMIT 5"),
])
def test_units_of_the_figure_and_never_mind_a_condition(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# dev39 slice: bare "units" after a list of products held to a stock condition, nothing said of selling nor a
# period, are the units those products hold (was: units sold)
@pytest.mark.parametrize("context, question, gold", [
    (["which discontinued products still have stock on hand? we want to clear them out"],
     "how many units is that in total?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE NOT p.active"),
])
def test_units_after_a_stock_condition_are_held(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "now show the share of late deliveries instead" after the average delivery time per carrier (not ranked): the share
# of the condition's things replaces the average, per the same groups and period (was: refused, a share of an average)
@pytest.mark.parametrize("context, question, gold", [
    (["average delivery time by carrier last year in days"], "show the share of late shipments instead",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) FROM shipments "
     "WHERE delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY carrier"),
])
def test_a_share_replaces_an_average_per_group(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# a fall ranked is turned to the biggest fall first once (two rules, from two branches, each turned it: the smallest
# fall came first, a silent wrong); a growth asked again after a fall ranks the biggest growth first (was: the fall's
# direction kept)
@pytest.mark.parametrize("context, question, gold", [
    (None, "which brand fell the most from Q2 2026 to Q3 2026",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date "
     "BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') - SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent "
     "/ 100)) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') AS change "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 ORDER BY change ASC LIMIT 1"),
    (["which brand fell the most from Q2 2026 to Q3 2026"], "which brand grew the most from Q2 2026 to Q3 2026",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date "
     "BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') - SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent "
     "/ 100)) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') AS change "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 ORDER BY change DESC LIMIT 1"),
])
def test_a_fall_ranked_is_turned_once(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "break it down by", "break that down by": a phrase of grouping leads as "by" does, also when its group names a
# thing (product, customer) (was: a new question, the number of products, a silent wrong)
@pytest.mark.parametrize("context, question, gold", [
    (["revenue of Makita products in 2025"], "break it down by product",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM order_items oi "
     "JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE p.brand = 'Makita' AND "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, p.name"),
    (["units sold last quarter"], "break that down per customer",
     "SELECT c.name, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-07-01' "
     "AND DATE '2026-09-30' GROUP BY c.customer_id, c.name"),
])
def test_a_grouping_phrase_regroups_the_previous_figure(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which month was the best?" after a figure per month: the periods of a grain are the groups ranked on that one
# figure, as "which category was the best?" after one per category (was: refused, nothing changed)
@pytest.mark.parametrize("context, question, gold", [
    (["units sold by month in 2026"], "which month was the best one?",
     "SELECT date_trunc('month', o.order_date) AS m, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o "
     f"USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY 1 ORDER BY u DESC LIMIT 1"),
    (["number of orders per quarter in 2025"], "which quarter had the fewest?",
     "SELECT date_trunc('quarter', order_date) AS q, COUNT(*) AS n FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 ORDER BY n ASC LIMIT 1"),
])
def test_the_best_period_of_a_grain_is_ranked(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "as a percentage of all orders?" after a count of some orders: the previous figure put as a share of all of its
# things, its condition the share's (was: read alone, refused: a share of what?)
@pytest.mark.parametrize("context, question, gold", [
    (["how many store orders were placed in 2025"], "as a percentage of all orders?",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE channel = 'store') / COUNT(*) FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_as_a_share_puts_the_previous_count_as_a_share(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many of them have ordered something?" after customers: the ones with an order, the activity a condition on
# them as "customers who have placed an order" reads it (was: refused, the added condition compared as no change)
@pytest.mark.parametrize("context, question, gold", [
    (["how many business customers signed up in 2024"], "how many of them have ordered something?",
     "SELECT COUNT(*) FROM customers c WHERE c.segment = 'business' AND c.signup_date BETWEEN DATE '2024-01-01' AND "
     "DATE '2024-12-31' AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"),
])
def test_an_activity_of_them_is_a_condition_on_them(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "so how many more did we sell in May than in April?" after one figure per period: that figure, the first period's
# less the second's (was: refused on 'than', the count of "how many" read as orders)
@pytest.mark.parametrize("context, question, gold", [
    (["revenue in March 2026", "and in April 2026?"], "how much more did we make in March 2026 than in April 2026?",
     "SELECT SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31') - "
     "SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-04-30') FROM orders o "
     f"WHERE {VALID_ORDER}"),
])
def test_how_many_more_than_after_a_figure_is_its_difference(parser, engine, context, question, gold):
    expected = engine.execute(gold).rows[0][0]
    got = answer(parser, engine, question, context)
    assert len(got) == 1 and any(abs(float(v) - float(expected)) < 0.01 for v in got[0]), (question, expected, got)


# a closing "only" restricts the previous question as an opening one does ("Oslo customers only" = "only Oslo
# customers"), its grouping and period kept (was: the Oslo customers listed, a new question)
@pytest.mark.parametrize("context, question, gold", [
    (["units sold per brand in August"], "Oslo customers only",
     "SELECT p.brand, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) JOIN customers c ON c.customer_id = o.customer_id WHERE c.city = 'Oslo' AND "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31' GROUP BY 1"),
    (["number of orders per channel in 2025"], "business customers only",
     "SELECT o.channel, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.segment = 'business' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    # after a list: the thing named only carries the value, the listed ones are restricted (not a new list of it)
    (["list the cancelled orders from 2025"], "Turku customers only",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Turku' AND "
     "o.status = 'cancelled' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_a_closing_only_restricts_the_previous_question(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "its <things>" after the one group ranked first names that group, as "that category's products": the things
# grouped within it (was: the ranking regrouped by the things, still its top 1)
@pytest.mark.parametrize("context, question, gold", [
    (["which category had the most revenue last year?"], "list the stock of each of its products",
     "WITH t AS (SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING "
     f"(product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1) "
     "SELECT p.name, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category IN (SELECT category FROM t) GROUP BY p.name, p.product_id"),
])
def test_its_things_are_within_the_one_ranked(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# a figure of what is held now (stock) asked after a product's sales of a period: the product kept, the period and
# its months dropped (layer current_figures; was: the stock of every product, or refused)
@pytest.mark.parametrize("context, question, gold", [
    (["Makita Hammer units sold in 2025", "per month"], "and how much is on hand?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Makita Hammer'"),
    (["how many Bosch Garden Hose did we sell last quarter"], "how many do we have left",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Bosch Garden Hose'"),
])
def test_stock_after_sales_of_a_period_drops_the_period(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# a time grain named alone replaces the previous groups, but a group narrowed to two or more values named to compare
# stays: each value's months apart (was: the values summed together per month)
@pytest.mark.parametrize("context, question, gold", [
    (["units sold per category in 2025", "only Paint and Garden"], "and by month?",
     "SELECT p.category, date_trunc('month', o.order_date), SUM(oi.quantity) FROM order_items oi JOIN orders o "
     f"USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND p.category IN ('Paint', 'Garden') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1, 2"),
])
def test_a_grain_keeps_the_values_compared(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "show it per month" after a count: the count per month, not the counted things listed ("show" with a grain)
@pytest.mark.parametrize("context, question, gold", [
    (["how many web orders were there in 2025?", "how many different customers placed them"], "show that by month",
     "SELECT date_trunc('month', o.order_date), COUNT(DISTINCT o.customer_id) FROM orders o WHERE o.channel = 'web' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
])
def test_show_with_a_grain_after_a_count_regroups_it(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many customers ..., per channel" after a figure per channel: the customers counted per the same groups (the
# grouping said again changes nothing; was: the orders counted)
@pytest.mark.parametrize("context, question, gold", [
    (["revenue per city in 2025"], "and how many customers ordered per city",
     "SELECT c.city, COUNT(DISTINCT c.customer_id) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
])
def test_a_count_of_other_things_with_the_same_grouping(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "in any warehouse? list the warehouses": "any" alone drops a condition and adds no grouping, but the groups asked
# for too are kept (was: one product-level figure)
@pytest.mark.parametrize("context, question, gold", [
    (["how much stock of Bosch Garden Hose do we have"], "is it under its reorder level in any warehouse? list the warehouses",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Bosch Garden Hose' "
     "AND i.quantity_on_hand < i.reorder_level"),
])
def test_any_group_with_the_groups_asked_keeps_them(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which month was the weakest?" after a figure per month: the months ranked on that figure, the top one (was:
# refused); as "which category sold the most?" after sales by category
@pytest.mark.parametrize("context, question, gold", [
    (["number of orders per month in 2025"], "which month had the fewest?",
     "SELECT date_trunc('month', o.order_date) AS m FROM orders o WHERE o.order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1 ORDER BY COUNT(*) ASC LIMIT 1"),
])
def test_which_month_after_a_figure_per_month(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "those two" after two values named: the number counts the values named before, no top N (was: refused, '2')
@pytest.mark.parametrize("context, question, gold", [
    (["revenue per channel in 2025", "only web and store"], "and units sold for these two?",
     "SELECT o.channel, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE "
     f"{VALID_ORDER} AND o.channel IN ('web', 'store') AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY 1"),
])
def test_those_n_counts_the_values_named(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how much stock of each do we have?" after products listed: each one's stock beside it (no sales that could be
# missing, so no 'ones with none' to add; was: refused); "which of them sold ...?" counts sales (not cancelled or
# returned), as "which inactive products sold ...?" does
@pytest.mark.parametrize("context, question, gold", [
    (["show the inactive products"], "how much stock of each is on hand?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) WHERE NOT p.active "
     "GROUP BY p.product_id, p.name"),
    (["show the inactive products"], "which of them sold in 2025?",
     "SELECT DISTINCT p.name FROM products p JOIN order_items oi USING (product_id) JOIN orders o USING (order_id) "
     f"WHERE NOT p.active AND {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_figures_and_sales_of_listed_products(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# the one thing ranked first, its figure: "of it per warehouse" splits that one's figure by the groups named;
# "its average ..." names the one too, in the ranking's period; "compare with the other carriers" then shows every
# carrier's figure (was: refused, the figure beside the ranking)
@pytest.mark.parametrize("context, question, gold", [
    (["best selling Paint product in 2025 by units"], "how much stock is there of it in each warehouse",
     "WITH t AS (SELECT p.product_id FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING "
     f"(product_id) WHERE {VALID_ORDER} AND p.category = 'Paint' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY 1 ORDER BY SUM(oi.quantity) DESC LIMIT 1) "
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i WHERE i.product_id IN (SELECT product_id FROM t)"),
    (["which carrier sent the most shipments in 2025?"], "what's its average delivery time in days",
     "WITH t AS (SELECT carrier FROM shipments WHERE CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1) SELECT AVG(date_diff('second', shipped_at, "
     "delivered_at) / 86400.0) FROM shipments WHERE carrier IN (SELECT carrier FROM t) AND delivered_at IS NOT NULL "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # a figure of the catalog has no date: the ranking's period is not kept for it
    (["best selling Garden product in 2025 by units"], "and its margin?",
     "WITH t AS (SELECT p.product_id FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING "
     f"(product_id) WHERE {VALID_ORDER} AND p.category = 'Garden' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY 1 ORDER BY SUM(oi.quantity) DESC LIMIT 1) "
     "SELECT (unit_price - unit_cost) / unit_price FROM products WHERE product_id IN (SELECT product_id FROM t)"),
    (["which carrier sent the most shipments in 2025?", "what's its average delivery time in days"],
     "how does that compare to the other carriers",
     "SELECT carrier, AVG(date_diff('second', shipped_at, delivered_at) / 86400.0) FROM shipments WHERE "
     "delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY 1"),
])
def test_figure_of_the_one_ranked_and_the_others(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many of those customers ..." after orders counted: "those" with a noun names the things counted (the customers
# of those orders, under the same conditions), never the orders counted again (was: the orders of business customers)
@pytest.mark.parametrize("context, question, gold", [
    (["how many store orders did Oslo customers place in 2025?"], "and how many of those customers are consumers",
     "SELECT COUNT(DISTINCT c.customer_id) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.channel = 'store' AND c.segment = 'consumer' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31'"),
])
def test_how_many_of_those_things_counts_those_things(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "both" after a value swapped for another ("and store?" after web orders): the value replaced and the new one, each
# apart ("both together": one figure of the two); was: refused, 'both' not placed
@pytest.mark.parametrize("context, question, gold", [
    (["number of web orders in 2025", "and store?"], "both by quarter",
     "SELECT o.channel, quarter(o.order_date), COUNT(*) FROM orders o WHERE o.channel IN ('web', 'store') AND "
     "o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1, 2"),
    (["units sold of Paint products in 2025", "and Garden?"], "both together",
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category IN ('Paint', 'Garden') AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31'"),
])
def test_both_names_the_value_replaced_and_the_new_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# a value of the ranked dimension named after a figure within the previous top one replaces that top one (kept, it
# would leave nothing unless the value were the top one: a silent empty answer)
@pytest.mark.parametrize("context, question, gold", [
    (["which carrier sent the most shipments in 2025?", "how many of them were late"],
     "and how many DHL shipments were late",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'DHL' AND delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_a_value_of_the_ranked_dimension_replaces_the_top_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "and everywhere?" after a figure held to a place: every place, the condition on the place dropped (layer
# grammar.everywhere); said beside "not only <place>" it agrees with it (was: refused on 'everywhere')
@pytest.mark.parametrize("context, question, gold", [
    (["revenue from customers in Sweden in 2025"], "and everywhere?",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID_ORDER} AND order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31'"),
    (["units in stock in the Kuopio warehouse"], "what about everywhere, not just Kuopio?",
     "SELECT SUM(quantity_on_hand) FROM inventory"),
    (["number of orders from Oslo customers in 2026"], "and everywhere",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
])
def test_everywhere_drops_the_condition_on_a_place(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "number of customers instead, please": the courtesy words closing a follow-up are not its last word, so
# "instead" still says it replaces the previous figure (was: a new question, refused on 'instead'); "counts" is
# a count as "count" is
@pytest.mark.parametrize("context, question, gold", [
    (["revenue per month in 2025"], "customer counts instead please",
     "SELECT date_trunc('month', order_date) AS m, COUNT(DISTINCT customer_id) FROM orders WHERE order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY m"),
    (["revenue by channel in 2026"], "the number of orders instead, thanks",
     "SELECT channel, COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY channel"),
])
def test_instead_before_courtesy_words_replaces_the_figure(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which of its products sold the most units?" after the top brand: its one best product (the figure said beside
# the ranking verb restates it; "which of" picks one) (was: the brands ranked again by units, a silent wrong)
@pytest.mark.parametrize("context, question, gold", [
    (["which category had the highest revenue in 2025?"], "which of its products sold the most units?",
     "SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND p.category = ("
     "SELECT p2.category FROM order_items i2 JOIN orders o2 USING (order_id) JOIN products p2 USING (product_id) "
     "WHERE o2.status NOT IN ('cancelled', 'returned') AND o2.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY 1 ORDER BY SUM(i2.quantity * i2.unit_price * (1 - i2.discount_percent / 100)) "
     "DESC LIMIT 1) GROUP BY p.name ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
])
def test_which_of_its_things_ranked_within_the_top_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "how many units of each did we sell?" after a top 3: "each" alone stands for the ranked ones, the figure shown
# beside them (was: refused on 'each')
@pytest.mark.parametrize("context, question, gold", [
    (["top 3 categories by revenue in 2025"], "how many units of each did we sell?",
     "SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY p.category ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 3"),
])
def test_each_alone_after_a_top_n_is_each_ranked_one(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "include the discontinued Garden products too": an opening "include" adds rows to the previous question, so the
# condition it names the other side of goes, the rest kept (was: a new question, refused on 'include', 'too')
@pytest.mark.parametrize("context, question, gold", [
    (["which products are at or below their reorder level in Kuopio?", "only active ones", "only Garden"],
     "include the inactive Garden products too",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand <= i.reorder_level AND p.category = 'Garden'"),
])
def test_opening_include_widens_the_previous_question(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what was DHL's average delivery time in days?" after DHL's shipments last month: the unit of the duration is no
# grouping, so the figure of the same carrier keeps the conversation's period (was: all time)
@pytest.mark.parametrize("context, question, gold", [
    (["how many shipments did DHL send in September 2026?"], "what was DHL's average delivery time in days?",
     "SELECT AVG(epoch(delivered_at - shipped_at) / 86400.0) FROM shipments WHERE carrier = 'DHL' AND delivered_at "
     "IS NOT NULL AND shipped_at >= TIMESTAMP '2026-09-01' AND shipped_at < TIMESTAMP '2026-10-01'"),
])
def test_a_duration_in_a_unit_of_the_same_value_keeps_the_period(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what is that stock worth at cost?" after products listed with their stock: "that" before the figure shown points
# back at those rows, their conditions kept (was: a new question over every product, a silent wrong); "what would it
# fetch" is what it is worth
@pytest.mark.parametrize("context, question, gold", [
    (["inactive products that still have stock"], "what is that stock worth at cost, in total?",
     "SELECT SUM(i.quantity_on_hand * p.unit_cost) FROM inventory i JOIN products p USING (product_id) "
     "WHERE NOT p.active"),
    (["Garden products that are in stock"], "what would that stock fetch at list price?",
     "SELECT SUM(i.quantity_on_hand * p.unit_price) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category = 'Garden'"),
])
def test_that_figure_shown_points_back_at_the_listed_rows(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what did she buy in it, and how many of each?" after the one order ranked: that order's lines with their
# quantities, as "what was in it?" (was: refused, no count beside the listed order)
@pytest.mark.parametrize("context, question, gold", [
    (["the biggest order in September 2026"], "what did they buy in it, and how many of each?",
     "SELECT p.name, oi.quantity FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id = ("
     "SELECT order_id FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' "
     "ORDER BY total_amount DESC, order_id LIMIT 1)"),
])
def test_what_they_bought_in_the_order_is_its_lines(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which orders are those?" after the channel with the most cancelled orders: the counted things of the one group
# ranked first, listed under the same conditions (was: refused, what it refers to not told)
@pytest.mark.parametrize("context, question, gold", [
    (["which channel had the most cancelled orders in 2025?"], "which orders are those?",
     "SELECT order_id FROM orders WHERE status = 'cancelled' AND order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' AND channel = (SELECT channel FROM orders WHERE status = 'cancelled' AND order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY channel ORDER BY COUNT(*) DESC, channel LIMIT 1)"),
    ([TOP_WAREHOUSE], "which products are those there?",
     "SELECT product_id FROM inventory WHERE quantity_on_hand < reorder_level AND warehouse = (SELECT warehouse "
     "FROM inventory WHERE quantity_on_hand < reorder_level GROUP BY warehouse ORDER BY COUNT(*) DESC, warehouse "
     "LIMIT 1)"),
    (["which warehouse has the most products out of stock?"], "which products are those there?",
     "SELECT product_id FROM inventory WHERE quantity_on_hand = 0 AND warehouse = (SELECT warehouse FROM inventory "
     "WHERE quantity_on_hand = 0 GROUP BY warehouse ORDER BY COUNT(*) DESC, warehouse LIMIT 1)"),
])
def test_those_after_the_top_group_of_a_count_lists_its_counted_things(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_an_opening_including_with_a_figure_of_its_own_is_no_follow_up(parser):
    # "including returns, what was revenue in 2025?" asks a figure of its own: never merged into the previous
    # question's grouping (the stock per warehouse), here refused as it was before
    form = parser.parse("stock by warehouse", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="including"):
        parser.parse("including cancelled orders, what was revenue in 2025?", COPILOT_AS_OF, form)


# "and those who ordered in both July and August?" after customers counted in one month: an order in each of the
# two months, not one span over both (was: refused, 'both' left unplaced)
@pytest.mark.parametrize("context, question, gold", [
    (["how many customers placed an order in August?"], "what about the ones who ordered in both July and August?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE order_date BETWEEN DATE '2026-07-01' AND "
     "DATE '2026-07-31' INTERSECT SELECT customer_id FROM orders WHERE order_date BETWEEN DATE '2026-08-01' AND "
     "DATE '2026-08-31')"),
])
def test_follow_up_customers_in_both_periods(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "which ones are b2b?" after a count: the counted things picked out and listed, as "which of them" (was: the count)
@pytest.mark.parametrize("context, question, gold", [
    (["how many orders are open?"], "which ones are b2b?",
     "SELECT order_id FROM orders WHERE status IN ('pending', 'paid') AND channel = 'b2b'"),
    (["how many customers in Oslo?"], "which are consumers?",
     "SELECT name FROM customers WHERE city = 'Oslo' AND segment = 'consumer'"),
])
def test_which_ones_after_a_count_lists_them(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "what revenue did those three bring in?" after the top 3: the number after the pointer counts the ranked ones
# (the same three), the ranking kept (was: refused, '3' not placed)
@pytest.mark.parametrize("context, question, gold", [
    (["top 5 categories by revenue in 2025"], "how many orders did those 5 have?",
     "WITH top AS (SELECT p.category FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1 ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) "
     "DESC LIMIT 5) SELECT p.category, COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) "
     "JOIN products p USING (product_id) WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "AND p.category IN (SELECT category FROM top) GROUP BY 1"),
])
def test_those_n_after_a_top_n_are_the_ranked_ones(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# The rows of a previous ranking as the population a follow-up is about: the ranking as it was answered gives the
# ranked keys (an IN over its query), and the new figure, condition or total is computed for those ones only
@pytest.mark.parametrize("context, question, gold", [
    # a figure of another table than the ranking's, for each ranked one (was: refused, it would fan out)
    (["which 4 active products have the best margin?"], "what's the stock of each?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.product_id IN "
     "(SELECT product_id FROM products WHERE active ORDER BY (unit_price - unit_cost) / unit_price DESC, name LIMIT 4) "
     "GROUP BY p.name"),
    # a condition on such a figure, within the ranked ones
    (["top 6 products by revenue in Q2 2026"], "which of them have fewer than 700 units in stock?",
     "WITH t AS (SELECT p.product_id FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING "
     f"(product_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 6) "
     "SELECT p.name FROM t JOIN products p USING (product_id) JOIN inventory i USING (product_id) GROUP BY p.name "
     "HAVING SUM(i.quantity_on_hand) < 700"),
    # one total over the ranked ones, in the period named
    (["top 4 customers by revenue in 2025"], "what did those four spend altogether in 2025?",
     f"WITH t AS (SELECT o.customer_id, SUM(o.total_amount) r FROM orders o WHERE {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY 1 ORDER BY r DESC LIMIT 4) SELECT SUM(r) FROM t"),
    # a dated figure with no period named keeps the ranking's period
    (["top 3 products by units sold in 2025"], "how many units of them did we sell in total?",
     f"WITH t AS (SELECT oi.product_id, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) WHERE "
     f"{VALID} AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY q DESC LIMIT 3) SELECT SUM(q) FROM t"),
    # a figure held now has no period: the ranked ones' stock together
    (["top 3 products by revenue this year"], "what's their combined stock?",
     "WITH t AS (SELECT oi.product_id FROM order_items oi JOIN orders o USING (order_id) WHERE "
     f"{VALID} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 3) "
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN t USING (product_id)"),
    # a figure that counts other rows than the ranking, for the one ranked: computed apart, in the ranking's period
    (["which carrier handled the most orders in 2026?"], "what was their average delivery time, in days?",
     "WITH t AS (SELECT s.carrier FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date BETWEEN "
     "DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY COUNT(DISTINCT o.order_id) DESC, 1 LIMIT 1) "
     "SELECT AVG(epoch(s.delivered_at - s.shipped_at) / 86400.0) FROM shipments s JOIN orders o USING (order_id) "
     "WHERE s.carrier IN (SELECT carrier FROM t) AND s.delivered_at IS NOT NULL AND o.order_date BETWEEN "
     "DATE '2026-01-01' AND DATE '2026-10-31'"),
    # the listed ones as the population: each one with the figure named beside it, one with none as 0
    (["list the private customers in Tampere"], "what did each of them spend in 2025?",
     "SELECT c.name, COALESCE(SUM(o.total_amount) FILTER (WHERE o.status NOT IN ('cancelled', 'returned') AND "
     "year(o.order_date) = 2025), 0) FROM customers c LEFT JOIN orders o USING (customer_id) WHERE c.segment = "
     "'consumer' AND c.city = 'Tampere' GROUP BY c.customer_id, c.name"),
])
def test_follow_up_about_the_rows_of_a_previous_ranking(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question", [
    # units of each thing listed with no figure: held or sold is not said, both named, neither guessed
    ("show the Bosch products", "and how many units of each?"),
    ("list the inactive products", "how many units for each of them?"),
])
def test_bare_units_of_each_listed_is_refused_naming_both(parser, context, question):
    form = parser.parse(context, COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="units in stock or the units sold"):
        parser.parse(question, COPILOT_AS_OF, form)


def test_units_sold_of_each_listed_is_answered(parser, engine):
    # near miss: selling said, the units sold of each listed one (none as 0)
    got = answer(parser, engine, "how many units of each did we sell in 2025?", ["show the Bosch products"])
    gold = engine.execute("SELECT COUNT(*) FROM products WHERE brand = 'Bosch'").rows[0][0]
    total = engine.execute("SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
                           f"USING (product_id) WHERE {VALID_ORDER} AND p.brand = 'Bosch' AND year(o.order_date) = 2025"
                           ).rows[0][0]
    assert len(got) == gold and sum(row[-1] or 0 for row in got) == total


@pytest.mark.parametrize("context, question, gold", [
    # "the <place> one" / "the <place> <noun of the ranked thing>": that one row of the previous ranking
    (["top 4 customers by revenue in 2025"], "where does the second one live?",
     "SELECT c.name, c.city FROM customers c JOIN orders o USING (customer_id) WHERE "
     f"{VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name, c.city "
     "ORDER BY SUM(o.total_amount) DESC, c.name LIMIT 1 OFFSET 1"),
    (["top 3 products by units sold in 2025"], "how much stock do we hold of the third product?",
     "WITH t AS (SELECT p.product_id, p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1, 2 "
     "ORDER BY SUM(oi.quantity) DESC, p.name LIMIT 1 OFFSET 2) "
     "SELECT t.name, SUM(i.quantity_on_hand) FROM inventory i JOIN t USING (product_id) GROUP BY t.name"),
    (["the 5 biggest orders this year"], "which customer placed the 4th one?",
     "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_date BETWEEN "
     "DATE '2026-01-01' AND DATE '2026-10-31' ORDER BY o.total_amount DESC, o.order_id LIMIT 1 OFFSET 3"),
    (["top 5 customers by revenue this year"], "and how many orders did the first customer place?",
     "WITH t AS (SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1, c.name "
     "ORDER BY SUM(o.total_amount) DESC, c.name LIMIT 1) SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN t "
     "USING (customer_id) WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
])
def test_follow_up_names_one_place_of_the_previous_ranking(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question", [
    # a place beyond the ranking's top N names nothing it showed
    ("top 3 products by units sold in 2025", "how much stock of the fifth one?"),
    # the place in another period would rank again: refused, never the place of another ranking
    ("top 5 customers by revenue this year", "how much did the second customer spend in 2024?"),
    # nothing ranked: no place to name
    ("revenue by category in 2025", "what about the second one?"),
])
def test_place_the_previous_ranking_cannot_name_is_refused(parser, question, context):
    form = parser.parse(context, COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


def test_place_of_the_ranking_is_said_in_the_interpretation(parser):
    form = parser.parse("top 3 products by units sold in 2025", COPILOT_AS_OF).form
    said = parser.parse("how much stock do we have of the second one?", COPILOT_AS_OF, form).interpretation
    assert "place 2" in said


def test_units_of_each_listed_with_its_stock_is_that_list(parser, engine):
    # the list already shows each one's stock: "how many units of each" asks that figure (the units held)
    assert_answers_like(parser, engine, "and how many units of each?",
                        "SELECT p.name, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
                        "WHERE NOT p.active GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0",
                        ["which discontinued products are still in stock"])


def test_first_one_after_a_top_one_is_not_read_as_its_row(parser):
    # a place names one of several: after one product ranked, "the first one" may be a row of an earlier answer
    form = parser.parse("which product do we hold the most units of?", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("which warehouse has the most of the first one?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # a condition within the rows of a ranked list, as they were answered (never a new top N of the ones meeting it)
    (["the 4 largest orders in 2025"], "which of those were web orders?",
     "WITH t AS (SELECT order_id, channel FROM orders WHERE year(order_date) = 2025 ORDER BY total_amount DESC, "
     "order_id LIMIT 4) SELECT order_id FROM t WHERE channel = 'web'"),
    # another kind of thing named beside the pointer: the things of that kind the rows belong to, each once
    (["the 6 biggest orders this year", "who placed them?"], "which of these customers are business customers?",
     "WITH t AS (SELECT order_id, customer_id FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND "
     "DATE '2026-10-31' ORDER BY total_amount DESC, order_id LIMIT 6) SELECT DISTINCT c.name FROM t JOIN customers c "
     "USING (customer_id) WHERE c.segment = 'business'"),
])
def test_condition_within_the_rows_of_a_ranked_list(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_condition_within_a_ranked_list_with_another_period_is_refused(parser):
    # near miss: a period of its own would say another population than the rows answered
    form = parser.parse("the 4 largest orders in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("which of them were delivered last month?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "the one before" a whole quarter is the quarter before (not its 92 days, from 31 March)
    (["web revenue in Q3 2026"], "same for the one before",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel = 'web' "
     "AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
    # "the period before": the previous answer's own unit
    (["how many orders in Q1 2026"], "and the period before?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-10-01' AND DATE '2025-12-31'"),
    (["units sold in April 2026"], "what about the period before",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'"),
])
def test_follow_up_one_unit_before_the_previous_period(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_days_before_a_span_of_days_stay_days(parser, engine):
    # near miss: a period of days that is no calendar unit goes back by as many days
    assert_answers_like(parser, engine, "and the one before?",
                        "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-05-22' AND DATE '2026-06-09'",
                        ["how many orders from 2026-06-10 to 2026-06-28"])


@pytest.mark.parametrize("context, question, gold", [
    # a remark opening a follow-up (an interjection, an acknowledgement) answers the previous answer: set aside
    (["revenue per channel in 2025"], "hmm, and per country?",
     f"SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
    (["number of orders per channel this year"], "okay great. what about 2024?",
     "SELECT channel, COUNT(*) FROM orders WHERE year(order_date) = 2024 GROUP BY 1"),
    (["revenue from Norwegian customers in 2025"], "cool - only the business ones",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.country = 'NO' AND c.segment = 'business' AND year(o.order_date) = 2025"),
])
def test_remark_opening_a_follow_up_is_set_aside(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_remark_is_said_in_the_interpretation(parser):
    form = parser.parse("revenue per channel in 2025", COPILOT_AS_OF).form
    said = parser.parse("hm, and per country?", COPILOT_AS_OF, form).interpretation
    assert "'hm'" in said and "country" in said


def test_remark_word_inside_a_question_is_still_read(parser):
    # near miss: not opening the follow-up before a break, the word is read as any word ('great' is placed nowhere)
    form = parser.parse("revenue per channel in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("and which country is great?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # a quarter or month named with no year, after an answer over one calendar year, is in that year
    (["units sold per brand in 2025"], "only the third quarter",
     "SELECT p.brand, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-07-01' AND DATE '2025-09-30' "
     "GROUP BY 1"),
    (["how many orders did we get in 2024?"], "and in May?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-31'"),
])
def test_yearless_unit_in_a_follow_up_is_in_the_previous_year(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_unit_with_its_year_said_keeps_it(parser, engine):
    # near miss: the year said is the year read, whatever the previous answer's
    assert_answers_like(parser, engine, "and Q2 2026?",
                        "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'",
                        ["how many orders did we get in 2024?"])


@pytest.mark.parametrize("context, question, gold", [
    # "that <unit>" of the previous answer's own period: that period, kept
    (["show the orders of Helmi Larsen from September 2026"], "what did she spend that month?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.name = 'Helmi Larsen' AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # "came out on top": the first of the ranking
    (["units sold per category in Q2 2026"], "which category came out on top?",
     "SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
    # the other groups ranked within the one group ranked first ("within that category")
    (["revenue per category in Q2 2026", "which category was on top?"], "top 2 brands within that category",
     "WITH t AS (SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING "
     f"(product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1) "
     "SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30' AND p.category IN "
     "(SELECT category FROM t) GROUP BY 1 ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) "
     "DESC LIMIT 2"),
])
def test_follow_up_points_at_the_previous_period_or_top_group(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_that_month_with_no_previous_period_is_refused(parser):
    # near miss: the previous answer had no period for "that month" to point at
    form = parser.parse("show the orders of Helmi Larsen", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("what did she spend that month?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # a follow-up naming the country that holds the previous city replaces the city
    (["how many orders came from Turku customers in 2025?"], "and what about Finland overall?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN customers c USING (customer_id) WHERE c.country = 'FI' "
     "AND year(o.order_date) = 2025"),
    (["revenue from Oslo customers in 2025"], "and Sweden?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.country = 'SE' AND year(o.order_date) = 2025"),
    # near miss: a city after its country narrows it (the country kept)
    (["revenue from Finnish customers in 2025"], "and just Tampere?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.city = 'Tampere' AND year(o.order_date) = 2025"),
])
def test_follow_up_naming_the_country_holding_the_city(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_month_said_with_a_relative_period_keeps_its_year(parser, engine):
    # near miss: "last month, October" names October's year with "last month": not moved to the previous year
    assert_answers_like(parser, engine, "and last month, October?",
                        "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'",
                        ["how many orders did we get in 2024?"])


@pytest.mark.parametrize("context, question", [
    # a sum, an average: one figure with no rows behind it to pick from
    (["show the orders Helmi Larsen placed in September 2026", "what did he spend in that month?"],
     "which of those orders were delivered already?"),
    (["average order value of web orders in 2025"], "which of them went to Sweden?"),
])
def test_picking_rows_out_of_one_figure_is_refused(parser, engine, context, question):
    with pytest.raises(NotUnderstood, match="one figure, not a list"):
        answer(parser, engine, question, context)


def test_picking_rows_out_of_a_count_still_lists_them(parser, engine):
    # the near miss: after a count the counted things are there to pick from
    assert_answers_like(
        parser, engine, "which of those orders were delivered already?",
        "SELECT DISTINCT o.order_id FROM orders o JOIN customers c USING (customer_id) "
        "WHERE c.name = 'Erik Olsen' AND o.status = 'delivered' AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'",
        context=["how many orders did Erik Olsen place in October 2026"])


@pytest.mark.parametrize("context, question, gold", [
    # "<people> who placed orders": the relative "who" opens a clause of the people, who are counted (not the orders)
    ([], "count of customers who placed orders in 2025",
     "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    (["revenue by channel in September 2026"], "and the count of customers who placed orders",
     "SELECT channel, COUNT(DISTINCT customer_id) FROM orders "
     "WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' GROUP BY channel"),
    # near miss: "which orders did ... place": the orders asked are listed
    ([], "which orders did customers from Oslo place in 2025",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_customers_who_placed_orders_are_counted(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context or None)


@pytest.mark.parametrize("context, question, gold", [
    # "<one of the groups> by <another field>": that group split, in the previous figure and period
    (["units sold per category in May 2026"], "break Garden down by brand",
     f"SELECT p.brand, SUM(oi.quantity) FROM {LINES} WHERE {VALID_ORDER} AND p.category = 'Garden' "
     "AND o.order_date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31' GROUP BY p.brand"),
    (["revenue per category in April 2026"], "Paint by product",
     f"SELECT p.name, {REVENUE} FROM {LINES} WHERE {VALID_ORDER} AND p.category = 'Paint' "
     "AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-04-30' GROUP BY p.product_id, p.name"),
    # near miss: the group alone narrows the previous grouping, which stays
    (["units sold per category in May 2026"], "only Garden",
     f"SELECT p.category, SUM(oi.quantity) FROM {LINES} WHERE {VALID_ORDER} AND p.category = 'Garden' "
     "AND o.order_date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31' GROUP BY p.category"),
])
def test_one_group_broken_down_by_another_field(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # "... sell <period> in total" after products listed with no period: that period's sales of them, one sum
    (["show the inactive products"], "how many units of those did we sell in 2025 in total?",
     f"SELECT SUM(oi.quantity) FROM {LINES} WHERE {VALID_ORDER} AND NOT p.active "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # near miss: without "in total" each listed product keeps its own figure
    (["show the inactive products"], "how many units of those did we sell in 2025?",
     f"SELECT p.product_id, p.name, COALESCE(SUM(oi.quantity) FILTER (WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'), 0) FROM products p "
     "LEFT JOIN order_items oi USING (product_id) LEFT JOIN orders o USING (order_id) WHERE NOT p.active "
     "GROUP BY p.product_id, p.name"),
])
def test_total_sold_in_a_period_of_listed_products(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


LATE = "s.delivered_at > s.shipped_at + INTERVAL 3 DAY"
SEPT_SHIPPED = "CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"


@pytest.mark.parametrize("context, question, gold", [
    # "its <things>" in a share after the one group ranked first: the share of that group's own things
    (["which carrier handled the most shipments in September 2026?"], "what fraction of its shipments were late?",
     f"SELECT carrier, COUNT(*) FILTER (WHERE {LATE}) * 1.0 / COUNT(*) FROM shipments s WHERE {SEPT_SHIPPED} "
     f"AND carrier = (SELECT carrier FROM shipments s WHERE {SEPT_SHIPPED} GROUP BY carrier "
     "ORDER BY COUNT(*) DESC, carrier LIMIT 1) GROUP BY carrier"),
])
def test_share_of_its_things_after_the_top_group(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_the_top_one_of_each_listed_with_a_figure(parser, engine):
    # the previous rows (an id within the listed ones) are many, not one named: was a crash on the pointer
    assert_answers_like(
        parser, engine, "which one sold the most?",
        f"SELECT p.name, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
        f"USING (product_id) WHERE NOT p.active AND {VALID_ORDER} AND year(o.order_date) = 2025 "
        f"GROUP BY p.product_id, p.name ORDER BY u DESC LIMIT 1",
        context=["list the discontinued products", "how many units of each did we sell in 2025?"])


NOT_DELIVERED_SEPT = f"s.delivered_at IS NULL AND {SEPT_SHIPPED}"


@pytest.mark.parametrize("context, question, gold", [
    # "which <things> are they?" after a count (per group or not): the things counted, or the one each belongs to,
    # listed under the same conditions
    (["how many shipments per carrier were still undelivered in September 2026?"], "what orders are those?",
     f"SELECT DISTINCT s.order_id FROM shipments s WHERE {NOT_DELIVERED_SEPT}"),
    (["how many shipments sent in September 2026 are not delivered?"], "which orders are these?",
     f"SELECT DISTINCT s.order_id FROM shipments s WHERE {NOT_DELIVERED_SEPT}"),
    (["number of cancelled orders per channel in 2025"], "which orders are they?",
     "SELECT order_id FROM orders WHERE status = 'cancelled' AND order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31'"),
    # "who placed them?" after orders listed (not ranked): their customers, each once
    (["how many shipments sent in September 2026 are not delivered?", "which orders are these?"], "who placed them?",
     f"SELECT DISTINCT c.customer_id FROM customers c JOIN orders o USING (customer_id) JOIN shipments s "
     f"USING (order_id) WHERE {NOT_DELIVERED_SEPT}"),
    (["list the returned orders of 2025"], "who placed those?",
     "SELECT DISTINCT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE o.status = 'returned' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # near miss: after a ranked list the same ranked orders keep their rows, each with its customer beside
    (["the 3 biggest orders of 2025"], "who placed them?",
     "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' ORDER BY o.total_amount DESC LIMIT 3"),
])
def test_which_things_after_a_count_and_who_placed_them(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_which_other_things_after_a_count_stay_refused(parser):
    # near miss: the customers counted are not orders, nor is each of them one order
    form = parser.parse("how many customers ordered in September 2026?", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("which orders are they?", COPILOT_AS_OF, form)




@pytest.mark.parametrize("context, question, gold", [
    # the things counted per group, asked by name: every group's, listed (the grouping dropped); then who placed
    # them: the customers, each once
    (["how many parcels are not delivered yet, by carrier?", "which orders are they?"], "who placed them?",
     "SELECT DISTINCT o.customer_id FROM shipments s JOIN orders o USING (order_id) WHERE s.delivered_at IS NULL"),
    (["how many parcels have not been delivered yet, per carrier?"], "what orders were those?",
     "SELECT DISTINCT order_id FROM shipments WHERE delivered_at IS NULL"),
    (["number of shipments per carrier in September 2026"], "which shipments are they?",
     "SELECT shipment_id FROM shipments WHERE shipped_at >= TIMESTAMP '2026-09-01' "
     "AND shipped_at < TIMESTAMP '2026-10-01'"),
    (["how many pending orders are there per channel"], "list them",
     "SELECT order_id FROM orders WHERE status = 'pending'"),
    # after one count too: "which orders are they?" lists them (was: the orders counted, a silent wrong)
    (["how many shipments are still in transit?"], "and which orders are these?",
     "SELECT DISTINCT order_id FROM shipments WHERE delivered_at IS NULL"),
    # "who placed them?" after orders listed with no ranking: their customers, each once (as "who are the
    # customers?"); after a ranked list each ranked order keeps its customer beside it
    (["list the pending orders"], "who placed them?",
     "SELECT DISTINCT customer_id FROM orders WHERE status = 'pending'"),
    (["which web orders are still pending?"], "which customers placed them?",
     "SELECT DISTINCT customer_id FROM orders WHERE status = 'pending' AND channel = 'web'"),
    (["the 4 biggest orders in 2025"], "who placed them?",
     "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) WHERE year(o.order_date) = 2025 "
     "ORDER BY o.total_amount DESC LIMIT 4"),
    # (the customers of counted orders keep their reading: each customer once)
    (["how many orders were placed by customers in Oslo in October 2026"], "which customers are they?",
     "SELECT DISTINCT c.customer_id FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
])
def test_counted_things_of_the_groups_listed(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question", [
    # a kind the counted things are not one of, one to one: which of its rows is not guessed
    (["how many parcels have not been delivered yet, per carrier?"], "which products are they?"),
    # the customers of a ranked category are no column of theirs: which of them (bought? when?) is not guessed
    (["which category had the highest revenue in 2025?"], "which customers bought from that category?"),
])
def test_counted_or_listed_things_not_guessed(parser, context, question):
    form = None
    for q in context:
        form = parser.parse(q, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # the things of the group ranked: every one of them (the ranking as answered, not its figure's conditions)
    (["which category had the highest revenue in 2025?"], "list its products",
     "SELECT product_id FROM products WHERE category = (SELECT p.category FROM order_items oi JOIN orders o "
     "USING (order_id) JOIN products p USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') AND "
     "year(o.order_date) = 2025 GROUP BY p.category ORDER BY SUM(oi.quantity * oi.unit_price * "
     "(1 - oi.discount_percent / 100)) DESC LIMIT 1)"),
    (["units sold by brand in September 2026", "which brand sold the least?"], "what products are in that brand?",
     "SELECT product_id FROM products WHERE brand = (SELECT p.brand FROM products p LEFT JOIN order_items oi "
     "USING (product_id) LEFT JOIN orders o ON o.order_id = oi.order_id AND o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' GROUP BY p.brand "
     "ORDER BY COALESCE(SUM(CASE WHEN o.order_id IS NOT NULL THEN oi.quantity END), 0), p.brand LIMIT 1)"),
    (["top 2 countries by number of customers"], "which customers do they have?",
     "SELECT customer_id FROM customers WHERE country IN (SELECT country FROM customers GROUP BY country "
     "ORDER BY COUNT(*) DESC, country LIMIT 2)"),
    # (a value named is a new condition, as asked alone)
    (["which category had the highest revenue in 2025?"], "what products does Makita have?",
     "SELECT product_id FROM products WHERE brand = 'Makita'"),
])
def test_things_of_the_ranked_group_listed(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # "those N days" is the previous period said again when it spans exactly that many days
    (["how many orders were placed in the last 14 days"], "what did they bring in during those 2 weeks?",
     "SELECT SUM(total_amount) FROM orders WHERE status NOT IN ('cancelled', 'returned') "
     "AND order_date BETWEEN DATE '2026-10-18' AND DATE '2026-10-31'"),
    (["how many customers are in Oslo?", "how many of them placed an order in the last 30 days"],
     "what did they spend in total over those 30 days?",
     "SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31'"),
    (["revenue in the last 7 days"], "and how many orders in these 7 days?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-25' AND DATE '2026-10-31'"),
])
def test_the_same_days_said_again(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_other_days_than_the_previous_period_are_not_guessed(parser):
    # October has 31 days: "those 30 days" is not the period before, and which 30 is not guessed
    form = parser.parse("revenue in October 2026", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("and how many orders in those 30 days?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "the one that ..." after rows listed: one of those rows (as "which one ..."), never a new ranking of all
    (["list the discontinued products"], "what category is the one that costs the most?",
     "SELECT category FROM products WHERE NOT active ORDER BY unit_price DESC LIMIT 1"),
    (["which products are out of stock?", "how many units of each did we sell in 2025?"],
     "what brand is the one which sold the most?",
     "SELECT p.brand FROM products p JOIN order_items oi USING (product_id) JOIN orders o USING (order_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND year(o.order_date) = 2025 AND p.product_id IN "
     "(SELECT product_id FROM inventory GROUP BY product_id HAVING SUM(quantity_on_hand) = 0) "
     "GROUP BY p.product_id, p.brand ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
])
def test_the_one_that_picks_a_listed_row(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_the_one_that_after_one_row_keeps_its_reading(parser, engine):
    # after a one-row answer "the one that ..." is no pick among rows: read as before (a new question)
    assert_answers_like(parser, engine, "which brand is the one that sold the most units in 2025?",
                        "SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
                        "USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') AND year(o.order_date) = 2025 "
                        "GROUP BY p.brand ORDER BY SUM(oi.quantity) DESC LIMIT 1",
                        ["what's our most expensive product?"])


@pytest.mark.parametrize("context, question, gold", [
    # a bare closing "since" after things dated by their own date (signup): their activity since then, all of it
    (["how many customers signed up in 2025"], "and how many of those have ordered since?",
     "SELECT COUNT(*) FROM customers c WHERE year(c.signup_date) = 2025 "
     "AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"),
    (["list the customers who joined in March 2026"], "which of them placed an order since?",
     "SELECT customer_id FROM customers c WHERE c.signup_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31' "
     "AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"),
])
def test_since_their_own_date(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question", [
    # "since" after a period of the orders themselves: since when (its start? its end?) is not guessed
    (["how many orders were placed in January 2026"], "how many were cancelled since?"),
    (["how many customers placed an order in 2025"], "how many of them have placed an order since?"),
])
def test_since_another_date_is_not_guessed(parser, context, question):
    form = parser.parse(context[0], COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "how much of it do we have" after a question about one named product: that product's stock
    (["units sold of Ensto LED Bulb in 2025"], "and how much of it do we have?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Ensto LED Bulb'"),
    (["Ensto LED Bulb: which warehouse has the largest shortfall below its reorder level?"],
     "how much of it do we have in each warehouse?",
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto LED Bulb'"),
    (["units sold of Ensto LED Bulb in 2025"], "how much of it do we have in Kuopio right now?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto LED Bulb' AND i.warehouse = 'Kuopio'"),
    # (a verb of selling keeps the figure of the sales)
    (["units sold of Ensto LED Bulb in 2025"], "how much of it did we sell in 2024?",
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto LED Bulb' AND o.status NOT IN ('cancelled', 'returned') AND year(o.order_date) = 2024"),
])
def test_held_of_the_named_product(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # the figure of the one ranked keeps the thing the previous question named (one product), not the group's whole
    (["Ensto LED Bulb: which warehouse has the largest shortfall below its reorder level?"], "and its stock there?",
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto LED Bulb' AND i.warehouse = 'Vantaa'"),
    # (a condition that is no value of the figure's own things is the ranking's alone, as before)
    (["which carrier shipped the most parcels in 2025?"], "what's its average delivery time?",
     "WITH t AS (SELECT carrier FROM shipments WHERE year(shipped_at) = 2025 GROUP BY carrier "
     "ORDER BY COUNT(*) DESC LIMIT 1) SELECT s.carrier, AVG(date_diff('second', s.shipped_at, s.delivered_at)) / 86400.0 "
     "FROM shipments s JOIN t USING (carrier) WHERE s.delivered_at IS NOT NULL AND year(s.shipped_at) = 2025 "
     "GROUP BY s.carrier"),
])
def test_figure_of_the_one_ranked_keeps_the_thing_named(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)
