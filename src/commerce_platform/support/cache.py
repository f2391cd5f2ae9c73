"""Customer-context cache: in-process LRU with TTL and max size (cachetools), optionally backed by
Redis as a shared cache between processes/Lambdas. ``invalidate(key)`` clears both."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from ..logs import get_logger

log = get_logger(__name__)


class ContextCache:
    def __init__(self, max_size: int = 1024, ttl_seconds: float = 300, redis_client=None,
                 namespace: str = "support:ctx:", timer: Callable[[], float] = time.monotonic) -> None:
        from cachetools import TTLCache

        self.ttl_seconds = ttl_seconds
        self._local: TTLCache = TTLCache(maxsize=max_size, ttl=ttl_seconds, timer=timer)
        self._lock = threading.Lock()
        self.redis = redis_client
        self.namespace = namespace
        self.stats = {"hits": 0, "misses": 0, "redis_hits": 0, "invalidations": 0}

    @classmethod
    def from_settings(cls, settings, **kwargs) -> ContextCache:
        client = None
        if settings.redis_url:
            from ..errors import require

            redis = require("redis", "redis")
            client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
        return cls(settings.cache_max_size, settings.cache_ttl_seconds, client, **kwargs)

    def get(self, key: str) -> Any | None:
        with self._lock:
            value = self._local.get(key)
        if value is not None:
            self.stats["hits"] += 1
            return value
        if self.redis is not None:
            try:
                raw = self.redis.get(self.namespace + key)
            except Exception as exc:  # noqa: BLE001 - a shared cache outage must not fail requests
                log.warning("redis cache read failed", error=str(exc))
                raw = None
            if raw is not None:
                value = json.loads(raw)
                with self._lock:
                    self._local[key] = value
                self.stats["hits"] += 1
                self.stats["redis_hits"] += 1
                return value
        self.stats["misses"] += 1
        return None

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._local[key] = value
        if self.redis is not None:
            try:
                self.redis.set(self.namespace + key, json.dumps(value, default=str), ex=max(1, int(self.ttl_seconds)))
            except Exception as exc:  # noqa: BLE001
                log.warning("redis cache write failed", error=str(exc))

    def invalidate(self, key: str) -> None:
        with self._lock:
            self._local.pop(key, None)
        self.stats["invalidations"] += 1
        if self.redis is not None:
            try:
                self.redis.delete(self.namespace + key)
            except Exception as exc:  # noqa: BLE001
                log.warning("redis cache invalidation failed", error=str(exc))

    def __len__(self) -> int:
        with self._lock:
            return len(self._local)
