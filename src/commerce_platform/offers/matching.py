"""Match a customer's term to catalog products, learned swaps first.

1. Learned swap for the exact normalized term (approved before pending; more evidence wins a tie
   between contradicting swaps; rejected learnings are never applied).
2. Learned swap for a close variant: same size and length tokens, similar words.
3. Catalog ranking: word similarity + size/length/brand tokens, nudged by general rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from .learnings import LearningSet, RuleLearning, SwapLearning
from .models import CatalogProduct
from .normalize import (
    char_ngrams,
    implied_sizes,
    jaccard,
    length_tokens,
    normalize_term,
    number_tokens,
    size_tokens,
    spec_tokens,
    word_tokens,
)

VARIANT_MIN_SIMILARITY = 0.55
# Below this top score `offers match` answers "no good match" instead of listing the least bad
# products. Placed from benchmarks/eval_match_threshold.py on the demo world: nonsense and off-catalog
# terms ("xyzzy", "coffee maker", "puhelimen laturi") top out at 0.064 (shared letter trigrams only);
# real customer terms score at least 0.32, and even one vague word of the trade ("pumppu", "putki")
# 0.14. 0.10 sits in that gap. A term sharing only a size ("banana 22mm") still matches by the size.
NO_MATCH_BELOW = 0.10


@dataclass
class Match:
    product_code: str
    product_name: str
    score: float
    source: str  # "learned" | "catalog"

    def as_dict(self) -> dict:
        return {"product_code": self.product_code, "product_name": self.product_name,
                "score": round(self.score, 4), "source": self.source}


def _word_grams(text: str) -> frozenset[str]:
    return char_ngrams(" ".join(word_tokens(text)))


class Matcher:
    def __init__(self, catalog: list[CatalogProduct], learnings: LearningSet | None = None) -> None:
        self.catalog = catalog
        self.by_code = {p.product_code: p for p in catalog}
        self._prepared = [(p, _word_grams(p.product_name), size_tokens(p.product_name),
                           length_tokens(p.product_name), set(word_tokens(p.product_name)),
                           number_tokens(p.product_name)) for p in catalog]
        learnings = learnings or LearningSet()
        self.swaps_by_term: dict[str, list[SwapLearning]] = {}
        for s in learnings.swaps.values():
            if s.status != "rejected":
                self.swaps_by_term.setdefault(s.term, []).append(s)
        self.rules: list[RuleLearning] = [r for r in learnings.rules.values() if r.day and r.status != "rejected"]
        self._learned_terms = [(t, _word_grams(t), spec_tokens(t)) for t in self.swaps_by_term]

    # -- learned --------------------------------------------------------------------------
    @staticmethod
    def _best(swaps: list[SwapLearning]) -> SwapLearning:
        return max(swaps, key=lambda s: (s.status == "approved", s.match_type == "reviewer_edit",
                                         len(s.evidence), s.timestamp, s.product_code))

    def learned(self, term: str) -> tuple[SwapLearning, float] | None:
        norm = normalize_term(term)
        if norm in self.swaps_by_term:
            return self._best(self.swaps_by_term[norm]), 1.0
        grams, specs = _word_grams(norm), spec_tokens(norm)
        best: tuple[float, str] | None = None
        for t, t_grams, t_specs in self._learned_terms:
            if t_specs != specs:  # 15mm is never a variant of 22mm, nor 3m of 5m
                continue
            sim = jaccard(grams, t_grams)
            if sim >= VARIANT_MIN_SIMILARITY and (best is None or sim > best[0]):
                best = (sim, t)
        if best is None:
            return None
        return self._best(self.swaps_by_term[best[1]]), best[0]

    # -- catalog --------------------------------------------------------------------------
    def _rule_bonus(self, product: CatalogProduct, term_lengths: frozenset[str]) -> float:
        bonus = 0.0
        words = {w.upper() for w in word_tokens(product.product_name)}
        lengths = {t.upper() for t in length_tokens(product.product_name)}
        for r in self.rules:
            if r.group != product.product_group.upper():
                continue
            if r.kind == "prefer_brand":
                bonus += 0.02 if r.preferred in words else (-0.02 if r.over in words else 0.0)
            elif r.kind == "prefer_length" and not term_lengths:
                bonus += 0.02 if r.preferred in lengths else (-0.02 if r.over in lengths else 0.0)
        return bonus

    def catalog_scores(self, term: str) -> list[Match]:
        norm = normalize_term(term)
        grams, sizes, lengths = _word_grams(norm), size_tokens(norm), length_tokens(norm)
        words, numbers = set(word_tokens(norm)), number_tokens(norm)
        out = []
        for p, p_grams, p_sizes, p_lengths, p_words, p_numbers in self._prepared:
            score = 0.6 * jaccard(grams, p_grams) if grams else 0.0
            if sizes:
                score += 0.25 if sizes & p_sizes else -0.25
            elif numbers and implied_sizes(norm) & p_sizes:  # "vesimittari 20" means DN20
                score += 0.15
            if lengths & p_lengths:
                score += 0.05
            if numbers:
                score += 0.1 * len(numbers & p_numbers) / len(numbers)
            brand_hits = len(words & p_words - set(word_tokens(p.product_group)))
            score += 0.1 * min(brand_hits, 1)
            score += self._rule_bonus(p, lengths)
            out.append(Match(p.product_code, p.product_name, max(0.0, min(1.0, score)), "catalog"))
        out.sort(key=lambda m: (-m.score, m.product_code))
        return out

    def best_score(self, term: str) -> float:
        top = self.match(term, 1)
        return top[0].score if top else 0.0

    def match(self, term: str, k: int = 5) -> list[Match]:
        results: list[Match] = []
        hit = self.learned(term)
        if hit:
            swap, sim = hit
            results.append(Match(swap.product_code, swap.product_name, round(swap.confidence * sim, 4), "learned"))
        seen = {m.product_code for m in results}
        for m in self.catalog_scores(term):
            if len(results) >= k:
                break
            if m.product_code not in seen:
                results.append(m)
                seen.add(m.product_code)
        return results[:k]


def match_result(matcher: Matcher, term: str, k: int = 5) -> dict:
    """The `offers match` document: {"term", "matches"}, or "matches": [] and a "note" when even the
    best candidate scores below NO_MATCH_BELOW (listing the least bad products would read as a match)."""
    matches = matcher.match(term, k)
    best = matches[0].score if matches else 0.0
    if best < NO_MATCH_BELOW:
        return {"term": term, "matches": [],
                "note": f"no good match for {term!r}: the best catalog score is {best:.2f}, below {NO_MATCH_BELOW} "
                        "(nothing in the catalog shares its words or sizes); try the product's name, size or code"}
    return {"term": term, "matches": [m.as_dict() for m in matches]}


def load_matcher(settings, *, store, erp) -> Matcher:
    return Matcher(erp.catalog(), LearningSet.load(store, settings.offers.bucket))
