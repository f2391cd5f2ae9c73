"""Extract learnings from a diffed offer: deterministic offline extractor, and an LLM extractor
whose JSON is validated (schema + product codes that exist) and falls back to the offline result."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field, ValidationError

from ..errors import CommerceError, ValidationFailed
from ..logs import get_logger
from ..ports.llm import LLM, complete_json
from .diff import Change
from .families import Families
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
class SlotObservation:
    """An AI line a rule of (kind, group, over) could change, and what became of it."""
    kind: str
    group: str
    over: str
    row: tuple  # (quantity, run_length_m, customer, outcome: '' kept, else the new brand/length)


@dataclass
class Extraction:
    swaps: list[SwapObservation] = field(default_factory=list)
    rules: list[RuleObservation] = field(default_factory=list)
    slots: list[SlotObservation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    extractor: str = "offline"


_FAMILIES: list = [None, None]  # (catalog dict, Families): one catalog per night, read once


def families_for(catalog_by_code: dict[str, CatalogProduct]) -> Families:
    if _FAMILIES[0] is not catalog_by_code:
        _FAMILIES[:] = [catalog_by_code, Families(list(catalog_by_code.values()))]
    return _FAMILIES[1]


def customer_name(customer) -> str:
    if isinstance(customer, dict):
        return str(customer.get("name") or customer.get("company") or "")
    return str(customer or "")


def family_rule(families: Families, ai_code: str, final_code: str) -> RuleObservation | None:
    """The catalog's reading of a swap: one attribute changed (brand, or section length), the size
    kept. Works on numeric groups, whatever the word order of the names."""
    a, b = families.attrs(ai_code), families.attrs(final_code)
    if a is None or b is None or a.group != b.group or a.size != b.size:
        return None
    if a.brand != b.brand and a.length_m == b.length_m and families.is_line(a) and families.is_line(b):
        return RuleObservation("prefer_brand", a.group, b.brand, a.brand)
    if a.brand == b.brand and a.length_m is not None and b.length_m is not None and a.length_m != b.length_m:
        return RuleObservation("prefer_length", a.group, b.length_label, a.length_label)
    return None


def _names_brand(term: str, brand: str) -> bool:
    words = set(normalize_term(term).split())
    return any(w in words for w in normalize_term(brand).split())


def slot_observations(families: Families, ch: Change, customer: str) -> list[SlotObservation]:
    """What a line says for or against the brand and length rules its product could be under."""
    if ch.ai is None or ch.final is None or ch.kind not in ("unchanged", "quantity_changed", "swap"):
        return []
    a, b = families.attrs(ch.ai.product_code), families.attrs(ch.final.product_code)
    fam = families.family(a.group) if a else None
    if a is None or fam is None:
        return []
    qty = ch.ai.quantity
    row = (qty, round(qty * a.length_m, 3) if a.length_m else None, customer)
    out = []
    same = ch.kind != "swap"
    if len(fam.brands) > 1 and families.is_line(a) and not _names_brand(ch.customer_term, a.brand):
        if same:
            out.append(SlotObservation("prefer_brand", a.group, a.brand, (*row, "")))
        elif b is not None and b.group == a.group and b.size == a.size and not _names_brand(ch.customer_term, b.brand):
            out.append(SlotObservation("prefer_brand", a.group, a.brand, (*row, "" if b.brand == a.brand else b.brand)))
    if a.length_m is not None and len(fam.lengths) > 1:
        if same:
            out.append(SlotObservation("prefer_length", a.group, a.length_label, (*row, "")))
        elif b is not None and b.group == a.group and b.brand == a.brand and b.size == a.size:
            out.append(SlotObservation("prefer_length", a.group, a.length_label,
                                       (*row, "" if b.length_m == a.length_m else b.length_label)))
    return out


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
        families = families_for(catalog_by_code) if catalog_by_code else None
        customer = customer_name(request.customer)
        for ch in changes:
            out.counts[ch.kind] = out.counts.get(ch.kind, 0) + 1
            if families is not None:
                out.slots.extend(slot_observations(families, ch, customer))
            if ch.kind != "swap" or ch.ai is None or ch.final is None:
                continue
            term = ch.customer_term or ch.ai.product_name
            out.swaps.append(SwapObservation(
                term=families.term_key(term) if families else normalize_term(term),
                ai_code=ch.ai.product_code, ai_name=ch.ai.product_name,
                final_code=ch.final.product_code, final_name=ch.final.product_name,
                ai_quantity=ch.ai.quantity, final_quantity=ch.final.quantity,
                reasoning=(f"Salesperson replaced {ch.ai.product_code} {ch.ai.product_name} with "
                           f"{ch.final.product_code} {ch.final.product_name} for '{term}' in offer {offer.offer_number}"),
            ))
            group = ch.ai.product_group or (catalog_by_code[ch.ai.product_code].product_group
                                            if ch.ai.product_code in catalog_by_code else "")
            rule = family_rule(families, ch.ai.product_code, ch.final.product_code) if families else None
            if rule is None and not (families and families.attrs(ch.ai.product_code)
                                     and families.attrs(ch.final.product_code)):
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
        out = Extraction(counts=dict(offline.counts), slots=offline.slots, extractor=self.name)
        for s in answer.swaps:
            if s.product_code not in final_by_code and s.product_code not in catalog_by_code:
                raise ValidationFailed(f"LLM named product {s.product_code!r}, which is neither in offer "
                                       f"{offer.offer_number} nor in the catalog")
            ai = ai_by_term.get(normalize_term(s.customer_term))
            if ai is None:
                raise ValidationFailed(f"LLM named customer term {s.customer_term!r}, which is not in the request")
            final = final_by_code.get(s.product_code)
            name = final.product_name if final else catalog_by_code[s.product_code].product_name
            term = (families_for(catalog_by_code).term_key(s.customer_term) if catalog_by_code
                    else normalize_term(s.customer_term))
            out.swaps.append(SwapObservation(term, ai.product_code, ai.product_name,
                                             s.product_code, name, ai.quantity, final.quantity if final else None,
                                             s.reasoning or f"LLM: replaced {ai.product_code} with {s.product_code}"))
        out.rules = [RuleObservation(r.kind, r.group.upper(), r.preferred.upper(), r.over.upper()) for r in answer.rules]
        return out
