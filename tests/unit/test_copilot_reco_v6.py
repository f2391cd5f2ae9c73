"""Recommendation round 6: clauses that say only why a list is asked for ("for a bundle", "thinking of
pushing it", "who deserves a volume deal") are placed when the layer lists them as purposes of the form
that was read, and the answer says which definition answered the purpose."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.errors import NotUnderstood

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer

pytestmark = pytest.mark.functional

AS_OF = COPILOT_AS_OF
VALID = VALID_ORDER
STOCK = ("(SELECT p.product_id, p.name, p.category, p.active, SUM(i.quantity_on_hand) AS stock, "
         "SUM(i.reorder_level) AS reorder FROM products p JOIN inventory i USING (product_id) GROUP BY ALL)")
REVENUE_2026 = (f"SELECT {{dim}}, SUM(o.total_amount) r FROM orders o JOIN customers c USING (customer_id) "
                f"WHERE {VALID} AND o.order_date BETWEEN DATE '2026-01-01' AND DATE '2026-10-31' GROUP BY 1")
MARGIN = "(unit_price - unit_cost) / unit_price"


@pytest.mark.parametrize("question, gold", [
    # a purpose clause beside the ranking it fits: the ranking asked is answered
    ("we're overstocked, which 2 products hold the most stock? want to promote them",
     f"SELECT name, stock FROM {STOCK} ORDER BY 2 DESC LIMIT 2"),
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
     f"SELECT name, stock FROM {STOCK} WHERE NOT active AND stock > 0"),
    # the last words of a request to show a stock condition's products name the figure shown
    ("show products at or below their reorder level with stock",
     f"SELECT name, stock FROM {STOCK} WHERE stock <= reorder"),
    # "where should we restock X" with the figures asked per warehouse: every warehouse shown
    ("where should we restock the Philips Cutting Board? stock and reorder level per warehouse",
     "SELECT i.warehouse, i.quantity_on_hand, i.reorder_level FROM inventory i JOIN products p USING (product_id) "
     "WHERE p.name = 'Philips Cutting Board'"),
])
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question)), question


@pytest.mark.parametrize("question, said", [
    ("top 3 products bought together with the Philips Cutting Board, for a bundle", "bundle read as"),
    ("which carrier should we use for Helsinki? pick the one with the lowest average delivery time",
     "carrier choice read as"),
    ("which 3 products sold the fewest units this year, thinking about discontinuing them", "discontinue read as"),
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
])
def test_a_purpose_beside_another_form_is_refused(parser, question, unplaced):
    with pytest.raises(NotUnderstood, match=unplaced):
        parser.parse(question, AS_OF)
