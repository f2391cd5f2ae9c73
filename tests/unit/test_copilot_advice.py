"""Advice and recommendations: reorder, promote, slow movers, bought together, carriers, and the plans said around them.

What each part checks:
- Derived stock measures, slow movers, and words that only name what a list is for (placed only when the layer
  lists them as purposes of the form that was read).
- Clauses that say only why a list is asked for ("for a bundle", "thinking of pushing it", "who deserves a volume
  deal") are placed when the layer lists them as purposes of the form that was read, and the answer says which
  definition answered the purpose.
- Advice-style questions ("what should we ...", "suggest ..."): the words that only say what a list is for
  (purposes and intents of the semantic layer) are placed when the form read fits them, and answer like the
  plain question; words that would change the answer are never dropped.
- Questions of managers asking for advice. A choice of carrier with no measure named is the fastest average
  delivery (said in the answer); a bare choice of another thing is refused; the asker's plan said after the
  question ("should we cancel them?", "I want someone to call them", "want to feature it") is set aside when it
  names nothing new and cannot narrow; 'still in stock' is a condition; 'product lines' are products; the units
  needed to get back up to the reorder level are the shortfall.
- A product's margin in euros per unit (list price minus unit cost), an amount "per unit" beside a per-unit
  figure, a money bound on a margin read as euros (never as a fraction), and "sales minus cost" as gross profit.
- The asker's own act of offering or recommending ("maybe offer them a trade account", "deciding where to push
  upsells") in a plan said after the question is set aside like the rest of the plan; a plan that names
  something new still is not.
- Advice questions with the asker's plan said after them. A plan may open 'so I know ...' / 'so we know ...' and
  say 'who' or 'more' of the asker's own act ('so I know who to call', 'they deserve more space');
  'they/those/these need ...' opens a plan too. Reordering or restocking the ones found, or sending someone, is
  the asker's act, not a low-stock condition or a carrier ('we should restock those' after a ranking leaves it
  whole). A plan that names something new (a warehouse, a carrier) is never set aside. Things that 'appear in'
  orders are the ones in those orders, as 'show up in'. 'Might be worth ...' opens a plan (the longest opener is
  read).
- Recommendation questions of buyers and managers. Reorder advice ("what should we reorder", "what needs
  restocking in X") lists every product at or below its reorder level (the glossary's low stock, the shipped
  set's reading), each shown with whether it is active, and the answer says discontinued ones are included;
  naming active or discontinued products narrows it. One row is asked by "the top one", "the slowest seller" (a
  singular mover noun), "what sells best / what is most often bought with X" (a superlative after "what" and a
  verb in the singular) and "which two products ... the pair". "In how many orders were A and B bought together"
  counts the orders holding both. "The margin in percent" is the margin on 0-100 (not a share of a total).
  Customers who ordered before (lapsed) are listed with their last order date. A follow-up re-ranking by another
  figure with no direction word keeps the lowest-first end. Purpose phrases ("we could push", "thinking of
  dropping it", "an urgent reorder", ...) are set aside when they fit the form. "When did X last sell" is its
  last sale date; a mended slip ("orderd before but not since") reads as spelt.
- Advice questions that rank or size a reorder. '<things> (end up|appear|show up) in <x> orders most often' ranks
  the things by how many such orders they are in, as 'in the most <x> orders' says it (a number before the
  things is how many). 'How many units should we order (of each ...) to get it/them back (up) to the reorder
  level' and 'how many <products> do we need to order to bring ... up to their reorder level' ask the shortfall
  below the reorder level (summed over all warehouses); a noun phrase between 'get'/'bring' and 'back up to' is
  whose shortfall. Without the purpose clause 'how many units should we order' stays as it was (not a
  shortfall). Periods around a month: 'before June 2026' is every day before its first day, 'after March' and
  'since the end of April' the days after its last one up to the day before the as-of day, 'since the start of
  August' and 'from the start of August until now' from its first day to date ('the month before March' is left
  alone). A last (or first) order date beside revenue is of all the customer's orders, not only those the
  revenue counts. 'Which <groups> sold less/had lower <figure> in <period> than (in) <period>': the groups whose
  figure in the first period is below (more/higher: above) the second's, a missing figure as 0; with a number
  asked as well it stays refused. 'How many customers ordered in <earlier> but haven't ordered (at all) in
  <later>': the lapsed customers counted. '(cancelled/returned orders don't count)' set apart by a bracket or a
  comma is 'excluding cancelled and returned orders'.
- A growth word that says which way (the layer's growth_direction: grew/increase up, decrease down), asked of the
  groups with 'which' and no ranking, keeps the groups whose figure moved that way between the two periods
  ('which brands had a units decrease from Q1 to Q2'); 'which products ...' makes the products the groups; with
  'the most', a number, or a direction-free word ('changed') it is every group's growth as before. A figure
  named as the subject of a stock condition ('products whose total stock is at or under their total reorder
  level', 'items that have stock below the reorder level') is what the condition compares: the things are listed
  or counted, not their stock summed, and 'have stock' there is no second condition (stock > 0); 'at or
  under/below their/its total reorder level' includes the level. A pointer ('it', 'its', 'them', 'those' ...) in
  a first question with nothing named before it is refused. A preface that ends with a colon or a spaced dash
  and names nothing the question does not name itself, with no word that may narrow or ask (the commentary
  blockers), is set aside as saying why ('Upsell thought: ...'); a preface that names a value, a purpose or
  holds a blocker stays part of the question. 'Show each with its <figure>', 'how much do we have of each' after
  a list of things is each thing listed; 'new' in a plan after the question ('deciding where to put the new
  hire') is the asker's own, as 'more' is. 'including <condition> ones' after things asked is no condition on
  them ('strictly below the reorder level' is below it); beside a condition on the same columns it stays
  refused.
- Number words up to ninety ('thirty', 'forty', 'sixty', 'ninety') are numbers as 'twenty' is ('the last ninety
  days', 'fewer than forty units'). 'how much is left', 'how many are left', 'how much/many do we have left' ask
  for stock. 'of each' at the end of a question, after things named with a condition, is each of those things:
  'how much'/'how many' there asks each one's figure, listed beside it, not one total. 'how much is that in
  total?' after things listed each with one summed figure (stock, units, revenue) is that figure summed over
  them; a shown figure that does not add up (an average, a distinct count) stays refused.
  'furthest/farthest/most below its (their, the) reorder level' ranks by the shortfall. 'who should ...' after
  the question is the asker's plan (set aside when it names nothing new), and 'after' in a plan ('look after
  them') is the plan's own word; a plan naming a new value or a period stays part of the question.
- Things with no rows on the other side of a join. When the question is about the things themselves (products,
  customers, and their brands or categories; the layer's ``zero_when_none`` entities) and ranks them from the
  bottom by a figure added up from other rows (units sold, revenue, orders: a sum or a count), or holds that
  figure to a bound that 0 meets ("fewer than 80 units", "less than 100 EUR", "at most one order"), every thing
  counts, one with none of those rows in the period as 0: the other rows are joined outer, their conditions (the
  glossary's sales, the period, a channel) filter the figure, and the figure is COALESCEd to 0. A question about
  the sales rows themselves (by month, channel), an average (a thing with no orders has no average) or a bound 0
  does not meet keeps the inner join. A condition on stock beside one on units sold is tested on the stock shown
  per product (was a Binder Error). A speed word said of a sales figure ("the 5 slowest products by units sold")
  is how fast they sell, slow the fewest first (was ranked by units, most first, beside a delivery time), and so
  is a bare speed word after a ranking by a sales figure ("and the 3 slowest?"). The demo lake (as of
  2026-11-01) has five products with no sale in October 2026, customers with no order in a month, and a brand
  with no Garden sale in the week of 19-25 October, so every row below but the last four (where the inner join
  stays) fails on an inner join.
"""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

pytestmark = pytest.mark.functional


AS_OF = COPILOT_AS_OF
VALID = VALID_ORDER
STOCK = ("(SELECT p.product_id, p.name, p.category, p.brand, p.active, SUM(i.quantity_on_hand) AS stock, "
         "SUM(i.reorder_level) AS reorder FROM products p JOIN inventory i USING (product_id) GROUP BY ALL)")
UNITS_2026 = (f"SELECT p.name, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) "
              f"JOIN products p USING (product_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2026-01-01' "
              "AND DATE '2026-10-31' GROUP BY 1")


@pytest.mark.parametrize("question, gold", [
    # slow / fast movers: products ranked by units sold, the speed word giving the end of the ranking
    ("the 4 slowest movers this year", f"{UNITS_2026} ORDER BY 2 ASC LIMIT 4"),
    ("fastest 2 movers this year", f"{UNITS_2026} ORDER BY 2 DESC LIMIT 2"),
    # a purpose word beside the form it names: kept, and the ranking is on the measure said
    ("which 4 products could we delist, lowest revenue in 2026",
     f"SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND o.order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 2 ASC LIMIT 4"),
    ("suggest 2 products to discontinue with the lowest revenue this year",
     f"SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND o.order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY 2 ASC LIMIT 2"),
    ("top 3 Bosch products by margin, worth promoting",
     "SELECT name, (unit_price - unit_cost) / unit_price FROM products WHERE brand = 'Bosch' ORDER BY 2 DESC LIMIT 3"),
    ("which Garden products are at risk of running out (low stock)",
     f"SELECT name FROM {STOCK} WHERE category = 'Garden' AND stock <= reorder"),
    ("what needs restocking in Kuopio",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand <= i.reorder_level"),
    # shortfall below the reorder level: reorder levels minus stock, per product beside a stock condition
    ("low stock products and how far below the reorder level they are",
     f"SELECT name, reorder - stock FROM {STOCK} WHERE stock <= reorder"),
    ("the 2 products with the biggest shortfall below reorder level",
     f"SELECT name, reorder - stock FROM {STOCK} ORDER BY 2 DESC LIMIT 2"),
    ("total shortfall of the low-stock products", f"SELECT SUM(reorder - stock) FROM {STOCK} WHERE stock <= reorder"),
    # stock as a multiple of the reorder level, and "overstocked" beside it
    ("overstocked: products whose stock is more than 8 times their reorder level",
     f"SELECT name, stock FROM {STOCK} WHERE stock > 8 * reorder"),
    ("Kitchen products whose stock is less than 2 times their reorder level",
     f"SELECT name FROM {STOCK} WHERE category = 'Kitchen' AND stock < 2 * reorder"),
    # the values of a product dimension a customer has no order line in (a set difference)
    ("which brands has customer 51 never bought, cross-sell ideas",
     "SELECT DISTINCT brand FROM products WHERE brand NOT IN (SELECT p.brand FROM orders o JOIN order_items oi "
     "USING (order_id) JOIN products p USING (product_id) WHERE o.customer_id = 51)"),
    ("categories customer 32 has never ordered from",
     "SELECT DISTINCT category FROM products WHERE category NOT IN (SELECT p.category FROM orders o JOIN "
     "order_items oi USING (order_id) JOIN products p USING (product_id) WHERE o.customer_id = 32)"),
    # units with a verb of keeping are units in stock, with a verb of selling units sold
    ("which 2 products do we hold the most units of", f"SELECT name, stock FROM {STOCK} ORDER BY 2 DESC LIMIT 2"),
    ("which 2 products sold the most units this year", f"{UNITS_2026} ORDER BY 2 DESC LIMIT 2"),
])
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, unplaced", [
    ("revenue by month in 2025, at risk", "at risk"),             # no stock condition: nothing is at risk
    ("top 3 products by revenue to discontinue", "discontinue"),  # the best sellers are no discontinue list
    ("worth promoting: the 3 cheapest customers", "worth promoting"),
    ("top movers by revenue", "movers"),
    ("overstocked Kitchen products", "overstocked"),
    ("revenue by category in 2025, cross-sell ideas", "cross-sell ideas"),               # no multiple said: no threshold to use                           # no speed word: "movers" is not placed
])
def test_a_purpose_word_beside_another_form_is_refused(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=unplaced):
        parser.parse(question, AS_OF)


STOCK_ROWS = ("(SELECT p.product_id, p.name, p.category, p.active, SUM(i.quantity_on_hand) AS stock, "
         "SUM(i.reorder_level) AS reorder FROM products p JOIN inventory i USING (product_id) GROUP BY ALL)")
REVENUE_2026 = (f"SELECT {{dim}}, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) "
                f"WHERE {VALID} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1")
MARGIN = "(unit_price - unit_cost) / unit_price"


@pytest.mark.parametrize("question, gold", [
    # a purpose clause beside the ranking it fits: the ranking asked is answered
    ("we're overstocked, which 2 products hold the most stock? want to promote them",
     f"SELECT name, stock FROM {STOCK_ROWS} ORDER BY 2 DESC LIMIT 2"),
    ("which 2 categories have the highest average margin? thinking of pushing them",
     f"SELECT category, AVG({MARGIN}) FROM products GROUP BY 1 ORDER BY 2 DESC LIMIT 2"),
    ("Kitchen products with margin below 30%, should we drop them?",
     f"SELECT name FROM products WHERE category = 'Kitchen' AND {MARGIN} < 0.30"),
    ("top 3 consumer customers by revenue this year, who deserves a volume deal",
     REVENUE_2026.format(dim="c.name").replace("WHERE", "WHERE c.segment = 'consumer' AND") + " ORDER BY 2 DESC LIMIT 3"),
    ("2 cities with the lowest revenue this year, where should we run a campaign?",
     REVENUE_2026.format(dim="c.city") + " ORDER BY 2 ASC LIMIT 2"),
    ("Erik Olsen's top category by revenue, so I know what to recommend him",
     f"SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN customers c USING (customer_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND c.name = 'Erik Olsen' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"),
    # "sitting in warehouses" says where stock is held, all warehouses together; the list shows the stock
    ("inactive products with stock sitting in warehouses, clearance candidates",
     f"SELECT name, stock FROM {STOCK_ROWS} WHERE NOT active AND stock > 0"),
    # the last words of a request to show a stock condition's products name the figure shown
    ("show products at or below their reorder level with stock",
     f"SELECT name, stock FROM {STOCK_ROWS} WHERE stock <= reorder"),
    # "where should we restock X" with the figures asked per warehouse: every warehouse shown
    ("where should we restock the Philips Cutting Board? stock and reorder level per warehouse",
     "SELECT i.warehouse, i.quantity_on_hand, i.reorder_level FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Philips Cutting Board'"),
])
def test_purpose_clauses_answer_like_their_gold_sql(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, said", [
    ("top 3 products bought together with the Philips Cutting Board, for a bundle", "bundle read as"),
    ("which carrier should we use for Helsinki? pick the one with the lowest average delivery time",
     "carrier choice read as"),
    ("which 3 products sold the fewest units this year, thinking about discontinuing them", "discontinue read as"),
    ("Which brand had the lowest turnover last year? Considering dropping it.", "discontinue read as"),  # an aside
    # a reason that does not fit is only a reason: the question is answered as asked
    ("Which category sold less in Q3 2026 than in Q2 2026? Might need a push.", "set aside as saying why"),
])
def test_the_answer_says_which_definition_answered_the_purpose(parser, question, said):
    assert said in parser.parse(question, AS_OF).interpretation


@pytest.mark.parametrize("question, unplaced", [
    ("top 3 customers by revenue, for a bundle", "bundle"),                  # no basket: nothing to bundle
    ("3 cities with the highest revenue, where should we run a campaign", "campaign"),  # the strongest, not weakest
    ("top 3 products by revenue, who deserves a volume deal", "volume deal"),  # products get no volume deal
    ("revenue by month in 2026, clearance candidates", "clearance"),
    ("where should we restock the Philips Cutting Board", "restock"),       # no figures per warehouse asked
    ("revenue by month, pick the one with the most", "pick the one"),       # no carrier to choose
    # set aside after the question, a purpose is still checked against what was read
    ("which products sold most in 2025? suggest quantities", "suggest quantities"),  # no shortfall read
])
def test_a_purpose_beside_another_form_is_refused(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=unplaced):
        parser.parse(question, AS_OF)


SOLD_THIS_YEAR = (f"SELECT p.name, SUM(oi.quantity) AS units FROM order_items oi JOIN orders o "
                  f"ON o.order_id = oi.order_id JOIN products p ON p.product_id = oi.product_id WHERE {VALID_ORDER} "
                  f"AND o.order_date >= DATE '2026-01-01' AND o.order_date < DATE '2026-11-01'")


@pytest.mark.parametrize("advice, plain", [
    # movers nouns: "slow SKUs", "slowest selling" are products by units sold (never late parcels)
    ("which 3 Lighting products sold the fewest units this year? thinking of discontinuing slow SKUs",
     "the 3 Lighting products with the fewest units sold this year"),
    ("What are our 10 slowest selling active products this year, by units?",
     "the 10 active products with the fewest units sold this year"),
    # purposes: renegotiate, reprice, carrier choice, transfer, clearance, restock, keep in stock, upsell, welcome
    ("Where should we renegotiate costs? Which category has the lowest average product margin?",
     "which category has the lowest average product margin?"),
    ("Which products have a margin below 25%? We may need to reprice them.",
     "Which products have a margin below 25%?"),
    ("We need a carrier for urgent orders, which one delivers fastest on average (in days)?",
     "which carrier has the shortest average delivery time in days?"),
    ("Which warehouse is sitting on the most Garden stock? Thinking of moving some elsewhere.",
     "Which warehouse has the most Garden stock?"),
    ("We're planning a clearance campaign - suggest the 5 products with the most units in stock overall.",
     "the 5 products with the most units in stock"),
    ("Anything completely sold out across all warehouses that we need to restock first?",
     "which products are out of stock?"),
    ("which 10 products sold the most units last month? want to make sure they never run out",
     "top 10 products by units sold last month"),
    ("give me our top 10 customers by revenue this year, candidates for a VIP upsell",
     "top 10 customers by revenue this year"),
    ("Customers who signed up but never ordered anything - list them so we can send a welcome offer.",
     "customers who never ordered anything"),
    # intents that say why, not which end: the ranking word decides
    ("Which carrier should we prefer? The one with the best on-time rate this year.",
     "which carrier has the best on-time rate this year?"),
    ("Which sales channel should we invest in? Show me revenue per channel this year.",
     "revenue per channel this year"),
    ("Suggest five active products we could discontinue - the ones bringing in the least revenue this year.",
     "the 5 active products with the least revenue this year"),
    # of two, "whichever has the higher" is the top one
    ("Which customer segment should we focus on? Whichever has the higher average order value this year.",
     "which segment has the highest average order value this year?"),
    # "give me five" after a ranking: how many of it
    ("Which consumer customers in Helsinki spend the most with us? Give me five for an upsell campaign.",
     "top 5 consumer customers in Helsinki by revenue"),
    ("Which consumer customers in Helsinki spend the most with us? Give me five.",
     "top 5 consumer customers in Helsinki by revenue"),
    ("Suggest the 5 products with the thinnest margin where a price increase would help most.",
     "the 5 products with the lowest margin"),
    # a ranking phrase that names who is ranked: "spenders" are customers
    ("top 5 biggest spenders in 2025", "top 5 customers by revenue in 2025"),
    # a newsletter names what the list is for; "over August to October" is that range of months
    ("Which product should we feature in next month's newsletter? Suggest the best seller by revenue over August "
     "to October.", "which product had the highest revenue from August to October?"),
    ("revenue over August to October", "revenue from August to October"),
    # a brand's range is its products
    ("Should we reprice the Bosch range? Show me the margin of every Bosch product.",
     "margin of each Bosch product"),
])
def test_advice_answers_like_the_plain_question(parser, engine, advice, plain):
    # the advice's columns (name + measure) are among the plain question's
    assert results_match(answer(parser, engine, advice), answer(parser, engine, plain)), advice


