"""Key-value table port: SQLAlchemy (SQLite / PostgreSQL) locally, DynamoDB on AWS.

A table has a hash key attribute, an optional sort key attribute, at most one secondary
index attribute (like a DynamoDB GSI) and a TTL attribute ``ttl`` (epoch seconds).
Expired items are never returned, whichever backend.

``pages`` reads a whole table a page at a time (SQL: keyset pagination on the key; DynamoDB:
``LastEvaluatedKey``), so no read holds more than one page; ``scan`` iterates those pages.
``query(..., descending=True, limit=N)`` reads only the last N items of a partition by sort key.
"""

from __future__ import annotations

import abc
import functools
import inspect
import itertools
import json
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ..errors import ServiceUnavailable, ValidationFailed, require

if TYPE_CHECKING:  # for the annotation only; imported where used at run time, as before
    import sqlalchemy as sa

    from .locks import Heartbeat
from ..logs import get_logger

log = get_logger("ports.kv")
KV_STORE = "key-value store"
_Method = TypeVar("_Method", bound=Callable[..., Any])


def _unavailable(exc: BaseException) -> ServiceUnavailable:
    # The store's URL is left out: it may hold a path or a password.
    return ServiceUnavailable(f"the {KV_STORE} is unavailable ({type(exc).__name__})",
                              hint="retry later; nothing was stored")


def _outage_mapped(method: _Method) -> _Method:
    """Turn the backend's "cannot reach the store" errors (``self._outages()``, imported lazily)
    into ServiceUnavailable naming the component, so callers see a 503, never a 500 or a driver's
    traceback. Generators are guarded while they are iterated (a scan fails when read, not when
    called)."""

    def guarded(items: Iterator[Any], outages: tuple[type[BaseException], ...]) -> Iterator[Any]:
        try:
            yield from items
        except outages as exc:
            raise _unavailable(exc) from exc

    @functools.wraps(method)
    def call(self: KeyValueTable, *args: Any, **kwargs: Any) -> Any:
        outages = self._outages()
        try:
            result = method(self, *args, **kwargs)
        except outages as exc:
            raise _unavailable(exc) from exc
        return guarded(result, outages) if inspect.isgenerator(result) else result

    return cast(_Method, call)


def _sql_outages() -> tuple[type[BaseException], ...]:
    import sqlalchemy.exc as sa_exc

    return (sa_exc.OperationalError, sa_exc.InterfaceError, OSError)


def _dynamo_outages() -> tuple[type[BaseException], ...]:
    import botocore.exceptions as bc

    return (bc.EndpointConnectionError, bc.ConnectionClosedError, bc.ConnectTimeoutError, bc.ReadTimeoutError, OSError)


@dataclass(frozen=True)
class TableSpec:
    name: str
    hash_key: str
    sort_key: str | None = None
    index_key: str | None = None  # secondary index attribute (e.g. user_id for user_id-index)

    @property
    def index_name(self) -> str | None:
        return f"{self.index_key}-index" if self.index_key else None


PAGE_SIZE = 500  # items per read of a whole-table scan


def _page_size(page_size: int) -> int:
    if int(page_size) < 1:
        raise ValidationFailed(f"page size must be at least 1, got {page_size}", field="page_size")
    return int(page_size)


def _now() -> int:
    return int(time.time())


def _with_ttl(item: dict[str, Any], ttl_seconds: int | None) -> dict[str, Any]:
    if ttl_seconds is not None:
        item = {**item, "ttl": _now() + int(ttl_seconds)}
    return item


def _alive(item: dict[str, Any], now: int | None = None) -> bool:
    ttl = item.get("ttl")
    return ttl is None or int(ttl) > (now or _now())


def _keys(spec: TableSpec, item: dict[str, Any]) -> tuple[str, str]:
    if item.get(spec.hash_key) in (None, ""):
        raise ValidationFailed(f"item for table {spec.name} lacks its key {spec.hash_key!r}", field=spec.hash_key)
    sort = "" if spec.sort_key is None else str(item.get(spec.sort_key, ""))
    return str(item[spec.hash_key]), sort


