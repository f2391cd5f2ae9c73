"""Similar-product pricing: the k nearest exported sales by cosine similarity of their image embeddings
(Arrow + numpy over the table's data files), suggested price = median of the neighbours' sold_price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from ..errors import NotFound, ValidationFailed
from .iceberg import IcebergSink

COLUMNS = ("sale_id", "tenant_id", "product_id", "title", "category", "brand", "sold_price", "currency",
           "sold_at", "embedding", "embedding_model")


def _matrix(column) -> np.ndarray:
    """(n, d) float32 view of a list<float> column without Python lists."""
    import pyarrow as pa

    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    values = arr.flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
    n = len(arr)
    return values.reshape(n, -1) if n else np.zeros((0, 0), dtype=np.float32)


def similar_sales(sink: IcebergSink, sale_id: str, k: int = 5, same_currency: bool = True) -> dict[str, Any]:
    from pyiceberg.expressions import And, EqualTo, IsNull

    if k < 1 or k > 100:
        raise ValidationFailed(f"-k {k} must be between 1 and 100", field="k")
    target = sink.scan(EqualTo("sale_id", sale_id), columns=COLUMNS)
    if target is None or target.num_rows == 0:
        raise NotFound(f"sale {sale_id!r} is not in the export table",
                       hint="check the sale id or run 'commerce export run' for its day")
    query = target.slice(0, 1).to_pylist()[0]
    if query["embedding"] is None:
        raise ValidationFailed(f"sale {sale_id} has no image embedding",
                               field="sale_id", hint="run 'commerce export run --retry-failed' for its day")
    expr = And(IsNull("embedding_error"), EqualTo("embedding_model", query["embedding_model"]))
    if same_currency:
        expr = And(expr, EqualTo("currency", query["currency"]))
    table = sink.scan(expr, columns=COLUMNS)
    ids = table.column("sale_id").to_pylist()
    mat = _matrix(table.column("embedding"))
    q = np.asarray(query["embedding"], dtype=np.float32)
    norms = np.linalg.norm(mat, axis=1) * (np.linalg.norm(q) or 1.0)
    scores = (mat @ q) / np.where(norms == 0, 1.0, norms)
    self_mask = np.array([i == sale_id for i in ids], dtype=bool)
    scores[self_mask] = -np.inf
    k_eff = min(k, int((~self_mask).sum()))
    # Equal scores (sales of the same image) are ordered by sale id, not by the order the
    # exporter happened to write rows in, so the suggestion is the same every run.
    order = np.lexsort((np.asarray(ids, dtype=object).astype(str), -scores))[:k_eff]
    meta = table.drop_columns(["embedding"]).take(order).to_pylist()
    neighbours = []
    for row, idx in zip(meta, order, strict=True):
        neighbours.append({"sale_id": row["sale_id"], "tenant_id": row["tenant_id"], "title": row["title"],
                           "category": row["category"], "brand": row["brand"],
                           "sold_price": float(row["sold_price"]), "currency": row["currency"],
                           "sold_at": row["sold_at"].isoformat() if row["sold_at"] else None,
                           "similarity": round(float(scores[idx]), 4)})
    prices = [Decimal(str(n["sold_price"])) for n in neighbours]
    suggested = float(np.median([float(p) for p in prices])) if prices else None
    return {"sale_id": sale_id, "title": query["title"], "category": query["category"], "brand": query["brand"],
            "sold_price": float(query["sold_price"]), "currency": query["currency"], "k": k,
            "suggested_price": None if suggested is None else round(suggested, 2), "neighbours": neighbours}
