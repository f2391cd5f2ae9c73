"""The semantic layer (shipped JSON) plus the vocabulary read from the lake.

``SemanticLayer.load()`` reads ``semantic_layer.json`` from the package. ``Vocabulary``
holds the distinct values of the low-cardinality columns and the product and customer
names, read from the lake through whatever engine runs the SQL, cached per engine.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

from sqlglot import exp, select

from ..logs import get_logger

log = get_logger("copilot.semantic")

MAX_NAMES = 2_000_000
T = TypeVar("T")


QUALIFIER_RE = re.compile(r"\b([a-z_]+)\.")  # "oi.quantity": the table (alias) a column is qualified with


@dataclass
class SemanticLayer:
    """``semantic_layer.json``: the one source of truth for parser, planner, answers and prompt."""

    tables: dict[str, Any]
    joins: list[dict[str, str]]
    entities: dict[str, Any]
    dimensions: dict[str, Any]
    grains: dict[str, list[str]]
    measures: dict[str, Any]
    counts: dict[str, str]
    predicates: dict[str, Any]
    value_synonyms: dict[str, dict[str, str]]
    grammar: dict[str, Any]

    @classmethod
    def load(cls) -> SemanticLayer:
        return _load_layer()

    def column(self, qualified: str) -> dict[str, Any]:
        table, column = qualified.split(".")
        return self.tables[table]["columns"][column]

    def measure_tables(self, name: str, keys: tuple[str, ...] = ("sql",)) -> set[str]:
        """The tables a measure's SQL (and, with ``keys``, its other SQL forms) qualifies columns with."""
        spec = self.measures.get(name, {})
        return {t for k in keys for t in QUALIFIER_RE.findall(str(spec.get(k) or ""))}

    def categorical_columns(self) -> list[tuple[str, str]]:
        return [(t, c) for t, spec in self.tables.items() for c, col in spec["columns"].items()
                if col.get("categorical")]

    def describe(self, tables: list[str] | None = None, values: dict[str, list[str]] | None = None) -> str:
        """Compact text of the schema and glossary for an LLM prompt, pruned to ``tables``."""
        lines: list[str] = []
        for name, spec in self.tables.items():
            if tables and name not in tables:
                continue
            lines.append(f"TABLE {name} -- {spec['description']}")
            for col, c in spec["columns"].items():
                extra = ""
                if values and col in values and c.get("categorical"):
                    extra = f" values: {', '.join(values[col][:25])}"
                syn = f" (also: {', '.join(c['synonyms'])})" if c.get("synonyms") else ""
                lines.append(f"  {col} {c['type']} -- {c['description']}{syn}{extra}")
        joins = [j for j in self.joins
                 if not tables or (j["left"].split(".")[0] in tables and j["right"].split(".")[0] in tables)]
        if joins:
            lines.append("JOINS: " + "; ".join(f"{j['left']} = {j['right']}" for j in joins))
        lines.append("GLOSSARY (measures):")
        for name, m in self.measures.items():
            sql = m.get("sql") or m.get("line_sql")
            where = f" WHERE {m['filter']}" if m.get("filter") else ""
            line = f"; per product/category/brand {m['line_sql']}" if m.get("sql") and m.get("line_sql") else ""
            lines.append(f"  {name}: {sql}{where}{line} -- {m['definition']}")
        lines.append("GLOSSARY (conditions):")
        for name, p in self.predicates.items():
            lines.append(f"  {name} ({p['entity']}): {p['definition']} -- {p['sql']}")
        return "\n".join(lines)


def negated_predicate(layer: SemanticLayer, name: str) -> bool:
    """``not_open`` negates ``open``; ``not_delivered`` is a predicate of its own."""
    return name not in layer.predicates and name.startswith("not_")


def predicate_spec(layer: SemanticLayer, name: str) -> dict[str, Any]:
    return layer.predicates[name[4:] if negated_predicate(layer, name) else name]


@lru_cache(maxsize=1)
def _load_layer() -> SemanticLayer:
    text = resources.files("commerce_platform.copilot").joinpath("semantic_layer.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return SemanticLayer(**{k: data[k] for k in SemanticLayer.__dataclass_fields__})


@dataclass
class Vocabulary:
    """The lake's distinct values of categorical columns, and product and customer names."""

    values: dict[str, list[str]] = field(default_factory=dict)        # column -> distinct values
    product_names: dict[str, str] = field(default_factory=dict)        # lower name -> name
    customer_names: dict[str, str] = field(default_factory=dict)
    skus: dict[str, str] = field(default_factory=dict)                 # lower sku -> sku
    years: list[int] = field(default_factory=list)                     # years of the entities' own dates

    @classmethod
    def from_engine(cls, engine, layer: SemanticLayer | None = None) -> Vocabulary:
        layer = layer or SemanticLayer.load()
        vocab = cls()
        tables = getattr(engine, "tables", None)
        for table, column in layer.categorical_columns():
            if tables is not None and table not in tables:
                continue
            col = exp.column(column)
            res = engine.execute(select(col).distinct().from_(table).where(col.is_(exp.null()).not_())
                                 .order_by(col).limit(200).sql("duckdb"))
            vocab.values[column] = [str(r[0]) for r in res.rows]
        for table, target, column in (("products", vocab.product_names, "name"),
                                      ("customers", vocab.customer_names, "name"), ("products", vocab.skus, "sku")):
            if tables is not None and table not in tables:
                continue
            col = exp.column(column)
            res = engine.execute(select(col).distinct().from_(table).where(col.is_(exp.null()).not_())
                                 .limit(MAX_NAMES).sql("duckdb"))
            for (value,) in res.rows:
                target[str(value).lower()] = str(value)
        # "revenue over 2025": a year the lake holds dates of is a period, never an amount (periods.py)
        years: set[int] = set()
        for spec in layer.entities.values():
            if not spec.get("period") or (tables is not None and spec["table"] not in tables):
                continue
            col = exp.column(spec["period"])
            res = engine.execute(select(exp.func("MIN", col), exp.func("MAX", col)).from_(spec["table"]).sql("duckdb"))
            for low, high in res.rows:
                if low is not None and high is not None:
                    years.update(range(int(str(low)[:4]), int(str(high)[:4]) + 1))
        vocab.years = sorted(years)
        return vocab


def per_engine(build: Callable[[Any], T]) -> Callable[[Any], T]:
    """``build(engine)`` once per engine, kept while the engine lives (weak keys: the engine
    cache decides how long; no DuckDB connection outlives its engine because of us)."""
    cache: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()
    lock = threading.Lock()

    @functools.wraps(build)
    def cached(engine) -> T:
        with lock:
            value = cache.get(engine)
            if value is None:
                value = cache[engine] = build(engine)
            return value

    return cached


@per_engine
def vocabulary_for(engine) -> Vocabulary:
    """The lake's vocabulary, read once per engine (engines are cached per lake state)."""
    return Vocabulary.from_engine(engine)
