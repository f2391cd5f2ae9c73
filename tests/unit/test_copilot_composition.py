"""Composition: measures, conditions, periods, rankings and groupings read together.

What each part checks:
- Ranking inside groups, inventory value, "value of X", order lines as a thing of their own, conditions side by
  side, per-entity counts, follow-up shares and whole periods before, and the refusals that keep a half-
  understood question from being answered.
- Money thresholds with their currency, fillers and intent words from the layer's explicit lists, dates without a
  year, shipment facts, and new measures spelled out.
- Composition on first-day questions: a valuation named apart from the measure ("value of stock in Drammen at list
  price"), a period on the orders a customer condition is about, totals "across" a dimension that are one
  figure, not a split.
- "on average, how many units are in a delivered order": a figure of each one thing named after "a"/"an"/"each"
  (values or conditions may come between), averaged, as "average units per delivered order" is.
- Questions whose misreading spoilt the follow-ups after them ("single" beside a ranking, the most orders under an
  exclusion, an entity's own attribute, a verb that is also a carrier, a ranking by price among what we sell,
  counts of things sold) and terse abbreviations from the layer.
- Strict "below" the reorder level, the sales filter that selling puts on line figures, the date a list is
  filtered on, and stock shown per product beside sales figures (never multiplied by the order lines a join
  would pair it with).
- "A vs B per X" (the compared values with another grouping: a dimension or a time
  grain) is one row per X with A and B as columns, side by side; with no other grouping the values stay rows. A
  lake value that is also an English verb, written in lower case after an auxiliary and its subject noun phrase
  ("did business customers bring"), is the verb (a filler), not the value (the carrier Bring). "money" asks for
  an amount: a question with "money" whose reading has no amount in EUR is refused (was a count of the orders).
  "in the <places> altogether / in total / combined" sums over the places, not split by them. A share of things
  (customers) with a condition on related rows (orders) is of all the things the subject's own conditions keep,
  the part those with at least one such row (was: of customers with orders). A superlative of size ("biggest
  customer") with an explicit key ("by number of orders") ranks by that key (was revenue, the key dropped); with
  only an amount named ("by revenue") by that amount. "register"/"join" are the signup. "how many customers
  ordered in A but haven't ordered in B" counts the lapsed customers. "growth in Q3 over Q2": "over" right
  between two periods compares them. A measure named twice, as the verb and noun of a condition ("brought in
  more than 5000 EUR of revenue"), is the condition, not a second figure. Figures asked together each count
  their own rows: "revenue and number of orders" is the revenue of orders not cancelled or returned beside the
  orders of any status (was: both over the revenue's orders). "the same period of <year>" after one period
  within a year is those days in that year.
- 'the first N months of <year>' is January to the end of the Nth month of that year; one period said twice ('the
  first six months of 2026, January to June': both the same days) is one period, not two to compare (two
  different periods stay refused). 'zero/no units on hand (in stock)' is out of stock, so 'in at least one
  warehouse' tests it per warehouse. A bracket after a 'bought together' question that only says what together
  means ('(same order)', '(in the same basket)') restates it and is set aside; 'same order' elsewhere stays
  unplaced. A plan said after the question: 'they probably/likely need ...' opens one as 'they need' does; 'a
  price review' is the reprice purpose, 'we should clear' the clearance purpose, 'sales should call' / 'we
  should call' the call-list purpose. 'from <day/month> onwards (on)' is from that day (the month's first) to
  date; 'the first N days/weeks of <month>' its first N (7N) days, and a bracket right after that names the same
  days ('(1st to 14th)') says them again (other days stay refused). A customer's order ids in a period are of
  their orders placed in it, not of customers who signed up in it. 'vs the same period last year (a year
  earlier)' is the days of the period named, one year before it; with no period named it stays refused. 'stock
  count' and 'inventory count' are the stock. 'the most (least) <...> stock above/over (the) reorder level(s)'
  ranks by the surplus (stock less the level), while 'stock above reorder level' as a condition is left as it
  was.
"""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.copilot.planner import period_labels
from commerce_platform.errors import NotFound, NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

pytestmark = pytest.mark.functional


AS_OF = COPILOT_AS_OF
VALID = VALID_ORDER
LINE = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


