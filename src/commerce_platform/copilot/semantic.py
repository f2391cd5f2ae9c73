"""The semantic layer (shipped JSON) plus the vocabulary read from the lake.

``SemanticLayer.load()`` reads ``semantic_layer.json`` from the package. ``Vocabulary``
holds the distinct values of the low-cardinality columns and the product and customer
names, read from the lake through whatever engine runs the SQL, cached per engine.
"""

from __future__ import annotations

import json
import threading
import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from ..logs import get_logger

log = get_logger("copilot.semantic")

# Value synonyms the lake cannot tell us (column -> {phrase: value}).
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "country": {"finland": "FI", "finnish": "FI", "sweden": "SE", "swedish": "SE", "norway": "NO",
                "norwegian": "NO", "denmark": "DK", "danish": "DK", "estonia": "EE", "estonian": "EE"},
    "channel": {"web": "web", "online": "web", "webshop": "web", "web shop": "web", "e-commerce": "web",
                "ecommerce": "web", "internet": "web", "store": "store", "in-store": "store", "in store": "store",
                "shop": "store", "shops": "store", "stores": "store", "b2b": "b2b", "wholesale": "b2b"},
    "segment": {"business": "business", "businesses": "business", "company": "business", "companies": "business",
                "corporate": "business", "consumer": "consumer", "consumers": "consumer", "private": "consumer",
                "individual": "consumer", "individuals": "consumer"},
    "status": {"pending": "pending", "paid": "paid", "shipped": "shipped", "delivered": "delivered",
               "cancelled": "cancelled", "canceled": "cancelled", "cancellations": "cancelled",
               "returned": "returned", "returns": "returned"},
}
MAX_NAMES = 2_000_000


@dataclass
class SemanticLayer:
    tables: dict[str, Any]
    joins: list[dict[str, str]]
    metrics: dict[str, Any]

    @classmethod
    def load(cls) -> SemanticLayer:
        return _load_layer()

    def column_names(self, table: str) -> list[str]:
        return list(self.tables[table]["columns"])

    def categorical_columns(self) -> list[tuple[str, str]]:
        return [(t, c) for t, spec in self.tables.items() for c, col in spec["columns"].items()
                if col.get("categorical")]

    def describe(self, tables: list[str] | None = None, values: dict[str, list[str]] | None = None) -> str:
        """Compact text of the schema for an LLM prompt, pruned to ``tables``."""
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
        lines.append("GLOSSARY:")
        for name, m in self.metrics.items():
            lines.append(f"  {name}: {m['description']}")
        return "\n".join(lines)

    def relevant_tables(self, question: str) -> list[str]:
        """Tables whose name, synonyms or column synonyms appear in the question (plus join partners)."""
        q = question.lower()
        found: set[str] = set()
        for name, spec in self.tables.items():
            words = [name.replace("_", " "), *spec.get("synonyms", [])]
            for col in spec["columns"].values():
                words.extend(col.get("synonyms", []))
            if any(w in q for w in words):
                found.add(name)
        for m in self.metrics.values():
            if any(s in q for s in m["synonyms"]):
                for alias, table in (("o.", "orders"), ("oi.", "order_items"), ("p.", "products"),
                                     ("i.", "inventory")):
                    if alias in (m.get("sql", "") + m.get("filter", "") + m.get("line_sql", "")):
                        found.add(table)
        if {"order_items", "customers"} & found or ("orders" in found and "products" in found):
            found.add("orders")
        if "order_items" in found or ("orders" in found and "products" in found):
            found.update({"order_items", "products"})
        if "shipments" in found:
            found.add("orders")
        return sorted(found) or sorted(self.tables)


@lru_cache(maxsize=1)
def _load_layer() -> SemanticLayer:
    text = resources.files("commerce_platform.copilot").joinpath("semantic_layer.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return SemanticLayer(tables=data["tables"], joins=data["joins"], metrics=data["metrics"])


@dataclass
class Vocabulary:
    """Lower-case phrase -> (column, canonical value); names for entity linking."""

    values: dict[str, list[str]] = field(default_factory=dict)        # column -> distinct values
    phrases: dict[str, tuple[str, str]] = field(default_factory=dict)  # phrase -> (column, value)
    product_names: dict[str, str] = field(default_factory=dict)        # lower name -> name
    customer_names: dict[str, str] = field(default_factory=dict)
    max_phrase_words: int = 4

    @classmethod
    def from_engine(cls, engine, layer: SemanticLayer | None = None) -> Vocabulary:
        layer = layer or SemanticLayer.load()
        vocab = cls()
        tables = getattr(engine, "tables", None)
        for table, column in layer.categorical_columns():
            if tables is not None and table not in tables:
                continue
            res = engine.execute(f'SELECT DISTINCT "{column}" FROM {table} WHERE "{column}" IS NOT NULL '
                                 f'ORDER BY 1 LIMIT 200')
            vocab.values[column] = [str(r[0]) for r in res.rows]
        for table, target in (("products", vocab.product_names), ("customers", vocab.customer_names)):
            if tables is not None and table not in tables:
                continue
            res = engine.execute(f"SELECT DISTINCT name FROM {table} WHERE name IS NOT NULL LIMIT {MAX_NAMES}")
            for (name,) in res.rows:
                target[str(name).lower()] = str(name)
        vocab._index()
        return vocab

    def _index(self) -> None:
        for column, values in self.values.items():
            if column == "country":  # ISO codes ("fi", "no") are ordinary words: only the names below
                continue
            for v in values:
                self.phrases.setdefault(v.lower(), (column, v))
        for column, mapping in VALUE_SYNONYMS.items():
            known = set(self.values.get(column, []))
            for phrase, value in mapping.items():
                if not known or value in known:
                    self.phrases.setdefault(phrase, (column, value))
        lengths = [len(p.split()) for p in [*self.phrases, *self.product_names, *self.customer_names]]
        self.max_phrase_words = min(8, max(lengths, default=1))


# Weak keys: a vocabulary lives as long as its engine (the engine cache decides that).
_VOCAB: weakref.WeakKeyDictionary[Any, Vocabulary] = weakref.WeakKeyDictionary()
_VOCAB_LOCK = threading.Lock()


def vocabulary_for(engine) -> Vocabulary:
    """The lake's vocabulary, read once per engine (engines are cached per lake state)."""
    with _VOCAB_LOCK:
        vocabulary = _VOCAB.get(engine)
        if vocabulary is None:
            vocabulary = _VOCAB[engine] = Vocabulary.from_engine(engine)
        return vocabulary
