"""The offline parser + planner, as tables of (question, gold SQL) compared by their results
on the demo lake, plus periods, refusals that name the unplaced words, typos and follow-ups."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.evaluation import results_match
from commerce_platform.copilot.parser import Periods
from commerce_platform.copilot.query import QueryForm
from commerce_platform.copilot.semantic import SemanticLayer
from commerce_platform.errors import NotUnderstood, ValidationFailed

from .conftest import COPILOT_AS_OF, VALID_ORDER, answer, assert_answers_like

pytestmark = pytest.mark.functional

AS_OF = COPILOT_AS_OF
VALID = VALID_ORDER


@pytest.mark.parametrize("question, gold", [
    ("How many orders do we have open?", "SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'paid')"),
    ("Which product costs the most?", "SELECT name, unit_price FROM products ORDER BY unit_price DESC LIMIT 1"),
    ("the cheapest product", "SELECT name, unit_price FROM products ORDER BY unit_price LIMIT 1"),
    ("revenue excluding web orders last month",
     f"SELECT SUM(total_amount) FROM orders o WHERE {VALID} AND channel <> 'web' "
     "AND order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    ("Sales in Finland versus Sweden in 2025",
     f"SELECT c.country, SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.country IN ('FI', 'SE') AND year(o.order_date) = 2025 GROUP BY 1"),
    ("Mean delivery time per carrier in hours",
     "SELECT carrier, AVG(epoch(delivered_at) - epoch(shipped_at)) / 3600 FROM shipments "
     "WHERE delivered_at IS NOT NULL GROUP BY 1"),
    ("What percentage of orders were returned?",
     "SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE status = 'returned') / COUNT(*), 2) FROM orders"),
    ("How many orders from 1 March 2025 to 30 April 2025?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2025-03-01' AND DATE '2025-04-30'"),
    ("list the orders between 2025-03-01 and 2025-04-30",
     "SELECT order_id, order_date FROM orders WHERE order_date BETWEEN DATE '2025-03-01' AND DATE '2025-04-30'"),
    ("revenue by month in 2025",
     f"SELECT date_trunc('month', order_date), SUM(total_amount) FROM orders o WHERE {VALID} "
     "AND year(order_date) = 2025 GROUP BY 1"),
    ("top 5 categories by revenue",
     "SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} GROUP BY 1 "
     "ORDER BY r DESC LIMIT 5"),
    ("which customer has the most orders",
     "SELECT c.name, COUNT(*) n FROM orders o JOIN customers c USING (customer_id) GROUP BY 1 ORDER BY n DESC LIMIT 1"),
    ("customers with more than 10 orders",
     "SELECT c.name FROM customers c JOIN orders o USING (customer_id) GROUP BY c.customer_id, c.name "
     "HAVING COUNT(*) > 10"),
    ("show me low stock products",
     "SELECT product_id FROM inventory GROUP BY 1 HAVING SUM(quantity_on_hand) <= SUM(reorder_level)"),
    ("how many discontinued products", "SELECT COUNT(*) FROM products WHERE NOT active"),
    ("shipments not delivered", "SELECT shipment_id FROM shipments WHERE delivered_at IS NULL"),
    ("customers who never ordered",
     "SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)"),
    ("products with 'drill' in the name", "SELECT name FROM products WHERE name ILIKE '%drill%'"),
    ("orders over 2000 EUR in 2026",
     "SELECT order_id FROM orders WHERE total_amount > 2000 AND year(order_date) = 2026"),
    ("orders per channel", "SELECT channel, COUNT(*) FROM orders GROUP BY 1"),
    ("avg number of orders per customer",
     "SELECT AVG(n) FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id)"),
    ("revenue growth this year vs last year",
     f"SELECT 100.0 * (SUM(total_amount) FILTER (WHERE year(order_date) = 2026) - SUM(total_amount) FILTER "
     f"(WHERE year(order_date) = 2025)) / SUM(total_amount) FILTER (WHERE year(order_date) = 2025) FROM orders o "
     f"WHERE {VALID}"),
    ("reveneu by month in 2025",
     f"SELECT date_trunc('month', order_date), SUM(total_amount) FROM orders o WHERE {VALID} "
     "AND year(order_date) = 2025 GROUP BY 1"),
])
def test_question_answers_like_its_gold_sql(parser, engine, question, gold):
    assert_answers_like(parser, engine, question, gold)


@pytest.mark.parametrize("context, question, gold", [
    (["revenue by channel in 2025"], "and units sold?",
     f"SELECT o.channel, SUM(oi.quantity) FROM order_items oi JOIN orders o USING (order_id) WHERE {VALID} "
     "AND year(o.order_date) = 2025 GROUP BY 1"),
    (["revenue in Helsinki last month"], "and Tampere?",
     f"SELECT SUM(o.total_amount) FROM orders o JOIN customers c USING (customer_id) WHERE {VALID} "
     "AND c.city = 'Tampere' AND o.order_date BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'"),
    (["top 5 categories by revenue"], "same for brands",
     "SELECT p.brand, SUM(oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)) r FROM order_items oi "
     f"JOIN orders o USING (order_id) JOIN products p USING (product_id) WHERE {VALID} GROUP BY 1 "
     "ORDER BY r DESC LIMIT 5"),
    (["how many orders last month"], "and the month before?",
     "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN DATE '2026-09-01' AND DATE '2026-09-30'"),
    (["web revenue by month in 2025"], "what about all channels?",
     f"SELECT date_trunc('month', order_date), SUM(total_amount) FROM orders o WHERE {VALID} "
     "AND year(order_date) = 2025 GROUP BY 1"),
])
def test_follow_ups_carry_the_whole_previous_form(parser, engine, context, question, gold):
    assert results_match(engine.execute(gold).rows, answer(parser, engine, question, context))


@pytest.mark.parametrize("question, unplaced", [
    ("revenue of the blorbs last month", "blorbs"),
    ("how many orders were shipped by drone", "drone"),
    ("average revenue per square foot", None),
    ("how many employees do we have", None),
    ("average revenue last month", "average"),  # average per what? never dropped silently
])
def test_words_it_cannot_place_are_refused_and_named(parser, question, unplaced):
    with pytest.raises(NotUnderstood) as err:
        parser.parse(question, AS_OF)
    if unplaced:
        assert unplaced in err.value.message


def test_typo_correction_never_picks_between_tied_values(parser):
    lexicon = parser.lexicon
    assert lexicon.correct("reveneu") == "revenue"
    # two known words one edit away: no guess
    lexicon.targets |= {"halsinki"}
    try:
        assert lexicon.correct("hxlsinki") is None
    finally:
        lexicon.targets.discard("halsinki")


def test_the_answer_says_what_was_computed(parser):
    r = parser.parse("How many orders do we have open?", AS_OF)
    assert "pending or paid" in r.interpretation
    r = parser.parse("revenue excluding web orders last month", AS_OF)
    assert "cancelled or returned" in r.interpretation and "web" in r.interpretation
    assert "2026-10-01 to 2026-10-31" in r.interpretation


@pytest.mark.parametrize("text, start, end", [
    ("revenue last month", "2026-10-01", "2026-10-31"),
    ("orders this year", "2026-01-01", "2026-10-31"),  # to date: through the day before --as-of
    ("orders in the last 30 days", "2026-10-02", "2026-10-31"),  # 30 whole days
    ("orders in march", "2026-03-01", "2026-03-31"),
    ("orders in december", "2025-12-01", "2025-12-31"),
    ("sales in Q1 2026", "2026-01-01", "2026-03-31"),
    ("from March to April 2025", "2025-03-01", "2025-04-30"),
    ("from 1 March 2025 to 30 April 2025", "2025-03-01", "2025-04-30"),
    ("March 5, 2025", "2025-03-05", "2025-03-05"),
    ("first half of 2025", "2025-01-01", "2025-06-30"),
])
def test_periods(text, start, end):
    p = Periods(AS_OF)
    p.extract(" " + text.lower() + " ")
    assert (p.found[0].start, p.found[0].end) == (start, end)


def test_a_date_that_does_not_exist_is_a_validation_error(parser):
    with pytest.raises(ValidationFailed):
        parser.parse("orders on 2025-02-30", AS_OF)


def test_query_form_round_trips_as_stored(parser):
    form = parser.parse("top 5 categories by revenue in 2025", AS_OF).form
    again = QueryForm.from_dict(form.to_dict())
    assert again == form
    assert QueryForm.from_dict({"intent": "metric"}) is None  # a turn of the first parser: no context


def test_the_layer_is_the_one_source_of_the_glossary():
    layer = SemanticLayer.load()
    text = layer.describe(["inventory", "products"])
    assert "TABLE inventory" in text and "TABLE orders" not in text and "low_stock (products)" in text
    assert set(layer.tables) == {"customers", "products", "inventory", "orders", "order_items", "shipments"}
    assert "cancelled" in layer.measures["revenue"]["filter"]


def test_no_list_of_the_layer_repeats_a_phrase():
    # a phrase said twice in one list is an edit that forgot the first (two writers of one word list)
    import json
    from importlib import resources

    def repeated(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from repeated(value, f"{path}/{key}")
        elif isinstance(node, list):
            words = [w for w in node if isinstance(w, str)]
            yield from (f"{path}: {w!r}" for w in sorted({w for w in words if words.count(w) > 1}))
            for k, value in enumerate(node):
                yield from repeated(value, f"{path}/{k}")

    text = resources.files("commerce_platform.copilot").joinpath("semantic_layer.json").read_text(encoding="utf-8")
    assert list(repeated(json.loads(text), "")) == []


@pytest.mark.parametrize("text,expected", [
    ("Revenue in HELSINKI – 2025", ["revenue", "in", "helsinki", "2025"]),  # a dash is no token
    ("Customer’s orders over €50", ["customer's", "orders", "over", "€", "50"]),
    ("Myynti Jyväskylässä 12,5 %", ["myynti", "jyväskylässä", "12,5", "%"]),
    ("top __p1__ products", ["top", "__p1__", "products"]),
])
def test_tokenize_uses_the_platform_normalization(text, expected):
    from commerce_platform.copilot.lexicon import tokenize

    assert tokenize(text) == expected
