"""Filters as data (issue 17): the export's day filter is plain data; the Iceberg port turns it into a
pyiceberg expression that selects exactly the rows it says."""

from __future__ import annotations

from datetime import date

import pytest

from commerce_platform.errors import ValidationFailed
from commerce_platform.exports.iceberg import day_filter
from commerce_platform.ports.iceberg_table import Filter, to_expression

pytestmark = pytest.mark.unit


def test_day_filter_is_data_partition_columns_and_day_bounds():
    got = day_filter(date(2026, 3, 10), tenant="t1", sale_ids=["a", "b"])
    assert got == (Filter("sale_id", "in", frozenset({"a", "b"})), Filter("tenant_id", "==", "t1"),
                   Filter("year", "==", 2026), Filter("month", "==", 3),
                   Filter("sold_at", ">=", "2026-03-10T00:00:00+00:00"), Filter("sold_at", "<", "2026-03-11T00:00:00+00:00"))


def test_filters_translate_to_an_expression_that_selects_the_right_rows():
    from pyiceberg.expressions import AlwaysTrue, visitors
    from pyiceberg.schema import Schema
    from pyiceberg.typedef import Record
    from pyiceberg.types import IntegerType, NestedField, StringType

    schema = Schema(NestedField(1, "k", StringType(), required=False), NestedField(2, "n", IntegerType(), required=False))
    filters = (Filter("k", "in", {"a", "b"}), Filter("n", ">=", 2), Filter("n", "!=", 5), Filter("k", "not_null"))
    evaluate = visitors.expression_evaluator(schema, to_expression(filters), case_sensitive=True)
    rows = [("a", 1), ("a", 2), ("b", 5), ("b", 9), ("c", 3), (None, 4)]
    assert [r for r in rows if evaluate(Record(*r))] == [("a", 2), ("b", 9)]
    only_nulls = visitors.expression_evaluator(schema, to_expression((Filter("k", "is_null"),)), case_sensitive=True)
    assert [r for r in rows if only_nulls(Record(*r))] == [(None, 4)]
    assert isinstance(to_expression(()), AlwaysTrue) and isinstance(to_expression(None), AlwaysTrue)


@pytest.mark.parametrize(("args", "says"), [(("k", "like", "a%"), "operator 'like'"),
                                            (("k", "in", "abc"), "needs a collection")])
def test_a_bad_filter_is_refused_with_a_clear_message(args, says):
    with pytest.raises(ValidationFailed, match=says):
        Filter(*args)
