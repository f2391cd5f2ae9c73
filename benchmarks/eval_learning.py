"""Evaluate the offer learner.

1. The demo world: swap/rule precision and recall, and top-1 matching accuracy before and after
   learning (as before).
2. Replay over the blind seed-format worlds (benchmarks/worlds/seed_format_world.py): the training
   offers go through the agent in time order, one night per day; then each holdout offer is
   proposed and compared with the salesperson's final ERP offer. Prints the edit rate (share of
   lines the salesperson changed) of the AI's lines (no learning) and of the proposal (learning),
   and swap/rule precision and recall against world_truth.json, min/median/max over the seeds.

Usage: python benchmarks/eval_learning.py [--home DIR] [--seeds 10] [--offers 150] [--skip-demo] [--skip-replay]
"""

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

from commerce_platform.config import load_settings
from commerce_platform.wiring import run_learning

sys.path.insert(0, str(Path(__file__).resolve().parent / "worlds"))
import seed_format_world as world  # noqa: E402


def demo(home_arg: str | None) -> None:
    from commerce_platform.demo import build_all
    from commerce_platform.wiring import evaluate, run_learning

    home = home_arg or tempfile.mkdtemp(prefix="eval-learning-") + "/home"
    settings = load_settings(home)
    if not home_arg:
        build_all(settings, only=["offers"])
    run_learning(settings)
    report = evaluate(settings)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    m = report["matching"]
    print(f"\nswap precision {report['swap_precision']:.3f} (goal >= 0.95), recall {report['swap_recall']:.3f} (goal >= 0.90)")
    print(f"rule precision {report['rule_precision']:.3f}, recall {report['rule_recall']:.3f}")
    for name in ("corrected", "variants", "never_corrected"):
        print(f"top-1 {name:<16} before {m[name + '_before']:.3f} -> after {m[name + '_after']:.3f}")


# ---- replay over the blind worlds -------------------------------------------------------------