def test_the_weakest_average_across_its_products_is_one_brand(parser, engine):
    """'across its products' is what the average runs over, not a split by product."""
    got = answer(parser, engine, "which brand should we push for better purchase prices - the one with the "
                                 "weakest average margin across its products")
    gold = engine.execute("SELECT brand, AVG((unit_price - unit_cost) / unit_price) AS m FROM products "
                          "GROUP BY brand ORDER BY m LIMIT 1").rows
    assert results_match(gold, got)


def test_the_promote_intent_takes_the_direction_of_the_ranking(parser, engine):
    got = answer(parser, engine, "Which category should we promote in our stores - the one with the lowest "
                                 "store revenue last quarter?")
    plain = answer(parser, engine, "which category had the lowest store revenue last quarter?")
    assert results_match(got, plain)


def test_slowest_selling_is_fewest_units(parser, engine):
    got = answer(parser, engine, "our 5 slowest selling products this year")
    gold = engine.execute(SOLD_THIS_YEAR + " GROUP BY p.name ORDER BY units, p.name LIMIT 5").rows
    assert results_match(gold, got)


LATE_SHARE = ("SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) AS s "
              "FROM shipments WHERE delivered_at IS NOT NULL GROUP BY carrier ORDER BY s {} LIMIT 1")


@pytest.mark.parametrize("question, order", [
    # worst and best judge: the worst share of late parcels is the highest one
    ("which carrier has the worst late share?", "DESC"),
    ("If we had to drop one carrier, which has the worst late-delivery share over all our shipments?", "DESC"),
    ("which carrier has the best late share?", "ASC"),
    ("which carrier has the highest late share?", "DESC"),
])
def test_worst_and_best_of_an_undesirable_share(parser, engine, question, order):
    assert results_match(engine.execute(LATE_SHARE.format(order)).rows, answer(parser, engine, question))


def test_best_on_time_share_is_the_highest(parser, engine):
    gold = engine.execute("SELECT carrier, AVG(CASE WHEN delivered_at <= shipped_at + INTERVAL 3 DAY THEN 1.0 "
                          "ELSE 0.0 END) AS s FROM shipments WHERE delivered_at IS NOT NULL GROUP BY carrier "
                          "ORDER BY s DESC LIMIT 1").rows
    assert results_match(gold, answer(parser, engine, "which carrier has the best on-time share?"))


@pytest.mark.parametrize("question, plain", [
    # a suggestion of one thing is one row, not the default ten
    ("suggest the best selling product last month", "which product sold the most units last month?"),
    ("Suggest the best seller by revenue from August to October.",
     "which product had the highest revenue from August to October?"),
])
def test_a_suggestion_of_one_is_one_row(parser, engine, question, plain):
    got = answer(parser, engine, question)
    assert len(got) == 1 and results_match(got, answer(parser, engine, plain))


def test_a_purpose_phrase_does_not_make_its_words_need_placing(parser, engine):
    """'wants' of no phrase of its own: a request's verb, as before the call-list purpose."""
    got = answer(parser, engine, "Anna Larsen wants all her tracking numbers, can you pull them?")
    assert results_match(got, answer(parser, engine, "tracking numbers of Anna Larsen"))


STOCK_TOTALS = "(SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS reorder FROM inventory GROUP BY 1)"


@pytest.mark.parametrize("question, gold", [
    # a carrier to use, no measure named: the shortest average delivery time of delivered parcels
    ("which carrier should we use for Norway?",
     "WITH d AS (SELECT s.carrier, AVG(epoch(s.delivered_at - s.shipped_at)) AS t FROM shipments s "
     "JOIN orders o USING (order_id) JOIN customers c USING (customer_id) WHERE c.country = 'NO' "
     "AND s.delivered_at IS NOT NULL GROUP BY 1) SELECT carrier FROM d ORDER BY t LIMIT 1"),
    # "should we cancel them?" asks whether to act on the ones listed: not the status cancelled
    ("Which orders are still pending from before 15 October? should we cancel them?",
     "SELECT order_id FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-15'"),
    ("Clearance candidates in Electrical? i.e. discontinued but still in stock",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) "
     "WHERE p.category = 'Electrical' AND NOT p.active AND s.stock > 0"),
    ("Which warehouse has the most product lines at or below reorder level?",
     "SELECT warehouse FROM inventory WHERE quantity_on_hand <= reorder_level GROUP BY 1 ORDER BY COUNT(*) DESC "
     "LIMIT 1"),
    ("which products should we promote? give me the 5 active ones with the best margin",
     "SELECT name FROM products WHERE active ORDER BY (unit_price - unit_cost) / unit_price DESC LIMIT 5"),
    ("which customers have returned more than 3 orders? might need a chat",
     "SELECT customer_id FROM orders WHERE status = 'returned' GROUP BY 1 HAVING COUNT(*) > 3"),
    ("Which customers have an open order worth more than 1000 euros? I want someone to call and confirm them.",
     "SELECT DISTINCT customer_id FROM orders WHERE status IN ('pending', 'paid') AND total_amount > 1000"),
    ("Which warehouse holds the least Garden stock? We should move some garden items there.",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
     "GROUP BY 1 ORDER BY SUM(i.quantity_on_hand) LIMIT 1"),
    # "feature it": one thing is asked
    ("what sold best in Lighting in Q3 2026, in units? want to feature it in the window",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Lighting' AND o.order_date BETWEEN DATE '2026-07-01' AND "
     "DATE '2026-09-30' GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT 1"),
    ("For Drammen, give me a reorder list: every product under its reorder level there and how many units it "
     "takes to get back up to that level",
     "SELECT p.name, i.reorder_level - i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Drammen' AND i.quantity_on_hand < i.reorder_level"),
])
def test_advice_questions(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("context, question, gold", [
    (["Which orders are still pending from before 15 October? should we cancel them?"],
     "whats the total vaule of those orders?",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'pending' AND order_date < DATE '2026-10-15'"),
    # "those orders": the previous rows' own noun after the pointer (was a new question over every order)
    (["which orders are pending?"], "how much are those orders worth in total?",
     "SELECT SUM(total_amount) FROM orders WHERE status = 'pending'"),
])
def test_advice_followups(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


@pytest.mark.parametrize("question", [
    "which warehouse should we use?",
    # a plan that names something new (a channel) or narrows is never set aside
    "Which products sold best last year? We'd like the Finnish ones.",
])
def test_a_choice_with_nothing_to_choose_by_or_a_narrowing_plan_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, not_in_sql", [
    ("Which orders are still pending from before 15 October? should we cancel them?", "cancelled"),
    ("how many units of Bosch Garden Hose are still in stock?", "order_items"),
])
def test_advice_words_do_not_become_conditions(parser, question, not_in_sql):
    assert not_in_sql not in parser.parse(question, COPILOT_AS_OF).sql


def test_a_plan_that_narrows_is_never_set_aside(parser):
    result = parser.parse("Which products sold best last year? We should only count Bosch.", COPILOT_AS_OF)
    assert "Bosch" in result.sql and "set aside" not in result.interpretation


@pytest.mark.parametrize("question, gold", [
    # lapsed customers: an order (any status) in the earlier period and none in the later one
    ("Which business customers went quiet — ordered in 2025 but nothing at all this year?",
     "SELECT c.name FROM customers c WHERE c.segment = 'business' AND EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31') AND NOT "
     "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.order_date >= DATE '2026-01-01')"),
    ("Which Helsinki customers haven't ordered since the start of this year but did order in 2025?",
     "SELECT c.name FROM customers c WHERE c.city = 'Helsinki' AND EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31') AND NOT "
     "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.order_date >= DATE '2026-01-01')"),
    # a bound on what they spent in the earlier period says they ordered then (was: refused, two periods named)
    ("which customers spent over 2500 EUR in 2025 but have not ordered since 1 August 2026?",
     "SELECT c.name, SUM(o.total_amount) FROM customers c JOIN orders o USING (customer_id) WHERE "
     f"{VALID_ORDER} AND year(o.order_date) = 2025 AND c.customer_id NOT IN (SELECT customer_id FROM orders "
     "WHERE order_date >= DATE '2026-08-01') GROUP BY c.customer_id, c.name HAVING SUM(o.total_amount) > 2500"),
    # no order *since* a day: they ordered before it (lapsed), not customers who never ordered at all
    ("consumer customers who have placed no orders since 2026-07-01 - who should we email?",
     "SELECT c.name FROM customers c WHERE c.segment = 'consumer' AND EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id) AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id "
     "AND o.order_date >= DATE '2026-07-01')"),
    ("number of customers without orders since April 2026",
     "SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id "
     "AND o.order_date < DATE '2026-04-01') AND NOT EXISTS (SELECT 1 FROM orders o WHERE "
     "o.customer_id = c.customer_id AND o.order_date >= DATE '2026-04-01')"),
    ("customers who spent more than 800 euros in 2025 but nothing this year",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE "
     f"{VALID_ORDER} AND year(o.order_date) = 2025 AND c.customer_id NOT IN (SELECT customer_id FROM orders "
     "WHERE order_date >= DATE '2026-01-01') GROUP BY c.customer_id, c.name HAVING SUM(o.total_amount) > 800"),
    ("Which carrier should we drop? I mean the one with the highest share of late deliveries among shipments "
     "sent this year.",
     "WITH l AS (SELECT carrier, AVG(CASE WHEN delivered_at > shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) "
     "AS r FROM shipments WHERE delivered_at IS NOT NULL AND shipped_at >= TIMESTAMP '2026-01-01' GROUP BY 1) "
     "SELECT carrier FROM l ORDER BY r DESC LIMIT 1"),
    ("Which category is moving slowest this year in units?",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date >= DATE '2026-01-01' GROUP BY 1 ORDER BY SUM(oi.quantity) LIMIT 1"),
])
def test_lapsed_customers_dropping_and_slow_movers(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# customers with an order in each of two periods ("in both ... and ..."): an order in the later period and one in
# the earlier, not one span from the first to the last (was: refused as two periods, or the span counted)
@pytest.mark.parametrize("question, gold", [
    ("count the customers that placed orders in both 2024 and 2025",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM orders WHERE year(order_date) = 2024 INTERSECT "
     "SELECT customer_id FROM orders WHERE year(order_date) = 2025)"),
    ("which business customers bought both in July and in August?",
     "SELECT c.name FROM customers c WHERE c.segment = 'business' AND c.customer_id IN (SELECT customer_id FROM "
     "orders WHERE order_date BETWEEN DATE '2026-07-01' AND DATE '2026-07-31' INTERSECT SELECT customer_id FROM "
     "orders WHERE order_date BETWEEN DATE '2026-08-01' AND DATE '2026-08-31')"),
])
def test_customers_who_ordered_in_both_periods(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_figure_in_both_periods_is_still_refused(parser):
    # "both" with a figure, not customers who ordered: two periods with no comparing word, refused as before
    with pytest.raises(NotUnderstood):
        parser.parse("revenue by category in both 2024 and 2025", COPILOT_AS_OF)


def test_went_quiet_without_periods_is_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which customers went quiet?", COPILOT_AS_OF)


def test_contractions_are_not_quotes(parser):
    # "who've ... haven't": two apostrophes inside words are not a quoted name
    result = parser.parse("Who should we try to win back? Customers who've spent over 5000 euros in total with us "
                          "but haven't ordered anything since 1 May 2026.", COPILOT_AS_OF)
    assert "LIKE" not in result.sql.upper() and "5000" in result.sql


def test_products_of_a_category_a_customer_never_bought(parser, engine):
    gold = ("SELECT p.name FROM products p WHERE p.category = 'Tools' AND p.product_id NOT IN (SELECT oi.product_id "
            "FROM order_items oi JOIN orders o USING (order_id) WHERE o.customer_id = 32)")
    question = "Which Tools products has customer 32 never bought?"
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "Bundle ideas: which two products are most often bought in the same order?",
    "which product pair is bought together most often?",
])
def test_which_two_products_bought_together_is_one_pair(parser, engine, question):
    rows = answer(parser, engine, question)
    assert len(rows) == 1 and isinstance(rows[0][0], str) and isinstance(rows[0][1], str), question


def test_stock_spread_across_the_warehouses_is_per_warehouse(parser, engine):
    gold = ("SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
            "WHERE p.name = 'Philips Heat Pump' GROUP BY 1")
    question = "Philips Heat Pump: how is the stock spread across the warehouses? thinking of rebalancing"
    assert_answers_like(parser, engine, question, gold)


def test_twice_the_reorder_level_is_a_stock_multiple_of_two(parser, engine):
    gold = ("SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.name = 'Bosch Garden Hose' "
            "AND i.quantity_on_hand > 2 * i.reorder_level")
    question = "Which warehouses hold more than twice their reorder level of Bosch Garden Hose? Those could spare some."
    assert_answers_like(parser, engine, question, gold)


def test_ordered_before_but_not_in_a_window(parser, engine):
    gold = ("SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id) "
            "AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.order_date >= "
            "DATE '2026-08-03')")
    question = "how many customers have ordered before but not in the last 90 days? size of the win-back campaign"
    assert_answers_like(parser, engine, question, gold)


def test_growth_from_one_month_to_the_next_is_the_later_over_the_earlier(parser):
    form = parser.parse("revenue growth from September to October 2026", COPILOT_AS_OF).form
    assert (form.period.start, form.period.end) == ("2026-10-01", "2026-10-31")
    assert (form.compare_period.start, form.compare_period.end) == ("2026-09-01", "2026-09-30")


@pytest.mark.parametrize("question, gold", [
    ("which active products make us less than 2 euros per unit (list price minus cost)?",
     "SELECT name FROM products WHERE active AND unit_price - unit_cost < 2"),
    ("products with a margin below 2 euros",
     "SELECT name FROM products WHERE unit_price - unit_cost < 2"),
    ("which products have a unit margin of more than 100 euros?",
     "SELECT name FROM products WHERE unit_price - unit_cost > 100"),
    ("which product has the highest margin per unit?",
     "SELECT name FROM products ORDER BY unit_price - unit_cost DESC, name LIMIT 1"),
    ("top 3 active products with the highest margin in euros",
     "SELECT name FROM products WHERE active ORDER BY unit_price - unit_cost DESC, name LIMIT 3"),
    ("which product has the lowest margin per unit?",
     "SELECT name FROM products ORDER BY unit_price - unit_cost, name LIMIT 1"),
    ("which products cost more than 300 euros per unit?",
     "SELECT name FROM products WHERE unit_price > 300"),
    ("products with a margin below 20%",
     "SELECT name FROM products WHERE (unit_price - unit_cost) / unit_price < 0.2"),
    ("Which 3 products earned the most gross profit last year (sales minus cost)?",
     "SELECT p.name, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100) - oi.quantity * p.unit_cost) g "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY p.name ORDER BY g DESC LIMIT 3"),
])
def test_margins_in_euros_per_unit(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "customers who spent more than 300 euros per unit",  # 'per unit' beside a total is not placed
])
def test_per_unit_beside_a_total_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


LAST_SALE = (f"SELECT p.name, MAX(o.order_date) d FROM products p JOIN order_items oi USING (product_id) "
             f"JOIN orders o ON o.order_id = oi.order_id WHERE {VALID_ORDER} GROUP BY p.name")


@pytest.mark.parametrize("question, gold", [
    ("last sale date by product", LAST_SALE),
    ("which product has gone longest without a sale?", f"SELECT name FROM ({LAST_SALE}) ORDER BY d, name LIMIT 1"),
    ("which 5 products have gone the longest without selling?",
     f"SELECT name FROM ({LAST_SALE}) ORDER BY d, name LIMIT 5"),
    ("which product has the oldest last sale date?", f"SELECT name FROM ({LAST_SALE}) ORDER BY d, name LIMIT 1"),
    ("last sale date of each brand",
     f"SELECT p.brand, MAX(o.order_date) FROM products p JOIN order_items oi USING (product_id) "
     f"JOIN orders o ON o.order_id = oi.order_id WHERE {VALID_ORDER} GROUP BY p.brand"),
])
def test_a_products_last_sale_date(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "slow products",  # slow selling or late delivery: was the products of late parcels
    "for the slow stuff: which product sold the most units?",
    "the slowest 3 Garden products in the last 180 days",
])
def test_slow_said_of_products_with_no_parcel_named_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_slow_shipments_of_products_are_still_late_ones(parser, engine):
    gold = ("SELECT DISTINCT p.name FROM products p JOIN order_items oi USING (product_id) JOIN orders o "
            "ON o.order_id = oi.order_id JOIN shipments s ON s.order_id = o.order_id "
            "WHERE s.delivered_at > s.shipped_at + INTERVAL 3 DAY")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, "products in slow shipments"))


def test_dead_stock_names_a_list_of_stocked_products_not_sold_in_the_period(parser, engine):
    gold = ("SELECT p.name FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) s FROM inventory "
            "GROUP BY 1) i USING (product_id) WHERE i.s > 0 AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders o "
            f"USING (order_id) WHERE oi.product_id = p.product_id AND {VALID_ORDER} "
            "AND o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31')")
    question = "Dead stock check: anything with stock on hand that hasn't sold a single unit in the last 30 days?"
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["how much dead stock do we have?", "dead stock by warehouse"])
def test_dead_stock_with_no_conditions_stated_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def _transfer_gold(product: str, receiver: str) -> str:
    return ("SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) "
            f"WHERE p.name = '{product}' AND i.warehouse <> '{receiver}' "
            "ORDER BY i.quantity_on_hand - i.reorder_level DESC, i.warehouse LIMIT 1")


@pytest.mark.parametrize("question, product, receiver", [
    ("Vantaa is almost out of the Makita Copper Pipe. Which warehouse should we transfer some from — the one with "
     "the most spare stock above its reorder level?", "Makita Copper Pipe", "Vantaa"),
    ("Vantaa is running low on the Makita Copper Pipe. Which warehouse has the biggest surplus over reorder level "
     "to transfer from?", "Makita Copper Pipe", "Vantaa"),
])
def test_a_warehouse_named_beside_a_transfer_source_is_where_the_stock_goes(parser, engine, question, product,
                                                                             receiver):
    assert results_match(engine.execute(_transfer_gold(product, receiver)).rows, answer(parser, engine, question))


