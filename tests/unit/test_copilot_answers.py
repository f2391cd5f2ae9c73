"""Prose answers: what a reader looks for first, by the shape of the result (table-driven)."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.answers import compose
from commerce_platform.copilot.parser import Frame

pytestmark = pytest.mark.unit

OCTOBER = {"start": "2026-10-01", "end": "2026-10-31", "label": "last month (October 2026)"}
YEAR_2025 = {"start": "2025-01-01", "end": "2025-12-31", "label": "2025"}


@pytest.mark.parametrize("frame, columns, rows, expected", [
    # one value: the measure and the period
    (Frame(metric="revenue", period=OCTOBER), ["revenue"], [[1234.5]],
     "Revenue last month (October 2026): 1,234.50 EUR."),
    # a top-N: the leaders, how many more, and their sum (not called the total)
    (Frame(metric="revenue", top_n=5, group_by=["product"], period=OCTOBER), ["product_id", "product", "revenue"],
     [[1, "Hammer", 500.0], [2, "Lamp", 400.0], [3, "Plate", 300.0], [4, "Pipe", 200.0], [5, "Reel", 100.0]],
     "Top 5 products by revenue last month (October 2026): Hammer (500.00 EUR), Lamp (400.00 EUR), "
     "Plate (300.00 EUR) and 2 more. Together: 1,500.00 EUR."),
    # ascending order reads as the bottom; a single winner reads in the singular
    (Frame(metric="count", top_n=1, order="asc", group_by=["city"]), ["city", "orders"], [["Tallinn", 130]],
     "Bottom city by orders: Tallinn (130)."),
    (Frame(metric="revenue", top_n=1, group_by=["category"]), ["category", "revenue"], [["Garden", 10.0]],
     "Top category by revenue: Garden (10.00 EUR)."),
    # a time series: its extremes in words, and a total only for additive measures
    (Frame(metric="revenue", grain="quarter", period=YEAR_2025), ["quarter", "revenue"],
     [["2025-01-01", 10.0], ["2025-04-01", 40.0], ["2025-07-01", 20.0], ["2025-10-01", 30.0]],
     "Revenue by quarter in 2025, 4 quarters: highest in Q2 2025 (40.00 EUR), lowest in Q1 2025 (10.00 EUR). "
     "Total revenue: 100.00 EUR."),
    (Frame(metric="aov", grain="month"), ["month", "average_order_value"],
     [["2026-01-01", 400.0], ["2026-02-01", 500.0]],
     "Average order value by month, 2 months: highest in February 2026 (500.00 EUR), lowest in January 2026 "
     "(400.00 EUR)."),
    # a list of orders: named by number, newest first, with the amount they add up to
    (Frame(intent="list", subject="orders"), ["order_id", "customer_id", "order_date", "status", "total_amount"],
     [[9, 1, "2026-10-31", "paid", 10.0], [7, 2, "2026-10-30", "paid", 5.5]],
     "2 orders, newest first: order 9 (10.00 EUR), order 7 (5.50 EUR). Total amount: 15.50 EUR."),
    # rows named by "name": the noun comes from the question
    (Frame(intent="list", subject="customers"), ["customer_id", "name", "email"],
     [[1, "Aino", "a@x"], [2, "Erik", "e@x"]], "2 customers: Aino, Erik."),
    (Frame(intent="stock", metric="stock", stock_state="low"), ["product_id", "name", "stock", "reorder_level"],
     [[1, "Knife", 0, 10], [2, "Drill", 3, 5]], "2 products, by stock: Knife (0), Drill (3). Total stock: 3."),
    # nothing found: say what was looked for
    (Frame(metric="count", subject="orders", period=OCTOBER), ["orders"], [],
     "Nothing matched last month (October 2026) (understood as: x)."),
])
def test_prose_by_result_shape(frame, columns, rows, expected):
    assert compose("q", columns, rows, "x" if not rows else "", frame=frame) == expected


def test_truncated_results_do_not_claim_a_total():
    rows = [[i, 1, "2026-10-31", "paid", 1.0] for i in range(1000)]
    text = compose("q", ["order_id", "customer_id", "order_date", "status", "total_amount"], rows, truncated=True,
                   frame=Frame(intent="list", subject="orders"))
    assert text.startswith("1,000 orders (the first 1,000 shown)")
    assert "Total of the rows shown: 1,000.00 EUR." in text and "Total amount" not in text


def test_llm_sql_without_a_frame_still_reads_and_note_is_appended():
    text = compose("q", ["brand", "revenue"], [["Bosch", 3.0], ["Oras", 2.0]], note="The lake ends in May.")
    assert text == "2 brands, by revenue: Bosch (3.00 EUR), Oras (2.00 EUR). Total revenue: 5.00 EUR. " \
                   "The lake ends in May."
