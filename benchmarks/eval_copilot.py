"""Execution accuracy of the copilot's offline parser, per set and per category.

    .venv/bin/python benchmarks/eval_copilot.py [--lake DIR] [--json] [--misses] [--sets dev2,dev3]

Sets: the shipped dev set and three more dev sets written blind (benchmarks/data/copilot_dev2.json,
copilot_dev3.json, copilot_dev4.json; all tuned on), two blind held-out sets (copilot_heldout.json and
copilot_heldout2.json, written by people who had not read the parser; never tune rules to them), and
sets with one adjacent-letter swap in one word ("typo"). Outcomes are counted apart: correct, silent wrong
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

DATA = Path(__file__).parent / "data"
# Set name -> file (None: the shipped dev set). Sets whose name starts with "heldout" are held out: never tune
# to them, and their misses are never printed or written.
SET_FILES: dict[str, Path | None] = {
    "dev": None, "dev2": DATA / "copilot_dev2.json", "dev3": DATA / "copilot_dev3.json",
    "dev4": DATA / "copilot_dev4.json", "heldout": DATA / "copilot_heldout.json",
    "heldout2": DATA / "copilot_heldout2.json",
}
SET_NAMES = (*SET_FILES, *(f"{name}-typo" for name in SET_FILES))
DEFAULT_SETS = tuple(n for n in SET_NAMES if (SET_FILES[n.removesuffix("-typo")] or DATA).exists())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lake", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="print every miss of every dev set (never the held-out's)")
    ap.add_argument("--sets", default=",".join(DEFAULT_SETS),
                    help=f"comma-separated sets to run, from {', '.join(SET_NAMES)} (default: all whose file exists)")
    args = ap.parse_args(argv)
    chosen = [name.strip() for name in args.sets.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(SET_NAMES))
    if unknown:
        ap.error(f"unknown set(s) {', '.join(unknown)}; choose from {', '.join(SET_NAMES)}")
    missing = [n for n in chosen if (path := SET_FILES[n.removesuffix("-typo")]) is not None and not path.exists()]
    if missing:
        ap.error(f"set(s) {', '.join(missing)} have no file in {DATA}; run without --sets to use those present")
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
        for name in chosen:
            data = load_eval_set(SET_FILES[name.removesuffix("-typo")])
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
    held = [rep for name, rep in reports.items() if name in ("heldout", "heldout2")]
    ok = all(r["accuracy"] >= 0.9 and r["silent_wrong"] <= 0.02 * r["total"] for r in held)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
