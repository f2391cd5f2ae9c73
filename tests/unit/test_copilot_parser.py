"""Offline semantic parser: periods, linking, intents, follow-ups, refusals (no lake needed)."""

from __future__ import annotations

from datetime import date

import pytest

from commerce_platform.copilot.parser import Frame, SemanticParser, Text, parse_period
from commerce_platform.copilot.semantic import SemanticLayer, Vocabulary
from commerce_platform.errors import NotUnderstood, ValidationFailed

pytestmark = pytest.mark.unit

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def parser():
    vocab = Vocabulary(values={
        "city": ["Helsinki", "Tampere", "Stockholm"], "country": ["FI", "SE"], "category": ["Plumbing", "Garden"],
        "brand": ["Makita", "Oras"], "warehouse": ["Vantaa", "Kuopio"], "carrier": ["DHL", "Posti"],
        "status": ["pending", "paid", "shipped", "delivered", "cancelled", "returned"],
        "channel": ["web", "store", "b2b"], "segment": ["business", "consumer"]},
        product_names={"makita copper pipe": "Makita Copper Pipe", "oras garden hose": "Oras Garden Hose"},
        customer_names={"helmi lindqvist": "Helmi Lindqvist"})
    vocab._index()
    return SemanticParser(vocab)


@pytest.mark.parametrize("text, start, end", [
    ("revenue last month", "2026-10-01", "2026-10-31"),
    ("orders this year", "2026-01-01", "2026-11-01"),
    ("sales last year", "2025-01-01", "2025-12-31"),
    ("orders in the last 30 days", "2026-10-02", "2026-11-01"),
    ("orders in March 2026", "2026-03-01", "2026-03-31"),
    ("orders in march", "2026-03-01", "2026-03-31"),
    ("orders in december", "2025-12-01", "2025-12-31"),
    ("revenue in 2025", "2025-01-01", "2025-12-31"),
    ("sales in Q1 2026", "2026-01-01", "2026-03-31"),
    ("orders from 2026-01-01 to 2026-03-31", "2026-01-01", "2026-03-31"),
    ("orders between 2026-03-31 and 2026-01-01", "2026-01-01", "2026-03-31"),
    ("orders since 2026-10-15", "2026-10-15", "2026-11-01"),
    ("orders last quarter", "2026-07-01", "2026-09-30"),
    ("orders yesterday", "2026-10-31", "2026-10-31"),
    ("orders last week", "2026-10-19", "2026-10-25"),
    ("orders in 2026-02", "2026-02-01", "2026-02-28"),
])
def test_periods(text, start, end):
    p = parse_period(Text(text), AS_OF)
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


def test_no_period():
    assert parse_period(Text("show me low stock products"), AS_OF) is None


@pytest.mark.parametrize("question, intent, query_type, must_contain", [
    ("show me low stock products", "stock", "inventory", "s.stock <= s.reorder_level"),
    ("list out of stock products", "stock", "inventory", "s.stock = 0"),
    ("stock per warehouse", "stock", "inventory", "GROUP BY i.warehouse"),
    ("what is the status of order 1234", "order_status", "order_status", "o.order_id = 1234"),
    ("where is order #77?", "order_status", "order_status", "o.order_id = 77"),
    ("what is in order 55", "order_items", "orders", "oi.order_id = 55"),
    ("who are our top 10 customers", "metric", "customers", "LIMIT 10"),
    ("revenue by month for 2025", "metric", "sales_report", "date_trunc('month'"),
    ("customers who never ordered", "never_ordered", "customers", "NOT EXISTS"),
    ("products most often bought together with Makita Copper Pipe", "bought_together", "recommendation",
     "p1.name = 'Makita Copper Pipe'"),
    ("best sellers in Garden", "best_sellers", "recommendation", "p.category = 'Garden'"),
    ("recommend products for customer 42", "recommend_customer", "recommendation", "o.customer_id = 42"),
    ("average margin per category", "margin", "sales_report", "AVG((p.unit_price - p.unit_cost) / p.unit_price)"),
    ("average delivery time by carrier", "shipments", "order_status", "date_diff"),
    ("how many web orders in Helsinki", "metric", "orders", "o.channel = 'web'"),
    ("revenue from Finnish customers", "metric", "sales_report", "c.country = 'FI'"),
    ("how much has Helmi Lindqvist spent", "metric", "customers", "c.name = 'Helmi Lindqvist'"),
    ("units sold per brand", "metric", "sales_report", "SUM(oi.quantity)"),
    ("how many units are in stock in Kuopio", "stock", "inventory", "i.warehouse = 'Kuopio'"),
    ("orders shipped with DHL", "list", "orders", "s.carrier = 'DHL'"),
    ("who bought Makita Copper Pipe", "list", "customers", "p.name = 'Makita Copper Pipe'"),
    ("customers in Helsinki who bought Plumbing", "list", "customers", "p.category = 'Plumbing'"),
    # ranked by the number of orders, not by revenue
    ("which customers have the most orders", "metric", "customers", "COUNT(*) AS orders"),
    ("which city has the fewest orders", "metric", "orders", "ORDER BY orders ASC"),
    # "region" is the country: the lake's only geography above the city
    ("revenue by region this year", "metric", "sales_report", "GROUP BY c.country"),
])
def test_intents(parser, question, intent, query_type, must_contain):
    r = parser.parse(question, AS_OF)
    assert r.frame.intent == intent
    assert r.query_type == query_type
    assert must_contain in r.sql


