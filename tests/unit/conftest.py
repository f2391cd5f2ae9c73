"""The demo lake and the offline copilot parser over it, built once for the copilot's table tests."""

from __future__ import annotations

from datetime import date

import pytest

COPILOT_AS_OF = date(2026, 11, 1)
# gold SQL: the orders that count as sales (the revenue glossary)
VALID_ORDER = "o.status NOT IN ('cancelled', 'returned')"


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    from commerce_platform.demo.retail import build_lake
    from commerce_platform.ports.query_engine import DuckDBEngine

    lake = tmp_path_factory.mktemp("copilot_lake") / "retail"
    build_lake(lake)
    return DuckDBEngine(lake)


@pytest.fixture(scope="session")
def parser(engine):
    from commerce_platform.copilot.parser import SemanticParser
    from commerce_platform.copilot.semantic import vocabulary_for

    return SemanticParser(vocabulary_for(engine))


def answer(parser, engine, question, context=None, as_of=COPILOT_AS_OF):
    """The rows the offline copilot answers with (the earlier questions replayed as context)."""
    from commerce_platform.copilot.guard import check_sql

    form = None
    for previous in context or []:
        form = parser.parse(previous, as_of, form).form
    return engine.execute(check_sql(parser.parse(question, as_of, form).sql).sql).rows


def assert_answers_like(parser, engine, question, gold, context=None):
    """The table tests' one check: the copilot's rows for `question` match the gold SQL's rows."""
    from commerce_platform.copilot.evaluation import results_match

    expected = engine.execute(gold).rows
    got = answer(parser, engine, question, context)
    assert results_match(expected, got), f"{question!r}: gold {len(expected)} rows {expected[:3]}, got {len(got)} {got[:3]}"
