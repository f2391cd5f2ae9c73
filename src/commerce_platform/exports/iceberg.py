"""The export table ``pricing_intelligence.smartgo_sales`` through pyiceberg (ARCHITECTURE 7.3).

Locally a SqlCatalog named "commerce" (``<home>/lake/iceberg/catalog.db``) over a file warehouse;
on AWS Glue or the S3 Tables Iceberg REST endpoint with an S3 warehouse. A run stages its appends in
one transaction that first deletes the rows it replaces, so readers see the old day or the new day,
never both, and re-runs never duplicate.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from ..errors import require
from ..logs import get_logger
from ..ports.image_embeddings import EMBEDDING_DIM
from .models import NAMESPACE, TABLE_IDENTIFIER, day_bounds

log = get_logger("exports.iceberg")

TARGET_FILE_BYTES = 256 * 1024 * 1024
# Unreferenced data files older than this are removed whoever wrote them: no run lasts that long.
ORPHAN_GRACE_SECONDS = 24 * 3600


def iceberg_schema():
    from pyiceberg.schema import Schema
    from pyiceberg.types import (
        DecimalType,
        FloatType,
        IntegerType,
        ListType,
        NestedField,
        StringType,
        TimestamptzType,
    )

    cols = [
        ("sale_id", StringType()), ("tenant_id", StringType()), ("product_id", StringType()),
        ("title", StringType()), ("category", StringType()), ("brand", StringType()),
        ("sold_price", DecimalType(12, 2)), ("currency", StringType()), ("sold_at", TimestamptzType()),
        ("image_url", StringType()), ("year", IntegerType()), ("month", IntegerType()),
        ("image_sha256", StringType()), ("embedding", None), ("embedding_model", StringType()),
        ("embedding_error", StringType()), ("exported_at", TimestamptzType()),
    ]
    fields = []
    next_id = len(cols) + 1
    for i, (name, typ) in enumerate(cols, start=1):
        if typ is None:
            typ = ListType(element_id=next_id, element_type=FloatType(), element_required=False)
            next_id += 1
        fields.append(NestedField(field_id=i, name=name, field_type=typ, required=False,
                                  doc=f"embedding ({EMBEDDING_DIM} floats)" if name == "embedding" else None))
    return Schema(*fields)


def partition_spec(schema):
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import IdentityTransform

    names = ("tenant_id", "year", "month")
    return PartitionSpec(*[
        PartitionField(source_id=schema.find_field(n).field_id, field_id=1000 + i, transform=IdentityTransform(), name=n)
        for i, n in enumerate(names)
    ])


def catalog_properties(settings) -> dict[str, str]:
    """Catalog properties from Settings (SQL + file warehouse locally)."""
    kind = settings.exports.iceberg_catalog
    warehouse = settings.exports.iceberg_warehouse
    props: dict[str, str] = {}
    if kind == "sql":
        settings.paths.iceberg.mkdir(parents=True, exist_ok=True)
        if not warehouse:
            settings.paths.iceberg_warehouse.mkdir(parents=True, exist_ok=True)
            warehouse = settings.paths.iceberg_warehouse.as_uri()
        props.update(type="sql", uri=settings.exports.iceberg_uri or f"sqlite:///{settings.paths.iceberg_catalog}",
                     warehouse=warehouse)
    elif kind == "glue":
        props.update(type="glue", **{"glue.region": settings.aws.region})
        if warehouse:
            props["warehouse"] = warehouse
    else:  # S3 Tables Iceberg REST endpoint (SigV4)
        props.update(type="rest", uri=settings.exports.iceberg_uri or f"https://s3tables.{settings.aws.region}.amazonaws.com/iceberg",
                     warehouse=warehouse or "", **{"rest.sigv4-enabled": "true", "rest.signing-name": "s3tables",
                                                   "rest.signing-region": settings.aws.region})
    if (warehouse or "").startswith("s3://") or kind != "sql":
        props["s3.region"] = settings.aws.region
        if settings.aws.s3_endpoint_url:
            props["s3.endpoint"] = settings.aws.s3_endpoint_url
            props["s3.path-style-access"] = "true"
    return props


def load_catalog(settings, **extra: str):
    require("pyiceberg", "iceberg")
    from pyiceberg.catalog import load_catalog as _load

    return _load("commerce", **{**catalog_properties(settings), **extra})


def day_filter(day: date, tenant: str | None = None, sale_ids: Iterable[str] | None = None):
    from pyiceberg.expressions import And, EqualTo, GreaterThanOrEqual, In, LessThan

    start, end = day_bounds(day)
    expr = And(
        And(EqualTo("year", start.year), EqualTo("month", start.month)),
        And(GreaterThanOrEqual("sold_at", start.isoformat()), LessThan("sold_at", end.isoformat())),
    )
    if tenant:
        expr = And(EqualTo("tenant_id", tenant), expr)
    if sale_ids is not None:
        expr = And(In("sale_id", set(sale_ids)), expr)
    return expr


class IcebergSink:
    def __init__(self, catalog, identifier: str = TABLE_IDENTIFIER) -> None:
        self.catalog = catalog
        self.identifier = identifier
        self._table = None

    @classmethod
    def from_settings(cls, settings, **extra: str) -> IcebergSink:
        return cls(load_catalog(settings, **extra))

    def exists(self) -> bool:
        return self.catalog.table_exists(self.identifier)

    def table(self, create: bool = True):
        """The table; created (with namespace) when missing; new nullable columns added (schema evolution)."""
        if self._table is not None:
            return self._table
        from pyiceberg.exceptions import (
            NamespaceAlreadyExistsError,
            NoSuchTableError,
            TableAlreadyExistsError,
        )

        try:
            table = self.catalog.load_table(self.identifier)
        except NoSuchTableError:
            if not create:
                raise
            try:
                self.catalog.create_namespace(NAMESPACE)
            except NamespaceAlreadyExistsError:
                pass
            schema = iceberg_schema()
            try:
                table = self.catalog.create_table(
                    self.identifier, schema=schema, partition_spec=partition_spec(schema),
                    properties={"write.target-file-size-bytes": str(TARGET_FILE_BYTES),
                                "write.parquet.compression-codec": "zstd", "format-version": "2"},
                )
                log.info("created export table", table=self.identifier)
            except TableAlreadyExistsError:
                table = self.catalog.load_table(self.identifier)
        self._table = self.evolve(table)
        return self._table

    @staticmethod
    def evolve(table, wanted=None):
        """Add the columns of ``wanted`` (default: this release's schema) missing from the table, as nullable."""
        wanted = wanted or iceberg_schema()
        have = {f.name for f in table.schema().fields}
        missing = [f.name for f in wanted.fields if f.name not in have]
        if missing:
            with table.update_schema() as update:
                update.union_by_name(wanted)
            log.info("export table schema evolved", added=missing)
        return table

    def arrow_schema(self):
        return self.table().schema().as_arrow()

    def replace(self, row_filter, write_id: str | None = None) -> Replacement:
        return Replacement(self, row_filter, write_id=write_id)

    def reload(self):
        """Fresh table metadata from the catalog (for commits)."""
        self._table = self.catalog.load_table(self.identifier)
        return self._table

    def _scan(self, row_filter=None, columns: tuple[str, ...] | None = None):
        """The pyiceberg scan of matching rows (only the columns the table has), or None."""
        from pyiceberg.expressions import AlwaysTrue

        if not self.exists():
            return None
        table = self.table(create=False)
        cols = tuple(c for c in (columns or ("*",)) if c == "*" or table.schema().find_field(c, case_sensitive=False))
        return table.scan(row_filter=row_filter or AlwaysTrue(), selected_fields=cols)

    def scan(self, row_filter=None, columns: tuple[str, ...] | None = None):
        """Arrow table of matching rows (DuckDB 2.x cannot load its iceberg extension here)."""
        scan = self._scan(row_filter, columns)
        return None if scan is None else scan.to_arrow()

    def scan_batches(self, row_filter=None, columns: tuple[str, ...] | None = None) -> Iterator:
        """Arrow record batches of matching rows, one data file's worth at a time (bounded memory)."""
        scan = self._scan(row_filter, columns)
        return iter(()) if scan is None else iter(scan.to_arrow_batch_reader())

    def partitions(self) -> list[dict[str, Any]]:
        if not self.exists():
            return []
        table = self.table(create=False)
        if table.current_snapshot() is None:
            return []
        rows = table.inspect.partitions().to_pylist()
        out = []
        for r in rows:
            p = r["partition"]
            out.append({"tenant_id": p.get("tenant_id"), "year": p.get("year"), "month": p.get("month"),
                        "rows": r["record_count"], "files": r["file_count"]})
        return sorted(out, key=lambda d: (str(d["tenant_id"]), d["year"] or 0, d["month"] or 0))

    def data_files(self) -> list[str]:
        if not self.exists():
            return []
        table = self.table(create=False)
        if table.current_snapshot() is None:
            return []
        return [f.file.file_path for f in table.scan().plan_files()]

    def orphan_files(self, written_before: float, write_ids: Iterable[str] = (),
                     grace_seconds: float = ORPHAN_GRACE_SECONDS) -> list[tuple[Any, str]]:
        """Data files under the table's ``data/`` folder that no snapshot references (pyiceberg's
        metadata across every snapshot), modified before ``written_before`` (epoch seconds), and
        either written by one of ``write_ids`` (the ids of runs known to be dead) or older than
        ``grace_seconds``: a run of another day may be writing its own not-yet-committed files right
        now, and those must stay. Returns (filesystem, path) pairs; [] when the store cannot be listed."""
        if not self.exists():
            return []
        from pyarrow.fs import FileSelector, FileType
        from pyiceberg.io.pyarrow import PyArrowFileIO

        table = self.reload()
        if not isinstance(table.io, PyArrowFileIO):
            log.warning("orphan data files not checked: the table's file IO cannot list files",
                        io=type(table.io).__name__)
            return []
        scheme, netloc, data_dir = PyArrowFileIO.parse_location(f"{table.location().rstrip('/')}/data",
                                                                table.io.properties)
        fs = table.io.fs_by_scheme(scheme, netloc)
        referenced = {PyArrowFileIO.parse_location(p, table.io.properties)[2]
                      for p in table.inspect.all_files().column("file_path").to_pylist()}
        ids = tuple(str(w) for w in write_ids if w)
        orphans = []
        for info in fs.get_file_info(FileSelector(data_dir, recursive=True, allow_not_found=True)):
            if info.type != FileType.File or info.path in referenced or info.mtime is None:
                continue
            mtime = info.mtime.timestamp()
            if mtime >= written_before:
                continue
            name = info.path.rsplit("/", 1)[-1]
            if any(i in name for i in ids) or mtime < written_before - grace_seconds:
                orphans.append((fs, info.path))
        return orphans

    def remove_orphan_files(self, written_before: float, write_ids: Iterable[str] = ()) -> int:
        """Delete what ``orphan_files`` finds (data of runs that died before their commit)."""
        orphans = self.orphan_files(written_before, write_ids)
        for fs, path in orphans:
            fs.delete_file(path)
        if orphans:
            log.warning("removed data files of interrupted export runs", files=len(orphans), table=self.identifier)
        return len(orphans)


class Replacement:
    """Replace the rows matching a filter: data files are written as batches arrive; the commit at the end
    deletes the old rows and adds the new files in one snapshot-pair transaction.

    The transaction is built at commit time on freshly loaded metadata, so runs of other days that
    committed meanwhile do not make this one fail; a commit conflict is retried on the new metadata.
    """

    def __init__(self, sink: IcebergSink, row_filter, commit_retries: int = 5, write_id: str | None = None) -> None:
        import itertools
        import uuid

        self.sink = sink
        self.row_filter = row_filter
        self.commit_retries = commit_retries
        self.table = sink.table()
        # In every data file's name: a run that dies before its commit is recognized by it (its
        # progress record keeps it), so the next run removes exactly its files.
        self.write_uuid = uuid.UUID(write_id) if write_id else uuid.uuid4()
        self.counter = itertools.count(0)
        self.data_files: list = []
        self.pending: list = []  # Arrow tables, only when the streaming writer is unavailable
        self.appended = 0

    def append(self, batch) -> None:
        """Write the batch as data files now (few per partition); they become visible at commit."""
        if not batch.num_rows:
            return
        writer = _streaming_writer()
        if writer is None:  # a pyiceberg without the helpers: keep the rows, overwrite at commit
            self.pending.append(batch)  # an Arrow table (pipeline.rows_to_arrow)
            self.appended += batch.num_rows
            return
        check, to_data_files = writer
        meta = self.table.metadata
        check(meta.schema(), provided_schema=batch.schema, format_version=meta.format_version)
        self.data_files.extend(to_data_files(table_metadata=meta, df=batch, io=self.table.io,
                                             write_uuid=self.write_uuid, counter=self.counter))
        self.appended += batch.num_rows

    def commit(self) -> None:
        import time

        from pyiceberg.exceptions import CommitFailedException

        for attempt in range(self.commit_retries + 1):
            table = self.sink.reload()
            tx = table.transaction()
            with warnings.catch_warnings():  # "did not match any records" on a first run
                warnings.simplefilter("ignore", UserWarning)
                if self.pending:  # public API: delete + append of the rows held in memory
                    import pyarrow as pa

                    tx.overwrite(pa.concat_tables(self.pending), overwrite_filter=self.row_filter)
                else:
                    tx.delete(self.row_filter)
            if self.data_files:
                with tx.update_snapshot().fast_append() as append:
                    for data_file in self.data_files:
                        append.append_data_file(data_file)
            try:
                tx.commit_transaction()
                return
            except CommitFailedException as exc:
                if attempt >= self.commit_retries:
                    raise
                log.warning("export table commit conflict; retrying on fresh metadata", attempt=attempt + 1,
                            error=str(exc))
                time.sleep(0.2 * (2 ** attempt))


@functools.cache
def _streaming_writer():
    """pyiceberg's helpers that write Arrow batches as data files before the commit (what keeps an
    export's memory flat). They are private: on a pyiceberg without them (or with another shape),
    the export falls back to the public ``Transaction.overwrite`` with the rows held in memory."""
    try:
        from pyiceberg.io.pyarrow import _check_pyarrow_schema_compatible, _dataframe_to_data_files
    except ImportError:
        log.warning("pyiceberg has no streaming data-file writer; the export holds its rows until commit")
        return None
    return _check_pyarrow_schema_compatible, _dataframe_to_data_files
