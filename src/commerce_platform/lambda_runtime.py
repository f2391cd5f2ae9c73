"""What every Lambda handler shares: Powertools ``Logger`` writing seed 000's JSON lines.

Imported by the handler modules only (Powertools is in the ``aws`` extra and in every function's
requirements file); ``import commerce_platform`` and the CLI never import it. The log shape stays
the one ``logs.JsonLinesFormatter`` writes (timestamp, level, message, context); the keys
Powertools adds for an invocation (request id, cold start, function name) go into ``context``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import BasePowertoolsFormatter

from . import logs

SERVICE = "commerce_platform"  # the package logger: every module's logger is its child

F = TypeVar("F", bound=Callable[..., Any])
_POWERTOOLS_DEFAULTS = frozenset({"service", "sampling_rate"})


class SeedShapeFormatter(BasePowertoolsFormatter):
    """Powertools formatter emitting the JSON lines of ``logs.JsonLinesFormatter``."""

    def __init__(self) -> None:
        super().__init__()
        self._lines = logs.JsonLinesFormatter()
        self._keys: dict[str, Any] = {}

    def append_keys(self, **additional_keys: Any) -> None:
        # Powertools' own defaults (service, sampling_rate) repeat the logger name or say nothing.
        self._keys.update({k: v for k, v in additional_keys.items() if k not in _POWERTOOLS_DEFAULTS})

    def get_current_keys(self) -> dict[str, Any]:
        return dict(self._keys)

    def remove_keys(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._keys.pop(key, None)

    def clear_state(self) -> None:
        self._keys.clear()

    # One invocation at a time per Lambda process: the thread-local variants share the same keys.
    def thread_safe_append_keys(self, **additional_keys: Any) -> None:
        self.append_keys(**additional_keys)

    def thread_safe_get_current_keys(self) -> dict[str, Any]:
        return self.get_current_keys()

    def thread_safe_remove_keys(self, keys: Iterable[str]) -> None:
        self.remove_keys(keys)

    def thread_safe_clear_keys(self) -> None:
        self.clear_state()

    def format(self, record: logging.LogRecord) -> str:
        return self._lines.format(record, extra_context=self._keys)


_logger: Logger | None = None


def lambda_logger(level: str = "INFO") -> Logger:
    """The process's Powertools Logger on the package logger (created once; level set each call)."""
    global _logger
    logs.remove_handler()  # one handler only: a CLI-style handler would print every line twice
    if _logger is None:
        _logger = Logger(service=SERVICE, level=level, logger_formatter=SeedShapeFormatter(),
                         logger_handler=logs.StderrHandler())
    package = logging.getLogger(SERVICE)
    if _logger.logger_handler not in package.handlers:  # configure_logging (CLI, same process) took it off
        package.addHandler(_logger.logger_handler)
    _logger.setLevel(level.upper())
    return _logger


def with_lambda_context(handler: F) -> F:
    """Adds the invocation's keys (request id, cold start, ...) to every log line of a call through
    Powertools' ``inject_lambda_context``; a local call without a Lambda context runs as is."""

    @functools.wraps(handler)
    def call(event: Any, context: Any) -> Any:
        if context is None or not hasattr(context, "aws_request_id"):
            return handler(event, context)
        # Created before the handler reads its settings (which then set the level).
        logger = _logger or lambda_logger()
        return logger.inject_lambda_context(handler, clear_state=True)(event, context)

    return call  # type: ignore[return-value]
