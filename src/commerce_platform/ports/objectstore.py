"""Object store port: the home folder locally (``<home>/objects/<bucket>/<key>``), S3 on AWS."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from ..errors import NotFound, ValidationFailed, require


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    last_modified: datetime
    etag: str = ""


class ObjectStore(Protocol):
    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str | None = None) -> None: ...
    def get_bytes(self, bucket: str, key: str) -> bytes: ...
    def exists(self, bucket: str, key: str) -> bool: ...
    def delete(self, bucket: str, key: str) -> None: ...
    def list_pages(self, bucket: str, prefix: str = "", page_size: int = 1000) -> Iterator[list[ObjectInfo]]: ...


def list_all(store: ObjectStore, bucket: str, prefix: str = "") -> Iterator[ObjectInfo]:
    for page in store.list_pages(bucket, prefix):
        yield from page


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValidationFailed(f"invalid object key {key!r}", field="key", hint="use a relative key like 'dir/name.json'")
    return key


class LocalObjectStore:
    """Files under ``root/<bucket>/<key>``; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, bucket: str, key: str) -> Path:
        return self.root / bucket / _check_key(key)

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str | None = None) -> None:
        path = self._path(bucket, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get_bytes(self, bucket: str, key: str) -> bytes:
        path = self._path(bucket, key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"object {bucket}/{key} does not exist", hint="check the key or run 'commerce demo'") from None

    def exists(self, bucket: str, key: str) -> bool:
        return self._path(bucket, key).is_file()

    def delete(self, bucket: str, key: str) -> None:
        self._path(bucket, key).unlink(missing_ok=True)

    def list_pages(self, bucket: str, prefix: str = "", page_size: int = 1000) -> Iterator[list[ObjectInfo]]:
        base = self.root / bucket
        if not base.is_dir():
            return
        # Walk only below the deepest directory named by the prefix (S3 semantics: prefix is a string).
        start = base / prefix.rsplit("/", 1)[0] if "/" in prefix else base
        if not start.is_dir():
            return
        keys = sorted(
            p.relative_to(base).as_posix()
            for p in start.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )
        page: list[ObjectInfo] = []
        for key in keys:
            if not key.startswith(prefix):
                continue
            stat = (base / key).stat()
            page.append(
                ObjectInfo(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC), f"{stat.st_mtime_ns:x}-{stat.st_size:x}")
            )
            if len(page) >= page_size:
                yield page
                page = []
        if page:
            yield page


class S3ObjectStore:
    """S3 with paginated listing. ``bucket_names`` maps logical names to real bucket names."""

    def __init__(self, client=None, bucket_names: dict[str, str] | None = None, region: str | None = None,
                 endpoint_url: str | None = None) -> None:
        if client is None:
            boto3 = require("boto3", "aws")
            client = boto3.client("s3", region_name=region, endpoint_url=endpoint_url)
        self.client = client
        self.bucket_names = bucket_names or {}

    def _b(self, bucket: str) -> str:
        return self.bucket_names.get(bucket, bucket)

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        self.client.put_object(Bucket=self._b(bucket), Key=_check_key(key), Body=data, **extra)

    def get_bytes(self, bucket: str, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self._b(bucket), Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise NotFound(f"object s3://{self._b(bucket)}/{key} does not exist") from None

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

    def list_pages(self, bucket: str, prefix: str = "", page_size: int = 1000) -> Iterator[list[ObjectInfo]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._b(bucket), Prefix=prefix, PaginationConfig={"PageSize": page_size}):
            items = [
                ObjectInfo(o["Key"], o["Size"], o["LastModified"], o.get("ETag", "").strip('"'))
                for o in page.get("Contents", [])
            ]
            if items:
                yield items


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
