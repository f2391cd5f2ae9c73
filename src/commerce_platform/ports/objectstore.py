"""Object store port: the home folder locally (``<home>/objects/<bucket>/<key>``), S3 on AWS."""

from __future__ import annotations

import abc
import hashlib
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar, cast

from ..errors import NotFound, ValidationFailed, require
from ..files import atomic_write


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    last_modified: datetime
    etag: str = ""


class ObjectStore(abc.ABC):
    """Base of the object stores. The base owns the key check on write, the NotFound of a missing
    object (named by ``_where``), dropping empty listing pages and the default ``io_concurrency``;
    a backend implements ``_write``, ``_read``, ``_list``, ``exists`` and ``delete``."""

    io_concurrency: int = 1  # calls a caller may have in flight (see ``io_concurrency()``)
    missing_hint: str | None = None  # the hint of a missing object's NotFound

    @abc.abstractmethod
    def _write(self, bucket: str, key: str, data: bytes, content_type: str | None) -> None:
        """Store the object whole (a reader sees the old one or the new one)."""

    @abc.abstractmethod
    def _read(self, bucket: str, key: str) -> bytes | None:
        """The object's bytes, None when there is no such object."""

    @abc.abstractmethod
    def _where(self, bucket: str, key: str) -> str:
        """Names the object in messages."""

    @abc.abstractmethod
    def _list(self, bucket: str, prefix: str, page_size: int) -> Iterator[list[ObjectInfo]]:
        """The objects whose key starts with ``prefix``, in key order, a page at a time."""

    @abc.abstractmethod
    def exists(self, bucket: str, key: str) -> bool: ...

    @abc.abstractmethod
    def delete(self, bucket: str, key: str) -> None:
        """Delete the object; a missing one is not an error."""

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str | None = None) -> None:
        self._write(bucket, _check_key(key), data, content_type)

    def get_bytes(self, bucket: str, key: str) -> bytes:
        data = self._read(bucket, key)
        if data is None:
            raise NotFound(f"object {self._where(bucket, key)} does not exist", hint=self.missing_hint)
        return data

    def list_pages(self, bucket: str, prefix: str = "", page_size: int = 1000) -> Iterator[list[ObjectInfo]]:
        for page in self._list(bucket, prefix, page_size):
            if page:
                yield page


T = TypeVar("T")
R = TypeVar("R")


def io_concurrency(store: object) -> int:
    """How many calls a caller may have in flight on ``store`` (absent = 1: a local file is read in
    microseconds, so threads would only add overhead; S3 answers in tens of milliseconds)."""
    return max(1, int(getattr(store, "io_concurrency", 1)))


def bounded_map(fn: Callable[[T], R], items: Iterable[T], workers: int,
                      window: int | None = None) -> Generator[tuple[T, R | Exception], None, None]:
    """``(item, fn(item) or the exception it raised)`` in the order of ``items``, ``workers`` calls at
    a time within a window of ``4 * workers`` items, so memory stays flat over 100,000 items."""

    def call(item: T) -> R | Exception:
        try:
            return fn(item)
        except Exception as exc:  # noqa: BLE001 - handed to the caller, which decides what it means
            return exc

    if workers <= 1:
        for item in items:
            yield item, call(item)
        return
    pending = iter(items)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bounded-map") as pool:
        queue = deque((item, pool.submit(call, item)) for item in islice(pending, window or 4 * workers))
        try:
            while queue:
                item, future = queue.popleft()
                for following in islice(pending, 1):
                    queue.append((following, pool.submit(call, following)))
                yield item, future.result()
        finally:  # a caller that stops early: drop what has not started
            for _, future in queue:
                future.cancel()


def put_many(store: ObjectStore, bucket: str, items: Iterable[tuple[str, bytes]],
             content_type: str | None = None) -> None:
    """Write many objects, ``io_concurrency(store)`` at a time; the first failure is raised after
    the others were tried (each write is whole or absent, so a retry rewrites what is missing)."""
    failure: Exception | None = None
    for _, result in bounded_map(lambda kv: store.put_bytes(bucket, kv[0], kv[1], content_type), items,
                                 io_concurrency(store)):
        if isinstance(result, Exception) and failure is None:
            failure = result
    if failure is not None:
        raise failure


def list_all(store: ObjectStore, bucket: str, prefix: str = "") -> Iterator[ObjectInfo]:
    for page in store.list_pages(bucket, prefix):
        yield from page


_FORBIDDEN_CHARS = ("\\", "\x00")


def _check_key(key: str) -> str:
    """A relative key that names a file inside its bucket: no empty, '.' or '..' parts, no absolute
    path, no backslash (a separator on Windows) and no NUL."""
    parts = key.split("/") if isinstance(key, str) else [""]
    if (not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts)
            or any(c in key for c in _FORBIDDEN_CHARS)):
        raise ValidationFailed(f"invalid object key {key!r}: it must stay inside its bucket", field="key",
                               hint="use a relative key like 'dir/name.json' (no '..', leading '/', "
                                    "backslash or NUL)")
    return key


def _check_bucket(bucket: str) -> str:
    """A bucket is one folder under the store's root: a single plain name."""
    if (not isinstance(bucket, str) or not bucket or bucket in (".", "..") or "/" in bucket
            or any(c in bucket for c in _FORBIDDEN_CHARS) or os.path.isabs(bucket)):
        raise ValidationFailed(f"invalid bucket name {bucket!r}: it must be one folder name", field="bucket",
                               hint="use a plain bucket name like 'offer-learning-data' (no '/', '..', "
                                    "backslash or NUL)")
    return bucket