def test_spare_stock_is_the_surplus_over_reorder_level(parser, engine):
    gold = ("SELECT warehouse FROM inventory GROUP BY 1 "
            "ORDER BY SUM(quantity_on_hand) - SUM(reorder_level) DESC, warehouse LIMIT 1")
    assert results_match(engine.execute(gold).rows, answer(parser, engine, "which warehouse has the most spare stock?"))


CUSTOMER_REVENUE = (f"SELECT c.name, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) "
                    f"WHERE {VALID_ORDER} GROUP BY c.name, c.customer_id")


@pytest.mark.parametrize("question, gold", [
    ("who is our most valuable customer?", f"SELECT name FROM ({CUSTOMER_REVENUE}) ORDER BY r DESC LIMIT 1"),
    ("who's our single most valuable customer ever, by revenue?",
     f"SELECT name FROM ({CUSTOMER_REVENUE}) ORDER BY r DESC LIMIT 1"),
    ("who is our most valuable customer by number of orders?",
     "SELECT c.name FROM orders o JOIN customers c USING (customer_id) GROUP BY c.name, c.customer_id "
     "ORDER BY COUNT(*) DESC, c.name LIMIT 1"),
    ("who are the top spenders by number of orders?",
     "SELECT c.name, COUNT(*) FROM orders o JOIN customers c USING (customer_id) GROUP BY c.name, c.customer_id "
     "ORDER BY COUNT(*) DESC, c.name LIMIT 10"),
    ("For Finland, which carrier is slowest on average door to door?",
     "SELECT s.carrier FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) "
     "WHERE c.country = 'FI' AND s.delivered_at IS NOT NULL GROUP BY 1 "
     "ORDER BY AVG(date_diff('second', s.shipped_at, s.delivered_at)) DESC LIMIT 1"),
])
def test_most_valuable_is_by_revenue_unless_another_key_is_named(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("Which city except Oslo has the most revenue?",
     f"SELECT c.city FROM orders o JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND c.city <> 'Oslo' "
     "GROUP BY 1 ORDER BY SUM(o.total_amount) DESC LIMIT 1"),
    ("which warehouse other than Vantaa has the most stock?",
     "SELECT warehouse FROM inventory WHERE warehouse <> 'Vantaa' GROUP BY 1 ORDER BY SUM(quantity_on_hand) DESC "
     "LIMIT 1"),
    ("which categories other than Tools sold more than 1000 units?",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category <> 'Tools' GROUP BY 1 HAVING SUM(oi.quantity) > 1000"),
    ("revenue of categories other than Tools",
     f"SELECT SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND p.category <> 'Tools'"),
])
def test_which_thing_other_than_a_value_still_asks_for_those_things(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


AOV = (f"SELECT o.channel, AVG(o.total_amount) FROM orders o WHERE {VALID_ORDER} "
       "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY o.channel")


@pytest.mark.parametrize("question, gold", [
    ("average order value per channel this year? deciding where to push upsells", AOV),
    ("average order value per channel this year? maybe recommend them something", AOV),
    ("Which consumer customers spent more than 3000 euros this year? Maybe offer them a trade account.",
     f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} "
     "AND c.segment = 'consumer' AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY c.customer_id, c.name HAVING SUM(o.total_amount) > 3000"),
])
def test_offering_in_a_plan_after_the_question_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "average order value per channel this year? deciding where to push upsells in Garden",  # a value: may narrow
    "average order value per channel this year? maybe offer them only the cheapest",  # 'only' may narrow
])
def test_a_plan_naming_something_new_is_not_set_aside(parser, question):
    assert parser.set_aside_commentary(question, COPILOT_AS_OF) == (question, []), question


TOP_CUSTOMER = (f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} "
                "GROUP BY c.customer_id, c.name ORDER BY SUM(o.total_amount) DESC LIMIT 1")


@pytest.mark.parametrize("question, gold", [
    ("who's our single most valuable customer ever, by revenue? they should get the VIP treatment", TOP_CUSTOMER),
    ("who is our most valuable customer by revenue? those should get a thank-you call", TOP_CUSTOMER),
])
def test_what_the_ones_found_should_get_is_a_plan(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "who's our most valuable customer? they should get the Garden catalogue",  # a value: may narrow
    "who's our most valuable customer? they should get only the top offer",
])
def test_what_they_should_get_naming_something_new_is_not_set_aside(parser, question):
    assert parser.set_aside_commentary(question, COPILOT_AS_OF) == (question, []), question




@pytest.mark.parametrize("question, gold", [
    # "more" in the plan is the asker's own act, not a ranking or a comparison
    ("Which 3 products brought in the most revenue in 2025? They deserve more space in the catalogue.",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, "
     "p.name ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 3"),
    ("which category did customer 32 spend the most on? we want to pitch more of it",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.customer_id = 32 GROUP BY 1 "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1"),
    # "so I know who to call": the plan asks nothing
    ("Which Oslo customers ordered in 2025? so I know who to call",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Oslo' "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    # restocking the ones found is the asker's plan: the ranking is not narrowed to low-stock products
    ("Which 3 products sold the most units in Q3 2026? we should restock those",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' "
     "GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity) DESC LIMIT 3"),
    ("Which products have zero stock? These need a quick restock.",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE s.stock = 0"),
    # "might be worth ..." opens a plan as "might" does ("worth" is then no order value)
    ("Which 2 brands sold the fewest units in 2025? Might be worth discontinuing them.",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity) LIMIT 2"),
    # sending is the asker's act, not a carrier's
    ("Which warehouse holds the most Garden stock? that's where I'll send the team",
     "SELECT i.warehouse FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Garden' "
     "GROUP BY 1 ORDER BY SUM(i.quantity_on_hand) DESC LIMIT 1"),
    # "appear in" the orders: the products of those orders, counted by order
    ("which 5 products appear in the most cancelled orders?",
     "SELECT p.name FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status = 'cancelled' GROUP BY p.product_id, p.name ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 5"),
])
def test_plans_said_after_advice_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question", [
    "Which 3 products sold the most units in Q3 2026? we should restock those",
    "Which products have zero stock? These need a quick restock.",
])
def test_a_restock_plan_is_set_aside_not_a_condition(parser, question):
    result = parser.parse(question, COPILOT_AS_OF)
    assert "reorder_level" not in result.sql and "set aside" in result.interpretation, question


@pytest.mark.parametrize("question", [
    # the plan names a warehouse the question does not
    "Which products sold the most units last month? Those need restocking in Kuopio.",
    "which customers ordered most in 2025? we'll send them a voucher with Posti",
    # 'more ... than' compares: not the asker's own amount
    "which customer spent the most in 2025? we want to sell more to them than to Oslo",
    # a plan with a new condition or a ranking of its own is not the asker's act
    "Which customers ordered in 2025? so I know who to call first among the biggest",
])
def test_a_plan_naming_something_new_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


TOGETHER = ("SELECT o.name, COUNT(DISTINCT a.order_id) AS n FROM order_items a JOIN order_items b "
            "ON a.order_id = b.order_id AND a.product_id <> b.product_id JOIN products t ON t.product_id = a.product_id "
            "JOIN products o ON o.product_id = b.product_id WHERE t.name = '{name}' GROUP BY o.name "
            "ORDER BY n DESC, o.name LIMIT {limit}")


