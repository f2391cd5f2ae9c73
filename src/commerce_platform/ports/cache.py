"""Cache port: in-process (cachetools TTL + LRU) or Redis, shared between processes and Lambdas.

- ``make_cache`` / ``InProcessCache`` / ``RedisCache``: a plain JSON key-value cache with TTL (the
  tutor's exercises; the database stays the source of truth).
- ``ContextCache``: two levels (in-process in front of Redis) with per-key invalidation that
  reaches every process (the support desk's customer contexts).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ServiceUnavailable, require
from ..logs import get_logger

if TYPE_CHECKING:
    from ..config import Settings

log = get_logger("ports.cache")

JsonValue = dict[str, Any] | list[Any]  # what the JSON caches hold


def redis_client(url: str, connect_timeout: float, timeout: float = 2.0) -> Any:
    """A Redis client (the ``redis`` extra) that fails fast when Redis is down."""
    return require("redis", "redis").Redis.from_url(url, socket_connect_timeout=connect_timeout,
                                                    socket_timeout=timeout)


class JsonCache(Protocol):
    backend: str

    def get(self, key: str) -> JsonValue | None: ...
    def set(self, key: str, value: JsonValue) -> None: ...
    def ping(self) -> None: ...


class InProcessCache:
    backend = "in-process"

    def __init__(self, ttl_seconds: int = 300, max_size: int = 1024) -> None:
        from cachetools import TTLCache

        self._data: TTLCache[str, str] = TTLCache(maxsize=max_size, ttl=ttl_seconds)
        self._lock = threading.Lock()  # the HTTP app serves requests from a thread pool

    def get(self, key: str) -> JsonValue | None:
        with self._lock:
            value = self._data.get(key)
        return _json(value) if value is not None else None

    def set(self, key: str, value: JsonValue) -> None:
        raw = json.dumps(value)
        with self._lock:
            self._data[key] = raw

    def ping(self) -> None:
        return None


class RedisCache:
    backend = "redis"

    def __init__(self, url: str, ttl_seconds: int = 300, prefix: str = "", client: Any = None,
                 label: str = "cache") -> None:
        self.client = client if client is not None else redis_client(url, connect_timeout=1.0)
        self.ttl = ttl_seconds
        self.prefix = prefix
        self.url = url
        self.label = label  # what the cache holds, for the error message

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # redis.exceptions.* without importing redis at module top
            raise ServiceUnavailable(f"the {self.label} (Redis) is unavailable: {exc.__class__.__name__}: {exc}",
                                     hint="check COMMERCE_REDIS_URL and that Redis is running; nothing was saved"
                                     ) from exc

    def get(self, key: str) -> JsonValue | None:
        raw = self._call(self.client.get, self.prefix + key)
        return _json(raw) if raw else None

    def set(self, key: str, value: JsonValue) -> None:
        self._call(self.client.set, self.prefix + key, json.dumps(value), self.ttl)

    def ping(self) -> None:
        self._call(self.client.ping)


def _json(raw: str | bytes) -> JsonValue:
    value: JsonValue = json.loads(raw)
    return value


def make_cache(settings: Settings, prefix: str, label: str = "cache") -> JsonCache:
    """Redis when ``settings.redis_url`` is set (keys under ``prefix``), else in-process."""
    if settings.redis_url:
        return RedisCache(settings.redis_url, ttl_seconds=settings.cache.ttl_seconds, prefix=prefix, label=label)
    return InProcessCache(settings.cache.ttl_seconds, settings.cache.max_size)


class ContextCache:
    """Customer-context cache: in-process LRU with TTL and max size (cachetools), optionally backed by
    Redis as a shared cache between processes/Lambdas. ``invalidate(key)`` clears both.

    With Redis, every key has a generation counter (``<ns>gen:<key>``) that ``invalidate`` increments;
    a local entry is only served while its generation matches Redis', so an interaction stored by
    one process invalidates the context cached in every other process too."""

    def __init__(self, max_size: int = 1024, ttl_seconds: float = 300, redis_client: Any = None,
                 namespace: str = "support:ctx:", timer: Callable[[], float] = time.monotonic) -> None:
        from cachetools import TTLCache

        self.ttl_seconds = ttl_seconds
        self._local: TTLCache[str, tuple[str | None, Any]] = TTLCache(maxsize=max_size, ttl=ttl_seconds, timer=timer)
        self._lock = threading.Lock()
        self.redis = redis_client
        self.namespace = namespace
        self.stats = {"hits": 0, "misses": 0, "redis_hits": 0, "invalidations": 0}

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> ContextCache:
        client = redis_client(settings.redis_url, connect_timeout=2.0) if settings.redis_url else None
        return cls(settings.cache.max_size, settings.cache.ttl_seconds, client, **kwargs)

    def _generation(self, key: str) -> str | None:
        if self.redis is None:
            return None
        try:
            gen = self.redis.get(self.namespace + "gen:" + key)
        except Exception as exc:  # noqa: BLE001 - a shared cache outage must not fail requests
            log.warning("redis cache read failed", error=str(exc))
            return "unavailable"
        return gen.decode() if isinstance(gen, bytes) else (gen or "0")

    def get(self, key: str) -> Any | None:
        return self.lookup(key)[0]

    def lookup(self, key: str) -> tuple[Any | None, str | None]:
        """(value or None, generation seen): pass the generation to ``set`` so that a context built
        while another process invalidated the key is not cached under the new generation."""
        gen = self._generation(key)
        with self._lock:
            entry = self._local.get(key)
        if entry is not None and gen != "unavailable" and entry[0] == gen:
            self.stats["hits"] += 1
            return entry[1], gen
        if self.redis is not None and gen != "unavailable":
            try:
                raw = self.redis.get(self.namespace + key)
            except Exception as exc:  # noqa: BLE001
                log.warning("redis cache read failed", error=str(exc))
                raw = None
            if raw is not None:
                doc = json.loads(raw)
                if doc.get("gen") == gen:
                    with self._lock:
                        self._local[key] = (gen, doc["value"])
                    self.stats["hits"] += 1
                    self.stats["redis_hits"] += 1
                    return doc["value"], gen
        self.stats["misses"] += 1
        return None, gen

    def set(self, key: str, value: Any, seen_generation: str | None = None) -> None:
        gen = self._generation(key)
        if gen == "unavailable" or (seen_generation is not None and seen_generation != gen):
            return
        with self._lock:
            self._local[key] = (gen, value)
        if self.redis is not None:
            try:
                self.redis.set(self.namespace + key, json.dumps({"gen": gen, "value": value}, default=str),
                               ex=max(1, int(self.ttl_seconds)))
            except Exception as exc:  # noqa: BLE001
                log.warning("redis cache write failed", error=str(exc))

    def invalidate(self, key: str) -> None:
        with self._lock:
            self._local.pop(key, None)
        self.stats["invalidations"] += 1
        if self.redis is not None:
            try:
                pipe = self.redis.pipeline()
                pipe.incr(self.namespace + "gen:" + key)
                pipe.expire(self.namespace + "gen:" + key, 30 * 86400)
                pipe.delete(self.namespace + key)
                pipe.execute()
            except Exception as exc:  # noqa: BLE001
                log.warning("redis cache invalidation failed", error=str(exc))

    def __len__(self) -> int:
        with self._lock:
            return len(self._local)
