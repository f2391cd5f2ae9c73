"""Iceberg table port (pyiceberg): a table described as data, filters as data, replace-by-filter writes.

The base owns what every catalog shares: the table's schema and partitioning from a ``TableSpec``
(column types as strings), ``Filter`` data translated to pyiceberg expressions, schema evolution,
scans, partition stats, orphan clean-up and the replace transaction (commit conflicts retried by
tenacity with jitter). Locally a SqlCatalog over a file warehouse; on AWS Glue or the S3 Tables
Iceberg REST endpoint with an S3 warehouse (``catalog_properties``).

A replacement writes each partition's rows of the whole run into one Parquet file (rolled over at
the table's target file size): a run of 20 flushes over 4 partitions leaves 4 data files, not 80.
Every file name carries the run's write id, so the files of a run that dies before its commit are
recognized and removed by the next run (``remove_orphan_files``).
"""

from __future__ import annotations

import functools
import itertools
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ValidationFailed, require
from ..logs import get_logger

if TYPE_CHECKING:  # pyiceberg is an optional extra, imported where used; pyarrow has no types (its names are Any)
    import pyarrow as pa
    from pyiceberg.catalog import Catalog
    from pyiceberg.expressions import BooleanExpression
    from pyiceberg.io import FileIO
    from pyiceberg.manifest import DataFile
    from pyiceberg.partitioning import PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.table import DataScan, Table
    from pyiceberg.table.metadata import TableMetadata
    from pyiceberg.types import PrimitiveType

    from ..config import Settings

    DataFileBuilder = Callable[[FileIO, TableMetadata, str], DataFile]

log = get_logger("ports.iceberg_table")

TARGET_FILE_BYTES = 256 * 1024 * 1024
# Unreferenced data files older than this are removed whoever wrote them: no run lasts that long.
ORPHAN_GRACE_SECONDS = 24 * 3600

Op = Literal["==", "!=", ">=", ">", "<", "<=", "in", "is_null", "not_null"]
OPS: frozenset[str] = frozenset({"==", "!=", ">=", ">", "<", "<=", "in", "is_null", "not_null"})


@dataclass(frozen=True)
class Filter:
    """One condition on a column; a sequence of filters means all of them (AND). Data, not an
    expression object, so a remote store (Glue, S3 Tables, Athena) can be handed the same thing."""

    field: str
    op: Op
    value: Any = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise ValidationFailed(f"filter operator {self.op!r} is not one of {sorted(OPS)}", field="op")
        if self.op == "in" and isinstance(self.value, (str, bytes)):
            raise ValidationFailed(f"filter {self.field} in ... needs a collection, not {self.value!r}", field="value")


Filters = Sequence[Filter]


