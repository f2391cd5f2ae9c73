"""The export table ``pricing_intelligence.smartgo_sales`` (ARCHITECTURE 7.3) as data, and its filters.

The table itself is reached through the Iceberg port (``ports.iceberg_table``): this module says
which columns it has, how it is partitioned and which rows a run replaces, as ``Filter`` data. A run
stages its appends in one transaction that first deletes the rows it replaces, so readers see the old
day or the new day, never both, and re-runs never duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..ports.iceberg_table import Column, Filter, IcebergTable, TableSpec
from ..ports.image_embeddings import EMBEDDING_DIM
from .models import TABLE_IDENTIFIER, day_bounds

EXPORT_TABLE = TableSpec(
    identifier=TABLE_IDENTIFIER,
    columns=(
        Column("sale_id", "string"), Column("tenant_id", "string"), Column("product_id", "string"),
        Column("title", "string"), Column("category", "string"), Column("brand", "string"),
        Column("sold_price", "decimal(12,2)"), Column("currency", "string"), Column("sold_at", "timestamptz"),
        Column("image_url", "string"), Column("year", "int"), Column("month", "int"),
        Column("image_sha256", "string"), Column("embedding", "list<float>", doc=f"embedding ({EMBEDDING_DIM} floats)"),
        Column("embedding_model", "string"), Column("embedding_error", "string"), Column("exported_at", "timestamptz"),
    ),
    partition_by=("tenant_id", "year", "month"),
)


def export_table(settings, **extra: str) -> IcebergTable:
    """The export table in the catalog the settings name (``extra``: catalog properties, for tests)."""
    return IcebergTable.from_settings(settings, EXPORT_TABLE, **extra)


def day_filter(day: date, tenant: str | None = None, sale_ids: Iterable[str] | None = None) -> tuple[Filter, ...]:
    """The rows of one UTC day (and tenant, and sales): partition columns first, so files are pruned."""
    start, end = day_bounds(day)
    filters: list[Filter] = []
    if sale_ids is not None:
        filters.append(Filter("sale_id", "in", frozenset(sale_ids)))
    if tenant:
        filters.append(Filter("tenant_id", "==", tenant))
    filters += [Filter("year", "==", start.year), Filter("month", "==", start.month),
                Filter("sold_at", ">=", start.isoformat()), Filter("sold_at", "<", end.isoformat())]
    return tuple(filters)
