"""Lake/query-engine port: query engines behind one small interface: ``execute(sql) -> QueryResult``.

- DuckDBEngine (local): in-memory database, one view per lake table over its Parquet files;
  then the only readable paths are those files (``allowed_paths``), external access and Python
  replacement scans are off, a memory limit is set and the configuration is locked, so SQL that
  slipped past the guard still cannot read or write other files, attach databases or change
  settings. A statement timeout interrupts long queries. A table whose files cannot be read
  gets no view: questions on it fail with LakeTableUnreadable, the other tables still answer.
- AthenaEngine (AWS): transpiles DuckDB SQL to Trino with sqlglot (every lake table qualified
  with the lake database), runs it in a workgroup that has a bytes-scanned cutoff, polls with
  exponential backoff and pages the results.
"""

from __future__ import annotations

import abc
import atexit
import datetime as dt
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import (
    ConfigurationError,
    NotFound,
    Refused,
    ServiceUnavailable,
    UpstreamError,
    ValidationFailed,
    require,
    without_paths,
)
from ..logs import get_logger

if TYPE_CHECKING:
    from ..config import Settings

log = get_logger("ports.query_engine")

# The retail lake's tables (ARCHITECTURE 7.1): the only tables an engine exposes and the guard allows.
LAKE_TABLES = frozenset({"customers", "products", "inventory", "orders", "order_items", "shipments"})


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]
    seconds: float = 0.0
    engine: str = "duckdb"
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class RawAnswer:
    """What a backend's ``_run`` hands the base: the driver's values, not yet JSON-ready."""

    columns: list[str]
    types: list[str]  # the engine's type name per column ("" when it gives none)
    rows: Iterable[Sequence[Any]]  # may be lazy (pages): the base stops reading at ``max_rows``
    stats: dict[str, Any] = field(default_factory=dict)


class QueryEngine(abc.ABC):
    """Base of the query engines. The base owns the order of a query (checks, then the timed run),
    turning the driver's values into JSON-ready ones (``_value``), the row cap (``max_rows``) and
    the QueryResult. A backend implements ``_run`` (mapping its driver's errors to QueryFailed /
    Refused / UpstreamError) and may check a query first (``_before``)."""

    name: str
    max_rows: int | None = None  # rows kept from an answer (None: all)

    def _before(self, sql: str) -> None:
        """Checks that run before the timed query (configuration, unreadable tables)."""
        return None  # none by default

    @abc.abstractmethod
    def _run(self, sql: str) -> RawAnswer:
        """Run the SQL and answer with the driver's columns, types and rows."""

    @abc.abstractmethod
    def _value(self, value: Any, type_name: str) -> Any:
        """One driver value as a JSON-ready one."""

    def execute(self, sql: str) -> QueryResult:
        self._before(sql)
        started = time.perf_counter()
        answer = self._run(sql)
        types = answer.types
        rows: Iterator[Sequence[Any]] = iter(answer.rows)
        if self.max_rows is not None:
            rows = itertools.islice(rows, self.max_rows)
        values = [[self._value(v, types[i] if i < len(types) else "") for i, v in enumerate(row)] for row in rows]
        return QueryResult(answer.columns, values, round(time.perf_counter() - started, 4), self.name, answer.stats)


class QueryFailed(ValidationFailed):
    """The engine rejected or could not run the SQL (bad column, type error, timeout)."""


class LakeTableUnreadable(ServiceUnavailable):
    """A lake table's files cannot be read (corrupt, truncated, not Parquet)."""


class LakeTables(frozenset[str]):
    """The readable lake tables. ``unreadable`` maps each table whose files cannot be read to a
    factory of the error naming it, so the guard can raise that instead of "unknown table"."""

    unreadable: dict[str, Any]

    def __new__(cls, readable: Iterable[str] = (), unreadable: dict[str, Any] | None = None) -> LakeTables:
        tables = super().__new__(cls, readable)
        tables.unreadable = dict(unreadable or {})
        return tables


def json_value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value


def lake_files(lake: Path) -> dict[str, list[Path]]:
    """Parquet files of every lake table: ``<table>.parquet`` or ``<table>/**/*.parquet``."""
    lake = Path(lake)
    if not lake.is_dir():
        raise NotFound(f"retail lake folder {lake} does not exist",
                       hint="run `commerce demo` or pass --lake DIR with <table>.parquet files")
    found: dict[str, list[Path]] = {}
    for table in sorted(LAKE_TABLES):
        single = lake / f"{table}.parquet"
        if single.is_file():
            found[table] = [single.resolve()]
        elif (lake / table).is_dir():
            files = sorted(p.resolve() for p in (lake / table).rglob("*.parquet") if p.is_file())
            if files:
                found[table] = files
    if not found:
        raise NotFound(f"no lake tables found in {lake}",
                       hint="expected files like orders.parquet or orders/*.parquet; run `commerce demo`")
    return found


