"""Offer learning v2: catalog families on numeric groups, spelling duplicates, conditions, proposal."""

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

from commerce_platform.offers.conditions import Observation, holds, learn_condition
from commerce_platform.offers.diff import diff_offer
from commerce_platform.offers.extract import OfflineExtractor
from commerce_platform.offers.families import Families
from commerce_platform.offers.learnings import Evidence, LearningSet
from commerce_platform.offers.models import AiMatchedProduct, CatalogProduct, ErpOffer, ErpRow, OfferRequest
from commerce_platform.offers.propose import Proposer

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def _product(code, name, group):
    return CatalogProduct(product_code=code, product_name=name, product_group=group, unit="KPL", price=10)


# Numeric groups, brand word order varying by line, three size spellings, family word spelt per line.
CATALOG = [
    *[_product(f"T{s}", f"KOMP.PUTKI {s}X2,0 TIGRIS K1 5M", "101600") for s in (16, 20)],
    *[_product(f"O{s}", f"ONEPIPE KOMP.PUTKI {s}MM 5M", "101600") for s in (16, 20)],
    *[_product(f"U{s}", f"KOMP.PUTKI 5M UPONOR MLC D{s}", "101600") for s in (16, 20)],
    *[_product(f"C{s}{n}", f"KUPARIPUTKI {s}MM {n}M KME", "202200") for s in (15, 22) for n in (3, 5)],
    *[_product(f"W{s}{n}", f"CU-PUTKI WIELAND D{s} {n}M", "202200") for s in (15, 22) for n in (3, 5)],
    *[_product(f"P{d}", f"PUMPPU GRUNDFOS ALPHA2 {d} 180", "303300") for d in ("25-40", "25-60")],
]
BY_CODE = {p.product_code: p for p in CATALOG}


def test_families_read_numeric_groups_from_the_catalog():
    fam = Families(CATALOG)
    pipes = fam.family("101600")
    assert pipes.name == "KOMP.PUTKI" and pipes.label == "KOMP.PUTKI (101600)"
    assert sorted(pipes.brands) == ["ONEPIPE", "TIGRIS", "UPONOR"]
    assert pipes.sizes == ["16mm", "20mm"] and pipes.lengths == ["5M"]
    # 16X2,0 / 16MM / D16 are one size: the same slot in three lines
    assert {fam.attrs(c).size for c in ("T16", "O16", "U16")} == {"16mm"}
    assert fam.find("101600", "UPONOR", "20mm", "5M").product_code == "U20"
    copper = fam.family("202200")
    assert copper.label == "KUPARIPUTKI (202200)" and sorted(copper.brands) == ["KME", "WIELAND"]
    assert fam.attrs("W153").length_m == 3 and fam.attrs("W153").size == "15mm"
    assert fam.family("303300").sizes == ["25-40", "25-60"]


def test_spelling_duplicates_merge_and_pump_designations_keep_their_hyphen():
    fam = Families(CATALOG)
    assert fam.term_key("kupariputki d15 3m") == fam.term_key("Kupariputki 15 mm 3 m") == "kupariputki 15mm 3m"
    assert fam.term_key("komp putki 16x2") == fam.term_key("komp putki 16 mm")
    assert fam.term_key("kiertovesipumppu 25-40") == "kiertovesipumppu 25-40"
    assert fam.term_key("kupariputki d22") != fam.term_key("kupariputki d15")
    ls = LearningSet()
    for n, term in enumerate(["kupariputki d15 3m", "Kupariputki 15 mm 3 m"]):
        ai = [AiMatchedProduct(product_code="C153", product_name=BY_CODE["C153"].product_name, quantity=2,
                               product_group="202200", match_details={"original_customer_term": term})]
        final = [ErpRow(product_code="W153", product_name=BY_CODE["W153"].product_name, quantity=2)]
        req = OfferRequest(offer_number=str(n), timestamp="2025-01-01T00:00:00Z", ai_matched_products=ai)
        ex = OfflineExtractor().extract(req, ErpOffer(offer_number=str(n), rows=final), diff_offer(ai, final, BY_CODE),
                                        BY_CODE)
        for s in ex.swaps:
            ls.add_swap(s.term, s.final_code, s.final_name, Evidence(f"{n}_x.json", str(n), s.ai_code, s.ai_name,
                                                                     s.final_code, s.final_name), s.reasoning)
    assert list(ls.swaps) == [("kupariputki 15mm 3m", "W153")]
    assert len(ls.swaps[("kupariputki 15mm 3m", "W153")].evidence) == 2


def _obs(offer, positive, qty, length=3, customer="A"):
    return Observation(str(offer), positive, qty, qty * length, customer)


