"""Logging: JSON lines in the seed's shape (timestamp, level, message, context) for machines, or one
readable line per record for a person at a terminal (the CLI's default)."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

_SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "authorization")


def _redact(context: dict) -> dict:
    out: dict = {}
    for key, value in context.items():
        if any(word in key.lower() for word in _SECRET_WORDS):
            out[key] = "***"
        elif isinstance(value, dict):
            out[key] = _redact(value)
        else:
            out[key] = value
    return out


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord, extra_context: dict | None = None) -> str:
        """``extra_context``: keys added around the record (the Lambda invocation's); the record's own win."""
        context = {**(extra_context or {}), **(getattr(record, "context", {}) or {})}
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


class TextFormatter(logging.Formatter):
    """``warning: message (key=value, ...)``: what a person reads on a terminal; secrets redacted alike."""

    def format(self, record: logging.LogRecord) -> str:
        context = _redact(dict(getattr(record, "context", {}) or {}))
        line = record.getMessage()
        if context:
            line += " (" + ", ".join(f"{k}={v}" for k, v in context.items() if v is not None) + ")"
        if record.exc_info and record.exc_info[0] is not None:
            line += f": {record.exc_info[0].__name__}: {record.exc_info[1]}"
        prefix = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        return prefix + line


FORMATS = ("text", "json")


def default_format(configured: str | None = None) -> str:
    """``configured`` (--log-json / COMMERCE_LOG_FORMAT) wins; inside Lambda logs are JSON (CloudWatch
    parses them), elsewhere text."""
    if configured:
        return configured
    return "json" if os.environ.get("AWS_LAMBDA_FUNCTION_NAME") else "text"


class ContextLogger(logging.LoggerAdapter):
    """``log.info("message", key=value, ...)``: keyword arguments become the context."""

    def process(self, msg, kwargs):
        context = {k: kwargs.pop(k) for k in list(kwargs) if k not in ("exc_info", "stack_info", "stacklevel", "extra")}
        extra = kwargs.setdefault("extra", {})
        extra["context"] = {**extra.get("context", {}), **context}
        return msg, kwargs


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at emit time (test runners and Streamlit swap it)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


_StderrHandler = StderrHandler  # the name before it was shared with the Lambda logger

_handler: logging.Handler | None = None


def remove_handler() -> None:
    """Take the handler configure_logging installed off the package logger (the Lambda logger
    installs its own)."""
    global _handler
    if _handler is not None:
        logging.getLogger("commerce_platform").removeHandler(_handler)
        _handler = None


def configure_logging(level: str = "INFO", stream=None, fmt: str = "json") -> None:
    """Install the one handler on the package logger (stderr unless a stream is given); ``fmt`` is
    "json" (JSON lines, for Lambda and log shippers) or "text" (for a terminal)."""
    global _handler
    root = logging.getLogger("commerce_platform")
    root.setLevel(level.upper())
    if _handler is not None:
        root.removeHandler(_handler)
    lambda_handler = getattr(root, "powertools_handler", None)  # the Lambda logger's, in the same process
    if lambda_handler is not None:
        root.removeHandler(lambda_handler)
    _handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    _handler.setFormatter(TextFormatter() if fmt == "text" else JsonLinesFormatter())
    root.addHandler(_handler)


def get_logger(name: str) -> ContextLogger:
    if not name.startswith("commerce_platform"):
        name = f"commerce_platform.{name}"
    return ContextLogger(logging.getLogger(name), {})
