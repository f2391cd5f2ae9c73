"""A place of stock that is no warehouse: "what should we restock in Turku" names a customer city, and stock is
held in warehouses (inventory.warehouse). Read as the customers' city, the answer would be the stock of products
Turku customers once bought, which is not what was asked; with no verb of buying or selling that ties the place to
the customers, the question is refused, naming the place (layer grammar ``stock_place``)."""
from __future__ import annotations

import re

from ..errors import NotUnderstood
from .query import QueryForm
from .semantic import SemanticLayer


def _of_stock(form: QueryForm, layer: SemanticLayer, tables: list[str]) -> bool:
    """Whether the figure or a condition asked is of stock (reads one of the layer's stock tables)."""
    sqls = [str(layer.predicates.get(p.removeprefix("not_"), {}).get("sql", "")) for p in form.predicates]
    sqls += [str(layer.measures.get(m.split(":")[-1], {}).get("sql", "")) for m in form.measures]
    return any(f"{t}." in sql for sql in sqls for t in tables)


def check_stock_place(form: QueryForm, layer: SemanticLayer) -> None:
    """Refuse a stock question whose only place is a customer's (no verb ties it to the customers)."""
    spec = layer.grammar.get("stock_place") or {}
    if not spec or any(n.startswith("activity:") for n in form.notes):
        return  # "low stock products bought by customers in Turku": the place is the buyers'
    if not _of_stock(form, layer, spec.get("tables", [])):
        return
    for flt in form.filters:
        if flt.field in spec.get("customer_places", []) and flt.op == "=":
            where = ", ".join(map(str, flt.values))
            raise NotUnderstood(
                f"{where} is a customer {flt.field}, not a warehouse: stock is held in warehouses, and I would "
                f"not know whose stock in {where} is meant",
                hint="name a warehouse, or say what the customers there bought (e.g. 'low stock products bought by "
                     "customers in that city')")


def quantity_held(question: str, form: QueryForm, layer: SemanticLayer) -> None:
    """"quantity of Makita products in Kuopio": a word of quantity (not a number of) of things placed in a warehouse
    is the quantity held there, the stock summed (was: the products counted). Layer ``stock_place.quantity``."""
    spec = (layer.grammar.get("stock_place") or {}).get("quantity") or {}
    words = "|".join(map(re.escape, spec.get("words", [])))
    if not words or form.kind != "aggregate" or form.measures != ["count"] or form.subject != spec.get("subject") \
            or form.dimensions or form.derived or form.predicates:
        return
    if not any(flt.field == spec.get("place") and flt.op == "=" for flt in form.filters):
        return
    if re.search(rf"(?<![\w-])(?:{words})(?![\w-])", question, re.IGNORECASE):
        form.measures = [spec["measure"]]
