"""Order and shipment status: one order, a customer's orders, parcels, carriers and delivery times.

What each part checks:
- A share's scale (0-1 unless percent is said), and the order and delivery phrasings of the fourth dev set.
- The fifth dev set's phrasings (a count asked after a dash, a future period refused as a forecast, follow-ups
  that pick from or break down the previous answer).
- Order status and shipping questions (dev6): a parcel's own events ("parcels shipped", "delivered parcels") are
  not the order status; a field of the most recent order is shown, not grouped; time units inside a duration's
  words; verbs of shipping and carrying; reporting verbs ("X says ...") are no typo of a field.
- An order "not shipped" is one still waiting to ship (a delivered order was shipped too); a parcel "waiting to be
  delivered" has no delivery date; what a named carrier delivered or shipped is the parcel's event and its
  period.
- Questions about one order (by its number, or a customer's latest) show that order's status and parcel; a status
  named in the question is what is asked, not a filter that leaves nothing.
- Order status and fulfilment. "The status of <one customer>'s orders" lists each of those orders with its status
  (a count per status only with a count word or a grouping); an average figure (delivery time, order value) "per
  month" is one row per month, not the average of the months' averages; of one order, "items (units)" are the
  units on its lines; "how much" with no amount placed is refused (no count stands in for an amount, e.g. of
  refunds); "X vs Y per <group>, side by side" gives one column per compared value; "customers with more than N
  <orders>, with how many" lists them with the count; after a share of one status, "and <other status>?" swaps
  the share's condition (not a filter on the whole); a "mix", "distribution" or "breakdown" said after a grouped
  dimension is that grouping; "counted by X" is a number per X; things that "appeared in" orders were in them;
  the date a list is ranked on by "oldest"/"newest" may be named to be shown; "show every order" lists all of
  them; of a parcel, "by whom" is the carrier; "..., and how many <things> each?" after a grouping is the count
  per group; a four-letter slip that two swapped neighbours make into one meaningful word is mended to it
  ("opne": "open") even when a function word is one other edit away; "although" joins two conditions as "but";
  the carriers "used" are those that carried.
- "How many days/weeks" with a verb of waiting ("waiting", "sitting") and an
  aggregate ("oldest": the largest, "newest": the smallest, "on average", "median") is a figure of each order's
  age, counted in days from its order date up to the as-of day (the layer's AS_OF_DAY(), the day taken from the
  form); "(up to today, <that day>)" restates the as-of day and is no period; with no aggregate said it is
  refused. "And the median?" (or another aggregate) after an average duration is the same duration under that
  aggregate. A state word right before a span of time ("waiting more than 10 days", "in transit over a week") is
  an age as "... for more than N days" is, when the things' state is said. "In status X" names the value, no
  grouping by status. A parcel that "left" is one shipped (the period on the ship date). "How much was
  cancelled/returned" is the value of those orders summed (the status said itself, not a synonym such as
  "refunded"). "<Name> called - ..." (a verb of getting in touch ending the opening words, before a dash or
  colon) only says who asks; "big"/"urgent" before "order <number>" only describes it; a clause after the
  question that says how something felt or seemed ("- it seemed slow to her") is set aside when it neither
  narrows nor names a new value; "one day/week" is a number of that unit.
"""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotFound, NotUnderstood

from .conftest import COPILOT_AS_OF, answer, assert_answers_like

pytestmark = pytest.mark.functional


AS_OF = COPILOT_AS_OF

