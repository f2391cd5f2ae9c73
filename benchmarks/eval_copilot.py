"""Execution accuracy of the copilot's offline parser, per set and per category.

    .venv/bin/python benchmarks/eval_copilot.py [--lake DIR] [--json] [--misses]

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
DEV2 = Path(__file__).parent / "data" / "copilot_dev2.json"
DEV3 = Path(__file__).parent / "data" / "copilot_dev3.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lake", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="print every miss of every set")
    args = ap.parse_args(argv)
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
        dev, dev2, dev3, heldout = load_eval_set(), load_eval_set(DEV2), load_eval_set(DEV3), load_eval_set(HELDOUT)
        sets = {"dev": dev, "dev2": dev2, "dev3": dev3, "heldout": heldout,
                "dev-typo": {**dev, "items": typo_items(dev["items"])},
                "heldout-typo": {**heldout, "items": typo_items(heldout["items"])}}
        for name, data in sets.items():
            reports[name] = report(evaluate(generate, engine, data["items"], date.fromisoformat(data["as_of"])))
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
    held = reports["heldout"]
    ok = held["accuracy"] >= 0.9 and held["silent_wrong"] <= 0.02 * held["total"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
