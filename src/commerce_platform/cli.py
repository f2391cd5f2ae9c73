"""The ``commerce`` command. Each service registers its own sub-commands from
``commerce_platform.<service>.commands:register``; this module wires them up and is the one error
boundary: every failure leaves as one line on stderr, "what is wrong - what to do", and an exit code."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import CommerceError, ConfigurationError, Conflict, NotFound, UpstreamError, ValidationFailed

# Services register in this order (help output follows it). A module that does not exist
# yet is skipped; one that exists but fails to import is a bug and raises.
COMMAND_MODULES = [
    "commerce_platform.demo.commands",
    "commerce_platform.offers.commands",
    "commerce_platform.copilot.commands",
    "commerce_platform.exports.commands",
    "commerce_platform.support.commands",
    "commerce_platform.tutor.commands",
    "commerce_platform.console_command",
]

SERVE_APPS = {
    "support": "commerce_platform.api.support_app",
    "tutor": "commerce_platform.api.tutor_app",
    "copilot": "commerce_platform.api.copilot_app",
}
SERVE_PORT = 8000

EPILOG = """\
environment:
  COMMERCE_HOME        data home when --home is not given (default ./.commerce)
  COMMERCE_LOG_LEVEL   DEBUG, INFO, WARNING, ERROR (default: WARNING with text logs, INFO with JSON logs)
  COMMERCE_LOG_FORMAT  text or json (default: text; json inside AWS Lambda); --log-json is the same as json
  COMMERCE_PROFILE     local (default: files and SQLite in the home) or aws

exit codes:
  0 ok, 1 unexpected error (the trace is written to a file, named on stderr), 2 bad input or
  configuration, 3 refused, 4 not found, 5 conflict (lock held, port taken, populated home),
  6 a dependency failed (database, AWS, ERP, LLM), 130 interrupted

'commerce COMMAND --help' describes a command and its options."""


def module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package does not exist (yet)
        return False


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Appends "(default: X)" to an option's help unless the help already names its default."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (text and "default" not in text and default not in (None, False, argparse.SUPPRESS, [])
                and action.option_strings):
            text += " (default: %(default)s)"
        return text


class CommerceParser(argparse.ArgumentParser):
    """Sub-parsers inherit this class, so every usage error is one line, like every other error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"commerce: error: {message} - see '{self.prog} --help'\n")


