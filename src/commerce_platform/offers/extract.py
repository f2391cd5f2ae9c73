"""Extract learnings from a diffed offer: deterministic offline extractor, and an LLM extractor
whose JSON is validated (schema + product codes that exist) and falls back to the offline result."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field, ValidationError

from ..errors import CommerceError, ValidationFailed
from ..logs import get_logger
from ..ports.llm import LLM, complete_json
from .diff import Change
from .models import CatalogProduct, ErpOffer, OfferRequest
from .normalize import length_tokens, normalize_term, size_tokens, word_tokens

log = get_logger("offers.extract")


@dataclass
class SwapObservation:
    term: str
    ai_code: str
    ai_name: str
    final_code: str
    final_name: str
    ai_quantity: float | None
    final_quantity: float | None
    reasoning: str


@dataclass
class RuleObservation:
    kind: str
    group: str
    preferred: str
    over: str


@dataclass
class Extraction:
    swaps: list[SwapObservation] = field(default_factory=list)
    rules: list[RuleObservation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    extractor: str = "offline"


def _variant_tokens(name: str, group: str) -> list[str]:
    group_words = set(normalize_term(group).split())
    return [t for t in word_tokens(name) if t not in group_words]


def rule_from_swap(ai_name: str, final_name: str, group: str) -> RuleObservation | None:
    """A swap that changes exactly one attribute can generalize: brand, or section length."""
    if not group or size_tokens(ai_name) != size_tokens(final_name):
        return None
    a_var, f_var = _variant_tokens(ai_name, group), _variant_tokens(final_name, group)
    a_len, f_len = length_tokens(ai_name), length_tokens(final_name)
    if a_len != f_len and a_var == f_var and len(a_len) == len(f_len) == 1:
        return RuleObservation("prefer_length", group.upper(), next(iter(f_len)).upper(), next(iter(a_len)).upper())
    if a_len == f_len and len(a_var) == len(f_var) == 1 and a_var != f_var:
        return RuleObservation("prefer_brand", group.upper(), f_var[0].upper(), a_var[0].upper())
    return None


class OfflineExtractor:
    name = "offline"

    def extract(self, request: OfferRequest, offer: ErpOffer, changes: list[Change],
                catalog_by_code: dict[str, CatalogProduct]) -> Extraction:
        out = Extraction(extractor=self.name)
        for ch in changes:
            out.counts[ch.kind] = out.counts.get(ch.kind, 0) + 1
            if ch.kind != "swap" or ch.ai is None or ch.final is None:
                continue
            term = ch.customer_term or ch.ai.product_name
            out.swaps.append(SwapObservation(
                term=normalize_term(term), ai_code=ch.ai.product_code, ai_name=ch.ai.product_name,
                final_code=ch.final.product_code, final_name=ch.final.product_name,
                ai_quantity=ch.ai.quantity, final_quantity=ch.final.quantity,
                reasoning=(f"Salesperson replaced {ch.ai.product_code} {ch.ai.product_name} with "
                           f"{ch.final.product_code} {ch.final.product_name} for '{term}' in offer {offer.offer_number}"),
            ))
            group = ch.ai.product_group or (catalog_by_code.get(ch.ai.product_code).product_group
                                            if ch.ai.product_code in catalog_by_code else "")
            rule = rule_from_swap(ch.ai.product_name, ch.final.product_name, group)
            # A brand the customer asked for explains the swap; it is not a general preference.
            if rule and not (rule.kind == "prefer_brand" and rule.preferred.lower() in normalize_term(term).split()):
                out.rules.append(rule)
        return out


class _LlmSwap(BaseModel):
    customer_term: str = Field(min_length=1)
    product_code: str = Field(min_length=1)
    reasoning: str = ""


class _LlmRule(BaseModel):
    kind: str = Field(pattern="^(prefer_brand|prefer_length)$")
    group: str = Field(min_length=1)
    preferred: str = Field(min_length=1)
    over: str = Field(min_length=1)


class _LlmAnswer(BaseModel):
    swaps: list[_LlmSwap] = Field(default_factory=list)
    rules: list[_LlmRule] = Field(default_factory=list)


SYSTEM_PROMPT = (
    "You compare an AI-made sales offer with the final offer a salesperson sent. A swap is an AI line "
    "replaced by a different product of the same kind; removed lines, added lines and quantity-only changes "
    "are NOT swaps. Answer only JSON: {\"swaps\": [{\"customer_term\", \"product_code\", \"reasoning\"}], "
    "\"rules\": [{\"kind\": \"prefer_brand\"|\"prefer_length\", \"group\", \"preferred\", \"over\"}]}. "
    "product_code must be a code of the final offer."
)


def build_prompt(request: OfferRequest, offer: ErpOffer) -> str:
    ai = [{"customer_term": line.customer_term, "product_code": line.product_code, "product_name": line.product_name,
           "product_group": line.product_group, "quantity": line.quantity} for line in request.ai_matched_products]
    final = [{"product_code": r.product_code, "product_name": r.product_name, "quantity": r.quantity}
             for r in offer.rows]
    import json

    return (f"Offer {offer.offer_number}.\nAI lines:\n{json.dumps(ai, ensure_ascii=False)}\n"
            f"Final rows:\n{json.dumps(final, ensure_ascii=False)}\nList the swaps and any general rule.")


class LlmExtractor:
    """Gemini (or any LLM port) extractor. Any failure -> the offline result stands."""

    name = "llm"

    def __init__(self, llm: LLM, fallback: OfflineExtractor | None = None) -> None:
        self.llm = llm
        self.fallback = fallback or OfflineExtractor()

    def extract(self, request: OfferRequest, offer: ErpOffer, changes: list[Change],
                catalog_by_code: dict[str, CatalogProduct]) -> Extraction:
        offline = self.fallback.extract(request, offer, changes, catalog_by_code)
        try:
            answer = _LlmAnswer.model_validate(complete_json(self.llm, build_prompt(request, offer), SYSTEM_PROMPT))
            return self._to_extraction(answer, request, offer, catalog_by_code, offline)
        except (CommerceError, ValidationError) as exc:
            log.warning("LLM extraction rejected; offline result stands", offer_number=offer.offer_number,
                        reason=str(exc)[:300])
            offline.counts["llm_fallback"] = 1
            return offline

    def _to_extraction(self, answer: _LlmAnswer, request: OfferRequest, offer: ErpOffer,
                       catalog_by_code: dict[str, CatalogProduct], offline: Extraction) -> Extraction:
        final_by_code = {r.product_code: r for r in offer.rows}
        ai_by_term = {normalize_term(x.customer_term): x for x in request.ai_matched_products if x.customer_term}
        out = Extraction(counts=dict(offline.counts), extractor=self.name)
        for s in answer.swaps:
            if s.product_code not in final_by_code and s.product_code not in catalog_by_code:
                raise ValidationFailed(f"LLM named product {s.product_code!r}, which is neither in offer "
                                       f"{offer.offer_number} nor in the catalog")
            ai = ai_by_term.get(normalize_term(s.customer_term))
            if ai is None:
                raise ValidationFailed(f"LLM named customer term {s.customer_term!r}, which is not in the request")
            final = final_by_code.get(s.product_code)
            name = final.product_name if final else catalog_by_code[s.product_code].product_name
            out.swaps.append(SwapObservation(normalize_term(s.customer_term), ai.product_code, ai.product_name,
                                             s.product_code, name, ai.quantity, final.quantity if final else None,
                                             s.reasoning or f"LLM: replaced {ai.product_code} with {s.product_code}"))
        out.rules = [RuleObservation(r.kind, r.group.upper(), r.preferred.upper(), r.over.upper()) for r in answer.rules]
        return out