class KeyValueTable(abc.ABC):
    """Base of the key-value adapters. The base owns key validation, the TTL stamp on write, TTL
    filtering on every read (a backend may filter in its query too; this filter is the contract),
    page sizes, the index check and the outage mapping (``_outages``). A backend implements the
    primitives below on string keys (``sk`` is "" for no sort value) and plain JSON-like items."""

    spec: TableSpec

    @staticmethod
    def _outages() -> tuple[type[BaseException], ...]:
        """The driver's errors meaning "cannot reach the store" (imported when called)."""
        return ()

    # -- primitives -------------------------------------------------------------------------
    @abc.abstractmethod
    def _write(self, item: dict[str, Any]) -> None:
        """Store ``item`` (keys checked, ``ttl`` stamped), replacing any item with its key."""

    @abc.abstractmethod
    def _write_if_absent(self, item: dict[str, Any]) -> bool:
        """Store ``item`` unless a live item has its key (an expired one is replaced)."""

    @abc.abstractmethod
    def _write_if_match(self, item: dict[str, Any], attr: str, expected: Any) -> bool:
        """Replace the live item with ``item``'s key only if its ``attr`` equals ``expected``."""

    @abc.abstractmethod
    def _remove_if_match(self, pk: str, sk: str, attr: str, expected: Any) -> bool:
        """Delete the live item only if its ``attr`` equals ``expected``."""

    @abc.abstractmethod
    def _read(self, pk: str, sk: str) -> dict[str, Any] | None:
        """The item with this key, expired or not."""

    @abc.abstractmethod
    def _read_partition(self, pk: str, sort_prefix: str | None, descending: bool,
                        limit: int | None) -> Iterator[dict[str, Any]]:
        """A partition's items in sort-key order; ``limit`` bounds each read, not the total."""

    @abc.abstractmethod
    def _read_index(self, value: str) -> Iterator[dict[str, Any]]:
        """The items whose secondary index attribute equals ``value``."""

    @abc.abstractmethod
    def _remove(self, pk: str, sk: str) -> None:
        """Delete the item with this key, if any."""

    @abc.abstractmethod
    def _read_pages(self, size: int) -> Iterator[list[dict[str, Any]]]:
        """The whole table, at most ``size`` items per read."""

    # -- the port ---------------------------------------------------------------------------
    @_outage_mapped
    def put(self, item: dict[str, Any], ttl_seconds: int | None = None) -> None:
        _keys(self.spec, item)
        self._write(_with_ttl(item, ttl_seconds))

    @_outage_mapped
    def put_if_absent(self, item: dict[str, Any], ttl_seconds: int | None = None) -> bool:
        """Insert unless a live item with the same key exists (expired ones are replaced)."""
        _keys(self.spec, item)
        return self._write_if_absent(_with_ttl(item, ttl_seconds))

    @_outage_mapped
    def put_if_match(self, item: dict[str, Any], attr: str, expected: Any, ttl_seconds: int | None = None) -> bool:
        """Replace the live item with this key only if its ``attr`` equals ``expected``."""
        _keys(self.spec, item)
        return self._write_if_match(_with_ttl(item, ttl_seconds), attr, expected)

    @_outage_mapped
    def delete_if_match(self, hash_value: str, sort_value: str | None, attr: str, expected: Any) -> bool:
        """Delete the live item only if its ``attr`` equals ``expected``."""
        return self._remove_if_match(str(hash_value), str(sort_value or ""), attr, expected)

    @_outage_mapped
    def get(self, hash_value: str, sort_value: str | None = None) -> dict[str, Any] | None:
        item = self._read(str(hash_value), str(sort_value or ""))
        return item if item and _alive(item) else None

    @_outage_mapped
    def query(self, hash_value: str, sort_prefix: str | None = None, *, descending: bool = False,
              limit: int | None = None) -> list[dict[str, Any]]:
        size = None if limit is None else _page_size(limit)
        items = (i for i in self._read_partition(str(hash_value), sort_prefix, descending, size) if _alive(i))
        # Expired items are dropped after each bounded read, so read on until enough.
        return list(items) if size is None else list(itertools.islice(items, size))

    @_outage_mapped
    def query_index(self, value: str) -> list[dict[str, Any]]:
        if not self.spec.index_key:
            raise ValidationFailed(f"table {self.spec.name} has no secondary index")
        return [i for i in self._read_index(str(value)) if _alive(i)]

    @_outage_mapped
    def delete(self, hash_value: str, sort_value: str | None = None) -> None:
        self._remove(str(hash_value), str(sort_value or ""))

    @_outage_mapped
    def pages(self, page_size: int = PAGE_SIZE) -> Iterator[list[dict[str, Any]]]:
        size = _page_size(page_size)
        for raw in self._read_pages(size):
            page = [item for item in raw if _alive(item)]
            if page:
                yield page

    def scan(self) -> Iterator[dict[str, Any]]:
        for page in self.pages():
            yield from page


