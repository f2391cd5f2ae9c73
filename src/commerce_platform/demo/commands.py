"""``commerce demo``."""

from __future__ import annotations


def register(sub, common) -> None:
    p = sub.add_parser("demo", parents=[common], help="build demo data for every service into the home")
    p.add_argument("--scale", type=float, default=1.0,
                   help="size multiplier for the retail lake (1 = ~10k order lines; 1000 = ~10M)")
    p.add_argument("--only", action="append", help="build only these services' demo data (repeatable)")
    p.set_defaults(func=run)


def run(ctx) -> int:
    from . import build_all

    summary = build_all(ctx.settings, scale=ctx.args.scale, progress=ctx.progress, only=ctx.args.only)
    ctx.emit({"home": str(ctx.settings.paths.root), "built": summary},
             lambda: f"demo data built in {ctx.settings.paths.root}\n" + "\n".join(f"  {k}: {v}" for k, v in summary.items()))
    return 0
