"""Score the learner on the demo world's ground truth (``<home>/demo/offers_truth.json``).

Used by ``benchmarks/eval_learning.py`` and notebook 01: swap precision/recall, rule
precision/recall, top-1 matching accuracy before and after learning on corrected terms, their
spelling variants, and terms that were never corrected.
"""

from __future__ import annotations

import json
import re

from .learnings import LearningSet
from .matching import Matcher


def spelling_variants(term: str) -> list[str]:
    """Ways people write the same term: case, spacing of units, 'dn 15', a dropped last letter."""
    out = {term.upper(), term.title()}
    out.add(re.sub(r"(\d+)(mm|m)\b", r"\1 \2", term))
    out.add(re.sub(r"\bdn(\d+)", r"DN \1", term))
    words = term.split()
    if words and len(words[0]) > 6:
        out.add(" ".join([words[0][:-1], *words[1:]]))  # typo: last letter missing
    out.discard(term)
    return sorted(out)


def evaluate(settings, *, store, erp) -> dict:
    truth = json.loads((settings.paths.root / "demo" / "offers_truth.json").read_text(encoding="utf-8"))
    learnings = LearningSet.load(store, settings.offers.bucket)
    catalog = erp.catalog()

    true_pairs = {(s["customer_term"], s["final_code"]) for s in truth["swaps"]}
    learned_pairs = set(learnings.swaps)
    tp = learned_pairs & true_pairs
    swap_precision = len(tp) / len(learned_pairs) if learned_pairs else 0.0
    swap_recall = len(tp) / len(true_pairs) if true_pairs else 1.0
    rules = {r.text for r in learnings.written_rules()}
    expected_rules = set(truth["expected_rules"])
    rule_precision = len(rules & expected_rules) / len(rules) if rules else 0.0
    rule_recall = len(rules & expected_rules) / len(expected_rules) if expected_rules else 1.0

    before, after = Matcher(catalog), Matcher(catalog, learnings)

    def top1(matcher: Matcher, cases: dict[str, str]) -> tuple[float, list[dict]]:
        misses = []
        for term, code in cases.items():
            got = matcher.match(term, 1)
            if not got or got[0].product_code != code:
                misses.append({"term": term, "expected": code, "got": got[0].product_code if got else None})
        return (1 - len(misses) / len(cases)) if cases else 1.0, misses

    corrected = truth["corrected_terms"]
    variants = {v: code for term, code in corrected.items() for v in spelling_variants(term)}
    # Terms never corrected: AI lines the salespeople kept, whose terms no correction ever touched.
    kept = _kept_terms(store, settings.offers.bucket, erp, set(corrected))
    acc = {}
    misses = {}
    for name, cases in (("corrected", corrected), ("variants", variants), ("never_corrected", kept)):
        acc[f"{name}_before"], _ = top1(before, cases)
        acc[f"{name}_after"], misses[name] = top1(after, cases)
    return {
        "swap_precision": round(swap_precision, 4), "swap_recall": round(swap_recall, 4),
        "learned_swaps": len(learned_pairs), "true_swap_pairs": len(true_pairs),
        "false_swaps": sorted(f"{t} -> {c}" for t, c in learned_pairs - true_pairs),
        "missed_swaps": sorted(f"{t} -> {c}" for t, c in true_pairs - learned_pairs),
        "rule_precision": round(rule_precision, 4), "rule_recall": round(rule_recall, 4),
        "rules": sorted(rules),
        "matching": {k: round(v, 4) for k, v in acc.items()},
        "cases": {"corrected": len(corrected), "variants": len(variants), "never_corrected": len(kept)},
        "misses_after": misses,
    }


def _kept_terms(store, bucket, erp, corrected: set[str]) -> dict[str, str]:
    from ..errors import CommerceError
    from .normalize import normalize_term
    from .requests import load_request, newest_requests

    kept: dict[str, str] = {}
    for ref in newest_requests(store, bucket):
        try:
            request = load_request(store, bucket, ref)
            final_codes = {r.product_code for r in erp.get_offer(ref.offer_number).rows}
        except CommerceError:  # the demo's deliberately bad offers
            continue
        for line in request.ai_matched_products:
            term = normalize_term(line.customer_term)
            if term and term not in corrected and line.product_code in final_codes:
                kept.setdefault(term, line.product_code)
    return kept
