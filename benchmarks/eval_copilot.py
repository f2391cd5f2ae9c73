"""Execution accuracy of the copilot's offline parser, per set and per category.

    .venv/bin/python benchmarks/eval_copilot.py [--lake DIR] [--json] [--misses] [--sets dev2,dev3]

Sets: the shipped dev set and two more dev sets written blind (benchmarks/data/copilot_dev2.json,
copilot_dev3.json; all tuned on), the blind held-out set (benchmarks/data/copilot_heldout.json,
written by someone who had not read the parser; never tune rules to it), and both sets with one
adjacent-letter swap in one word ("typo"). Outcomes are counted apart: correct, silent wrong
(rows returned, but the wrong ones: the failure that misleads) and refused ("not understood").
Without --lake it builds the scale-1 demo lake into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

HELDOUT = Path(__file__).parent / "data" / "copilot_heldout.json"
SET_NAMES = ("dev", "dev2", "dev3", "heldout", "dev-typo", "heldout-typo")
DEV2 = Path(__file__).parent / "data" / "copilot_dev2.json"
DEV3 = Path(__file__).parent / "data" / "copilot_dev3.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lake", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="print every miss of every dev set (never the held-out's)")
    ap.add_argument("--sets", default=",".join(SET_NAMES),
                    help=f"comma-separated sets to run (default: all of {', '.join(SET_NAMES)})")
    args = ap.parse_args(argv)
    chosen = [name.strip() for name in args.sets.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(SET_NAMES))
    if unknown:
        ap.error(f"unknown set(s) {', '.join(unknown)}; choose from {', '.join(SET_NAMES)}")
    from commerce_platform.copilot.evaluation import (
        evaluate,
        load_eval_set,
        offline_generator,
        report,
        typo_items,
    )
    from commerce_platform.demo.retail import build_lake
    from commerce_platform.ports.query_engine import DuckDBEngine

    reports = {}
    with tempfile.TemporaryDirectory() as tmp:
        lake = args.lake
        if lake is None:
            lake = Path(tmp) / "retail"
            build_lake(lake)
        engine = DuckDBEngine(lake)
        generate = offline_generator(engine)
        loaders = {"dev": load_eval_set, "dev2": lambda: load_eval_set(DEV2), "dev3": lambda: load_eval_set(DEV3),
                   "heldout": lambda: load_eval_set(HELDOUT)}
        for name in chosen:
            data = loaders[name.removesuffix("-typo")]()
            items = typo_items(data["items"]) if name.endswith("-typo") else data["items"]
            reports[name] = report(evaluate(generate, engine, items, date.fromisoformat(data["as_of"])))
            if name.startswith("heldout"):  # its misses are never shown: nobody may tune to them
                reports[name]["misses"] = []
    if args.json:
        print(json.dumps(reports, indent=1))
        return 0
    for name, rep in reports.items():
        n = rep["total"]
        print(f"{name:13s} accuracy {rep['correct']:3d}/{n:3d} = {rep['accuracy']:.1%}   silent wrong "
              f"{rep['silent_wrong']:3d} ({rep['silent_wrong'] / n:.1%})   refused {rep['refused']:3d}")
        for cat, c in rep["by_category"].items():
            print(f"    {cat:15s} {c['correct']:3d}/{c['total']:3d} {c['accuracy']:6.1%}   silent wrong "
                  f"{c['silent_wrong']:3d}   refused {c['refused']:3d}")
        if args.misses:
            for m in rep["misses"]:
                print(f"  [{m['outcome']}] {m['id']} {m['question']!r}: {m['error']}\n      sql: {m['sql']}")
    held = reports.get("heldout")
    if held is None:
        return 0
    ok = held["accuracy"] >= 0.9 and held["silent_wrong"] <= 0.02 * held["total"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