def positive_number(text: str) -> float:
    """argparse type: a finite number above 0 (a scale of -1 or nan is a typo, not a tiny demo)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a number above 0, e.g. 0.5 or 10")
    return value


def check_port(port: int, option: str = "--port") -> None:
    """Refuse a port that is no port or is taken now, before a server prints a traceback about it."""
    import errno
    import socket

    if not 1 <= port <= 65535:
        raise ValidationFailed(f"{option} {port} is not a port number", field="port", hint="use 1-65535, e.g. 8501")
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise Conflict(f"port {port} is already in use", field="port",
                               hint=f"stop the program using it or pass another {option}") from None
            if exc.errno == errno.EACCES:
                raise ValidationFailed(f"port {port} needs administrator rights", field="port",
                                       hint=f"pass a {option} above 1023") from None
            raise


def common_options() -> CommerceParser:
    """--home, --json and --log-json, accepted before or after the sub-command."""
    parent = CommerceParser(add_help=False)
    parent.add_argument("--home", default=argparse.SUPPRESS,
                        help="data home (default: $COMMERCE_HOME, else ./.commerce)")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print one JSON document on stdout (logs and progress stay on stderr)")
    parent.add_argument("--log-json", dest="log_json", action="store_true", default=argparse.SUPPRESS,
                        help="logs as JSON lines on stderr (default: readable text; same as COMMERCE_LOG_FORMAT=json)")
    return parent


class DeferredErrors(logging.Filter):
    """On a terminal a failing command ends with one error line. A service that logs an error and then
    raises would print it twice, so ERROR records wait: the next record or a normal end prints them, a
    raised error (which the boundary prints) drops them. JSON logs are never held back."""

    def __init__(self, handler: logging.Handler) -> None:
        super().__init__()
        self.handler = handler
        self.held: list[logging.LogRecord] = []

    @classmethod
    def install(cls) -> DeferredErrors | None:
        from . import logs

        if logs._handler is None:
            return None
        deferred = cls(logs._handler)
        logs._handler.addFilter(deferred)
        return deferred

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            self.held.append(record)
            return False
        self.release()
        return True

    def release(self) -> None:
        held, self.held = self.held, []
        for record in held:
            self.handler.emit(record)

    def drop(self) -> None:
        self.held = []

    def remove(self) -> None:
        """The command is over: whatever logs later (main job, tests calling main) is not held."""
        self.release()
        self.handler.removeFilter(self)


class Context:
    """What a command handler gets: parsed args, lazily built settings, output helpers."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._settings = None
        self.log_format = "json" if getattr(args, "log_json", False) else None
        self.deferred: DeferredErrors | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def settings(self):
        if self._settings is None:
            from .config import load_settings
            from .logs import configure_logging, default_format

            settings = load_settings(getattr(self.args, "home", None))
            self.log_format = self.log_format or default_format(settings.log_format)
            # A terminal shows what to act on (warnings); JSON consumers get INFO as before.
            explicit_level = "log_level" in settings.model_fields_set
            level = settings.log_level if explicit_level else ("INFO" if self.log_format == "json" else "WARNING")
            configure_logging(level, fmt=self.log_format)
            if self.log_format == "text":
                self.deferred = DeferredErrors.install()
            self._check_home(settings)
            self._settings = settings
        return self._settings

    def _check_home(self, settings) -> None:
        """A home named explicitly (--home, COMMERCE_HOME, .env) must exist: a typo must not create an
        empty home. The default ./.commerce is created when first needed; ``demo`` creates any home."""
        needs = getattr(self.args, "needs_home", True)
        if callable(needs):
            needs = needs(self.args)
        root = settings.paths.root
        if needs and "home" in settings.model_fields_set and not root.is_dir():
            raise ConfigurationError(f"no data home at {root}: run `commerce demo --home {root}` "
                                     "or pass the right --home", field="home")

    def emit(self, document: Any, text: str | Callable[[], str] | None = None) -> None:
        """--json: the document on stdout; else the text (or the document, pretty)."""
        if self.json or text is None:
            print(json.dumps(document, default=str, ensure_ascii=False, indent=None if self.json else 2))
        else:
            print(text() if callable(text) else text)

    def progress(self, message: str) -> None:
        """Progress goes to stderr so stdout stays one JSON document; with JSON logs it is a log line,
        so stderr stays parseable."""
        if self.log_format == "json":
            from .logs import get_logger

            get_logger("cli").info(message)
        else:
            print(message, file=sys.stderr, flush=True)


def _serve(ctx: Context) -> int:
    check_port(ctx.args.port)
    module = importlib.import_module(SERVE_APPS[ctx.args.service])
    app = module.create_app(ctx.settings)
    import uvicorn

    ctx.progress(f"serving {ctx.args.service} on http://127.0.0.1:{ctx.args.port} (Ctrl+C stops it)")
    uvicorn.run(app, host="127.0.0.1", port=ctx.args.port, log_level="warning")
    return 0


