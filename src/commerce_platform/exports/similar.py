"""Similar-product pricing: the k nearest exported sales by cosine similarity of their image embeddings
(Arrow + numpy over the table's data files), suggested price = median of the neighbours' sold_price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from ..errors import NotFound, ValidationFailed
from ..ports.iceberg_table import Filter, IcebergTable

COLUMNS = ("sale_id", "tenant_id", "product_id", "title", "category", "brand", "sold_price", "currency",
           "sold_at", "embedding", "embedding_model")


def _matrix(column) -> np.ndarray:
    """(n, d) float32 view of a list<float> column without Python lists."""
    import pyarrow as pa

    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    values = arr.flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
    n = len(arr)
    return values.reshape(n, -1) if n else np.zeros((0, 0), dtype=np.float32)


def _ranked(ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Positions by score, highest first, ties by sale id."""
    return np.lexsort((ids, -scores))


def similar_sales(sink: IcebergTable, sale_id: str, k: int = 5, same_currency: bool = True,
                  batch_rows: int = 65_536) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.compute as pc
    if k < 1 or k > 100:
        raise ValidationFailed(f"-k {k} must be between 1 and 100", field="k")
    target = sink.rows((Filter("sale_id", "==", sale_id),), columns=COLUMNS)
    if not target:
        raise NotFound(f"sale {sale_id!r} is not in the export table",
                       hint="check the sale id or run 'commerce export run' for its day")
    query = target[0]
    if query["embedding"] is None:
        raise ValidationFailed(f"sale {sale_id} has no image embedding",
                               field="sale_id", hint="run 'commerce export run --retry-failed' for its day")
    filters = [Filter("embedding_error", "is_null"), Filter("embedding_model", "==", query["embedding_model"])]
    if same_currency:
        filters.append(Filter("currency", "==", query["currency"]))
    q = np.asarray(query["embedding"], dtype=np.float64)
    q_norm = float(np.linalg.norm(q)) or 1.0
    # Streaming top-k: each batch keeps its best k and the survivors are ranked once at the end,
    # so memory is one batch (a data file), not every embedding of the currency. Ties are ordered
    # by sale id, not by the order rows were written, so the suggestion is the same every run; the
    # top k of the union of per-batch top-k under that total order is the global top k.
    parts = []
    for batch in sink.scan_batches(filters, columns=COLUMNS):
        for start in range(0, batch.num_rows, batch_rows):
            chunk = batch.slice(start, batch_rows)
            mat = _matrix(chunk.column("embedding")).astype(np.float64)
            norms = np.linalg.norm(mat, axis=1) * q_norm
            # In float64 and rounded: a matrix product's last bits depend on the batch's shape, and
            # equal images must tie exactly whatever the batching, so that the sale-id order decides.
            scores = np.round((mat @ q) / np.where(norms == 0, 1.0, norms), 9)
            rows = np.flatnonzero(pc.not_equal(chunk.column("sale_id"), sale_id).to_numpy(zero_copy_only=False))
            ids = chunk.column("sale_id").to_numpy(zero_copy_only=False).astype(str)
            order = rows[_ranked(ids[rows], scores[rows])][:k]
            parts.append(pa.Table.from_batches([chunk.drop_columns(["embedding"]).take(order)]).append_column(
                "similarity", pa.array(scores[order], type=pa.float64())))
    best = pa.concat_tables(parts) if parts else None
    if best is not None:
        best = best.take(_ranked(best.column("sale_id").to_numpy(zero_copy_only=False).astype(str),
                                 best.column("similarity").to_numpy())[:k])
    meta = best.to_pylist() if best is not None else []
    neighbours = []
    for row in meta:
        neighbours.append({"sale_id": row["sale_id"], "tenant_id": row["tenant_id"], "title": row["title"],
                           "category": row["category"], "brand": row["brand"],
                           "sold_price": float(row["sold_price"]), "currency": row["currency"],
                           "sold_at": row["sold_at"].isoformat() if row["sold_at"] else None,
                           "similarity": round(float(row["similarity"]), 4)})
    prices = [Decimal(str(n["sold_price"])) for n in neighbours]
    suggested = float(np.median([float(p) for p in prices])) if prices else None
    return {"sale_id": sale_id, "title": query["title"], "category": query["category"], "brand": query["brand"],
            "sold_price": float(query["sold_price"]), "currency": query["currency"], "k": k,
            "suggested_price": None if suggested is None else round(suggested, 2), "neighbours": neighbours}
