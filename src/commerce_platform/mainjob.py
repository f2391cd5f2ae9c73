"""``make run``: build the demo home if it is empty, run the nightly jobs once, start the console."""

from __future__ import annotations

import argparse
import subprocess
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", default=".commerce")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--no-console", action="store_true", help="run the jobs only")
    args = parser.parse_args(argv)

    from .cli import main as commerce
    from .config import load_settings

    settings = load_settings(args.home)
    if not settings.paths.root.exists() or not any(settings.paths.root.iterdir()):
        print(f"building the demo home in {settings.paths.root} ...", flush=True)
        if commerce(["--home", args.home, "demo"]):
            return 1
    for job in (["learn", "run"], ["export", "run", "--date", "latest"]):
        print(f"running: commerce {' '.join(job)}", flush=True)
        code = commerce(["--home", args.home, *job])
        if code not in (0, 2) and job[0] == "learn":
            print(f"commerce {' '.join(job)} exited {code}", file=sys.stderr)
    if args.no_console:
        return 0
    print(f"console: http://127.0.0.1:{args.port}", flush=True)
    return subprocess.call([sys.executable, "-m", "commerce_platform", "--home", args.home, "console",
                            "--port", str(args.port)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