def to_expression(filters: Filters | None) -> BooleanExpression:
    """The pyiceberg expression of ``filters`` (AlwaysTrue for none)."""
    from pyiceberg import expressions

    ex: Any = expressions  # their pydantic constructors take a column name at run time; the stubs say a term
    expr: BooleanExpression = ex.AlwaysTrue()
    for f in filters or ():
        if f.op == "is_null":
            term: Any = ex.IsNull(f.field)
        elif f.op == "not_null":
            term = ex.NotNull(f.field)
        elif f.op == "in":
            term = ex.In(f.field, set(f.value))
        else:
            term = {"==": ex.EqualTo, "!=": ex.NotEqualTo, ">=": ex.GreaterThanOrEqual, ">": ex.GreaterThan,
                    "<": ex.LessThan, "<=": ex.LessThanOrEqual}[f.op](f.field, f.value)
        expr = term if isinstance(expr, ex.AlwaysTrue) else ex.And(expr, term)
    return expr


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | int | float | timestamptz | decimal(P,S) | list<float>
    doc: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """An Iceberg table as data: identifier, columns (all nullable) and identity partition columns."""

    identifier: str
    columns: tuple[Column, ...]
    partition_by: tuple[str, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def namespace(self) -> str:
        return self.identifier.rsplit(".", 1)[0]


def _primitive(type_name: str) -> PrimitiveType:
    from pyiceberg.types import DecimalType, FloatType, IntegerType, StringType, TimestamptzType

    simple: dict[str, Callable[[], PrimitiveType]] = {"string": StringType, "int": IntegerType, "float": FloatType, "timestamptz": TimestamptzType}
    if type_name in simple:
        return simple[type_name]()
    if type_name.startswith("decimal(") and type_name.endswith(")"):
        precision, scale = (int(x) for x in type_name[8:-1].split(","))
        return DecimalType(precision, scale)
    raise ValueError(f"column type {type_name!r} is not supported by the Iceberg port")


def iceberg_schema(spec: TableSpec) -> Schema:
    """The pyiceberg Schema of ``spec``: field ids 1..n in column order, list element ids after."""
    from pyiceberg.schema import Schema
    from pyiceberg.types import ListType, NestedField

    fields: list[NestedField] = []
    next_id = len(spec.columns) + 1
    for i, col in enumerate(spec.columns, start=1):
        if col.type.startswith("list<") and col.type.endswith(">"):
            typ: Any = ListType(element_id=next_id, element_type=_primitive(col.type[5:-1]), element_required=False)
            next_id += 1
        else:
            typ = _primitive(col.type)
        fields.append(NestedField(field_id=i, name=col.name, field_type=typ, required=False, doc=col.doc))
    return Schema(*fields)


def partition_spec(spec: TableSpec, schema: Schema) -> PartitionSpec:
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import IdentityTransform

    return PartitionSpec(*[
        PartitionField(source_id=schema.find_field(n).field_id, field_id=1000 + i, transform=IdentityTransform(), name=n)
        for i, n in enumerate(spec.partition_by)
    ])


def catalog_properties(settings: Settings) -> dict[str, str]:
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


def load_catalog(settings: Settings, **extra: str) -> Catalog:
    require("pyiceberg", "iceberg")
    from pyiceberg.catalog import load_catalog as _load

    return _load("commerce", **{**catalog_properties(settings), **extra})


class IcebergTable:
    """One table of a catalog, described by a TableSpec."""

    def __init__(self, catalog: Catalog, spec: TableSpec) -> None:
        self.catalog = catalog
        self.spec = spec
        self.identifier = spec.identifier
        self._table: Table | None = None

    @classmethod
    def from_settings(cls, settings: Settings, spec: TableSpec, **extra: str) -> IcebergTable:
        return cls(load_catalog(settings, **extra), spec)

    def exists(self) -> bool:
        return bool(self.catalog.table_exists(self.identifier))

    def table(self, create: bool = True) -> Table:
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
                self.catalog.create_namespace(self.spec.namespace)
            except NamespaceAlreadyExistsError:
                pass
            schema = iceberg_schema(self.spec)
            try:
                table = self.catalog.create_table(
                    self.identifier, schema=schema, partition_spec=partition_spec(self.spec, schema),
                    properties={"write.target-file-size-bytes": str(TARGET_FILE_BYTES),
                                "write.parquet.compression-codec": "zstd", "format-version": "2",
                                **self.spec.properties},
                )
                log.info("created Iceberg table", table=self.identifier)
            except TableAlreadyExistsError:
                table = self.catalog.load_table(self.identifier)
        self._table = self.evolve(table, iceberg_schema(self.spec))
        return self._table

    @staticmethod
    def evolve(table: Table, wanted: Schema) -> Table:
        """Add the columns of ``wanted`` (a pyiceberg Schema) missing from the table, as nullable."""
        have = {f.name for f in table.schema().fields}
        missing = [f.name for f in wanted.fields if f.name not in have]
        if missing:
            with table.update_schema() as update:
                update.union_by_name(wanted)
            log.info("Iceberg table schema evolved", table=table.name(), added=missing)
        return table

    def arrow_schema(self) -> pa.Schema:
        return self.table().schema().as_arrow()

    def replace(self, filters: Filters, write_id: str | None = None) -> Replacement:
        return Replacement(self, filters, write_id=write_id)

    def reload(self) -> Table:
        """Fresh table metadata from the catalog (for commits)."""
        self._table = self.catalog.load_table(self.identifier)
        return self._table

    def _scan(self, filters: Filters | None = None, columns: tuple[str, ...] | None = None) -> DataScan | None:
        """The pyiceberg scan of matching rows (only the columns the table has), or None."""
        if not self.exists():
            return None
        table = self.table(create=False)
        cols = tuple(c for c in (columns or ("*",)) if c == "*" or table.schema().find_field(c, case_sensitive=False))
        return table.scan(row_filter=to_expression(filters), selected_fields=cols)

    def scan(self, filters: Filters | None = None, columns: tuple[str, ...] | None = None) -> pa.Table | None:
        """Arrow table of matching rows, or None when the table does not exist yet."""
        scan = self._scan(filters, columns)
        return None if scan is None else scan.to_arrow()

    def rows(self, filters: Filters | None = None, columns: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Matching rows as dicts ([] when the table does not exist yet)."""
        table = self.scan(filters, columns)
        return [] if table is None else table.to_pylist()

    def scan_batches(self, filters: Filters | None = None, columns: tuple[str, ...] | None = None) -> Iterator[pa.RecordBatch]:
        """Arrow record batches of matching rows, one data file's worth at a time (bounded memory)."""
        scan = self._scan(filters, columns)
        return iter(()) if scan is None else iter(scan.to_arrow_batch_reader())

    def partitions(self) -> list[dict[str, Any]]:
        """Rows and data files per partition (the partition columns by name)."""
        if not self.exists():
            return []
        table = self.table(create=False)
        if table.current_snapshot() is None:
            return []
        out: list[dict[str, Any]] = []
        for r in table.inspect.partitions().to_pylist():
            p = r["partition"]
            out.append({**{n: p.get(n) for n in self.spec.partition_by}, "rows": r["record_count"],
                        "files": r["file_count"]})
        # Nulls last within each column; a column's values share one type, so they compare.
        return sorted(out, key=lambda d: tuple((d[n] is None, 0 if d[n] is None else d[n])
                                                for n in self.spec.partition_by))

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
        orphans: list[tuple[Any, str]] = []  # (a pyarrow FileSystem, path)
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
        return len(orphans)


class _PartitionFile:
    """One open Parquet file of one partition for the whole run (rolled over past the target size)."""

    def __init__(self, table: Table, partition: tuple[Any, ...], write_uuid: uuid.UUID, counter: itertools.count[int],
                 file_schema: pa.Schema) -> None:
        import pyarrow.parquet as pq
        from pyiceberg.typedef import Record

        meta = table.metadata
        part_path = meta.spec().partition_to_path(Record(*partition), meta.schema()) if partition else ""
        name = f"00000-{next(counter)}-{write_uuid}.parquet"
        self.path = table.location_provider().new_data_location(f"{part_path}/{name}" if part_path else name)
        self.stream = table.io.new_output(self.path).create(overwrite=True)
        codec = meta.properties.get("write.parquet.compression-codec", "zstd")
        self.writer = pq.ParquetWriter(self.stream, file_schema, compression="none" if codec == "uncompressed" else codec)

    def write(self, batch: pa.Table) -> int:
        self.writer.write_table(batch)
        return int(self.stream.tell())

    def close(self) -> str:
        self.writer.close()
        self.stream.close()
        return str(self.path)


class Replacement:
    """Replace the rows matching ``filters``: rows are written as batches arrive, each partition's
    rows of the run into one data file; the commit at the end deletes the old rows and adds the new
    files in one snapshot-pair transaction.

    The transaction is built at commit time on freshly loaded metadata, so runs of other days that
    committed meanwhile do not make this one fail; a commit conflict is retried on the new metadata.
    """

    def __init__(self, sink: IcebergTable, filters: Filters, commit_retries: int = 5,
                 write_id: str | None = None) -> None:
        self.sink = sink
        self.filters = tuple(filters)
        self.commit_retries = commit_retries
        self.table = sink.table()
        # In every data file's name: a run that dies before its commit is recognized by it (its
        # progress record keeps it), so the next run removes exactly its files.
        self.write_uuid = uuid.UUID(write_id) if write_id else uuid.uuid4()
        self.counter = itertools.count(0)
        self.open: dict[tuple[Any, ...], _PartitionFile] = {}
        self.closed: list[str] = []  # paths of finished files
        self.pending: list[pa.Table] = []  # Arrow tables, only when the file writer is unavailable
        self.appended = 0
        self._file_schema: pa.Schema | None = None

    def append(self, batch: pa.Table) -> None:
        """Write the batch into its partitions' open files now; they become visible at commit."""
        if not batch.num_rows:
            return
        to_data_file = _data_file_builder()
        if to_data_file is None:  # a pyiceberg without the helper: keep the rows, overwrite at commit
            self.pending.append(batch)  # an Arrow table (pipeline.rows_to_arrow)
            self.appended += batch.num_rows
            return
        import pyarrow.compute as pc

        if self._file_schema is None:
            from pyiceberg.io.pyarrow import schema_to_pyarrow

            self._file_schema = schema_to_pyarrow(self.table.metadata.schema(), include_field_ids=True)
        batch = batch.cast(self._file_schema)
        keys = self.sink.spec.partition_by
        target = int(self.table.metadata.properties.get("write.target-file-size-bytes", TARGET_FILE_BYTES))
        groups = batch.group_by(list(keys)).aggregate([]).to_pylist() if keys else [{}]
        for group in groups:
            part = tuple(group[k] for k in keys)
            rows = batch
            for k in keys:
                value = group[k]
                rows = rows.filter(pc.is_null(rows[k]) if value is None else pc.equal(rows[k], value))
            out = self.open.get(part)
            if out is None:
                out = self.open[part] = _PartitionFile(self.table, part, self.write_uuid, self.counter,
                                                       self._file_schema)
            if out.write(rows) >= target:  # roll over: the next rows of this partition start a new file
                self.closed.append(self.open.pop(part).close())
        self.appended += batch.num_rows

    def _finish_files(self) -> list[DataFile]:
        """Close the open files; their DataFiles (statistics from the Parquet footers)."""
        self.closed.extend(f.close() for f in self.open.values())
        self.open.clear()
        to_data_file = _data_file_builder()
        if not self.closed or to_data_file is None:
            return []
        meta = self.table.metadata
        return [to_data_file(self.table.io, meta, path) for path in self.closed]

    def commit(self) -> None:
        from pyiceberg.exceptions import CommitFailedException
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

        data_files = self._finish_files()
        for attempt in Retrying(retry=retry_if_exception_type(CommitFailedException),
                                stop=stop_after_attempt(self.commit_retries + 1),
                                wait=wait_exponential_jitter(initial=0.2, max=10.0), reraise=True,
                                before_sleep=lambda state: log.warning(
                                    "Iceberg commit conflict; retrying on fresh metadata",
                                    table=self.sink.identifier, attempt=state.attempt_number,
                                    error=str(state.outcome.exception()) if state.outcome else "")):
            with attempt:
                self._commit_once(data_files)

    def _commit_once(self, data_files: list[DataFile]) -> None:
        table = self.sink.reload()
        tx = table.transaction()
        row_filter = to_expression(self.filters)
        with warnings.catch_warnings():  # "did not match any records" on a first run
            warnings.simplefilter("ignore", UserWarning)
            if self.pending:  # public API: delete + append of the rows held in memory
                import pyarrow as pa

                tx.overwrite(pa.concat_tables(self.pending), overwrite_filter=row_filter)
            else:
                tx.delete(row_filter)
        if data_files:
            with tx.update_snapshot().fast_append() as append:
                for data_file in data_files:
                    append.append_data_file(data_file)
        tx.commit_transaction()


@functools.cache
def _data_file_builder() -> DataFileBuilder | None:
    """pyiceberg's ``parquet_file_to_data_file`` (what ``add_files`` uses): the DataFile of a
    Parquet file written before the commit, which keeps an export's memory flat. On a pyiceberg
    without it (or with another shape) the export falls back to the public ``Transaction.overwrite``
    with the rows held in memory."""
    try:
        from pyiceberg.io.pyarrow import parquet_file_to_data_file
    except ImportError:
        log.warning("pyiceberg has no parquet_file_to_data_file; the export holds its rows until commit")
        return None
    return parquet_file_to_data_file
