"""Silent wrongs of earlier rounds: a word that asked for something is placed or refused, never dropped.

What each part checks:
- Silent wrongs of the older dev sets: a word that asked for something is placed or refused, never dropped to
  answer anyway.
- Near-miss wordings answered confidently and wrongly before: each now answers the question asked, checked against
  hand-written SQL on the demo lake.
- Silent wrongs found by trying wordings, each now answered right or refused. The plural of a column named in
  several words ("order totals", "unit costs") is that column (the last word alone may be a stop word and the
  column was lost: "sum of order totals per status" counted the orders). An amount of each thing per group with
  no total or average said ("order value per channel") is refused, never the count of the things. "where ...
  based / located / live" with "the/those/that <customers>" after listed orders or parcels is where the
  customers of those rows are; "where are the products?" after them is refused (a product has no place of its
  own), and "where is <one product>" is the warehouses holding it (stock > 0). A count of things per one of
  those same things ("the number of customers" after a top 5 customers) is refused (1 on every row). A share of
  things with a related-row condition and a period is of all the things, the period on the related rows ("share
  of Finnish customers with a returned order this year": orders returned this year, of all Finnish customers;
  was the customers' signup year). "average <figure> per <thing> per/by month" keeps the month as a group of the
  outer query. A fraction figure asked "in percent" or as a "percentage" ("the highest margin in percent") is
  its 0-100 variant, never a share of its total. An opening "across <things> ..., how many" is "among" (which
  things are asked about), not a grouping by them. A text looked for in one field and kept in a follow-up is not
  looked for again in another ("who is the customer?" after a parcel found by part of its tracking code). Two
  texts or two named values of the products said with "and" of orders or customers ("orders with a lawn mower
  and a garden hose") are each on a line of the same order (the order holds both); with "or", or of the products
  themselves, either. A stock state said of the warehouse named before a transfer question ("X is out of stock
  in Vantaa. Which warehouse has the most of it so we can transfer?") is the receiving warehouse's, not a
  condition on the ones ranked. "when will it arrive?" is a forecast: refused. Own wordings: "repeat customers
  in 2025" are those with two or more orders in 2025 (was: all-time repeat customers who signed up in 2025);
  "share of repeat customers in 2025" is refused (which date the period is of is unclear); "fewer than / no more
  than N orders" counted is refused (those with none were left out; listed, they are in at 0); "last year to
  date" is last year up to the same day (was the whole year); "best month for revenue" ranks the months (was
  every month in date order), and "by month, highest first" sorts the months by the figure; "how many different
  products were sold" counts the products on orders not cancelled or returned (the glossary's sales).
"""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotFound, NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

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
    "orders in Oslo and their customer count",    # a count per order of its one customer is not placed
])
def test_an_unplaced_count_is_refused_not_dropped(parser, question):
    with pytest.raises(NotUnderstood, match="'count'"):
        parser.parse(question, COPILOT_AS_OF)