def replay(seed: int, offers: int, workdir: Path) -> dict:
    """Build world `seed`, replay its training offers night by night, score the holdout."""
    src = workdir / f"world{seed}"
    truth = world.build_world(src, seed, offers=offers)
    home = workdir / f"replay{seed}"
    (home / "erp" / "offers").mkdir(parents=True)
    shutil.copy(src / "erp" / "products.csv", home / "erp" / "products.csv")
    settings = load_settings(home)
    nights: dict[str, list[dict]] = {}
    for entry in sorted((e for e in truth["offers"] if e["split"] == "train"), key=lambda e: e["timestamp"]):
        nights.setdefault(entry["timestamp"][:10], []).append(entry)
    for day, entries in nights.items():
        for e in entries:
            for rel in (e["request_file"], e["erp_file"]):
                (home / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(src / rel, home / rel)
        run_learning(settings, today=date.fromisoformat(day))

    from commerce_platform.factory import erp as erp_factory
    from commerce_platform.factory import object_store
    from commerce_platform.offers.learnings import LearningSet

    catalog = erp_factory(settings).catalog()
    learnings = LearningSet.load(object_store(settings), settings.offers.bucket)
    proposer = _proposer(catalog, learnings)
    proposals = {}
    for e in truth["holdout_offers"]:
        request = json.loads((src / e["request_file"]).read_text(encoding="utf-8"))
        proposals[e["offer_number"]] = proposer(request)
    no_learning = world.score_holdout(truth, {})
    learned = world.score_holdout(truth, proposals)
    return {"seed": seed, "edit_rate_ai": no_learning["share_with_quantity"],
            "edit_rate_learned": learned["share_with_quantity"],
            "edit_rate_ai_codes": no_learning["share"], "edit_rate_learned_codes": learned["share"],
            **_learning_scores(truth, catalog, learnings)}


def _proposer(catalog, learnings):
    try:
        from commerce_platform.offers.propose import Proposer
    except ImportError:  # a learner from before `offers propose`: its learned term swaps, else the AI line
        from commerce_platform.offers.matching import Matcher

        matcher = Matcher(catalog, learnings)

        def propose_old(request: dict) -> list[dict]:
            out = []
            for item in request["ai_matched_products"]:
                hit = matcher.learned(item["match_details"]["original_customer_term"])
                exact = hit is not None and hit[1] == 1.0
                out.append({"product_code": hit[0].product_code if exact else item["product_code"],
                            "quantity": item["quantity"]})
            return out

        return propose_old
    proposer = Proposer(catalog, learnings)
    return lambda request: [{"product_code": line["product_code"], "quantity": line["quantity"]}
                            for line in proposer.propose(request)["lines"]]


def _term_key(catalog):
    try:
        from commerce_platform.offers.families import Families
    except ImportError:  # the older learner keyed swaps by the normalized term
        from commerce_platform.offers.normalize import normalize_term

        return normalize_term
    return Families(catalog).term_key


def _learning_scores(truth: dict, catalog, learnings) -> dict:
    """Precision/recall of the learned swaps and rules against the world's truth. A swap counts
    when its term, product and condition (none, or the same attribute, operator and value) agree."""
    key = _term_key(catalog)

    def cond(c) -> tuple | None:
        return None if not c else (c["attribute"], c["op"], float(c["value"]))

    true_swaps = {(key(s["customer_term"]), s["to_code"], cond(s["condition"])) for s in truth["swaps"]}
    planted = {(key(s["customer_term"]), s["to_code"], None) for s in truth["planted_swaps"]}
    learned = {(s.term, s.product_code, cond(getattr(s, "condition", None)))
               for s in learnings.swaps.values() if s.status != "rejected"}
    true_rules = set()
    for r in truth["rules"]:
        if r["kind"] == "brand_preference":
            true_rules.add(("brand", r["family_group"], r["prefer_brand"], r["over_brand"], None))
        else:
            true_rules.add(("length", r["family_group"], r["prefer"], r["over"], cond(r["condition"])))
    brands = {b for f in truth["catalog"]["families"] for b in f["brands"]}

    def pick(label: str) -> str:  # the brand is one word of a line's label ("TIGRIS K1")
        return next((w for w in label.split() if w in brands), label)

    got_rules = set()
    for r in learnings.written_rules():
        if r.status == "rejected":
            continue
        if r.kind == "prefer_length":
            got_rules.add(("length", r.group, r.preferred, r.over, cond(getattr(r, "condition", None))))
        else:
            got_rules.add(("brand", r.group, pick(r.preferred), pick(r.over), cond(getattr(r, "condition", None))))

    def ratio(a: int, b: int, empty: float) -> float:
        return a / b if b else empty

    return {"swap_precision": ratio(len(learned & true_swaps), len(learned), 0.0),
            "swap_recall": ratio(len(learned & true_swaps), len(true_swaps), 1.0),
            "planted_swap_recall": ratio(len(learned & planted), len(planted), 1.0),
            "rule_precision": ratio(len(got_rules & true_rules), len(got_rules), 0.0),
            "rule_recall": ratio(len(got_rules & true_rules), len(true_rules), 1.0),
            "learned_swaps": len(learned), "written_rules": len(got_rules)}


def replay_all(seeds: int, offers: int) -> None:
    logging.disable(logging.WARNING)  # the agent's per-night log lines would drown the table
    results = []
    with tempfile.TemporaryDirectory(prefix="eval-replay-") as tmp:
        for seed in range(seeds):
            r = replay(seed, offers, Path(tmp))
            results.append(r)
            print(f"seed {seed}: edit rate AI {r['edit_rate_ai']:.3f} -> learned {r['edit_rate_learned']:.3f}; "
                  f"swaps P {r['swap_precision']:.2f} R {r['swap_recall']:.2f} (planted R {r['planted_swap_recall']:.2f}); "
                  f"rules P {r['rule_precision']:.2f} R {r['rule_recall']:.2f}", flush=True)
    logging.disable(logging.NOTSET)
    print(f"\nreplay over {seeds} blind worlds ({offers} offers each, ~20% held out): min / median / max")
    for name, label in (("edit_rate_ai", "edit rate, no learning (AI lines)"),
                        ("edit_rate_learned", "edit rate, with learning (propose)"),
                        ("edit_rate_ai_codes", "  products only, no learning"),
                        ("edit_rate_learned_codes", "  products only, with learning"),
                        ("swap_precision", "swap precision"), ("swap_recall", "swap recall"),
                        ("planted_swap_recall", "planted term-swap recall"),
                        ("rule_precision", "rule precision"), ("rule_recall", "rule recall")):
        values = [r[name] for r in results]
        print(f"{label:<38} {min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="an existing demo home (default: build a fresh one)")
    parser.add_argument("--seeds", type=int, default=10, help="blind worlds to replay (default 10)")
    parser.add_argument("--offers", type=int, default=150, help="offers per blind world (default 150)")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-replay", action="store_true")
    args = parser.parse_args()
    if not args.skip_demo:
        demo(args.home)
    if not args.skip_replay:
        replay_all(args.seeds, args.offers)


if __name__ == "__main__":
    main()
