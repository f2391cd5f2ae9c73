"""Demo world for the offers service: a Finnish HVAC catalog, 120 AI offer requests and the
final ERP offers salespeople made from them, following consistent preferences plus noise.

The ground truth (every correction made, the expected rules) is written to
``<home>/demo/offers_truth.json`` so the evaluation can score the learner.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from ..factory import object_store
from ..offers.models import CatalogProduct, ErpOffer, ErpRow
from ..offers.normalize import normalize_term
from ..offers.requests import request_key
from ..ports.erp import LocalERP, write_catalog_csv
from .catalog_world import build_catalog, find

N_OFFERS = 120
FIRST_OFFER = 700100
# In the learner's family wording; a group named by a word needs no code beside it.
EXPECTED_RULES = [
    "Prefer TIGRIS brand KOMPOSIITTIPUTKI over ONEPIPE",
    "Prefer BROEN brand PALLOVENTTIILI over NEOVAL",
    "Prefer 5M sections over 3M for KUPARIPUTKI",
]


def _scenarios(cat: list[CatalogProduct]):
    """Each scenario draws (customer term, AI product, final product or None to keep, quantity)."""

    def composite(rng):
        size = rng.choice(["16", "20", "25", "32"])
        term = rng.choice(["komposiittiputki {s}mm", "monikerrosputki {s}mm", "komposiittiputki {s} mm"]).format(s=size)
        ai = find(cat, "KOMPOSIITTIPUTKI", f"{size}MM", "ONEPIPE", "5M")
        r = rng.random()
        final = (find(cat, "KOMPOSIITTIPUTKI", f"{size}MM", "TIGRIS", "5M") if r < 0.85
                 else find(cat, "KOMPOSIITTIPUTKI", f"{size}MM", "UPONOR", "5M") if r < 0.90 else None)
        return term, ai, final, rng.choice([20, 50, 100, 150])

    def copper(rng):
        size = rng.choice(["12", "15", "18", "22", "28"])
        term = rng.choice(["kupariputki {s}mm", "cu-putki {s}mm", "Kupariputki {s} mm"]).format(s=size)
        ai = find(cat, "KUPARIPUTKI", f"{size}MM", "LUVATA", "3M")
        final = find(cat, "KUPARIPUTKI", f"{size}MM", "LUVATA", "5M") if rng.random() < 0.9 else None
        return term, ai, final, rng.choice([30, 45, 60, 90, 120])

    def valve(rng):
        size = rng.choice(["15", "20", "25"])
        term = rng.choice(["palloventtiili dn{s}", "palloventtiili DN {s}", "pallovent. dn{s}"]).format(s=size)
        ai = find(cat, "PALLOVENTTIILI", f"DN{size}", "NEOVAL")
        final = find(cat, "PALLOVENTTIILI", f"DN{size}", "BROEN") if rng.random() < 0.9 else None
        return term, ai, final, rng.choice([2, 4, 6, 10])

    def meter_bare(rng):
        size = rng.choice(["15", "20"])
        ai = find(cat, "VESIMITTARI", "DN15", "ITRON")  # the old AI ignored a bare number
        final = find(cat, "VESIMITTARI", f"DN{size}", "ITRON") if size == "20" else None
        return f"vesimittari {size}", ai, final, rng.choice([1, 2, 5])

    def meter_dn(rng):
        size = rng.choice(["15", "20"])
        return f"vesimittari dn{size}", find(cat, "VESIMITTARI", f"DN{size}", "KAMSTRUP"), None, rng.choice([1, 3])

    def drain_brand(rng):
        return ("lattiakaivo purus", find(cat, "LATTIAKAIVO", "DN50", "UNIDRAIN"), find(cat, "LATTIAKAIVO", "DN50", "PURUS"),
                rng.choice([1, 2, 4]))

    def drain_dn(rng):
        return "lattiakaivo dn75", find(cat, "LATTIAKAIVO", "DN75", "JAFO"), None, rng.choice([1, 2])

    def clamp(rng):
        size = rng.choice(["15", "22", "28"])
        return f"putkikannake {size}mm", find(cat, "PUTKIKANNAKE", f"{size}MM", "WALRAVEN"), None, rng.choice([20, 50])

    def pump(rng):
        model = rng.choice(["25-40", "25-60"])
        return f"kiertovesipumppu {model}", find(cat, "KIERTOVESIPUMPPU", model, "GRUNDFOS"), None, 1

    return [(composite, 3), (copper, 3), (valve, 3), (meter_bare, 1), (meter_dn, 1), (drain_brand, 1),
            (drain_dn, 1), (clamp, 2), (pump, 1)]


def _ai_line(product: CatalogProduct, term: str, qty: float, rng: random.Random) -> dict:
    discount = rng.choice([0, 5, 10, 15])
    return {
        "product_code": product.product_code,
        "product_name": product.product_name,
        "quantity": qty,
        "unit": product.unit,
        "price": product.price,
        "confidence_score": round(rng.uniform(0.55, 0.97), 2),
        "match_method": rng.choice(["semantic_search", "fuzzy_name", "llm_rerank"]),
        "product_group": product.product_group,
        "match_details": {"original_customer_term": term, "candidates_considered": rng.randint(3, 25)},
        "pricing": {"list_price": product.price, "discount_percent": discount,
                    "net_price": round(product.price * (1 - discount / 100), 2)},
    }


def build(settings, scale: float = 1.0) -> dict:
    rng = random.Random(20261121)
    catalog = build_catalog()
    erp = LocalERP(settings.paths.erp)
    write_catalog_csv(settings.paths.erp_products, catalog)
    store = object_store(settings)
    bucket = settings.offers.bucket
    scenarios = _scenarios(catalog)
    kinds = [s for s, w in scenarios for _ in range(w)]
    accessories = [p for p in catalog if p.product_group == "PUTKIKANNAKE"]
    base_time = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    truth_swaps: list[dict] = []
    noise = {"removed": 0, "added": 0, "quantity_changed": 0, "kept": 0, "superseded_contexts": 0}
    n_offers = max(10, int(N_OFFERS * scale))

    for i in range(n_offers):
        offer_number = str(FIRST_OFFER + i)
        when = base_time + timedelta(hours=7 * i, minutes=rng.randint(0, 59))
        stamp = when.strftime("%Y%m%d_%H%M%S")
        lines, finals, used_codes = [], [], set()
        for _ in range(rng.randint(2, 6)):
            term, ai, final, qty = rng.choice(kinds)(rng)
            if ai.product_code in used_codes:
                continue
            used_codes.add(ai.product_code)
            lines.append(_ai_line(ai, term, qty, rng))
            if rng.random() < 0.08:  # salesperson dropped the line
                noise["removed"] += 1
                continue
            if final is None:
                q = qty
                if rng.random() < 0.15:
                    q = qty * 2 if qty < 10 else qty + 10
                    noise["quantity_changed"] += 1
                else:
                    noise["kept"] += 1
                finals.append(ErpRow(product_code=ai.product_code, product_name=ai.product_name, quantity=q,
                                     unit=ai.unit, price=ai.price, discount_percent=rng.choice([0.0, 5.0, 10.0])))
            else:
                truth_swaps.append({"offer_number": offer_number, "source_file": f"{offer_number}_{stamp}.json",
                                    "customer_term": normalize_term(term), "ai_code": ai.product_code,
                                    "final_code": final.product_code})
                finals.append(ErpRow(product_code=final.product_code, product_name=final.product_name, quantity=qty,
                                     unit=final.unit, price=final.price, discount_percent=rng.choice([0.0, 5.0])))
        if rng.random() < 0.25:  # an accessory the customer did not ask for
            acc = rng.choice(accessories)
            if acc.product_code not in used_codes:
                noise["added"] += 1
                finals.append(ErpRow(product_code=acc.product_code, product_name=acc.product_name,
                                     quantity=rng.choice([10, 20, 40]), unit=acc.unit, price=acc.price, discount_percent=0.0))
        rng.shuffle(finals)  # ERP row order is the salesperson's, not the AI's
        request = {
            "offer_number": offer_number,
            "timestamp": when.isoformat(),
            "email": {"subject": f"Tarjouspyyntö {offer_number}", "from": f"ostot{i % 17}@asiakas{i % 17}.fi",
                      "received_at": when.isoformat()},
            "customer": {"name": f"LVI-Asennus {chr(65 + i % 26)}{i % 17} Oy", "customer_number": f"C{1000 + i % 37}"},
            "ai_matched_products": lines,
            "automation": {"version": "2.3.1", "model": "offer-matcher"},
        }
        if i % 12 == 5:  # an older context for the same offer: the newest must win
            old = dict(request, timestamp=(when - timedelta(hours=2)).isoformat(),
                       ai_matched_products=[_ai_line(accessories[0], "vanha rivi", 1, rng)])
            store.put_bytes(bucket, request_key(offer_number, (when - timedelta(hours=2)).strftime("%Y%m%d_%H%M%S")),
                            json.dumps(old, ensure_ascii=False).encode())
            noise["superseded_contexts"] += 1
        store.put_bytes(bucket, request_key(offer_number, stamp), json.dumps(request, ensure_ascii=False, indent=1).encode())
        erp.save_offer(ErpOffer(offer_number=offer_number, updated_at=(when + timedelta(days=1)).isoformat(), rows=finals))

    # Bad input the agent must survive: a truncated request, and a request whose offer the ERP lacks.
    store.put_bytes(bucket, request_key("799998", "20261020_101500"), b'{"offer_number": "799998", "timestamp": "2026-10-2')
    erp.save_offer(ErpOffer(offer_number="799998", updated_at="2026-10-21T10:00:00+00:00",
                            rows=[ErpRow(product_code=catalog[0].product_code, product_name=catalog[0].product_name,
                                         quantity=30, unit="m", price=catalog[0].price)]))
    missing = {"offer_number": "799999", "timestamp": "2026-10-21T09:00:00+00:00", "email": {}, "customer": {},
               "ai_matched_products": [_ai_line(catalog[0], "kupariputki 12mm", 30, rng)]}
    store.put_bytes(bucket, request_key("799999", "20261021_090000"), json.dumps(missing).encode())

    majority: dict[str, dict[str, int]] = {}
    for s in truth_swaps:
        majority.setdefault(s["customer_term"], {}).setdefault(s["final_code"], 0)
        majority[s["customer_term"]][s["final_code"]] += 1
    truth = {
        "swaps": truth_swaps,
        "expected_rules": EXPECTED_RULES,
        "corrected_terms": {t: max(c, key=c.get) for t, c in majority.items()},
        "noise": noise,
        "bad_requests": {"malformed": "799998", "missing_in_erp": "799999"},
    }
    truth_path = settings.paths.root / "demo" / "offers_truth.json"
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8")
    return {"catalog_products": len(catalog), "offer_requests": n_offers + 2 + noise["superseded_contexts"],
            "true_swaps": len(truth_swaps), **noise}