class _LazyLocalInfo:
    """ObjectInfo of a local file that stats it only when size or time is asked for:
    listing tens of thousands of keys should not cost a stat call each."""

    __slots__ = ("key", "_path", "_stat")

    def __init__(self, key: str, path: str) -> None:
        self.key, self._path = key, path
        self._stat: os.stat_result | None = None

    def _st(self) -> os.stat_result:
        if self._stat is None:
            self._stat = os.stat(self._path)
        return self._stat

    @property
    def size(self) -> int:
        return self._st().st_size

    @property
    def last_modified(self) -> datetime:
        return datetime.fromtimestamp(self._st().st_mtime, UTC)

    @property
    def etag(self) -> str:
        st = self._st()
        return f"{st.st_mtime_ns:x}-{st.st_size:x}"


class LocalObjectStore(ObjectStore):
    """Files under ``root/<bucket>/<key>``; writes are atomic (temp file + rename).

    Uses plain ``os`` string paths: the nightly jobs touch tens of thousands of small objects
    and pathlib's per-call overhead dominated their run time."""

    missing_hint = "check the key or run 'commerce demo'"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._root = str(self.root)

    def _path(self, bucket: str, key: str) -> str:
        return os.path.join(self._root, _check_bucket(bucket), _check_key(key))

    def _where(self, bucket: str, key: str) -> str:
        return f"{bucket}/{key}"

    def _write(self, bucket: str, key: str, data: bytes, content_type: str | None) -> None:
        atomic_write(self._path(bucket, key), data, prefix=".tmp-")  # listing skips ".tmp-" names

    def _read(self, bucket: str, key: str) -> bytes | None:
        try:
            with open(self._path(bucket, key), "rb") as fh:
                return fh.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def exists(self, bucket: str, key: str) -> bool:
        return os.path.isfile(self._path(bucket, key))

    def delete(self, bucket: str, key: str) -> None:
        Path(self._path(bucket, key)).unlink(missing_ok=True)

    def remove_temp_files(self, bucket: str, folder: str) -> int:
        """Delete the ``.tmp-*`` files a crashed writer left in ``folder`` (not below it); returns how
        many. Call it only while holding the lock of everything that writes there."""
        directory = os.path.join(self._root, _check_bucket(bucket), _check_key(folder.rstrip("/")))
        removed = 0
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            return 0
        for entry in entries:
            if entry.name.startswith(".tmp-") and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
        return removed

    def _list(self, bucket: str, prefix: str, page_size: int) -> Iterator[list[ObjectInfo]]:
        base = os.path.join(self._root, _check_bucket(bucket))
        if prefix and (prefix.startswith("/") or ".." in prefix.split("/") or any(c in prefix for c in _FORBIDDEN_CHARS)):
            raise ValidationFailed(f"invalid object prefix {prefix!r}: it must stay inside the bucket", field="prefix",
                                   hint="use a relative prefix like 'dir/' (no '..', leading '/', backslash or NUL)")
        # Walk only below the deepest directory named by the prefix (S3 semantics: prefix is a string).
        start_rel = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        start = os.path.join(base, start_rel) if start_rel else base
        if not os.path.isdir(start):
            return
        found: list[str] = []
        stack = [(start, start_rel)]
        while stack:
            directory, rel = stack.pop()
            with os.scandir(directory) as entries:
                for entry in entries:
                    key = f"{rel}/{entry.name}" if rel else entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if key.startswith(prefix) or prefix.startswith(key + "/"):
                            stack.append((entry.path, key))
                    elif key.startswith(prefix) and not entry.name.startswith(".tmp-"):
                        found.append(key)
        found.sort()
        for i in range(0, len(found), page_size):
            # _LazyLocalInfo has ObjectInfo's attributes, computed on demand
            yield cast(list[ObjectInfo], [_LazyLocalInfo(key, f"{base}/{key}") for key in found[i:i + page_size]])


class S3ObjectStore(ObjectStore):
    """S3 with paginated listing. ``bucket_names`` maps logical names to real bucket names.

    ``io_concurrency`` calls may run at once (boto3 clients are thread-safe; botocore's default
    pool holds 10 connections, so the client is made with a pool that size)."""

    def __init__(self, client: Any = None, bucket_names: dict[str, str] | None = None, region: str | None = None,
                 endpoint_url: str | None = None, concurrency: int = 16) -> None:
        self.io_concurrency = max(1, concurrency)
        if client is None:
            boto3 = require("boto3", "aws")
            from botocore.config import Config

            client = boto3.client("s3", region_name=region, endpoint_url=endpoint_url,
                                  config=Config(max_pool_connections=self.io_concurrency))
        self.client = client
        self.bucket_names = bucket_names or {}

    def _b(self, bucket: str) -> str:
        return self.bucket_names.get(bucket, bucket)

    def _where(self, bucket: str, key: str) -> str:
        return f"s3://{self._b(bucket)}/{key}"

    def _write(self, bucket: str, key: str, data: bytes, content_type: str | None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        self.client.put_object(Bucket=self._b(bucket), Key=key, Body=data, **extra)

    def _read(self, bucket: str, key: str) -> bytes | None:
        try:
            body: bytes = self.client.get_object(Bucket=self._b(bucket), Key=key)["Body"].read()
            return body
        except self.client.exceptions.NoSuchKey:
            return None

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self._b(bucket), Key=key)
            return True
        except Exception as exc:  # botocore ClientError 404
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def delete(self, bucket: str, key: str) -> None:
        self.client.delete_object(Bucket=self._b(bucket), Key=key)

    def _list(self, bucket: str, prefix: str, page_size: int) -> Iterator[list[ObjectInfo]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._b(bucket), Prefix=prefix, PaginationConfig={"PageSize": page_size}):
            yield [ObjectInfo(o["Key"], o["Size"], o["LastModified"], o.get("ETag", "").strip('"'))
                   for o in page.get("Contents", [])]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
