"""Exercise cache: Redis when ``settings.redis_url`` is set, else in-process (cachetools TTL).

The database stays the source of truth; the cache holds generated exercises (by id) and
generation results (topic + difficulty + count -> ids)."""

from __future__ import annotations

import json
from typing import Protocol

from ..errors import ServiceUnavailable


class ExerciseCache(Protocol):
    backend: str

    def get(self, key: str) -> dict | list | None: ...
    def set(self, key: str, value: dict | list) -> None: ...
    def ping(self) -> None: ...


class InProcessCache:
    backend = "in-process"

    def __init__(self, ttl_seconds: int = 300, max_size: int = 1024) -> None:
        import threading

        from cachetools import TTLCache

        self._data: TTLCache = TTLCache(maxsize=max_size, ttl=ttl_seconds)
        self._lock = threading.Lock()  # the HTTP app serves requests from a thread pool

    def get(self, key: str):
        with self._lock:
            value = self._data.get(key)
        return json.loads(value) if value is not None else None

    def set(self, key: str, value) -> None:
        raw = json.dumps(value)
        with self._lock:
            self._data[key] = raw

    def ping(self) -> None:
        return None


class RedisCache:
    backend = "redis"

    def __init__(self, url: str, ttl_seconds: int = 300, prefix: str = "tutor:", client=None) -> None:
        if client is None:
            from ..errors import require

            redis = require("redis", "redis")
            client = redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=2.0)
        self.client = client
        self.ttl = ttl_seconds
        self.prefix = prefix
        self.url = url

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except Exception as exc:  # redis.exceptions.* without importing redis at module top
            raise ServiceUnavailable(f"the exercise cache (Redis) is unavailable: {exc.__class__.__name__}: {exc}",
                                     hint="check COMMERCE_REDIS_URL and that Redis is running; nothing was saved"
                                     ) from exc

    def get(self, key: str):
        raw = self._call(self.client.get, self.prefix + key)
        return json.loads(raw) if raw else None

    def set(self, key: str, value) -> None:
        self._call(self.client.set, self.prefix + key, json.dumps(value), self.ttl)

    def ping(self) -> None:
        self._call(self.client.ping)


def make_cache(settings) -> ExerciseCache:
    if settings.redis_url:
        return RedisCache(settings.redis_url, ttl_seconds=settings.cache_ttl_seconds)
    return InProcessCache(settings.cache_ttl_seconds, settings.cache_max_size)
