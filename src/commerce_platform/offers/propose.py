"""Whole-offer proposal: an offer request's lines with the learned swaps and rules applied.

For each request line, in order:
1. a learned swap for the customer's term (spellings of one size are one term) whose condition
   holds for the line -> source "learned";
2. else the written rules of the product's family (brand, then section length) whose conditions
   hold -> source "rule";
3. else the AI's product as it is -> source "ai" (a line without a product is matched against the
   catalog -> source "catalog").
A change of section length keeps the run: 10 x 3 m becomes ceil(10 * 3 / 5) = 6 x 5 m.
Rejected learnings are never applied. The CLI (``commerce offers propose``) and a Lambda call this.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError

from ..errors import ValidationFailed
from .conditions import describe, holds
from .extract import customer_name
from .families import Families, ProductAttrs
from .learnings import LearningSet, RuleLearning, SwapLearning
from .matching import Matcher
from .models import AiMatchedProduct, CatalogProduct
from .normalize import normalize_term


def parse_request(doc: Any) -> tuple[str, str, list[AiMatchedProduct]]:
    """(offer_number, customer, lines) from a format 5.1 request, or just its ai_matched_products
    list. Raises ValidationFailed naming the field that is wrong."""
    if isinstance(doc, list):
        doc = {"ai_matched_products": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("ai_matched_products"), list):
        raise ValidationFailed("the request has no 'ai_matched_products' list",
                               hint="give an offer request (format 5.1) or its ai_matched_products lines")
    lines = []
    for i, item in enumerate(doc["ai_matched_products"]):
        if isinstance(item, dict) and not item.get("product_code"):
            item = {**item, "product_code": ""}  # a line the AI could not match: the catalog decides
        try:
            lines.append(AiMatchedProduct.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(map(str, err["loc"]))
            raise ValidationFailed(f"ai_matched_products[{i}]{'.' + where if where else ''}: {err['msg']}",
                                   hint="each line needs product_code or match_details.original_customer_term, "
                                        "and a numeric quantity") from exc
    return str(doc.get("offer_number") or ""), customer_name(doc.get("customer")), lines


class Proposer:
    def __init__(self, catalog: list[CatalogProduct], learnings: LearningSet | None = None) -> None:
        learnings = learnings or LearningSet()
        self.by_code = {p.product_code: p for p in catalog}
        self.families = Families(catalog)
        self.matcher = Matcher(catalog, learnings)
        self.swaps: dict[str, list[SwapLearning]] = {}
        for s in learnings.swaps.values():
            if s.status != "rejected" and s.product_code in self.by_code:
                self.swaps.setdefault(s.term, []).append(s)
        self.rules: dict[tuple[str, str, str], RuleLearning] = {}
        for r in learnings.written_rules():
            if r.status != "rejected":
                self.rules[(r.kind, r.group, r.over)] = r

    def propose(self, request: Any) -> dict:
        offer_number, customer, lines = parse_request(request)
        return {"offer_number": offer_number, "lines": [self._line(line, customer) for line in lines]}

    # ---- one line -----------------------------------------------------------------------------
    def _line(self, line: AiMatchedProduct, customer: str) -> dict:
        term = line.customer_term
        product = self.by_code.get(line.product_code)
        qty = line.quantity
        source, reason = "ai", "no learning applies: the AI's product"
        if product is None:  # no product, or one the catalog does not have: match the term
            if not term.strip():
                raise ValidationFailed(f"line with product {line.product_code!r} is not in the catalog and has "
                                       "no customer term to match", field="ai_matched_products")
            best = self.matcher.match(term, 1)
            if not best:
                raise ValidationFailed("the catalog is empty", hint="load products into the ERP first")
            product = self.by_code[best[0].product_code]
            source, reason = ("learned" if best[0].source == "learned" else "catalog"), "matched from the customer's term"
        features = self._features(product, qty, customer)
        swap = self._swap(term, features)
        if swap is not None and swap.product_code != product.product_code:
            new = self.by_code[swap.product_code]
            qty = self._keep_run(product, new, qty)
            when = f" ({describe(swap.condition)})" if swap.condition else ""
            product, source = new, "learned"
            reason = f"learned swap for '{swap.term}'{when}, {len(swap.evidence)} offers"
        elif swap is None:
            applied = []
            for kind in ("prefer_brand", "prefer_length"):
                changed = self._rule(kind, product, term, self._features(product, qty, customer))
                if changed is not None:
                    rule, new = changed
                    qty = self._keep_run(product, new, qty)
                    product = new
                    applied.append(rule.text)
            if applied:
                source, reason = "rule", "; ".join(applied)
        return {"customer_term": term, "quantity": qty, "unit": line.unit or product.unit,
                "product_code": product.product_code, "product_name": product.product_name,
                "source": source, "reason": reason}

    def _features(self, product: CatalogProduct, qty: float, customer: str) -> dict:
        attrs = self.families.attrs(product.product_code)
        run = qty * attrs.length_m if attrs is not None and attrs.length_m else None
        return {"quantity": qty, "run_length_m": run, "customer": customer}

    def _swap(self, term: str, features: dict) -> SwapLearning | None:
        if not term.strip():
            return None
        candidates = self.swaps.get(self.families.term_key(term)) or self.swaps.get(normalize_term(term)) or []
        usable = [s for s in candidates if holds(s.condition, features)]
        if not usable:
            return None
        return max(usable, key=lambda s: (s.status == "approved", s.match_type == "reviewer_edit",
                                          len(s.evidence), s.timestamp, s.product_code))

    def _rule(self, kind: str, product: CatalogProduct, term: str, features: dict):
        a = self.families.attrs(product.product_code)
        if a is None:
            return None
        over = a.brand if kind == "prefer_brand" else a.length_label
        rule = self.rules.get((kind, a.group, over))
        if rule is None or not holds(rule.condition, features):
            return None
        if kind == "prefer_brand":
            words = set(normalize_term(term).split())
            if words & set(normalize_term(a.brand).split()):
                return None  # the customer asked for this brand
            new = self.families.find(a.group, rule.preferred, a.size, a.length_label)
        else:
            new = self.families.find(a.group, a.brand, a.size, rule.preferred)
        return (rule, new) if new is not None and new.product_code != product.product_code else None

    def _keep_run(self, old: CatalogProduct, new: CatalogProduct, qty: float) -> float:
        """Sections of another length: as many as cover the same run (10 x 3 m -> 6 x 5 m)."""
        a, b = self.families.attrs(old.product_code), self.families.attrs(new.product_code)
        if a is None or b is None or not a.length_m or not b.length_m or not _lengths(a, b) or not qty:
            return qty
        return math.ceil(round(qty * a.length_m / b.length_m, 9))


def _lengths(a: ProductAttrs | None, b: ProductAttrs | None) -> bool:
    return bool(a and b and a.length_m and b.length_m and a.length_m != b.length_m)


def load_proposer(settings, *, store, erp) -> Proposer:
    return Proposer(erp.catalog(), LearningSet.load(store, settings.offers.bucket))
