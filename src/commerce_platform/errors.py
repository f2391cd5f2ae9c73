"""One small error hierarchy. Every message says what to do about it."""

from __future__ import annotations

import re
from collections.abc import Iterable


class CommerceError(Exception):
    """Base of every error the platform raises on purpose."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_dict(self) -> dict:
        body: dict = {"error": type(self).__name__, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.hint:
            body["hint"] = self.hint
        return body


class ConfigurationError(CommerceError):
    """Settings are missing or inconsistent."""

    exit_code = 2


class MissingExtraError(ConfigurationError):
    """An optional integration is used but its extra is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"the '{extra}' integration needs the module '{module}', which is not installed",
            hint=f"pip install 'commerce-platform[{extra}]'",
        )
        self.extra = extra


class ValidationFailed(CommerceError):
    """Input (a file, a request, an argument) is malformed."""

    exit_code = 2
    http_status = 422


class Forbidden(CommerceError):
    """The caller is known but may not do this (someone else's data, a role it lacks)."""

    exit_code = 3
    http_status = 403


class NotFound(CommerceError):
    """A referenced thing does not exist."""

    exit_code = 4
    http_status = 404


class Conflict(CommerceError):
    """The operation conflicts with current state (a lock is held, a duplicate)."""

    exit_code = 5
    http_status = 409


class LockHeld(Conflict):
    """Another run holds the lock."""


class Refused(CommerceError):
    """The request was understood and refused (for example SQL the guard does not allow)."""

    exit_code = 3
    http_status = 400


class NotUnderstood(CommerceError):
    """A natural-language request could not be understood."""

    exit_code = 3
    http_status = 422


class UpstreamError(CommerceError):
    """A dependency (ERP, LLM, AWS, database, HTTP) failed or timed out."""

    exit_code = 6
    http_status = 502


class ServiceUnavailable(UpstreamError):
    """A backing store needed for the request is down."""

    http_status = 503


def ensure_available(module: str, extra: str) -> None:
    """Fail now, naming the extra, if ``module`` is not installed, without importing it (heavy
    clients are imported on first use, not on a Lambda's cold start)."""
    import importlib.util

    try:
        found = importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package is missing
        found = False
    if not found:
        raise MissingExtraError(extra, module)


def require(module: str, extra: str):
    """Import ``module`` or raise MissingExtraError naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError(extra, module) from exc


_SQLITE_URL = re.compile(r"sqlite:/{2,}[^\s'\")]+")
# An absolute POSIX or Windows path, not one that goes on a word or a dot (``a/b``, ``./b``); group 1: its last name.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[\\/](?:[^\s'\"\\/]+[\\/])*([^\s'\"\\/]*)")


def without_paths(text: str, known: Iterable[tuple[str, str]] = (), *, sqlite_urls: bool = False,
                  last_names: bool = False) -> str:
    """``text`` fit to show a user: messages never show where the server keeps its files.

    In this order: SQLite URLs become ``sqlite:///<home>`` (``sqlite_urls``); each known path is replaced
    by what stands beside it, in the order given (so a longer path goes before its prefix; a path of one
    character, such as ``/``, is never replaced); any other absolute path is cut to its last name
    (``last_names``), for places that cannot know which paths to expect.
    """
    if sqlite_urls:
        text = _SQLITE_URL.sub("sqlite:///<home>", text)
    for path, shown in known:
        if len(path) > 1:
            text = text.replace(path, shown)
    if last_names:
        text = _ABSOLUTE_PATH.sub(r"\1", text)
    return text
