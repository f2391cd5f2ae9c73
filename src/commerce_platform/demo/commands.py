"""``commerce demo [--force] [--scale X] [--only SERVICE]``."""

from __future__ import annotations

from typing import Any


def register(sub, common) -> None:
    from ..cli import positive_number
    from . import DEMO_MODULES

    p = sub.add_parser("demo", parents=[common],
                       help="build demo data for every service into a new home (refuses a populated one without --force)")
    p.add_argument("--force", action="store_true",
                   help="rebuild the demo data in a home that already holds data (the same rows, never twice)")
    p.add_argument("--scale", type=positive_number, default=1.0,
                   help="size multiplier above 0 for the demo data (default 1: ~10k retail order lines; 1000: ~10M)")
    p.add_argument("--only", action="append", choices=DEMO_MODULES, metavar="SERVICE",
                   help=f"build only this service's demo data, repeatable: {', '.join(DEMO_MODULES)} (default: all)")
    p.set_defaults(func=run, needs_home=False)  # demo is the one command that creates a named home


def run(ctx) -> int:
    from ..errors import Conflict
    from . import build_all, holds_data

    root = ctx.settings.paths.root
    if not ctx.args.force and holds_data(ctx.settings.paths):
        raise Conflict(f"the home {root} already holds data",
                       hint="pass --force to rebuild its demo data, or --home NEW_DIR for a fresh home")
    summary = build_all(ctx.settings, scale=ctx.args.scale, progress=ctx.progress, only=ctx.args.only)
    ctx.emit({"home": str(root), "built": summary},
             lambda: f"demo data built in {root}\n" + "\n".join(f"  {k}: {describe(v)}" for k, v in summary.items()))
    return 0


def describe(built: Any) -> str:
    """One line per service: "customers 40, orders 159, ..." (details such as per-topic counts are in --json)."""
    if not isinstance(built, dict):
        return str(built)
    parts = []
    for key, value in built.items():
        label = key.replace("_", " ")
        if isinstance(value, bool) or value is None or isinstance(value, dict):
            continue
        if isinstance(value, list):
            if value:
                parts.append(f"{label} {len(value)}")
        elif key == "seconds":
            parts.append(f"{value} s")
        else:
            parts.append(f"{label} {value}")
    return ", ".join(parts)