# two conditions of different kinds joined by "or" ask for the rows holding either one, which cannot be combined:
# refused (was: "or" read as "and", the rows holding both); values of one field joined by "or" are one condition
@pytest.mark.parametrize("question", [
    "which parcels are late or still not delivered?",
    "list Garden products that are low on stock or discontinued",
    "how many of customer 12's orders are open or late?",
    "list products out of stock in all warehouses or discontinued",  # the place said between the two
])
def test_conditions_joined_by_or_are_refused(parser, question):
    with pytest.raises(NotUnderstood, match="not with 'or'"):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("web orders that are paid or pending",
     "SELECT order_id FROM orders WHERE channel = 'web' AND status IN ('paid', 'pending')"),
])
def test_values_of_one_field_joined_by_or_stay(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, same_as", [
    # the count is already asked: the word restates it
    ("customers with more than 20 orders and their order count", "customers with more than 20 orders"),
    ("business vs consumer customer count", "number of customers, business vs consumer"),
    ("paid orders count", "number of paid orders"),  # the count of the things named right before it
])
def test_a_count_word_beside_a_count_asked_restates_it(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


STALE_ROWS = "SELECT COUNT(*) FROM inventory WHERE updated_at < TIMESTAMP '{day} 00:00:00'"


@pytest.mark.parametrize("question, day", [
    # the rows of the inventory table (product x warehouse), by their one update date
    ("how many stock records were updated before 20 October 2026", "2026-10-20"),
    ("How many warehouse stock records were last updated before 20 October 2026?", "2026-10-20"),
    # not updated since a day: that one date is before it
    ("how many inventory records haven't been updated since October 15th?", "2026-10-15"),
    ("how many inventory rows haven't been updated since 20 Oct (last update before 2026-10-20)", "2026-10-20"),
])
def test_stock_records_counted_by_their_update_date(parser, engine, question, day):
    assert results_match(engine.execute(STALE_ROWS.format(day=day)).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    ("Which Jonkoping stock records were last updated before 15 October 2026?",
     "SELECT p.name, i.updated_at FROM inventory i JOIN products p ON p.product_id = i.product_id "
     "WHERE i.warehouse = 'Jonkoping' AND i.updated_at < TIMESTAMP '2026-10-15 00:00:00'"),
    # the words after the question name the columns to show
    ("Which inventory records haven't been updated since 13 October 2026? product and warehouse",
     "SELECT p.name, i.warehouse FROM inventory i JOIN products p ON p.product_id = i.product_id "
     "WHERE i.updated_at < TIMESTAMP '2026-10-13 00:00:00'"),
    ("Which customers signed up since 13 October 2025? name and city",
     "SELECT name, city FROM customers WHERE signup_date >= DATE '2025-10-13'"),
    # "last updated" with no date after it is still the latest update
    ("When was the Kuopio inventory last updated?", "SELECT MAX(updated_at) FROM inventory WHERE warehouse = 'Kuopio'"),
])
def test_stock_records_and_shown_columns_listed(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, same_as", [
    # an activity with many events keeps its test of those events ("not since" is not "before")
    ("customers who haven't ordered since 1 October", "customers who have not ordered since 1 October"),
])
def test_last_update_and_not_since_keep_their_meaning(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


@pytest.mark.parametrize("question, same_as", [
    # "still sitting/held in X": there is stock of it in X (not every product with a stock row there)
    ("is there any inactive product still sitting in Drammen?", "inactive products that still have stock in Drammen"),
    ("which products are still held in Vantaa", "products that have stock in Vantaa"),
])
def test_still_sitting_is_in_stock(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


@pytest.mark.parametrize("token, meant", [
    # a real four-letter word is never read as a different known word
    ("slot", None), ("next", None), ("says", None),
    ("stok", "stock"),   # not a word: still mended
])
def test_a_short_english_word_is_not_mended_to_another_word(parser, token, meant):
    assert parser.lexicon.mend(token)[0] == meant


def test_a_refusal_names_the_word_as_written(parser):
    with pytest.raises(NotUnderstood, match="'slot', 'next'"):
        parser.parse("we have a promo slot next week, which active Garden product sold the most units", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    # a stock condition "in at least one warehouse": held in some one warehouse (per product and warehouse)
    ("how many products have zero qty in at least one warehouse",
     "SELECT COUNT(DISTINCT product_id) FROM inventory WHERE quantity_on_hand = 0"),
    ("Per category, how many different products are under the reorder level in at least one warehouse?",
     "SELECT p.category, COUNT(DISTINCT i.product_id) FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level GROUP BY 1"),
])
def test_a_stock_condition_in_at_least_one_warehouse(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, same_as", [
    # an average per customer is over customers who have ordered already: the restatement names no new filter
    ("avg number of orders per customer, counting only customers who have ordered", "avg number of orders per customer"),
])
def test_an_average_per_entity_restating_who_is_averaged(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


@pytest.mark.parametrize("question, gold", [
    # "ship" is the verb of shipments, like "shipped": a count of parcels by their shipping date
    ("How many parcels did we ship to Norway last month?",
     "SELECT count(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.country = 'NO' AND s.shipped_at >= '2026-10-01' AND s.shipped_at < '2026-11-01'"),
    ("how many parcels did PostNord ship last month",
     "SELECT count(*) FROM shipments WHERE carrier = 'PostNord' AND shipped_at >= '2026-10-01' "
     "AND shipped_at < '2026-11-01'"),
])
def test_ship_is_the_verb_of_shipments(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_send_stays_unplaced(parser):
    # "send him an offer" is no shipment: the word is not a shipping verb
    with pytest.raises(NotUnderstood, match="'send'"):
        parser.parse("what category has Erik Olsen spent the most on? want to send him an offer", COPILOT_AS_OF)


@pytest.mark.parametrize("question, word", [
    # a figure asked after the list is refused, naming it, never dropped to list the rows anyway
    ("paid orders — total", "total"),
    ("paid orders, sum", "sum"),
])
def test_a_tail_figure_word_is_refused_not_dropped(parser, question, word):
    with pytest.raises(NotUnderstood, match=f"'{word}' at the end"):
        parser.parse(question, COPILOT_AS_OF)


def test_a_tail_column_is_shown_not_refused(parser, engine):
    # "total amount" names the orders' amount column: the list shows it
    assert len(answer(parser, engine, "paid orders, total amount")) == len(answer(parser, engine, "paid orders"))


@pytest.mark.parametrize("question, gold", [
    # the ranked things stay ranked; the column asked "beside" is shown next to each, not grouped by
    ("top 5 customers by revenue this year, show their city",
     "SELECT c.name, c.city, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY c.customer_id, c.name, c.city ORDER BY r DESC LIMIT 5"),
    ("top 3 products by units sold, show their category",
     "SELECT p.name, p.category, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID_ORDER} GROUP BY p.product_id, p.name, p.category "
     "ORDER BY u DESC LIMIT 3"),
])
def test_a_column_beside_a_ranking(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # "waiting to be delivered" is the shipment's state, not the order status 'delivered'
    ("How many shipments are still waiting to be delivered?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL"),
    # "have been shipped": a shipment exists, whatever the status has moved on to since
    ("Of the orders placed in September 2026, how many have been shipped?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # "how many countries": one number, the different values counted (not a count per value)
    ("In how many different countries do we have customers that ordered this year?",
     "SELECT COUNT(DISTINCT c.country) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    ("how many categories", "SELECT COUNT(DISTINCT category) FROM products"),
    # "how many <a product> do we have (in a warehouse)": its pieces in stock, not its orders
    ("How many Bosch Garden Hoses do we have sitting in Vantaa?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Bosch Garden Hose' AND i.warehouse = 'Vantaa'"),
    ("how many Bosch Garden Hoses do we have",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Bosch Garden Hose'"),
    # "never online": no order of theirs through that channel (not: some order through another one)
    ("how many customers have only ever ordered in the store, never online or b2b?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING bool_and(channel = 'store'))"),
    ("how many customers never ordered online",
     "SELECT COUNT(*) FROM customers c WHERE NOT EXISTS "
     "(SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.channel = 'web')"),
    # "which order had the most units": ranked per order, not the period's total
    ("Which order from October 2026 had the most units in it?",
     "SELECT o.order_id, SUM(oi.quantity) FROM orders o JOIN order_items oi USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     f"AND {VALID_ORDER} GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    # "whose most recent order was cancelled": the status of that one order, not of any order
    ("how many customers whose most recent order was cancelled",
     "SELECT COUNT(*) FROM (SELECT customer_id, arg_max(status, (order_date, order_id)) AS s FROM orders "
     "GROUP BY 1) WHERE s = 'cancelled'"),
    # "orders ... not delivered", no parcel named: the order's status (a never-shipped order is not delivered)
    ("How many orders from last month are not delivered?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     "AND status <> 'delivered'"),
])
def test_a_near_miss_wording_answers_what_was_asked(parser, engine, question, gold):
    assert answer(parser, engine, question) == engine.execute(gold).rows, question


@pytest.mark.parametrize("question, same_as", [
    # "who bought ...": the buyers, not the products bought
    ("Who bought Makita products in October 2026?", "customers who bought Makita products in October 2026"),
    # "neither X nor Y": both values left out
    ("How many orders this year were neither cancelled nor returned?",
     "How many orders this year were not cancelled or returned?"),
    # "— name and total stock": the products asked for by name, each with its stock (not one sum)
    ("Kitchen products at or below reorder level — name and total stock",
     "which Kitchen products are at or below reorder level"),
])
def test_a_near_miss_wording_answers_like_the_plain_one(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


def test_skus_asked_for_are_shown(parser, engine):
    from datetime import date

    sql = parser.parse("Which SKUs are completely out of stock right now?", date(2026, 11, 1)).sql
    assert "sku" in sql.lower()
    gold = engine.execute("SELECT p.sku FROM products p JOIN inventory i USING (product_id) GROUP BY p.sku "
                          "HAVING SUM(i.quantity_on_hand) = 0 ORDER BY 1").rows
    rows = answer(parser, engine, "Which SKUs are completely out of stock right now?")
    assert results_match(gold, rows)


THIS_YEAR = "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"


@pytest.mark.parametrize("context, question, gold", [
    # the plural of a column of several words is that column
    ([], "sum of the order totals for each channel",
     "SELECT channel, SUM(total_amount) FROM orders GROUP BY 1"),
    ([], "sum of the order totals of the cancelled orders in 2025",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'cancelled' "
     "AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # where the customers of the previous rows are
    (["paid orders"], "where are those customers located?",
     "SELECT o.order_id, c.name, c.city, c.country FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status = 'paid'"),
    (["shipped orders"], "where do the customers live?",
     "SELECT DISTINCT c.customer_id, c.name, c.email, c.segment, c.city, c.country FROM customers c "
     "JOIN orders o USING (customer_id) WHERE o.status = 'shipped'"),
    # where one product is: the warehouses holding it
    ([], "where can I find the Ensto Rake?",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto Rake' GROUP BY 1 HAVING SUM(i.quantity_on_hand) > 0"),
    # a share of all the things, the period on the related rows
    ([], "what percentage of Swedish customers had a cancelled order in 2025?",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE c.customer_id IN (SELECT customer_id FROM orders WHERE "
     "status = 'cancelled' AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31')) / COUNT(*) "
     "FROM customers c WHERE c.country = 'SE'"),
    # the month stays a group
    ([], "average revenue per customer by month in 2026",
     "SELECT m, AVG(rev) FROM (SELECT date_trunc('month', o.order_date) AS m, o.customer_id, "
     f"SUM(o.total_amount) AS rev FROM orders o WHERE {VALID_ORDER} AND o.order_date {THIS_YEAR} "
     "GROUP BY 1, 2) GROUP BY 1"),
    ([], "average revenue per customer per quarter, b2b vs web, in 2025",
     "SELECT q, channel, AVG(rev) FROM (SELECT date_trunc('quarter', o.order_date) AS q, o.channel, o.customer_id, "
     f"SUM(o.total_amount) AS rev FROM orders o WHERE {VALID_ORDER} AND o.channel IN ('b2b', 'web') AND "
     "o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1, 2, 3) GROUP BY 1, 2"),
    # a fraction asked in percent: its 0-100 figure
    ([], "which category has the lowest margin percentage?",
     "SELECT category, 100 * AVG((unit_price - unit_cost) / unit_price) AS m FROM products GROUP BY 1 "
     "ORDER BY m LIMIT 1"),
    ([], "top 3 brands with the highest margin, in percent",
     "SELECT brand, 100 * AVG((unit_price - unit_cost) / unit_price) AS m FROM products GROUP BY 1 "
     "ORDER BY m DESC LIMIT 3"),
    # an opening "across ...," says which things
    ([], "across customers who never ordered, how many are consumers?",
     "SELECT COUNT(*) FROM customers c WHERE c.segment = 'consumer' AND NOT EXISTS "
     "(SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"),
    # the text searched in its own field, not again in the customer's name
    (["which parcel has a tracking code containing '004745178'?"], "who is the customer?",
     "SELECT c.customer_id, c.name, c.email, c.segment, c.city, c.country FROM shipments s JOIN orders o "
     "USING (order_id) JOIN customers c USING (customer_id) WHERE s.tracking_number LIKE '%004745178%'"),
    (["which parcel has a tracking code containing '004745178'?"], "where does that customer live?",
     "SELECT c.customer_id, c.name, c.email, c.segment, c.city, c.country FROM shipments s JOIN orders o "
     "USING (order_id) JOIN customers c USING (customer_id) WHERE s.tracking_number LIKE '%004745178%'"),
    # both kinds in one order; either with "or"
    ([], "in how many orders were there pruning shears and a lawn mower?",
     "SELECT COUNT(*) FROM (SELECT oi.order_id FROM order_items oi JOIN products p USING (product_id) "
     "GROUP BY 1 HAVING BOOL_OR(p.name ILIKE '%pruning shears%') AND BOOL_OR(p.name ILIKE '%lawn mower%'))"),
    ([], "how many orders had pruning shears or a lawn mower in them?",
     "SELECT COUNT(DISTINCT oi.order_id) FROM order_items oi JOIN products p USING (product_id) "
     "WHERE p.name ILIKE '%pruning shears%' OR p.name ILIKE '%lawn mower%'"),
    ([], "how many orders had the Bosch Garden Hose and the Ensto Rake on them?",
     "SELECT COUNT(*) FROM (SELECT oi.order_id FROM order_items oi JOIN products p USING (product_id) "
     "WHERE p.name IN ('Bosch Garden Hose', 'Ensto Rake') GROUP BY 1 HAVING COUNT(DISTINCT p.name) = 2)"),
    # the receiving warehouse's state, said before the transfer question
    ([], "The Ensto Rake is out of stock in Kuopio. Which warehouse has the most of it so we can transfer?",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) AS s FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto Rake' AND i.warehouse <> 'Kuopio' GROUP BY 1 ORDER BY s DESC LIMIT 1"),
    # own wordings: "repeat" within a period counts that period's orders
    ([], "how many repeat customers did we have in 2025?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY 1 HAVING COUNT(*) >= 2)"),
    # "last year to date": last year up to the same day
    ([], "units sold last year to date",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-10-31'"),
    # a superlative of a period: the periods ranked by the figure
    ([], "which was our best quarter for units sold?",
     f"SELECT date_trunc('quarter', o.order_date) AS q, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o "
     f"USING (order_id) WHERE {VALID_ORDER} GROUP BY 1 ORDER BY u DESC LIMIT 1"),
    # products sold: lines of orders not cancelled or returned
    ([], "how many distinct products did we sell in September 2026?",
     f"SELECT COUNT(DISTINCT oi.product_id) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
])
def test_silent_wrongs_answered(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question", [
    # an amount per group with no total or average said
    ([], "order amount by channel"),
    ([], "unit cost per brand"),
    # a product has no place of its own but its stock per warehouse
    (["paid orders"], "where are the products?"),
    ([], "where are the Makita products?"),
    # a count of things per one of those same things
    (["the 3 best selling products this year"], "and the number of products?"),
    (["top 5 customers by revenue in 2025"], "what about the number of customers?"),
    # a count under an upper bound on a count of related things would leave out those with none
    ([], "how many customers have placed fewer than 3 orders?"),
    # a share of a condition counting its own orders, within a period
    ([], "share of repeat customers in 2026"),
    # a date still to come
    (["which order has tracking number containing '004745178'?"], "when will it arrive?"),
])
def test_silent_wrongs_refused(parser, context, question):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


def test_a_list_under_an_upper_bound_on_orders_holds_the_customers_with_none(parser, engine):
    gold = ("SELECT c.name FROM customers c WHERE (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.customer_id "
            "AND year(o.order_date) = 2025) <= 2")
    assert_answers_like(parser, engine, "customers with no more than 2 orders in 2025", gold)


# ----- silent wrongs about warehouses and stock conditions (round silentfix3)
# Rules: "which warehouses have <product>" are those holding some of it (stock > 0), not every warehouse with a
# stock record of it. A stock condition "in any / some warehouse" holds in some one warehouse, as "in at least one
# warehouse" (not on the warehouses summed, nor split by warehouse); "in every warehouse" holds in each warehouse on
# its own (the summed stock tests "out of stock" too: 0 in total is 0 in each); a bound on stock "in every warehouse" holds on
# each stock record (a bound on another figure is refused). A
# state said of the warehouse named beside a transfer ranking of products ("products out of stock in Vantaa, so we
# can transfer") is that warehouse's, the others are ranked. A bound on "on hand" of products bounds their stock
# (summed over the warehouses, or the one named), not one stock row. A bound right after a verb of selling ("sold
# fewer than 5 units") or a bare number said of selling ("under 20 sold") is of units sold, never stock or price.
# An upper bound on sales beside a condition on one warehouse's stock rows is refused (the unsold were left out).
# "where do we have / keep <product>" is where it is held, as "where is <product>". A condition held in one
# warehouse "but not in" another is refused (a different condition on each warehouse), and so is "in only / just
# one warehouse" (a count of the warehouses holding each thing).
def _units_sold(period: str) -> str:
    return (f"COALESCE((SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE "
            f"oi.product_id = p.product_id AND {VALID_ORDER} AND {period}), 0)")


@pytest.mark.parametrize("question, gold", [
    ("which warehouses have the Nordline Cordless Drill 2?",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Nordline Cordless Drill 2' AND i.quantity_on_hand > 0"),
    ("list the products that are out of stock in any warehouse",
     "SELECT DISTINCT p.name FROM products p JOIN inventory i USING (product_id) WHERE i.quantity_on_hand = 0"),
    ("which products are out of stock in some warehouse?",
     "SELECT DISTINCT p.name FROM products p JOIN inventory i USING (product_id) WHERE i.quantity_on_hand = 0"),
    ("how many products sit below their reorder level in any warehouse?",
     "SELECT COUNT(DISTINCT product_id) FROM inventory WHERE quantity_on_hand < reorder_level"),
    ("which warehouse has the most stock of products below their reorder level in Kuopio, to transfer from?",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) AS s FROM inventory i WHERE i.warehouse <> 'Kuopio' AND "
     "i.product_id IN (SELECT product_id FROM inventory WHERE warehouse = 'Kuopio' AND quantity_on_hand < "
     "reorder_level) GROUP BY 1 ORDER BY s DESC LIMIT 1"),
    ("products with more than 650 on hand",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) GROUP BY 1 "
     "HAVING SUM(i.quantity_on_hand) > 650"),
    ("products with over 600 on hand, with their units sold in 2025",
     "SELECT p.name, (SELECT SUM(quantity_on_hand) FROM inventory i WHERE i.product_id = p.product_id), "
     f"{_units_sold('year(o.order_date) = 2025')} FROM products p "
     "WHERE (SELECT SUM(quantity_on_hand) FROM inventory i WHERE i.product_id = p.product_id) > 600"),
    ("products with over 400 on hand that sold fewer than 4 units in October 2026",
     "SELECT p.name FROM products p WHERE (SELECT SUM(quantity_on_hand) FROM inventory i WHERE i.product_id = "
     f"p.product_id) > 400 AND {_units_sold('month(o.order_date) = 10 AND year(o.order_date) = 2026')} < 4"),
    ("products with under 15 sold in August 2026",
     f"SELECT p.name FROM products p WHERE {_units_sold('month(o.order_date) = 8 AND year(o.order_date) = 2026')} < 15"),
    ("how many products have more than 250 on hand in Jonkoping?",
     "SELECT COUNT(*) FROM inventory WHERE warehouse = 'Jonkoping' AND quantity_on_hand > 250"),
    ("products out of stock in every warehouse",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY 1 HAVING MAX(i.quantity_on_hand) = 0"),
    # a stock state "in every warehouse" that the summed stock does not test: held in each warehouse on its own
    # (round tune-low; was refused)
    ("products below their reorder level in every warehouse",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY 1 "
     "HAVING BOOL_AND(i.quantity_on_hand < i.reorder_level)"),
    ("which products are in stock in all warehouses?",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY 1 HAVING MIN(i.quantity_on_hand) > 0"),
    ("how many products have more than 150 units in every warehouse?",
     "SELECT COUNT(*) FROM (SELECT product_id FROM inventory GROUP BY 1 HAVING MIN(quantity_on_hand) > 150)"),
    ("How many products have fewer than 50 units in every single warehouse?",
     "SELECT COUNT(*) FROM (SELECT product_id FROM inventory GROUP BY 1 HAVING MAX(quantity_on_hand) < 50)"),
    # a bound "in at least one / any warehouse": on some one warehouse's own figure (was: 'at least one' read as a
    # bound of its own, the products split by warehouse, no rows)
    ("which products have fewer than 12 units in at least one warehouse",
     "SELECT DISTINCT p.name FROM products p JOIN inventory i USING (product_id) WHERE i.quantity_on_hand < 12"),
    ("how many products hold over 170 units in any warehouse?",
     "SELECT COUNT(DISTINCT product_id) FROM inventory WHERE quantity_on_hand > 170"),
    # counted too: the warehouses holding some of it (was: every warehouse with a record of it)
    ("how many warehouses carry the Nordline Cordless Drill 2?",
     "SELECT COUNT(*) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Nordline Cordless Drill 2' AND i.quantity_on_hand > 0"),
    # "in any warehouse other than X": held in some one of the others (was: the others summed)
    ("how many products are out of stock in any warehouse other than Kuopio?",
     "SELECT COUNT(DISTINCT product_id) FROM inventory WHERE warehouse <> 'Kuopio' AND quantity_on_hand = 0"),
    # "where do we have / keep <product>": the warehouses holding it, as "where is <product>" (was its catalog row)
    ("where do we keep the Nordline Cordless Drill 2?",
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Nordline Cordless Drill 2' AND i.quantity_on_hand > 0"),
    # a bound with a word between it and the selling verb stays on the figure named before it
    ("active products with a margin above 0.45 but sold fewer than 120 units in 2026",
     "SELECT p.name FROM products p WHERE p.active AND (p.unit_price - p.unit_cost) / p.unit_price > 0.45 AND "
     f"{_units_sold('year(o.order_date) = 2026')} < 120"),
])
def test_warehouse_stock_conditions_answered(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "products with revenue over 100 in every warehouse",  # no sum of stock records
    "products with revenue over 100 in at least one warehouse",
    "products with over 200 on hand in Drammen that sold fewer than 3 units last month",
    "products in Kuopio below their reorder level with under 10 units sold this year",
    # held in one warehouse, not held in another: a different condition on each (was: "not in" the other)
    "which products are below their reorder level in Vantaa but not in Drammen?",
    # a count of the warehouses holding each product (was: split by warehouse)
    "which products have stock in just one warehouse?",
])
def test_warehouse_stock_conditions_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, None)


# ----- silent wrongs found by trying wordings: each answered right or refused.
# Rules: "how much <figure> does each have" after named things is each one's figure; a verb of ordering
# ranks customers (and their cities, channels ...) by their number of orders, and is refused beside another
# figure it would have to rank by; "are (and) still in stock" is the in-stock condition; "orders placed <period>"
# times a shipment figure by the order date; "their <column>" after a ranking of things is a column of each,
# not a grouping (nor one thing); "how much" of things named by a condition, per group, is their amount summed
# (refused with no condition); "which <column> are the <other things> in" after listed things groups those
# things' related ones; "shipped by <carrier>" is the carrier's act, not the order status; customers with "no
# <status> order" (none of their orders so) are refused.
PENDING_CUSTOMERS = ("SELECT c.{col}, COUNT(DISTINCT c.customer_id) FROM customers c JOIN orders o USING (customer_id) "
                     "WHERE o.status = '{status}' GROUP BY 1")


@pytest.mark.parametrize("context, question, gold", [
    ([], "Tools products: how much stock does each hold?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.category = 'Tools' GROUP BY p.product_id, p.name"),
    ([], "which 5 customers ordered most in 2025?",
     "SELECT c.name, COUNT(*) AS n FROM orders o JOIN customers c USING (customer_id) "
     "WHERE year(o.order_date) = 2025 GROUP BY c.customer_id, c.name ORDER BY n DESC, c.name LIMIT 5"),
    ([], "which cities ordered the most last quarter?",
     "SELECT c.city, COUNT(*) AS n FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' GROUP BY 1 ORDER BY n DESC LIMIT 10"),
    ([], "Which Kitchen products are still in stock? List each with its stock.",
     "SELECT p.name, SUM(i.quantity_on_hand) AS s FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.category = 'Kitchen' GROUP BY p.product_id, p.name HAVING s > 0"),
    ([], "which Garden products are active and still in stock",
     "SELECT p.name, SUM(i.quantity_on_hand) AS s FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.active AND p.category = 'Garden' GROUP BY p.product_id, p.name HAVING s > 0"),
    ([], "how many units of Bosch products are still in stock",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.brand = 'Bosch'"),
    ([], "For store orders placed in 2025, average delivery time in hours",
     "SELECT AVG(date_diff('second', s.shipped_at, s.delivered_at)) / 3600 FROM shipments s "
     "JOIN orders o USING (order_id) WHERE s.delivered_at IS NOT NULL AND o.channel = 'store' "
     "AND year(o.order_date) = 2025"),
    ([], "which customers spent the most in 2025 and what is their country",
     f"SELECT c.name, SUM(o.total_amount) AS r, c.country FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {VALID_ORDER} AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name, c.country "
     "ORDER BY r DESC LIMIT 10"),
    ([], "how much was returned per channel in 2025?",
     "SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE o.status = 'returned' AND year(o.order_date) = 2025 "
     "GROUP BY 1"),
    ([], "how much was cancelled per customer segment",
     "SELECT c.segment, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.status = 'cancelled' GROUP BY 1"),
    (["pending orders"], "which countries are the customers from?",
     PENDING_CUSTOMERS.format(col="country", status="pending")),
    (["shipped orders"], "which cities are those customers in?", PENDING_CUSTOMERS.format(col="city", status="shipped")),
    ([], "how many store orders from 2025 were shipped by DHL?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE o.channel = 'store' "
     "AND s.carrier = 'DHL' AND year(o.order_date) = 2025"),
])
def test_known_silent_wrongs_answered(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("question", [
    "which customers ordered most and how much did they spend",  # ranked by orders, or by the money?
    "how much per channel",  # revenue, every order's amount or a count
    "which customers ordered this year but have no delivered order",  # none of their orders delivered
])
def test_known_silent_wrongs_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question", [
    "For b2b orders placed last quarter, average days from order to shipment",
    "average delivery time for orders placed in 2025",
])
def test_orders_placed_in_a_period_time_a_shipment_figure_by_the_order_date(parser, question):
    assert parser.parse(question, COPILOT_AS_OF).form.period_field == "orders.order_date", question


# a percent is a share: never compared with a price or an amount in EUR ("more than 40% of their lines discounted"
# was read as a unit price over 40)
@pytest.mark.parametrize("question", [
    "products with more than 35% of their sales lines discounted in 2025",
    "brands with a list price above 20%",
])
def test_percent_never_a_price(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question", [
    # "out of all <things>" is the whole, every one; "out of <condition> <things>" names a whole the share's
    # condition could be mistaken for: left unplaced rather than read as the share of that condition ("out of
    # delivered shipments" beside a late share is that share's own base, read: test_copilot_order_status)
    "late delivery % by carrier 2025, out of Bring shipments",
    "share of orders cancelled out of delivered shipments",
])
def test_a_share_out_of_a_condition_is_refused(parser, question):
    with pytest.raises(NotUnderstood, match="'out'"):
        parser.parse(question, COPILOT_AS_OF)


def test_that_one_with_no_earlier_question_is_refused(parser):
    # "that one" after a preposition stands for the one thing of an earlier answer: asked first, nothing was
    # given (was every customer listed)
    with pytest.raises(NotUnderstood, match="that one"):
        parser.parse("who is the customer on that one?", COPILOT_AS_OF)


@pytest.mark.parametrize("question", [
    # every sale of the product to that segment: not a restriction to such sales (was: the revenue of them)
    "products only sold to business customers",
    "customers who only bought Bosch products",
])
def test_only_of_every_sale_not_stateable_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # two months apart joined by "and" are two periods, refused as other pairs are (was: the months between summed)
    "revenue for January and March 2026",
    "revenue in October 2025 and October 2026",
])
def test_two_months_apart_joined_by_and_are_refused(parser, question):
    with pytest.raises(NotUnderstood, match="two periods"):
        parser.parse(question, COPILOT_AS_OF, None)


def test_listed_years_with_a_gap_are_refused(parser):
    # years listed beside "per year" but not one after another: not every year between (was: refused, and stays)
    with pytest.raises(NotUnderstood, match="two periods"):
        parser.parse("revenue by year for 2024 and 2026", COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # a run of capitalised words, one a kind of product and the others names the lake does not know, is a product
    # the lake does not hold (was: refused as not understood)
    "How many DeWalt Hammer Drill do we have in stock?",
    "stock of Hammer Drill",
])
def test_unknown_product_named_with_a_known_kind_is_not_found(parser, question):
    with pytest.raises(NotFound):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # a verb of acting on the data first, then its object: an action asked, which a read-only copilot never does
    # (was: the Oslo customers listed with their email; the order looked up)
    "Please email all Oslo customers a 10% discount code.",
    "cancel order 1234",
    "could you delete the cancelled orders",
])
def test_an_action_on_the_data_is_refused(parser, question):
    with pytest.raises(NotUnderstood, match="cannot act"):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # three or four capitalised words left, one of them a word of the lake's customer names ("Oy") or a company form
    # ("Ab"): a customer the lake does not hold (was: refused as not understood, 'I could not tell what to compute')
    "What has Rakennus Lindgren Oy ordered this year?",
    "revenue from Rakennus Lindgren Oy",
    "When did Olaf Gunnarsdottir Ab last place an order?",
    "how much has Olaf Gunnarsdottir Oy spent",
])
def test_an_unknown_company_customer_is_not_found(parser, question):
    with pytest.raises(NotFound, match="no customer named"):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # a cost said of the shipping verb, no product named: a shipping cost, which the lake lacks
    # (was: the carrier's shipments listed with their products' unit cost)
    "how much did shipping with Posti cost us last year?",
    "what did shipping orders via Bring cost us in 2026",
])
def test_a_cost_of_shipping_is_refused(parser, question):
    with pytest.raises(NotUnderstood, match="shipping cost"):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # a word not understood right after two capitalised words: no customer is looked for (was: no customer named
    # Black Friday)
    "how many pickers do we need in Kuopio for the Black Friday week?",
    "how many drivers should we hire in Vantaa for the Easter Monday rush?",
])
def test_unknown_words_beside_a_name_are_not_understood(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # a company form left beside the two names is the name's own ("AB"): still a customer the lake does not hold
    "when did Byggmax Lindqvist AB last order from us?",
])
def test_two_names_with_a_company_form_are_not_found(parser, question):
    with pytest.raises(NotFound, match="no customer named"):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # a word written with a capital inside the sentence is a name, never a slip for a function word ("Stihl" is not
    # "still"); what is bought with it is a product the lake does not hold (was: refused, or any hammer read)
    "what sells together with the Stihl Chainsaw?",
    "which products are bought together with the Stihl Hammer?",
])
def test_unknown_product_bought_with_is_not_found(parser, question):
    with pytest.raises(NotFound, match="no product named"):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question", [
    # a share of two periods that are not one unit right after the other cannot be put per unit: refused (was: the
    # second period dropped and the first one's share answered alone, a silent wrong)
    "return rate in Q1 2026 vs Q3 2026",
    "cancellation rate October 2025 vs October 2026",
])
def test_a_share_of_two_periods_apart_is_not_understood(parser, question):
    with pytest.raises(NotUnderstood, match="share for one period"):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question, said", [
    ("which products have fewer than 12 units in at least one warehouse", "in at least one warehouse (its own figure)"),
    ("how many products have more than 150 units in every warehouse?", "in every warehouse (its own figure)"),
    ("which products are out of stock in some warehouse?", "in at least one warehouse (its own figure)"),
])
def test_a_condition_held_per_warehouse_is_said_so(parser, question, said):
    assert said in parser.parse(question, COPILOT_AS_OF).interpretation