class DuckDBEngine(QueryEngine):
    name = "duckdb"

    def __init__(self, lake: Path, *, timeout_seconds: float = 20.0, memory_limit: str = "1GB",
                 threads: int | None = None) -> None:
        duckdb = require("duckdb", "lake")
        self.lake = Path(lake)
        self.files = lake_files(self.lake)
        self.timeout_seconds = timeout_seconds
        self._lock = threading.Lock()
        con = duckdb.connect(":memory:")
        paths = [str(p) for files in self.files.values() for p in files]
        con.execute("SET allowed_paths = $paths", {"paths": paths})
        # One view per table, each on its own: a corrupt file costs its table, not the whole lake.
        self.unreadable: dict[str, str] = {}  # table -> why its files cannot be read
        for table, files in self.files.items():
            listing = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
            try:
                con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM read_parquet([{listing}])')  # noqa: S608 - DDL over quoted lake paths, no user text
            except duckdb.Error as exc:
                self.unreadable[table] = self._reason(exc)
                log.warning("lake table unreadable", table=table, reason=self.unreadable[table])
        con.execute("SET enable_external_access = false")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        # Without views for unreadable tables, DuckDB would look their names up among Python variables.
        con.execute("SET python_enable_replacements = false")
        con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET lock_configuration = true")
        self.con = con

    @property
    def tables(self) -> LakeTables:
        readable = [t for t in self.files if t not in self.unreadable]
        return LakeTables(readable, {t: (lambda t=t: self.unreadable_error(t)) for t in self.unreadable})

    def unreadable_error(self, table: str, reason: str | None = None) -> LakeTableUnreadable:
        files = self.files[table]
        shown = self._relative(files[0]) if len(files) == 1 else self._relative(files[0].parent) + "/*.parquet"
        return LakeTableUnreadable(
            f"the lake table {table!r} cannot be read ({reason or self.unreadable.get(table, 'file is not valid Parquet')})",
            hint=f"rebuild the lake with `commerce demo --only retail` or replace {shown} with a valid Parquet file")

    def _relative(self, path: Path) -> str:
        """A lake file's name relative to the lake folder: messages do not show server paths."""
        try:
            return str(Path(path).relative_to(self.lake.resolve()))
        except ValueError:
            return Path(path).name

    def _reason(self, exc: Exception) -> str:
        first = str(exc).splitlines()[0]
        if "magic bytes" in first or "not a parquet file" in first.lower():
            return "file is not valid Parquet"
        return self._scrub(first.split(": ", 1)[-1])[:200]

    def _scrub(self, text: str) -> str:
        """An engine message with each lake file named relative to the lake, and the lake folder left out."""
        known = [(str(p), self._relative(p)) for table_files in self.files.values() for p in table_files]
        return without_paths(text, [*known, (str(self.lake.resolve()) + "/", "")])

    def _table_of_error(self, message: str) -> str | None:
        """The lake table whose file a DuckDB error names (a file that breaks only when scanned)."""
        for table, table_files in self.files.items():
            if any(str(p) in message for p in table_files):
                return table
        return None

    def columns(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        with self._lock:
            for table in self.files:
                if table not in self.unreadable:
                    out[table] = [(r[0], r[1]) for r in self.con.execute(f'DESCRIBE "{table}"').fetchall()]
        return out

    def close(self) -> None:
        self.con.close()

    def _before(self, sql: str) -> None:
        if self.unreadable:
            for table in _tables_in(sql):
                if table in self.unreadable:
                    raise self.unreadable_error(table)

    def _value(self, value: Any, type_name: str) -> Any:
        return json_value(value)

    def _run(self, sql: str) -> RawAnswer:
        import duckdb

        with self._lock:
            timer = threading.Timer(self.timeout_seconds, self.con.interrupt)
            timer.start()
            try:
                cur = self.con.execute(sql)
                columns = [d[0] for d in cur.description or []]
                rows = cur.fetchall()  # all within the timeout and the lock
            except duckdb.InterruptException as exc:
                raise QueryFailed(f"query stopped after the {self.timeout_seconds:g} s statement timeout",
                                  hint="ask a narrower question (a period, a category)") from exc
            except duckdb.PermissionException as exc:
                raise Refused(f"query refused by the engine: {self._scrub(str(exc))}") from exc
            except duckdb.Error as exc:
                first = str(exc).splitlines()[0]
                failed = self._table_of_error(first)
                if failed is not None:  # the footer was readable, a data page is not
                    raise self.unreadable_error(failed, self._reason(exc)) from exc
                raise QueryFailed(f"query failed: {self._scrub(first)}",
                                  hint="check the column and table names against the semantic layer") from exc
            finally:
                timer.cancel()
        return RawAnswer(columns, [], rows)


def _tables_in(sql: str) -> set[str]:
    """Lower-case names of the tables a DuckDB statement reads (CTE names included: harmless here)."""
    import sqlglot
    from sqlglot import exp

    try:
        return {t.name.lower() for t in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Table)}
    except (sqlglot.errors.SqlglotError, RecursionError):
        return set()  # DuckDB reports the error


