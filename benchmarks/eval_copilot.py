"""Execution accuracy of the copilot's offline parser on the shipped evaluation set.

    .venv/bin/python benchmarks/eval_copilot.py [--lake DIR] [--json]

Without --lake it builds the scale-1 demo lake into a temporary folder. Prints accuracy
per category and every miss (question, generated SQL, why).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lake", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from commerce_platform.copilot.evaluation import evaluate, load_eval_set, offline_generator, report
    from commerce_platform.demo.retail import build_lake
    from commerce_platform.ports.query_engine import DuckDBEngine

    with tempfile.TemporaryDirectory() as tmp:
        lake = args.lake
        if lake is None:
            lake = Path(tmp) / "retail"
            build_lake(lake)
        data = load_eval_set()
        engine = DuckDBEngine(lake)
        results = evaluate(offline_generator(engine), engine, data["items"], date.fromisoformat(data["as_of"]))
        rep = report(results)
    if args.json:
        print(json.dumps(rep, indent=1))
        return 0
    print(f"offline parser execution accuracy: {rep['correct']}/{rep['total']} = {rep['accuracy']:.1%} "
          f"(as of {data['as_of']})")
    for split, c in rep["splits"].items():
        print(f"  split {split:9s} {c['correct']:3d}/{c['total']:3d}  {c['accuracy']:.1%}")
    for cat, c in rep["categories"].items():
        print(f"  {cat:15s} {c['correct']:3d}/{c['total']:3d}  {c['accuracy']:.0%}")
    if rep["misses"]:
        print("misses:")
        for m in rep["misses"]:
            print(f"  {m['id']} [{m['split']}/{m['category']}] {m['question']!r}: {m['error']}\n      sql: {m['sql']}")
    return 0 if rep["accuracy"] >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
