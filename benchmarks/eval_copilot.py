"""Execution accuracy of the copilot's offline parser, per set and per category.

    .venv/bin/python benchmarks/eval_copilot.py [--lake DIR] [--json] [--misses] [--sets dev2,dev3] [--typo-seeds 10]

Sets: the shipped dev set and fifty-seven more dev sets written blind (benchmarks/data/copilot_dev2.json ...
copilot_dev58.json; all tuned on), seventeen blind held-out sets (copilot_heldout.json ... copilot_heldout17.json,
written by people who had not read the parser; never tune rules to them, never print their misses), and
sets with one adjacent-letter swap in one word ("typo"). Outcomes are counted apart: correct, silent wrong
(rows returned, but the wrong ones: the failure that misleads) and refused ("not understood").
Without --lake it builds the scale-1 demo lake into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

DATA = Path(__file__).parent / "data"
# Set name -> file (None: the shipped dev set). Sets whose name starts with "heldout" are held out: never tune
# to them, and their misses are never printed or written.
SET_FILES: dict[str, Path | None] = {
    "dev": None, "dev2": DATA / "copilot_dev2.json", "dev3": DATA / "copilot_dev3.json",
    "dev4": DATA / "copilot_dev4.json", "dev5": DATA / "copilot_dev5.json",
    **{f"dev{n}": DATA / f"copilot_dev{n}.json" for n in range(6, 59)}, "heldout": DATA / "copilot_heldout.json",
    "heldout2": DATA / "copilot_heldout2.json", "heldout3": DATA / "copilot_heldout3.json",
    "heldout4": DATA / "copilot_heldout4.json", "heldout5": DATA / "copilot_heldout5.json",
    "heldout6": DATA / "copilot_heldout6.json", "heldout7": DATA / "copilot_heldout7.json",
    "heldout8": DATA / "copilot_heldout8.json", "heldout9": DATA / "copilot_heldout9.json",
    "heldout10": DATA / "copilot_heldout10.json", "heldout11": DATA / "copilot_heldout11.json",
    "heldout12": DATA / "copilot_heldout12.json", "heldout13": DATA / "copilot_heldout13.json",
    "heldout14": DATA / "copilot_heldout14.json", "heldout15": DATA / "copilot_heldout15.json",
    "heldout16": DATA / "copilot_heldout16.json", "heldout17": DATA / "copilot_heldout17.json",
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
    ap.add_argument("--typo-seeds", type=int, default=1, metavar="N",
                    help="run each -typo set with N different swaps per question (seeds 0..N-1) and print "
                         "min/median/max over them; seed 0 is the one shown in full")
    args = ap.parse_args(argv)
    if args.typo_seeds < 1:
        ap.error("--typo-seeds must be at least 1")
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
            as_of = date.fromisoformat(data["as_of"])
            if not name.endswith("-typo"):
                reports[name] = report(evaluate(generate, engine, data["items"], as_of))
                continue
            runs = [report(evaluate(generate, engine, typo_items(data["items"], seed), as_of))
                    for seed in range(args.typo_seeds)]
            reports[name] = runs[0]
            if len(runs) > 1:
                reports[name]["seeds"] = {
                    key: {"min": min(vals), "median": statistics.median(vals), "max": max(vals)}
                    for key in ("accuracy", "silent_wrong_rate")
                    for vals in [[r["accuracy"] if key == "accuracy" else r["silent_wrong"] / r["total"]
                                  for r in runs]]}
                reports[name]["seeds"]["n"] = len(runs)
            if name.startswith("heldout"):  # its misses are never shown: nobody may tune to them
                reports[name]["misses"] = []
    if args.json:
        print(json.dumps(reports, indent=1))
        return 0
    for name, rep in reports.items():
        n = rep["total"]
        print(f"{name:13s} accuracy {rep['correct']:3d}/{n:3d} = {rep['accuracy']:.1%}   silent wrong "
              f"{rep['silent_wrong']:3d} ({rep['silent_wrong'] / n:.1%})   refused {rep['refused']:3d}")
        if "seeds" in rep:
            acc, sw = rep["seeds"]["accuracy"], rep["seeds"]["silent_wrong_rate"]
            print(f"    over {rep['seeds']['n']} typo seeds: accuracy min/median/max {acc['min']:.1%} / "
                  f"{acc['median']:.1%} / {acc['max']:.1%}   silent wrong {sw['min']:.1%} / {sw['median']:.1%} / "
                  f"{sw['max']:.1%}")
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