def test_revenue_obeys_the_glossary(parser):
    r = parser.parse("total revenue last month", AS_OF)
    assert "o.status NOT IN ('cancelled', 'returned')" in r.sql
    assert "SUM(o.total_amount)" in r.sql
    line = parser.parse("revenue per category", AS_OF)
    assert "oi.quantity * oi.unit_price * (1 - oi.discount_percent / 100)" in line.sql


def test_negated_status_is_not_a_filter(parser):
    r = parser.parse("orders that are shipped but not delivered", AS_OF)
    assert r.frame.filters["status"] == ["shipped"]


@pytest.mark.parametrize("first, follow, expect_in, expect_not", [
    ("revenue by month for 2025", "and in 2024?", "DATE '2024-01-01'", "2025-01-01"),
    ("revenue by month for 2025", "only web orders", "o.channel = 'web'", None),
    ("list business customers in Stockholm", "what about Tampere?", "c.city = 'Tampere'", "Stockholm"),
    ("how many products are out of stock", "and per category?", "GROUP BY p.category", None),
    ("units sold per category in 2025", "and by brand?", "GROUP BY p.brand", "p.category"),
])
def test_followups_use_the_previous_frame(parser, first, follow, expect_in, expect_not):
    frame = parser.parse(first, AS_OF).frame
    again = Frame.from_dict(frame.to_dict())  # as stored in the conversation
    r = parser.parse(follow, AS_OF, again)
    assert expect_in in r.sql
    if expect_not:
        assert expect_not not in r.sql


@pytest.mark.parametrize("question", [
    "what is the weather in Helsinki tomorrow", "how many employees work in Vantaa", "show me the payroll",
    "tell me a joke", "and in 2024?", "bought together with something", "how many?",
    "revenue by warehouse", "customers of the Vantaa warehouse",
])
def test_not_understood_says_so_with_suggestions(parser, question):
    with pytest.raises(NotUnderstood) as info:
        parser.parse(question, AS_OF)
    assert info.value.exit_code == 3
    assert info.value.hint


@pytest.mark.parametrize("question", ["", "   ", "x" * 501])
def test_empty_or_overlong_question(parser, question):
    with pytest.raises(ValidationFailed) as info:
        parser.parse(question, AS_OF)
    assert info.value.field == "question"


def test_invalid_date_in_question(parser):
    with pytest.raises(ValidationFailed):
        parser.parse("orders from 2026-02-30 to 2026-03-31", AS_OF)


def test_semantic_layer_prompt_is_pruned():
    layer = SemanticLayer.load()
    text = layer.describe(layer.relevant_tables("low stock per warehouse"))
    assert "TABLE inventory" in text and "TABLE shipments" not in text
    assert "revenue" in text  # the glossary always goes along
    assert set(layer.tables) == {"customers", "products", "inventory", "orders", "order_items", "shipments"}
