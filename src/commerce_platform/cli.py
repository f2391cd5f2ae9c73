"""The ``commerce`` command. Each service registers its own sub-commands from
``commerce_platform.<service>.commands:register``; this module only wires them up."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable
from typing import Any

from .errors import CommerceError

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


def module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package does not exist (yet)
        return False


def common_options() -> argparse.ArgumentParser:
    """--home and --json, accepted before or after the sub-command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--home", default=argparse.SUPPRESS,
                        help="data home (default: $COMMERCE_HOME, else ./.commerce)")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print one JSON document on stdout")
    return parent


class Context:
    """What a command handler gets: parsed args, lazily built settings, output helpers."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._settings = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def settings(self):
        if self._settings is None:
            from .config import load_settings
            from .logs import configure_logging

            self._settings = load_settings(getattr(self.args, "home", None))
            configure_logging(self._settings.log_level)
        return self._settings

    def emit(self, document: Any, text: str | Callable[[], str] | None = None) -> None:
        """--json: the document on stdout; else the text (or the document, pretty)."""
        if self.json or text is None:
            print(json.dumps(document, default=str, ensure_ascii=False, indent=None if self.json else 2))
        else:
            print(text() if callable(text) else text)

    def progress(self, message: str) -> None:
        """Progress goes to stderr so stdout stays one JSON document."""
        print(message, file=sys.stderr, flush=True)


def _serve(ctx: Context) -> int:
    module = importlib.import_module(SERVE_APPS[ctx.args.service])
    app = module.create_app(ctx.settings)
    import uvicorn

    ctx.progress(f"serving {ctx.args.service} on http://127.0.0.1:{ctx.args.port}")
    uvicorn.run(app, host="127.0.0.1", port=ctx.args.port, log_level="warning")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = argparse.ArgumentParser(prog="commerce", parents=[common],
                                     description="Commerce platform: offers, copilot, exports, support, tutor.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        if not module_exists(name):
            continue
        importlib.import_module(name).register(sub, common)
    serve = sub.add_parser("serve", parents=[common], help="local HTTP server of a service (binds 127.0.0.1)")
    serve.add_argument("service", choices=sorted(SERVE_APPS))
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(args)
    try:
        code = args.func(ctx)
    except CommerceError as exc:
        print(f"commerce: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("commerce: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # stdout closed early (e.g. piped into head): not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