class SqlKeyValueTable(KeyValueTable):
    """One shared SQL table ``kv_items`` holds every logical table's items as JSON. Reads also
    filter expired rows in SQL, so a LIMIT counts live rows only."""

    _outages = staticmethod(_sql_outages)

    # Keyed by the engine object itself (weakly): an id() can be reused by a new engine once the
    # factory's engine cache drops an old one, and then the new database would never get its table.
    _metadata_by_engine: weakref.WeakKeyDictionary[sa.Engine, sa.Table] = weakref.WeakKeyDictionary()

    def __init__(self, engine: sa.Engine, spec: TableSpec) -> None:
        import sqlalchemy as sa

        self.engine = engine
        self.spec = spec
        key = engine
        if key not in self._metadata_by_engine:
            md = sa.MetaData()
            table = sa.Table(
                "kv_items",
                md,
                sa.Column("table_name", sa.String(128), primary_key=True),
                sa.Column("pk", sa.String(512), primary_key=True),
                sa.Column("sk", sa.String(512), primary_key=True, default=""),
                sa.Column("idx", sa.String(512), nullable=True, index=True),
                sa.Column("expires_at", sa.BigInteger, nullable=True),
                sa.Column("data", sa.Text, nullable=False),
            )
            try:
                md.create_all(engine)
            except Exception as exc:
                raise ServiceUnavailable(f"key-value store {engine.url!r} is not reachable: {exc}",
                                         hint="check COMMERCE_KV_URL / the database server") from exc
            self._metadata_by_engine[key] = table
        self.table = self._metadata_by_engine[key]

    def _row(self, item: dict[str, Any]) -> dict[str, Any]:
        pk, sk = _keys(self.spec, item)
        idx = item.get(self.spec.index_key) if self.spec.index_key else None
        return {
            "table_name": self.spec.name,
            "pk": pk,
            "sk": sk,
            "idx": None if idx is None else str(idx),
            "expires_at": item.get("ttl"),
            "data": json.dumps(item, default=str, ensure_ascii=False),
        }

    def _alive_clause(self) -> sa.ColumnElement[bool]:
        import sqlalchemy as sa

        t = self.table
        return sa.or_(t.c.expires_at.is_(None), t.c.expires_at > _now())

    def _upsert(self, row: dict[str, Any], only_if: sa.ColumnElement[bool] | None = None) -> sa.Insert:
        """INSERT ... ON CONFLICT DO UPDATE: one statement, so concurrent writers of one key never
        collide on the primary key (a delete + insert pair did, under PostgreSQL's READ COMMITTED).
        ``only_if`` limits the update to existing rows matching it (the insert always applies)."""
        dialect = self.engine.dialect.name
        t = self.table
        stmt: Any  # the two dialects' Insert classes share on_conflict_do_update but no base type
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt = pg_insert(t)
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(t)
        else:
            raise ServiceUnavailable(f"key-value store on {dialect!r} is not supported",
                                     hint="use SQLite or PostgreSQL for COMMERCE_KV_URL")
        stmt = stmt.values(**row)
        upsert: sa.Insert = stmt.on_conflict_do_update(
            index_elements=[t.c.table_name, t.c.pk, t.c.sk],
            set_={"idx": stmt.excluded.idx, "expires_at": stmt.excluded.expires_at, "data": stmt.excluded.data},
            where=only_if,
        )
        return upsert

    def _write(self, item: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            conn.execute(self._upsert(self._row(item)))

    def _write_if_absent(self, item: dict[str, Any]) -> bool:
        row = self._row(item)
        t = self.table
        # The update branch runs only over an expired row; RETURNING yields a row only when one was
        # written (rowcount is -1 for an upsert on some drivers).
        stmt = self._upsert(row, only_if=t.c.expires_at.is_not(None) & (t.c.expires_at <= _now()))
        with self.engine.begin() as conn:
            return conn.execute(stmt.returning(t.c.pk)).first() is not None

    def _key_clause(self, pk: str, sk: str) -> sa.ColumnElement[bool]:
        t = self.table
        return (t.c.table_name == self.spec.name) & (t.c.pk == pk) & (t.c.sk == sk)

    def _compare_and_swap(self, pk: str, sk: str, attr: str, expected: Any,
                          action: Callable[[sa.Connection, sa.ColumnElement[bool]], sa.CursorResult[Any]]) -> bool:
        """Run ``action(conn, where)`` on the live item whose ``attr`` equals ``expected``.

        The item is read, checked, then changed only if its stored text is still the one read (a
        compare-and-swap on the whole value, the same on every SQL dialect); a concurrent change
        makes it read again."""
        t = self.table
        key = self._key_clause(pk, sk)
        for _ in range(10):
            with self.engine.connect() as conn:
                data = conn.execute(t.select().with_only_columns(t.c.data).where(key, self._alive_clause())).scalar()
            if data is None or json.loads(data).get(attr) != expected:
                return False
            with self.engine.begin() as conn:
                if action(conn, key & (t.c.data == data)).rowcount == 1:
                    return True
        return False

    def _write_if_match(self, item: dict[str, Any], attr: str, expected: Any) -> bool:
        row = self._row(item)
        values = {k: row[k] for k in ("idx", "expires_at", "data")}
        return self._compare_and_swap(row["pk"], row["sk"], attr, expected,
                                      lambda conn, where: conn.execute(self.table.update().where(where).values(**values)))

    def _remove_if_match(self, pk: str, sk: str, attr: str, expected: Any) -> bool:
        return self._compare_and_swap(pk, sk, attr, expected,
                                      lambda conn, where: conn.execute(self.table.delete().where(where)))

    def _read(self, pk: str, sk: str) -> dict[str, Any] | None:
        t = self.table
        with self.engine.connect() as conn:
            data = conn.execute(
                t.select().with_only_columns(t.c.data).where(
                    t.c.table_name == self.spec.name, t.c.pk == pk, t.c.sk == sk, self._alive_clause(),
                )
            ).scalar()
        return None if data is None else json.loads(data)

    def _read_partition(self, pk: str, sort_prefix: str | None, descending: bool,
                        limit: int | None) -> Iterator[dict[str, Any]]:
        t = self.table
        where = [t.c.table_name == self.spec.name, t.c.pk == pk, self._alive_clause()]
        if sort_prefix:
            where.append(t.c.sk.startswith(sort_prefix, autoescape=True))
        stmt = t.select().with_only_columns(t.c.data).where(*where).order_by(t.c.sk.desc() if descending else t.c.sk)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            return iter([json.loads(r) for r in conn.execute(stmt).scalars()])

    def _read_index(self, value: str) -> Iterator[dict[str, Any]]:
        t = self.table
        with self.engine.connect() as conn:
            rows = conn.execute(
                t.select().with_only_columns(t.c.data).where(
                    t.c.table_name == self.spec.name, t.c.idx == value, self._alive_clause()
                ).order_by(t.c.pk, t.c.sk)
            ).scalars()
            return iter([json.loads(r) for r in rows])

    def _remove(self, pk: str, sk: str) -> None:
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(t.delete().where(t.c.table_name == self.spec.name, t.c.pk == pk, t.c.sk == sk))

    def _read_pages(self, size: int) -> Iterator[list[dict[str, Any]]]:
        """Keyset pagination on the primary key: each page starts after the last key of the one
        before, so a page costs the same wherever it is and rows written meanwhile are not repeated."""
        import sqlalchemy as sa

        t = self.table
        after: tuple[str, str] | None = None
        while True:
            where = [t.c.table_name == self.spec.name, self._alive_clause()]
            if after is not None:
                # A row-value comparison: both SQLite and PostgreSQL answer it from the primary key's index.
                where.append(sa.tuple_(t.c.pk, t.c.sk) > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
            with self.engine.connect() as conn:
                rows = conn.execute(t.select().with_only_columns(t.c.pk, t.c.sk, t.c.data).where(*where)
                                    .order_by(t.c.pk, t.c.sk).limit(size)).all()
            if rows:
                yield [json.loads(r.data) for r in rows]
            if len(rows) < size:
                return
            after = (rows[-1].pk, rows[-1].sk)


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value


class DynamoKeyValueTable(KeyValueTable):
    """DynamoDB table named ``prefix + spec.name`` with TTL attribute ``ttl``. DynamoDB deletes
    expired items late, so reads return them and the base drops them."""

    _outages = staticmethod(_dynamo_outages)

    def __init__(self, spec: TableSpec, resource: Any = None, prefix: str = "", region: str | None = None,
                 endpoint_url: str | None = None) -> None:
        if resource is None:
            boto3 = require("boto3", "aws")
            resource = boto3.resource("dynamodb", region_name=region, endpoint_url=endpoint_url)
        self.spec = spec
        self.table = resource.Table(prefix + spec.name)

    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        key = {self.spec.hash_key: pk}
        if self.spec.sort_key:
            key[self.spec.sort_key] = sk
        return key

    def _write(self, item: dict[str, Any]) -> None:
        self.table.put_item(Item=_to_dynamo(item))

    def _write_if_absent(self, item: dict[str, Any]) -> bool:
        from boto3.dynamodb.conditions import Attr

        cond = Attr(self.spec.hash_key).not_exists() | Attr("ttl").lte(_now())
        try:
            self.table.put_item(Item=_to_dynamo(item), ConditionExpression=cond)
            return True
        except self.table.meta.client.exceptions.ConditionalCheckFailedException:
            return False

    def _match(self, attr: str, expected: Any) -> Any:  # a boto3 condition (boto3 has no types)
        from boto3.dynamodb.conditions import Attr

        return (Attr("ttl").not_exists() | Attr("ttl").gt(_now())) & Attr(attr).eq(_to_dynamo(expected))

    def _write_if_match(self, item: dict[str, Any], attr: str, expected: Any) -> bool:
        try:
            self.table.put_item(Item=_to_dynamo(item), ConditionExpression=self._match(attr, expected))
            return True
        except self.table.meta.client.exceptions.ConditionalCheckFailedException:
            return False

    def _remove_if_match(self, pk: str, sk: str, attr: str, expected: Any) -> bool:
        try:
            self.table.delete_item(Key=self._key(pk, sk), ConditionExpression=self._match(attr, expected))
            return True
        except self.table.meta.client.exceptions.ConditionalCheckFailedException:
            return False

    def _read(self, pk: str, sk: str) -> dict[str, Any] | None:
        item = self.table.get_item(Key=self._key(pk, sk)).get("Item")
        return _from_dynamo(item) if item else None

    def _paged(self, method: Callable[..., dict[str, Any]], **kwargs: Any) -> Iterator[dict[str, Any]]:
        while True:
            resp = method(**kwargs)
            yield from map(_from_dynamo, resp.get("Items", []))
            if "LastEvaluatedKey" not in resp:
                return
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    def _read_partition(self, pk: str, sort_prefix: str | None, descending: bool,
                        limit: int | None) -> Iterator[dict[str, Any]]:
        from boto3.dynamodb.conditions import Key

        cond = Key(self.spec.hash_key).eq(pk)
        if sort_prefix and self.spec.sort_key:
            cond = cond & Key(self.spec.sort_key).begins_with(sort_prefix)
        kwargs: dict[str, Any] = {"KeyConditionExpression": cond, "ScanIndexForward": not descending}
        if limit is not None:
            kwargs["Limit"] = limit  # per request: the base reads on past expired items until enough
        return self._paged(self.table.query, **kwargs)

    def _read_index(self, value: str) -> Iterator[dict[str, Any]]:
        from boto3.dynamodb.conditions import Key

        assert self.spec.index_key  # the base checked it
        return self._paged(self.table.query, IndexName=self.spec.index_name,
                           KeyConditionExpression=Key(self.spec.index_key).eq(value))

    def _remove(self, pk: str, sk: str) -> None:
        self.table.delete_item(Key=self._key(pk, sk))

    def _read_pages(self, size: int) -> Iterator[list[dict[str, Any]]]:
        kwargs: dict[str, Any] = {"Limit": size}
        while True:
            resp = self.table.scan(**kwargs)
            yield [_from_dynamo(item) for item in resp.get("Items", [])]
            if "LastEvaluatedKey" not in resp:
                return
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]


class Lock:
    """A lease lock stored in a key-value table.

    While held, a heartbeat thread renews the lease every ``ttl_seconds / 3``, so the TTL only
    bounds how long a holder that vanished without trace (another machine) blocks the next run.
    A holder on this machine whose process is gone is taken over at once. Release and renewal are
    conditional on the owner: a run whose lease was taken over never frees its successor's lock.
    """

    def __init__(self, table: KeyValueTable, name: str, ttl_seconds: int = 600, owner: str | None = None,
                 heartbeat: bool = True) -> None:
        from .locks import holder_identity

        self.table = table
        self.name = name
        self.ttl_seconds = ttl_seconds
        self.identity = holder_identity()
        self.owner = owner or f"{self.identity['host']}:{self.identity['pid']}:{time.time_ns()}"
        self.heartbeat = heartbeat
        self.taken_over_from: dict[str, Any] | None = None  # the dead holder's item, after a takeover
        self._beat: Heartbeat | None = None
        self.acquired_at = _now()

    @property
    def _hash(self) -> str:
        return f"LOCK#{self.name}"

    @property
    def _sort(self) -> str | None:
        return "LOCK" if self.table.spec.sort_key else None

    def _item(self) -> dict[str, Any]:
        spec = self.table.spec
        item = {spec.hash_key: self._hash, "owner": self.owner, "acquired_at": self.acquired_at, **self.identity}
        if spec.sort_key:
            item[spec.sort_key] = "LOCK"
        return item

    def holder(self) -> dict[str, Any] | None:
        """The live lock item, or None when the lock is free."""
        return self.table.get(self._hash, self._sort)

    def acquire(self) -> bool:
        from .locks import Heartbeat, holder_gone

        self.acquired_at = _now()
        acquired = self.table.put_if_absent(self._item(), ttl_seconds=self.ttl_seconds)
        if not acquired:
            current = self.holder()
            if current is None:  # expired or released between the two calls
                acquired = self.table.put_if_absent(self._item(), ttl_seconds=self.ttl_seconds)
            elif current.get("owner") != self.owner and holder_gone(current):
                # Conditional on the dead owner: of two runs taking over, only one wins.
                acquired = self.table.put_if_match(self._item(), "owner", current.get("owner"),
                                                   ttl_seconds=self.ttl_seconds)
                if acquired:
                    self.taken_over_from = current
                    log.warning("lock taken over: its holder's process is gone", lock=self.name,
                                previous_owner=current.get("owner"), acquired_at=current.get("acquired_at"))
        if acquired and self.heartbeat:
            self._beat = Heartbeat(self._renew, self.ttl_seconds, f"lock {self.name}").start()
        return acquired

    def _renew(self) -> bool:
        return self.table.put_if_match(self._item(), "owner", self.owner, ttl_seconds=self.ttl_seconds)

    @property
    def lost(self) -> bool:
        """True when a renewal found the lease no longer ours."""
        return bool(self._beat and self._beat.lost)

    def release(self) -> None:
        if self._beat is not None:
            self._beat.stop()
            self._beat = None
        self.table.delete_if_match(self._hash, self._sort, "owner", self.owner)

    def __enter__(self) -> Lock:
        from ..errors import LockHeld

        if not self.acquire():
            current = self.holder() or {}
            raise LockHeld(f"another run holds the lock {self.name!r} (owner {current.get('owner', '?')}, "
                           f"since {current.get('acquired_at', '?')})",
                           hint="wait for it to finish; a holder that died is taken over by the next run "
                                f"(at once on the same machine, within {self.ttl_seconds} s elsewhere)")
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
