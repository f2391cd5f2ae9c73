"""``make run``: build the demo home if it has no data yet, run the nightly jobs once, start the console.

    python -m commerce_platform.mainjob --home .commerce [--port 8501] [--no-console]

A failing nightly job is reported and the console still starts (it shows what failed); a demo build
that fails stops here, since there would be nothing to show.
"""

from __future__ import annotations

import argparse
import sys

JOBS = (
    ("learning agent", ["learn", "run"]),
    ("SmartGo export (yesterday)", ["export", "run"]),
)


def needs_demo(paths) -> bool:
    """True when the home holds no service data yet (an opened console may have left only platform.db)."""
    return not any(p.exists() for p in (paths.erp / "products.csv", paths.objects, paths.retail_lake))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", default=None, help="data home (default: $COMMERCE_HOME, else ./.commerce)")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--no-console", action="store_true", help="run the jobs only")
    args = parser.parse_args(argv)

    from .cli import main as commerce
    from .config import load_settings

    settings = load_settings(args.home)
    home = str(settings.paths.root.resolve())
    if needs_demo(settings.paths):
        print(f"building the demo home in {home} ...", flush=True)
        if commerce(["--home", home, "demo"]):
            print("the demo build failed; see the error above", file=sys.stderr)
            return 1
    else:
        print(f"using the existing home {home}", flush=True)
    failed = []
    for title, job in JOBS:
        print(f"running the {title}: commerce {' '.join(job)}", flush=True)
        code = commerce(["--home", home, *job])
        if code != 0:
            failed.append(title)
            print(f"the {title} failed (exit {code}); the console shows its state", file=sys.stderr, flush=True)
    if args.no_console:
        return 1 if failed else 0
    return commerce(["--home", home, "console", "--port", str(args.port)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
