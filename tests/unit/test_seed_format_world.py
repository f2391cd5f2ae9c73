"""The seeded evaluation world (benchmarks/worlds/seed_format_world.py): formats, determinism, truths."""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import re
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SEEDS = list(range(10))
REQ = Path("objects/offer-learning-data/offer-requests")
ERP = Path("erp/offers")
REQUEST_KEYS = {"offer_number", "timestamp", "email", "customer", "ai_matched_products"}
ITEM_KEYS = {"product_code", "product_name", "quantity", "unit", "price", "confidence_score", "match_method",
             "product_group", "match_details", "pricing"}
ROW_KEYS = {"product_code", "product_name", "quantity", "unit", "price", "discount_percent"}
REQUEST_NAME = re.compile(r"^(\d+)_(\d{8}T\d{6}Z)\.json$")
ISO = "%Y-%m-%dT%H:%M:%SZ"


def _load():
    path = ROOT / "benchmarks" / "worlds" / "seed_format_world.py"
    spec = importlib.util.spec_from_file_location("seed_format_world", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("seed_format_world", mod)
    spec.loader.exec_module(mod)
    return mod


W = _load()


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    out = {}
    for seed in SEEDS:
        home = tmp_path_factory.mktemp(f"world{seed}") / "home"
        truth = W.build_world(home, seed)
        out[seed] = (home, truth)
    return out


def _products(home: Path) -> dict[str, dict]:
    with (home / "erp" / "products.csv").open(encoding="utf-8", newline="") as fh:
        return {r["product_code"]: r for r in csv.DictReader(fh)}


def _offer_files(home: Path, entry: dict) -> tuple[dict, dict]:
    req = json.loads((home / entry["request_file"]).read_text(encoding="utf-8"))
    erp = json.loads((home / entry["erp_file"]).read_text(encoding="utf-8"))
    return req, erp


def _aligned(home: Path, entry: dict):
    """(request item, final row or None) per request line, using the truth's record of deleted lines."""
    req, erp = _offer_files(home, entry)
    rows = iter(erp["rows"])
    for item, t in zip(req["ai_matched_products"], entry["lines"], strict=True):
        yield item, (None if t["label"] == "line_deleted" else next(rows)), t


def _tree(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


# formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_products_csv_format(worlds, seed):
    home, truth = worlds[seed]
    lines = (home / "erp" / "products.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "product_code,product_name,product_group,unit,price"
    products = _products(home)
    assert len(products) == len(lines) - 1
    assert len({p["product_name"] for p in products.values()}) == len(products)
    for p in products.values():
        assert re.fullmatch(r"\d{6}", p["product_group"]), p
        assert re.fullmatch(r"\d+", p["product_code"])
        assert float(p["price"]) > 0
        assert p["product_name"] == p["product_name"].upper()
    fams = {f["family"]: f for f in truth["catalog"]["families"]}
    assert "copper" in fams and len(fams) >= 5
    assert len({f["group"] for f in fams.values()}) == len(fams)
    for code, attrs in truth["catalog"]["products"].items():
        p = products[code]
        assert p["product_group"] == attrs["group"] == fams[attrs["family"]]["group"]
        if attrs["brand"]:
            assert attrs["brand"] in p["product_name"]
            assert any(w in p["product_name"] for w in fams[attrs["family"]]["family_words"])
        if attrs["length_m"]:
            assert f"{attrs['length_m']}M" in p["product_name"].split()
    for f in fams.values():
        if f["family"] != "misc":
            assert 2 <= len(f["brands"]) <= 3
    # token order varies between brands of a family
    assert any(len(set(f["brand_templates"].values())) > 1 for f in fams.values() if f["family"] != "misc")


@pytest.mark.parametrize("seed", SEEDS)
def test_request_and_erp_formats(worlds, seed):
    home, truth = worlds[seed]
    products = _products(home)
    emails = {p["email"] for p in truth["salespeople"]}
    files = sorted((home / REQ).iterdir()) + sorted((home / "holdout" / REQ).iterdir())
    assert len(files) == len(truth["offers"]) == truth["params"]["offers"] == 150
    for f in files:
        m = REQUEST_NAME.match(f.name)
        assert m, f.name
        req = json.loads(f.read_text(encoding="utf-8"))
        assert set(req) == REQUEST_KEYS
        assert req["offer_number"] == m.group(1)
        ts = datetime.strptime(req["timestamp"], ISO)
        assert ts.strftime("%Y%m%dT%H%M%SZ") == m.group(2)
        assert req["email"] in emails and isinstance(req["customer"], str)
        assert req["ai_matched_products"]
        for item in req["ai_matched_products"]:
            assert set(item) == ITEM_KEYS
            p = products[item["product_code"]]
            assert item["product_name"] == p["product_name"] and item["unit"] == p["unit"]
            assert item["product_group"] == p["product_group"] and re.fullmatch(r"\d{6}", item["product_group"])
            assert isinstance(item["quantity"], int) and item["quantity"] > 0
            assert 0 < item["confidence_score"] <= 1
            assert set(item["match_details"]) == {"original_customer_term"}
            assert item["match_details"]["original_customer_term"].strip()
            assert item["pricing"]["list_price"] == item["price"] == float(p["price"])
        erp_path = f.parent.parent.parent.parent / ERP / f"{req['offer_number']}.json"
        erp = json.loads(erp_path.read_text(encoding="utf-8"))
        assert set(erp) == {"offer_number", "updated_at", "rows"}
        assert erp["offer_number"] == req["offer_number"]
        assert datetime.strptime(erp["updated_at"], ISO) > ts
        assert len(erp["rows"]) <= len(req["ai_matched_products"])
        for row in erp["rows"]:
            assert set(row) == ROW_KEYS
            assert row["product_name"] == products[row["product_code"]]["product_name"]
            assert isinstance(row["quantity"], int) and row["quantity"] > 0
            assert isinstance(row["discount_percent"], float)


@pytest.mark.parametrize("seed", SEEDS)
def test_truth_format(worlds, seed):
    home, truth = worlds[seed]
    assert json.loads((home / "world_truth.json").read_text(encoding="utf-8")) == truth
    assert truth["seed"] == seed
    for key in ("params", "split", "catalog", "salespeople", "swaps", "planted_swaps", "rules", "noise_offers",
                "holdout_offers", "offers", "holdout_scores"):
        assert key in truth
    cond = {"attribute": "run_length_m", "op": ">", "value": 10}
    for s in truth["swaps"] + truth["planted_swaps"]:
        assert {"customer_term", "from_code", "to_code", "condition"} <= set(s)
        assert s["condition"] is None or s["condition"] == cond
        assert s["from_code"] != s["to_code"]
    assert {s["origin"] for s in truth["swaps"]} == {"product_swap", "brand_preference", "length_preference"}
    kinds = [r["kind"] for r in truth["rules"]]
    assert kinds.count("length_preference") == 1 and 1 <= kinds.count("brand_preference") <= 2
    for r in truth["rules"]:
        assert re.fullmatch(r"\d{6}", r["family_group"]) and r["family_words"] and r["text"]
        if r["kind"] == "brand_preference":
            assert r["prefer_brand"] != r["over_brand"]
        else:
            assert (r["prefer"], r["over"], r["condition"]) == ("5M", "3M", cond)
    rules_txt = (home / "world_truth_learnings" / "general_rules.txt").read_text(encoding="utf-8").splitlines()
    assert len(rules_txt) == len(truth["rules"])
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}: \S", line) for line in rules_txt)
    with (home / "world_truth_learnings" / "product_swaps.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        assert next(reader) == ["customer_term", "matched_product_code", "matched_product_name", "confidence_score",
                                "reasoning", "match_type", "timestamp", "source_files"]
        assert {r[0] for r in reader} == {s["customer_term"] for s in truth["planted_swaps"]}


# consistency of the truth with the files ----------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_files_match_truth_tables(worlds, seed):
    home, truth = worlds[seed]
    for entry in truth["offers"]:
        req, erp = _offer_files(home, entry)
        assert req["email"] == entry["salesperson"] and req["timestamp"] == entry["timestamp"]
        for item, row, t in _aligned(home, entry):
            assert item["product_code"] == t["ai_product_code"] and item["quantity"] == t["ai_quantity"]
            assert item["match_details"]["original_customer_term"] == t["customer_term"]
            if row is None:
                assert t["final_product_code"] is None
            else:
                assert (row["product_code"], row["quantity"], row["price"], row["discount_percent"]) == (
                    t["final_product_code"], t["final_quantity"], t["final_price"], t["final_discount_percent"])
                changed = row["product_code"] != item["product_code"]
                assert changed == (t["label"] in ("product_swap", "brand_preference", "length_preference",
                                                  "one_off_swap"))
        assert len(erp["rows"]) == sum(t["label"] != "line_deleted" for t in entry["lines"])


@pytest.mark.parametrize("seed", SEEDS)
def test_brand_preferences_have_independent_evidence(worlds, seed):
    home, truth = worlds[seed]
    attrs = truth["catalog"]["products"]
    for rule in (r for r in truth["rules"] if r["kind"] == "brand_preference"):
        offers, sizes, people = set(), set(), set()
        for entry in truth["offers"]:
            for item, row, _t in _aligned(home, entry):
                a = attrs[item["product_code"]]
                if a["group"] != rule["family_group"] or row is None:
                    continue
                b = attrs[row["product_code"]]
                if a["brand"] == rule["over_brand"]:
                    # every over-brand line becomes the same-size, same-length prefer-brand product
                    assert b["brand"] == rule["prefer_brand"], (entry["offer_number"], item, row)
                    assert (b["size"], b["length_m"]) == (a["size"], a["length_m"])
                    assert row["quantity"] == item["quantity"]
                    if entry["split"] == "train":
                        offers.add(entry["offer_number"])
                        sizes.add(a["size"])
                        people.add(entry["salesperson"])
                else:
                    assert row["product_code"] == item["product_code"]  # other brands are kept
        assert len(offers) >= 3 and len(sizes) >= 2 and len(people) >= 2
        assert rule["support_offers"] == len(offers) and sorted(sizes) == rule["sizes"]


@pytest.mark.parametrize("seed", SEEDS)
def test_conditional_length_swap_only_on_long_runs(worlds, seed):
    home, truth = worlds[seed]
    attrs = truth["catalog"]["products"]
    rule = next(r for r in truth["rules"] if r["kind"] == "length_preference")
    long_offers, short_offers = set(), set()
    for entry in truth["offers"]:
        for item, row, _t in _aligned(home, entry):
            a = attrs[item["product_code"]]
            if a["group"] != rule["family_group"] or row is None:
                continue
            b = attrs[row["product_code"]]
            if a["length_m"] == 3 and item["quantity"] * 3 > 10:
                assert (b["length_m"], b["brand"], b["size"]) == (5, a["brand"], a["size"])
                assert row["quantity"] == math.ceil(item["quantity"] * 3 / 5)
                if entry["split"] == "train":
                    long_offers.add(entry["offer_number"])
            else:
                assert row["product_code"] == item["product_code"] and row["quantity"] == item["quantity"]
                if a["length_m"] == 3 and entry["split"] == "train":
                    short_offers.add(entry["offer_number"])
    assert len(long_offers) >= 3 and len(short_offers) >= 3
    for s in truth["swaps"]:
        if s["origin"] == "length_preference":
            assert s["condition"] == rule["condition"] and attrs[s["from_code"]]["length_m"] == 3
        else:
            assert s["condition"] is None


@pytest.mark.parametrize("seed", SEEDS)
def test_planted_product_swaps_are_consistent(worlds, seed):
    home, truth = worlds[seed]
    planted = {s["customer_term"]: s for s in truth["planted_swaps"]}
    assert 2 <= len(planted) <= 4
    seen = defaultdict(set)
    for entry in truth["offers"]:
        for item, row, _t in _aligned(home, entry):
            term = item["match_details"]["original_customer_term"]
            norm = " ".join(term.lower().split())
            match = [s for t, s in planted.items() if " ".join(t.lower().split()) == norm]
            if not match:
                continue
            s = match[0]
            assert term == s["customer_term"] and item["product_code"] == s["from_code"]
            if row is not None:
                assert row["product_code"] == s["to_code"] and row["quantity"] == item["quantity"]
            if entry["split"] == "train":
                seen[term].add(entry["offer_number"])
    assert all(len(seen[t]) >= 3 for t in planted)
    # the wrongly picked product is kept when a customer really asks for it
    kept = 0
    for entry in truth["offers"]:
        for item, row, _t in _aligned(home, entry):
            if item["product_code"] in {s["from_code"] for s in planted.values()} and row is not None:
                if item["match_details"]["original_customer_term"] not in planted:
                    assert row["product_code"] == item["product_code"]
                    kept += 1
    assert kept >= 1


@pytest.mark.parametrize("seed", SEEDS)
def test_noise_is_not_a_pattern(worlds, seed):
    home, truth = worlds[seed]
    attrs = truth["catalog"]["products"]
    kinds = defaultdict(int)
    one_offs = []
    for n in truth["noise_offers"]:
        for ev in n["events"]:
            if n["split"] == "train":
                kinds[ev["kind"]] += 1
            if ev["kind"] == "one_off_swap":
                one_offs.append((ev["from_code"], ev["to_code"]))
            else:
                assert ev["from_code"] == ev["to_code"]
    assert kinds["one_off_swap"] >= 1 and kinds["quantity_edit"] >= 1 and kinds["line_deleted"] >= 1
    assert kinds["price_edit"] + kinds["discount_edit"] >= 1
    assert len(set(one_offs)) == len(one_offs) and not {(b, a) for a, b in one_offs} & set(one_offs)
    pattern_pairs = {(s["from_code"], s["to_code"]) for s in truth["swaps"]}
    assert not set(one_offs) & pattern_pairs
    brand_dirs = [(attrs[a]["family"], attrs[a]["brand"], attrs[b]["brand"]) for a, b in one_offs
                  if attrs[a]["brand"] != attrs[b]["brand"]]
    assert len(set(brand_dirs)) == len(brand_dirs)  # never two one-offs in the same brand direction
    pref_groups = {r["family_group"] for r in truth["rules"]}
    assert not any(attrs[a]["group"] in pref_groups for a, _ in one_offs)
    # the ERP files show the noise: some quantity-only and some price/discount-only edits
    q_only = p_only = 0
    for entry in truth["offers"]:
        for item, row, _t in _aligned(home, entry):
            if row is None or row["product_code"] != item["product_code"]:
                continue
            if row["quantity"] != item["quantity"]:
                q_only += 1
            if row["price"] != item["price"] or row["discount_percent"] != item["pricing"]["discount_percent"]:
                p_only += 1
    assert q_only >= 1 and p_only >= 1


@pytest.mark.parametrize("seed", SEEDS)
def test_holdout_is_the_chronological_tail_and_kept_apart(worlds, seed):
    home, truth = worlds[seed]
    train = [e for e in truth["offers"] if e["split"] == "train"]
    hold = truth["holdout_offers"]
    assert [e["offer_number"] for e in hold] == truth["split"]["holdout"]
    assert len(hold) == 30 and len(train) == 120
    assert max(e["timestamp"] for e in train) < min(e["timestamp"] for e in hold) == truth["split"]["cutoff"]
    for e in hold:
        assert e["request_file"].startswith("holdout/") and e["erp_file"].startswith("holdout/")
        assert not (home / ERP / f"{e['offer_number']}.json").exists()
    agent_offers = {p.stem for p in (home / ERP).iterdir()}
    assert agent_offers == set(truth["split"]["train"])
    labels = {t["label"] for e in hold for t in e["lines"]}
    assert {"brand_preference", "length_preference", "product_swap", "unchanged"} <= labels
    scores = truth["holdout_scores"]
    assert 0 <= scores["oracle"] < scores["baseline"] < 1


@pytest.mark.parametrize("seed", SEEDS)
def test_score_holdout(worlds, seed):
    _home, truth = worlds[seed]
    assert W.score_holdout(truth, {})["share"] == truth["holdout_scores"]["baseline"]
    perfect = {e["offer_number"]: [{"product_code": t["final_product_code"], "quantity": t["final_quantity"]}
                                   if t["final_product_code"] else None for t in e["lines"]]
               for e in truth["holdout_offers"]}
    s = W.score_holdout(truth, perfect)
    assert s["share"] == 0 and s["share_with_quantity"] == 0 and s["lines"] > 0
    codes_only = {k: [p["product_code"] if p else None for p in v] for k, v in perfect.items()}
    assert W.score_holdout(truth, codes_only)["share"] == 0


# determinism and variety ----------------------------------------------------------------------


def test_same_seed_same_world(tmp_path, worlds):
    home, truth = worlds[3]
    again = W.build_world(tmp_path / "again", 3)
    assert again == truth
    assert _tree(tmp_path / "again") == _tree(home)


def test_different_seeds_differ(worlds):
    catalogs = {seed: (home / "erp" / "products.csv").read_bytes() for seed, (home, _t) in worlds.items()}
    assert len(set(catalogs.values())) == len(SEEDS)
    names = {seed: {r["product_name"] for r in _products(home).values()} for seed, (home, _t) in worlds.items()}
    assert all(names[a] != names[b] for a in SEEDS for b in SEEDS if a < b)
    params = [t["params"] for _h, t in worlds.values()]
    assert len({tuple(p["families"]) for p in params}) > 1
    assert len({p["n_salespeople"] for p in params}) > 1
    assert len({p["noise_rate"] for p in params}) > 1
    assert len({tuple(p["brand_preference_families"]) for p in params}) > 1
    prefs = {(r["family"], r["prefer_brand"], r["over_brand"]) for _h, t in worlds.values() for r in t["rules"]
             if r["kind"] == "brand_preference"}
    assert len(prefs) > 3
    assert len({t["split"]["cutoff"] for _h, t in worlds.values()}) == len(SEEDS)


def test_cli_and_small_world(tmp_path, capsys):
    assert W.main(["--home", str(tmp_path / "h"), "--seed", "42", "--offers", "60", "--holdout-inline"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["train"] == 48 and summary["holdout"] == 12
    truth = json.loads((tmp_path / "h" / "world_truth.json").read_text(encoding="utf-8"))
    assert truth["params"]["holdout_layout"] == "inline"
    assert len(list((tmp_path / "h" / ERP).iterdir())) == 60
    assert not (tmp_path / "h" / "holdout").exists()
    with pytest.raises(ValueError):
        W.build_world(tmp_path / "tiny", 1, offers=10)