def test_decision_stump_learns_a_round_threshold_with_support():
    rows = [_obs(n, q > 3, q) for n, q in enumerate([1, 2, 3, 2, 4, 5, 7, 9, 20, 12])]
    assert learn_condition(rows) == (True, {"attribute": "run_length_m", "op": ">", "value": 10.0})
    assert learn_condition([_obs(n, True, q) for n, q in enumerate([1, 5, 9])]) == (True, None)
    # one kept line is no evidence for a condition, and two offers are too few for a rule
    assert learn_condition([_obs(n, q > 3, q) for n, q in enumerate([1, 5, 9, 6])]) == (True, None)
    assert learn_condition([_obs(n, True, q) for n, q in enumerate([5, 9])]) == (False, None)
    mixed = [_obs(n, n % 2 == 0, q) for n, q in enumerate([1, 2, 3, 4, 5, 6, 7, 8])]
    assert learn_condition(mixed) == (False, None)
    cond = {"attribute": "run_length_m", "op": ">", "value": 10}
    assert holds(cond, {"run_length_m": 30}) and not holds(cond, {"run_length_m": 6})
    assert not holds(cond, {"run_length_m": None}) and holds(None, {})


def test_proposal_applies_a_conditional_rule_only_on_long_runs_and_keeps_the_run():
    ls = LearningSet()
    fam = Families(CATALOG)
    for n in range(4):
        ls.add_rule_support("prefer_length", "202200", "5M", "3M", f"L{n}", None)
    ls.set_offer_observations("L0", [])

    class Obs:
        def __init__(self, qty, outcome):
            self.kind, self.group, self.over, self.row = "prefer_length", "202200", "3M", (qty, qty * 3, "A", outcome)

    for n, qty in enumerate([4, 5, 8, 10]):
        ls.set_offer_observations(f"L{n}", [Obs(qty, "5M")])
    for n, qty in enumerate([1, 2, 3]):
        ls.set_offer_observations(f"S{n}", [Obs(qty, "")])
    written = ls.promote_rules(date(2025, 11, 7), fam)
    assert [r.text for r in written] == ["For KUPARIPUTKI (202200) runs over 10 m, prefer 5M sections over 3M"]
    lines = [{"product_code": "C153", "product_name": "x", "quantity": q, "unit": "KPL",
              "match_details": {"original_customer_term": "kupariputki 15mm"}} for q in (10, 2)]
    out = Proposer(CATALOG, ls).propose({"offer_number": "9", "ai_matched_products": lines})
    long_run, short_run = out["lines"]
    assert (long_run["product_code"], long_run["quantity"], long_run["source"]) == ("C155", 6, "rule")
    assert (short_run["product_code"], short_run["quantity"], short_run["source"]) == ("C153", 2, "ai")


# ---- the blind seed-format world ------------------------------------------------------------------

def _world():
    spec = importlib.util.spec_from_file_location("seed_format_world", ROOT / "benchmarks/worlds/seed_format_world.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("seed_format_world", mod)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("seed", [0, 9])
def test_seed_world_every_brand_preference_is_a_rule_and_the_copper_rule_is_conditional(tmp_path, seed):
    import logging

    from commerce_platform.config import load_settings
    from commerce_platform.factory import object_store
    from commerce_platform.wiring import run_learning

    truth = _world().build_world(tmp_path / "home", seed)
    settings = load_settings(tmp_path / "home")
    logging.disable(logging.WARNING)
    try:
        run_learning(settings, today=date(2025, 11, 7))
    finally:
        logging.disable(logging.NOTSET)
    ls = LearningSet.load(object_store(settings), settings.offers.bucket)
    rules = {(r.kind, r.group, r.preferred, r.over): r for r in ls.written_rules()}
    for t in truth["rules"]:
        if t["kind"] == "brand_preference":
            rule = rules.pop(("prefer_brand", t["family_group"], t["prefer_brand"], t["over_brand"]))
            assert rule.condition is None and f"({t['family_group']})" in rule.text
            assert rule.text.startswith(f"Prefer {t['prefer_brand']} brand ")
        else:
            rule = rules.pop(("prefer_length", t["family_group"], "5M", "3M"))
            assert rule.condition == {"attribute": "run_length_m", "op": ">", "value": 10.0}
            assert f"({t['family_group']}) runs over 10 m, prefer 5M sections over 3M" in rule.text
    assert rules == {}  # nothing else is a rule: noise and planted term swaps stay swaps
    from commerce_platform.factory import erp

    key = Families(erp(settings).catalog()).term_key
    assert {(key(s["customer_term"]), s["to_code"]) for s in truth["planted_swaps"]} <= set(ls.swaps)
    # a term swap the copper rule explains carries its condition: never applied to a short run
    lengths = [(key(s["customer_term"]), s["to_code"]) for s in truth["swaps"] if s["origin"] == "length_preference"]
    assert lengths and all(ls.swaps[k].condition == {"attribute": "run_length_m", "op": ">", "value": 10.0}
                           for k in lengths)
