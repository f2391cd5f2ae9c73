"""A port built on first use.

The composition root (``wiring.py``) hands a service ``Lazy(lambda: factory.llm(settings))`` where building the
adapter is costly or may fail and some commands never need it (``check-sql`` needs no LLM); the service calls
``resolve`` when it first uses the port. A plain port object is accepted the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_UNSET = object()


class Lazy(Generic[T]):
    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: object = _UNSET
        self._lock = threading.Lock()

    def get(self) -> T:
        if self._value is _UNSET:
            with self._lock:  # one adapter per service, even when two request threads ask at once
                if self._value is _UNSET:
                    self._value = self._build()
        return self._value  # type: ignore[return-value]


def resolve(port: T | Lazy[T]) -> T:
    return port.get() if isinstance(port, Lazy) else port