@pytest.mark.parametrize("question, gold", [
    # reorder advice: every low-stock product, with its active flag
    ("which items do we have to reorder?",
     f"SELECT p.name, p.active FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("what does the Kuopio warehouse need to reorder?",
     "SELECT p.name, p.active FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand <= i.reorder_level"),
    ("which active Lighting items need restocking?",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE p.category = 'Lighting' "
     "AND p.active AND s.stock <= s.reorder"),
    ("reorder review - which products are at or below their reorder level?",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("which products are at zero stock? they need an urgent reorder",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE s.stock = 0"),
    # a discontinued product named: the question says which ones
    ("which discontinued products would we have to reorder?",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE NOT p.active AND s.stock <= s.reorder"),
    # one row asked
    ("what is most often bought with the Bosch Garden Hose?", TOGETHER.format(name="Bosch Garden Hose", limit=1)),
    ("what do people buy along with the Makita Copper Pipe? only the top one",
     TOGETHER.format(name="Makita Copper Pipe", limit=1)),
    ("what is usually bought with the Makita Copper Pipe?", TOGETHER.format(name="Makita Copper Pipe", limit=10)),
    ("the slowest seller among Lighting products in 2025, by units?",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Lighting' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY p.product_id, p.name ORDER BY SUM(oi.quantity), p.name LIMIT 1"),
    ("which two products are most often bought together? name the pair",
     "SELECT pa.name, pb.name FROM order_items a JOIN order_items b ON a.order_id = b.order_id "
     "AND a.product_id < b.product_id JOIN products pa ON pa.product_id = a.product_id "
     "JOIN products pb ON pb.product_id = b.product_id GROUP BY 1, 2 "
     "ORDER BY COUNT(DISTINCT a.order_id) DESC, 1, 2 LIMIT 1"),
    # a count of the orders holding both
    ("in how many orders were the Bosch Garden Hose and the Makita Copper Pipe bought together in 2025?",
     "SELECT COUNT(*) FROM (SELECT oi.order_id FROM order_items oi JOIN orders o USING (order_id) "
     "JOIN products p USING (product_id) WHERE p.name IN ('Bosch Garden Hose', 'Makita Copper Pipe') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "HAVING COUNT(DISTINCT p.name) = 2)"),
    ("in how many orders were the Bosch Garden Hose and the Makita Copper Pipe bought together, per channel?",
     "SELECT o.channel, COUNT(*) FROM orders o WHERE o.order_id IN (SELECT oi.order_id FROM order_items oi "
     "JOIN products p USING (product_id) WHERE p.name IN ('Bosch Garden Hose', 'Makita Copper Pipe') GROUP BY 1 "
     "HAVING COUNT(DISTINCT p.name) = 2) GROUP BY 1"),
    # the margin asked in percent: 0-100
    ("products with a margin under 30%, with their margin in percent",
     "SELECT name, 100 * (unit_price - unit_cost) / unit_price FROM products "
     "WHERE (unit_price - unit_cost) / unit_price < 0.3"),
    # lapsed customers with their last order
    ("customers who ordered before but not since 1 June 2026",
     "SELECT c.name, MAX(o.order_date) FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, "
     "c.name HAVING MAX(o.order_date) < DATE '2026-06-01'"),
    # "when did X last sell": the date of its latest sale
    ("when was the Makita Hammer last sold?",
     f"SELECT MAX(o.order_date) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND p.name = 'Makita Hammer'"),
    # a slip mended before the ordered-before reading
    ("customers who have orderd before but not since 1 June 2026",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name "
     "HAVING MAX(o.order_date) < DATE '2026-06-01'"),
    # purposes set aside
    ("best-margin Paint product we could push?",
     "SELECT name FROM products WHERE category = 'Paint' ORDER BY (unit_price - unit_cost) / unit_price DESC "
     "LIMIT 1"),
    ("lowest revenue Garden product in 2025, thinking of dropping it",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND p.category = 'Garden' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY p.product_id, p.name "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) LIMIT 1"),
])
def test_recommendation_questions(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("context, question, gold", [
    # no direction word: the same (lowest-first) end, on the new figure
    (["which 3 brands had the lowest revenue in 2025?"], "what about by units sold instead?",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 "
     "ORDER BY SUM(oi.quantity) LIMIT 3"),
    (["what should the Vantaa warehouse reorder?"], "and Kuopio?",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand <= i.reorder_level"),
])
def test_recommendation_followups(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context)), question


def test_reorder_advice_says_discontinued_ones_are_included(parser):
    said = parser.parse("what should we reorder?", COPILOT_AS_OF).interpretation
    assert "discontinued ones included" in said


@pytest.mark.parametrize("question", [
    # a basket's counts split by an order's field: refused, not dropped
    "what is usually bought together with the Makita Copper Pipe per channel?",
    "which products should we reorder from the supplier with the shortest lead time?",
])
def test_unclear_recommendations_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)




@pytest.mark.parametrize("question, gold", [
    # "most often" after "in <x> orders": ranked by how many of those orders, a number before is the top N
    ("Which 3 products end up in cancelled orders most often?",
     "SELECT p.name FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status = 'cancelled' GROUP BY p.product_id, p.name ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 3"),
    ("which two brands show up in b2b orders most frequently?",
     "SELECT p.brand FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.channel = 'b2b' GROUP BY 1 ORDER BY COUNT(DISTINCT o.order_id) DESC LIMIT 2"),
    # the shortfall, asked as the act of ordering with the level to reach after it
    ("how many units do we need to order of each low-stock product to bring it back up to its reorder level?",
     f"SELECT p.name, s.reorder - s.stock FROM products p JOIN {STOCK_TOTALS} s USING (product_id) "
     "WHERE s.stock <= s.reorder"),
    ("How many units should we order to get the Lighting products back to their reorder levels, per product?",
     f"SELECT p.name, s.reorder - s.stock FROM products p JOIN {STOCK_TOTALS} s USING (product_id) "
     "WHERE p.category = 'Lighting'"),
])
def test_rankings_and_reorder_sizes(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_shortfall_of_one_named_product(parser, engine):
    name = engine.execute("SELECT name FROM products ORDER BY product_id LIMIT 1").rows[0][0]
    assert_answers_like(parser, engine, f"how many {name}s must we order to get back up to the reorder level?",
                        f"SELECT s.reorder - s.stock FROM products p JOIN {STOCK_TOTALS} s USING (product_id) "
                        f"WHERE p.name = '{name}'")


def test_ordering_without_the_level_to_reach_is_no_shortfall(parser):
    try:
        result = parser.parse("how many units should we order of each low stock product?", COPILOT_AS_OF)
    except NotUnderstood:
        return
    assert "reorder_level) - SUM" not in result.sql


@pytest.mark.parametrize("question, gold", [
    # (no order since a day: customers who ordered before it, not those who never ordered)
    ("How many customers haven't ordered anything since the end of March 2026?",
     "SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id) "
     "AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id "
     "AND o.order_date >= DATE '2026-04-01')"),
    ("how many orders were placed after August 2026?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-10-31'"),
    ("units sold from the start of September until now",
     f"SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "AND o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-10-31'"),
    ("customers whose last order was before July 2026",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name "
     "HAVING MAX(o.order_date) < DATE '2026-07-01'"),
    # the last order is of every order, the revenue of those that count as sales
    ("our top 5 customers by revenue whose last order was before May 2026",
     f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name "
     f"HAVING MAX(o.order_date) < DATE '2026-05-01' ORDER BY SUM(o.total_amount) FILTER (WHERE {VALID_ORDER}) DESC "
     "LIMIT 5"),
])
def test_periods_around_a_month(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


REV = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


@pytest.mark.parametrize("question, gold", [
    ("Which brands had lower revenue in Q2 2026 than in Q1 2026?",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM({REV}) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' "
     f"AND DATE '2026-06-30'), 0) < COALESCE(SUM({REV}) FILTER (WHERE o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-03-31'), 0)"),
    ("which channels had more orders in August than July?",
     "SELECT o.channel FROM orders o GROUP BY 1 HAVING COUNT(*) FILTER (WHERE o.order_date BETWEEN DATE '2026-08-01' "
     "AND DATE '2026-08-31') > COUNT(*) FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-07-31')"),
])
def test_groups_lower_or_higher_in_one_period_than_another(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_number_beside_than_periods_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which 3 brands had more orders in August than July?", COPILOT_AS_OF)


def test_lapsed_customers_counted(parser, engine):
    assert_answers_like(
        parser, engine, "How many customers ordered in Q1 2026 but haven't ordered at all in Q3 2026?",
        "SELECT COUNT(*) FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id "
        "AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31') AND NOT EXISTS (SELECT 1 FROM orders o "
        "WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30')")


def test_no_order_in_the_earlier_period_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("which customers haven't ordered in Q1 but ordered in Q3?", COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("how many orders did we get in 2025 (cancelled/returned orders don't count)?",
     f"SELECT COUNT(*) FROM orders o WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'"),
    ("number of web orders in Q2 2026, pending orders do not count",
     "SELECT COUNT(*) FROM orders o WHERE o.status <> 'pending' AND o.channel = 'web' "
     "AND o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"),
])
def test_orders_that_do_not_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


Q1 = "o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31'"
Q2 = "o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"


@pytest.mark.parametrize("question, gold", [
    ("Which brands had a revenue decrease from Q1 2026 to Q2 2026?",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM({REV}) FILTER (WHERE {Q2}), 0) "
     f"< COALESCE(SUM({REV}) FILTER (WHERE {Q1}), 0)"),
    ("which categories grew in units sold from Q1 2026 to Q2 2026",
     f"SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY 1 HAVING COALESCE(SUM(oi.quantity) FILTER (WHERE {Q2}), 0) "
     f"> COALESCE(SUM(oi.quantity) FILTER (WHERE {Q1}), 0)"),
    ("Which products saw an increase in units sold from Q1 2026 to Q2 2026?",
     f"SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} GROUP BY p.product_id, p.name HAVING COALESCE(SUM(oi.quantity) FILTER (WHERE {Q2}), 0) "
     f"> COALESCE(SUM(oi.quantity) FILTER (WHERE {Q1}), 0)"),
])
def test_groups_that_moved_one_way(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "which brand grew the most from Q1 2026 to Q2 2026",
    "which categories changed from Q1 2026 to Q2 2026",
    "revenue decrease per category from Q1 2026 to Q2 2026",
])
def test_a_ranking_or_no_direction_keeps_every_group(parser, question):
    result = parser.parse(question, COPILOT_AS_OF)
    assert "HAVING" not in result.sql


@pytest.mark.parametrize("question, gold", [
    ("list the items whose total stock is at or under their total reorder level",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("which products have total stock at or below its total reorder level?",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE s.stock <= s.reorder"),
    ("how many products have stock under their reorder level?",
     f"SELECT COUNT(*) FROM {STOCK_TOTALS} s WHERE s.stock < s.reorder"),
    ("count of active products whose total stock is below their total reorder level",
     f"SELECT COUNT(*) FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE p.active AND s.stock < s.reorder"),
])
def test_the_figure_a_stock_condition_compares(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "shortfall of it",
    "what is its stock?",
    "how many of those are active",
    "revenue of them last month",
])
def test_a_pointer_with_nothing_before_it_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


@pytest.mark.parametrize("question, gold", [
    ("Upsell thought: which business customers have bought from the Tools category?",  # bought: sales orders
     "SELECT DISTINCT c.customer_id, c.name FROM customers c JOIN orders o USING (customer_id) "
     "JOIN order_items oi USING (order_id) "
     f"JOIN products p USING (product_id) WHERE c.segment = 'business' AND p.category = 'Tools' AND {VALID_ORDER}"),
    ("For our Finnish newsletter - top 3 products by revenue from customers in Finland last year",
     "SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND c.country = 'FI' "
     f"AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, p.name "
     f"ORDER BY SUM({REV}) DESC LIMIT 3"),
])
def test_a_preface_saying_why_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_preface_naming_a_value_is_kept(parser):
    result = parser.parse("Garden: top 3 products by revenue", COPILOT_AS_OF)
    assert "Garden" in result.sql


def test_a_preface_with_a_blocker_is_not_set_aside(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("Only a hunch - which city has the fewest business customers?", COPILOT_AS_OF)


def test_each_of_the_things_listed_with_their_figure(parser, engine):
    assert_answers_like(parser, engine, "inactive items that still hold stock - how much do we have of each?",
                        f"SELECT p.name, s.stock FROM products p JOIN {STOCK_TOTALS} s USING (product_id) "
                        "WHERE NOT p.active AND s.stock > 0")


def test_new_in_a_plan_is_the_askers_own(parser, engine):
    assert_answers_like(
        parser, engine, "which channel brought in the most revenue in 2025? deciding where to put the new hire",
        f"SELECT o.channel FROM orders o WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' "
        "AND DATE '2025-12-31' GROUP BY 1 ORDER BY SUM(o.total_amount) DESC LIMIT 1")


def test_including_a_condition_is_no_condition(parser, engine):
    assert_answers_like(parser, engine, "which products are strictly under their reorder level, including inactive ones?",
                        f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE s.stock < s.reorder")


def test_including_beside_the_same_condition_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("active products below the reorder level, including discontinued ones", COPILOT_AS_OF)




@pytest.mark.parametrize("question, gold", [
    ("top 3 products by revenue in the last ninety days",
     "SELECT p.name FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-08-03' AND DATE '2026-10-31' "
     f"GROUP BY p.product_id, p.name ORDER BY SUM({REV}) DESC LIMIT 3"),
    ("how many orders came in over the past thirty days?",
     "SELECT COUNT(*) FROM orders o WHERE o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31'"),
    ("which categories sold more than forty units in the last sixty days",
     "SELECT p.category FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-09-02' AND DATE '2026-10-31' "
     "GROUP BY 1 HAVING SUM(oi.quantity) > 40"),
])
def test_number_words(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, gold", [
    ("inactive products we still stock: how many are left of each?",
     f"SELECT p.name, s.stock FROM products p JOIN {STOCK_TOTALS} s USING (product_id) WHERE NOT p.active AND s.stock > 0"),
    ("Garden products that are low on stock - how much stock of each?",
     f"SELECT p.name, s.stock FROM products p JOIN {STOCK_TOTALS} s USING (product_id) "
     "WHERE p.category = 'Garden' AND s.stock <= s.reorder"),
    ("how much do we have left of the Tools category?",
     "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE p.category = 'Tools'"),
])
def test_what_is_left_and_each_ones_figure(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_shown_figure_summed_over_the_rows(parser, engine):
    assert_answers_like(
        parser, engine, "what does that add up to?",
        "SELECT SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) WHERE NOT p.active",
        context=["inactive products with their stock"])


def test_a_shown_average_is_not_summed(parser):
    form = parser.parse("Garden products with their average discount", COPILOT_AS_OF).form
    with pytest.raises(NotUnderstood):
        parser.parse("how much is that in total?", COPILOT_AS_OF, form)


@pytest.mark.parametrize("question, gold", [
    ("which 2 items are farthest below their reorder level?",
     f"SELECT p.name FROM products p JOIN {STOCK_TOTALS} s USING (product_id) ORDER BY s.reorder - s.stock DESC LIMIT 2"),
])
def test_furthest_below_the_reorder_level(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_who_should_after_the_question_is_a_plan(parser, engine):
    assert_answers_like(
        parser, engine, "five biggest customers by revenue in 2025 - who should the sales reps look after?",
        f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} "
        "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, c.name "
        "ORDER BY SUM(o.total_amount) DESC LIMIT 5")


def test_who_should_naming_a_new_value_is_not_set_aside(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("top 5 customers by revenue in 2025 - who should the store team look after?", COPILOT_AS_OF)


OCTOBER = "o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"
WEEK = "o.order_date BETWEEN DATE '2026-10-19' AND DATE '2026-10-25'"
Q3 = "o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'"
STOCK_ON_HAND = "(SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY 1)"


def sold(measure: str, period: str, name: str = "x") -> str:
    """Each product's figure over its sales in the period (products with none are absent: joined outer)."""
    return (f"(SELECT oi.product_id, {measure} AS {name} FROM order_items oi JOIN orders o USING (order_id) "
            f"WHERE {VALID_ORDER} AND {period} GROUP BY 1)")


def spent(period: str) -> str:
    return f"(SELECT customer_id, SUM(total_amount) AS x FROM orders o WHERE {VALID_ORDER} AND {period} GROUP BY 1)"


REVENUE = "SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100))"


@pytest.mark.parametrize("question, gold", [
    # ranked from the bottom: the unsold ones first, at 0
    ("the five products with the fewest units sold in October 2026",
     f"SELECT p.name, COALESCE(u.x, 0) FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u "
     "USING (product_id) ORDER BY 2, 1 LIMIT 5"),
    # a speed said of a sales figure ("slowest ... by units sold") is how fast they sell: fewest first
    ("the 3 slowest Plumbing products by units sold in October 2026",
     f"SELECT p.name FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE p.category = 'Plumbing' ORDER BY COALESCE(u.x, 0), p.name LIMIT 3"),
    ("lowest-earning Lighting item last month",
     f"SELECT p.name FROM products p LEFT JOIN {sold(REVENUE, OCTOBER)} r USING (product_id) "
     "WHERE p.category = 'Lighting' ORDER BY COALESCE(r.x, 0), p.name LIMIT 1"),
    ("which brand sold the fewest Garden units last week",
     f"SELECT p.brand FROM products p LEFT JOIN {sold('SUM(oi.quantity)', WEEK)} u "
     "USING (product_id) WHERE p.category = 'Garden' GROUP BY 1 ORDER BY SUM(COALESCE(u.x, 0)), 1 LIMIT 1"),
    # held to a bound 0 meets: the ones with no sales are in
    ("Electrical products that sold under 2 units in October 2026",
     f"SELECT p.name, COALESCE(u.x, 0) FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u "
     "USING (product_id) WHERE p.category = 'Electrical' AND COALESCE(u.x, 0) < 2"),
    ("how many products sold fewer than 5 units last month?",
     f"SELECT COUNT(*) FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE COALESCE(u.x, 0) < 5"),
    ("business customers in Helsinki who spent less than 500 EUR in October 2026",
     f"SELECT c.name, COALESCE(s.x, 0) FROM customers c LEFT JOIN {spent(OCTOBER)} s USING (customer_id) "
     "WHERE c.segment = 'business' AND c.city = 'Helsinki' AND COALESCE(s.x, 0) < 500"),
    ("Tampere customers who placed at most one order in Q3 2026",
     "SELECT c.name FROM customers c LEFT JOIN (SELECT customer_id, COUNT(*) AS n FROM orders WHERE order_date "
     "BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' GROUP BY 1) o USING (customer_id) "
     "WHERE c.city = 'Tampere' AND COALESCE(o.n, 0) <= 1"),
    # stock beside units sold: each on its own rows, the unsold at 0
    ("products with more than 600 units in stock that sold fewer than 40 units last quarter",
     f"SELECT p.name, s.stock, COALESCE(u.x, 0) FROM products p JOIN {STOCK_ON_HAND} s USING (product_id) LEFT JOIN "
     f"{sold('SUM(oi.quantity)', Q3)} u "
     "USING (product_id) WHERE s.stock > 600 AND COALESCE(u.x, 0) < 40"),
    # "on hand" of products is their stock (summed over the warehouses, the glossary's), so beside units sold
    # the unsold are in at 0 (was one stock record > 300, the unsold left out)
    ("Heating products with more than 300 on hand that sold fewer than 5 units last month",
     f"SELECT p.name, s.stock FROM products p JOIN {STOCK_ON_HAND} s USING (product_id) LEFT JOIN "
     f"{sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) WHERE p.category = 'Heating' "
     "AND s.stock > 300 AND COALESCE(u.x, 0) < 5"),
    # not about the things: the sales rows (a month), an average, a bound 0 does not meet
    ("which month of 2026 had the lowest revenue",
     f"SELECT date_trunc('month', o.order_date) FROM orders o WHERE {VALID_ORDER} AND o.order_date "
     "BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1 ORDER BY SUM(o.total_amount) LIMIT 1"),
    ("customers with the lowest average order value in October 2026",
     f"SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE {VALID_ORDER} AND {OCTOBER} "
     "GROUP BY c.customer_id, c.name ORDER BY AVG(o.total_amount), c.customer_id LIMIT 10"),
    ("Plumbing products that sold more than 10 units in October 2026",
     f"SELECT p.name FROM products p JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE p.category = 'Plumbing' AND u.x > 10"),
])
def test_things_without_sales_count_as_zero(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, said", [
    ("which 3 customers spent the least in October 2026?", True),
    ("Garden products that sold under 10 units last month", True),
    ("which month of 2026 had the lowest revenue", False),
    ("top 5 products by revenue last month", False),
    ("products with more than 300 on hand that sold fewer than 5 units last month", True),
])
def test_answer_says_the_ones_with_none_count_as_zero(parser, question, said):
    assert ("counted, one with none as 0" in parser.parse(question, COPILOT_AS_OF).interpretation) is said


@pytest.mark.parametrize("context, question, gold", [
    # a bare speed word after a ranking by a sales figure: that figure, slow the fewest first (was a delivery time)
    (["top 10 Plumbing products by units sold in October 2026"], "and the 3 slowest?",
     f"SELECT p.name FROM products p LEFT JOIN {sold('SUM(oi.quantity)', OCTOBER)} u USING (product_id) "
     "WHERE p.category = 'Plumbing' ORDER BY COALESCE(u.x, 0), p.name LIMIT 3"),
])
def test_slowest_after_a_sales_ranking(parser, engine, context, question, gold):
    assert_answers_like(parser, engine, question, gold, context)


# "put on clearance" says the clearance purpose (inactive products that still hold stock), as "for clearance" does
@pytest.mark.parametrize("question, gold", [
    ("what should we put on clearance? inactive products we still hold stock of",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) WHERE NOT p.active "
     "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0"),
])
def test_put_on_clearance(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "the ones with stock left" are in stock; "pick the one with the most on hand" picks the first of the ranked
# warehouses (was refused: only a carrier could be picked)
@pytest.mark.parametrize("question, gold", [
    ("Which discontinued products should we clear out? List the ones with stock left and their stock value at cost.",
     "SELECT p.name, SUM(i.quantity_on_hand) * p.unit_cost FROM products p JOIN inventory i USING (product_id) "
     "WHERE NOT p.active GROUP BY p.product_id, p.name, p.unit_cost HAVING SUM(i.quantity_on_hand) > 0"),
    ("Which warehouse should ship the Oras Ceiling Lamp 3? pick the one with the most on hand",
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Oras Ceiling Lamp 3' ORDER BY 2 DESC LIMIT 1"),
])
def test_stock_left_and_picking_the_first(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


SOLD_LINE = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


# "which carrier should we avoid? the one with the highest late share" is the worst-ranked, as "drop" is; "push
# harder" is the needs-a-push purpose; "among brands that sold anything" ranks only those with sales (none at 0)
@pytest.mark.parametrize("question, gold", [
    ("Which carrier should we avoid for Norway — the one with the highest share of late deliveries on 2025 "
     "shipments to Norwegian customers?",
     "SELECT s.carrier, AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0 END) AS r "
     "FROM shipments s JOIN orders o USING (order_id) JOIN customers c USING (customer_id) WHERE c.country = 'NO' "
     "AND year(s.shipped_at) = 2025 GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    ("which brand should we push harder in Estonia? the one with the lowest revenue there last year (among brands "
     "that sold anything)",
     f"SELECT p.brand, SUM({SOLD_LINE}) AS r FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     f"USING (product_id) JOIN customers c ON c.customer_id = o.customer_id WHERE c.country = 'EE' AND {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY 1 ORDER BY r LIMIT 1"),
    ("which 3 products had the lowest revenue in Estonia in 2025, among products that sold anything",
     f"SELECT p.name, SUM({SOLD_LINE}) AS r FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     f"USING (product_id) JOIN customers c ON c.customer_id = o.customer_id WHERE c.country = 'EE' AND {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY p.product_id, p.name ORDER BY r, p.name LIMIT 3"),
])
def test_avoid_push_harder_and_only_those_that_sold(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# a clause saying what the ranked products are for ("those go on discount", "we should stock up on those") is a
# purpose of the ranking read (was: "discount" read as discounted order lines, "stock" as the figure ranked by)
@pytest.mark.parametrize("question, gold", [
    ("Which 3 Garden products have the most stock on hand? Those go on discount.",
     "SELECT p.name, SUM(i.quantity_on_hand) AS s FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.category = 'Garden' GROUP BY p.product_id, p.name ORDER BY s DESC LIMIT 3"),
    ("which 3 Heating products sold the most units in Q4 last year? we should stock up on those",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND p.category = 'Heating' AND o.order_date BETWEEN DATE '2025-10-01' "
     "AND DATE '2025-12-31' GROUP BY p.product_id, p.name ORDER BY u DESC LIMIT 3"),
])
def test_a_purpose_of_a_product_ranking(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "which brand should we feature in the campaign? pick the one whose sales grew the most": featuring is promoting
# the one ranked first (was: refused, a campaign read as data the lake lacks)
@pytest.mark.parametrize("question, gold", [
    ("Which brand should we feature in the campaign? Pick the one whose revenue grew the most in euros, "
     "2026 vs 2025.",
     f"SELECT p.brand, SUM(CASE WHEN year(o.order_date) = 2026 THEN {SOLD_LINE} ELSE 0 END) - SUM(CASE WHEN "
     f"year(o.order_date) = 2025 THEN {SOLD_LINE} ELSE 0 END) AS g FROM order_items oi JOIN orders o USING (order_id) "
     f"JOIN products p USING (product_id) WHERE {VALID_ORDER} GROUP BY 1 ORDER BY g DESC LIMIT 1"),
])
def test_a_brand_to_feature(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "still have inventory" is in stock as "still have stock" (was: the condition dropped and one total of stock
# summed over every discontinued product); a plan opened with "may need" and a welcome or loyalty campaign said of
# customers are set aside (was: refused, 'campaign' read as data the lake lacks)
@pytest.mark.parametrize("question, gold", [
    ("Discontinued products that still have inventroy - which are they and how many on hand?",
     "SELECT p.name, SUM(i.quantity_on_hand) AS s FROM products p JOIN inventory i USING (product_id) "
     "WHERE NOT p.active GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0"),
    ("which customers returned more than two orders? may need a call",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE o.status = 'returned' "
     "GROUP BY c.customer_id, c.name HAVING COUNT(DISTINCT o.order_id) > 2"),
    ("Customers who signed up but never placed an order - list them for a welcome campaign",
     "SELECT c.name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"),
    ("Consumers with exactly two orders - names, for a loyalty offer",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id, c.name HAVING COUNT(DISTINCT o.order_id) = 2"),
])
def test_inventory_held_and_customer_campaign_plans(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_loyalty_offer_beside_products_is_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("products with exactly two orders for a loyalty offer", COPILOT_AS_OF)


# "which pair of products appears together in the most orders": appearing together is being bought together
# (was: refused); products "bought together" with no product, category, brand or pair named is refused (was: every
# product listed)
@pytest.mark.parametrize("question, gold", [
    ("Which pair of products appears together in the most orders?",
     "SELECT pa.name, pb.name FROM order_items a JOIN order_items b ON a.order_id = b.order_id "
     "AND a.product_id < b.product_id JOIN products pa ON pa.product_id = a.product_id JOIN products pb "
     "ON pb.product_id = b.product_id GROUP BY 1, 2 ORDER BY COUNT(DISTINCT a.order_id) DESC LIMIT 1"),
])
def test_a_pair_appearing_together(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "which products are most often bought together",
    "which products appear together most often",
])
def test_products_together_with_nothing_named_is_refused(parser, question):
    with pytest.raises(NotUnderstood, match="together with what"):
        parser.parse(question, COPILOT_AS_OF)


# "in which warehouses is stock below the reorder level? Give warehouse and product": one row per warehouse and
# product whose own stock record is under its level (was: the stock summed per warehouse)
@pytest.mark.parametrize("question, gold", [
    ("In which warehouses is stock strictly below the reorder level? Give warehouse and product.",
     "SELECT i.warehouse, p.name FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level"),
    ("list warehouse and product where stock is below the reorder level",
     "SELECT i.warehouse, p.name FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level"),
    # "warehouse rows" are stock records; a list of them shows each record's own quantity and level (was: refused,
    # and "which stock records are below ..." failed with the condition's sums beside the rows)
    ("In which warehouse rows is stock strictly below the reorder level? Give warehouse and product.",
     "SELECT i.warehouse, p.name FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level"),
    ("which stock records are below the reorder level",
     "SELECT p.name, i.warehouse, i.quantity_on_hand, i.reorder_level FROM inventory i JOIN products p "
     "USING (product_id) WHERE i.quantity_on_hand < i.reorder_level"),
])
def test_warehouse_and_product_named_as_columns_are_pairs(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "how much would it cost at unit cost to bring every low-stock product back up to its reorder level": the
# shortfall of each low product at its unit cost, summed (was: refused); said of products not said to be low it
# stays refused (above the level the difference is a surplus, no cost)
@pytest.mark.parametrize("question, gold", [
    ("How much would it cost at unit cost to bring every low-stock product back up to its reorder level?",
     "SELECT SUM((s.rl - s.stock) * p.unit_cost) FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) "
     "AS stock, SUM(reorder_level) AS rl FROM inventory GROUP BY product_id) s USING (product_id) "
     "WHERE s.stock <= s.rl"),
])
def test_the_cost_of_topping_up_low_stock(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_the_cost_of_topping_up_products_not_said_low_is_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("How much would it cost to bring Kitchen products back up to their reorder level?",
                     COPILOT_AS_OF)


# "products at or below their reorder level overall, with stock and reorder level": "with stock" joined by "and"
# to the condition's other figure names a column, not a second condition (stock > 0, which dropped the products
# out of stock); "overall" between them changes nothing (was: the figures summed over all products)
@pytest.mark.parametrize("question, gold", [
    ("What should we reorder? Products at or below their reorder level overall, with stock and reorder level.",
     "SELECT p.name, s.stock, s.reo FROM (SELECT product_id, SUM(quantity_on_hand) stock, SUM(reorder_level) reo "
     "FROM inventory GROUP BY 1) s JOIN products p USING (product_id) WHERE s.stock <= s.reo"),
    ("products below their reorder level, with stock and reorder level",
     "SELECT p.name, s.stock, s.reo FROM (SELECT product_id, SUM(quantity_on_hand) stock, SUM(reorder_level) reo "
     "FROM inventory GROUP BY 1) s JOIN products p USING (product_id) WHERE s.stock < s.reo"),
])
def test_with_stock_beside_the_reorder_level_is_shown(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "product rows" / "warehouse rows" are the stock records (one product in one warehouse), counted or listed row by
# row; "so we should restock there first" after the warehouse ranked says where to act, no second ranking by date
@pytest.mark.parametrize("question, gold", [
    ("For each warehouse, how many product rows are at or below the reorder level?",
     "SELECT warehouse, COUNT(*) FROM inventory WHERE quantity_on_hand <= reorder_level GROUP BY 1"),
    ("Which warehouse has the most product rows below reorder level, so we should restock there first?",
     "SELECT warehouse FROM inventory WHERE quantity_on_hand < reorder_level GROUP BY 1 ORDER BY COUNT(*) DESC "
     "LIMIT 1"),
    ("Which warehouse rows were last updated before 15 October 2026? Give product name and warehouse.",
     "SELECT p.name, i.warehouse FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.updated_at < TIMESTAMP '2026-10-15'"),
    # the rows listed under a stock condition show their own stock (was: a SUM beside ungrouped columns, failed)
    ("which stock records are below reorder level",
     "SELECT p.name, i.warehouse FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level"),
    ("In which warehouse rows is stock strictly below the reorder level? Give warehouse and product.",
     "SELECT i.warehouse, p.name FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.quantity_on_hand < i.reorder_level"),
])
def test_product_rows_are_stock_records(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "out of stock products that sold something last month — urgent restock list": the list named as a restock (layer
# advice phrases; was: refused on "urgent"), and the products sold in orders that count as sales (was: any status)
@pytest.mark.parametrize("question, gold", [
    ("out of stock products that sold something last month — urgent restock list",
     "SELECT p.name FROM (SELECT product_id, SUM(quantity_on_hand) stock FROM inventory GROUP BY 1) s JOIN products p "
     "USING (product_id) WHERE s.stock = 0 AND p.product_id IN (SELECT oi.product_id FROM order_items oi JOIN orders o "
     f"USING (order_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31')"),
])
def test_products_that_sold_in_a_period(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


SHORT = ("(SELECT i.product_id, SUM(i.reorder_level) - SUM(i.quantity_on_hand) AS short "
         "FROM inventory i GROUP BY 1)")
SHORT_IN = ("(SELECT i.product_id, i.warehouse, SUM(i.quantity_on_hand) AS stock, SUM(i.reorder_level) AS reorder "
            "FROM inventory i GROUP BY 1, 2)")


@pytest.mark.parametrize("question, gold", [
    # a shortfall exists only below the reorder level: the others' surplus does not offset it (was: negative)
    ("total shortfall of Kitchen products",
     f"SELECT SUM(s.short) FROM products p JOIN {SHORT} s USING (product_id) "
     "WHERE p.category = 'Kitchen' AND s.short > 0"),
    ("shortfall per category",
     f"SELECT p.category, SUM(s.short) FROM products p JOIN {SHORT} s USING (product_id) WHERE s.short > 0 "
     "GROUP BY 1"),
    # "which ... per warehouse": each product in each warehouse where it is below (was: a count per warehouse)
    ("which products are below the reorder level per warehouse",
     f"SELECT p.name, w.warehouse FROM products p JOIN {SHORT_IN} w USING (product_id) WHERE w.stock < w.reorder"),
])
def test_shortfalls_and_low_stock_per_warehouse(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_how_many_per_warehouse_is_still_a_count(parser, engine):
    assert_answers_like(parser, engine, "how many products are below the reorder level per warehouse",
                        f"SELECT w.warehouse, COUNT(*) FROM {SHORT_IN} w WHERE w.stock < w.reorder GROUP BY 1")


# "which carrier should we pick for speed, based on average delivery time": "for speed" is met by the shortest
# (was: refused, 'speed' not placed)
def test_a_carrier_picked_for_speed(parser, engine):
    assert_answers_like(parser, engine,
                        "Which carrier should we pick for speed, based on average delivery time this year?",
                        "SELECT carrier, AVG(date_diff('second', shipped_at, delivered_at) / 86400.0) AS d FROM shipments "
                        "WHERE shipped_at >= '2026-01-01' AND shipped_at < '2026-11-01' AND delivered_at IS NOT NULL "
                        "GROUP BY 1 ORDER BY d LIMIT 1")


# "how many units of each product below reorder level do we need to order to get back up to the reorder level": the
# shortfall of the things said after "units of" (was: refused, 'back', 'up to' not placed)
def test_units_to_order_of_the_things_said_after_units_of(parser, engine):
    assert_answers_like(parser, engine,
                        "For Drammen, how many units of each product below reorder level do we need to order to get "
                        "back up to the reorder level?",
                        "SELECT p.name, i.reorder_level - i.quantity_on_hand FROM inventory i JOIN products p "
                        "USING (product_id) WHERE i.warehouse = 'Drammen' AND i.quantity_on_hand < i.reorder_level")


# "- we probably shouldn't reorder those" after a list is the asker's plan, set aside (was: refused, and 'reorder'
# read as a low-stock condition)
def test_a_plan_not_to_reorder_is_set_aside(parser, engine):
    assert_answers_like(parser, engine,
                        "Products with a margin under 25% and more than 100 units in stock - we probably shouldn't "
                        "reorder those",
                        "SELECT p.name, (p.unit_price - p.unit_cost) / p.unit_price, st.stock FROM products p JOIN "
                        "(SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory GROUP BY product_id) st "
                        "USING (product_id) WHERE (p.unit_price - p.unit_cost) / p.unit_price < 0.25 AND st.stock > 100")


# a plan after the question: a purpose or intent phrase is the plan's own words ("move some from", "to reorder first":
# was refused on 'from', 'first'), "which" asks as "who" does, and ", so I know ..." parts a plan from the question
# (was: refused on 'ther', 'to reorder first')
@pytest.mark.parametrize("question, gold", [
    ("Which warehouse holds the most Makita Copper Pipe? we could move some from ther",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) s FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Makita Copper Pipe' GROUP BY 1 ORDER BY s DESC LIMIT 1"),
    ("We're out of stock on a few items. How many units did each of the out-of-stock products sell last quarter, "
     "so I know which to reorder first?",
     "SELECT p.name, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' "
     "AND p.product_id IN (SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) = 0) GROUP BY 1"),
])
def test_a_plan_with_its_own_phrases_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "so I know who to visit": a word of a concept the lake lacks in a plan names nothing new, as the plan's _why says
# (was: refused, 'the retail lake has no data about visits')
@pytest.mark.parametrize("question, gold", [
    ("I'm travelling to Norway. Which Norwegian business customers bought from us last year, and how much did each "
     "spend? so I know who to visit",
     "SELECT c.name, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE "
     f"{VALID_ORDER} AND c.country = 'NO' AND c.segment = 'business' AND o.order_date BETWEEN DATE '2025-01-01' "
     "AND DATE '2025-12-31' GROUP BY c.customer_id, c.name"),
])
def test_a_plan_naming_what_the_lake_lacks_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "I'll call the worst ones first": which of the ones found the asker acts on first, no ranking (was: refused);
# "Before winter: ... in Q4 last year?": a time the lake cannot place before a question with its own period is when
# the asker acts (was: refused on 'before', 'winter')
@pytest.mark.parametrize("question, gold", [
    ("How many parcels does each carrier still have in transit? I'll call the worst ones first.",
     "SELECT carrier, COUNT(*) FROM shipments WHERE delivered_at IS NULL GROUP BY carrier"),
    ("Before winter: which 3 Heating products sold the most units in Q4 last year? we should stock up on those",
     "SELECT p.name, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND p.category = 'Heating' AND o.order_date BETWEEN DATE '2025-10-01' "
     "AND DATE '2025-12-31' GROUP BY p.product_id, p.name ORDER BY u DESC LIMIT 3"),
])
def test_the_askers_own_order_and_timing_are_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "how many orders they shared" beside a bought-together question is the orders each pair has in common, shown anyway
# (was: 'shared' mended to 'share', a share answered); "how many different products were bought in the same order as
# X" counts the other products (was: the top 10 of them)
@pytest.mark.parametrize("question, gold", [
    ("Which 5 products are most often bought together with the Philips Cutting Board (same order)? Show how many "
     "orders they shared.",
     "SELECT p.name, COUNT(DISTINCT b.order_id) n FROM order_items a JOIN order_items b ON a.order_id = b.order_id "
     "AND b.product_id <> a.product_id JOIN products p ON p.product_id = b.product_id JOIN products x "
     "ON x.product_id = a.product_id WHERE x.name = 'Philips Cutting Board' GROUP BY p.name ORDER BY n DESC, p.name "
     "LIMIT 5"),
    ("how many different products have been bought in the same order as Philips Cutting Board",
     "SELECT COUNT(DISTINCT b.product_id) FROM order_items a JOIN order_items b ON a.order_id = b.order_id "
     "AND b.product_id <> a.product_id JOIN products x ON x.product_id = a.product_id "
     "WHERE x.name = 'Philips Cutting Board'"),
])
def test_orders_shared_and_products_bought_together_counted(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# slow movers held to a bound on units sold: every product under it, slowest first (was: the first 10 only)
@pytest.mark.parametrize("question, gold", [
    ("slow movers: active products that sold fewer than 25 units in the last 90 days",
     "SELECT p.name FROM products p LEFT JOIN (SELECT oi.product_id, SUM(oi.quantity) AS units FROM orders o "
     "JOIN order_items oi USING (order_id) WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN '2026-08-03' AND '2026-10-31' GROUP BY 1) u USING (product_id) "
     "WHERE p.active AND COALESCE(u.units, 0) < 25"),
])
def test_slow_movers_under_a_bound_are_every_one_under_it(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# products bought together with X keep the baskets' period and conditions on the order or its customer, and
# "customers" before the buying verb are only the buyers (was: every basket counted; refused on 'customers')
@pytest.mark.parametrize("question, gold", [
    ("top 3 items customers buy togther with the Bosch Garden Hose",
     "SELECT p2.name FROM order_items a JOIN products p1 ON p1.product_id = a.product_id JOIN order_items b "
     "ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 ON p2.product_id = b.product_id "
     "WHERE p1.name = 'Bosch Garden Hose' GROUP BY 1 ORDER BY COUNT(DISTINCT a.order_id) DESC, 1 LIMIT 3"),
    ("what do business customers buy with the Bosch Garden Hose",
     "SELECT p2.name, COUNT(DISTINCT a.order_id) FROM order_items a JOIN products p1 ON p1.product_id = a.product_id "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id JOIN orders o ON o.order_id = a.order_id JOIN customers c USING (customer_id) "
     "WHERE p1.name = 'Bosch Garden Hose' AND c.segment = 'business' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"),
    ("what is bought together with the Bosch Garden Hose in 2025",
     "SELECT p2.name, COUNT(DISTINCT a.order_id) FROM order_items a JOIN products p1 ON p1.product_id = a.product_id "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id JOIN orders o ON o.order_id = a.order_id "
     "WHERE p1.name = 'Bosch Garden Hose' AND o.order_date BETWEEN '2025-01-01' AND '2025-12-31' "
     "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"),
])
def test_bought_together_keeps_the_baskets_conditions(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "show the shortfall in units": "in units" after a figure counted in units is its unit, the ranking kept on it
# (was: units sold added, read as stock, and the products ranked by stock)
@pytest.mark.parametrize("question, gold", [
    ("In Kuopio, which 3 products are furthest below their reorder level? show the shortfall in units",
     "SELECT p.name, i.reorder_level - i.quantity_on_hand AS shortfall FROM inventory i JOIN products p "
     "USING (product_id) WHERE i.warehouse = 'Kuopio' ORDER BY shortfall DESC, p.product_id LIMIT 3"),
])
def test_in_units_after_a_figure_in_units_is_its_unit(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "products with more than 300 units on hand in total that sold fewer than 60 units": "in total" after a bound's
# figure is how it is summed, the products listed (was: the revenue of those products summed, one row)
@pytest.mark.parametrize("question, gold", [
    ("What should we promote? Show products with more than 300 units on hand in total that sold fewer than 60 units "
     "in 2025",
     "SELECT p.name FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory "
     "GROUP BY product_id) s USING (product_id) LEFT JOIN (SELECT oi.product_id, SUM(oi.quantity) AS units "
     "FROM order_items oi JOIN orders o USING (order_id) WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY oi.product_id) u USING (product_id) "
     "WHERE s.stock > 300 AND COALESCE(u.units, 0) < 60"),
])
def test_in_total_after_a_bound_is_how_its_figure_is_summed(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "which product had the highest return rate": a rate of products counts the orders each is in, returned ones over
# all (was: the share of units sold, whose own filter leaves the returns out: every rate 0)
@pytest.mark.parametrize("question, gold", [
    ("Among products that were in at least 40 orders in 2025, which one had the highest return rate "
     "(share of those orders that got returned)?",
     "SELECT p.name, AVG(CASE WHEN o.status = 'returned' THEN 1.0 ELSE 0 END) AS r FROM (SELECT DISTINCT order_id, "
     "product_id FROM order_items) oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, p.name "
     "HAVING COUNT(*) >= 40 ORDER BY r DESC LIMIT 1"),
    ("which 3 products had the highest cancellation rate in 2025",
     "SELECT p.name, AVG(CASE WHEN o.status = 'cancelled' THEN 1.0 ELSE 0 END) AS r FROM (SELECT DISTINCT order_id, "
     "product_id FROM order_items) oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.product_id, p.name "
     "ORDER BY r DESC, p.name LIMIT 3"),
])
def test_a_rate_of_products_counts_their_orders(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "which carrier should we drop? the one with the most late deliveries": a count of an undesirable condition is
# worse the higher it is, so dropping means the most first (was: refused, the intent read as wanting the fewest)
@pytest.mark.parametrize("question, gold", [
    ("Which carrier should we drop? The one with the most late deliveries in 2025 (count)",
     "SELECT carrier, COUNT(*) n FROM shipments WHERE delivered_at > shipped_at + INTERVAL 3 DAY "
     "AND year(shipped_at) = 2025 GROUP BY 1 ORDER BY n DESC LIMIT 1"),
])
def test_dropping_ranks_a_count_of_an_undesirable_condition_highest_first(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "top 5 products by number of shared orders" after a bought-together question: the key they are ranked by anyway
# (was: refused, 'by' unplaced); a period keeps the baskets of orders placed in it (was: the period dropped)
@pytest.mark.parametrize("question, gold", [
    ("what sells together with the Makita Hammer? top 5 products by number of shared orders",
     "SELECT p2.name, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 ON p1.product_id = a.product_id "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id "
     "JOIN products p2 ON p2.product_id = b.product_id WHERE p1.name = 'Makita Hammer' GROUP BY p2.name "
     "ORDER BY n DESC, p2.name LIMIT 5"),
    ("what sells together with the Makita Hammer in 2025? top 5",
     "SELECT p2.name, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN products p1 ON p1.product_id = a.product_id "
     "JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id "
     "JOIN products p2 ON p2.product_id = b.product_id JOIN orders o ON o.order_id = a.order_id "
     "WHERE p1.name = 'Makita Hammer' AND year(o.order_date) = 2025 GROUP BY p2.name ORDER BY n DESC, p2.name LIMIT 5"),
])
def test_bought_together_ranked_by_shared_orders_and_dated(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "products with stock on hand but zero units sold in the last 30 days": "zero units sold" is never sold in the
# period (was: read as "zero units", out of stock, the in-stock condition dropped)
@pytest.mark.parametrize("question, gold", [
    ("dead stock - products with stock on hand but zero units sold in October 2026",
     "SELECT p.name FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS stock FROM inventory "
     "GROUP BY product_id) s USING (product_id) LEFT JOIN (SELECT oi.product_id, SUM(oi.quantity) AS units "
     "FROM order_items oi JOIN orders o USING (order_id) WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY oi.product_id) u USING (product_id) "
     "WHERE s.stock > 0 AND COALESCE(u.units, 0) = 0"),
])
def test_zero_units_sold_is_never_sold(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "which customers should we contact about ...", "VIP list please: customers ...": the purpose of a customer list,
# the customers asked for (was: refused, 'contact', 'vip' unplaced); "VIP list" of products stays refused
@pytest.mark.parametrize("question, gold", [
    ("which customers should we contact about shipments that still aren't delivered? (shipped before 25 Oct 2026)",
     "SELECT DISTINCT c.name FROM customers c JOIN orders o USING (customer_id) JOIN shipments s USING (order_id) "
     "WHERE s.delivered_at IS NULL AND s.shipped_at < TIMESTAMP '2026-10-25'"),
    ("VIP list please: customers who spent over 6000 EUR in 2025",
     "SELECT c.name, SUM(o.total_amount) FROM customers c JOIN orders o USING (customer_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND year(o.order_date) = 2025 GROUP BY c.customer_id, c.name "
     "HAVING SUM(o.total_amount) > 6000"),
])
def test_contact_and_vip_lists_are_customer_purposes(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "high margin but not selling: products with margin over 50% that sold under 100 units this year": the bound on units
# sold says how little "not selling" means (was: only products with no sale at all, so the bound changed nothing); the
# margin, a figure of the product's own columns, is not timed by the sales period (was: NULL for one with no sale in it)
@pytest.mark.parametrize("question, gold", [
    ("products with a margin above 50% that are not selling: fewer than 200 units sold in 2025",
     "WITH u AS (SELECT oi.product_id, SUM(oi.quantity) AS units FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY oi.product_id) SELECT p.name, (p.unit_price - p.unit_cost) / p.unit_price AS margin, "
     "COALESCE(u.units, 0) FROM products p LEFT JOIN u USING (product_id) "
     "WHERE (p.unit_price - p.unit_cost) / p.unit_price > 0.5 AND COALESCE(u.units, 0) < 200"),
    ("not selling well: products with margin over 45% and under 10 units sold last month",
     "WITH u AS (SELECT oi.product_id, SUM(oi.quantity) AS units FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' "
     "GROUP BY oi.product_id) SELECT p.name, COALESCE(u.units, 0) FROM products p LEFT JOIN u USING (product_id) "
     "WHERE (p.unit_price - p.unit_cost) / p.unit_price > 0.45 AND COALESCE(u.units, 0) < 10"),
])
def test_not_selling_bounded_by_units_sold(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "products with more than five times their reorder level in stock": both sides of the ratio beside each product, the
# stock and the reorder level (was: the stock only)
@pytest.mark.parametrize("question, gold", [
    ("which products have over six times their reorder level in stock? promo idea",
     "SELECT p.name, SUM(i.quantity_on_hand) AS stock, SUM(i.reorder_level) AS reorder FROM products p "
     "JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) > 6 * SUM(i.reorder_level)"),
    ("products with more than 4 times their reorder level in stock",
     "SELECT p.name, SUM(i.quantity_on_hand) AS stock, SUM(i.reorder_level) AS reorder FROM products p "
     "JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) > 4 * SUM(i.reorder_level)"),
])
def test_stock_multiple_shows_both_sides(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "show the 3 oldest open orders so we can chase them": a purpose clause at the end, without a comma, is the asker's
# plan (was: 'chase' unplaced); "right away" only says how soon; "tied up in stock" is held in stock; "emptiest" is
# the lowest stock
@pytest.mark.parametrize("question, gold", [
    ("list the 6 oldest open orders so we can chase them",
     "SELECT order_id, order_date FROM orders WHERE status IN ('pending', 'paid') ORDER BY order_date, order_id LIMIT 6"),
    ("show the five oldest pending orders so I can follow up on them",
     "SELECT order_id FROM orders WHERE status = 'pending' ORDER BY order_date, order_id LIMIT 5"),
    ("what is out of stock that we need to reorder straight away?",
     "SELECT p.name FROM products p JOIN inventory i USING (product_id) GROUP BY p.product_id, p.name "
     "HAVING SUM(i.quantity_on_hand) = 0"),
    ("how much money is tied up in stock of active products, valued at unit cost?",
     "SELECT SUM(i.quantity_on_hand * p.unit_cost) FROM inventory i JOIN products p USING (product_id) WHERE p.active"),
    ("which warehouse is the emptiest by units on hand?",
     "SELECT warehouse FROM inventory GROUP BY warehouse ORDER BY SUM(quantity_on_hand) LIMIT 1"),
])
def test_plans_and_advice_words(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "which warehouse has the oldest stock count update? we should recount there first": the groups ranked by the
# earliest of a date column of their own table (was: refused, nothing to rank by); "slowest 3 Garden products ...
# (units)" are ranked as slow movers, by the units sold named (was: read as a delivery time, refused); "trying to
# see ..." after the question is the asker's plan
@pytest.mark.parametrize("question, gold", [
    ("which warehouse has the oldest stock update? want to recount there first",
     "SELECT warehouse, MIN(updated_at) FROM inventory GROUP BY warehouse ORDER BY 2 LIMIT 1"),
    ("which warehouse has the most recent stock count update",
     "SELECT warehouse, MAX(updated_at) FROM inventory GROUP BY warehouse ORDER BY 2 DESC LIMIT 1"),
    ("the 3 slowest Garden products in the last 180 days by units sold",
     "SELECT p.name, COALESCE(SUM(oi.quantity) FILTER (WHERE o.status NOT IN ('cancelled', 'returned') "
     "AND o.order_date BETWEEN DATE '2026-05-05' AND DATE '2026-10-31'), 0) AS units FROM products p "
     "LEFT JOIN order_items oi USING (product_id) LEFT JOIN orders o USING (order_id) WHERE p.category = 'Garden' "
     "GROUP BY p.product_id, p.name ORDER BY units LIMIT 3"),
    ("open orders per channel - trying to see where the backlog is",
     "SELECT channel, COUNT(*) FROM orders WHERE status IN ('pending', 'paid') GROUP BY channel"),
])
def test_column_extreme_ranks_groups_and_slow_products(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "dead stock" beside the stock of discontinued products: the asker says which stock is dead (was: refused,
# 'dead stock' placed only beside in-stock and never-sold products)
@pytest.mark.parametrize("question, gold", [
    ("Where's our dead stock? Units of discontinued products in each warehouse.",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE NOT p.active GROUP BY 1"),
    ("dead stock: stock on hand of inactive products by warehouse",
     "SELECT i.warehouse, SUM(i.quantity_on_hand) FROM inventory i JOIN products p USING (product_id) "
     "WHERE NOT p.active GROUP BY 1"),
])
def test_dead_stock_named_as_discontinued(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "Good upsell candidate." after a product ranked highest: why it is asked, set aside (was: refused, "good" mended
# to "goods" and 'candidate' unplaced)
@pytest.mark.parametrize("question, gold", [
    ("Which Garden product has the highest margin? Good upsell candidate.",
     "SELECT name FROM products WHERE category = 'Garden' ORDER BY (unit_price - unit_cost) / unit_price DESC LIMIT 1"),
    ("which Lighting product has the best margin - a good upsell candidate",
     "SELECT name FROM products WHERE category = 'Lighting' ORDER BY (unit_price - unit_cost) / unit_price DESC LIMIT 1"),
])
def test_upsell_candidate_product(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# recB: "which X grew (fell) the most from P1 to P2": a growth verb ranking the groups ranks the change itself in the
# measure's unit (percent only when said), a fall biggest first (was: the growth in percent, highest first, even for
# a fall; "fell" was unplaced and the two periods refused); "dropped" / "drop" is such a fall only with two periods and
# a superlative (elsewhere it leaves something out)
@pytest.mark.parametrize("question, gold", [
    ("Which category grew the most in revenue from Q2 2026 to Q3 2026?",
     "SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE "
     "o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') - SUM(oi.quantity * oi.unit_price * "
     "(1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') "
     "AS growth FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY growth DESC LIMIT 1"),
    ("Which brand's revenue fell the most from Q2 2026 to Q3 2026?",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE "
     "o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') - SUM(oi.quantity * oi.unit_price * "
     "(1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') "
     "AS change FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY change ASC LIMIT 1"),
    ("which category decreased the most in units sold from Q2 2026 to Q3 2026",
     "SELECT p.category, SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') "
     "- SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') AS change "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY change ASC LIMIT 1"),
    ("which brand grew revenue the most from Q2 to Q3 2026 (in %)",
     "SELECT p.brand, 100.0 * (SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE "
     "o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') - SUM(oi.quantity * oi.unit_price * "
     "(1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30')) "
     "/ SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date BETWEEN "
     "DATE '2026-04-01' AND DATE '2026-06-30') AS growth_pct FROM order_items oi JOIN orders o USING (order_id) "
     "JOIN products p USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 "
     "ORDER BY growth_pct DESC LIMIT 1"),
    ("Which category's units sold dropped the most from Q2 to Q3 2026?",
     "SELECT p.category, SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') "
     "- SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') AS change "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY change ASC LIMIT 1"),
    ("which brand had the biggest revenue drop in Q3 2026 compared with Q2 2026?",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FILTER (WHERE "
     "o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30') - SUM(oi.quantity * oi.unit_price * "
     "(1 - oi.discount_percent / 100)) FILTER (WHERE o.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30') "
     "AS change FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY 1 ORDER BY change ASC LIMIT 1"),
])
def test_growth_verb_ranked_is_the_change(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# recB: purposes and phrasings read as the layer's words: "found in the same orders as" (bought together), "we could
# clear out" (clearance), "for a VIP mailing" (loyalty), "we must keep in stock" (keep in stock) (was: refused, those
# words unplaced; "keep in stock" had also ranked by stock instead of the units sold asked)
@pytest.mark.parametrize("question, gold", [
    ("top 4 products found in the same orders as the Husqvarna Cordless Drill",
     "SELECT p2.name, COUNT(DISTINCT a.order_id) AS n FROM order_items a JOIN products p1 ON p1.product_id = "
     "a.product_id JOIN order_items b ON b.order_id = a.order_id AND b.product_id <> a.product_id JOIN products p2 "
     "ON p2.product_id = b.product_id WHERE p1.name = 'Husqvarna Cordless Drill' GROUP BY p2.name ORDER BY n DESC "
     "LIMIT 4"),
    ("discontinued items we could clear out - which ones have more than 100 units left?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) WHERE NOT p.active "
     "GROUP BY p.name HAVING SUM(i.quantity_on_hand) > 100"),
    ("top 10 customers by revenue this year, for a VIP mailing",
     "SELECT c.name, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) WHERE o.status "
     "NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' "
     "GROUP BY c.customer_id, c.name ORDER BY r DESC LIMIT 10"),
    ("best sellers we must keep in stock: top 5 products by units sold last quarter",
     "SELECT p.name, SUM(oi.quantity) AS q FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled', 'returned') AND o.order_date BETWEEN "
     "DATE '2026-07-01' AND DATE '2026-09-30' GROUP BY p.name ORDER BY q DESC LIMIT 5"),
])
def test_purpose_phrasings_placed(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# recB: "trending" beside a growth ranked highest first: what the ranking is for (the layer's purpose 'trending', only
# with a growth ranked) (was: refused, 'trending' unplaced)
@pytest.mark.parametrize("question, gold", [
    ("Which product is trending? The one whose units sold went up the most from September to October 2026.",
     "SELECT p.name, SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31') "
     "- SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30') AS delta "
     "FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
     "WHERE o.status NOT IN ('cancelled', 'returned') GROUP BY p.name ORDER BY delta DESC NULLS LAST LIMIT 1"),
])
def test_trending_is_a_growth_ranked(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# recB: "first one" after a superlative that already ranks the one asked restates it (was: refused, "first" read as a
# second ranking by date, nothing to rank by)
@pytest.mark.parametrize("question, gold", [
    ("What's our lowest-margin active product? first one for the price review",
     "SELECT name, (unit_price - unit_cost) / unit_price AS margin FROM products WHERE active ORDER BY margin LIMIT 1"),
    ("which active product has the lowest margin? first one",
     "SELECT name, (unit_price - unit_cost) / unit_price AS margin FROM products WHERE active ORDER BY margin LIMIT 1"),
])
def test_first_one_restates_the_ranking(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# Recommendation phrasings placed through the layer's purpose and phrase tables (slice recA): "cross-sell idea"
# (singular, was: refused on 'idea'; and as a preface before customers who never bought a category, was set aside),
# "which X should we negotiate with first - the one with the highest ..." (the first of the ranking named, was:
# refused on 'negotiate'), "products we have in stock" (the in-stock condition, was: the stock measure, so a dead
# stock check listed products with no stock), "(no discount)" (full price lines, was: refused on 'no'), "we need
# to refill X in Vantaa. Which other warehouse ..." (a transfer source among the others, was: refused on 'refill',
# 'other'), "want to know what's slowing down" after a fall between two periods (was: refused on 'slowing'), and
# "the most capital / money tied up in stock at cost" (the stock valued at cost, was: refused)
@pytest.mark.parametrize("question, gold", [
    ("cross-sell idea for the Bosch Garden Hose: which product was most often in the same order as it this year?",
     "WITH x AS (SELECT DISTINCT oi.order_id FROM order_items oi JOIN products p USING (product_id) "
     "JOIN orders o USING (order_id) WHERE p.name = 'Bosch Garden Hose' AND o.order_date BETWEEN DATE '2026-01-01' "
     "AND DATE '2026-10-31') SELECT p.name, COUNT(DISTINCT oi.order_id) AS n FROM order_items oi JOIN x USING (order_id) "
     "JOIN products p USING (product_id) WHERE p.name <> 'Bosch Garden Hose' GROUP BY p.name ORDER BY n DESC LIMIT 1"),
    ("Cross-sell idea: which business customers buy Tools from us but have never bought anything in Garden?",
     "SELECT c.name FROM customers c WHERE c.segment = 'business' AND c.customer_id IN (SELECT o.customer_id FROM "
     "orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) WHERE p.category = 'Tools' AND "
     f"{VALID_ORDER}) AND c.customer_id NOT IN (SELECT o.customer_id FROM orders o JOIN order_items oi "
     f"USING (order_id) JOIN products p USING (product_id) WHERE p.category = 'Garden' AND {VALID_ORDER})"),
    ("Which brand should we negotiate with first - the one with the highest stock value at cost?",
     "SELECT p.brand, SUM(i.quantity_on_hand * p.unit_cost) AS v FROM inventory i JOIN products p USING (product_id) "
     "GROUP BY p.brand ORDER BY v DESC LIMIT 1"),
    ("which category should we negotiate with first: the one with the highest stock value at cost",
     "SELECT p.category, SUM(i.quantity_on_hand * p.unit_cost) AS v FROM inventory i JOIN products p "
     "USING (product_id) GROUP BY p.category ORDER BY v DESC LIMIT 1"),
    ("dead stock check: products we have in stock but that haven't sold a single unit in the last 30 days",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) WHERE p.product_id "
     "NOT IN (SELECT oi.product_id FROM order_items oi JOIN orders o USING (order_id) WHERE "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31') "
     "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0"),
    ("how many products we have in stock",
     "SELECT COUNT(*) FROM (SELECT product_id FROM inventory GROUP BY product_id HAVING SUM(quantity_on_hand) > 0)"),
    ("Which category sold the most units at full price (no discount) last quarter?",
     "SELECT p.category, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE oi.discount_percent = 0 AND {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-07-01' "
     "AND DATE '2026-09-30' GROUP BY p.category ORDER BY u DESC LIMIT 1"),
    ("We need to refill Bosch Garden Hose in Vantaa. Which other warehouse has the most of it to transfer from?",
     "SELECT i.warehouse, i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Bosch Garden Hose' AND i.warehouse <> 'Vantaa' ORDER BY i.quantity_on_hand DESC LIMIT 1"),
    ("Which products sold fewer units in Q3 2026 than in Q3 2025? want to know what's slowing down",
     "WITH a AS (SELECT oi.product_id, SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2026-07-01' AND "
     "DATE '2026-09-30') AS u26, SUM(oi.quantity) FILTER (WHERE o.order_date BETWEEN DATE '2025-07-01' AND "
     f"DATE '2025-09-30') AS u25 FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID_ORDER} "
     "GROUP BY oi.product_id) SELECT p.name, COALESCE(a.u25, 0), COALESCE(a.u26, 0) FROM products p "
     "LEFT JOIN a USING (product_id) WHERE COALESCE(a.u26, 0) < COALESCE(a.u25, 0)"),
    ("which warehouse has the most capital tied up in stock at cost? candidate for a stock reduction",
     "SELECT i.warehouse, SUM(i.quantity_on_hand * p.unit_cost) AS v FROM inventory i JOIN products p "
     "USING (product_id) GROUP BY i.warehouse ORDER BY v DESC LIMIT 1"),
    ("which product ties up the most money in stock at cost",
     "SELECT p.name, SUM(i.quantity_on_hand * p.unit_cost) AS v FROM inventory i JOIN products p USING (product_id) "
     "GROUP BY p.name ORDER BY v DESC LIMIT 1"),
])
def test_recommendation_phrasings_of_the_layer(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# What these readings must not take: a bare negotiation with no ranking named, slowing down with no two periods,
# money tied up in stock with no valuation (at cost or at list price) stay refused
@pytest.mark.parametrize("question", [
    "which brand should we negotiate with first?",
    "which products are slowing down?",
    "how much money is tied up in stock",
])
def test_recommendation_phrasings_still_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# Reorder sizing and reorder priorities (slice recA): the units (or their cost) to top low-stock products back up to
# their reorder level asked "if we topped ..., how many units ... in total", "what would it cost ... to top ...",
# "... in total to get every low-stock product back up ..." are the total shortfall (was: refused); "Suggest
# quantities." after the shortfall asked is that shortfall (was: 'quantities' read as units sold, refused); a
# ranking by units sold of products low "in at least one warehouse" keeps units sold (was: the units read as stock,
# refused); "shows up" as "appears" (was: refused on 'up')
@pytest.mark.parametrize("question, gold", [
    ("if we topped every low-stock product back up to its reorder level, how many units would we have to order in total?",
     "WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS st, SUM(reorder_level) AS rl FROM inventory "
     "GROUP BY product_id) SELECT SUM(rl - st) FROM s WHERE st <= rl"),
    ("how many units would we have to order in total to get every low-stock product back up to its reorder level?",
     "WITH s AS (SELECT product_id, SUM(quantity_on_hand) AS st, SUM(reorder_level) AS rl FROM inventory "
     "GROUP BY product_id) SELECT SUM(rl - st) FROM s WHERE st <= rl"),
    ("what would it cost at unit cost to top every low-stock product back up to its total reorder level?",
     "SELECT SUM((s.rl - s.st) * p.unit_cost) FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS st, "
     "SUM(reorder_level) AS rl FROM inventory GROUP BY product_id) s USING (product_id) WHERE s.st <= s.rl"),
    ("For Drammen, which items are under their reorder level and how many units would bring each one back up to it? "
     "Suggest quantities.",
     "SELECT p.name, i.reorder_level - i.quantity_on_hand FROM inventory i JOIN products p USING (product_id) "
     "WHERE i.warehouse = 'Drammen' AND i.quantity_on_hand < i.reorder_level"),
    ("Which active product sold the most units this year but is at or below its reorder level in at least one "
     "warehouse?",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND p.active AND o.order_date BETWEEN DATE '2026-01-01' AND "
     "DATE '2026-10-31' AND p.product_id IN (SELECT product_id FROM inventory WHERE quantity_on_hand <= reorder_level) "
     "GROUP BY p.name ORDER BY u DESC LIMIT 1"),
    ("top 4 sellers of the last 30 days (units) that are under the reorder level in at least one warehouse",
     "SELECT p.name, SUM(oi.quantity) AS u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-10-02' AND DATE '2026-10-31' "
     "AND p.product_id IN (SELECT product_id FROM inventory WHERE quantity_on_hand < reorder_level) "
     "GROUP BY p.name ORDER BY u DESC LIMIT 4"),
    ("which other category shows up most often in the same orders as paint?",
     "WITH x AS (SELECT DISTINCT oi.order_id FROM order_items oi JOIN products p USING (product_id) "
     "WHERE p.category = 'Paint') SELECT p.category, COUNT(DISTINCT oi.order_id) AS n FROM order_items oi "
     "JOIN x USING (order_id) JOIN products p USING (product_id) WHERE p.category <> 'Paint' "
     "GROUP BY p.category ORDER BY n DESC LIMIT 1"),
])
def test_reorder_sizing_and_priorities(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# Lapsed customers and "the one to start with" (slice recA): "who have ordered at some point / at least once / but
# ..." is an order before, as "ordered before but" (was: 'point' refused, or customers who never ordered listed,
# or no row at all); "for a win-back campaign" beside lapsed customers (was: refused, no data about 'campaign');
# "which city should marketing target first - the one with the highest revenue" (was: no data about 'marketing')
@pytest.mark.parametrize("question, gold", [
    ("For a win-back campaign, list business customers who have ordered at some point but placed no orders in the "
     "last 120 days.",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'business' "
     "GROUP BY c.customer_id, c.name HAVING MAX(o.order_date) < DATE '2026-07-04'"),
    ("list consumer customers who have ordered but placed no orders in the last 90 days",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id, c.name HAVING MAX(o.order_date) < DATE '2026-08-03'"),
    ("customers in Helsinki who have ordered at least once but placed no orders in the last 60 days",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Helsinki' "
     "GROUP BY c.customer_id, c.name HAVING MAX(o.order_date) < DATE '2026-09-02'"),
    ("Which city should marketing target first - the one with the highest revenue this year?",
     "SELECT c.city, SUM(o.total_amount) AS r FROM orders o JOIN customers c USING (customer_id) WHERE "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY c.city "
     "ORDER BY r DESC LIMIT 1"),
])
def test_lapsed_customers_and_where_to_start(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "which city should marketing target first",
    "win-back campaign: customers with no orders this year",
])
def test_where_to_start_and_win_back_need_their_figures(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# "Rank the low-stock products by units sold last month": every product in that stock state is ranked, one that sold
# nothing at 0 (was: those with no sale left out, a silent shortfall of the list) (slice recA)
@pytest.mark.parametrize("question, gold", [
    ("Rank the low-stock products by units sold last month so I know what to reorder first.",
     "SELECT p.name, COALESCE(u.units, 0) AS units FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS "
     "st, SUM(reorder_level) AS rl FROM inventory GROUP BY product_id) s USING (product_id) LEFT JOIN (SELECT "
     "oi.product_id, SUM(oi.quantity) AS units FROM order_items oi JOIN orders o USING (order_id) WHERE "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31' GROUP BY oi.product_id) u "
     "USING (product_id) WHERE s.st <= s.rl ORDER BY units DESC"),
])
def test_stock_state_products_ranked_with_zero(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# "Customers to win back: top 10 by lifetime revenue who haven't ordered in the last 180 days": the preface is set
# aside as saying why (not the win-back purpose, which needs an earlier order said), the ranking answers
@pytest.mark.parametrize("question, same_as", [
    ("Customers to win back: top 10 by lifetime revenue who haven't ordered in the last 180 days",
     "top 10 customers by lifetime revenue who haven't ordered in the last 180 days"),
])
def test_win_back_preface_set_aside(parser, engine, question, same_as):
    assert results_match(answer(parser, engine, same_as), answer(parser, engine, question)), question


# dev39 slice: "the most units left in the warehouses" is what the warehouses hold together, ranked per product
# (was: split by warehouse, the warehouse ranked)
@pytest.mark.parametrize("question, gold", [
    ("which discontinued product has the most units left in the warehouses?",
     "SELECT p.name, SUM(i.quantity_on_hand) AS stock FROM inventory i JOIN products p USING (product_id) "
     "WHERE NOT p.active GROUP BY p.name ORDER BY stock DESC LIMIT 1"),
])
def test_units_left_in_the_warehouses_are_summed(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# dev39 slice: "which product grew its revenue the most from Q2 to Q3": the growth's own figure after "its" stays the
# figure grown (was: shown beside a list, Q2 dropped); a fraction bounded by a percent is shown in percent too (was:
# the 0-1 fraction alone)
@pytest.mark.parametrize("question, gold", [
    ("Which product grew its revenue the most in euros from Q2 2026 to Q3 2026?",
     "SELECT p.name, SUM(CASE WHEN o.order_date BETWEEN DATE '2026-07-01' AND DATE '2026-09-30' "
     "THEN oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100) ELSE 0 END) - SUM(CASE WHEN o.order_date "
     "BETWEEN DATE '2026-04-01' AND DATE '2026-06-30' THEN oi.quantity * oi.unit_price * (1 - oi.discount_percent "
     "/ 100) ELSE 0 END) AS growth FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     "USING (product_id) WHERE o.status NOT IN ('cancelled','returned') GROUP BY p.name ORDER BY growth DESC LIMIT 1"),
    ("which products have a margin under 22%? might need a price review",
     "SELECT name, (unit_price - unit_cost) / unit_price * 100 AS margin_pct FROM products "
     "WHERE (unit_price - unit_cost) / unit_price < 0.22"),
])
def test_growth_of_its_figure_and_percent_bounds_shown(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# dev39 slice: a bare "names" of a product list is the products' own name (was: the customers' names, every product
# joined to its buyers); "the products we still sell" are the active ones (layer phrase of the active predicate)
@pytest.mark.parametrize("question, gold", [
    ("which products are low on stock? just the names",
     "SELECT p.name FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS "
     "reorder FROM inventory GROUP BY product_id) s USING (product_id) WHERE s.stock <= s.reorder"),
    ("What should I reorder among the products we still sell? Just the names please.",
     "SELECT p.name FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) AS stock, SUM(reorder_level) AS "
     "reorder FROM inventory GROUP BY product_id) s USING (product_id) WHERE s.stock <= s.reorder AND p.active"),
])
def test_bare_names_of_products_and_products_we_still_sell(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# dev42 slice: the asker's act named in an advice question before the criterion (layer purposes: a sales team's
# call list, a homepage feature, a thank-you gift, a welcome discount, the warehouse that needs the most attention)
@pytest.mark.parametrize("question, gold", [
    ("Who should the sales team call? Customers who ordered in 2024 but have not ordered at all in 2025.",
     "SELECT customer_id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id "
     "AND o.order_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31') AND NOT EXISTS (SELECT 1 FROM orders o "
     "WHERE o.customer_id = c.customer_id AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31')"),
    ("What brand should we feature on the homepage? The one with the most revenue from the web channel in 2025.",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     "JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE o.channel = 'web' AND o.status NOT IN "
     "('cancelled','returned') AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY 1 ORDER BY r DESC LIMIT 1"),
    ("Who deserves a thank-you gift? The 3 customers with the most orders in 2025",
     "SELECT c.name, COUNT(*) n FROM orders o JOIN customers c USING (customer_id) WHERE o.order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.name, c.customer_id ORDER BY n DESC LIMIT 3"),
    ("Which customers have no orders at all? I want to send them a welcome discount.",
     "SELECT customer_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"),
    ("Which warehouse needs the most attention? The one with the most products out of stock.",
     "SELECT warehouse, COUNT(*) n FROM inventory WHERE quantity_on_hand = 0 GROUP BY 1 ORDER BY n DESC LIMIT 1"),
])
def test_the_askers_act_before_the_criterion(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# dev42 slice: "should we restock first" is the restock purpose (the low-stock list), "on the same orders as" is bought
# together, "the gap between reorder level and stock on hand" is the shortfall
@pytest.mark.parametrize("question, gold", [
    ("what should we reorder first in Kuopio? products below reorder level there with the units short",
     "SELECT product_id, SUM(reorder_level) - SUM(quantity_on_hand) FROM inventory WHERE warehouse = 'Kuopio' "
     "GROUP BY product_id HAVING SUM(quantity_on_hand) < SUM(reorder_level)"),
    ("What could we bundle with the Bosch Paint Roller? Show the 2 products that appear most often on the same orders "
     "as it.",
     "SELECT o.name, COUNT(DISTINCT a.order_id) n FROM order_items a JOIN order_items b ON a.order_id = b.order_id "
     "AND a.product_id <> b.product_id JOIN products t ON t.product_id = a.product_id JOIN products o ON "
     "o.product_id = b.product_id WHERE t.name = 'Bosch Paint Roller' GROUP BY o.name ORDER BY n DESC LIMIT 2"),
    ("for the Bosch Paint Roller, which warehouse has the largest gap between reorder level and stock on hand?",
     "SELECT i.warehouse, i.reorder_level - i.quantity_on_hand g FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Bosch Paint Roller' ORDER BY g DESC LIMIT 1"),
    # with a ranking named, the ones ranked first (as the intent "restock first")
    ("Which products should we restock first? The 4 with the biggest shortfall below reorder level.",
     "SELECT product_id, SUM(reorder_level) - SUM(quantity_on_hand) s FROM inventory GROUP BY product_id "
     "ORDER BY s DESC LIMIT 4"),
])
def test_restock_first_same_orders_and_the_gap_to_reorder_level(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# dev42 slice: clearance with the asker's own floor on the stock: the products over it (layer: clearance requires)
@pytest.mark.parametrize("question, gold", [
    ("what could go on clearance? products with more than 300 units on hand that sold fewer than 30 units last quarter",
     "SELECT p.product_id FROM products p WHERE (SELECT SUM(quantity_on_hand) FROM inventory i WHERE i.product_id = "
     "p.product_id) > 300 AND COALESCE((SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) "
     "WHERE oi.product_id = p.product_id AND o.status NOT IN ('cancelled','returned') AND o.order_date BETWEEN "
     "DATE '2026-07-01' AND DATE '2026-09-30'), 0) < 30"),
])
def test_clearance_over_the_stock_asked(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# rec slice: "each" said of the things a condition lists is each of them with its own figure (was: refused on 'each')
LOW_STOCK = ("(SELECT product_id FROM inventory GROUP BY product_id HAVING SUM(quantity_on_hand) <= "
             "SUM(reorder_level))")


@pytest.mark.parametrize("question, gold", [
    # the figure's own verb after "each" / "of each did we": each listed one, one with no sale at 0
    ("For the products at or below their reorder level, how many units did each sell in the last 14 days?",
     "SELECT p.name, COALESCE(SUM(CASE WHEN o.order_id IS NOT NULL THEN oi.quantity END), 0) FROM products p "
     "LEFT JOIN order_items oi ON oi.product_id = p.product_id LEFT JOIN orders o ON o.order_id = oi.order_id "
     f"AND {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-10-18' AND "
     f"DATE '2026-10-31' WHERE p.product_id IN {LOW_STOCK} GROUP BY p.product_id, p.name"),
    ("Of the out-of-stock products, how many units of each did we sell in September 2026?",
     "SELECT p.name, COALESCE(SUM(CASE WHEN o.order_id IS NOT NULL THEN oi.quantity END), 0) FROM products p "
     "LEFT JOIN order_items oi ON oi.product_id = p.product_id LEFT JOIN orders o ON o.order_id = oi.order_id "
     f"AND {VALID_ORDER} AND o.order_date BETWEEN DATE '2026-09-01' AND "
     "DATE '2026-09-30' WHERE p.product_id IN (SELECT product_id FROM inventory GROUP BY product_id "
     "HAVING SUM(quantity_on_hand) = 0) GROUP BY p.product_id, p.name"),
    # "each" closing the question right after the figure's word: the figure per one of the things named
    ("inactive products that still hold stock: how many units each?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) WHERE NOT p.active "
     "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0"),
    ("Which Paint products are in stock, and how many units each?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.category = 'Paint' GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0"),
    ("Lighting products in stock, how much stock each?",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) "
     "WHERE p.category = 'Lighting' GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0"),
])
def test_each_of_the_things_a_condition_lists_has_its_own_figure(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    # a single total with "each" after its figure: no thing named to be each of, never the sum given
    "how much revenue did we make in 2025, revenue for each",
])
def test_each_after_a_single_total_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# rec slice: "helps me ..." after the question opens the asker's plan (layer: commentary.plans.openers)
@pytest.mark.parametrize("question, gold", [
    ("Which Kitchen products are out of stock? Helps us plan the restock.",
     "SELECT p.product_id FROM products p WHERE p.category = 'Kitchen' AND p.product_id IN (SELECT product_id FROM "
     "inventory GROUP BY product_id HAVING SUM(quantity_on_hand) = 0)"),
])
def test_a_plan_opened_by_helps_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# rec slice: "what could we promote? <floor on stock> <ceiling on sales>": the asker's own bounds say which (layer:
# purposes.promote_overstock); ranked it stays the promote purpose, and with neither it is refused
@pytest.mark.parametrize("question, gold", [
    ("which Garden products can we promote? those with over 500 units on hand and under 40 units sold this year",
     "SELECT p.product_id FROM products p WHERE p.category = 'Garden' AND (SELECT SUM(quantity_on_hand) FROM "
     "inventory i WHERE i.product_id = p.product_id) > 500 AND COALESCE((SELECT SUM(oi.quantity) FROM order_items oi "
     f"JOIN orders o USING (order_id) WHERE oi.product_id = p.product_id AND {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2026-01-01' AND DATE '2026-10-31'), 0) < 40"),
    ("which brand could we promote, by revenue this year?",
     f"SELECT p.brand FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE "
     f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY p.brand "
     "ORDER BY SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) DESC LIMIT 1"),
])
def test_what_could_we_promote_with_the_askers_own_bounds(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["which products could we promote?"])
def test_could_we_promote_with_nothing_to_go_by_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# rec slice: "customers worth a win-back: <a floor on their orders> but nothing ordered in <period>": lapsed
# customers by the asker's own floor (layer: purposes.win_back, never_ordered's "nothing ordered")
@pytest.mark.parametrize("question, gold", [
    ("consumer customers worth a win-back: more than 6 orders overall but nothing ordered since 2026-05-01",
     "SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id HAVING COUNT(DISTINCT o.order_id) > 6 AND MAX(o.order_date) < DATE '2026-05-01'"),
])
def test_customers_worth_a_win_back_by_their_order_count(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["Customers worth a win-back campaign"])
def test_a_win_back_with_nothing_to_go_by_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# rec2 slice: lapsed customers of a category or brand: "bought <products> in <earlier> but none of them in <later>"
# tests purchases with a line of those products in each period (was: any order at all in either period)
@pytest.mark.parametrize("question, gold", [
    ("Which customers bought Makita products in 2025 but haven't bought any Makita this year?",
     "SELECT DISTINCT c.customer_id FROM customers c JOIN orders o USING (customer_id) JOIN order_items i "
     f"USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND p.brand = 'Makita' AND "
     "o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND c.customer_id NOT IN (SELECT o2.customer_id "
     "FROM orders o2 JOIN order_items i2 USING (order_id) JOIN products p2 USING (product_id) WHERE o2.status NOT IN "
     "('cancelled', 'returned') AND p2.brand = 'Makita' AND o2.order_date >= DATE '2026-01-01')"),
])
def test_lapsed_customers_of_a_category_or_brand(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# rec2 slice: "<the asker's own bounds> - discount candidates / reorder candidates": the bounds say which products
# (layer: purposes.discount_overstock, purposes.reorder_candidates); was read as the average discount, or as the
# glossary's low stock with the stock bound moved onto units sold. With no bounds it is not placed (refused).
@pytest.mark.parametrize("question, gold", [
    ("Tools products with more than 250 units in stock that sold under 40 units last quarter - candidates for a discount",
     "SELECT p.product_id FROM products p WHERE p.category = 'Tools' AND (SELECT SUM(quantity_on_hand) FROM "
     "inventory i WHERE i.product_id = p.product_id) > 250 AND COALESCE((SELECT SUM(oi.quantity) FROM order_items oi "
     f"JOIN orders o USING (order_id) WHERE oi.product_id = p.product_id AND {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2026-07-01' AND DATE '2026-09-30'), 0) < 40"),
    ("products that sold over 80 units in Q2 2026 but have fewer than 300 units on hand: candidates for reordering",
     "SELECT p.product_id FROM products p WHERE (SELECT SUM(quantity_on_hand) FROM inventory i WHERE "
     "i.product_id = p.product_id) < 300 AND (SELECT SUM(oi.quantity) FROM order_items oi JOIN orders o "
     f"USING (order_id) WHERE oi.product_id = p.product_id AND {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2026-04-01' AND DATE '2026-06-30') > 80"),
])
def test_discount_and_reorder_candidates_by_the_askers_bounds(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["which products are reorder candidates?", "which products should we discount?"])
def test_candidates_with_no_bounds_are_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# rec2 slice: "<figure> per brand/category - which need a push?": the figure for each, unranked (layer:
# purposes.needs_push_figures); "who should get a loyalty voucher? <customers>": the customers asked for (layer:
# purposes.loyalty); with no figure named, "which categories need a push?" stays refused
@pytest.mark.parametrize("question, gold", [
    ("revenue by brand in 2025: which brands could use a boost?",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) FROM order_items oi JOIN "
     f"orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID_ORDER} AND o.order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY p.brand"),
    ("Which business customers should get a loyalty voucher? those with more than 20 orders",
     "SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'business' "
     "GROUP BY c.customer_id HAVING COUNT(*) > 20"),
])
def test_push_figures_and_loyalty_vouchers(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["which categories need a push?"])
def test_a_push_with_no_figure_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# rec2 slice: "customers with open orders ... - give customer and order": the order named in the fields shown is a
# column beside each customer (its id), not the activity of ordering (was: dropped, the customers alone listed)
@pytest.mark.parametrize("question, gold", [
    ("customers with pending orders placed before 2026-10-20 - give customer and order",
     "SELECT c.name, o.order_id FROM orders o JOIN customers c USING (customer_id) WHERE o.status = 'pending' "
     "AND o.order_date < DATE '2026-10-20'"),
    # ("give their names and order counts": 'order' qualifying 'counts' is no field of its own)
    ("Which business customers in Finland placed more than 10 orders in 2025? Give their names and order counts.",
     "SELECT c.name, COUNT(*) FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'business' AND "
     "c.country = 'FI' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, "
     "c.name HAVING COUNT(*) > 10"),
])
def test_an_order_named_among_the_fields_shown_is_a_column(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# rec2 slice: "<low-stock products>, how many units short of the total reorder level? list product and shortfall":
# the product asked to be listed names the rows, each with its own total (was: one total over all of them)
@pytest.mark.parametrize("question, gold", [
    ("For low-stock products in Kitchen or Garden, how many units short of the total reorder level are we? list "
     "product and shortfall",
     "SELECT p.name, st.r - st.s FROM products p JOIN (SELECT product_id, SUM(quantity_on_hand) s, SUM(reorder_level) r "
     "FROM inventory GROUP BY product_id) st USING (product_id) WHERE p.category IN ('Kitchen', 'Garden') AND st.s <= st.r"),
])
def test_listed_products_each_with_their_shortfall(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# rec2 slice: "<inactive products in stock> - how many units each? (clearance list)": the purpose said after the
# closing "each" does not hide it (each product's stock; layer: purposes.clearance "clearance list")
@pytest.mark.parametrize("question, gold", [
    ("inactive products still holding stock: how many units each? for a clearance list",
     "SELECT p.name, SUM(i.quantity_on_hand) FROM products p JOIN inventory i USING (product_id) WHERE NOT p.active "
     "GROUP BY p.product_id, p.name HAVING SUM(i.quantity_on_hand) > 0"),
])
def test_each_closing_before_a_purpose(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# reca slice: lapsed customers with a figure of their orders ("top N customers by revenue in <earlier> who haven't
# ordered in <later>", "... with their <earlier> revenue"): the figure is over the earlier period, the one they
# ordered in (was: refused, two periods); a period said again is where it is first said
LAPSED_REVENUE_2025 = (
    "SELECT c.customer_id, SUM(o.total_amount) FROM customers c JOIN orders o USING (customer_id) WHERE "
    f"{VALID_ORDER} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' AND c.customer_id NOT IN "
    "(SELECT customer_id FROM orders WHERE order_date >= DATE '2026-01-01') {segment}GROUP BY c.customer_id "
    "{having}ORDER BY 2 DESC LIMIT {n}")


@pytest.mark.parametrize("question, gold", [
    ("the 3 customers with the most revenue in 2025 who placed no orders in 2026",
     LAPSED_REVENUE_2025.format(segment="", having="", n=3)),
    ("list customers that bought in 2025 but have not ordered in 2026, and show what they spent in 2025",
     LAPSED_REVENUE_2025.format(segment="", having="", n=1000)),
    ("consumer customers with more than 1000 EUR of revenue in 2025 and nothing in 2026",
     LAPSED_REVENUE_2025.format(segment="AND c.segment = 'consumer' ", having="HAVING SUM(o.total_amount) > 1000 ",
                                n=1000)),
])
def test_lapsed_customers_with_a_figure_of_the_earlier_period(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "average order value in 2025 of customers who ordered nothing in 2026",  # one figure, not per customer
    "revenue in 2025 per customer for customers who ordered nothing in 2026",  # per customer, not ranked or shown
    "how many customers ordered in 2025 but not in 2026 and what was their revenue",
    "revenue in 2025 by city of customers who ordered nothing in 2026",
])
def test_lapsed_customers_with_a_figure_not_of_each_customer_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# reca slice: "<customers> to call: <condition>" names what the list is for (layer: purposes.call_list "to call",
# "accounts to call", "for our sales team to call"); said of other things it is not placed
@pytest.mark.parametrize("question, gold", [
    ("consumer accounts to call - they ordered before but not since 1 July",
     "SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id HAVING MAX(o.order_date) < DATE '2026-07-01'"),
])
def test_customers_to_call(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["products to call", "which carrier to call"])
def test_to_call_said_of_other_things_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# reca slice: "which of our <N best sellers ...> has <customer> never bought": the ranking as it stands, then the ones
# of it none of that customer's purchases (any time) has (was: refused, 'never ordered' of products is by nobody);
# "the top N products <customer> never bought" (which would rank the never-bought ones) stays refused
TOP_NOT_BOUGHT = (
    "WITH top AS (SELECT oi.product_id, SUM(oi.quantity) AS units FROM orders o JOIN order_items oi USING (order_id) "
    f"WHERE {VALID_ORDER} {{period}}GROUP BY oi.product_id ORDER BY units DESC LIMIT {{n}}) SELECT p.name, top.units "
    "FROM top JOIN products p USING (product_id) WHERE top.product_id NOT IN (SELECT oi.product_id FROM orders o "
    f"JOIN order_items oi USING (order_id) JOIN customers c USING (customer_id) WHERE {VALID_ORDER} AND {{who}})")


@pytest.mark.parametrize("question, gold", [
    ("which of the top 4 products by units sold in 2025 has customer 36 not bought?",
     TOP_NOT_BOUGHT.format(period="AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' ", n=4,
                           who="c.customer_id = 36")),
    ("Which of our 6 best-selling items (units, all time) did Talo Berg Oy never buy",
     TOP_NOT_BOUGHT.format(period="", n=6, who="c.name = 'Talo Berg Oy'")),
])
def test_which_of_the_top_products_a_customer_never_bought(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "top 5 products by units that customer 36 has never bought",
    "products customer 36 never bought, ranked by units sold",
])
def test_a_ranking_of_the_products_a_customer_never_bought_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# reca slice: "what share of orders with <A> also contain <B>" (how often B goes with A, a bundle question): the orders
# with a line of A are the whole, those also with a line of B the part; "sales orders" keeps the orders that count as
# sales (was: refused, two wholes); of shipments it stays refused
ATTACH = ("SELECT AVG(CASE WHEN has_b THEN 1.0 ELSE 0.0 END) FROM (SELECT oi.order_id, BOOL_OR({a}) AS has_a, "
          "BOOL_OR({b}) AS has_b FROM order_items oi JOIN orders o USING (order_id) JOIN products p USING (product_id) "
          "{where}GROUP BY oi.order_id) WHERE has_a")


@pytest.mark.parametrize("question, gold", [
    ("what fraction of orders that include the Bosch Garden Hose also include the Ensto LED Bulb?",
     ATTACH.format(a="p.name = 'Bosch Garden Hose'", b="p.name = 'Ensto LED Bulb'", where="")),
    ("what share of sales orders that contain the Bosch Garden Hose also contain the Ensto LED Bulb",
     ATTACH.format(a="p.name = 'Bosch Garden Hose'", b="p.name = 'Ensto LED Bulb'", where=f"WHERE {VALID_ORDER} ")),
    ("what share of orders with Bosch products also have Makita products",
     ATTACH.format(a="p.brand = 'Bosch'", b="p.brand = 'Makita'", where="")),
])
def test_share_of_orders_with_one_product_that_also_hold_another(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["what share of shipments with the Bosch Garden Hose also have the Ensto LED Bulb"])
def test_share_of_other_things_with_both_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# reca slice: "customers who bought A and also bought B": the customers with both (as "bought A and also B" reads;
# was: a silent wrong, the products bought together with either, the customers dropped); a share of the ones with A
# that also bought B is refused (was: a silent wrong, the share with A or B)
@pytest.mark.parametrize("question, gold", [
    ("how many customers purchased the Bosch Garden Hose and also bought the Ensto LED Bulb",
     "SELECT COUNT(*) FROM (SELECT o.customer_id FROM orders o JOIN order_items oi USING (order_id) JOIN products p "
     "USING (product_id) WHERE p.name IN ('Bosch Garden Hose', 'Ensto LED Bulb') GROUP BY o.customer_id "
     "HAVING COUNT(DISTINCT p.name) = 2)"),
])
def test_customers_who_bought_one_and_also_another(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "what share of customers who bought the Bosch Garden Hose also bought the Ensto LED Bulb",
])
def test_share_of_customers_who_also_bought_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# reca slice: "lapsed customers (ordered before, nothing since <day>)": 'lapsed' names the lapsed customers' list when
# the question says which (layer: purposes.lapsed; alone it is refused, there is no period to be lapsed in), and
# "ordered before, nothing since ..." joined by a comma reads as "ordered before but nothing since ..."
@pytest.mark.parametrize("question, gold", [
    ("lapsed consumer customers (ordered before, nothing since 1 June 2026)",
     "SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id HAVING MAX(o.order_date) < DATE '2026-06-01'"),
    ("customers in Tallinn who ordered before, but not in the last 60 days",
     "SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE c.city = 'Tallinn' "
     "GROUP BY c.customer_id HAVING MAX(o.order_date) < DATE '2026-09-02'"),
])
def test_lapsed_customers_said_so(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", ["lapsed customers in Oslo", "lapsed products"])
def test_lapsed_with_no_period_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# reca slice: "which 3 lapsed customers (no order since <day>) spent the most": a purpose word between the number and
# what is ranked is passed as a condition is ("which 3 active products"); the number is how many
@pytest.mark.parametrize("question, gold", [
    ("Which 3 lapsed customers (no order since 1 June 2026) spent the most with us overall?",
     "SELECT c.name, SUM(o.total_amount) FILTER (WHERE o.status NOT IN ('cancelled', 'returned')) AS r FROM customers c "
     "JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name HAVING MAX(o.order_date) < DATE '2026-06-01' "
     "ORDER BY r DESC LIMIT 3"),
])
def test_a_number_before_a_purpose_word_and_the_things_ranked(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# slice ref3: "stock per unit sold" / "stock relative to the units we sold" is a product's stock (all warehouses)
# over its own units sold in the period (layer measure stock_per_unit_sold, per_dimension product), a product that
# sold nothing there left out; "overstock" ranked by it highest first. Asked as a total, per another grouping, of one
# warehouse, or ranked by it beside another figure it is refused.
PER_UNIT_SOLD = ("SELECT p.name, s.st * 1.0 / u.units AS r FROM products p JOIN (SELECT product_id, "
                 "SUM(quantity_on_hand) AS st FROM inventory GROUP BY 1) s USING (product_id) JOIN (SELECT "
                 "oi.product_id, SUM(oi.quantity) AS units FROM order_items oi JOIN orders o USING (order_id) WHERE "
                 f"{VALID_ORDER} AND o.order_date BETWEEN DATE '{{a}}' AND DATE '{{b}}' GROUP BY 1) u "
                 "USING (product_id) {where}ORDER BY r {d} LIMIT {n}")


@pytest.mark.parametrize("question, gold", [
    ("overstock check: the 3 products with the most stock relative to the units we sold in 2025",
     PER_UNIT_SOLD.format(a="2025-01-01", b="2025-12-31", where="", d="DESC", n=3)),
    ("which 4 Garden products have the highest stock per unit sold over the last 90 days?",
     PER_UNIT_SOLD.format(a="2026-08-03", b="2026-10-31", where="WHERE p.category = 'Garden' ", d="DESC", n=4)),
    ("the 5 products with the least stock per unit sold this year",
     PER_UNIT_SOLD.format(a="2026-01-01", b="2026-10-31", where="", d="ASC", n=5)),
])
def test_stock_per_unit_sold_of_each_product(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "stock per unit sold this year",                                   # one figure over every product
    "stock per unit sold by category in 2025",                         # another grouping
    "the 5 products with the most stock per unit sold in Drammen this year",  # the stock is of every warehouse
    "the 5 products with the most stock per unit sold based on this year's sales",  # ranked beside revenue
])
def test_stock_per_unit_sold_not_per_product_is_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)




# rec4 slice: a product value that is a plural noun ("which 3 tools") names its products after which / what, a number
# of them between; "in that warehouse" after the question named one warehouse points at it (no split by warehouse);
# where the asker will promote the ones found ("push them online") is the asker's act, no channel of the figures;
# "customers to call back" is a call list
MARGIN = "(p.unit_price - p.unit_cost) / p.unit_price"


@pytest.mark.parametrize("question, gold", [
    ("Which 3 tools have the best margin? want to push them",
     f"SELECT p.name, {MARGIN} FROM products p WHERE p.category = 'Tools' ORDER BY 2 DESC LIMIT 3"),
    ("what four tools sold the most units in 2025",
     f"SELECT p.name, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND p.category = 'Tools' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY p.name ORDER BY u DESC LIMIT 4"),
    ("What does Kuopio have to reorder? The products under their reorder level in that warehouse.",
     "SELECT p.name FROM inventory i JOIN products p USING (product_id) WHERE i.warehouse = 'Kuopio' "
     "AND i.quantity_on_hand < i.reorder_level"),
    ("Which 2 categories brought the most revenue last year? we want to promote them online",
     f"SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} AND o.order_date BETWEEN "
     "DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 ORDER BY r DESC LIMIT 2"),
    ("top 3 brands by units sold in store last year? want to push them in the web shop too",
     f"SELECT p.brand, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND o.channel = 'store' AND o.order_date BETWEEN DATE '2025-01-01' AND "
     "DATE '2025-12-31' GROUP BY 1 ORDER BY u DESC LIMIT 3"),
    ("consumer customers to call back: ordered before but nothing in the last 60 days",
     "SELECT c.customer_id FROM customers c JOIN orders o USING (customer_id) WHERE c.segment = 'consumer' "
     "GROUP BY c.customer_id HAVING MAX(o.order_date) < DATE '2026-09-02'"),
])
def test_category_nouns_place_pointers_and_promotion_places(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question, kept", [
    # the channel said in the question itself stays a condition; a plan after it only says why
    ("Which 2 categories had the most revenue online last year? we want to promote them", "o.channel = 'web'"),
])
def test_a_channel_asked_stays_beside_a_promotion_plan(parser, question, kept):
    assert kept in parser.parse(question, COPILOT_AS_OF).sql


@pytest.mark.parametrize("question", [
    "which tool has the best margin?",  # the singular is no noun of the layer for the Tools products
])
def test_a_singular_category_word_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_that_place_with_two_places_named_is_not_one_of_them(parser):
    sql = parser.parse("Kuopio and Vantaa products below reorder level in that warehouse", COPILOT_AS_OF).sql
    assert "= 'Kuopio'" not in sql and "= 'Vantaa'" not in sql


# rec4 slice: the asker's own criterion after a wish to drop ("What could we stop selling? List ... with no units sold
# in <period>") is the list of those products; "which categories should we push - the ones whose revenue fell ..." the
# ones the criterion keeps; "our strongest market" is the best one by the figure named; "customers buying X" as
# "customers who buy X"
UNSOLD_45 = (f"SELECT p.name FROM products p WHERE p.active AND p.product_id NOT IN (SELECT oi.product_id FROM "
             f"order_items oi JOIN orders o USING (order_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2026-09-17' "
             "AND DATE '2026-10-31')")
LINE_REVENUE = "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)"


@pytest.mark.parametrize("question, gold", [
    ("What could we stop selling? List the active products with no units sold in the last 45 days.", UNSOLD_45),
    ("which active products should we stop carrying? the ones that sold nothing in the last 45 days", UNSOLD_45),
    ("which categories should we push - those whose revenue fell in September 2026 compared to August 2026",
     f"SELECT p.category FROM orders o JOIN order_items oi USING (order_id) JOIN products p USING (product_id) "
     f"WHERE {VALID} AND o.order_date BETWEEN DATE '2026-08-01' AND DATE '2026-09-30' GROUP BY 1 HAVING "
     f"SUM(CASE WHEN o.order_date >= DATE '2026-09-01' THEN {LINE_REVENUE} ELSE 0 END) < "
     f"SUM(CASE WHEN o.order_date < DATE '2026-09-01' THEN {LINE_REVENUE} ELSE 0 END)"),
    ("Based on units sold in 2025, which country is our strongest market?",
     f"SELECT c.country, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN customers c "
     f"USING (customer_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY 1 ORDER BY u DESC LIMIT 1"),
    ("Customers buying Garden products - which other category turns up most often in the same orders?",
     "SELECT p.category, COUNT(DISTINCT oi.order_id) n FROM order_items oi JOIN products p USING (product_id) "
     "WHERE p.category <> 'Garden' AND oi.order_id IN (SELECT oi2.order_id FROM order_items oi2 JOIN products p2 "
     "USING (product_id) WHERE p2.category = 'Garden') GROUP BY 1 ORDER BY n DESC LIMIT 1"),
])
def test_drop_push_strongest_and_buying_customers(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "what could we stop stocking?",  # no criterion: which products to drop is the asker's decision
    "which products should we push?",  # no ranking nor criterion
    "buying customers in 2025",  # before the noun it is no clause of what they do
])
def test_a_wish_with_no_criterion_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


# rec4 slice: "what" in a plan after the question is what the asker decides ("Helps decide what to reorder first."),
# as "which" is; a plan naming a value of its own still narrows the question (never set aside)
@pytest.mark.parametrize("question, gold", [
    ("Of the products low on stock, how many units did each sell in 2025? Helps decide what to reorder first.",
     f"SELECT p.name, COALESCE(SUM(oi.quantity) FILTER (WHERE {VALID} AND o.order_date BETWEEN DATE '2025-01-01' "
     f"AND DATE '2025-12-31'), 0) FROM {STOCK} p LEFT JOIN order_items oi USING (product_id) LEFT JOIN orders o "
     "USING (order_id) WHERE p.stock <= p.reorder GROUP BY p.product_id, p.name"),
])
def test_a_plan_deciding_what_is_set_aside(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_a_plan_saying_what_of_a_value_is_not_set_aside(parser):
    result = parser.parse("top 5 products by units in 2025? we want to see what sold in Finland", COPILOT_AS_OF)
    assert "set aside" not in result.interpretation


# rec4 slice: "rank ... by how many units they sold" ranks by the figure the clause says (layer ranked_by_clauses);
# "how much they sold" (units or revenue?) is no clause of the layer and stays refused
@pytest.mark.parametrize("question, gold", [
    ("rank the low-stock products by how many units they sold in September 2026",
     f"SELECT p.name, COALESCE(SUM(oi.quantity) FILTER (WHERE {VALID} AND o.order_date BETWEEN DATE '2026-09-01' "
     f"AND DATE '2026-09-30'), 0) u FROM {STOCK} p LEFT JOIN order_items oi USING (product_id) LEFT JOIN orders o "
     "USING (order_id) WHERE p.stock <= p.reorder GROUP BY p.product_id, p.name ORDER BY u DESC LIMIT 10"),
    ("top 3 consumer customers by how many orders they placed in 2025",
     "SELECT c.name, COUNT(DISTINCT o.order_id) n FROM customers c JOIN orders o USING (customer_id) WHERE "
     "c.segment = 'consumer' AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY c.customer_id, "
     "c.name ORDER BY n DESC LIMIT 3"),
    ("rank the carriers by the share of their delivered shipments that arrived late in 2025",
     "SELECT s.carrier, AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 1.0 ELSE 0.0 END) FROM "
     "shipments s WHERE s.delivered_at IS NOT NULL AND s.shipped_at >= TIMESTAMP '2025-01-01' AND s.shipped_at < "
     "TIMESTAMP '2026-01-01' GROUP BY 1"),
])
def test_ranked_by_a_figure_said_in_a_clause(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


def test_ranked_by_how_much_they_sold_stays_refused(parser):
    with pytest.raises(NotUnderstood):
        parser.parse("rank products by how much they sold last month", COPILOT_AS_OF)


# rec4 slice: a carrier's "on-time record" is its on-time rate (the share not late), not a count of on-time parcels
ON_TIME_2025 = ("SELECT s.carrier, AVG(CASE WHEN s.delivered_at > s.shipped_at + INTERVAL 3 DAY THEN 0.0 ELSE 1.0 END) r "
                "FROM shipments s WHERE s.delivered_at IS NOT NULL AND s.shipped_at >= TIMESTAMP '2025-01-01' AND "
                "s.shipped_at < TIMESTAMP '2026-01-01' GROUP BY 1")


@pytest.mark.parametrize("question, gold", [
    ("which carrier had the best on-time record in 2025?", f"{ON_TIME_2025} ORDER BY r DESC LIMIT 1"),
    ("which carrier had the worst on time record in 2025", f"{ON_TIME_2025} ORDER BY r ASC LIMIT 1"),
])
def test_an_on_time_record_is_the_on_time_rate(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


# rec4 slice: where the asker will put more money or attention ("deserves more investment", "should get more attention
# next year") is the asker's decision; the ranking said beside it decides; with no ranking it stays refused
@pytest.mark.parametrize("question, gold", [
    ("Which channel deserves more investment? Which one had the highest average order value in 2025?",
     f"SELECT o.channel, SUM(o.total_amount) / COUNT(DISTINCT o.order_id) a FROM orders o WHERE {VALID} AND "
     "o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1 ORDER BY a DESC LIMIT 1"),
    ("Which brand should get more attention next year? Give me the one with the fewest units sold in 2025.",
     f"SELECT p.brand, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
     f"USING (product_id) WHERE {VALID} AND o.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' "
     "GROUP BY 1 ORDER BY u ASC LIMIT 1"),
])
def test_more_investment_or_attention_goes_by_the_ranking_asked(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("question", [
    "which channel deserves more investment?",
    "which category deserves more attention - revenue by category in 2025",
])
def test_more_investment_with_no_ranking_stays_refused(parser, question):
    with pytest.raises(NotUnderstood):
        parser.parse(question, COPILOT_AS_OF)


def test_strongest_in_a_preface_plan_is_set_aside(parser, engine):
    # "strongest" alone is no ranking word: in a plan before the question it is the asker's, the question ranks
    question = ("For the summer push we'd like to focus on the strongest garden brands. Which 2 brands sold the "
                "most Garden units in 2025?")
    gold = (f"SELECT p.brand, SUM(oi.quantity) u FROM order_items oi JOIN orders o USING (order_id) JOIN products p "
            f"USING (product_id) WHERE {VALID} AND p.category = 'Garden' AND o.order_date BETWEEN DATE '2025-01-01' "
            "AND DATE '2025-12-31' GROUP BY 1 ORDER BY u DESC LIMIT 2")
    assert_answers_like(parser, engine, question, gold)
