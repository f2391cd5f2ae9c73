"""Customer-context cache: in-process LRU with TTL and max size (cachetools), optionally backed by
Redis as a shared cache between processes/Lambdas. ``invalidate(key)`` clears both.

With Redis, every key has a generation counter (``<ns>gen:<key>``) that ``invalidate`` increments;
a local entry is only served while its generation matches Redis', so an interaction stored by
one process invalidates the context cached in every other process too."""

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
