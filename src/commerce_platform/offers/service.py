"""Service entry points of the offers service (CLI, Lambda and console call these through ``wiring``,
which hands in the object store and the ERP)."""

from __future__ import annotations

from dataclasses import asdict

from ..config import Settings
from ..errors import ValidationFailed
from .learnings import LearningSet, RuleLearning, SwapLearning


def list_learnings(settings: Settings, status: str | None = None, *, store) -> dict:
    ls = LearningSet.load(store, settings.offers.bucket)
    swaps = [swap_view(s) for s in ls.sorted_swaps() if status in (None, s.status)]
    rules = [rule_view(r) for r in ls.written_rules() if status in (None, r.status)]
    return {"swaps": swaps, "rules": rules}


def swap_view(s: SwapLearning) -> dict:
    return {"id": s.id, "customer_term": s.term, "product_code": s.product_code, "product_name": s.product_name,
            "confidence": s.confidence, "evidence_count": len(s.evidence), "status": s.status,
            "match_type": s.match_type, "timestamp": s.timestamp, "reasoning": s.reasoning,
            "evidence": [asdict(e) for e in s.evidence.values()]}


def rule_view(r: RuleLearning) -> dict:
    return {"id": r.id, "rule": r.text, "day": r.day, "kind": r.kind, "group": r.group,
            "support": len(r.support), "status": r.status}


def review(settings: Settings, learning_id: str, status: str, *, store) -> dict:
    ls = LearningSet.load(store, settings.offers.bucket)
    item = ls.set_status(learning_id, status)
    ls.save(store, settings.offers.bucket)
    return swap_view(item) if isinstance(item, SwapLearning) else rule_view(item)


def edit_swap(settings: Settings, learning_id: str, product_code: str, *, store, erp) -> dict:
    catalog = {p.product_code: p for p in erp.catalog()}
    if product_code not in catalog:
        raise ValidationFailed(f"product {product_code!r} is not in the catalog", field="product_code")
    ls = LearningSet.load(store, settings.offers.bucket)
    new = ls.edit_swap(learning_id, product_code, catalog[product_code].product_name)
    ls.save(store, settings.offers.bucket)
    return swap_view(new)


def match_term(settings: Settings, term: str, k: int = 5, *, store, erp) -> dict:
    from .matching import load_matcher, match_result

    if not term.strip():
        raise ValidationFailed("the term is empty", field="term", hint="give a product description like 'kupariputki 15mm'")
    if k < 1 or k > 100:
        raise ValidationFailed("k must be between 1 and 100", field="k")
    matcher = load_matcher(settings, store=store, erp=erp)
    return match_result(matcher, term, k)


def read_request_file(path: str) -> object:
    """The JSON of an offer request file; a missing or unreadable file is one clear error."""
    import json
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        raise ValidationFailed(f"request file {path} does not exist",
                               hint="give the path of an offer request JSON (offer-requests/<n>_<stamp>.json)")
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValidationFailed(f"{path} is not UTF-8 text", hint="give an offer request JSON file") from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"{path} is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}",
                               hint="fix the file or export the request again") from None


def propose_offer(settings: Settings, request: object, *, store, erp) -> dict:
    """The whole-offer proposal for a request (format 5.1 or its lines): what the CLI and a Lambda call."""
    from .propose import load_proposer

    return load_proposer(settings, store=store, erp=erp).propose(request)
