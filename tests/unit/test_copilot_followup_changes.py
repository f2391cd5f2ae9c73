"""Follow-ups that change one thing of the previous question: a correction ("no, I meant ..."), a threshold said in
percent, "all <groups>" after a top N, and the near misses that must still refuse or read otherwise."""

from __future__ import annotations

import pytest

from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, assert_answers_like

pytestmark = pytest.mark.functional

REVENUE_2025_BY_CUSTOMER = (
    "SELECT c.name, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) WHERE "
    f"{VALID_ORDER} AND year(o.order_date) = 2025 {{cond}} GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 5")


@pytest.mark.parametrize("context, question, gold", [
    # a correction opening the follow-up is set aside; the rest changes the previous question ("no" is no negation
    # of the value after it: was 'segment not consumer', a silent wrong)
    (["top 5 customers by revenue in 2025", "only business customers"], "no, the consumer ones",
     REVENUE_2025_BY_CUSTOMER.format(cond="AND c.segment = 'consumer'")),
    (["top 5 customers by revenue in 2025", "only business customers"], "sorry, I meant consumers",
     REVENUE_2025_BY_CUSTOMER.format(cond="AND c.segment = 'consumer'")),
    (["revenue per channel in 2025"], "no I meant units",
     "SELECT o.channel, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY 1"),
    (["number of orders per channel in 2025"], "I meant 2024",
     "SELECT channel, COUNT(*) FROM orders WHERE year(order_date) = 2024 GROUP BY 1"),
    # near miss: "no" with no break and no correction after it is still a negation
    (["revenue per channel in 2025"], "and no web orders",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel <> 'web' "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
])
def test_correction_opening_a_follow_up(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


MARGIN = "(unit_price - unit_cost) / unit_price"


@pytest.mark.parametrize("context, question, gold", [
    # a number said in percent moves the one threshold kept on a percent scale: a 0-1 margin takes it / 100
    (["products with a margin below 30%"], "and above 45 percent?",
     f"SELECT name FROM products WHERE {MARGIN} > 0.45"),
    (["products with a margin below 30%"], "make it under 20%",
     f"SELECT name FROM products WHERE {MARGIN} < 0.20"),
    (["products with a margin below 30%"], "what about 35%?",
     f"SELECT name FROM products WHERE {MARGIN} < 0.35"),
    # a column kept in percent takes the number as said
    (["how many order lines had a discount over 10%?"], "and over 15 percent?",
     "SELECT COUNT(*) FROM order_items WHERE discount_percent > 15"),
])
def test_threshold_in_percent_moved(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_percent_said_of_an_amount_threshold_is_refused(parser):
    # near miss: a percent is no amount; the order total's threshold is not moved to 50
    form = parser.parse("how many orders over 1000 euros in 2025?", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("and over 50%?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "all <groups>" said within a follow-up after a top N with no condition to drop: every group
    (["top 3 brands by units sold in 2025"], "and how much stock does each brand hold? all brands please",
     "SELECT p.brand, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) GROUP BY 1"),
    # near miss: after a condition, "all <things>" drops the condition and keeps the top N
    (["top 3 products by revenue in the Garden category in 2025"], "forget the category, all products",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     "AND year(o.order_date) = 2025 GROUP BY p.product_id, p.name ORDER BY r DESC LIMIT 3"),
])
def test_all_groups_after_a_top_n(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # "compare <figure> in A and B": the values joined by "and" side by side, one row each (as "A vs B")
    (["compare revenue from web and b2b orders in 2025"], None,
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel IN ('web', 'b2b') "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
    # follow-ups keep the comparison: another period, another figure, a value added
    (["compare revenue from web and b2b orders in 2025"], "and for 2024",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel IN ('web', 'b2b') "
     "AND year(o.order_date) = 2024 GROUP BY 1"),
    (["compare revenue from web and b2b orders in 2025"], "number of orders instead",
     "SELECT channel, COUNT(*) FROM orders WHERE channel IN ('web', 'b2b') AND year(order_date) = 2025 GROUP BY 1"),
    (["compare revenue from web and b2b orders in 2025"], "add store too",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.channel IN ('web', 'b2b', 'store') AND year(o.order_date) = 2025 GROUP BY 1"),
])
def test_compare_values_joined_by_and(parser, engine, context, question, gold):
    if question is None:
        assert_answers_like(parser, engine, context[0], gold)
    else:
        assert_answers_like(parser, engine, question, gold, context)


def test_compare_with_one_value_is_refused(parser):
    # near miss: one value has nothing to be compared with ("compare" is left unplaced)
    with pytest.raises(NotUnderstood):
        parser.parse("compare revenue from web orders in 2025", COPILOT_AS_OF)


@pytest.mark.parametrize("context, question, gold", [
    # a status named replaces a kept condition on the same column (open: pending or paid)
    (["how many open orders are there?"], "and how many are cancelled?",
     "SELECT COUNT(*) FROM orders WHERE status = 'cancelled'"),
    # near miss: a value on another column narrows, the condition kept
    (["how many open orders are there?"], "and in the web channel?",
     "SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'paid') AND channel = 'web'"),
    # "how many <condition>?" with no thing named after things counted: those things, the condition added
    (["number of shipments per carrier in 2025"], "how many late?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND year(shipped_at) = 2025 GROUP BY 1"),
    # "as percentage of ..." with no article: the previous figure put as a share, its period and groups kept
    (["how many orders were cancelled in 2025?", "by channel"], "as percentage of each channel's orders",
     "SELECT channel, 100.0 * COUNT(*) FILTER (WHERE status = 'cancelled') / COUNT(*) FROM orders "
     "WHERE year(order_date) = 2025 GROUP BY 1"),
])
def test_status_swaps_and_elliptic_counts(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_how_many_condition_without_context_is_a_new_count(parser, engine):
    # near miss: with no previous answer, "how many late?" counts every late shipment
    assert_answers_like(parser, engine, "how many late shipments?",
                        "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY")


@pytest.mark.parametrize("context, question, gold", [
    # "that year" after an answer over one year is its period, kept; no grouping by year
    (["top 3 customers by revenue in 2025"], "how many orders did each of them place that year",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE year(o.order_date) = 2025 "
     "AND o.customer_id IN (SELECT o2.customer_id FROM orders o2 WHERE o2.status NOT IN ('cancelled', 'returned') "
     "AND year(o2.order_date) = 2025 GROUP BY 1 ORDER BY SUM(o2.total_amount) DESC LIMIT 3) GROUP BY c.customer_id, c.name"),
    # "the total <figure> of those" after rows listed: one figure over them, not each row's own beside it
    (["how many shipments shipped in 2025 were delivered late?", "list the order ids"],
     "what's the total value of those orders",
     "SELECT SUM(o.total_amount) FROM orders o JOIN shipments s USING (order_id) WHERE year(s.shipped_at) = 2025 "
     "AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY"),
    # a top N of the things named, under the previous question's conditions (was: the one sum, 'LIMIT 3')
    (["how many orders has customer 7 placed?"], "what are the 3 products he bought most units of",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND o.customer_id = 7 GROUP BY p.product_id, p.name "
     "ORDER BY u DESC LIMIT 3"),
])
def test_previous_period_totals_and_rankings_of_things_named(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_each_rows_own_figure_is_not_a_total(parser):
    # near miss: "each" asks the figure of every listed row (already beside it), never one total over them
    form = parser.parse("orders of customer 7 in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("what's the total amount of each", COPILOT_AS_OF, form)


@pytest.mark.parametrize("context, question, gold", [
    # "the <unit>" the previous period is one of ("within the quarter" after Q3, "for the week" after 7 days): kept
    (["total revenue in Q2 2025"], "per month within the quarter",
     f"SELECT month(o.order_date), SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-04-01' AND DATE '2025-06-30' GROUP BY 1"),
    (["orders per day from 2026-10-10 to 2026-10-16"], "total for the week",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-10' AND DATE '2026-10-16'"),
    # "over the same period": the previous period, its preposition placed with it
    (["which carrier shipped the most parcels in September 2026?"],
     "which one had the most late deliveries over the same period",
     "SELECT carrier, COUNT(*) AS n FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2026-09-01' AND shipped_at < TIMESTAMP '2026-10-01' "
     "GROUP BY 1 ORDER BY n DESC LIMIT 1"),
    # a closing remark after the number ("is enough", "will do") only says the number suffices
    (["top 10 customers by revenue in 2025"], "top 3 is enough",
     REVENUE_2025_BY_CUSTOMER.format(cond="").replace("LIMIT 5", "LIMIT 3")),
])
def test_previous_period_named_by_its_unit_and_closing_remarks(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_unit_the_previous_period_is_not_is_refused(parser):
    # near miss: "the quarter" after a whole year names no quarter of it (left unplaced, refused)
    form = parser.parse("total revenue in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("per month within the quarter", COPILOT_AS_OF, form)


def test_closing_remark_word_without_a_number_is_still_read(parser):
    # near miss: not closing a number, "is enough" is read as any words are ('enough' placed nowhere)
    form = parser.parse("top 10 customers by revenue in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("the business ones is enough", COPILOT_AS_OF, form)


TOP5_2025 = (f"SELECT c.name, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
             "AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name ORDER BY r DESC")


@pytest.mark.parametrize("context, question, gold", [
    # "number one" / "number 2": the row at that place of the ranking; "who was ...?" names that customer
    (["top 5 customers by revenue in 2025"], "who was number one", f"{TOP5_2025} LIMIT 1"),
    (["top 5 customers by revenue in 2025"], "and who was number 2?", f"{TOP5_2025} LIMIT 1 OFFSET 1"),
    (["top 5 customers by revenue in 2025"], "who was the top one", f"{TOP5_2025} LIMIT 1"),
])
def test_place_said_as_a_number(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_thing_number_is_an_id_not_a_place(parser):
    # near miss: "customer number 3" is the customer with id 3, not the third of the ranking
    form = parser.parse("top 5 customers by revenue in 2025", COPILOT_AS_OF).form
    result = parser.parse("what about customer number 3", COPILOT_AS_OF, form)
    assert any(x.field.endswith("customer_id") and x.values == [3] for x in result.form.filters)


def test_who_was_it_after_several_ranked_is_refused(parser):
    # near miss: "it" after a top 5 names none of the five
    form = parser.parse("top 5 customers by revenue in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("who was it", COPILOT_AS_OF, form)


def test_each_as_the_subject_of_the_follow_up_is_each_group(parser, engine):
    # "how many shipments did each carry?" after a figure per carrier: each of the groups just shown
    assert_answers_like(parser, engine, "how many shipments did each carry",
                        "SELECT carrier, COUNT(*) FROM shipments WHERE year(shipped_at) = 2025 GROUP BY 1",
                        ["average delivery time by carrier in 2025"])


def test_each_without_groups_before_is_refused(parser):
    # near miss: after orders listed there are no groups for "each" to be
    form = parser.parse("orders of customer 7 in 2025", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("how many items did each have", COPILOT_AS_OF, form)


def test_figure_added_beside_listed_rows_with_too(parser, engine):
    # "show their stock too" after products listed: the figure beside each row, "too" placed as said
    assert_answers_like(parser, engine, "show their stock too",
                        "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
                        "WHERE p.category = 'Garden' GROUP BY p.product_id, p.name",
                        ["products in the Garden category"])
