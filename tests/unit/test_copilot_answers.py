"""Prose answers: what was computed is said with every answer; figures by result shape."""

from __future__ import annotations

import pytest

from commerce_platform.copilot.answers import compose, describe_form
from commerce_platform.copilot.query import Filter, Period, QueryForm

pytestmark = pytest.mark.unit

OCTOBER = Period("2026-10-01", "2026-10-31", "last month (October 2026)")


@pytest.mark.parametrize("form, columns, rows, expected", [
    (QueryForm(measures=["revenue"], period=OCTOBER), ["revenue"], [[1234.5]], "Revenue last month (October 2026): 1,234.50 EUR."),
    (QueryForm(measures=["revenue"], dimensions=["category"], order_by="revenue", limit=2),
     ["category", "revenue"], [["Garden", 10.0], ["Tools", 5.0]], "Top 2 categories by revenue"),
    (QueryForm(measures=["count"], subject="orders", period=OCTOBER), ["count"], [], "Nothing matched last month"),
])
def test_prose_by_result_shape(form, columns, rows, expected):
    assert expected in compose("q", columns, rows, frame=form)


def test_every_answer_says_what_it_computed():
    form = QueryForm(measures=["count"], subject="orders", predicates=["open"],
                     filters=[Filter("channel", "not in", ["web"])], period=OCTOBER, period_field="orders.order_date")
    text = describe_form(form)
    assert "pending or paid" in text and "channel not web" in text and "2026-10-01 to 2026-10-31" in text
    assert text in compose("q", ["count"], [[3]], interpretation=text, frame=form)


def test_llm_sql_without_a_form_still_reads_and_note_is_appended():
    text = compose("q", ["city", "n"], [["Oslo", 3], ["Turku", 2]], note="The lake's orders run from A to B.")
    assert "Oslo" in text and text.endswith("run from A to B.")