class AthenaEngine(QueryEngine):
    """Athena through boto3; ``client`` is injectable (tests pass a moto-backed client)."""

    name = "athena"
    _TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")

    def __init__(self, *, workgroup: str, database: str, output_location: str | None = None, client: Any = None,
                 region: str | None = None, max_wait_seconds: float = 60.0, first_poll_seconds: float = 0.2,
                 max_poll_seconds: float = 2.0, page_size: int = 1000, max_rows: int = 1000,
                 require_cutoff: bool = True, sleep: Callable[[float], None] = time.sleep) -> None:
        if client is None:
            boto3 = require("boto3", "aws")
            client = boto3.client("athena", region_name=region)
        self.client = client
        self.workgroup = workgroup
        self.database = database
        self.output_location = output_location
        self.max_wait_seconds = max_wait_seconds
        self.first_poll_seconds = first_poll_seconds
        self.max_poll_seconds = max_poll_seconds
        self.page_size = page_size
        self.max_rows = max_rows
        self.require_cutoff = require_cutoff
        self.sleep = sleep
        self._checked = False

    @staticmethod
    def to_trino(sql: str, database: str | None = None) -> str:
        """Trino SQL; with ``database``, every lake table is written "<database>"."<table>" so the
        query cannot resolve a name in another schema or catalog (CTE references stay bare)."""
        import sqlglot
        from sqlglot import exp
        from sqlglot.optimizer.scope import traverse_scope

        tree = sqlglot.parse_one(sql, read="duckdb")
        if database:
            for scope in traverse_scope(tree):
                ctes = {name.lower() for name in scope.cte_sources}
                for table in scope.tables:
                    if table.args.get("db") or table.args.get("catalog"):
                        raise Refused(f"table {table.sql(dialect='duckdb')} is already qualified; "
                                      f"the lake tables live in {database!r}")
                    if table.name.lower() not in ctes:
                        table.set("this", exp.to_identifier(table.name.lower(), quoted=True))
                        table.set("db", exp.to_identifier(database, quoted=True))
        return tree.sql(dialect="trino")

    def check_workgroup(self) -> int | None:
        """The workgroup must cap the bytes a query may scan; returns the cutoff."""
        wg = self.client.get_work_group(WorkGroup=self.workgroup)["WorkGroup"]
        cutoff = wg.get("Configuration", {}).get("BytesScannedCutoffPerQuery")
        if self.require_cutoff and not cutoff:
            raise ConfigurationError(f"Athena workgroup {self.workgroup!r} has no bytes-scanned cutoff",
                                     hint="set BytesScannedCutoffPerQuery on the workgroup (see infra/sam)")
        self._checked = True
        return None if cutoff is None else int(cutoff)

    def _before(self, sql: str) -> None:
        if not self._checked:
            self.check_workgroup()

    def _value(self, value: Any, type_name: str) -> Any:
        return _athena_value(value, type_name or "varchar")

    def _run(self, sql: str) -> RawAnswer:
        query = self.to_trino(sql, self.database)
        kwargs: dict[str, Any] = {"QueryString": query, "WorkGroup": self.workgroup,
                                  "QueryExecutionContext": {"Database": self.database}}
        if self.output_location:
            kwargs["ResultConfiguration"] = {"OutputLocation": self.output_location}
        try:
            qid = self.client.start_query_execution(**kwargs)["QueryExecutionId"]
        except Exception as exc:
            raise UpstreamError(f"Athena did not accept the query: {exc}") from exc
        delay, waited = self.first_poll_seconds, 0.0
        while True:
            status = self.client.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            state = status["Status"]["State"]
            if state in self._TERMINAL:
                break
            if waited >= self.max_wait_seconds:
                self.client.stop_query_execution(QueryExecutionId=qid)
                raise QueryFailed(f"Athena query {qid} did not finish within {self.max_wait_seconds:g} s")
            self.sleep(delay)
            waited += delay
            delay = min(delay * 2, self.max_poll_seconds)
        if state != "SUCCEEDED":
            reason = status["Status"].get("StateChangeReason", state)
            raise QueryFailed(f"Athena query {qid} {state.lower()}: {reason}")
        first = self._results_page(qid, None)
        meta = first["ResultSet"].get("ResultSetMetadata", {}).get("ColumnInfo", [])
        columns = [c["Name"] for c in meta]
        types = [c.get("Type", "varchar") for c in meta]
        stats = status.get("Statistics", {})
        return RawAnswer(columns, types, self._rows(qid, first, columns),
                         {"query_execution_id": qid, "data_scanned_bytes": stats.get("DataScannedInBytes"),
                          "trino_sql": query})

    def _results_page(self, qid: str, token: str | None) -> dict[str, Any]:
        args: dict[str, Any] = {"QueryExecutionId": qid, "MaxResults": self.page_size}
        if token:
            args["NextToken"] = token
        page: dict[str, Any] = self.client.get_query_results(**args)
        return page

    def _rows(self, qid: str, page: dict[str, Any], columns: list[str]) -> Iterator[list[str | None]]:
        """The answer's rows, a page read only when the base asks past the one before."""
        data = page["ResultSet"].get("Rows", [])
        if data and columns and [d.get("VarCharValue") for d in data[0]["Data"]] == columns:
            data = data[1:]  # Athena repeats the header as the first row of the first page
        while True:
            for row in data:
                yield [d.get("VarCharValue") for d in row["Data"]]
            token = page.get("NextToken")
            if not token:
                return
            page = self._results_page(qid, token)
            data = page["ResultSet"].get("Rows", [])