# a name set off before the question ("Rautia Oy: ...", "Aino Virta - ...") is whom it is about: never set aside as a
# preface (was: every order counted, the name dropped), and one the lake lacks is not found (two words with a company
# form count as a company; the opening word's capital is the name's own there)
@pytest.mark.parametrize("question", [
    "Rautia Oy: how many orders in 2025",
    "Kesko Oy orders this year - how many were cancelled?",
    "Aino Virtakorpi - how much has she spent?",
])
def test_a_name_set_off_before_the_question_is_not_found(parser, question):
    with pytest.raises(NotFound, match="no customer named"):
        parser.parse(question, COPILOT_AS_OF, None)


@pytest.mark.parametrize("question, gold", [
    ("Helmi Larsen: how many orders has she placed?",
     "SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Helmi Larsen'"),
])
def test_a_name_held_set_off_before_the_question_is_kept(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# capitalised words that name no one (no company form, no word of the lake's customer names) before a dash stay a
# preface set aside ("Board Meeting - ..."), as before
@pytest.mark.parametrize("question, gold", [
    ("Budget Review - how many orders did we get in 2025?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
])
def test_a_titled_preface_that_names_no_one_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a name the lake does not hold is not found, also written with a possessive ("Pekka Lahtinen's") or in lower case
# right before the singular noun of a place ("in the tartu warehouse"); was: refused as words not placed
@pytest.mark.parametrize("question, said", [
    ("when was Pekka Lahtinen's most recent order shipped?", "no customer named Pekka Lahtinen"),
    ("stock in the tartu warehouse", "no warehouse named 'Tartu'"),
])
def test_a_missing_name_said_in_passing_is_not_found(parser, question, said):
    with pytest.raises(NotFound, match=said):
        parser.parse(question, COPILOT_AS_OF)


# "ordered" and "never ordered" with no period to tell them apart (layer contradicts_without_period): refused, never
# answered with no rows (was: 0 rows, a silent wrong); with periods they are the lapsed reading
@pytest.mark.parametrize("question", [
    "customers in Vantaa who ordered but not in Kuopio",
    "which customers from Kuopio ordered before but not in Vantaa?",
])
def test_ordered_and_never_ordered_without_a_period_are_refused(parser, question):
    with pytest.raises(NotUnderstood, match="cannot both hold"):
        parser.parse(question, COPILOT_AS_OF)


def test_ordered_and_not_ordered_in_named_periods_still_read(parser, engine):
    assert_answers_like(parser, engine, "customers who ordered in 2025 but have not ordered in 2026",
                        "SELECT name FROM customers WHERE customer_id IN (SELECT customer_id FROM orders WHERE order_date "
                        "BETWEEN DATE '2025-01-01' AND DATE '2025-12-31') AND customer_id NOT IN (SELECT customer_id "
                        "FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31')")


@pytest.mark.parametrize("question", [
    # a product's stock records and its order lines both multiply its row: summed together in one join, each would
    # count the other's rows, so without a reading that sums them apart the question is refused
    "products holding more than 400 units in total stock that sold fewer than 10 units last quarter",
    "stock and units sold per brand",
])
def test_sums_over_two_multiplying_tables_are_refused(parser, question):
    with pytest.raises(NotUnderstood, match="more than once"):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, floor, ceiling, start, where", [
    # the discount candidates sum each product's stock apart from its order lines: the same shape answered right
    ("products we could discount, holding more than 400 units in total stock that sold fewer than 10 units last quarter",
     400, 10, "2026-07-01' AND DATE '2026-09-30", "TRUE"),
    ("Any active products we should discount? ones holding over 250 units in total stock that sold under 20 units in "
     "the last 60 days.", 250, 20, "2026-09-02' AND DATE '2026-10-31", "p.active"),
])
def test_discount_candidates_sum_stock_apart_from_sales(parser, engine, question, floor, ceiling, start, where):
    assert_answers_like(
        parser, engine, question,
        "SELECT p.name, s.stock FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory "
        "GROUP BY product_id) s USING (product_id) LEFT JOIN (SELECT oi.product_id, SUM(oi.quantity) AS units "
        f"FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN "
        f"DATE '{start}' GROUP BY oi.product_id) u USING (product_id) "
        f"WHERE {where} AND s.stock > {floor} AND COALESCE(u.units, 0) < {ceiling}")


