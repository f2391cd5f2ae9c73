"""Key-value table port: SQLAlchemy (SQLite / PostgreSQL) locally, DynamoDB on AWS.

A table has a hash key attribute, an optional sort key attribute, at most one secondary
index attribute (like a DynamoDB GSI) and a TTL attribute ``ttl`` (epoch seconds).
Expired items are never returned, whichever backend.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from ..errors import ServiceUnavailable, ValidationFailed, require


@dataclass(frozen=True)
class TableSpec:
    name: str
    hash_key: str
    sort_key: str | None = None
    index_key: str | None = None  # secondary index attribute (e.g. user_id for user_id-index)

    @property
    def index_name(self) -> str | None:
        return f"{self.index_key}-index" if self.index_key else None


class KeyValueTable(Protocol):
    spec: TableSpec

    def put(self, item: dict[str, Any], ttl_seconds: int | None = None) -> None: ...
    def put_if_absent(self, item: dict[str, Any], ttl_seconds: int | None = None) -> bool: ...
    def get(self, hash_value: str, sort_value: str | None = None) -> dict[str, Any] | None: ...
    def query(self, hash_value: str, sort_prefix: str | None = None) -> list[dict[str, Any]]: ...
    def query_index(self, value: str) -> list[dict[str, Any]]: ...
    def delete(self, hash_value: str, sort_value: str | None = None) -> None: ...
    def scan(self) -> Iterator[dict[str, Any]]: ...


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


class SqlKeyValueTable:
    """One shared SQL table ``kv_items`` holds every logical table's items as JSON."""

    _metadata_by_engine: dict[int, Any] = {}

    def __init__(self, engine, spec: TableSpec) -> None:
        import sqlalchemy as sa

        self.engine = engine
        self.spec = spec
        key = id(engine)
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

    def _alive_clause(self):
        import sqlalchemy as sa

        t = self.table
        return sa.or_(t.c.expires_at.is_(None), t.c.expires_at > _now())

    def put(self, item: dict[str, Any], ttl_seconds: int | None = None) -> None:
        row = self._row(_with_ttl(item, ttl_seconds))
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(t.delete().where(t.c.table_name == row["table_name"], t.c.pk == row["pk"], t.c.sk == row["sk"]))
            conn.execute(t.insert().values(**row))

    def put_if_absent(self, item: dict[str, Any], ttl_seconds: int | None = None) -> bool:
        """Insert unless a live item with the same key exists (expired ones are replaced)."""
        import sqlalchemy as sa

        row = self._row(_with_ttl(item, ttl_seconds))
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(
                t.delete().where(
                    t.c.table_name == row["table_name"], t.c.pk == row["pk"], t.c.sk == row["sk"],
                    t.c.expires_at.is_not(None), t.c.expires_at <= _now(),
                )
            )
            try:
                conn.execute(t.insert().values(**row))
            except sa.exc.IntegrityError:
                return False
        return True

    def get(self, hash_value: str, sort_value: str | None = None) -> dict[str, Any] | None:
        t = self.table
        with self.engine.connect() as conn:
            data = conn.execute(
                t.select().with_only_columns(t.c.data).where(
                    t.c.table_name == self.spec.name, t.c.pk == str(hash_value), t.c.sk == str(sort_value or ""),
                    self._alive_clause(),
                )
            ).scalar()
        return None if data is None else json.loads(data)

    def query(self, hash_value: str, sort_prefix: str | None = None) -> list[dict[str, Any]]:
        t = self.table
        where = [t.c.table_name == self.spec.name, t.c.pk == str(hash_value), self._alive_clause()]
        if sort_prefix:
            where.append(t.c.sk.startswith(sort_prefix, autoescape=True))
        with self.engine.connect() as conn:
            rows = conn.execute(t.select().with_only_columns(t.c.data).where(*where).order_by(t.c.sk)).scalars()
            return [json.loads(r) for r in rows]

    def query_index(self, value: str) -> list[dict[str, Any]]:
        if not self.spec.index_key:
            raise ValidationFailed(f"table {self.spec.name} has no secondary index")
        t = self.table
        with self.engine.connect() as conn:
            rows = conn.execute(
                t.select().with_only_columns(t.c.data).where(
                    t.c.table_name == self.spec.name, t.c.idx == str(value), self._alive_clause()
                ).order_by(t.c.pk, t.c.sk)
            ).scalars()
            return [json.loads(r) for r in rows]

    def delete(self, hash_value: str, sort_value: str | None = None) -> None:
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(t.delete().where(t.c.table_name == self.spec.name, t.c.pk == str(hash_value),
                                          t.c.sk == str(sort_value or "")))

    def scan(self) -> Iterator[dict[str, Any]]:
        t = self.table
        with self.engine.connect() as conn:
            rows = conn.execute(
                t.select().with_only_columns(t.c.data).where(t.c.table_name == self.spec.name, self._alive_clause())
                .order_by(t.c.pk, t.c.sk)
            ).scalars().all()
        for r in rows:
            yield json.loads(r)

    def purge_expired(self) -> int:
        t = self.table
        with self.engine.begin() as conn:
            res = conn.execute(t.delete().where(t.c.table_name == self.spec.name, t.c.expires_at <= _now()))
        return res.rowcount or 0


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


