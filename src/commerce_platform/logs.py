"""JSON-lines logging in the seed's shape: timestamp, level, message, context."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

_SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "authorization")


def _redact(context: dict) -> dict:
    out = {}
    for key, value in context.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            out[key] = "***"
        elif isinstance(value, dict):
            out[key] = _redact(value)
        else:
            out[key] = value
    return out


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        context = dict(getattr(record, "context", {}) or {})
        context.setdefault("logger", record.name)
        if record.exc_info and record.exc_info[0] is not None:
            context["error"] = f"{record.exc_info[0].__name__}: {record.exc_info[1]}"
        doc = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "message": record.getMessage(),
            "context": _redact(context),
        }
        return json.dumps(doc, default=str, ensure_ascii=False)


class ContextLogger(logging.LoggerAdapter):
    """``log.info("message", key=value, ...)``: keyword arguments become the context."""

    def process(self, msg, kwargs):
        context = {k: kwargs.pop(k) for k in list(kwargs) if k not in ("exc_info", "stack_info", "stacklevel", "extra")}
        extra = kwargs.setdefault("extra", {})
        extra["context"] = {**extra.get("context", {}), **context}
        return msg, kwargs


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at emit time (test runners and Streamlit swap it)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


_handler: logging.Handler | None = None


def configure_logging(level: str = "INFO", stream=None) -> None:
    """Install the one JSON-lines handler on the package logger (stderr unless a stream is given)."""
    global _handler
    root = logging.getLogger("commerce_platform")
    root.setLevel(level.upper())
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    _handler.setFormatter(JsonLinesFormatter())
    root.addHandler(_handler)


def get_logger(name: str) -> ContextLogger:
    if not name.startswith("commerce_platform"):
        name = f"commerce_platform.{name}"
    return ContextLogger(logging.getLogger(name), {})