def test_discount_candidates_said_as_we_should_discount(parser, engine):
    # "products we should discount" with the asker's stock floor and sales ceiling: the discount candidates
    assert_answers_like(
        parser, engine, "Any active products we should discount? I mean ones holding more than 300 units in stock "
        "that sold fewer than 15 units in the last 90 days.",
        "SELECT p.name FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory "
        "GROUP BY product_id) s USING (product_id) LEFT JOIN (SELECT oi.product_id, SUM(oi.quantity) AS units "
        f"FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN "
        "DATE '2026-08-03' AND DATE '2026-10-31' GROUP BY oi.product_id) u USING (product_id) "
        "WHERE p.active AND s.stock > 300 AND COALESCE(u.units, 0) < 15")


def test_sum_beside_a_condition_held_in_one_place_keeps_its_answer(parser, engine):
    # near miss: the stock of one warehouse is one row per product, so the units sold are not multiplied
    assert_answers_like(
        parser, engine, "Which products sold more than 150 units in 2025 but have under 40 units left in Vantaa?",
        "SELECT p.name FROM products p JOIN (SELECT oi.product_id, SUM(oi.quantity) AS units FROM order_items oi "
        f"JOIN orders o USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND "
        "DATE '2025-12-31' GROUP BY oi.product_id) u USING (product_id) JOIN inventory i ON i.product_id = p.product_id "
        "AND i.warehouse = 'Vantaa' WHERE u.units > 150 AND i.quantity_on_hand < 40")