class DynamoKeyValueTable:
    """DynamoDB table named ``prefix + spec.name`` with TTL attribute ``ttl``."""

    def __init__(self, spec: TableSpec, resource=None, prefix: str = "", region: str | None = None,
                 endpoint_url: str | None = None) -> None:
        if resource is None:
            boto3 = require("boto3", "aws")
            resource = boto3.resource("dynamodb", region_name=region, endpoint_url=endpoint_url)
        self.spec = spec
        self.table = resource.Table(prefix + spec.name)

    def _key(self, hash_value: str, sort_value: str | None) -> dict[str, Any]:
        key = {self.spec.hash_key: str(hash_value)}
        if self.spec.sort_key:
            key[self.spec.sort_key] = str(sort_value or "")
        return key

    def put(self, item: dict[str, Any], ttl_seconds: int | None = None) -> None:
        _keys(self.spec, item)
        self.table.put_item(Item=_to_dynamo(_with_ttl(item, ttl_seconds)))

    def put_if_absent(self, item: dict[str, Any], ttl_seconds: int | None = None) -> bool:
        from boto3.dynamodb.conditions import Attr

        _keys(self.spec, item)
        cond = Attr(self.spec.hash_key).not_exists() | Attr("ttl").lte(_now())
        try:
            self.table.put_item(Item=_to_dynamo(_with_ttl(item, ttl_seconds)), ConditionExpression=cond)
            return True
        except self.table.meta.client.exceptions.ConditionalCheckFailedException:
            return False

    def get(self, hash_value: str, sort_value: str | None = None) -> dict[str, Any] | None:
        item = self.table.get_item(Key=self._key(hash_value, sort_value)).get("Item")
        item = _from_dynamo(item) if item else None
        return item if item and _alive(item) else None

    def _paged(self, method, **kwargs) -> Iterator[dict[str, Any]]:
        while True:
            resp = method(**kwargs)
            for item in resp.get("Items", []):
                item = _from_dynamo(item)
                if _alive(item):
                    yield item
            if "LastEvaluatedKey" not in resp:
                return
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]

    def query(self, hash_value: str, sort_prefix: str | None = None) -> list[dict[str, Any]]:
        from boto3.dynamodb.conditions import Key

        cond = Key(self.spec.hash_key).eq(str(hash_value))
        if sort_prefix and self.spec.sort_key:
            cond = cond & Key(self.spec.sort_key).begins_with(sort_prefix)
        return list(self._paged(self.table.query, KeyConditionExpression=cond))

    def query_index(self, value: str) -> list[dict[str, Any]]:
        from boto3.dynamodb.conditions import Key

        if not self.spec.index_key:
            raise ValidationFailed(f"table {self.spec.name} has no secondary index")
        return list(self._paged(self.table.query, IndexName=self.spec.index_name,
                                KeyConditionExpression=Key(self.spec.index_key).eq(str(value))))

    def delete(self, hash_value: str, sort_value: str | None = None) -> None:
        self.table.delete_item(Key=self._key(hash_value, sort_value))

    def scan(self) -> Iterator[dict[str, Any]]:
        return self._paged(self.table.scan)


class Lock:
    """A lease lock stored in a key-value table; released on exit, expires on its own if a run dies."""

    def __init__(self, table: KeyValueTable, name: str, ttl_seconds: int = 3600, owner: str | None = None) -> None:
        import os
        import socket

        self.table = table
        self.name = name
        self.ttl_seconds = ttl_seconds
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{time.time_ns()}"

    def _item(self) -> dict[str, Any]:
        spec = self.table.spec
        item = {spec.hash_key: f"LOCK#{self.name}", "owner": self.owner, "acquired_at": _now()}
        if spec.sort_key:
            item[spec.sort_key] = "LOCK"
        return item

    def acquire(self) -> bool:
        return self.table.put_if_absent(self._item(), ttl_seconds=self.ttl_seconds)

    def release(self) -> None:
        current = self.table.get(f"LOCK#{self.name}", "LOCK" if self.table.spec.sort_key else None)
        if current and current.get("owner") == self.owner:
            self.table.delete(f"LOCK#{self.name}", "LOCK" if self.table.spec.sort_key else None)

    def __enter__(self) -> Lock:
        from ..errors import LockHeld

        if not self.acquire():
            raise LockHeld(f"another run holds the lock {self.name!r}",
                           hint="wait for it to finish (the lock expires on its own if that run died)")
        return self

    def __exit__(self, *exc) -> None:
        self.release()