def _athena_value(value: str | None, type_name: str) -> Any:
    if value is None:
        return None
    t = type_name.lower()
    try:
        if t in ("integer", "bigint", "smallint", "tinyint"):
            return int(value)
        if t in ("double", "float", "real", "decimal") or t.startswith("decimal"):
            return float(value)
        if t == "boolean":
            return value.lower() == "true"
    except ValueError:
        return value
    return value


def engine_for(settings: Settings, lake: Path | None = None) -> QueryEngine:
    """DuckDB on the local lake, or Athena on the aws profile."""
    if settings.profile == "aws" and lake is None:
        key = ("athena", settings.copilot.athena_workgroup, settings.copilot.athena_database, settings.copilot.athena_output_location,
               settings.aws.region)
        with _ENGINES_LOCK:
            engine = _ENGINES.get(key)
            if engine is None:
                engine = AthenaEngine(workgroup=settings.copilot.athena_workgroup, database=settings.copilot.athena_database,
                                      output_location=settings.copilot.athena_output_location, region=settings.aws.region)
            _remember(key, engine)
            return engine
    return cached_duckdb(Path(lake or settings.paths.retail_lake), timeout_seconds=settings.copilot.query_timeout_seconds,
                         memory_limit=settings.copilot.memory_limit)


# Engines by lake (or Athena workgroup), most recently used last. Bounded: a process that has
# queried many lakes (a test run, a console switching homes) does not keep every DuckDB alive.
_ENGINES: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
MAX_CACHED_ENGINES = 8


def _remember(key: tuple[Any, ...], engine: Any) -> None:
    """Call with the lock held."""
    _ENGINES[key] = engine
    _ENGINES.move_to_end(key)
    while len(_ENGINES) > MAX_CACHED_ENGINES:
        _ENGINES.popitem(last=False)  # dropped, not closed: a query may still run on it; GC closes it


@atexit.register
def close_cached_engines() -> None:
    """Close every cached DuckDB connection (at exit, so DuckDB is not torn down with live ones)."""
    with _ENGINES_LOCK:
        engines = list(_ENGINES.values())
        _ENGINES.clear()
    for engine in engines:
        if hasattr(engine, "close"):  # DuckDB; Athena holds no connection
            engine.close()


def cached_duckdb(lake: Path, timeout_seconds: float = 20.0, memory_limit: str = "1GB") -> DuckDBEngine:
    """One engine per lake folder (and limits), rebuilt when its files change."""
    lake = Path(lake).resolve()
    files = lake_files(lake)
    stamp = tuple((str(p), p.stat().st_mtime_ns) for fs in files.values() for p in fs)
    key = (str(lake), stamp, float(timeout_seconds), memory_limit)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            for old in [k for k in _ENGINES if k[0] == str(lake) and k[1] != stamp]:  # lake rebuilt
                _ENGINES.pop(old).close()
            engine = DuckDBEngine(lake, timeout_seconds=timeout_seconds, memory_limit=memory_limit)
        _remember(key, engine)
        return engine
