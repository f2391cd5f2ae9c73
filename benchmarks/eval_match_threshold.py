"""Score distribution of `offers match` for real customer terms vs nonsense, to place the no-match threshold.

Builds the offers demo world in a throwaway home, takes every customer term of its offer requests
(what customers really wrote, each with the product the salesperson finally sold) and a fixed list
of nonsense / off-catalog terms, and prints the top-1 score of each side, with and without the
learnings of a `learn run`, and how many of each side a threshold keeps.

    .venv/bin/python benchmarks/eval_match_threshold.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

# Gibberish, typos of nothing, and things a plumbing wholesaler does not sell (English and Finnish).
NONSENSE = [
    "xyzzy", "asdf", "qwerty", "foo bar", "lorem ipsum", "zzz", "abc", "test", "hello", "banana",
    "laptop charger", "office chair", "coffee maker", "printer paper", "bicycle helmet", "winter tyres",
    "kahvinkeitin", "polkupyörä", "tulostinpaperi", "talvirenkaat", "villasukat", "kissanruoka", "sohva",
    "puhelimen laturi", "näyttö 27 tuumaa", "usb kaapeli 2m", "led lamppu e27", "maali valkoinen 10l",
]

# Real but vague: one generic word of the trade, no size. A list of candidates is a fair answer.
VAGUE = ["pumppu", "putki", "kupari", "venttiili", "mittari", "kaivo", "kannake", "komposiittiputki", "vesimittari",
         "kiertovesipumppu", "lattiakaivo", "palloventtiili"]


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import logging

    logging.disable(logging.WARNING)
    from commerce_platform.config import load_settings
    from commerce_platform.demo import offers as demo
    from commerce_platform.factory import object_store
    from commerce_platform.offers.matching import NO_MATCH_BELOW, Matcher
    from commerce_platform.wiring import load_matcher, run_learning

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(Path(tmp) / "home")
        demo.build(settings)
        store = object_store(settings)
        terms: set[str] = set()
        keys = [o.key for page in store.list_pages(settings.offers.bucket, "offer-requests/") for o in page]
        for key in keys:
            try:
                doc = json.loads(store.get_bytes(settings.offers.bucket, key))
            except ValueError:
                continue  # the demo's deliberately truncated request
            for line in doc.get("ai_matched_products", []):
                term = (line.get("match_details") or {}).get("original_customer_term")
                if term and term != "vanha rivi":
                    terms.add(term)
        catalog_only = Matcher(load_matcher(settings).catalog)
        run_learning(settings)
        learned = load_matcher(settings)
        result = {}
        for name, matcher in (("catalog only", catalog_only), ("with learnings", learned)):
            good = [matcher.best_score(t) for t in sorted(terms)]
            bad = [matcher.best_score(t) for t in NONSENSE]
            vague = [matcher.best_score(t) for t in VAGUE]
            result[name] = {
                "good": {"n": len(good), "min": min(good), "p05": percentile(good, 0.05), "median": percentile(good, 0.5)},
                "nonsense": {"n": len(bad), "max": max(bad), "p95": percentile(bad, 0.95), "median": percentile(bad, 0.5),
                             "worst": max(zip(bad, NONSENSE, strict=True))[1]},
                "vague": {"n": len(vague), "min": min(vague), "worst": min(zip(vague, VAGUE, strict=True))[1]},
                "threshold": NO_MATCH_BELOW,
                "vague_kept": sum(v >= NO_MATCH_BELOW for v in vague),
                "good_kept": sum(g >= NO_MATCH_BELOW for g in good),
                "nonsense_refused": sum(b < NO_MATCH_BELOW for b in bad),
            }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for name, r in result.items():
        g, b = r["good"], r["nonsense"]
        print(f"{name}: real terms (n={g['n']}) top score min {g['min']:.3f}, p05 {g['p05']:.3f}, median {g['median']:.3f}; "
              f"nonsense (n={b['n']}) max {b['max']:.3f} ({b['worst']!r}), p95 {b['p95']:.3f}, median {b['median']:.3f}")
        print(f"  vague real words (n={r['vague']['n']}) min {r['vague']['min']:.3f} ({r['vague']['worst']!r})")
        print(f"  threshold {r['threshold']}: real terms matched {r['good_kept']}/{g['n']}, "
              f"vague words matched {r['vague_kept']}/{r['vague']['n']}, "
              f"nonsense answered 'no good match' {r['nonsense_refused']}/{b['n']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