def test_the_one_that_after_an_answer_read_afresh_is_refused(parser, engine):
    # "the one that ..." picks a row of the previous answer; naming other things than those rows, read as a new
    # question it would rank every customer
    form = parser.parse("which products are out of stock?", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="the one"):
        parser.parse("which customer is the one that bought the most?", COPILOT_AS_OF, form)
    # near miss: asked with no previous answer, it is a question of its own
    assert_answers_like(parser, engine, "which category is the one that sold the most?",
                        f"SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
                        f"JOIN products p USING (product_id) WHERE {VALID_ORDER} GROUP BY 1 ORDER BY 2 DESC LIMIT 1")


# "how many copper pipes are there": products named with nothing said of holding or selling could be their pieces
# in stock or the products themselves; refused (was: orders counted). "customers with their first name": the lake
# holds one full name, so a part of it is refused (was: an unrelated earliest signup date)
@pytest.mark.parametrize("question", [
    "how many Makita hammers are there",
    "how many cordless drills exist",
    "list customers with their first name and country",
    "customers' surnames in Oslo",
])
def test_unclear_product_count_or_name_part_refuses(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_product_count_held_or_sold_keeps_its_answer(parser, engine):
    # near miss: said held, it is the stock
    assert_answers_like(parser, engine, "how many Makita hammers do we have",
                        "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
                        "WHERE p.name = 'Makita Hammer'")


# Silent wrongs of one kind each, answered right now. "how many <values> per <group>" counts the different values
# in each group (was: one row per value and group, each counting the table's rows: "number of warehouses per
# product" counted stock records); "which <group> has the most <values>" ranks that count (was: revenue ranked);
# "<figure> by discount" with nothing ranked groups by the lines' discount percent (was: products ranked by the
# average discount); a figure joined to a count by "and" before a bound on that same figure stays asked, every
# thing the bound keeps counted (was: the figure dropped, the count alone answered).
@pytest.mark.parametrize("question,gold", [
    ("count of warehouses for each product",
     "SELECT p.name, COUNT(DISTINCT i.warehouse) FROM inventory i JOIN products p USING (product_id) "
     "GROUP BY p.name, p.product_id"),
    ("how many brands in each category",
     "SELECT p.category, COUNT(DISTINCT p.brand) FROM products p GROUP BY 1"),
    ("number of different cities per country",
     "SELECT c.country, COUNT(DISTINCT c.city) FROM customers c GROUP BY 1"),
    ("which country has the most cities",
     "SELECT c.country, COUNT(DISTINCT c.city) FROM customers c GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    ("units sold per discount",
     f"SELECT oi.discount_percent, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1"),
    ("number of orders by discount in 2025",
     "SELECT oi.discount_percent, COUNT(DISTINCT o.order_id) FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("number of Tools products and units sold among Tools products that sold under 40 units in October 2026",
     "SELECT COUNT(*), SUM(u) FROM (SELECT p.product_id, COALESCE(SUM(oi.quantity) FILTER (WHERE o.status NOT IN "
     "('cancelled','returned') AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'), 0) u FROM products p "
     "LEFT JOIN order_items oi USING (product_id) LEFT JOIN orders o USING (order_id) WHERE p.category = 'Tools' "
     "GROUP BY 1) WHERE u < 40"),
    ("count of customers and their revenue among customers who spent under 150 EUR this year",
     "SELECT COUNT(*), SUM(r) FROM (SELECT c.customer_id, COALESCE(SUM(o.total_amount) FILTER (WHERE o.status NOT IN "
     "('cancelled','returned') AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'), 0) r FROM customers c "
     "LEFT JOIN orders o USING (customer_id) GROUP BY 1) WHERE r < 150"),
])
def test_counts_of_values_and_figures_beside_a_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_near_misses_of_counts_of_values_keep_their_reading(parser, engine):
    # near miss: the values counted alone stay one number; an average by a grouping stays the average discount
    assert_answers_like(parser, engine, "how many brands do we have", "SELECT COUNT(DISTINCT brand) FROM products")
    assert_answers_like(parser, engine, "average discount per category",
                        "SELECT p.category, AVG(oi.discount_percent) FROM order_items oi JOIN products p "
                        "USING (product_id) GROUP BY 1")
    # near miss: things named and ranked by the figure after "by" stay ranked
    form = parser.parse("top 10 products by unit price", COPILOT_AS_OF).form
    assert form.order_by == "products.unit_price" and form.limit == 10
    # near miss: named only in its bound, the figure is the condition's, not asked
    form = parser.parse("how many customers spent more than 5000 EUR of revenue", COPILOT_AS_OF).form
    assert form.measures == ["count"]
    # near miss: the things the bound is on named, the bound holds per thing
    form = parser.parse("how many cities had customers who spent over 5000", COPILOT_AS_OF).form
    assert form.measures == ["ndistinct:customers.city"]


# Silent wrongs of one kind each, refused now: two kinds of things counted in one answer (was: the second count
# dropped); each one's count beside things that are counted, not listed (was: dropped); "<figure> by <a column with
# no grouping>" with nothing named to rank (was: products ranked by it, the figure not shown); a bound on a figure of
# each value counted ("how many cities have revenue above X": was tested per customer, or per order); the values
# ranked by how many of them were bought (which orders count is not settled).
@pytest.mark.parametrize("question", [
    "number of orders and number of customers in Tampere this year",
    "how many customers and orders per segment",
    "count of customers and their number of orders in Helsinki",
    "revenue by unit price",
    "how many cities have revenue above 100000",
    "how many channels had over 1000 orders",
    "number of categories with fewer than 15 products",
    "how many brands sold more than 3000 units in 2025",
    "which customer bought from the most brands",
])
def test_counts_of_two_kinds_and_bounds_per_value_refuse(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# "<groups> whose / where / that <figure> fell (grew) <periods>": only the groups that moved that way, as "which
# <groups> ..." (was: every group listed with its growth, the way it moved dropped); between periods of different
# lengths, which way it moved is refused.
@pytest.mark.parametrize("question,gold", [
    ("brands whose units sold went down in Q3 2026 vs Q2 2026",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     f"{VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE "
     "'2026-07-01' AND DATE '2026-09-30'), 0) < COALESCE(SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN "
     "DATE '2026-04-01' AND DATE '2026-06-30'), 0)"),
    ("categories that grew revenue in Q3 2026 vs Q2 2026",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     f"{VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) "
     "FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'), 0) > COALESCE(SUM(oi.quantity * "
     "oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND "
     "DATE '2026-06-30'), 0)"),
    # near miss: a growth asked per group with no way said keeps every group
    ("revenue growth per brand in Q3 2026 vs Q2 2026", "SELECT DISTINCT brand FROM products"),
])
def test_groups_whose_figure_moved_one_way(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_groups_whose_figure_moved_between_unequal_periods_refuse(parser):
    with pytest.raises(NotUnderstood, match="same length"):
        parser.parse("customers whose revenue fell from 2025 to 2026", COPILOT_AS_OF)


# The same things counted twice under different conditions ("number of orders, and number of those with ...",
# "how many orders ... and how many of them ...") are two figures the form cannot hold apart: refused (was: the
# second count's condition put on the first and one count answered).
@pytest.mark.parametrize("question", [
    "per segment: number of customers, and number of those customers who ordered in 2026",
    "how many orders in 2026 and how many of them were returned",
    "number of orders in 2025, and number of paid orders",
    # (was: one count of both statuses together)
    "how many shipped orders and how many cancelled orders in 2026",
])
def test_same_things_counted_twice_refuse(parser, question):
    with pytest.raises(NotUnderstood, match="two counts|count of those"):
        parser.parse(question, COPILOT_AS_OF)


def test_one_group_counted_beside_all_is_not_counted_twice(parser, engine):
    # the second count is the first over all (reading/beside_all): one row of two figures, not a refusal
    assert_answers_like(parser, engine, "how many orders did Oslo customers place in 2025, and how many orders were "
                        "placed overall in 2025",
                        "SELECT COUNT(*) FILTER (WHERE c.city = 'Oslo'), COUNT(*) FROM orders o JOIN customers c "
                        "ON o.customer_id = c.customer_id WHERE o.order_date BETWEEN DATE '2025-01-01' AND "
                        "DATE '2025-12-31'")


def test_one_count_of_some_of_the_things_keeps_its_answer(parser, engine):
    # near miss: one count with its condition; and "how many of them" as a follow-up of one count
    assert_answers_like(parser, engine, "how many orders were returned in 2026",
                        "SELECT COUNT(*) FROM orders WHERE status = 'returned' AND order_date BETWEEN DATE "
                        "'2026-01-01' AND DATE '2026-10-31'")
    # near miss: each count a value of the grouping asked is the breakdown itself
    assert_answers_like(parser, engine, "per segment: how many consumers and how many business customers",
                        "SELECT segment, COUNT(*) FROM customers GROUP BY 1")
    assert_answers_like(parser, engine, "how many of them were returned?",
                        "SELECT COUNT(*) FROM orders WHERE status = 'returned' AND order_date BETWEEN DATE "
                        "'2026-01-01' AND DATE '2026-10-31'", context=["how many orders in 2026"])


# "low stock count per brand": with no thing named, a count under conditions all said of one kind of thing counts
# those things (was: the orders holding low-stock products counted).
@pytest.mark.parametrize("question,gold", [
    ("low stock count per brand",
     "SELECT p.brand, COUNT(*) FROM products p WHERE p.product_id IN (SELECT product_id FROM inventory GROUP BY 1 "
     "HAVING SUM(quantity_on_hand) <= SUM(reorder_level)) GROUP BY 1"),
    ("out of stock count by category",
     "SELECT p.category, COUNT(*) FROM products p WHERE p.product_id IN (SELECT product_id FROM inventory GROUP BY 1 "
     "HAVING SUM(quantity_on_hand) = 0) GROUP BY 1"),
    # near miss: a condition of orders still counts orders
    ("open count by channel",
     "SELECT channel, COUNT(*) FROM orders WHERE status IN ('pending', 'paid') GROUP BY 1"),
])
def test_count_of_the_things_a_condition_is_said_of(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "the top seller ... (revenue)": a figure alone in brackets after a ranking word is what it ranks by (was: ranked by
# units sold, the revenue shown beside); with nothing in brackets the ranking word keeps its own figure.
@pytest.mark.parametrize("question,gold", [
    ("best seller in the store channel in 2025 (revenue)",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) AS r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND o.channel = 'store' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.name ORDER BY r DESC LIMIT 1"),
    ("best seller in the store channel in 2025",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING "
     f"(product_id) WHERE {VALID_ORDER} AND o.channel = 'store' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY p.name ORDER BY u DESC LIMIT 1"),
])
def test_figure_in_brackets_after_a_ranking_word(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)