def _describe(parser: argparse.ArgumentParser) -> None:
    """A sub-command's own --help starts with the line its parent lists it with."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, child in action.choices.items():
                if child.description is None:
                    child.description = helps.get(name)
                _describe(child)


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = CommerceParser(prog="commerce", parents=[common], epilog=EPILOG,
                            description="Commerce platform: offers, copilot, exports, support, tutor.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        if not module_exists(name):
            continue
        importlib.import_module(name).register(sub, common)
    serve = sub.add_parser("serve", parents=[common], help="local HTTP server of a service (binds 127.0.0.1)")
    serve.add_argument("service", choices=sorted(SERVE_APPS), help="the service's HTTP API to serve")
    serve.add_argument("--port", type=int, default=SERVE_PORT, help=f"port on 127.0.0.1 (default {SERVE_PORT})")
    serve.set_defaults(func=_serve)
    _describe(parser)
    return parser


# ---- the error boundary -----------------------------------------------------------------------
_URL_CREDENTIALS = re.compile(r"(\b[a-z][\w+.-]*://[^/\s:@]*:)[^@\s/]+@", re.IGNORECASE)


def redact(text: str) -> str:
    """user:password@ in URLs becomes user:***@ (messages and traces may quote a database URL)."""
    return _URL_CREDENTIALS.sub(r"\1***@", text)


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def known_failure(exc: BaseException) -> CommerceError | None:
    """Failures of the environment (bad URL, no AWS credentials, unreadable file) as the platform's
    errors. Matched by module and class name: botocore and SQLAlchemy are optional imports."""
    for e in _chain(exc):
        module, name = type(e).__module__, type(e).__name__
        if module.startswith("botocore"):
            if name in ("NoCredentialsError", "PartialCredentialsError", "ProfileNotFound", "CredentialRetrievalError",
                        "SSOTokenLoadError", "UnauthorizedSSOTokenError", "TokenRetrievalError"):
                return ConfigurationError(
                    "no usable AWS credentials (COMMERCE_PROFILE=aws)",
                    hint="configure AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or unset "
                         "COMMERCE_PROFILE to work on the local home")
            if name == "NoRegionError":
                return ConfigurationError("no AWS region configured", hint="set COMMERCE_AWS_REGION or AWS_REGION")
            if name in ("EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError"):
                return UpstreamError("AWS is not reachable", hint="check the network, the region and any endpoint URL")
            if name == "ClientError":
                err = getattr(e, "response", {}).get("Error", {})
                return UpstreamError(f"AWS refused the request: {err.get('Code', 'error')}",
                                     hint="check the IAM permissions and the resource names in the settings")
        if module.startswith("sqlalchemy"):
            # The message may quote the URL, password included: never echo it.
            if name == "NoSuchModuleError" or (name == "ArgumentError" and "URL" in str(e)):
                return ValidationFailed("not a valid database URL",
                                        hint="pass a SQLAlchemy URL such as sqlite:///path/to/file.db or "
                                             "postgresql+psycopg://user@host/dbname")
            if name in ("OperationalError", "InterfaceError"):
                orig = getattr(e, "orig", None) or e
                detail = str(orig).strip().splitlines()[0] if str(orig).strip() else name
                return UpstreamError(f"the database is not usable: {redact(detail)}",
                                     hint="check the database URL, that the server runs and the credentials")
    if isinstance(exc, OSError) and exc.filename is not None:
        path, reason = exc.filename, (exc.strerror or str(exc)).lower()
        if isinstance(exc, FileNotFoundError):
            return NotFound(f"{path} does not exist", hint="check the path")
        if isinstance(exc, PermissionError):
            return ValidationFailed(f"cannot open {path}: permission denied",
                                    hint="check the file's permissions or pass another path")
        return ValidationFailed(f"cannot open {path}: {reason}", hint="check the path")
    return None


def _trace_file(ctx: Context, exc: BaseException) -> Path | None:
    """Write the full trace into <home>/logs (when the home exists: never create one for this) or the
    temp folder; returns the file, or None if nothing could be written."""
    import os
    import tempfile
    import traceback
    from datetime import datetime

    folders = []
    root = getattr(ctx._settings, "paths", None)
    if root is not None and root.root.is_dir():
        folders.append(root.root / "logs")
    folders.append(Path(tempfile.gettempdir()))
    text = redact("".join(traceback.format_exception(exc)))
    name = f"commerce-error-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(f"commerce {' '.join(sys.argv[1:])}\n{text}", encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def _drop_held(ctx: Context) -> None:
    if ctx.deferred:
        ctx.deferred.drop()


def _fail(exc: CommerceError) -> int:
    message = f"{exc.message} - {exc.hint}" if exc.hint else exc.message
    print(f"commerce: error: {redact(message)}", file=sys.stderr)
    return exc.exit_code


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args)
    try:
        code = args.func(ctx)
    except CommerceError as exc:
        _drop_held(ctx)
        return _fail(exc)
    except KeyboardInterrupt:
        print("commerce: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # stdout closed early (e.g. piped into head): not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the boundary: one line for the user, the trace in a file
        _drop_held(ctx)
        known = known_failure(exc)
        if known is not None:
            return _fail(known)
        where = _trace_file(ctx, exc)
        first = redact(str(exc).strip().splitlines()[0]) if str(exc).strip() else ""
        print(f"commerce: error: unexpected {type(exc).__name__}{': ' + first if first else ''} - this is a bug; "
              + (f"the full trace is in {where}" if where else "run again with COMMERCE_LOG_LEVEL=DEBUG"),
              file=sys.stderr)
        return 1
    finally:
        if ctx.deferred:
            ctx.deferred.remove()
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