# a condition's share: 0-1 when it is a share, fraction, proportion or rate; 0-100 only when percent is said
SHARES = [
    ("which proportion of 2025 orders were returned",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE status = 'returned') / COUNT(*) FROM orders WHERE year(order_date) = 2025"),
    ("cancellation rate in 2024",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE status = 'cancelled') / COUNT(*) FROM orders WHERE year(order_date) = 2024"),
    # the value right before the rate word is its condition; the other value is what it is a rate of
    ("cancellation rate for store orders in 2024",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE status = 'cancelled') / COUNT(*) FROM orders "
     "WHERE channel = 'store' AND year(order_date) = 2024"),
    ("what percentage of web orders were returned in 2025",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE status = 'returned') / COUNT(*) FROM orders "
     "WHERE channel = 'web' AND year(order_date) = 2025"),
    ("cancellation rate in 2024, in percent",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE status = 'cancelled') / COUNT(*) FROM orders "
     "WHERE year(order_date) = 2024"),
    ("share of late parcels per carrier in 2025 (%)",
     "SELECT carrier, 100.0 * COUNT(*) FILTER (WHERE delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
    ("what share of shipments went via DHL in 2025",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE carrier = 'DHL') / COUNT(*) FROM shipments WHERE year(shipped_at) = 2025"),
    ("share of late parcels per carrier in 2025",
     "SELECT carrier, 1.0 * COUNT(*) FILTER (WHERE delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
]

# a verb of carrying before an order is not a delivery time: the carrier (and tracking number) are looked up
CARRYING = [
    ("which carrier handled order 40 and what is the tracking number",
     "SELECT carrier, tracking_number FROM shipments WHERE order_id = 40"),
    ("who took order 41, which carrier", "SELECT carrier FROM shipments WHERE order_id = 41"),
    ("how many parcels took more than 2 days in 2025",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 2 DAY AND year(shipped_at) = 2025"),
]

# an aggregate of the per-parcel duration, per group when grouped; a ranking ("which carrier ...") stays a ranking
DURATIONS = [
    ("maximum delivery time in hours per carrier",
     "SELECT carrier, MAX(epoch(delivered_at) - epoch(shipped_at)) / 3600 FROM shipments "
     "WHERE delivered_at IS NOT NULL GROUP BY 1"),
    ("shortest delivery for every carrier in 2025, in days",
     "SELECT carrier, MIN(epoch(delivered_at) - epoch(shipped_at)) / 86400 FROM shipments "
     "WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
    ("median delivery time per carrier in hours",
     "SELECT carrier, MEDIAN(epoch(delivered_at) - epoch(shipped_at)) / 3600 FROM shipments "
     "WHERE delivered_at IS NOT NULL GROUP BY 1"),
    ("how many hours did delivery take for order 7",
     "SELECT (epoch(delivered_at) - epoch(shipped_at)) / 3600 FROM shipments WHERE order_id = 7"),
    ("which carrier has the longest delivery time",
     "SELECT carrier, AVG(epoch(delivered_at) - epoch(shipped_at)) / 86400 a FROM shipments "
     "WHERE delivered_at IS NOT NULL GROUP BY 1 ORDER BY a DESC LIMIT 1"),
]

# of two things joined by a possessive, the second is counted; the owner restricts it
POSSESSIVES = [
    ("consumer customers' orders per channel in 2025",
     "SELECT o.channel, COUNT(*) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE c.segment = 'consumer' AND year(o.order_date) = 2025 GROUP BY 1"),
]

# "month by month" is a grain; "racked up", "belong to" say nothing about the data
PHRASES = [
    ("DHL: parcels week by week in October 2026",
     "SELECT date_trunc('week', shipped_at), COUNT(*) FROM shipments WHERE carrier = 'DHL' "
     "AND shipped_at >= TIMESTAMP '2026-10-01' AND shipped_at < TIMESTAMP '2026-11-01' GROUP BY 1"),
    ("which channel racked up the most cancelled orders in 2025",
     "SELECT channel, COUNT(*) n FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025 "
     "GROUP BY 1 ORDER BY n DESC LIMIT 1"),
]

# the key of what is ranked is shown beside it, not a second ranking
KEYS = [
    ("the 2 smallest store orders in 2024: ids and amounts",
     "SELECT order_id, total_amount FROM orders WHERE channel = 'store' AND year(order_date) = 2024 "
     "ORDER BY total_amount, order_id LIMIT 2"),
]

# "for more than N days/weeks" of a thing with no duration defined for it is its age from the as-of date
AGES = [
    ("how many paid orders have waited for more than 10 days",
     "SELECT COUNT(*) FROM orders WHERE status = 'paid' AND order_date < DATE '2026-10-22'"),
    ("pending orders sitting there for more than 1 week",
     "SELECT order_id FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-25'"),
    ("how many parcels have been on their way for more than 5 days",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL AND shipped_at < TIMESTAMP '2026-10-27'"),
    ("open orders waiting to be shipped in the b2b channel",
     "SELECT order_id FROM orders WHERE status IN ('pending', 'paid') AND channel = 'b2b'"),
]

# a superlative naming the amount it is followed by is that extreme amount, a figure; "which" keeps the ranking
EXTREMES = [
    ("what was the largest order amount in 2025 on record",
     "SELECT MAX(total_amount) FROM orders WHERE year(order_date) = 2025"),
    ("which order had the smallest order amount in 2024",
     "SELECT order_id, total_amount FROM orders WHERE year(order_date) = 2024 ORDER BY total_amount, order_id LIMIT 1"),
    ("did revenue go up or down in September compared to August",
     "SELECT date_trunc('month', order_date), SUM(total_amount) FROM orders "
     "WHERE status NOT IN ('cancelled', 'returned') AND order_date BETWEEN DATE '2026-08-01' AND DATE '2026-09-30' "
     "GROUP BY 1"),
]

# day ranges with ordinals and "the ... of"; a past tense that lost its "e" is that past tense
DATES_AND_SLIPS = [
    ("how many orders between the 3rd and the 9th of March 2025",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-03-03' AND DATE '2025-03-09'"),
    ("how many orders were returnd in 2025",
     "SELECT COUNT(*) FROM orders WHERE status = 'returned' AND year(order_date) = 2025"),
]

# "divided by" names a ratio; a ratio of two compared values is one figure, not a row per value
RATIOS = [
    ("number of orders web vs b2b in 2025, web divided by b2b",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE channel = 'web') / COUNT(*) FILTER (WHERE channel = 'b2b') FROM orders "
     "WHERE year(order_date) = 2025"),
    ("average order value store vs web ratio in 2024",
     "SELECT AVG(total_amount) FILTER (WHERE channel = 'store') / AVG(total_amount) FILTER (WHERE channel = 'web') "
     "FROM orders WHERE status NOT IN ('cancelled', 'returned') AND year(order_date) = 2024"),
]

# "N days after shipping" is where the delivery time starts; "orders placed in X" carries the period
ANCHORS = [
    ("how many parcels arrived more than 2 days after shipping in 2025",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 2 DAY AND year(shipped_at) = 2025"),
    ("for orders placed in August how many Posti shipments arrived more than 4 days after shipping",
     "SELECT COUNT(*) FROM shipments s JOIN orders o USING (order_id) WHERE s.carrier = 'Posti' "
     "AND s.delivered_at > s.shipped_at + INTERVAL 4 DAY AND o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31'"),
]

# "maximum/minimum <amount>" is that aggregate of the column (was: a ranking by revenue)
COLUMN_EXTREMES = [
    ("maximum order amount per channel in 2025",
     "SELECT channel, MAX(total_amount) FROM orders WHERE year(order_date) = 2025 GROUP BY 1"),
    ("which channel had the maximum order amount in 2024",
     "SELECT channel, MAX(total_amount) m FROM orders WHERE year(order_date) = 2024 GROUP BY 1 ORDER BY m DESC LIMIT 1"),
    ("min order amount of b2b orders", "SELECT MIN(total_amount) FROM orders WHERE channel = 'b2b'"),
    # "waiting for a shipment": no shipment row yet (was: refused); "waiting for shipment" stays the open status
    ("paid orders still waiting for a shipment",
     "SELECT order_id FROM orders o WHERE status = 'paid' AND NOT EXISTS "
     "(SELECT 1 FROM shipments s WHERE s.order_id = o.order_id)"),
]

CASES: list[tuple[str, str]] = [*COLUMN_EXTREMES, *ANCHORS, *RATIOS, *SHARES, *CARRYING, *DURATIONS, *POSSESSIVES, *PHRASES, *KEYS, *AGES, *EXTREMES,
                                *DATES_AND_SLIPS]


@pytest.mark.parametrize("question, gold", CASES)
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


REFUSED: list[tuple[str, str]] = [
    ("a share of nothing in particular per carrier per month", "nothing"),
    # parcels ranked one by one by their own delivery time are not supported (was: sorted by ship date)
    ("top 5 longest deliveries this year", "not a list of parcels"),
    ("the 3 slowest deliveries in 2025", "not a list of parcels"),
    # an age needs an order or a parcel to take it of
    ("customers waiting for more than 10 days", "more than"),
]


@pytest.mark.parametrize("question, word", REFUSED)
def test_refused(parser, question, word):
    with pytest.raises(NotUnderstood, match=word):
        parser.parse(question, AS_OF)


@pytest.mark.parametrize("question", [
    "how many parcels did Acmepost deliver in 2025",
    "late deliveries with Zoomcourier shipments this year",
])
def test_unknown_carrier_name_is_not_found(parser, question):
    # a capitalised name where a carrier stands, unknown to the lake: not found, not an unplaced word
    with pytest.raises(NotFound, match="no carrier"):
        parser.parse(question, AS_OF)


def test_known_carrier_in_the_same_slot_is_answered(parser, engine):
    rows = answer(parser, engine, "how many parcels did Schenker deliver in 2025")
    gold = engine.execute("SELECT COUNT(*) FROM shipments WHERE carrier = 'Schenker' AND delivered_at IS NOT NULL "
                          "AND year(shipped_at) = 2025").rows
    assert rows[0][0] == gold[0][0]


def test_an_aggregate_of_a_duration_takes_a_new_unit_in_a_follow_up(parser, engine):
    rows = answer(parser, engine, "in hours instead", context=["median delivery time per carrier"])
    gold = engine.execute("SELECT carrier, MEDIAN(epoch(delivered_at) - epoch(shipped_at)) / 3600 FROM shipments "
                          "WHERE delivered_at IS NOT NULL GROUP BY 1").rows
    assert results_match(gold, rows)


CASES: list[tuple[str, str]] = [
    # a count asked at the end, after a dash or comma
    ("open orders from the web channel - count",
     "SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'paid') AND channel = 'web'"),
    ("cancelled orders in 2025, count", "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025"),
    # an on-time share is taken of the delivered parcels only, like a late share (an undelivered one is neither)
    ("on-time delivery percentage per carrier in 2025",
     "SELECT carrier, 100.0 * COUNT(*) FILTER (WHERE NOT delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
    # a share of a parcel condition with no things named is of parcels, its period on the shipping date
    ("on-time rate by carrier in 2025",
     "SELECT carrier, 1.0 * COUNT(*) FILTER (WHERE NOT delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND year(shipped_at) = 2025 GROUP BY 1"),
    # contractions of stopwords and the destination of a parcel (the customer's country)
    ("the shortest delivery time we've had in 2025, in days",
     "SELECT MIN(epoch(delivered_at) - epoch(shipped_at)) / 86400 FROM shipments WHERE year(shipped_at) = 2025"),
    ("parcels not delivered yet by destination country",
     "SELECT c.country, COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE s.delivered_at IS NULL GROUP BY 1"),
    # an age said by a comparative: placed (or shipped) before the as-of day minus that one unit
    ("how many paid orders are older than a week",
     "SELECT COUNT(*) FROM orders WHERE status = 'paid' AND order_date < DATE '2026-10-25'"),
    ("parcels not delivered yet that are older than a day",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL AND CAST(shipped_at AS DATE) < DATE '2026-10-31'"),
    # "shipped in <period>": when the shipping happened (any status since), not shipped status plus order date
    ("how many orders shipped in August",
     "SELECT COUNT(DISTINCT order_id) FROM shipments WHERE shipped_at >= DATE '2026-08-01' AND shipped_at < DATE '2026-09-01'"),
    # a yes/no condition asked of one order that its own columns cannot say: its truth value is shown
    ("was order 1200 delivered late?",
     "SELECT s.delivered_at > s.shipped_at + INTERVAL 3 DAY FROM orders o LEFT JOIN shipments s USING (order_id) "
     "WHERE o.order_id = 1200"),
    ("is order 77 late?",
     "SELECT s.delivered_at > s.shipped_at + INTERVAL 3 DAY FROM orders o LEFT JOIN shipments s USING (order_id) "
     "WHERE o.order_id = 77"),
    ("on-time rate of parcels last month",
     "SELECT 1.0 * COUNT(*) FILTER (WHERE NOT delivered_at > shipped_at + INTERVAL 3 DAY) / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= DATE '2026-10-01' AND shipped_at < DATE '2026-11-01'"),
]


@pytest.mark.parametrize("question, gold", CASES)
def test_status_phrasings_answer_like_their_gold_sql(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


REFUSED: list[tuple[str, str]] = [
    # a period wholly after the as-of day is a forecast: no rows to answer from (was the empty sum 0)
    ("how many orders will we get in January 2027", "future"),
    ("expected revenue for December 2026", "future"),
    ("units sold in 2027", "future"),
    # an age needs an order or a parcel to take it of
    ("customers older than a week", "older"),
]


@pytest.mark.parametrize("question, word", REFUSED)
def test_status_phrasings_refused(parser, question, word):
    with pytest.raises(NotUnderstood, match=word):
        parser.parse(question, AS_OF)


def test_a_period_up_to_today_is_still_answered(parser, engine):
    rows = answer(parser, engine, "revenue in October 2026")
    assert len(rows) == 1 and rows[0][0] > 0


# follow-ups: "which of those ..." after a count lists the counted things; "by X" after a list counts them per X
FOLLOWUPS: list[tuple[list[str], str, str]] = [
    (["how many orders were cancelled in 2025?"], "which of those came through the web?",
     "SELECT order_id FROM orders WHERE status = 'cancelled' AND year(order_date) = 2025 AND channel = 'web'"),
    (["returned orders in 2025"], "split that by channel",
     "SELECT channel, COUNT(*) FROM orders WHERE status = 'returned' AND year(order_date) = 2025 GROUP BY 1"),
    (["parcels shipped last week"], "per carrier?",
     "SELECT carrier, COUNT(*) FROM shipments WHERE CAST(shipped_at AS DATE) BETWEEN DATE '2026-10-19' "
     "AND DATE '2026-10-25' GROUP BY 1"),
    (["late rate per carrier in 2025"], "now by month for Bring",
     "SELECT date_trunc('month', shipped_at), 1.0 * COUNT(*) FILTER (WHERE delivered_at > shipped_at + INTERVAL 3 DAY) "
     "/ COUNT(*) FROM shipments WHERE delivered_at IS NOT NULL AND carrier = 'Bring' AND year(shipped_at) = 2025 "
     "GROUP BY 1"),
    # an activity with a new period after a list of customers: the period is when they did it, not their signup
    (["customers in Oslo"], "which of them ordered something in September?",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # a column of one order's details asked after them: the same row, which holds it
    (["which carrier shipped order 1200?"], "and the tracking number?",
     "SELECT tracking_number FROM shipments WHERE order_id = 1200"),
    # a column named bare after a list stays a column beside each row
    (["which products are out of stock?"], "which brands are they?",
     "SELECT p.name, p.brand FROM products p JOIN inventory i USING (product_id) GROUP BY p.name, p.brand "
     "HAVING SUM(i.quantity_on_hand) = 0"),
]


@pytest.mark.parametrize("context, question, gold", FOLLOWUPS)
def test_followup_answers_like_its_gold_sql(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context=context)), question


OCT = "s.shipped_at >= TIMESTAMP '2026-10-01' AND s.shipped_at < TIMESTAMP '2026-11-01'"
YEAR = "s.shipped_at >= TIMESTAMP '2026-01-01' AND s.shipped_at < TIMESTAMP '2026-11-01'"


@pytest.mark.parametrize("question, gold", [
    # a parcel shipped or delivered is the parcel's event, not the order's status (orders move on to delivered)
    ("parcels shipped per carrier last month",
     f"SELECT s.carrier, COUNT(*) FROM shipments s WHERE {OCT} GROUP BY 1"),
    ("which carrier shipped the most parcels to Norway this year",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     f"WHERE c.country = 'NO' AND {YEAR} GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"),
    ("What fraction of last month's delivered parcels arrived within 2 days?",
     "SELECT AVG(CASE WHEN epoch(s.delivered_at - s.shipped_at) / 86400.0 <= 2 THEN 1.0 ELSE 0.0 END) "
     f"FROM shipments s WHERE {OCT} AND s.delivered_at IS NOT NULL"),
    # the unit inside the measure's own words; a carrier named between the extreme and the delivery
    ("avg delivery hours to Copenhagen since 1 Aug 2026",
     "SELECT AVG(epoch(s.delivered_at - s.shipped_at) / 3600.0) FROM shipments s JOIN orders o USING (order_id) "
     "JOIN customers c USING (customer_id) WHERE c.city = 'Copenhagen' AND s.delivered_at IS NOT NULL "
     "AND s.shipped_at >= TIMESTAMP '2026-08-01'"),
    ("longest DHL delivery this year in hours?",
     f"SELECT MAX(epoch(s.delivered_at - s.shipped_at) / 3600.0) FROM shipments s WHERE s.carrier = 'DHL' AND {YEAR} "
     "AND s.delivered_at IS NOT NULL"),
    ("How many parcels did we ship to customers in Oslo in Q3 2026?",
     "SELECT COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Oslo' AND s.shipped_at >= TIMESTAMP '2026-07-01' AND s.shipped_at < TIMESTAMP '2026-10-01'"),
    ("How many days did order 42 take from dispatch to delivery?",
     "SELECT epoch(s.delivered_at - s.shipped_at) / 86400.0 FROM shipments s WHERE s.order_id = 42"),
    ("Which carier is handling order 2031?", "SELECT carrier FROM shipments WHERE order_id = 2031"),
    ("when did order 2031 leave the warehouse?", "SELECT shipped_at FROM shipments WHERE order_id = 2031"),
    # a "which <things>?" asked after other things named first lists the things asked for
    ("Stockholm customers with a parcel still in transit - which orders?",
     "SELECT DISTINCT o.order_id FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Stockholm' AND s.delivered_at IS NULL"),
    # "top 10" of a figure of products: ten products
    ("Kuopio: biggest shortfalls vs reorder level, top 10 please",
     "SELECT p.name, SUM(i.reorder_level) - SUM(i.quantity_on_hand) AS sf FROM inventory i JOIN products p "
     "USING (product_id) WHERE i.warehouse = 'Kuopio' GROUP BY p.product_id, p.name ORDER BY sf DESC, p.name LIMIT 10"),
    # "how much" of things that have an amount: the amount summed
    ("Paid but not yet shipped orders: how much money is that in total?",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'paid'"),
    ("how much are the open orders worth", "SELECT SUM(total_amount) FROM orders WHERE status IN ('pending', 'paid')"),
    ("nr of cancelled orders in septmber 2026",
     "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("How many of the shipments we sent out in October still have no delivery date?",
     f"SELECT COUNT(*) FROM shipments s WHERE {OCT} AND s.delivered_at IS NULL"),
    ("count of shipments stuck for over 9 days without delivery",
     "SELECT COUNT(*) FROM shipments s WHERE s.delivered_at IS NULL AND s.shipped_at < TIMESTAMP '2026-10-23'"),
    # a rate ranked: the share of the things counted (a revenue share of cancelled orders was always 0),
    # ordered by the share's own column (was a query error)
    ("which channel has the highest cancellation rate",
     "SELECT channel FROM orders GROUP BY 1 ORDER BY AVG(CASE WHEN status = 'cancelled' THEN 1.0 ELSE 0 END) DESC LIMIT 1"),
    ("best carreir for Tallinn based on lowest late share (all time)",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Tallinn' AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END), 1 LIMIT 1"),
    # a name before a comma and a question word is not the name of the noun after them
    ("For Denmark, which carrier has the best on-time rate this year?",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     f"WHERE c.country = 'DK' AND {YEAR} AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 0.0 ELSE 1.0 END) DESC, 1 LIMIT 1"),
    # a code after a parcel, or after "tracking", is the tracking number
    ("status of the order behind tracking {code}",
     "SELECT o.status FROM shipments s JOIN orders o USING (order_id) WHERE s.tracking_number = '{code}'"),
    ("where is parcel {code}?", "SELECT order_id, carrier FROM shipments WHERE tracking_number = '{code}'"),
    ("Can you look up tracking number {code}?", "SELECT order_id FROM shipments WHERE tracking_number = '{code}'"),
    ("where is parcel XX-999999999?", "SELECT order_id FROM shipments WHERE tracking_number = 'XX-999999999'"),
    # a month abbreviation alone; a reporting phrase; the event of an order named before "was"
    ("rev per channel oct",
     "SELECT channel, SUM(total_amount) FROM orders WHERE status NOT IN ('cancelled', 'returned') "
     "AND order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("Caller asks when order #777 was delivered", "SELECT delivered_at FROM shipments WHERE order_id = 777"),
    ("Averge days between order date and shipment, per carrier",
     "SELECT s.carrier, AVG(epoch(s.shipped_at - CAST(o.order_date AS TIMESTAMP)) / 86400.0) FROM shipments s "
     "JOIN orders o USING (order_id) GROUP BY 1"),
    ("how many paid orders don't have a shipment yet?",
     "SELECT COUNT(*) FROM orders o WHERE status = 'paid' AND NOT EXISTS (SELECT 1 FROM shipments s "
     "WHERE s.order_id = o.order_id)"),
    # a superlative with no figure after it ranks by the figure named; "what's ..." asks for one
    ("what's selling best in Heating this year (units)?",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled','returned') AND p.category = 'Heating' "
     "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY p.product_id, p.name "
     "ORDER BY u DESC, p.name LIMIT 1"),
    # "by" before what the ranking counts or the share it compares
    ("Top 3 customer cities by number of late deliveries in 2026",
     "SELECT c.city, COUNT(*) AS n FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY AND s.shipped_at >= TIMESTAMP '2026-01-01' "
     "AND s.shipped_at < TIMESTAMP '2026-11-01' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3"),
    ("best carrier for Helsinki by on-time percentage?",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Helsinki' AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 0.0 ELSE 1.0 END) DESC, 1 LIMIT 1"),
    ("which carier is shipping order 2031", "SELECT carrier FROM shipments WHERE order_id = 2031"),
    # every two products of one order, each pair once, by the (valid) orders they share
    ("What are the 5 product pairs most often bought together?",
     "SELECT p1.name, p2.name, COUNT(DISTINCT a.order_id) AS n FROM (SELECT DISTINCT order_id, product_id FROM "
     "order_items) a JOIN (SELECT DISTINCT order_id, product_id FROM order_items) b ON a.order_id = b.order_id "
     "AND a.product_id < b.product_id JOIN products p1 ON p1.product_id = a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 5"),
    # "whose total stock", "their total reorder level": each product's total (a sum over them was a silent wrong)
    ("products whose total stock is more than 10 times their total reorder level",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) > 10 * SUM(i.reorder_level)"),
    ("For {product}, which warehouse has the biggest surplus over its reorder level?",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.name = '{product}' "
     "ORDER BY i.quantity_on_hand - i.reorder_level DESC, i.warehouse LIMIT 1"),
    ("which warehouse needs the most replenishment (most products under reorder level)",
     "SELECT warehouse FROM inventory WHERE quantity_on_hand < reorder_level GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"),
    ("Which 5 products have the most stock but sold nothing last month? Candidates for a promo.",
     "SELECT p.name, SUM(i.quantity_on_hand) AS st FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.product_id NOT IN (SELECT oi.product_id FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.status NOT IN ('cancelled','returned') AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31') "
     "GROUP BY p.product_id, p.name ORDER BY st DESC, p.name LIMIT 5"),
    ("top sellers by units over the past 90 days",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled','returned') AND o.order_date >= DATE '2026-08-03' "
     "AND o.order_date < DATE '2026-11-01' GROUP BY p.product_id, p.name ORDER BY u DESC, p.name LIMIT 10"),
])
def test_question_answers_like_gold(parser, engine, question, gold):
    code = engine.execute("SELECT tracking_number FROM shipments ORDER BY shipment_id LIMIT 1").rows[0][0]
    product = engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0]
    question, gold = (x.replace("{code}", code).replace("{product}", product) for x in (question, gold))
    rows = answer(parser, engine, question)
    assert results_match(engine.execute(gold).rows, rows), question


@pytest.mark.parametrize("question", [
    "which carrier shipped {name}'s last parcel",
    "when was {name}'s last parcel shipped and by which carrier?",
])
def test_the_carrier_of_the_last_parcel_is_that_parcels(parser, engine, question):
    name = engine.execute("SELECT c.name FROM customers c JOIN orders o USING (customer_id) JOIN shipments s "
                          "USING (order_id) ORDER BY c.customer_id LIMIT 1").rows[0][0]
    gold = ("SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
            f"WHERE c.name = '{name}' ORDER BY s.shipped_at DESC, s.shipment_id LIMIT 1")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question.format(name=name)))


@pytest.mark.parametrize("question", [
    "{name} - status of her most recent order?",
    "status of {name}'s latest order",
    "most recent order status for {name}",
])
def test_status_of_the_latest_order_is_that_order_not_a_grouping(parser, engine, question):
    name = engine.execute("SELECT name FROM customers ORDER BY customer_id LIMIT 1").rows[0][0]
    gold = ("SELECT o.status FROM orders o JOIN customers c USING (customer_id) "
            f"WHERE c.name = '{name}' ORDER BY o.order_date DESC, o.order_id DESC LIMIT 1")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question.format(name=name)))


@pytest.mark.parametrize("question, same_as", [
    ("Inactve products that still have stock on hand - list them so we can clear them out",
     "inactive products that still have stock on hand"),
    ("Which categories has {customer} never bought from? Want to pitch them something new.",
     "Which categories has {customer} never bought from?"),
    ("we want to cut the range - which 5 active products sold the fewest units this year?",
     "which 5 active products sold the fewest units this year?"),
    ("which warehouse has the most {product} to tranfer from?", "which warehouse has the most {product}?"),
    ("{customer} is on the phone - what's the status of her most recent order?",
     "status of the most recent order of {customer}"),
    ("Which four products show up in the most returned orders?", "Which four products are in the most returned orders?"),
    ("People who buy the {product} - what else do they put in the same order? Top 5.",
     "top 5 products bought together with {product}"),
])
def test_same_answer(parser, engine, question, same_as):
    names = {"product": engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0],
             "customer": engine.execute("SELECT name FROM customers ORDER BY customer_id LIMIT 1").rows[0][0]}
    assert results_match(answer(parser, engine, same_as.format(**names)),
                         answer(parser, engine, question.format(**names))), question


@pytest.mark.parametrize("question, refused", [
    ("want to send him an offer: what category has customer 5 spent the most on", "send"),  # no verb of shipping
])
def test_refused_naming_the_word(parser, question, refused):
    with pytest.raises(NotUnderstood, match=refused):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("token, meant", [
    ("says", None),              # a reporting verb is no typo of "days"
    ("costumers", "customers"),  # the same letters, two exchanged, not "consumers" (two edits too)
])
def test_mend(parser, token, meant):
    assert parser.lexicon.correct(token) == meant


@pytest.mark.parametrize("context, question, same_as", [
    (["How many of the shipments we sent out in October still have no delivery date?"],
     "only the ones going to Finland", "only Finland"),
])
def test_follow_up_same_answer(parser, engine, context, question, same_as):
    assert results_match(answer(parser, engine, same_as, context), answer(parser, engine, question, context))


@pytest.mark.parametrize("question, gold", [
    # "not shipped" was status <> 'shipped', which kept the delivered orders (silent wrong)
    ("Which of yesterday's orders are still not shipped?",
     "SELECT order_id FROM orders WHERE order_date = DATE '2026-10-31' AND status IN ('pending', 'paid')"),
    ("Orders placed on 15 October 2026 that haven't shipped yet?",
     "SELECT order_id FROM orders WHERE order_date = DATE '2026-10-15' AND status IN ('pending', 'paid')"),
    ("orders that have not been shipped", "SELECT order_id FROM orders WHERE status IN ('pending', 'paid')"),
    # "waiting" was skipped, leaving "delivered" as the order status (silent wrong)
    ("How many shipments are still waiting to be delivered?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL"),
    ("parcels yet to be delivered per carrier",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at IS NULL GROUP BY 1"),
    ("how many orders are still waiting for payment?", "SELECT COUNT(*) FROM orders WHERE status = 'pending'"),
    # a carrier's name before the event: the parcel's own event, not the order's status
    ("How many shipments has Schenker delivered in total?",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'Schenker' AND delivered_at IS NOT NULL"),
    # what a carrier shipped "this year" was shipped this year; orders "placed this year" keep the order date
    ("Which carrier shipped the most orders this year?",
     f"SELECT s.carrier, COUNT(*) AS n FROM shipments s WHERE {YEAR} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"),
    ("which carrier shipped the most orders placed this year?",
     "SELECT s.carrier, COUNT(DISTINCT o.order_id) AS n FROM shipments s JOIN orders o USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"),
    # "have been shipped": shipped at some time (delivered orders too), not the status 'shipped' alone
    ("Of the orders placed in September 2026, how many have been shipped?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # an age said with "old"; "no delivery" of a parcel; a purpose naming the carrier is no grouping by it
    ("List the open orders that are more than three weeks old.",
     "SELECT order_id FROM orders WHERE status IN ('pending', 'paid') AND order_date < DATE '2026-10-11'"),
    ("Orders shipped in September that still have no delivery - which ones? need to chase the carrriers",
     "SELECT order_id FROM shipments WHERE shipped_at >= TIMESTAMP '2026-09-01' "
     "AND shipped_at < TIMESTAMP '2026-10-01' AND delivered_at IS NULL"),
    # "the longest" with no duration named: the time since their own date, oldest first (was newest first)
    ("Which 5 undelivered shipments have been on the road the longest?",
     "SELECT tracking_number, shipped_at FROM shipments WHERE delivered_at IS NULL ORDER BY shipped_at LIMIT 5"),
    ("which 3 open orders have been waiting the longest",
     "SELECT order_id FROM orders WHERE status IN ('pending', 'paid') ORDER BY order_date, order_id LIMIT 3"),
    # a support agent's narration ("on the phone asking", "just called") says nothing about the data
    ("Customer on the phone asking where order 1699 is - what's its status?",
     "SELECT status FROM orders WHERE order_id = 1699"),
    ("{customer} just called. What open orders does he have with us?",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = '{customer}' "
     "AND o.status IN ('pending', 'paid')"),
    # two dates apart are whole days (the ship date is the date the parcel left, not its hour)
    ("On average how many days pass between the order date and the ship date, for shipments this year?",
     "SELECT AVG(DATE_DIFF('day', o.order_date, CAST(s.shipped_at AS DATE))) FROM shipments s JOIN orders o "
     f"USING (order_id) WHERE {YEAR}"),
    ("What's in order 148? Products and quantites please.",
     "SELECT p.name, oi.quantity FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id = 148"),
    # orders "not delivered" with nothing said of parcels: their status (was: orders with a parcel in transit)
    ("How many orders from last month are not delivered?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     "AND status <> 'delivered'"),
    ("list the DHL orders that have shipped but aren't delivered yet",
     "SELECT order_id FROM shipments WHERE carrier = 'DHL' AND delivered_at IS NULL"),
    # "neither X nor Y": both values excluded
    ("How many orders this year were neither cancelled nor returned?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "AND status NOT IN ('cancelled', 'returned')"),
    ("customers neither in Finland nor in Sweden, how many",
     "SELECT COUNT(*) FROM customers WHERE country NOT IN ('FI', 'SE')"),
    # "which order(s)" ranked by a figure: the figure per order (was the figure summed over all orders)
    ("which order had the highest revenue",
     "SELECT o.order_id, SUM(o.total_amount) AS r FROM orders o WHERE o.status NOT IN ('cancelled', 'returned') "
     "GROUP BY 1 ORDER BY r DESC, 1 LIMIT 1"),
    ("which 3 orders had the most units",
     "SELECT o.order_id, SUM(oi.quantity) AS u FROM orders o JOIN order_items oi USING (order_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY u DESC, 1 LIMIT 3"),
    # "a customer is calling about": who is on the phone, not the customers asked about
    ("A customer is calling about parcel {code}. Which order number is that?",
     "SELECT order_id FROM shipments WHERE tracking_number = '{code}'"),
])
def test_agent_and_planner_wording_answers_like_gold(parser, engine, question, gold):
    customer = engine.execute("SELECT c.name FROM customers c JOIN orders o USING (customer_id) "
                              "WHERE o.status IN ('pending', 'paid') ORDER BY c.customer_id LIMIT 1").rows[0][0]
    code = engine.execute("SELECT tracking_number FROM shipments ORDER BY shipment_id LIMIT 1").rows[0][0]
    question, gold = (x.replace("{customer}", customer).replace("{code}", code) for x in (question, gold))
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # an address whose name holds a dot is one text (its pieces were read as a customer's name and words)
    ("customer with email {email}", "SELECT customer_id FROM customers WHERE email = '{email}'"),
    ("orders of the customer with email {email}",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.email = '{email}'"),
])
def test_a_dotted_address_is_one_text(parser, engine, question, gold):
    email = engine.execute("SELECT email FROM customers WHERE email LIKE '%.%@%' ORDER BY customer_id LIMIT 1").rows[0][0]
    question, gold = (x.replace("{email}", email) for x in (question, gold))
    assert_answers_like(parser, engine, question, gold)


LATEST = ("(SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = '{}' "
          "ORDER BY o.order_date DESC, o.order_id LIMIT 1)")


@pytest.mark.parametrize("question, gold", [
    # one order pinned by its number: the status words are the alternatives asked about
    ("Order 2: paid, shipped or still pending?", "SELECT status FROM orders WHERE order_id = 2"),
    ("was order 5 cancelled or returned?", "SELECT status FROM orders WHERE order_id = 5"),
    ("order 1632 when shipped and when delivered", "SELECT status FROM orders WHERE order_id = 1632"),
    ("is order 1992 delivered yet?", "SELECT status FROM orders WHERE order_id = 1992"),
])
def test_one_orders_status_named_in_the_question_is_shown_not_filtered(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # a status said of the customer's latest order (after its noun) is asked: the latest one, whatever its status
    ("has Erik Olsen's most recent order been delivered yet?",
     f"SELECT status FROM orders WHERE order_id = {LATEST.format('Erik Olsen')}"),
    ("when was Mikko Rask's latest order shipped",
     f"SELECT shipped_at FROM shipments WHERE order_id = {LATEST.format('Mikko Rask')}"),
    ("when did Ingrid Heikkinen's last order ship, and with which carrier?",
     f"SELECT shipped_at, carrier FROM shipments WHERE order_id = {LATEST.format('Ingrid Heikkinen')}"),
    # "delivered" before the noun picks the order: the latest of the delivered ones
    ("Maja Andersson's last delivered order",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Maja Andersson' "
     "AND o.status = 'delivered' ORDER BY o.order_date DESC, o.order_id LIMIT 1"),
])
def test_a_customers_latest_order_is_asked_about_not_filtered(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    # "in transit", "on the way" say a parcel is moving: orders with a parcel not yet delivered (not every
    # order whose status is not 'delivered', pending and paid ones too)
    ("Which of Erik Olsen's orders are still in transit?",
     "SELECT s.order_id FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.name = 'Erik Olsen' AND s.delivered_at IS NULL"),
    ("which orders are on the way",
     "SELECT order_id FROM shipments WHERE delivered_at IS NULL"),
    # no parcel word: the orders whose status is not delivered
    ("which orders are not delivered", "SELECT order_id FROM orders WHERE status <> 'delivered'"),
])
def test_orders_in_transit_are_those_with_a_moving_parcel(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("returns per month this year",
     "SELECT DATE_TRUNC('month', order_date), COUNT(*) FROM orders WHERE status = 'returned' "
     "AND order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("Which customer placed order 5 and what's their email?",
     "SELECT c.name, c.email FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 5"),
    ("how many customers got a late delivery last month",
     "SELECT COUNT(DISTINCT o.customer_id) FROM shipments s JOIN orders o USING (order_id) "
     "WHERE s.shipped_at >= TIMESTAMP '2026-10-01' AND s.shipped_at < TIMESTAMP '2026-11-01' "
     "AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY"),
])
def test_status_counts_per_period_buyer_of_an_order_and_customers_timed_by_their_parcels(parser, engine, question,
                                                                                         gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("what was on order 12", "SELECT DISTINCT p.name FROM order_items oi JOIN products p USING (product_id) "
                             "WHERE oi.order_id = 12"),
    # one order counted is one: "items" on it are its pieces, and so are those of a product named
    ("How many items in total were on order 12?", "SELECT SUM(quantity) FROM order_items WHERE order_id = 12"),
    ("how many products were on order 12", "SELECT COUNT(DISTINCT product_id) FROM order_items WHERE order_id = 12"),
])
def test_the_contents_of_one_order(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_how_many_of_a_named_product_were_on_an_order_counts_its_pieces(parser, engine):
    name, order_id = engine.execute("SELECT p.name, oi.order_id FROM order_items oi JOIN products p USING (product_id) "
                                    "WHERE oi.quantity > 1 ORDER BY oi.order_id, p.name LIMIT 1").rows[0]
    gold = engine.execute(f"SELECT SUM(oi.quantity) FROM order_items oi JOIN products p USING (product_id) "
                          f"WHERE oi.order_id = {order_id} AND p.name = '{name}'").rows
    question = f"how many {name} were on order {order_id}?"
    assert results_match(gold, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", ["which warehouse was order 12 shipped from?"])
def test_a_field_an_order_has_many_of_through_stock_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    # "longest" in transit on a date ranked ("oldest shipment"): the oldest first
    ("which order has been in transit the longest? (oldest shipment not yet delivered)",
     "SELECT order_id FROM shipments WHERE delivered_at IS NULL ORDER BY shipped_at, order_id LIMIT 1"),
])
def test_in_transit_the_longest_is_the_oldest(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("context, question, gold", [
    (["what's the status of order 5?"], "who's the customer?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 5"),
])
def test_the_customer_of_one_order_looked_up(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("context, question, gold", [
    # a count per group, then one group's value with "list"/"which <things>": that group's things listed
    (["open orders by channel"], "just the b2b ones - list them with the customer name",
     "SELECT o.order_id, c.name FROM orders o JOIN customers c USING (customer_id) "
     "WHERE o.channel = 'b2b' AND o.status IN ('pending', 'paid')"),
    (["late deliveries by carrier last month"], "only Bring - which orders were those?",
     "SELECT order_id FROM shipments WHERE carrier = 'Bring' AND shipped_at >= TIMESTAMP '2026-10-01' "
     "AND shipped_at < TIMESTAMP '2026-11-01' AND delivered_at > shipped_at + INTERVAL 3 DAY"),
])
def test_one_group_of_a_count_listed(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def test_one_group_of_a_count_without_a_listing_word_stays_a_count(parser, engine):
    rows = answer(parser, engine, "just b2b", ["open orders by channel"])
    assert len(rows) == 1 and len(rows[0]) == 2


@pytest.mark.parametrize("question, gold", [
    # of several conditions, the share's is the last named after the share word, not one after "among"
    ("Of the shipments sent out in Q3 2026 that have been delivered, what share arrived late?",
     "SELECT AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE shipped_at >= '2026-07-01' AND shipped_at < '2026-10-01' AND delivered_at IS NOT NULL"),
    ("Which carrier had the highest percentage of late deliveries among its delivered shipments sent in 2025?",
     "SELECT carrier, 100.0 * AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) AS p "
     "FROM shipments WHERE shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01' AND delivered_at IS NOT NULL "
     "GROUP BY 1 ORDER BY p DESC LIMIT 1"),
])
def test_the_share_is_of_the_condition_named_after_the_share_word(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("status of orders 2, 5 and 12 please", "SELECT order_id, status FROM orders WHERE order_id IN (2, 5, 12)"),
    ("what was in orders 2 and 12",
     "SELECT p.name FROM order_items oi JOIN products p USING (product_id) WHERE oi.order_id IN (2, 12)"),
])
def test_several_order_numbers(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_several_orders_then_the_customer_is_each_ones(parser, engine):
    gold = "SELECT DISTINCT c.name FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id IN (2, 5, 12)"
    rows = answer(parser, engine, "who's the customer?", ["status of orders 2, 5 and 12"])
    assert results_match(engine.execute(gold).rows, rows)


def test_two_years_after_orders_are_not_order_numbers(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("orders 2024 and 2025", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    # the fields named after the one order ranked are shown beside it (a parcel's too: one per order)
    ("Ingrid Heikkinen's most recent order: carrier and tracking number?",
     f"SELECT carrier, tracking_number FROM shipments WHERE order_id = {LATEST.format('Ingrid Heikkinen')}"),
    ("What's Helmi Larsen's most recent order number and its status?",
     f"SELECT order_id, status FROM orders WHERE order_id = {LATEST.format('Helmi Larsen')}"),
])
def test_fields_of_a_customers_latest_order(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("context, question, gold", [
    (["list Helmi Larsen's open orders"], "what do they add up to?",
     "SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) "
     "WHERE c.name = 'Helmi Larsen' AND o.status IN ('pending', 'paid')"),
    # the same orders, their parcel dates beside; a parcel condition keeps only orders with a parcel
    (["which of Erik Olsen's orders are in transit?"], "when were they shipped?",
     "SELECT s.order_id, s.shipped_at FROM shipments s JOIN orders o USING (order_id) JOIN customers c "
     "USING (customer_id) WHERE c.name = 'Erik Olsen' AND s.delivered_at IS NULL"),
])
def test_follow_ups_on_listed_orders(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


def _order_with_a_product_on_two_lines(engine) -> int:
    return engine.execute("SELECT order_id FROM order_items GROUP BY order_id, product_id HAVING COUNT(*) > 1 "
                          "ORDER BY order_id LIMIT 1").rows[0][0]


def test_how_many_of_each_product_on_an_order_sums_its_lines(parser, engine):
    order_id = _order_with_a_product_on_two_lines(engine)
    gold = engine.execute(f"SELECT p.name, SUM(oi.quantity) FROM order_items oi JOIN products p USING (product_id) "
                          f"WHERE oi.order_id = {order_id} GROUP BY p.name").rows
    question = f"what products are on order {order_id} and how many of each?"
    assert results_match(gold, answer(parser, engine, question)), question


def test_stock_of_an_orders_products_is_not_multiplied_by_its_lines(parser, engine):
    order_id = _order_with_a_product_on_two_lines(engine)
    gold = engine.execute(f"SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
                          f"WHERE p.product_id IN (SELECT product_id FROM order_items WHERE order_id = {order_id}) "
                          f"GROUP BY p.product_id, p.name").rows
    rows = answer(parser, engine, "how much stock do we have of those products?", [f"what was in order {order_id}?"])
    assert results_match(gold, rows)


def test_how_much_of_one_orders_status_is_refused(parser):
    # "refunded" is the returned status; an amount refunded is nothing the lake holds
    with pytest.raises(NotUnderstood):
        parser.parse("how much was refunded for order 5?", COPILOT_AS_OF)


def test_when_was_the_last_delivered_order_delivered_shows_its_parcel(parser, engine):
    gold = ("SELECT s.delivered_at FROM shipments s WHERE s.order_id = (SELECT o.order_id FROM orders o "
            "JOIN customers c USING (customer_id) WHERE c.name = 'Maja Andersson' AND o.status = 'delivered' "
            "ORDER BY o.order_date DESC, o.order_id LIMIT 1)")
    question = "when was Maja Andersson's last delivered order delivered?"
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("I need the email address of whoever placed order 5",
     "SELECT c.name, c.email FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 5"),
    # a condition of the things counted, between the number and their noun
    ("customers with more than 2 returned orders",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE o.status = 'returned' "
     "GROUP BY c.customer_id, c.name HAVING COUNT(DISTINCT o.order_id) > 2"),
    ("customers with more than 2 open orders",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE o.status IN ('pending', 'paid') "
     "GROUP BY c.customer_id, c.name HAVING COUNT(DISTINCT o.order_id) > 2"),
])
def test_whoever_and_counts_of_things_in_a_status(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_how_long_did_it_take_after_one_order_is_its_delivery_time(parser, engine):
    gold = "SELECT date_diff('second', shipped_at, delivered_at) / 86400.0 FROM shipments WHERE order_id = 12"
    rows = answer(parser, engine, "how long did it take?", ["where is order 12"])
    assert results_match(engine.execute(gold).rows, rows)


def test_how_long_after_a_latest_order_not_said_delivered_is_refused(parser):
    form = parser.parse("Erik Olsen's last order", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("how long did it take?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("question, gold", [
    # a clause that picks the order ("that was", "with status") keeps the status a condition
    ("Erik Olsen's most recent order that was delivered",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.status = 'delivered' ORDER BY o.order_date DESC, o.order_id LIMIT 1"),
    ("Erik Olsen's last order with status delivered",
     "SELECT o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.status = 'delivered' ORDER BY o.order_date DESC, o.order_id LIMIT 1"),
    # of several orders named, a status picks some of them
    ("which of orders 2, 5 and 12 are cancelled?",
     "SELECT order_id FROM orders WHERE order_id IN (2, 5, 12) AND status = 'cancelled'"),
])
def test_a_status_that_picks_stays_a_condition(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_how_much_beside_a_condition_that_states_a_figure_is_that_figure(parser, engine):
    gold = ("SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
            "WHERE NOT p.active GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0")
    question = "discontinued products we still have stock of, and how much"
    assert_answers_like(parser, engine, question, gold)


DELIVERY_DAYS = "date_diff('second', shipped_at, delivered_at) / 86400.0"


@pytest.mark.parametrize("question, gold", [
    ("what is the status of Erik Olsen's orders placed in August 2026",
     "SELECT o.order_id, o.status FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31'"),
    # a count word keeps the breakdown
    ("how many of Erik Olsen's orders are in each status?",
     "SELECT o.status, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "GROUP BY 1"),
    ("average delivery time in days per month in 2025",
     f"SELECT date_trunc('month', shipped_at), AVG({DELIVERY_DAYS}) FROM shipments WHERE delivered_at IS NOT NULL "
     "AND shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01' GROUP BY 1"),
    ("avg order value per quarter in 2025",
     "SELECT quarter(order_date), AVG(total_amount) FROM orders WHERE status NOT IN ('cancelled', 'returned') "
     "AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1"),
    ("how many items (units) does order 5 hold?", "SELECT SUM(quantity) FROM order_items WHERE order_id = 5"),
    ("web vs store orders per month in 2025, side by side",
     "SELECT date_trunc('month', order_date), COUNT(*) FILTER (WHERE channel = 'web'), "
     "COUNT(*) FILTER (WHERE channel = 'store') FROM orders WHERE order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1"),
    ("delivered vs returned orders by channel in 2026 side by side",
     "SELECT channel, COUNT(*) FILTER (WHERE status = 'delivered'), COUNT(*) FILTER (WHERE status = 'returned') "
     "FROM orders WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("customers with at least 4 pending orders, with how many",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'pending' "
     "GROUP BY c.customer_id, c.name HAVING COUNT(*) >= 4"),
    ("status distribution per quarter in 2025",
     "SELECT quarter(order_date), status, COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY 1, 2"),
    ("delivered orders, counted by carrier",
     "SELECT s.carrier, COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE o.status = 'delivered' GROUP BY 1"),
    ("how many distinct products appeared in orders in September 2026?",
     "SELECT COUNT(DISTINCT oi.product_id) FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    ("the 4 newest pending orders with their order dates",
     "SELECT order_id, order_date FROM orders WHERE status = 'pending' ORDER BY order_date DESC, order_id LIMIT 4"),
    ("list every order Erik Olsen placed in May 2026 and its status",
     "SELECT o.order_id, o.status FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.order_date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31'"),
    ("which carriers delivered to customers in Oslo, and how many shipments each?",
     "SELECT s.carrier, COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Oslo' AND s.delivered_at IS NOT NULL GROUP BY 1"),
    ("how many b2b orders are still opne?",
     "SELECT COUNT(*) FROM orders WHERE channel = 'b2b' AND status IN ('pending', 'paid')"),
    ("which parcels are still not delivered although they were shipped before 20 October 2026?",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL AND shipped_at < TIMESTAMP '2026-10-20'"),
    ("which carriers have we used for customers in Oslo, and how many shipments each?",
     "SELECT s.carrier, COUNT(*) FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.city = 'Oslo' GROUP BY 1"),
])
def test_status_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    (["what share of orders were returned in each channel in 2026"], "and cancelled?",
     "SELECT channel, AVG(CASE WHEN status = 'cancelled' THEN 1.0 ELSE 0.0 END) FROM orders "
     "WHERE order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
])
def test_status_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("question", [
    # no refund amounts in the lake: a count of returned orders is not how much was refunded
    "how much did we refund on returns in September 2026?",
    "how much was refunded for cancelled orders this year",
])
def test_an_amount_the_lake_lacks_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


AS_OF_SQL = f"DATE '{COPILOT_AS_OF.isoformat()}'"


@pytest.mark.parametrize("question, gold", [
    ("how many days has the oldest pending order been waiting?",
     f"SELECT date_diff('day', MIN(order_date), {AS_OF_SQL}) FROM orders WHERE status = 'pending'"),
    ("how many days has the newest paid order been sitting, as of today?",
     f"SELECT date_diff('day', MAX(order_date), {AS_OF_SQL}) FROM orders WHERE status = 'paid'"),
    (f"how many days has our oldest open order been waiting (up to today, {COPILOT_AS_OF.day} November "
     f"{COPILOT_AS_OF.year})?",
     f"SELECT date_diff('day', MIN(order_date), {AS_OF_SQL}) FROM orders WHERE status IN ('pending', 'paid')"),
    ("on average, how many days have pending orders been waiting since they were placed",
     f"SELECT AVG(date_diff('day', order_date, {AS_OF_SQL})) FROM orders WHERE status = 'pending'"),
    ("how many weeks have open orders been waiting on average",
     f"SELECT AVG(date_diff('day', order_date, {AS_OF_SQL})) / 7.0 FROM orders WHERE status IN ('pending', 'paid')"),
    ("pending orders that have been sitting more than 9 days",
     "SELECT order_id FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-23'"),
    ("how many parcels have been in transit over 4 days",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL AND CAST(shipped_at AS DATE) < DATE '2026-10-28'"),
    ("how many orders are in status returned",
     "SELECT COUNT(*) FROM orders WHERE status = 'returned'"),
    ("orders in status delivered, count by carrier",
     "SELECT s.carrier, COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE o.status = 'delivered' GROUP BY 1"),
    ("orders with status shipped whose parcel left more than 5 days ago",
     "SELECT DISTINCT o.order_id FROM orders o JOIN shipments s USING (order_id) WHERE o.status = 'shipped' "
     "AND CAST(s.shipped_at AS DATE) < DATE '2026-10-27'"),
    ("how much was returned in 2025",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'returned' "
     "AND order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("Erik Olsen rang - how many open orders does he have?",
     "SELECT COUNT(*) FROM orders o JOIN customers c USING (customer_id) WHERE c.name = 'Erik Olsen' "
     "AND o.status IN ('pending', 'paid')"),
    ("a customer is asking about the urgent order 310 - what is its status?",
     "SELECT status FROM orders WHERE order_id = 310"),
    ("how many days did delivery of order 310 take - it seemed slow to her",
     f"SELECT {DELIVERY_DAYS} FROM shipments WHERE order_id = 310 AND delivered_at IS NOT NULL"),
    ("how many parcels shipped in September 2026 were delivered within one week?",
     "SELECT COUNT(*) FROM shipments WHERE CAST(shipped_at AS DATE) BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' "
     "AND date_diff('second', shipped_at, delivered_at) <= 604800"),
    ("how much value got cancelled per month in 2026",
     "SELECT date_trunc('month', order_date), SUM(total_amount) FROM orders WHERE status = 'cancelled' "
     "AND order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
])
def test_ages_medians_and_status_values(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    (["average delivery time in days per carrier in 2026"], "and the median?",
     f"SELECT carrier, MEDIAN({DELIVERY_DAYS}) FROM shipments WHERE delivered_at IS NOT NULL "
     "AND CAST(shipped_at AS DATE) BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    (["median delivery time per carrier"], "and the average?",
     f"SELECT carrier, AVG({DELIVERY_DAYS}) FROM shipments WHERE delivered_at IS NOT NULL GROUP BY 1"),
])
def test_ages_medians_and_status_values_in_follow_ups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


@pytest.mark.parametrize("context, question", [
    # an age with no aggregate said: each order's own age, or one figure, is not guessed
    ([], "how many days have paid orders been waiting"),
    # which orders wait is not said: not every order older than that
    ([], "orders waiting more than three weeks"),
    # a refund is no amount the lake holds, even with a status word
    ([], "how much was refunded for returned orders in 2025"),
    # a value said only in the remark is not set aside (it might narrow)
    ([], "late deliveries in September 2026 - apparently Bring was slow"),
    # the median of a sum is no per-row duration
    (["revenue by month in 2025"], "and the median?"),
])
def test_ages_and_status_values_refused_elsewhere(parser, context, question):
    form = None
    for previous in context:
        form = parser.parse(previous, COPILOT_AS_OF, form).form
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF, form)


# dev22 parcels: the group asked with "which" is ranked, the customers named only say whose parcels count (was one
# row per carrier and customer); "shipments ... that have been delivered" is the parcel's delivery, not the order's
# status; an amount in euros is never compared with an id asked after it
@pytest.mark.parametrize("question, gold", [
    ("Which carrier handled the most shipments to Norwegian customers this year?",
     "SELECT s.carrier, COUNT(*) AS n FROM shipments s JOIN orders o USING (order_id) JOIN customers c "
     "USING (customer_id) WHERE c.country = 'NO' AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-10-31' GROUP BY 1 ORDER BY n DESC LIMIT 1"),
    ("Of the shipments sent in Q3 2026 that have been delivered, what percent arrived within 3 days?",
     "SELECT 100.0 * COUNT(*) FILTER (WHERE delivered_at <= shipped_at + INTERVAL 3 DAY) / COUNT(*) FROM shipments "
     "WHERE delivered_at IS NOT NULL AND CAST(shipped_at AS DATE) BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
    ("Late deliveries last quarter on orders worth over 1000 euros: which order ids?",
     "SELECT o.order_id FROM orders o JOIN shipments s USING (order_id) WHERE o.total_amount > 1000 "
     "AND s.delivered_at > s.shipped_at + INTERVAL 3 DAY "
     "AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"),
])
def test_parcels_counted_for_a_group_asked(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "what fraction of their shipments" after "for Oslo customers": the parcels are the share's whole (was the share of
# the customers with a late parcel); "2026 (up to yesterday)" restates the year that runs, counted to date already
# (was: two periods). A share of "their shipments ... were delayed" is of every one of them, delivered or not (README
# convention: a late share is of delivered shipments unless the shipments themselves are its whole)
@pytest.mark.parametrize("question, gold", [
    ("For Oslo customers, what fraction of their shipments sent in 2026 (up to yesterday) were delayed?",
     "SELECT AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments s "
     "JOIN orders o USING (order_id) JOIN customers c USING (customer_id) WHERE c.city = 'Oslo' "
     "AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    ("For business customers, what share of their orders were returned in 2025?",
     "SELECT AVG(CASE WHEN o.status = 'returned' THEN 1.0 ELSE 0 END) FROM orders o JOIN customers c "
     "USING (customer_id) WHERE c.segment = 'business' AND year(o.order_date) = 2025"),
])
def test_the_whole_of_a_share_of_their_things(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "shipped two calendar days or more after the order date": the calendar days from the order date to the ship date,
# bounded (was refused); a list of orders "from October" with that gap keeps the orders' own period
@pytest.mark.parametrize("question, gold", [
    ("How many orders placed in September 2026 were shipped two calendar days or more after the order date?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date "
     "BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' AND date_diff('day', o.order_date, CAST(s.shipped_at AS DATE)) >= 2"),
    ("which orders from September 2026 were shipped at least 2 days after the order date",
     "SELECT DISTINCT o.order_id FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date "
     "BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' AND date_diff('day', o.order_date, CAST(s.shipped_at AS DATE)) >= 2"),
])
def test_days_from_order_to_shipping(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a carrier said between the shipping verb and its period: the period is still the shipping date (was: the order date)
@pytest.mark.parametrize("question, gold", [
    ("how many orders were shipped by DHL last month",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE s.carrier = 'DHL' "
     "AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("orders shipped with PostNord in September",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE s.carrier = 'PostNord' "
     "AND CAST(s.shipped_at AS DATE) BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    # the date said outright wins: "(by order date)"
    ("revenue of orders shipped with DHL this year (by order date)",
     "SELECT SUM(total_amount) FROM orders WHERE status NOT IN ('cancelled', 'returned') AND order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' AND order_id IN (SELECT order_id FROM shipments "
     "WHERE carrier = 'DHL')"),
])
def test_a_carrier_between_the_shipping_verb_and_its_period(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "delivered late": the delivered only decides lateness, so the share is of late parcels (of every shipment sent,
# as "share of shipments ... were" names its whole; among those delivered when only a late share is said), not of
# delivered ones among the late (was 1.0); "took N days to be delivered" is the parcel's delivery time, not the
# order status 'delivered'; "the longest? tracking number": a text of the ranked parcel is shown, never ranked by
@pytest.mark.parametrize("question, gold", [
    ("what share of shipments sent this year were delivered late?",
     "SELECT AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) FROM shipments "
     "WHERE CAST(shipped_at AS DATE) BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
    ("how many shipments took more than 2 days to be delivered?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 2 DAY"),
    ("which shipment still in transit has been on the road the longest? tracking number",
     "SELECT shipment_id, order_id, carrier, shipped_at, delivered_at, tracking_number FROM shipments "
     "WHERE delivered_at IS NULL ORDER BY shipped_at LIMIT 1"),
])
def test_a_condition_said_with_its_verb_and_a_text_beside_a_ranking(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "all of those placed on the earliest date": every open order of the first day, ties kept (was the first ten)
@pytest.mark.parametrize("question, gold", [
    ("which open orders are the oldest? all of those placed on the earliest date",
     "SELECT order_id, order_date, status, channel, total_amount FROM orders WHERE status IN ('pending', 'paid') "
     "AND order_date = (SELECT MIN(order_date) FROM orders WHERE status IN ('pending', 'paid'))"),
    ("which cancelled orders are the newest? all of those from the latest date",
     "SELECT order_id, order_date, status, channel, total_amount FROM orders WHERE status = 'cancelled' "
     "AND order_date = (SELECT MAX(order_date) FROM orders WHERE status = 'cancelled')"),
])
def test_every_thing_of_the_first_day_of_a_ranking(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "status of every order <customer> placed this year": each of those orders with its status ("every" names the
# orders listed, no grouping; was refused)
@pytest.mark.parametrize("question, gold", [
    ("status of every order Erik Olsen placed this year",
     "SELECT o.order_id, o.order_date, o.status, o.channel, o.total_amount FROM orders o JOIN customers c "
     "USING (customer_id) WHERE c.name = 'Erik Olsen' AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31'"),
])
def test_the_status_of_every_order_of_one_customer(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "within 24 hours of shipping": the event a delivery time is counted from restates it (was refused); "average days
# from order to shipping" is the time to ship (was refused)
@pytest.mark.parametrize("question, gold", [
    ("how many shipments were delivered within 24 hours of shipping?",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NOT NULL AND delivered_at - shipped_at <= INTERVAL 24 HOUR"),
    ("average days from order to shipping, by channel",
     "SELECT o.channel, AVG(epoch(s.shipped_at - CAST(o.order_date AS TIMESTAMP))) / 86400 FROM orders o "
     "JOIN shipments s USING (order_id) GROUP BY 1"),
])
def test_a_duration_counted_from_its_start_event(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "in transit - order id and carrier": a field joined by "and" to an id shown beside each row is a column too, not a
# grouping (was: a count per carrier); "by carrier" still groups
@pytest.mark.parametrize("question, gold", [
    ("shipments in transit shipped before 27 Oct 2026 - order id and carrier",
     "SELECT order_id, carrier FROM shipments WHERE delivered_at IS NULL AND shipped_at < TIMESTAMP '2026-10-27'"),
    ("shipments still in transit: carrier and order id",
     "SELECT order_id, carrier FROM shipments WHERE delivered_at IS NULL"),
    ("open orders by channel",
     "SELECT channel, COUNT(*) FROM orders WHERE status IN ('pending', 'paid') GROUP BY 1"),
])
def test_a_field_beside_a_shown_id_is_a_column(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "late delivery % (share of delivered shipments)": a condition that only decides another one named is the share's
# base (was: the share of late ones that were delivered, 100%); "orders that have been shipped before <day>": the
# period is the shipping date (was: the order date)
@pytest.mark.parametrize("question, gold", [
    ("late delivery % by carrier for 2025 (share of delivered shipments)",
     "SELECT carrier, 100.0 * AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) "
     "FROM shipments WHERE shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01' AND delivered_at IS NOT NULL "
     "GROUP BY 1"),
    ("Which orders have been shipped before 25 October 2026 and still aren't delivered?",
     "SELECT order_id FROM shipments WHERE delivered_at IS NULL AND shipped_at < TIMESTAMP '2026-10-25'"),
])
def test_a_share_of_the_deciding_condition_and_a_shipping_date(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "the order date of our oldest pending order": a column of the one ranked, shown (was: refused on 'order date')
@pytest.mark.parametrize("question, gold", [
    ("what's the order date of our oldest pending order?", "SELECT MIN(order_date) FROM orders WHERE status = 'pending'"),
    ("what is the total amount of our biggest order", "SELECT MAX(total_amount) FROM orders"),
])
def test_a_column_of_the_one_ranked(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a duration named again after its own bound ("took more than 4 days to arrive") restates the condition: the orders
# are listed (was: the average delivery time of those orders)
@pytest.mark.parametrize("question, gold", [
    ("orders shipped in sept 2026 that took more than 4 days to arrive",
     "SELECT DISTINCT s.order_id FROM shipments s WHERE s.shipped_at >= TIMESTAMP '2026-09-01' "
     "AND s.shipped_at < TIMESTAMP '2026-10-01' AND s.delivered_at > s.shipped_at + INTERVAL 4 DAY"),
    ("average delivery time of shipments that took more than 4 days to arrive",
     "SELECT AVG(date_diff('second', shipped_at, delivered_at)) / 86400 FROM shipments "
     "WHERE delivered_at > shipped_at + INTERVAL 4 DAY"),
])
def test_a_duration_restated_after_its_bound_lists_the_things(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "delivered ones" beside a figure of shipments alone (no order noun) are delivered parcels, not orders whose status is
# 'delivered' (was: parcels of orders later returned dropped)
@pytest.mark.parametrize("question, gold", [
    ("average delivery days of Posti in 2025, delivered ones",
     "SELECT AVG(date_diff('second', shipped_at, delivered_at)) / 86400.0 FROM shipments WHERE carrier = 'Posti' "
     "AND delivered_at IS NOT NULL AND shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01'"),
    ("Posti vs DHL average delivery days in 2025 (shipped in 2025, delievered ones)",
     "SELECT carrier, AVG(date_diff('second', shipped_at, delivered_at)) / 86400.0 FROM shipments "
     "WHERE carrier IN ('Posti', 'DHL') AND delivered_at IS NOT NULL AND shipped_at >= '2025-01-01' "
     "AND shipped_at < '2026-01-01' GROUP BY 1"),
])
def test_delivered_ones_of_a_shipment_figure_are_delivered_parcels(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# shipments counted, no order noun said: "delivered" is of the parcels (a delivery date), not the order's status
# (was: orders whose status is delivered, dropping parcels of orders later returned)
@pytest.mark.parametrize("question, gold", [
    ("how many shipments have been delivered",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NOT NULL"),
    ("how many shipments sent in 2025 were delivered",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= TIMESTAMP '2025-01-01' "
     "AND shipped_at < TIMESTAMP '2026-01-01'"),
])
def test_delivered_shipments_counted(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "what share of shipments sent this year were delivered late": a share of the shipments named right after "<share> of",
# its condition said after them as what happened to them, is of every one of them (one not yet delivered was not
# delivered late or in time); "delivered shipments", "already delivered" and a rule in the present ("are delivered
# within 2 days") keep the delivered ones only (was: of the delivered ones only, a silent wrong)
@pytest.mark.parametrize("question, gold", [
    ("what share of shipments sent this year were delivered late?",
     "SELECT AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) FROM shipments "
     "WHERE shipped_at >= TIMESTAMP '2026-01-01' AND shipped_at < TIMESTAMP '2026-11-01'"),
    ("share of shipments delivered late per carrier this year",
     "SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE shipped_at >= TIMESTAMP '2026-01-01' AND shipped_at < TIMESTAMP '2026-11-01' GROUP BY 1"),
    ("What fraction of shipments sent in 2026 were delivered within 2 days?",
     "SELECT AVG(CASE WHEN delivered_at <= shipped_at + INTERVAL 2 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE shipped_at >= '2026-01-01' AND shipped_at < '2026-11-01'"),
    ("what fraction of Bring shipments sent in September 2026 were delayed?",
     "SELECT AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE carrier = 'Bring' AND shipped_at >= '2026-09-01' AND shipped_at < '2026-10-01'"),
    ("What percent of Schenker's delivered shipments this year were late?",
     "SELECT 100.0 * AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE carrier = 'Schenker' AND delivered_at IS NOT NULL AND shipped_at >= '2026-01-01' "
     "AND shipped_at < '2026-11-01'"),
    ("what fraction of the shipments sent this year and already delivered arrived within 2 days of shipping?",
     "SELECT AVG(CASE WHEN delivered_at <= shipped_at + INTERVAL 2 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE delivered_at IS NOT NULL AND shipped_at >= '2026-01-01' AND shipped_at < '2026-11-01'"),
    ("What percentage of shipments are delivered within 2 days?",
     "SELECT 100.0 * AVG(CASE WHEN delivered_at <= shipped_at + INTERVAL 2 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE delivered_at IS NOT NULL"),
    ("what share of Bring deliveries were late in 2026?",
     "SELECT AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE carrier = 'Bring' AND delivered_at IS NOT NULL AND shipped_at >= '2026-01-01' "
     "AND shipped_at < '2026-11-01'"),
])
def test_a_share_of_the_shipments_said_is_of_every_one(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "late delivery % by carrier, out of delivered shipments": "out of" the delivered shipments names the share's whole,
# as "(share of delivered shipments)" does, on a share of shipments whose condition is known of delivered ones only
# (was: refused on 'out')
@pytest.mark.parametrize("question, gold", [
    ("late delivery % by carrier 2025, out of delivered shipments",
     "SELECT s.carrier, 100.0 * SUM(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1 ELSE 0 END) "
     "/ COUNT(*) FROM shipments s WHERE s.shipped_at >= TIMESTAMP '2025-01-01' AND s.shipped_at < TIMESTAMP "
     "'2026-01-01' AND s.delivered_at IS NOT NULL GROUP BY s.carrier"),
    ("on-time share per carrier this year out of delivered shipments",
     "SELECT carrier, AVG(CASE WHEN delivered_at <= shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) FROM shipments "
     "WHERE delivered_at IS NOT NULL AND shipped_at >= '2026-01-01' AND shipped_at < '2026-11-01' GROUP BY 1"),
])
def test_out_of_delivered_shipments_names_the_whole(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "Bring shipments that have not been delivered yet - which orders?": a closing "which orders" after shipments named
# lists the orders those shipments are of, the shipments' conditions and period (on the shipments' own date) only
# restricting them (was: refused on 'orders')
@pytest.mark.parametrize("question, gold", [
    ("Bring shipments that have not been delivered yet - which orders?",
     "SELECT DISTINCT order_id FROM shipments WHERE carrier = 'Bring' AND delivered_at IS NULL"),
    ("late shipments in October 2026 - which orders?",
     "SELECT DISTINCT order_id FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND shipped_at >= TIMESTAMP '2026-10-01' AND shipped_at < TIMESTAMP '2026-11-01'"),
    ("shipments delivered in October 2026 - which orders?",
     "SELECT DISTINCT order_id FROM shipments WHERE delivered_at >= TIMESTAMP '2026-10-01' "
     "AND delivered_at < TIMESTAMP '2026-11-01'"),
])
def test_which_orders_of_the_shipments_named(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "Use the ship date for the year": "use (the) <a thing's date> for the year / month / period" says which date the
# question's period is on, as "(by ship date)" does; the event the period was on ("delivered this year") still holds
# (was: refused on 'use', 'year')
@pytest.mark.parametrize("question, gold", [
    ("For each carrier, what share of the shipments delivered this year arrived late? Use the ship date for the year.",
     "SELECT carrier, COUNT(*) FILTER (WHERE delivered_at > shipped_at + INTERVAL 3 DAY) * 1.0 / COUNT(*) "
     "FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= '2026-01-01' AND shipped_at < '2026-11-01' "
     "GROUP BY carrier"),
    ("how many shipments were delivered in October 2026? use the ship date for the month",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= '2026-10-01' "
     "AND shipped_at < '2026-11-01'"),
])
def test_the_date_said_for_the_period(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "return rate 2025 vs 2026 so far", "Return rate (0-1) for 2025 and for 2026 so far, one row per year": a share of
# two periods compared that are whole units of one grain, one right after the other, is the share per unit over both
# (was: the second period dropped, the first one's share answered alone: a silent wrong; "and for" refused)
@pytest.mark.parametrize("question, gold", [
    ("Return rate (0-1) for 2025 and for 2026 so far, one row per year",
     "SELECT year(order_date) AS yr, AVG(CASE WHEN status = 'returned' THEN 1.0 ELSE 0.0 END) FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("return rate for 2025 vs 2026 so far",
     "SELECT year(order_date) AS yr, AVG(CASE WHEN status = 'returned' THEN 1.0 ELSE 0.0 END) FROM orders "
     "WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2026-10-31' GROUP BY 1"),
    ("return rate in Q2 2026 vs Q3 2026",
     "SELECT quarter(order_date) AS q, AVG(CASE WHEN status = 'returned' THEN 1.0 ELSE 0.0 END) FROM orders "
     "WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-09-30' GROUP BY 1"),
])
def test_a_share_of_two_periods_one_after_the_other(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# dev39 slice: order status read generically. A status right after "order" with no verb asking it picks the order
# ("oldest order still pending": was asked, the status dropped); "and where is it now?" after another thing asked of
# one order shows its status; "on the road / in transit the longest" ranks by the shipping date (was the order date);
# "which carriers took them" after shipped orders is the carriers that carried them (was: a delivery time)
@pytest.mark.parametrize("context, question, gold", [
    (None, "oldest order still pending in the b2b channel?",
     "SELECT order_id, order_date FROM orders WHERE status = 'pending' AND channel = 'b2b' ORDER BY order_date LIMIT 1"),
    (None, "the oldest order pending in the store channel",
     "SELECT order_id, order_date FROM orders WHERE status = 'pending' AND channel = 'store' ORDER BY order_date "
     "LIMIT 1"),
    (None, "Who placed order 120, and where is it now?",
     "SELECT c.name, o.status FROM orders o JOIN customers c USING (customer_id) WHERE o.order_id = 120"),
    (None, "Which order has been on the road the longest without being delivered?",
     "SELECT order_id, shipped_at FROM shipments WHERE delivered_at IS NULL ORDER BY shipped_at LIMIT 1"),
    (["how many orders shipped in 2025"], "which carriers took them and how many each?",
     "SELECT carrier, COUNT(DISTINCT order_id) FROM shipments WHERE shipped_at >= TIMESTAMP '2025-01-01' "
     "AND shipped_at < TIMESTAMP '2026-01-01' GROUP BY carrier"),
])
def test_order_status_read_of_the_one_order(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# dev39 slice: layer phrases "out for delivery" (not delivered) and "haven't gone out" (no shipment yet) (was: 'out',
# "haven't", 'gone' unplaced, refused)
@pytest.mark.parametrize("question, gold", [
    ("show me the three oldest paid orders that still haven't gone out",
     "SELECT order_id, order_date FROM orders WHERE status = 'paid' ORDER BY order_date ASC LIMIT 3"),
    ("how many orders are out for delivery right now, shipped but not delivered yet?",
     "SELECT COUNT(DISTINCT order_id) FROM shipments WHERE delivered_at IS NULL"),
    ("how many orders are out for delivery?",
     "SELECT COUNT(DISTINCT order_id) FROM shipments WHERE delivered_at IS NULL"),
])
def test_out_for_delivery_and_not_gone_out(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "<customers>: which of their orders ...": the orders are listed, the customers named first only restrict them
# (was: the customers listed)
@pytest.mark.parametrize("question, gold", [
    ("Tallinn customers: which of their orders are still in transit?",
     "SELECT DISTINCT o.order_id FROM orders o JOIN customers c USING (customer_id) JOIN shipments s "
     "ON s.order_id = o.order_id WHERE c.city = 'Tallinn' AND s.delivered_at IS NULL"),
])
def test_which_of_their_orders_lists_the_orders(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "since before <day>": a state begun before the day is dated before it; an "and" after the day that joins another
# clause (not a second day of a range) leaves the day as said (was: the month alone taken, 'since', 'before' unread)
@pytest.mark.parametrize("question, gold", [
    ("which parcels have been on the road since before 15 September and are still not delivered?",
     "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL AND CAST(shipped_at AS DATE) < DATE '2026-09-15'"),
    ("how many shipments were sent before 20 Aug and delivered late",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND CAST(shipped_at AS DATE) < DATE '2026-08-20'"),
])
def test_since_before_a_day_and_a_clause_after_it(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "which carrier has each of them?": "each" is each of the things named, so the carrier (a field of the shipment,
# one to one with its order) is shown beside each order listed, not the orders counted per carrier (was: refused);
# a marker word right before a status value ("marked delivered") says that status (layer status_markers)
@pytest.mark.parametrize("question, gold", [
    ("Aino Andersson has orders marked delivered - which carrier took each of them?",
     "SELECT o.order_id, s.carrier FROM orders o JOIN customers c USING (customer_id) JOIN shipments s "
     "ON s.order_id = o.order_id WHERE c.name = 'Aino Andersson' AND o.status = 'delivered'"),
    ("show Mikko Koskinen's delivered orders and the carrier of each",
     "SELECT o.order_id, s.carrier FROM orders o JOIN customers c USING (customer_id) JOIN shipments s "
     "ON s.order_id = o.order_id WHERE c.name = 'Mikko Koskinen' AND o.status = 'delivered'"),
])
def test_the_carrier_of_each_order_is_shown_beside_it(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "avg hours to delivery for bring in 2026": after "for" (as after "with", "via") "bring in" is the carrier and a
# period, not the verb of revenue (was: revenue beside the delivery time, no carrier condition)
@pytest.mark.parametrize("question, gold", [
    ("average delivery time in hours for bring in 2025",
     "SELECT AVG(epoch(delivered_at - shipped_at) / 3600.0) FROM shipments WHERE carrier = 'Bring' "
     "AND shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01'"),
])
def test_bring_after_for_is_the_carrier(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "... and with whom?" said of shipping: the carrier beside each order, as "by whom"; "give shipment id, order and
# carrier": the last field of a list shown beside each row, not a count per carrier
@pytest.mark.parametrize("question, gold", [
    ("which orders of Aino Andersson did we ship last month and with whom?",
     "SELECT o.order_id, s.carrier FROM orders o JOIN customers c USING (customer_id) JOIN shipments s "
     "ON s.order_id = o.order_id WHERE c.name = 'Aino Andersson' AND s.shipped_at >= DATE '2026-10-01' "
     "AND s.shipped_at < DATE '2026-11-01'"),
    ("undelivered shipments sent before 15 September 2026 - show shipment id, order and carrier",
     "SELECT shipment_id, order_id, carrier FROM shipments WHERE delivered_at IS NULL "
     "AND shipped_at < DATE '2026-09-15'"),
])
def test_carrier_asked_beside_each_row(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "transit" alone is the delivery time (layer synonym; "in transit" stays not delivered); a closing "which order is
# it" about the one shipment ranked asks its order id beside it (was: refused, 'order' not placed)
@pytest.mark.parametrize("question, gold", [
    ("shortest DHL transit in 2025 in hours",
     "SELECT MIN(epoch(delivered_at - shipped_at) / 3600.0) FROM shipments WHERE carrier = 'DHL' "
     "AND shipped_at >= TIMESTAMP '2025-01-01' AND shipped_at < TIMESTAMP '2026-01-01'"),
    ("how many shipments are in transit", "SELECT COUNT(*) FROM shipments WHERE delivered_at IS NULL"),
    ("newest shipment with DHL - which order was it?",
     "SELECT order_id FROM shipments WHERE carrier = 'DHL' ORDER BY shipped_at DESC LIMIT 1"),
])
def test_transit_and_the_order_of_the_one_shipment(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "delivered in a single day", "arrived within a day": within one day of shipping (was: refused, 'single', 'day')
@pytest.mark.parametrize("question, gold", [
    ("how many DHL parcels arrived within a day in 2025?",
     "SELECT COUNT(*) FROM shipments WHERE carrier = 'DHL' AND delivered_at <= shipped_at + INTERVAL 1 DAY "
     "AND shipped_at >= DATE '2025-01-01' AND shipped_at < DATE '2026-01-01'"),
    ("count of September 2026 shipments delivered in a single day",
     "SELECT COUNT(*) FROM shipments WHERE delivered_at <= shipped_at + INTERVAL 1 DAY "
     "AND shipped_at >= DATE '2026-09-01' AND shipped_at < DATE '2026-10-01'"),
])
def test_delivered_within_a_single_day(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "longest"/"shortest" never rank by an id: "... on the road the longest? order id" is the oldest parcel with its
# order id shown (was: ranked by the highest order id, a silent wrong); an id of another table the ranked
# things carry (the shipment's order_id) is shown beside them
@pytest.mark.parametrize("question, gold", [
    ("which parcel still not delivered has been in transit longest? give the order id",
     "SELECT order_id, shipped_at FROM shipments WHERE delivered_at IS NULL ORDER BY shipped_at LIMIT 1"),
    ("the 3 undelivered shipments on the road the longest - order ids",
     "SELECT order_id FROM shipments WHERE delivered_at IS NULL ORDER BY shipped_at LIMIT 3"),
    ("which open order has waited the longest? order number please",
     "SELECT order_id FROM orders WHERE status IN ('pending', 'paid') ORDER BY order_date, order_id LIMIT 1"),
])
def test_a_duration_extreme_never_ranks_by_an_id(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_an_id_named_after_a_ranking_is_not_its_measure(parser, engine):
    # near miss: "highest order id" names the id as what is ranked, and stays so
    assert_answers_like(parser, engine, "which undelivered shipment has the highest order id?",
                        "SELECT order_id FROM shipments WHERE delivered_at IS NULL ORDER BY order_id DESC LIMIT 1")


# two periods each said right after its own event's verb ("placed in ...", "shipped in ...") are two conditions on
# the same orders, the order date and the ship date (was: refused as two periods to compare; the same period said
# of both was read once, on the ship date only, a silent wrong)
@pytest.mark.parametrize("question, gold", [
    ("How many orders that were placed in September 2026 got shipped in October 2026?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date "
     "BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' AND s.shipped_at >= TIMESTAMP '2026-10-01' "
     "AND s.shipped_at < TIMESTAMP '2026-11-01'"),
    ("count the orders ordered in August 2026 and shipped in August 2026",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date "
     "BETWEEN DATE '2026-08-01' AND DATE '2026-08-31' AND s.shipped_at >= TIMESTAMP '2026-08-01' "
     "AND s.shipped_at < TIMESTAMP '2026-09-01'"),
    ("which orders shipped in October were placed in September? list them",
     "SELECT DISTINCT o.order_id FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date "
     "BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' AND s.shipped_at >= TIMESTAMP '2026-10-01' "
     "AND s.shipped_at < TIMESTAMP '2026-11-01'"),
    ("number of orders placed in September 2026 that shipped before 3 October 2026",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date "
     "BETWEEN DATE '2026-09-01' AND DATE '2026-09-30' AND s.shipped_at < TIMESTAMP '2026-10-03'"),
])
def test_periods_of_two_events_are_two_conditions(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_periods_of_two_events_near_misses(parser, engine):
    # "delivered" is also an order status: two periods with it stay refused, never a guess
    with pytest.raises(NotUnderstood, match="two periods"):
        answer(parser, engine, "how many orders placed in 2025 were delivered in 2026")
    # two periods of one event are still compared, one row each
    assert_answers_like(parser, engine, "number of orders placed in Q3 2026 vs Q2 2026",
                        "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-09-30' "
                        "GROUP BY order_date >= DATE '2026-07-01'")


# "shipped late": the parcel's event right before a condition of the parcel says how it went, never the order
# status (was: status shipped, orders still in transit, none of them late: 0 rows); a period after it is when they
# were shipped
@pytest.mark.parametrize("question, gold", [
    ("list the orders that were shipped late in August 2026",
     "SELECT DISTINCT o.order_id FROM orders o JOIN shipments s USING (order_id) WHERE "
     "s.delivered_at > s.shipped_at + INTERVAL 3 DAY AND s.shipped_at >= TIMESTAMP '2026-08-01' "
     "AND s.shipped_at < TIMESTAMP '2026-09-01'"),
    ("how many orders got shipped delayed?",
     "SELECT COUNT(DISTINCT s.order_id) FROM shipments s WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY"),
])
def test_an_event_said_of_a_parcel_condition_is_no_status(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_an_event_alone_is_still_the_status(parser, engine):
    # near miss: "shipped" with no condition of the parcel after it is the order status
    assert_answers_like(parser, engine, "how many orders are shipped right now?",
                        "SELECT COUNT(*) FROM orders WHERE status = 'shipped'")


# "shipped the next day", "shipped the same day as ordered", "shipped 1 day after the order date": that many whole
# calendar days from the order date to the ship date (was: refused, 'next', 'day' unplaced)
@pytest.mark.parametrize("question, gold", [
    ("How many September 2026 orders got shipped on the following day?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date BETWEEN "
     "DATE '2026-09-01' AND DATE '2026-09-30' AND CAST(s.shipped_at AS DATE) = o.order_date + 1"),
    ("count orders shipped the same day as they were ordered",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE CAST(s.shipped_at AS DATE) = o.order_date"),
    ("how many 2025 orders were shipped on their order date",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) WHERE o.order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' AND CAST(s.shipped_at AS DATE) = o.order_date"),
    ("how many orders got shipped 2 or more calendar days after the order?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE date_diff('day', o.order_date, CAST(s.shipped_at AS DATE)) >= 2"),
    ("how many orders were shipped 3 days after their order date?",
     "SELECT COUNT(DISTINCT o.order_id) FROM orders o JOIN shipments s USING (order_id) "
     "WHERE date_diff('day', o.order_date, CAST(s.shipped_at AS DATE)) = 3"),
])
def test_shipped_a_number_of_days_after_the_order(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_shipped_the_next_day_near_miss(parser, engine):
    # "delivered the next day" is no ship date: left to refuse, never read as the order-to-ship days
    with pytest.raises(NotUnderstood):
        answer(parser, engine, "how many orders were delivered the next day after the order date?")


# "<things> per <group>, top N": the things said are counted in each group and the groups ranked by that count (was:
# ranked by revenue or by the orders' amounts, a silent wrong)
@pytest.mark.parametrize("question, gold", [
    ("delayed shipments per customer in 2026 - top 3",
     "SELECT c.name, COUNT(DISTINCT s.shipment_id) AS n FROM shipments s JOIN orders o USING (order_id) JOIN customers c "
     "USING (customer_id) WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY AND s.shipped_at >= TIMESTAMP '2026-01-01' "
     "AND s.shipped_at < TIMESTAMP '2026-11-01' GROUP BY c.name, c.customer_id ORDER BY n DESC, c.name LIMIT 3"),
    ("returned orders per customer, top 4",
     "SELECT c.name, COUNT(*) AS n FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'returned' "
     "GROUP BY c.name, c.customer_id ORDER BY n DESC, c.name LIMIT 4"),
])
def test_things_per_group_ranked_by_their_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_figure_per_group_is_still_ranked_by_it(parser, engine):
    # near miss: a figure named before "per" is what is ranked, and "top 5 customers" alone stays by revenue
    assert_answers_like(parser, engine, "revenue per customer, top 3",
                        "SELECT c.name, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) "
                        "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY c.name, c.customer_id "
                        "ORDER BY r DESC LIMIT 3")


# "how many <unit> on average ... to deliver": the duration is an average already, so "on average" is its word
# and no count of orders rides along (was: a number of orders beside the delivery time); elsewhere "how many ...
# on average" stays a count's average.
@pytest.mark.parametrize("question, gold", [
    ("how many hours on average does Posti take to deliver",
     "SELECT AVG(EPOCH(delivered_at) - EPOCH(shipped_at)) / 3600 FROM shipments "
     "WHERE carrier = 'Posti' AND delivered_at IS NOT NULL"),
    ("how many days on average DHL uses to deliver in 2025",
     "SELECT AVG(EPOCH(delivered_at) - EPOCH(shipped_at)) / 86400 FROM shipments WHERE carrier = 'DHL' "
     "AND delivered_at IS NOT NULL AND shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01'"),
])
def test_how_many_units_on_average_is_the_duration_alone(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)
    form = parser.parse(question, COPILOT_AS_OF).form
    assert "count" not in form.measures


def test_how_many_on_average_per_thing_stays_a_count(parser):
    form = parser.parse("how many orders on average per customer", COPILOT_AS_OF).form
    assert "count" in form.measures


# "how many days after it was ordered did order N get shipped?": the whole days from the order date to the ship
# date asked as a figure, the calendar-day measure (was: refused, 'days' and 'after' not placed)
@pytest.mark.parametrize("question, gold", [
    ("how many days after the order date was order 1300 dispatched?",
     "SELECT date_diff('day', o.order_date, CAST(s.shipped_at AS DATE)) FROM orders o JOIN shipments s "
     "USING (order_id) WHERE o.order_id = 1300"),
    ("How many calendar days after ordering did order #2100 ship",
     "SELECT date_diff('day', o.order_date, CAST(s.shipped_at AS DATE)) FROM orders o JOIN shipments s "
     "USING (order_id) WHERE o.order_id = 2100"),
    ("how many days after they were placed were b2b orders shipped on average in 2026?",
     "SELECT AVG(date_diff('day', o.order_date, CAST(s.shipped_at AS DATE))) FROM orders o JOIN shipments s "
     "USING (order_id) WHERE o.channel = 'b2b' AND s.shipped_at >= TIMESTAMP '2026-01-01' "
     "AND s.shipped_at < TIMESTAMP '2026-11-01'"),
])
def test_how_many_days_after_the_order_was_it_shipped(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    # a delivery is no ship date, and "it" points at nothing here: both left to refuse
    "how many days after it was ordered did order 1300 get delivered?",
    "how many days after the order date was it shipped?",
])
def test_how_many_days_after_the_order_near_miss(parser, engine, question):
    with pytest.raises(NotUnderstood):
        answer(parser, engine, question)


# "the average number of calendar days between the order date and the date the shipment went out": whole days from
# the order date to the ship date ("calendar" picks the calendar-day measure; was: refused), and "the average number
# of hours between order and shipment" is the duration alone (was: a number of orders beside it)
@pytest.mark.parametrize("question, gold", [
    ("For web orders placed in 2025, what is the average number of calendar days between the order date and the "
     "date the parcel was shipped?",
     "SELECT AVG(date_diff('day', o.order_date, CAST(s.shipped_at AS DATE))) FROM orders o JOIN shipments s "
     "USING (order_id) WHERE o.channel = 'web' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("average number of hours between order and shipment",
     "SELECT AVG(EPOCH(s.shipped_at) - EPOCH(CAST(o.order_date AS TIMESTAMP))) / 3600 FROM orders o "
     "JOIN shipments s USING (order_id) WHERE s.shipped_at IS NOT NULL"),
])
def test_average_number_of_calendar_days_to_ship(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_calendar_days_of_another_span_refuses(parser, engine):
    # near miss: "calendar days" of a delivery names no calendar-day measure; left to refuse
    with pytest.raises(NotUnderstood):
        answer(parser, engine, "average number of calendar days between shipping and delivery")