@pytest.mark.parametrize("question, gold", [
    # a ranking said "in each"/"per" restarts in every group
    ("top brand by revenue in each category in 2025",
     f"SELECT category, brand, r FROM (SELECT p.category, p.brand, SUM({LINE}) r, ROW_NUMBER() OVER "
     f"(PARTITION BY p.category ORDER BY SUM({LINE}) DESC) n FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1, 2) WHERE n = 1"),
    ("the 2 best-selling products per brand",
     "SELECT brand, name, u FROM (SELECT p.brand, p.name, SUM(oi.quantity) u, ROW_NUMBER() OVER "
     "(PARTITION BY p.brand ORDER BY SUM(oi.quantity) DESC) n FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} GROUP BY p.brand, p.name, p.product_id) WHERE n <= 2"),
    # inventory valued at cost or at the list price
    ("what is the value of our stock at cost",
     "SELECT SUM(i.quantity_on_hand * p.unit_cost) FROM inventory i JOIN products p USING (product_id)"),
    ("inventory value at retail price per warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand * p.unit_price) FROM inventory i JOIN products p USING (product_id) "
     "GROUP BY 1"),
    # "the value of X orders" sums them (whatever their status: the status is asked)
    ("value of cancelled orders in 2025",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025"),
    ("shoppers who purchased the Makita Hammer also bought",
     "SELECT p2.name, COUNT(DISTINCT a.order_id) FROM order_items a JOIN products p1 ON p1.product_id = a.product_id "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id WHERE p1.name = 'Makita Hammer' "
     "GROUP BY p2.product_id, p2.name ORDER BY 2 DESC, 1 LIMIT 10"),
    # the year said once is the year of both periods; the rows are labelled by what differs
    ("orders Q3 vs Q4 2025",
     "SELECT 'Q' || quarter(order_date), COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-07-01' "
     "AND DATE '2025-12-31' GROUP BY 1"),
    # a count of things that each meet a condition on their own rows
    ("how many customers placed more than 15 orders",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING COUNT(*) > 15)"),
    ("number of orders with more than 4 lines",
     "SELECT COUNT(*) FROM (SELECT order_id FROM order_items GROUP BY 1 HAVING COUNT(*) > 4)"),
    # order lines as things of their own
    ("how many order lines had a discount in 2025",
     "SELECT COUNT(*) FROM order_items oi JOIN orders o USING (order_id) WHERE oi.discount_percent > 0 "
     "AND year(o.order_date) = 2025"),
    ("number of orders with at least one discounted line",
     "SELECT COUNT(DISTINCT order_id) FROM order_items WHERE discount_percent > 0"),
    ("how many lines got a 10% discount",
     "SELECT COUNT(*) FROM order_items WHERE discount_percent = 10"),
    ("units sold on discounted vs full price lines in 2025",
     "SELECT CASE WHEN oi.discount_percent > 0 THEN 'discounted' ELSE 'full price' END, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     f"WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY 1"),
    ("average discount percent of order lines in 2026",
     "SELECT AVG(oi.discount_percent) FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE year(o.order_date) = 2026"),
    ("how many orders contained the Makita Hammer",
     "SELECT COUNT(DISTINCT oi.order_id) FROM order_items oi JOIN products p USING (product_id) "
     "WHERE p.name = 'Makita Hammer'"),
    # a rate of a condition over the rows where it can be known
    ("late delivery share by carrier",
     "SELECT carrier, 1.0 * COUNT(*) FILTER (WHERE delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL GROUP BY 1"),
    # a stock condition per warehouse when the question is per warehouse
    ("which warehouse has the fewest products below their reorder level",
     "SELECT warehouse, COUNT(*) n FROM inventory WHERE quantity_on_hand < reorder_level GROUP BY 1 "
     "ORDER BY n LIMIT 1"),
    # a total over nothing is 0
    ("did we sell any Makita Hammer on 2026-10-31",
     "SELECT COALESCE(SUM(oi.quantity), 0) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.name = 'Makita Hammer' AND o.order_date = DATE '2026-10-31'"),
    ("stock for all Bosch products",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.brand = 'Bosch' GROUP BY p.product_id, p.name"),
    ("mean number of units per order, excluding cancelled orders",
     "SELECT AVG(u) FROM (SELECT o.order_id, SUM(oi.quantity) u FROM orders o JOIN order_items oi USING (order_id) "
     f"WHERE {VALID} GROUP BY 1)"),
    ("list the active products that are low on stock with their current stock",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) WHERE p.active "
     "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) <= SUM(i.reorder_level)"),
    ("revenue per business customer in 2025",
     "SELECT c.name, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE c.segment = 'business' "
     f"AND {VALID} AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name"),
    ("orders by status and month in 2025",
     "SELECT status, date_trunc('month', order_date), COUNT(*) FROM orders WHERE year(order_date) = 2025 GROUP BY 1, 2"),
    ("customers by signup year",
     "SELECT year(signup_date), COUNT(*) FROM customers GROUP BY 1"),
    ("how many orders have no shipment",
     "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.order_id)"),
    ("which products were never sold in September 2026",
     "SELECT name FROM products WHERE product_id NOT IN (SELECT oi.product_id FROM order_items oi JOIN orders o "
     f"USING (order_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30')"),
    ("how many customers had at least one returned order",
     "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE status = 'returned'"),
    ("how many shipments went out on 2026-10-30",
     "SELECT COUNT(*) FROM shipments WHERE CAST(shipped_at AS DATE) = DATE '2026-10-30'"),
    ("revenue this year compared with last year",
     f"SELECT year(order_date), SUM(total_amount) FROM orders o WHERE {VALID} AND order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2026-11-01' GROUP BY 1"),
    ("customers whose name begins with 'Aino'", "SELECT name FROM customers WHERE name ILIKE 'Aino%'"),
    ("how many orders contained both the Makita Hammer and the Makita Copper Pipe",
     "SELECT COUNT(*) FROM (SELECT oi.order_id FROM order_items oi JOIN products p USING (product_id) WHERE p.name IN "
     "('Makita Hammer', 'Makita Copper Pipe') GROUP BY 1 HAVING COUNT(DISTINCT p.name) = 2)"),
    ("pending orders older than 10 days",
     "SELECT order_id FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-22'"),
    ("weekend orders in 2025 by channel",
     "SELECT channel, COUNT(*) FROM orders WHERE dayofweek(order_date) IN (0, 6) AND year(order_date) = 2025 GROUP BY 1"),
    ("the 3 active products with the highest price",
     "SELECT name, unit_price FROM products WHERE active ORDER BY unit_price DESC LIMIT 3"),
    ("what is our inventory worth at cost",
     "SELECT SUM(i.quantity_on_hand * p.unit_cost) FROM inventory i JOIN products p USING (product_id)"),
    # a figure asked "how much" of "they" / "each" after the things listed is each one's, beside it (not one total)
    ("customers who spent more than 2,000 EUR in 2025, names and how much they spent",
     f"SELECT c.name, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} AND "
     "year(o.order_date) = 2025 GROUP BY c.name, c.customer_id HAVING SUM(o.total_amount) > 2000"),
    ("business customers in Sweden - their names and how much revenue did they bring in this year",
     f"SELECT c.name, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} AND "
     "c.segment = 'business' AND c.country = 'SE' AND o.order_date >= DATE '2026-01-01' GROUP BY c.name, c.customer_id"),
    ("consumer customers in Denmark: names and how many orders they placed",
     "SELECT c.name, COUNT(DISTINCT o.order_id) FROM orders o JOIN customers c USING (customer_id) WHERE "
     "c.segment = 'consumer' AND c.country = 'DK' GROUP BY c.name, c.customer_id"),
    # "everyone who ..." in a question of its own: the customers who did it
    ("everybody who spent over 4,000 EUR in 2025",
     f"SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY c.name, c.customer_id HAVING SUM(o.total_amount) > 4000"),
    ("give me everyone who has placed more than 15 orders, names and how much they spent",
     f"SELECT c.name, SUM(o.total_amount) FILTER (WHERE {VALID}) FROM orders o JOIN customers c USING (customer_id) "
     "GROUP BY c.name, c.customer_id HAVING COUNT(DISTINCT o.order_id) > 15"),
    # one figure said again with each of two values, joined by "and": each value's figure beside the other's
    ("b2b revenue and web revenue for every month of 2025",
     "SELECT date_trunc('month', o.order_date) m, SUM(o.total_amount) FILTER (WHERE o.channel = 'b2b'), "
     "SUM(o.total_amount) FILTER (WHERE o.channel = 'web') FROM orders o WHERE "
     f"{VALID} AND year(o.order_date) = 2025 GROUP BY 1"),
    ("Tampere revenue and Turku revenue last year",
     "SELECT c.city, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE "
     f"{VALID} AND year(o.order_date) = 2025 AND c.city IN ('Tampere', 'Turku') GROUP BY 1"),
])
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("context, question, gold", [
    (["how many orders were cancelled in 2025"], "and as a share of all orders?",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE status = 'cancelled') / COUNT(*) FROM orders WHERE year(order_date) = 2025"),
    (["revenue this year"], "and the year before?",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID} AND year(order_date) = 2025"),
    (["top 3 Kitchen products by revenue in 2025"], "forget the category",
     f"SELECT p.name, SUM({LINE}) r FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY p.product_id, p.name ORDER BY r DESC LIMIT 3"),
    (["revenue of web orders by month in 2025"], "and overall?",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID} AND year(order_date) = 2025"),
    (["list our customers in Oslo"], "which of them spent the most?",
     "SELECT c.name, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE c.city = 'Oslo' AND {VALID} GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 1"),
])
def test_follow_ups(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_the_largest_order_answers_who_placed_it(parser, engine):
    rows = answer(parser, engine, "biggest web order in September 2026 and who placed it")
    gold = engine.execute("SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.channel = 'web' "
                          "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' "
                          "ORDER BY o.total_amount DESC LIMIT 1").rows
    assert len(rows) == 1 and gold[0][0] in rows[0]


@pytest.mark.parametrize("question", [
    "open vs late orders",  # conditions on two different things cannot be rows of one table
    "revenue including cancelled orders",  # "including" is not a filter to the cancelled ones
])
def test_half_understood_questions_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, AS_OF)


def test_side_by_side_periods_are_labelled_by_what_tells_them_apart():
    assert period_labels("Q1 2026", "Q2 2026") == ("Q1", "Q2")
    assert period_labels("H1 2025", "H2 2025") == ("H1", "H2")
    assert period_labels("Q4 2025", "Q4 2024") == ("Q4 2025", "Q4 2024")
    assert period_labels("2025", "2024") == ("2025", "2024")


def test_the_answer_says_the_ranking_is_per_group(parser):
    text = parser.parse("best-selling product in each category", AS_OF).interpretation
    assert "top 1 in each category" in text


def test_average_per_order_is_said(parser):
    text = parser.parse("average units per order in 2025", AS_OF).interpretation
    assert text.startswith("average per order of: units sold")


def test_a_figure_about_an_id_that_does_not_exist_has_no_row(parser, engine):
    assert answer(parser, engine, "how many units of product 99999 are in stock") == []
    rows = answer(parser, engine, "how many units of product 12 are in stock")
    gold = engine.execute("SELECT SUM(quantity_on_hand) FROM inventory WHERE product_id = 12").rows
    assert len(rows) == 1 and gold[0][0] in rows[0]


ORDER_COLS = "o.order_id, o.order_date, o.status, o.channel, o.total_amount"


@pytest.mark.parametrize("question, gold", [
    # a money threshold is a comparison on the amount of the things counted, its currency placed
    ("number of b2b orders in Helsinki in 2025 that came to more than 1500 euros",
     "SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE o.channel = 'b2b' "
     "AND c.city = 'Helsinki' AND year(o.order_date) = 2025 AND o.total_amount > 1500"),
    ("count store orders above €300 last month",
     "SELECT COUNT(*) FROM orders WHERE channel = 'store' AND total_amount > 300 "
     "AND order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("products cheaper than 9 EUR",
     "SELECT product_id, name, category, brand, unit_price FROM products WHERE unit_price < 9"),
    # a currency word beside a measure counted in EUR is its unit
    ("revenue in euros from Estonia in 2025",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.country = 'EE' AND year(o.order_date) = 2025"),
    # fillers from the layer's list say nothing about the data
    ("for my manager: how many cancelled orders in 2024",
     "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND year(order_date) = 2024"),
    # an intent word is placed when the question ranks in its direction
    ("3 Plumbing products with the fewest units sold in 2025, candidates to drop",
     f"SELECT p.name, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category = 'Plumbing' AND year(o.order_date) = 2025 "
     "GROUP BY p.product_id, p.name ORDER BY q ASC, p.name LIMIT 3"),
    ("which brand should we promote in Sweden: top brand by revenue in 2025",
     f"SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) JOIN customers c USING (customer_id) "
     f"WHERE {VALID} AND c.country = 'SE' AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    ("which low stock Lighting products should we restock first, ranked by units sold in 2025",
     f"SELECT p.name, SUM(oi.quantity) q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category = 'Lighting' AND year(o.order_date) = 2025 "
     "AND p.product_id IN (SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) <= SUM(reorder_level)) "
     "GROUP BY p.product_id, p.name ORDER BY q DESC, p.name LIMIT 10"),
    # a date without a year: the as-of year, or the year before when that day is still to come
    ("paid orders from before Oct 20",
     "SELECT order_id, order_date, status, channel, total_amount FROM orders WHERE status = 'paid' "
     "AND order_date < DATE '2026-10-20'"),
    ("how many orders since 25 Oct",
     "SELECT COUNT(*) FROM orders WHERE order_date >= DATE '2026-10-25'"),
    ("how many orders after December 20",
     "SELECT COUNT(*) FROM orders WHERE order_date > DATE '2025-12-20'"),
    # "not late" needs the parcel to have arrived; "delivered" beside a shipment condition is the
    # shipment's arrival (an order delivered and then returned was still delivered)
    ("how many shipments were not late in 2025",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NOT NULL AND delivered_at <= shipped_at + INTERVAL 3 DAY "
     "AND year(shipped_at) = 2025"),
    ("number of delivered web orders that were not late",
     "SELECT COUNT(*) FROM shipments s JOIN orders o USING (order_id) WHERE o.channel = 'web' "
     "AND s.delivered_at IS NOT NULL AND s.delivered_at <= s.shipped_at + INTERVAL 3 DAY"),
    # measures named by their definition: gross profit, discount in money, price per unit, time to ship
    ("gross profit per brand in 2025",
     f"SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100) - oi.quantity * p.unit_cost) "
     f"FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
    ("revenue minus cost of goods for Garden last quarter",
     f"SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100) - oi.quantity * p.unit_cost) "
     f"FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} "
     "AND p.category = 'Garden' AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    ("discount in euros by channel in 2024",
     f"SELECT o.channel, SUM(oi.quantity * oi.unit_price * oi.discount_percent / 100) FROM order_items oi "
     f"JOIN orders o USING (order_id) WHERE {VALID} AND year(o.order_date) = 2024 GROUP BY 1"),
    ("how much did we give away in discounts to business customers in 2025",
     f"SELECT SUM(oi.quantity * oi.unit_price * oi.discount_percent / 100) FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.segment = 'business' AND year(o.order_date) = 2025"),
    ("average selling price per unit of Kitchen products in 2025",
     f"SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) / SUM(oi.quantity) "
     f"FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} "
     "AND p.category = 'Kitchen' AND year(o.order_date) = 2025"),
    ("average time from order to shipment in hours for web orders",
     "SELECT AVG(epoch(s.shipped_at - CAST(o.order_date AS TIMESTAMP))) / 3600 FROM orders o "
     "JOIN shipments s USING (order_id) WHERE o.channel = 'web'"),
    # a capitalised code with a hyphen is a text kept as written
    ("number of shipments whose tracking code starts with BR-",
     "SELECT COUNT(*) FROM shipments WHERE tracking_number LIKE 'BR-%'"),
    ("which orders have tracking number PO-000003394",
     "SELECT order_id FROM shipments WHERE tracking_number = 'PO-000003394'"),
    # "per" a qualified entity: each one's figure, averaged, over the qualified ones
    ("average stock per Garden product",
     "SELECT AVG(s) FROM (SELECT p.product_id, SUM(i.quantity_on_hand) s FROM products p JOIN inventory i "
     "USING (product_id) WHERE p.category = 'Garden' GROUP BY 1)"),
    # "ordered at least once" is a condition with its period on the orders, also on the orders measured
    ("how many customers ordered at least once in 2024",
     "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE year(order_date) = 2024"),
    ("average number of orders per customer in 2024 for customers who ordered at least once",
     "SELECT AVG(n) FROM (SELECT customer_id, COUNT(*) n FROM orders WHERE year(order_date) = 2024 GROUP BY 1)"),
    # orders placed in a period, counted through their shipments: the orders name the period's date
    ("for orders placed in August how many shipments via DHL arrived late",
     "SELECT COUNT(*) FROM orders o JOIN shipments s USING (order_id) WHERE s.carrier = 'DHL' "
     "AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY AND o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31'"),
    ("number of late shipments to Helsinki customers in 2025 (orders placed in 2025)",
     "SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) JOIN shipments s USING (order_id) "
     "WHERE c.city = 'Helsinki' AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY AND year(o.order_date) = 2025"),
    # a condition on a measure takes the period of what it measures, not the subject's own date
    ("clients who spent more than 5000 euros in 2024",
     f"SELECT c.name, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND year(o.order_date) = 2024 GROUP BY c.customer_id, c.name HAVING SUM(o.total_amount) > 5000"),
    # a suggestion ranked by a named measure shows and ranks by that measure
    ("suggest 4 Paint products to drop, the ones with the lowest revenue in 2025",
     f"SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND p.category = 'Paint' "
     "AND year(o.order_date) = 2025 GROUP BY p.product_id, p.name ORDER BY r ASC LIMIT 4"),
    # a rate per group counts things (revenue would leave the cancelled orders out of its own share)
    ("return rate per channel in 2024",
     "SELECT channel, 1.0 * COUNT(*) FILTER (WHERE status = 'returned') / COUNT(*) FROM orders "
     "WHERE year(order_date) = 2024 GROUP BY 1"),
    # units beside a verb of holding goods are units in stock
    ("which Garden product do we hold the fewest units of",
     "SELECT p.name, SUM(i.quantity_on_hand) s FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.category = 'Garden' GROUP BY p.product_id, p.name ORDER BY s ASC, p.name LIMIT 1"),
    # "zero" as a value: "at zero", "zero on hand" say out of stock; a number after a comparator
    ("the 3 Tools products with the lowest stock, leaving out the ones at zero",
     "SELECT p.name, SUM(i.quantity_on_hand) s FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.category = 'Tools' GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0 ORDER BY s ASC LIMIT 3"),
    ("how many products have zero on hand in Vantaa",
     "SELECT COUNT(*) FROM inventory WHERE warehouse = 'Vantaa' AND quantity_on_hand = 0"),
    ("customers with more than zero orders in 2025",
     "SELECT c.customer_id, c.name, c.email, c.segment, c.city, c.country, COUNT(*) FROM customers c "
     "JOIN orders o USING (customer_id) WHERE year(o.order_date) = 2025 GROUP BY ALL"),
    # the noun of a dimension's table beside its value ("to customers there") is placed by it
    ("which carrier should we use for Turku, fastest average delivery to customers there",
     "SELECT s.carrier, AVG(epoch(s.delivered_at - s.shipped_at)) / 86400 a FROM shipments s JOIN orders o USING (order_id) "
     "JOIN customers c USING (customer_id) WHERE c.city = 'Turku' AND s.delivered_at IS NOT NULL "
     "GROUP BY 1 ORDER BY a ASC LIMIT 1"),
    ("Heating products in Kuopio at or under their reorder level",
     "SELECT p.product_id, p.name FROM products p JOIN inventory i USING (product_id) WHERE p.category = 'Heating' "
     "AND i.warehouse = 'Kuopio' AND i.quantity_on_hand <= i.reorder_level"),
    # "on time" names "not late" (so needs the parcel delivered); "id" is the key of what is listed
    ("how many DHL shipments were on time in 2025",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'DHL' AND delivered_at IS NOT NULL "
     "AND delivered_at <= shipped_at + INTERVAL 3 DAY AND year(shipped_at) = 2025"),
    ("pending web orders from the past 5 days, id and amount",
     "SELECT order_id, total_amount FROM orders WHERE status = 'pending' AND channel = 'web' "
     "AND order_date BETWEEN DATE '2026-10-27' AND DATE '2026-10-31'"),
    ("how many parcels are still on their way",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL"),
    # a year "YTD" is one period; ".." joins two dates; "two thousand" is 2000; "ordered twice" counts orders
    ("units sold by channel, 2025 YTD",
     f"SELECT o.channel, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-10-31' GROUP BY 1"),
    ("revenue 2025-03-01..2025-03-15",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID} AND order_date BETWEEN DATE '2025-03-01' AND DATE '2025-03-15'"),
    ("products with more than three hundred units sold in 2025",
     f"SELECT p.name, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND year(o.order_date) = 2025 GROUP BY p.product_id, p.name "
     "HAVING SUM(oi.quantity) > 300"),
    ("how many customers bought at least twice in 2025",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE year(order_date) = 2025 GROUP BY 1 "
     "HAVING COUNT(*) >= 2)"),
    # "any status" takes the measure without the glossary's status filter
    ("units of the Ensto LED Bulb ordered in 2024, any status",
     "SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto LED Bulb' AND year(o.order_date) = 2024"),
])
def test_thresholds_fillers_and_dates_answer_like_gold(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, word", [
    # an intent whose direction the question contradicts is not placed
    ("products to push: the 5 with the fewest units sold", "push"),
    # a word not in the filler list is never guessed away
    ("for the quarterly newsletter how many orders in 2025", "newsletter"),
    # a currency with no amount or money measure to belong to
    ("how many customers in EUR", "eur"),
    # profit is known now, but a cost the lake does not hold is still out of scope
    ("gross profit after shipping costs last quarter", "shipping costs"),
    # a time span with no parcel spoken of is not a delivery time
    ("how many paid orders were worth more than 10 days", "more than"),
    # "never bought" of products is by nobody: with one customer named it would always be empty (within a ranking
    # said first, "which of the 10 best sellers has customer 12 never bought", it is that customer's: advice)
    ("the 10 best selling Tools products customer 12 never bought", "restrict"),
    # a delivery time does not exist before delivery
    ("shipments in transit with a delivery time over 5 days", "not known"),
    # a condition and its negation at once
    ("late shipments that were on time", "at once"),
])
def test_unplaced_words_are_refused(parser, question, word):
    with pytest.raises(NotUnderstood, match=word):
        parser.parse(question, AS_OF)


def test_average_discount_stays_in_percent(parser, engine):
    # without a currency word the discount is the glossary's average percent, not money
    rows = answer(parser, engine, "average discount in 2025")
    gold = engine.execute("SELECT AVG(oi.discount_percent) FROM order_items oi JOIN orders o USING (order_id) "
                          "WHERE year(o.order_date) = 2025").rows
    assert results_match(gold, rows)


def test_compared_periods_carry_their_first_day_and_sort_in_time(parser, engine):
    # "March vs April": the labels alone would sort April first; each row carries its period's first day
    rows = answer(parser, engine, "number of orders April vs March 2026")
    assert [str(r[1])[:10] for r in rows] == ["2026-03-01", "2026-04-01"]
    gold = engine.execute("SELECT date_trunc('month', order_date), COUNT(*) FROM orders "
                          "WHERE order_date BETWEEN DATE '2026-03-01' AND DATE '2026-04-30' GROUP BY 1").rows
    assert results_match(gold, rows)


@pytest.mark.parametrize("question, gold", [
    ("value of stock in Drammen at list price",
     "SELECT SUM(i.quantity_on_hand * p.unit_price) FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Drammen'"),
    ("what is our total inventory value at cost?",
     "SELECT SUM(i.quantity_on_hand * p.unit_cost) FROM inventory i JOIN products p USING (product_id)"),
    ("value of stock at retail price by warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand * p.unit_price) FROM inventory i JOIN products p "
     "USING (product_id) GROUP BY i.warehouse"),
    ("Customers with a cancelled order last month",
     "SELECT DISTINCT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'cancelled' "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("customers with web orders in 2025",
     "SELECT DISTINCT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.channel = 'web' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("Ensto LED Bulb: total stock and total reorder level across warehouses?",
     "SELECT SUM(i.quantity_on_hand), SUM(i.reorder_level) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Ensto LED Bulb'"),
    ("how many units of the Makita Hammer we have in total across all of our warehouses",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Makita Hammer'"),
    # the signup names its own date
    ("customers who signed up in 2025 with a cancelled order",
     "SELECT DISTINCT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'cancelled' "
     "AND c.signup_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # a bare event noun and its period, asked as a question: how many
    ("orders placed yesterday?", "SELECT COUNT(*) FROM orders WHERE order_date = DATE '2026-10-31'"),
    ("orders on 2026-10-15?", "SELECT COUNT(*) FROM orders WHERE order_date = DATE '2026-10-15'"),
    ("show orders placed yesterday", "SELECT order_id FROM orders WHERE order_date = DATE '2026-10-31'"),
    # dates: a month's short name alone, "since <month>", "the week 5-11 October", "the 15th of October"
    ("rev per channel oct", f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("Which brand had the highest sales since August?",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent/100)) AS r FROM orders o "
     f"JOIN order_items oi USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    ("How many consumer customers in Denmark signed up since Agust 2025?",
     "SELECT COUNT(*) FROM customers WHERE segment = 'consumer' AND country = 'DK' "
     "AND signup_date >= DATE '2025-08-01'"),
    ("What was revenue for the week 5-11 October 2026?", f"SELECT SUM(o.total_amount) FROM orders o "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-10-05' AND DATE '2026-10-11'"),
    ("how many orders were placed on the 15th of Ocotber",
     "SELECT COUNT(*) FROM orders WHERE order_date = DATE '2026-10-15'"),
    ("revenue may 2025", f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-05-01' AND DATE '2025-05-31'"),
    # "in 2025" after "the most" is a year, not a count
    ("Which Tallinn customer spent the most in 2025?",
     "SELECT c.name, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) "
     f"WHERE {VALID_ORDER} AND c.city = 'Tallinn' AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    ("compare revenue 2025 vs 2024", f"SELECT year(o.order_date), SUM(o.total_amount) FROM orders o "
     f"WHERE {VALID_ORDER} AND year(o.order_date) IN (2024, 2025) GROUP BY 1"),
    # a rate ranked: counted, and ranked by the rate's own column
    ("Which carrier had the highest late rate in 2025?",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) AS r "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    ("which channel has the highest cancellation rate",
     "SELECT channel, AVG(CASE WHEN status = 'cancelled' THEN 1.0 ELSE 0 END) AS r FROM orders GROUP BY 1 "
     "ORDER BY r DESC LIMIT 1"),
    # "how much did we sell to <customers>": the sales to them (was a list of customers signed up then)
    ("hey, quick one - how much did we actually sell to customers in Finland last month?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.country = 'FI' AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("how much did we sell to business customers", f"SELECT SUM(o.total_amount) FROM orders o "
     f"JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND c.segment = 'business'"),
    ("How much revenue this year came from orders worth more than 500?", f"SELECT SUM(o.total_amount) FROM orders o "
     f"WHERE {VALID_ORDER} AND o.total_amount > 500 AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    ("how many parcels did PostNord ship last month", "SELECT COUNT(*) FROM shipments WHERE carrier = 'PostNord' "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("which warehouse is holding the most units in total?", "SELECT warehouse, SUM(quantity_on_hand) AS u "
     "FROM inventory GROUP BY 1 ORDER BY u DESC LIMIT 1"),
    ("By what percent did revenue change in October 2026 compared with September 2026?",
     "SELECT 100.0 * (SUM(o.total_amount) FILTER (WHERE month(o.order_date) = 10) - SUM(o.total_amount) "
     "FILTER (WHERE month(o.order_date) = 9)) / SUM(o.total_amount) FILTER (WHERE month(o.order_date) = 9) "
     f"FROM orders o WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-10-31'"),
    # the share's condition names its own noun ("discounted order lines")
    ("What percentage of 2026 product revenue came from discounted order lines?",
     "SELECT 100.0 * SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent/100)) FILTER (WHERE "
     "oi.discount_percent > 0) / SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent/100)) FROM orders o "
     f"JOIN order_items oi USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-10-31'"),
    ("revenue in 2025, ignore web orders", f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.channel <> 'web' AND year(o.order_date) = 2025"),
    # "excluding" a brand is of the lines: still answered
    ("revenue from customers outside Finland excluding Bosch products",
     "SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent/100)) FROM orders o JOIN order_items oi "
     f"USING (order_id) JOIN products p USING (product_id) JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.country <> 'FI' AND p.brand <> 'Bosch'"),
    # "customers who placed an order": those with one (was every customer)
    ("How many customers who signed up in 2026 have already placed an order?",
     "SELECT COUNT(*) FROM customers WHERE year(signup_date) = 2026 AND customer_id IN (SELECT customer_id FROM orders)"),
    ("customers who placed an order", "SELECT name FROM customers WHERE customer_id IN (SELECT customer_id FROM orders)"),
    ("customers who ordered in 2025", "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) "
     "WHERE year(o.order_date) = 2025"),
    # an average of a column summed by a measure is the column's average, one row each
    ("average quantity per order line", "SELECT AVG(quantity) FROM order_items"),
    # the plural of a product's name of several words is that product
    ("how many Philips Heat Pumps do we have in stock", "SELECT SUM(i.quantity_on_hand) FROM inventory i "
     "JOIN products p USING (product_id) WHERE p.name = 'Philips Heat Pump'"),
    # "Finnish cities": the cities of that country grouped, not a city named "Finnish"
    ("top three Finnish citties by sales in 2025", "SELECT c.city, SUM(o.total_amount) AS r FROM orders o "
     f"JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND year(o.order_date) = 2025 AND c.country = 'FI' "
     "GROUP BY 1 ORDER BY r DESC LIMIT 3"),
])
def test_composed_question_answers_the_gold(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, same_as", [
    ("stock across warehouses", "stock by warehouse"),   # no "total": "across" still splits
    ("average quantity per order", "average units per order"),   # per order: the orders' units averaged
    # a slip equally near two words: the one that makes a phrase with its neighbour ("running low")
    ("how many SKUs are runing low on stock", "how many SKUs are running low on stock"),
    # a purpose said beside the ranking it fits (layer purposes: discontinue)
    ("we want to cut the range - which 5 active products sold the fewest units this year?",
     "which 5 active products sold the fewest units this year?"),
    ("which brand has the highest share of revenue", "top 1 brand by revenue"),  # ranked by the share
    ("which brand has the highest revenue share", "top 1 brand by revenue"),     # each brand's, not summed
])
def test_composed_question_answers_like_another(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


@pytest.mark.parametrize("question, unplaced", [
    ("revenue at list price", "at list price"),   # a valuation with nothing valued is not dropped
    ("Which physical store sold the most in 2025?", "is a channel"),  # one value is not a list to choose from
    # (customers who never bought a brand: answered, see test_copilot_wording.py)
    ("we want to cut the range - which 5 products sold the most units this year?", "to cut the range"),
])
def test_a_word_that_cannot_be_placed_is_named(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=unplaced):
        parser.parse(question, COPILOT_AS_OF)


def test_a_city_before_a_warehouse_noun_is_still_not_found(parser):
    with pytest.raises(NotFound, match="no warehouse named 'Tallinn'"):
        parser.parse("stock in our Tallinn warehouses", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("On average, how many units are in a delivered order?",
     "SELECT AVG(u) FROM (SELECT o.order_id, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o "
     "USING (order_id) WHERE o.status = 'delivered' GROUP BY 1)"),
    ("average number of units in a delivered order",
     "SELECT AVG(u) FROM (SELECT o.order_id, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o "
     "USING (order_id) WHERE o.status = 'delivered' GROUP BY 1)"),
    ("on average, how much revenue does a web order bring in",
     f"SELECT AVG(o.total_amount) FROM orders o WHERE {VALID_ORDER} AND o.channel = 'web'"),
    ("on average how many order lines does an order placed in 2026 have",
     "SELECT AVG(n) FROM (SELECT o.order_id, COUNT(*) AS n FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1)"),
])
def test_a_figure_of_one_thing_on_average_is_averaged_over_them(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # "one order" is the one thing averaged, as "an order" is; "every order"/"all orders" of that same thing
    # restates which ones are averaged (all of them), and "whatever its status" keeps every status
    ("on average, how many units fit into one order? include every order, whatever its status",
     "SELECT AVG(u) FROM (SELECT order_id, SUM(quantity) AS u FROM order_items GROUP BY 1)"),
    ("counting all 2026 orders regardless of status, how many units sit on an order on average?",
     "SELECT AVG(u) FROM (SELECT o.order_id, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o "
     "USING (order_id) WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1)"),
    ("how many order lines does one order have on average, all orders counted",
     "SELECT AVG(n) FROM (SELECT order_id, COUNT(*) AS n FROM order_items GROUP BY 1)"),
])
def test_one_thing_averaged_over_every_one_of_them(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, unplaced", [
    # "every customer" is not the order averaged: it is not read as a restatement of the orders
    ("on average how many units go into one order? count every customer", "could not place"),
])
def test_every_other_thing_beside_one_averaged_is_not_set_aside(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=unplaced):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, same_as", [
    # "per customer 2025": a figure of each of many customers is no one customer's id; the number is a year
    ("avg revenue per buying customer 2025", "avg revenue per buying customer in 2025"),
    ("average units per order 2025", "average units per order in 2025"),
])
def test_a_year_after_per_thing_is_a_period_not_an_id(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


def test_an_id_after_a_named_thing_stays_an_id(parser):
    assert parser.parse("status of order 2025", COPILOT_AS_OF).form.lookup == {"entity": "order", "id": 2025}


@pytest.mark.parametrize("question, gold", [
    # a superlative right before one period unit asks which one, as "which day had the most orders" does
    ("busiest day last month by number of orders",
     "SELECT o.order_date, COUNT(*) AS n FROM orders o WHERE o.order_date BETWEEN DATE '2026-10-01' "
     "AND DATE '2026-10-31' GROUP BY 1 ORDER BY n DESC LIMIT 1"),
    ("best month of 2025 by revenue",
     f"SELECT DATE_TRUNC('month', o.order_date) AS m, SUM(o.total_amount) AS r FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 ORDER BY r DESC LIMIT 1"),
])
def test_a_superlative_before_a_period_unit_ranks_the_periods(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


IN_2025 = "o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"
LINE_REVENUE = "SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100))"


@pytest.mark.parametrize("question, gold", [
    # "single" / "individual" only stresses that one row of the ranking is meant
    ("what is the single largest order in 2025", f"SELECT order_id FROM orders o WHERE {IN_2025} "
     "ORDER BY total_amount DESC LIMIT 1"),
    ("biggest individual order ever", "SELECT order_id FROM orders ORDER BY total_amount DESC LIMIT 1"),
    ("what is the single most expensive product", "SELECT name FROM products ORDER BY unit_price DESC LIMIT 1"),
    # an exclusion said after "the most orders" filters the orders counted; the noun stays the ranked thing
    ("which customer placed the most orders (excluding cancelled) in 2025",
     f"SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE o.status <> 'cancelled' "
     f"AND {IN_2025} GROUP BY c.customer_id, c.name ORDER BY 2 DESC, 1 LIMIT 1"),
    # an entity's noun before a dimension of its own table: that dimension, not the entity beside it
    ("revenue by customer country in 2025",
     f"SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     f"AND {IN_2025} GROUP BY 1"),
    ("top 3 customer cities by revenue in 2025",
     f"SELECT c.city, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     f"AND {IN_2025} GROUP BY 1 ORDER BY 2 DESC LIMIT 3"),
    # "bring in" before a period is the revenue verb, never the carrier of the same name
    ("how much did the web channel bring in during 2025",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID} AND channel = 'web' AND {IN_2025}"),
    ("what did Sweden bring in last month",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.country = 'SE' AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    # "the priciest product we sell": ranked by price; "we sell" only says which products
    ("the priciest product we sell", "SELECT name FROM products ORDER BY unit_price DESC LIMIT 1"),
    ("what's the cheapest product we sell", "SELECT name FROM products ORDER BY unit_price ASC LIMIT 1"),
    # "how many <product> did we sell": units, not the orders that held them
    ("how many Gustavsberg Cable Reel did we sell in 2025",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND p.name = 'Gustavsberg Cable Reel' AND {IN_2025}"),
    ("how many did we sell in 2025",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} AND {IN_2025}"),
    ("how many orders did we sell in 2025", f"SELECT COUNT(*) FROM orders o WHERE {IN_2025}"),
    # abbreviations the layer lists as synonyms
    ("rev by ch 2025", f"SELECT channel, SUM(total_amount) FROM orders o WHERE {VALID} AND {IN_2025} GROUP BY 1"),
    ("rev by cat 2025",
     f"SELECT p.category, {LINE_REVENUE} FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND {IN_2025} GROUP BY 1"),
    ("orders by ch per qtr in 2025",
     f"SELECT YEAR(order_date), QUARTER(order_date), channel, COUNT(*) FROM orders o WHERE {IN_2025} GROUP BY 1, 2, 3"),
])
def test_first_questions_read_as_meant(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # the carrier's name after a preposition or written capitalized stays the carrier, period or not (late
    # shipments of a period are counted, as the orders of a period are)
    ("late shipments with bring in 2025",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'Bring' AND delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("Bring in 2025: late deliveries",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'Bring' AND delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # a lower-case value right after an auxiliary is the subject, not a verb
    ("how many orders did web have in 2025", f"SELECT COUNT(*) FROM orders o WHERE channel = 'web' AND {IN_2025}"),
])
def test_carrier_name_kept_where_it_is_a_name(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, unplaced", [
    # "single" away from a ranking is no function word: "exactly one order" must not become "an order"
    ("customers with a single order", "single"),
    # a lake value used as a verb after its subject ("did Norway bring"): refused, never the carrier Bring
    ("how much did Norway bring last month", "bring"),
    ("what did we bring last year", "compute or list"),
])
def test_single_elsewhere_is_refused(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=unplaced):
        parser.parse(question, COPILOT_AS_OF)


def test_how_many_sold_after_a_list_is_still_refused(parser):
    # as a follow-up an unnamed count of another kind keeps its refusal (the rows of which would be a guess)
    form = parser.parse("the priciest product", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood, match="what to count"):
        parser.parse("how many were cancelled last year?", COPILOT_AS_OF, form)
    # "how many did we sell" after the one product ranked is its units sold, as "how many of it did we sell" (the
    # dev37 writer's reading; was refused here)
    sql = parser.parse("how many did we sell last year?", COPILOT_AS_OF, form).sql
    assert "SUM(oi.quantity)" in sql and "previous_rows" in sql


STOCK = ("(SELECT p.product_id, p.name, p.category, p.brand, p.active, SUM(i.quantity_on_hand) AS stock, "
         "SUM(i.reorder_level) AS reorder FROM products p JOIN inventory i USING (product_id) GROUP BY ALL)")


@pytest.mark.parametrize("question, gold", [
    # "below" the reorder level is strictly below; "at or below" and "low stock" include the level
    ("how many products are under their reorder level in each warehouse",
     "SELECT warehouse, COUNT(*) FROM inventory WHERE quantity_on_hand < reorder_level GROUP BY 1"),
    ("number of products at or below their reorder level per warehouse",
     "SELECT warehouse, COUNT(*) FROM inventory WHERE quantity_on_hand <= reorder_level GROUP BY 1"),
    ("products below their reorder point", f"SELECT name FROM {STOCK} WHERE stock < reorder"),
    ("how many low stock products", f"SELECT COUNT(*) FROM {STOCK} WHERE stock <= reorder"),
    # selling names the glossary's sales: line figures of sold lines leave cancelled and returned orders out
    ("average discount of sold lines by brand",
     "SELECT p.brand, AVG(oi.discount_percent) FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID} GROUP BY 1"),
    ("average discount by brand",
     "SELECT p.brand, AVG(oi.discount_percent) FROM order_items oi JOIN products p USING (product_id) GROUP BY 1"),
    # a list filtered on one of its own dates shows that date
    ("which customers signed up between 2025-02-01 and 2025-03-15",
     "SELECT name, signup_date FROM customers WHERE signup_date BETWEEN DATE '2025-02-01' AND DATE '2025-03-15'"),
    # stock beside sales figures: one figure per product, shown with the condition it is about
    ("low-stock products that sold more than 150 units in 2026",
     f"SELECT name, stock FROM {STOCK} WHERE stock <= reorder AND name IN (SELECT p.name FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND year(o.order_date) = 2026 "
     "GROUP BY p.product_id, p.name HAVING SUM(oi.quantity) > 150)"),
    ("the 3 low stock products with the highest revenue in 2025",
     f"SELECT s.name, s.stock, {LINE_REVENUE} FROM {STOCK} s JOIN order_items oi USING (product_id) "
     f"JOIN orders o USING (order_id) WHERE s.stock <= s.reorder AND {VALID} AND year(o.order_date) = 2025 "
     "GROUP BY s.product_id, s.name, s.stock ORDER BY 3 DESC LIMIT 3"),
    # "the split of X between A and B": one row per value named, grouped by their dimension
    ("how is 2025 revenue split between web and store",
     f"SELECT o.channel, SUM(o.total_amount) FROM orders o WHERE {VALID} AND o.channel IN ('web', 'store') "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
    ("breakdown of units sold between Kitchen, Garden and Tools",
     "SELECT p.category, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category IN ('Kitchen', 'Garden', 'Tools') GROUP BY 1"),
    # "per ordering customer": the average over the customers with orders in the period
    ("mean number of orders per buying customer in 2026",
     "SELECT COUNT(*) * 1.0 / COUNT(DISTINCT customer_id) FROM orders WHERE year(order_date) = 2026"),
    # lapsed customers: none in the period, some before it
    ("how many customers have not ordered since 1 July 2026 but did order before",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY 1 HAVING MAX(order_date) < DATE '2026-07-01')"),
    # where a named customer lives, and a pronoun for that customer
    ("where does Oskar Tamm live, and what country is she in",
     "SELECT city, country FROM customers WHERE name = 'Oskar Tamm'"),
    ("customers living in Turku", "SELECT name FROM customers WHERE city = 'Turku'"),
    # a dash between months is a range ("Feb–Apr")
    ("revenue growth Feb–Apr 2026 vs Feb–Apr 2025 in percent",
     f"SELECT 100.0 * (SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2026-02-01' AND DATE '2026-04-30') "
     "/ SUM(total_amount) FILTER (WHERE order_date BETWEEN DATE '2025-02-01' AND DATE '2025-04-30') - 1) "
     f"FROM orders o WHERE {VALID}"),
    # a share of a product-side part: the whole is the product lines' revenue too
    ("what percent of 2025 product revenue was Garden",
     f"SELECT 100.0 * SUM({LINE_REVENUE[4:-1]}) FILTER (WHERE p.category = 'Garden') / SUM({LINE_REVENUE[4:-1]}) "
     f"FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025"),
    # "with stock" before a comparator is the stock compared, not "in stock"
    ("products with stock under 3 times their reorder level", f"SELECT name FROM {STOCK} WHERE stock < 3 * reorder"),
    ("products with stock below 40", f"SELECT name, stock FROM {STOCK} WHERE stock < 40"),
    ("Bosch products with stock over 700 units", f"SELECT name, stock FROM {STOCK} WHERE brand = 'Bosch' AND stock > 700"),
    # the measure's own noun before it ("the total value of our stock") is not the order amount
    ("what is the total value of our stock at cost in Kuopio",
     "SELECT SUM(i.quantity_on_hand * p.unit_cost) FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Kuopio'"),
    # "that still have stock on hand": the in-stock condition on the products listed, not a total
    ("Garden products that still have stock on hand", f"SELECT name FROM {STOCK} WHERE category = 'Garden' AND stock > 0"),
    # bought together with a category's or a brand's lines; "other category" leaves the anchor out
    ("which 2 categories are most often bought together with Garden",
     "SELECT p2.category, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 USING (product_id) "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id WHERE p1.category = 'Garden' "
     "AND p2.category <> 'Garden' GROUP BY 1 ORDER BY 2 DESC LIMIT 2"),
    ("what other brand do people put in the same order as Makita products",
     "SELECT p2.brand, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 USING (product_id) "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id WHERE p1.brand = 'Makita' "
     "AND p2.brand <> 'Makita' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    # "with quantities" beside a stock condition: the quantity on hand
    ("the low stock Kitchen products, list them with quantities",
     f"SELECT name, stock FROM {STOCK} WHERE category = 'Kitchen' AND stock <= reorder"),
])
def test_sales_filters_and_stock_beside_sales_answer_like_gold(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, missing", [
    # a name where the question's shape says what it is, and the lake has none of that name
    ("units sold of Zorbex products in 2025", "brand named 'Zorbex'"),
    ("how much did Maija Meikäläinen spend last year", "customer named Maija Meikäläinen"),
    ("how many Makita Teapot units do we have", "product named 'Makita Teapot'"),
    # a code whose prefix names a field ("SKU-...") is a value of that field, not free text: not found
    ("price and stock of SKU-777777", "SKU-777777"),
    ("show SKU-000000 with its stock", "SKU-000000"),
    ("stock level in the Bergen warehouse", "warehouse named 'Bergen'"),
    ("What's the stock in our Narvik warehouse?", "warehouse named 'Narvik'"),
])
def test_a_name_the_lake_does_not_hold_is_not_found(parser, question, missing):
    with pytest.raises(NotFound, match=missing):
        parser.parse(question, AS_OF)


@pytest.mark.parametrize("question", [
    "stock in the Drammen warehouse",
    "revenue of Bosch products in 2025",
    "How much has the Kitchen category sold this year",
])
def test_a_name_the_lake_holds_is_answered(parser, engine, question):
    assert answer(parser, engine, question)


def _two_places(a: str, cond_a: str, b: str, cond_b: str) -> str:
    return (f"SELECT p.name FROM products p JOIN inventory a ON a.product_id = p.product_id AND a.warehouse = '{a}' "
            f"JOIN inventory b ON b.product_id = p.product_id AND b.warehouse = '{b}' WHERE {cond_a} AND {cond_b}")


def _other_place(a: str, cond_a: str, cond_b: str) -> str:
    return (f"SELECT p.name FROM inventory a JOIN products p ON p.product_id = a.product_id WHERE a.warehouse = '{a}' "
            f"AND {cond_a} AND EXISTS (SELECT 1 FROM inventory b WHERE b.product_id = a.product_id "
            f"AND b.warehouse <> '{a}' AND {cond_b})")


# A different stock condition per warehouse (scoped.py): each condition is tested on its own warehouse's stock
# records, a named one, "one ... another" (two different warehouses of the product) or "some other" (any but the
# one named); a sentence beside them that only says the stock is to be moved is set aside (was: refused, the form
# holds one set of warehouses for every condition).
@pytest.mark.parametrize("question, gold", [
    ("which items have no stock in Drammen yet more than 40 units in Jonkoping",
     _two_places("Drammen", "a.quantity_on_hand = 0", "Jonkoping", "b.quantity_on_hand > 40")),
    ("items that are out of stock in one warehouse but hold more than 150 units in another",
     "SELECT DISTINCT p.name FROM inventory a JOIN inventory b ON a.product_id = b.product_id AND a.warehouse <> "
     "b.warehouse JOIN products p ON p.product_id = a.product_id WHERE a.quantity_on_hand = 0 AND b.quantity_on_hand > 150"),
    ("products below their reorder level in Drammen while some other warehouse has more than three times its "
     "reorder level", _other_place("Drammen", "a.quantity_on_hand < a.reorder_level",
                                   "b.quantity_on_hand > 3 * b.reorder_level")),
    ("Which products are below reorder level in Vantaa where Jonkoping is above its reorder level?",
     _two_places("Vantaa", "a.quantity_on_hand < a.reorder_level", "Jonkoping", "b.quantity_on_hand > b.reorder_level")),
    ("Which products could we move from Drammen to Kuopio? Products where Drammen holds more than 3 times its "
     "reorder level while Kuopio is out of stock.",
     _two_places("Drammen", "a.quantity_on_hand > 3 * a.reorder_level", "Kuopio", "b.quantity_on_hand = 0")),
    ("products with no stock in Vantaa that another warehouse still has on hand (to move over)",
     _other_place("Vantaa", "a.quantity_on_hand = 0", "b.quantity_on_hand > 0")),
    ("items below their reorder level in Kuopio but in stock in Drammen",
     _two_places("Kuopio", "a.quantity_on_hand < a.reorder_level", "Drammen", "b.quantity_on_hand > 0")),
    # counted: how many products keep both
    ("how many items have no stock in Drammen yet more than 40 units in Jonkoping",
     f"SELECT COUNT(*) FROM ({_two_places('Drammen', 'a.quantity_on_hand = 0', 'Jonkoping', 'b.quantity_on_hand > 40')})"),
])
def test_a_different_stock_condition_per_warehouse_is_tested_in_each(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)
    reading = parser.parse(question, AS_OF).interpretation
    assert "each condition tested on that warehouse's own stock records" in reading


@pytest.mark.parametrize("question", [
    # a condition beside them that is not of one warehouse's stock: not read per warehouse
    "active products out of stock in Drammen but with more than 40 units in Jonkoping",
    # a bare number beside a warehouse is no stock figure I can tell
    "products with zero at Drammen but more than 40 in Jonkoping",
])
def test_a_different_stock_condition_per_warehouse_not_read_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, AS_OF)


# "above its reorder level" is a condition of its own (strictly above, on the warehouse's own figure when one is
# named); beside the surplus asked it only says what the surplus is over (the layer's restated_by)
@pytest.mark.parametrize("question, gold", [
    ("which items in Drammen are above their reorder level?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Drammen' "
     "AND i.quantity_on_hand > i.reorder_level"),
    ("how many spare units does the Jonkoping warehouse have above its reorder level",
     "SELECT SUM(quantity_on_hand) - SUM(reorder_level) FROM inventory WHERE warehouse = 'Jonkoping'"),
])
def test_above_the_reorder_level(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_condition_per_warehouse_is_not_changed_in_a_follow_up(parser):
    first = parser.parse("items with no stock in Kuopio but over 60 units in Drammen", AS_OF)
    with pytest.raises(NotUnderstood, match="different condition per warehouse"):
        parser.parse("and in Vantaa?", AS_OF, first.form)


@pytest.mark.parametrize("question, gold", [
    # compared values with another grouping: one row per group, one column per value
    ("Finland versus Sweden: number of customers in each segment, next to each other",
     "SELECT segment, COUNT(*) FILTER (WHERE country = 'FI'), COUNT(*) FILTER (WHERE country = 'SE') "
     "FROM customers WHERE country IN ('FI', 'SE') GROUP BY 1"),
    ("b2b vs web revenue by month in 2025",
     "SELECT date_trunc('month', order_date), SUM(total_amount) FILTER (WHERE channel = 'b2b'), "
     "SUM(total_amount) FILTER (WHERE channel = 'web') FROM orders WHERE " + VALID_ORDER.replace("o.", "")
     + " AND channel IN ('b2b', 'web') AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("paid vs pending orders for every channel",
     "SELECT channel, COUNT(*) FILTER (WHERE status = 'paid'), COUNT(*) FILTER (WHERE status = 'pending') "
     "FROM orders WHERE status IN ('paid', 'pending') GROUP BY 1"),
    # no other grouping: the values are the rows
    ("web vs store orders in 2025",
     "SELECT channel, COUNT(*) FROM orders WHERE channel IN ('web', 'store') AND order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    # the verb after an auxiliary and its subject is not the carrier
    ("How much revenue did consumer customers bring via the web channel last year?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.segment = 'consumer' AND o.channel = 'web' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31'"),
    ("how many shipments did Bring deliver in 2025",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'Bring' AND delivered_at IS NOT NULL AND "
     "shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01'"),
    # summed over the places
    ("how many units of the Bosch products are in our warehouses combined",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.brand = 'Bosch'"),
    # a share of all customers, the part those with such an order
    ("what percent of customers have a cancelled order?",
     "SELECT 100.0 * COUNT(DISTINCT o.customer_id) FILTER (WHERE o.status = 'cancelled') / "
     "(SELECT COUNT(*) FROM customers) FROM orders o"),
    ("share of business customers who have ordered through the store channel",
     "SELECT COUNT(DISTINCT c.customer_id) FILTER (WHERE c.customer_id IN (SELECT customer_id FROM orders "
     "WHERE channel = 'store')) * 1.0 / COUNT(*) FROM customers c WHERE c.segment = 'business'"),
    ("Which is our largest customer by number of orders?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) GROUP BY c.customer_id, c.name "
     "ORDER BY COUNT(*) DESC, c.name LIMIT 1"),
    ("who is the biggest customer by revenue in 2025?",
     f"SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND o.order_date "
     "BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, c.name "
     "ORDER BY SUM(o.total_amount) DESC LIMIT 1"),
    ("When did customer 15 register?", "SELECT signup_date FROM customers WHERE customer_id = 15"),
    ("How many consumer customers ordered in 2024 but haven't ordered in 2025?",
     "SELECT COUNT(*) FROM customers c WHERE c.segment = 'consumer' AND EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND year(o.order_date) = 2024) AND NOT EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND year(o.order_date) = 2025)"),
    ("order count growth in Q2 2026 over Q1 2026 in percent",
     "SELECT 100.0 * (COUNT(*) FILTER (WHERE quarter(order_date) = 2) - COUNT(*) FILTER (WHERE quarter(order_date) "
     "= 1)) / COUNT(*) FILTER (WHERE quarter(order_date) = 1) FROM orders WHERE year(order_date) = 2026"),
    ("How many customers brought in over 3000 euros of revenue?",
     f"SELECT COUNT(*) FROM (SELECT o.customer_id FROM orders o WHERE {VALID_ORDER} GROUP BY 1 "
     "HAVING SUM(o.total_amount) > 3000)"),
    ("number of orders and revenue per channel in 2025",
     f"SELECT channel, COUNT(*), SUM(total_amount) FILTER (WHERE {VALID_ORDER.replace('o.', '')}) FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("orders from 1 March to 15 April 2026 compared with the same period of 2025",
     "SELECT make_date(year(order_date), 3, 1), COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-03-01' "
     "AND DATE '2026-04-15' OR order_date BETWEEN DATE '2025-03-01' AND DATE '2025-04-15' GROUP BY 1"),
])
def test_general_mix(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    # an amount the lake does not hold: never the count of the orders
    "How much money did we refund on cancelled orders last year?",
    "how much money was given back for returned orders in 2026?",
    # a lake value as a verb with no amount named: still refused, never the carrier
    "how much did the business customers bring last month?",
])
def test_money_without_an_amount_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_a_compared_value_after_a_ranking_stays_a_row(parser):
    sql = parser.parse("top 3 categories by revenue, web vs store", COPILOT_AS_OF).sql
    assert "FILTER(WHERE o.channel" not in sql


STOCK_ON_HAND = "(SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY 1)"


@pytest.mark.parametrize("question, gold", [
    ("revenue over the first three months of 2026",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31'"),
    ("number of orders in the first 5 months of last year",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-05-31'"),
    # the same days named twice
    ("units sold in the first four months of 2026, January to April",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-04-30'"),
    ("orders in Q2 2026, April through June",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
    # a run of months with no year ends in the last month's own year (was: January 2026 to December 2025, backwards),
    # so a year said before it names the same days
    ("units sold per month in 2025, from January to December",
     "SELECT date_trunc('month', o.order_date) AS m, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("number of orders January through December",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("orders from November to February",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2025-11-01' AND DATE '2026-02-28'"),
])
def test_first_months_and_a_period_said_twice(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_two_different_periods_stay_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("orders in Q2 2026, April through July", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("how many products have no units on hand?",
     f"SELECT COUNT(*) FROM {STOCK_ON_HAND} s WHERE s.stock = 0"),
    ("count the products with zero units in stock in at least one warehouse",
     "SELECT COUNT(DISTINCT product_id) FROM inventory WHERE quantity_on_hand = 0"),
])
def test_zero_units_on_hand_is_out_of_stock(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_bracket_restating_together(parser, engine):
    name = engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0]
    assert_answers_like(
        parser, engine, f"top 4 products bought together with the {name} (in the same basket)",
        "SELECT p2.name, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 ON p1.product_id = "
        "a.product_id JOIN order_items b ON a.order_id = b.order_id AND b.product_id <> a.product_id JOIN products p2 "
        f"ON p2.product_id = b.product_id WHERE p1.name = '{name}' GROUP BY 1 ORDER BY n DESC LIMIT 4")


def test_same_order_elsewhere_stays_unplaced(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which orders have the same order date as order 12", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("products with a margin under 20%. They likely need a pricing review",
     "SELECT name FROM products WHERE (unit_price - unit_cost) / unit_price < 0.20"),
    ("inactive products with stock that we should clear",
     f"SELECT p.name FROM products p JOIN {STOCK_ON_HAND} s USING (product_id) WHERE NOT p.active AND s.stock > 0"),
    ("consumer customers we should call: those who ordered before but not since 1 August 2026",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id, c.name HAVING MAX(o.order_date) < DATE '2026-08-01'"),
])
def test_plans_said_with_the_question(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # "from <day> onwards": that day to date
    ("orders from Sept 14 onwards",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-09-14' AND DATE '2026-11-01'"),
    ("revenue from 2 March 2026 on",
     f"SELECT SUM(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-03-02' AND DATE '2026-11-01'"),
    # the first days or weeks of a month; a bracket naming the same days again
    ("units sold in the first three weeks of September",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-21'"),
    ("number of orders in the first 7 days of August 2026 (1st-7th)",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-07'"),
])
def test_onwards_and_first_days(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_other_days_in_the_bracket_stay_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("number of orders in the first 7 days of August 2026 (1st-9th)", COPILOT_AS_OF)


def test_a_customers_order_ids_in_a_period_are_of_their_orders(parser, engine):
    name = engine.execute("SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY 1 "
                          "ORDER BY COUNT(*) DESC LIMIT 1").rows[0][0]
    assert_answers_like(parser, engine, f"{name}'s order ids in 2025",
                        "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) "
                        f"WHERE c.name = '{name}' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'")


@pytest.mark.parametrize("question, gold", [
    # the same days of the period named, one year earlier (not the whole of last year)
    ("units sold so far this year vs the same period last year",
     "SELECT YEAR(o.order_date), SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND (o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "OR o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-10-31') GROUP BY 1"),
    # 'stock count' is the stock
    ("stock count per warehouse",
     "SELECT warehouse, SUM(quantity_on_hand) FROM inventory GROUP BY 1"),
])
def test_same_period_last_year_and_stock_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_same_period_last_year_without_a_period_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("orders vs the same period last year", COPILOT_AS_OF)


def test_the_most_stock_above_the_reorder_level_is_the_surplus(parser, engine):
    assert_answers_like(
        parser, engine, "which warehouse holds the most Garden stock above reorder levels?",
        "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
        "GROUP BY 1 ORDER BY SUM(i.quantity_on_hand - i.reorder_level) DESC LIMIT 1")


def test_stock_above_the_reorder_level_as_a_condition_is_not_the_surplus(parser):
    try:
        result = parser.parse("products with stock above reorder level", COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert "reorder_level) AS surplus" not in result.sql


# '<condition> in <warehouse> but in stock / available / stock in some/any other warehouse(s)': the second
# condition is stock held in the warehouses other than the named one (together: the same as in some one of
# them); another condition there ('out of stock in another warehouse') is held in some one other warehouse, each
# tested on that warehouse's own stock records (scoped.py; was: refused as one other or all others)
@pytest.mark.parametrize(("question", "gold"), [
    ("which items have no stock in Drammen but are available in any other warehouse",
     "SELECT p.name FROM products p WHERE p.product_id IN (SELECT product_id FROM inventory WHERE warehouse = "
     "'Drammen' GROUP BY 1 HAVING SUM(quantity_on_hand) = 0) AND p.product_id IN (SELECT product_id FROM "
     "inventory WHERE warehouse <> 'Drammen' GROUP BY 1 HAVING SUM(quantity_on_hand) > 0)"),
    ("how many products are below their reorder level in Vantaa but in stock in another warehouse",
     "SELECT COUNT(*) FROM products p WHERE p.product_id IN (SELECT product_id FROM inventory WHERE warehouse = "
     "'Vantaa' GROUP BY 1 HAVING SUM(quantity_on_hand) < SUM(reorder_level)) AND p.product_id IN (SELECT "
     "product_id FROM inventory WHERE warehouse <> 'Vantaa' GROUP BY 1 HAVING SUM(quantity_on_hand) > 0)"),
    ("products at zero stock in Kuopio but stock in the other warehouses",
     "SELECT p.name FROM products p WHERE p.product_id IN (SELECT product_id FROM inventory WHERE warehouse = "
     "'Kuopio' GROUP BY 1 HAVING SUM(quantity_on_hand) = 0) AND p.product_id IN (SELECT product_id FROM "
     "inventory WHERE warehouse <> 'Kuopio' GROUP BY 1 HAVING SUM(quantity_on_hand) > 0)"),
    ("products in stock in Drammen but out of stock in another warehouse",
     "SELECT p.name FROM products p WHERE p.product_id IN (SELECT product_id FROM inventory WHERE warehouse = "
     "'Drammen' GROUP BY 1 HAVING SUM(quantity_on_hand) > 0) AND EXISTS (SELECT 1 FROM inventory o WHERE "
     "o.product_id = p.product_id AND o.warehouse <> 'Drammen' AND o.quantity_on_hand = 0)"),
])
def test_in_stock_in_the_other_warehouses(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "products below reorder level in Kuopio and in another warehouse",  # no condition of its own for the other
])
def test_other_warehouse_conditions_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# "orders with both a X and a Y": every one of the name texts on lines of the same order (an all-of); "both"
# says that reading and is placed by it
@pytest.mark.parametrize("question, gold", [
    ("how many orders held both a wheelbarrow and a garden hose?",
     "SELECT COUNT(*) FROM (SELECT oi.order_id FROM order_items oi JOIN products p USING (product_id) GROUP BY 1 "
     "HAVING BOOL_OR(p.name ILIKE '%wheelbarrow%') AND BOOL_OR(p.name ILIKE '%garden hose%'))"),
])
def test_both_texts_on_one_order(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# stock conditions said of the listed products (dev22): "what category are they in" asks each one's category (was a
# count per category); a second figure joined by "and" to one shown beside is shown too (was one total); units
# held "in at least one warehouse" is stock above 0 (was the low-stock condition tested per warehouse, or the
# stock total of every warehouse)
@pytest.mark.parametrize("question, gold", [
    ("Which active products are low on stock, and what category are they in?",
     f"SELECT name, category FROM {STOCK} WHERE active AND stock <= reorder"),
    ("low stock items in Kitchen or Garden with their total stock and total reorder level",
     f"SELECT name, stock, reorder FROM {STOCK} WHERE category IN ('Kitchen', 'Garden') AND stock <= reorder"),
    ("Which products are low on stock overall but still have units in at least one warehouse?",
     f"SELECT name FROM {STOCK} WHERE stock <= reorder AND stock > 0"),
    ("products with stock in at least one warehouse", f"SELECT name FROM {STOCK} WHERE stock > 0"),
])
def test_stock_conditions_of_listed_products(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# orders with no line of a product value: none of the order's lines has it (was: products of other brands counted)
@pytest.mark.parametrize("question, gold", [
    ("How many 2026 orders contained Makita products but no Bosch products?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o WHERE year(o.order_date) = 2026 AND EXISTS (SELECT 1 FROM "
     "order_items oi JOIN products p USING (product_id) WHERE oi.order_id = o.order_id AND p.brand = 'Makita') "
     "AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN products p USING (product_id) "
     "WHERE oi.order_id = o.order_id AND p.brand = 'Bosch')"),
    ("how many orders in 2026 had no Garden products",
     "SELECT COUNT(*) FROM orders o WHERE year(o.order_date) = 2026 AND NOT EXISTS (SELECT 1 FROM order_items oi "
     "JOIN products p USING (product_id) WHERE oi.order_id = o.order_id AND p.category = 'Garden')"),
])
def test_orders_without_a_product_value_have_no_such_line(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a number after the discounted lines' condition bounds the discount itself ("with a discount of 15% or more",
# "discounted by 20%"; was refused), and "some item" before a line's condition is that line
@pytest.mark.parametrize("question, gold", [
    ("For 2026, how many orders per channel had some item with a discount of 15% or more?",
     "SELECT o.channel, COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) "
     "WHERE year(o.order_date) = 2026 AND oi.discount_percent >= 15 GROUP BY 1"),
    ("How many orders in the last 30 days had at least one item discounted by 20%?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) "
     "WHERE oi.discount_percent = 20 AND o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31'"),
    ("how many orders had a line with a discount above 15% in 2026",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) "
     "WHERE oi.discount_percent > 15 AND year(o.order_date) = 2026"),
])
def test_a_number_after_the_discount_condition_bounds_the_discount(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "ordered this year but no orders after June 30": the later period is the tail of the earlier one, so the customers
# ordered before the tail and not in it (was refused as two periods)
@pytest.mark.parametrize("question, gold", [
    ("How many customers ordered this year but have had no orders after June 30, 2026?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id "
     "HAVING MAX(order_date) BETWEEN DATE '2026-01-01' AND DATE '2026-06-30')"),
])
def test_no_orders_in_the_tail_of_the_period_ordered_in(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# stock records ("warehouse positions") counted with a stock condition: each record (a product in one warehouse)
# tested on its own (was: the records of products out of stock over all warehouses); a bracket restating a stock
# value's formula in other words ("unit price x units on hand") names the same figure
@pytest.mark.parametrize("question, gold", [
    ("Which brand has the most warehouse positions with zero units on hand?",
     "SELECT p.brand, COUNT(*) AS n FROM inventory i JOIN products p USING (product_id) WHERE i.quantity_on_hand = 0 "
     "GROUP BY 1 ORDER BY n DESC LIMIT 1"),
    ("how many stock records are below their reorder level",
     "SELECT COUNT(*) FROM inventory WHERE quantity_on_hand < reorder_level"),
    ("top 5 active products by stock value at list price (unit price x units on hand)",
     f"SELECT s.name, s.stock * p.unit_price AS v FROM {STOCK} s JOIN products p USING (product_id) WHERE s.active "
     "ORDER BY v DESC LIMIT 5"),
])
def test_stock_records_counted_and_a_restated_value(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a count after "with their" is each listed thing's count beside it (was: one count of all their orders); with a
# figure beside it, each over its own rows (the count of any status, the revenue of orders that count as sales);
# every customer in Oslo listed, one with no order in 2025 at 0 (was: joined inner, those silently left out)
OSLO_2025_OUTER = ("FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.order_date "
                   "BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' WHERE c.city = 'Oslo' GROUP BY c.customer_id, c.name")


@pytest.mark.parametrize("question, gold", [
    ("customers in Oslo with their number of orders in 2025",
     f"SELECT c.name, COUNT(o.order_id) {OSLO_2025_OUTER}"),
    ("customers in Oslo with their revenue and number of orders in 2025",
     "SELECT c.name, COUNT(o.order_id), COALESCE(SUM(o.total_amount) FILTER (WHERE o.status NOT IN "
     f"('cancelled', 'returned')), 0) {OSLO_2025_OUTER}"),
    ("customers in Oslo with their number of orders and revenue in 2025",
     "SELECT c.name, COUNT(o.order_id), COALESCE(SUM(o.total_amount) FILTER (WHERE o.status NOT IN "
     f"('cancelled', 'returned')), 0) {OSLO_2025_OUTER}"),
])
def test_a_count_with_their_is_per_listed_thing(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "buy in" after "only" is the way they buy ("only buy in store"), not the buy-in price (was: every store customer
# listed with the unit cost of each product they bought); "to buy in" and "buy-in price" still name the cost
@pytest.mark.parametrize("question, gold", [
    ("customers who only buy in store",
     "SELECT name FROM customers WHERE customer_id IN (SELECT customer_id FROM orders GROUP BY 1 "
     "HAVING BOOL_AND(channel = 'store'))"),
    ("Which product costs us the most to buy in?", "SELECT name FROM products ORDER BY unit_cost DESC LIMIT 1"),
    ("buy-in price of product 12", "SELECT name, unit_cost FROM products WHERE product_id = 12"),
])
def test_buy_in_is_a_way_of_buying_after_only(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a bound on a figure of each order's shipment (one to one with the order) picks the orders, counted per group (was:
# the channels whose average delivery time passed the bound); products listed with their warehouse under a stock
# condition are the warehouses where it holds (was: every warehouse of a product below it over all warehouses)
@pytest.mark.parametrize("question, gold", [
    ("orders that shipped in more than 2 days by channel",
     "SELECT o.channel, COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE s.delivered_at > s.shipped_at + INTERVAL 2 DAY GROUP BY 1"),
    ("carriers with an average delivery time over 3 days",
     "SELECT carrier FROM shipments WHERE delivered_at IS NOT NULL GROUP BY 1 "
     "HAVING AVG(date_diff('second', shipped_at, delivered_at)) > 3 * 86400"),
    ("list products below reorder level with their warehouse",
     "SELECT p.name, i.warehouse FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level"),
])
def test_row_bounds_of_a_partner_and_warehouses_listed(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a share of things at a stock condition in a named warehouse is of that warehouse's stock (was: of all warehouses');
# bare "lines" / "warehouse lines" beside a warehouse or stock condition and nothing of sales are stock records (was:
# order lines, counted through every sale)
@pytest.mark.parametrize("question, gold", [
    ("What percent of Drammen's product lines are at zero stock?",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE quantity_on_hand = 0) / COUNT(*) FROM inventory WHERE warehouse = 'Drammen'"),
    ("how many Makita lines in Kuopio are under the reorder level",
     "SELECT COUNT(*) FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND p.brand = 'Makita' AND i.quantity_on_hand < i.reorder_level"),
    ("which category has the most warehouse lines below reorder level?",
     "SELECT p.category, COUNT(*) AS n FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level GROUP BY 1 ORDER BY n DESC LIMIT 1"),
])
def test_stock_conditions_of_a_named_warehouse_and_stock_lines(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "low stock products and how many units each sold this year": the figure of each listed one, shown beside it as
# "with their units sold" (was: refused, 'each' not placed)
def test_how_many_each_of_the_listed_ones(parser, engine):
    assert_answers_like(parser, engine, "low stock products and how many units each sold this year",
                        "SELECT p.name, SUM(oi.quantity) FROM products p JOIN order_items oi USING (product_id) "
                        "JOIN orders o USING (order_id) WHERE o.status NOT IN ('cancelled', 'returned') "
                        "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' AND p.product_id IN "
                        "(SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) <= SUM(reorder_level)) "
                        "GROUP BY p.product_id, p.name")


@pytest.mark.parametrize("question, gold", [
    # two months apart joined by "and", asked side by side, one row per month: one row each (was: every month
    # between them summed)
    ("Show revenue for January 2026 and March 2026 side by side, one row per month",
     f"SELECT DATE_TRUNC('month', o.order_date), SUM(o.total_amount) FROM orders o WHERE {VALID} AND "
     "(o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-01-31' OR "
     "o.order_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31') GROUP BY 1"),
    # with no rows said and no grouping, side by side is one row, each period's figure a column
    ("Show revenue for January 2026 and March 2026 side by side",
     f"SELECT SUM(o.total_amount) FILTER (WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-01-31'), "
     "SUM(o.total_amount) FILTER (WHERE o.order_date BETWEEN DATE '2026-03-01' AND DATE '2026-03-31') "
     f"FROM orders o WHERE {VALID}"),
    ("how many units did we sell in Q3 2026 compared with Q3 2025, side by side please",
     f"SELECT SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'), "
     "SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2025-07-01' AND DATE '2025-09-30') "
     f"FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID}"),
])
def test_two_periods_joined_by_and_side_by_side(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # years listed one after another beside "per year": the rows of each over them all (was: refused, two periods)
    ("Revenue per year (2024, 2025 and 2026 so far)",
     f"SELECT year(o.order_date), SUM(o.total_amount) FROM orders o WHERE {VALID} "
     "AND o.order_date BETWEEN DATE '2024-01-01' AND DATE '2026-10-31' GROUP BY 1"),
])
def test_listed_units_of_the_grain_are_its_rows(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "top 20 sellers this year": the sellers are the products ranked (was: refused on 'sellers'); "are any of our top N
# ... at or below their reorder level?" is the condition within the ranking, its figures shown (was: the condition
# first, then a top N of those)
@pytest.mark.parametrize("question, gold", [
    ("top 5 sellers by revenue last month",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND o.order_date "
     "BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY p.product_id, p.name ORDER BY r DESC LIMIT 5"),
    ("Are any of our top 20 sellers this year (units) at or below their reorder level?",
     "SELECT t.name, t.stock FROM (SELECT p.name, s.stock, s.reorder FROM products p JOIN (SELECT oi.product_id, "
     "SUM(oi.quantity) AS units FROM order_items oi JOIN orders o USING (order_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1) u "
     "USING (product_id) JOIN (SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder "
     "FROM inventory GROUP BY 1) s USING (product_id) ORDER BY u.units DESC LIMIT 20) t WHERE t.stock <= t.reorder"),
])
def test_top_sellers_and_a_condition_asked_of_them(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "took five days or longer": a number and its unit before a trailing comparator bound the duration, as "at least
# five days" (was: the number and 'longer' unplaced, the question refused)
@pytest.mark.parametrize("question, gold", [
    ("How many deliveries took five days or longer in 2025?",
     "SELECT COUNT(*) FROM shipments s WHERE year(s.shipped_at) = 2025 "
     "AND s.delivered_at >= s.shipped_at + INTERVAL 5 DAY"),
    ("How many deliveries took 2 days or more in 2026?",
     "SELECT COUNT(*) FROM shipments s WHERE s.shipped_at >= DATE '2026-01-01' AND s.shipped_at < DATE '2026-11-01' "
     "AND s.delivered_at >= s.shipped_at + INTERVAL 2 DAY"),
])
def test_number_and_unit_before_a_trailing_comparator(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "order lines of last year's orders": the rows asked about belong to the things named with the period, so the period
# is on those things' date (was: 'orders' unplaced, the question refused)
@pytest.mark.parametrize("question, gold", [
    ("average discount percent across all order lines of last year's orders, whatever their status",
     "SELECT AVG(oi.discount_percent) FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE year(o.order_date) = 2025"),
    ("average discount on order lines of orders from 2025",
     "SELECT AVG(oi.discount_percent) FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE year(o.order_date) = 2025"),
])
def test_period_of_the_things_the_rows_belong_to(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "ordered before but not at all in 2026": "at all" only stresses the "not" of the ordering (was: refused on 'not')
@pytest.mark.parametrize("question, gold", [
    ("How many customers have ordered before but not at all in 2026?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE order_date <= DATE '2026-10-31' "
     "GROUP BY customer_id HAVING MAX(order_date) < DATE '2026-01-01')"),
])
def test_ordered_before_but_not_at_all(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a ranking of products "we have" (a holding phrase, nothing sold) is by stock, and "in the warehouses overall" sums
# them (was: units sold / the warehouses ranked); a share of products under a stock condition said of a warehouse
# tests it there (was: on the stock of all warehouses together)
@pytest.mark.parametrize("question, gold", [
    ("Which product do we have the most of in the warehouses overall?",
     "SELECT p.name, SUM(i.quantity_on_hand) s FROM inventory i JOIN products p USING (product_id) "
     "GROUP BY p.product_id, p.name ORDER BY s DESC LIMIT 1"),
    ("which 6 products do we have the least of",  # four hold none: six leave no tie at the cut (three would)
     "SELECT p.name, SUM(i.quantity_on_hand) s FROM inventory i JOIN products p USING (product_id) "
     "GROUP BY p.product_id, p.name ORDER BY s LIMIT 6"),
    ("what percent of our products are out of stock in at least one warehouse?",
     "SELECT 100.0 * COUNT(DISTINCT product_id) FILTER (WHERE quantity_on_hand = 0) / COUNT(DISTINCT product_id) "
     "FROM inventory"),
    ("share of products below reorder level in Kuopio",
     "SELECT AVG(CASE WHEN quantity_on_hand < reorder_level THEN 1.0 ELSE 0 END) FROM inventory "
     "WHERE warehouse = 'Kuopio'"),
])
def test_products_we_have_rank_by_stock_and_stock_shares_are_tested_where_said(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# two periods compared per group and asked "side by side" / "next to" put each period in a column, one row per group
# (was: one row per group and period)
@pytest.mark.parametrize("question, gold", [
    ("revenue per country, Q2 2026 vs Q3 2026 side by side",
     "SELECT c.country, SUM(o.total_amount) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'), "
     "SUM(o.total_amount) FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') "
     "FROM orders o JOIN customers c USING (customer_id) WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-09-30' GROUP BY c.country"),
    ("units sold by category, 2024 next to 2025",
     "SELECT p.category, SUM(oi.quantity) FILTER (WHERE year(o.order_date) = 2024), "
     "SUM(oi.quantity) FILTER (WHERE year(o.order_date) = 2025) FROM orders o JOIN order_items oi USING (order_id) "
     "JOIN products p USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND year(o.order_date) IN (2024, 2025) GROUP BY p.category"),
])
def test_periods_side_by_side_per_group_are_columns(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "with the number of orders each has placed" is each one's count, as "with their number" is, and "(zero included)"
# in brackets keeps those with none (was: 'each' refused; the bracket set aside as an aside)
@pytest.mark.parametrize("question, gold", [
    ("List our Danish customers with the number of orders each has placed (zero included)",
     "SELECT c.name, COUNT(DISTINCT o.order_id) FROM customers c LEFT JOIN orders o USING (customer_id) "
     "WHERE c.country = 'DK' GROUP BY c.customer_id, c.name"),
    # (every one listed, one with none at 0: a list with a figure beside each row drops no row)
    ("business customers in Oslo with the number of orders each",
     "SELECT c.name, COUNT(o.order_id) FROM customers c LEFT JOIN orders o USING (customer_id) "
     "WHERE c.segment = 'business' AND c.city = 'Oslo' GROUP BY c.customer_id, c.name"),
])
def test_count_each_has_beside_each_one(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a share of stock records (a product in a warehouse: its key is no row's own) counts rows, as their count does
# (was: the products counted, 35% for 11.9%); "warehouse stock lines (product x warehouse)" names them
@pytest.mark.parametrize("question, gold", [
    ("What percent of stock records are at zero?",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE quantity_on_hand = 0) / COUNT(*) FROM inventory"),
    ("What percent of our warehouse stock lines (product x warehouse) are at zero?",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE quantity_on_hand = 0) / COUNT(*) FROM inventory"),
])
def test_share_of_stock_records_counts_rows(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "which products have total stock over 4 times their reorder level": a total compared right after it is each one's
# own figure, bounded, not one figure over them all (was: one grand total of stock over the products found)
@pytest.mark.parametrize("question, gold", [
    ("Which products have a total stock of more than 7 times their total reorder level?",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) > 7 * SUM(i.reorder_level)"),
    ("list products whose total stock is at least 8 times their reorder level",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) >= 8 * SUM(i.reorder_level)"),
])
def test_a_total_compared_is_each_ones_own(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "orders that contained copper pipes": a kind of product said without its brand right after the verb is what the
# orders hold (was: refused, 'contained' not placed); with a number before it the count is left to refuse
@pytest.mark.parametrize("question, gold", [
    ("how many orders in 2025 included cordless drills of any brand?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     "USING (product_id) WHERE p.name ILIKE '%cordless drill%' AND o.order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31'"),
    ("number of web orders that contained copper pipes",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     "USING (product_id) WHERE p.name ILIKE '%copper pipe%' AND o.channel = 'web'"),
])
def test_orders_that_contained_a_kind_of_product(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_orders_that_contain_a_number_of_a_kind_refuses(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("how many orders contain more than 2 copper pipes", COPILOT_AS_OF)


# "on average, how many orders has each customer placed?", "how many orders did each X customer make on average":
# the average over the customers of each one's number of orders (was: refused on 'average'); without "on average"
# it keeps its old meaning (a count per customer)
@pytest.mark.parametrize("question, gold", [
    ("On average, how many orders has each customer made?",
     "SELECT AVG(n) FROM (SELECT customer_id, COUNT(*) n FROM orders GROUP BY customer_id)"),
    ("how many orders did each consumer customer place on average in 2026?",
     "SELECT AVG(n) FROM (SELECT o.customer_id, COUNT(*) n FROM orders o JOIN customers c USING (customer_id) "
     "WHERE c.segment = 'consumer' AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY o.customer_id)"),
    ("how many orders has each customer placed?",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) GROUP BY c.customer_id, c.name"),
])
def test_on_average_how_many_orders_has_each_customer_placed(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "customers who ordered through all three channels", "bought from every category": every value the lake holds of
# the dimension, as "through both web, store and b2b" (was: '3' refused; "every channel" dropped, every ordering
# customer counted: a silent wrong); a number that is not how many values there are keeps refusing, and "through
# each channel" stays a figure per channel
@pytest.mark.parametrize("question, gold", [
    ("how many customers have placed orders via all 3 channels?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(DISTINCT channel) = 3)"),
    ("number of business customers who ordered through every channel",
     "SELECT COUNT(*) FROM (SELECT o.customer_id FROM orders o JOIN customers c USING (customer_id) "
     "WHERE c.segment = 'business' GROUP BY o.customer_id HAVING COUNT(DISTINCT o.channel) = 3)"),
    ("how many customers ordered through each channel",
     "SELECT channel, COUNT(DISTINCT customer_id) FROM orders GROUP BY channel"),
])
def test_ordered_through_every_value(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_ordered_through_a_wrong_number_of_values_refuses(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("how many customers have ordered through all four channels", COPILOT_AS_OF)


# "the three best days for revenue", "top 3 months by orders", "which 2 weeks had the most units sold": the periods
# of that grain ranked by the figure, that many (was: refused on 'days' / '3', or the products ranked); a period of
# N grains ("the last 3 months") is still a period
@pytest.mark.parametrize("question, gold", [
    ("which were the 2 best months for revenue in 2025?",
     "SELECT date_trunc('month', order_date) m, SUM(total_amount) r FROM orders o WHERE " + VALID_ORDER +
     " AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY m ORDER BY r DESC LIMIT 2"),
    ("top 4 days by number of orders in September 2026",
     "SELECT order_date, COUNT(*) n FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' "
     "GROUP BY order_date ORDER BY n DESC, order_date LIMIT 4"),
    ("which 2 quarters had the most orders in 2025?",
     "SELECT date_trunc('quarter', order_date) q, COUNT(*) n FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY q ORDER BY n DESC LIMIT 2"),
    ("revenue in the last 3 months",
     "SELECT SUM(total_amount) FROM orders o WHERE " + VALID_ORDER +
     " AND order_date BETWEEN DATE '2026-08-03' AND DATE '2026-10-31'"),
])
def test_the_n_best_periods_of_a_grain(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "orders with a discount of at least 10% on every single line", "orders with all lines discounted": the condition
# on the lines holds on each line of the order (was: 'every' refused; "all lines" dropped, an order with one such
# line counted: a silent wrong); of lines of some products only it is refused; over all lines a figure is unchanged
@pytest.mark.parametrize("question, gold", [
    ("how many orders placed in 2026 had at least 5% discount on each one of their lines?",
     "SELECT COUNT(*) FROM (SELECT o.order_id FROM orders o JOIN order_items i USING (order_id) WHERE o.order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY o.order_id HAVING MIN(i.discount_percent) >= 5)"),
    ("number of store orders with all the lines discounted",
     "SELECT COUNT(*) FROM (SELECT o.order_id FROM orders o JOIN order_items i USING (order_id) "
     "WHERE o.channel = 'store' GROUP BY o.order_id HAVING MIN(i.discount_percent) > 0)"),
    ("average discount pct across all order lines", "SELECT AVG(discount_percent) FROM order_items"),
])
def test_a_condition_on_every_line_of_the_order(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_every_line_of_some_products_refuses(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("how many orders had a discount of at least 10% on every line of Makita products", COPILOT_AS_OF)


def test_orders_across_all_channels_names_no_act_of_ordering(parser, engine):
    # near miss: "orders across all channels" are the orders of any channel, no customer tested in each
    assert_answers_like(parser, engine, "how many open orders across all channels?",
                        "SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'paid')")
