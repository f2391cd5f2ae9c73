"""Seeded, blind evaluation world for the offer-learning agent, in the data home's own formats.

    python benchmarks/worlds/seed_format_world.py --home DIR --seed N [--offers 150] [--holdout-inline]

Stdlib only; imports nothing from commerce_platform. ``build_world(home, seed, offers=150)`` writes
the home and returns the ground truth (also written to ``<home>/world_truth.json``).

Files written (paths relative to the home)
------------------------------------------
erp/products.csv
    ``product_code,product_name,product_group,unit,price``; product_group is a numeric code
    ("101600"), one per product family; names are ERP style with brand, model, size, length and
    temper tokens in an order (and size spelling: 15X1,0 / 15MM / D15) chosen per brand.
objects/offer-learning-data/offer-requests/{offer_number}_{YYYYMMDDTHHMMSSZ}.json
    The AI offer (training offers). The file-name stamp is the request's UTC time, basic ISO 8601
    (``20251107T101500Z``); the JSON ``timestamp`` is the same instant as ``2025-11-07T10:15:00Z``.
    ``email`` is the salesperson handling the offer, ``customer`` the customer's company name (a
    string); each item's ``pricing`` is {list_price, discount_percent (the customer's contract
    discount), net_price, line_total, currency}; ``quantity`` counts sales units (pipe sections).
erp/offers/{offer_number}.json
    The salesperson's final offer: ``{"offer_number", "updated_at", "rows": [{"product_code",
    "product_name", "quantity", "unit", "price", "discount_percent"}]}``, rows in request order;
    a deleted line is simply missing (the others keep their order).
holdout/objects/offer-learning-data/offer-requests/..., holdout/erp/offers/...
    The chronologically last ~20% of offers (the replay set), kept out of the agent's paths so it
    cannot learn from them. With ``--holdout-inline`` they go to the ordinary paths instead.
world_truth.json
    The ground truth (below).
world_truth_learnings/product_swaps.csv, world_truth_learnings/general_rules.txt
    What an ideal agent would learn, in the agent's own output formats: the planted term swaps
    (origin product_swap) and one line per general rule (dated the day of the holdout cutoff).

Truth (world_truth.json)
------------------------
``seed``, ``params`` (what the seed chose), ``split`` (``cutoff``: first holdout timestamp;
``train``/``holdout``: offer numbers), ``catalog`` (families with group, family_words, brands,
sizes; ``products``: code -> family/brand/size/length_m), ``salespeople`` (email, habit, rates),
``swaps``: ``[{"customer_term", "from_code", "to_code", "condition": null | {"attribute":
"run_length_m", "op": ">", "value": 10}, "origin": "product_swap" | "brand_preference" |
"length_preference", "support_offers", "support_salespeople", ...}]`` aggregated over the training
offers (``quantity_rule`` and ``kept_offers`` on conditional ones), ``rules``: brand_preference
(family_group, family_words, prefer_brand, over_brand, sizes, support) and length_preference
(family_group, family_words, prefer "5M", over "3M", condition, quantity_rule), each with a
``text``; ``noise_offers`` (offer number, split, salesperson, events: one_off_swap,
quantity_edit, price_edit, discount_edit, line_deleted); ``holdout_offers`` (per request line:
customer term, AI code/quantity, final code/quantity/price/discount or null when deleted, and a
``label`` saying why it changed); ``offers`` (the same line table for every offer) and
``holdout_scores`` (share of holdout lines the salesperson changed relative to the AI as-is:
``baseline``; relative to a proposer that knows every planted truth: ``oracle``).

Score a proposer with ``score_holdout(truth, proposals)``: proposals map offer number -> one
proposed line per request line (a product code, ``{"product_code", "quantity"}``, or None for
"delete"); the score is the share of holdout lines the salesperson would still change.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

REQUESTS_DIR = Path("objects/offer-learning-data/offer-requests")
OFFERS_DIR = Path("erp/offers")
HOLDOUT_DIR = Path("holdout")
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
RUN_THRESHOLD_M = 10
LENGTH_CONDITION = {"attribute": "run_length_m", "op": ">", "value": RUN_THRESHOLD_M}


def _pipe_sizes(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str], list[str]]]:
    """(size, wall) -> (size, ERP spellings, customer spellings)."""
    out = []
    for n, wall in pairs:
        w = wall.split(",")[0]
        out.append((n, [f"{n}X{wall}", f"{n}MM", f"D{n}"], [f"{n}mm", f"{n} mm", f"d{n}", f"{n}x{w}", f"{n}"]))
    return out


# Each family: ERP family words, brands (brand, model), temper/extra tokens, sizes (key, ERP
# spellings, customer spellings), section lengths (m, [] = none), the length a customer need not
# say, customer words and typos, base price per size (per metre for pipes), quantity profile.
FAMILY_POOL: dict[str, dict] = {
    "copper": {
        "words": ["KUPARIPUTKI", "CU-PUTKI", "KUP.PUTKI"],
        "brands": [("WIELAND", "SANCO"), ("KME", "SANITUB"), ("MUELLER", "STREAMLINE"), ("HALCOR", "TALOS"), ("LUVATA", "")],
        "tails": ["SH", "KOVA", "PUOLIKOVA", ""],
        "sizes": _pipe_sizes([("15", "1,0"), ("18", "1,0"), ("22", "1,0"), ("28", "1,2")]),
        "lengths": [3, 5],
        "default_length": 3,
        "term_words": ["kupariputki", "kupariputkea", "cu-putki", "kupari putki", "cu putki"],
        "typos": ["kuparipuki", "kupariptki", "kuparputki", "kupariputi"],
        "price": {"15": 4.9, "18": 6.4, "22": 8.7, "28": 12.6},
        "unit": "KPL",
    },
    "composite": {
        "words": ["KOMPOSIITTIPUTKI", "KOMP.PUTKI", "MONIKERROSPUTKI"],
        "brands": [("TIGRIS", "K1"), ("ONEPIPE", ""), ("UPONOR", "MLC"), ("HENCO", "STANDARD"), ("ALUPEX", "")],
        "tails": ["", "PE-RT/AL"],
        "sizes": _pipe_sizes([("16", "2,0"), ("20", "2,25"), ("26", "3,0"), ("32", "3,0")]),
        "lengths": [3, 5],
        "default_length": 5,
        "term_words": ["komposiittiputki", "komposiittiputkea", "komp.putki", "monikerrosputki", "komp putki"],
        "typos": ["komposittiputki", "komposiitiputki", "kompoosiittiputki"],
        "price": {"16": 2.1, "20": 2.9, "26": 4.8, "32": 6.9},
        "unit": "KPL",
    },
    "pumps": {
        "words": ["PUMPPU", "KIERTOVESIPUMPPU", "KV-PUMPPU"],
        "brands": [("GRUNDFOS", "ALPHA2"), ("WILO", "YONOS PICO"), ("DAB", "EVOSTA2"), ("LOWARA", "ECOCIRC")],
        "tails": ["", "230V"],
        "sizes": [
            ("25-40", ["25-40 180", "25-40/180", "25/40-180"], ["25-40", "25-40 180", "25/40", "25-40/180"]),
            ("25-60", ["25-60 180", "25-60/180", "25/60-180"], ["25-60", "25-60 180", "25/60", "25-60/180"]),
            ("32-40", ["32-40 180", "32-40/180", "32/40-180"], ["32-40", "32-40 180", "32/40", "32-40/180"]),
            ("32-60", ["32-60 180", "32-60/180", "32/60-180"], ["32-60", "32-60 180", "32/60", "32-60/180"]),
        ],
        "lengths": [],
        "default_length": None,
        "term_words": ["pumppu", "kiertovesipumppu", "kv-pumppu", "kiertopumppu"],
        "typos": ["pumpu", "kiertovesipumpu", "pupmpu"],
        "price": {"25-40": 289.0, "25-60": 319.0, "32-40": 349.0, "32-60": 389.0},
        "unit": "KPL",
    },
    "valves": {
        "words": ["PALLOVENTTIILI", "PALLOVENTT.", "SULKUVENTTIILI"],
        "brands": [("BROEN", "BALLOFIX"), ("KTM", "K21"), ("TA", "STS"), ("ONNLINE", "")],
        "tails": ["", "SIS/SIS", "UK/SIS"],
        "sizes": [
            ("15", ["DN15", "15MM", "R1/2"], ["dn15", "15mm", "1/2", "15", "1/2\""]),
            ("20", ["DN20", "20MM", "R3/4"], ["dn20", "20mm", "3/4", "20", "3/4\""]),
            ("25", ["DN25", "25MM", "R1"], ["dn25", "25mm", "1\"", "25", "1 tuuma"]),
            ("32", ["DN32", "32MM", "R1 1/4"], ["dn32", "32mm", "5/4", "32", "1 1/4\""]),
        ],
        "lengths": [],
        "default_length": None,
        "term_words": ["palloventtiili", "pallovent.", "sulkuventtiili", "palloventtiiliä", "pallo venttiili"],
        "typos": ["paloventtiili", "palloventiili", "palloventtili"],
        "price": {"15": 11.5, "20": 15.9, "25": 24.0, "32": 39.5},
        "unit": "KPL",
    },
    "fittings": {
        "words": ["PUSERRUSKULMA", "PUS.KULMA", "KULMA PUSERRUS"],
        "brands": [("CONEX", "BANNINGER"), ("SANHA", "PURAPRESS"), ("VIEGA", "SANPRESS"), ("BROEN", "")],
        "tails": ["", "MESSINKI", "CR"],
        "sizes": [
            ("15", ["15MM", "15X15", "D15"], ["15mm", "15", "15x15", "d15"]),
            ("18", ["18MM", "18X18", "D18"], ["18mm", "18", "18x18", "d18"]),
            ("22", ["22MM", "22X22", "D22"], ["22mm", "22", "22x22", "d22"]),
            ("28", ["28MM", "28X28", "D28"], ["28mm", "28", "28x28", "d28"]),
        ],
        "lengths": [],
        "default_length": None,
        "term_words": ["puserruskulma", "kulma", "pus.kulma", "puserrus kulma", "kulmaliitin"],
        "typos": ["puseruskulma", "puserruskluma", "kulam"],
        "price": {"15": 6.2, "18": 7.8, "22": 9.9, "28": 14.5},
        "unit": "KPL",
    },
    "insulation": {
        "words": ["PUTKIKOURU", "PUTKIERISTE", "ERISTEKOURU"],
        "brands": [("ARMAFLEX", "AF"), ("K-FLEX", "ST"), ("PAROC", "SECTION"), ("ISOVER", "U PROTECT")],
        "tails": ["", "HARMAA"],
        "sizes": [
            ("15", ["15X13", "15/13", "D15 13MM"], ["15mm", "15/13", "15x13", "15 mm"]),
            ("18", ["18X13", "18/13", "D18 13MM"], ["18mm", "18/13", "18x13", "18 mm"]),
            ("22", ["22X13", "22/13", "D22 13MM"], ["22mm", "22/13", "22x13", "22 mm"]),
            ("28", ["28X13", "28/13", "D28 13MM"], ["28mm", "28/13", "28x13", "28 mm"]),
        ],
        "lengths": [2],
        "default_length": 2,
        "term_words": ["putkieriste", "eriste", "putkikouru", "eristekouru", "solukumieriste"],
        "typos": ["putkieristee", "eristys kouru", "putkiersite"],
        "price": {"15": 3.1, "18": 3.4, "22": 3.9, "28": 4.6},
        "unit": "KPL",
    },
}
OPTIONAL_FAMILIES = ["composite", "pumps", "valves", "fittings", "insulation"]
MISC_PRODUCTS = [
    ("KIERRETIIVISTE LOCTITE 55 160M", "RLL", 18.9, ["loctite 55", "kierretiiviste", "loctite lanka"]),
    ("TEFLONNAUHA 12MMX12M", "RLL", 1.9, ["teflonnauha", "teflon nauha", "kierreteippi"]),
    ("PUTKIKIINNIKE 15MM M8", "KPL", 0.85, ["kiinnike 15", "putkikiinnike 15mm", "putkenkiinnike 15"]),
    ("JUOTOSPASTA 250G", "KPL", 12.4, ["juotospasta", "juotos pasta", "fluksi"]),
    ("TIIVISTEHAMPPU 100G", "KPL", 4.2, ["hamppu", "tiivistehamppu", "pellava hamppu"]),
    ("PUTKILEIKKURI 3-35MM", "KPL", 24.9, ["putkileikkuri", "putkenkatkaisija", "leikkuri 35mm"]),
]
TEMPLATES = [
    "{fw} {size} {len} {tail} {brand}",
    "{brand} {model} {fw} {size} {len}",
    "{brand} {fw} {size} {len} {tail}",
    "{fw} {brand} {model} {size} {len}",
    "{fw} {size} {brand} {model} {len}",
    "{fw} {len} {brand} {size} {tail}",
]
CUSTOMERS = [
    "LVI-Asennus Virtanen Oy", "Putkityö Nieminen Oy", "Lämpö ja Vesi Mäkinen Ky", "Rakennus Korhonen Oy",
    "Talotekniikka Laine Oy", "Saneeraus Heikkinen Oy", "Vesijohtoliike Koskinen", "LVIS-Palvelu Järvinen Oy",
    "Kiinteistöhuolto Lehtonen Oy", "Putkimestarit Oy", "Rautakauppa Saarinen", "Asennuspalvelu Salminen Ky",
]
FIRST_NAMES = ["mikko", "anna", "jukka", "sari", "timo", "laura", "pekka", "hanna", "juha", "tiina"]
LAST_NAMES = ["virtanen", "korhonen", "makinen", "nieminen", "hamalainen", "laine", "heikkinen", "koskinen"]
HABITS = {
    # multipliers on the world's noise rate, per kind of edit
    "careful": {"quantity_edit": 0.3, "price_edit": 0.3, "discount_edit": 0.3, "line_deleted": 0.3, "one_off_swap": 0.3},
    "tinkerer": {"quantity_edit": 1.5, "price_edit": 0.5, "discount_edit": 0.5, "line_deleted": 1.0, "one_off_swap": 3.0},
    "pricer": {"quantity_edit": 0.5, "price_edit": 3.0, "discount_edit": 3.0, "line_deleted": 0.5, "one_off_swap": 0.5},
    "trimmer": {"quantity_edit": 1.0, "price_edit": 0.5, "discount_edit": 0.5, "line_deleted": 3.0, "one_off_swap": 1.0},
    "quick": {"quantity_edit": 2.0, "price_edit": 1.0, "discount_edit": 1.0, "line_deleted": 1.0, "one_off_swap": 1.0},
}
NOISE_SHARE = {"quantity_edit": 0.35, "price_edit": 0.18, "discount_edit": 0.17, "line_deleted": 0.15, "one_off_swap": 0.15}
QTY_RANGE = {"composite": (1, 30), "pumps": (1, 2), "valves": (1, 10), "fittings": (2, 40), "insulation": (2, 30)}
MATCH_METHODS = ["semantic", "fuzzy", "llm", "history", "keyword"]


def _norm(term: str) -> str:
    return " ".join(term.lower().split())


class _World:
    """One attempt at a world for (seed, attempt); everything drawn from one Random."""

    def __init__(self, seed: int, attempt: int, n_offers: int):
        self.seed = seed
        self.rng = random.Random(f"seed-format-world:{seed}:{attempt}")
        self.n_offers = n_offers
        self.products: list[dict] = []
        self.by_key: dict[tuple, dict] = {}
        self.families: dict[str, dict] = {}
        self.reserved_terms: set[str] = set()
        self.one_off_pairs: set[tuple[str, str]] = set()
        self.one_off_brand_dirs: set[tuple[str, str, str]] = set()

    # catalog ------------------------------------------------------------------------------
    def build_catalog(self) -> None:
        rng = self.rng
        chosen = ["copper"] + sorted(rng.sample(OPTIONAL_FAMILIES, rng.randint(3, 5)), key=OPTIONAL_FAMILIES.index)
        groups: set[str] = set()
        codes = iter(str(c) for c in rng.sample(range(1_000_000, 9_999_999), 2000))
        for fam in chosen:
            spec = FAMILY_POOL[fam]
            while True:
                group = f"{rng.randint(100, 899)}{rng.randint(1, 9)}00"
                if group not in groups:
                    groups.add(group)
                    break
            n_brands = rng.choice([2, 3, 3])
            brands = rng.sample(spec["brands"], n_brands)
            templates = rng.sample(TEMPLATES, n_brands)
            fam_info = {"family": fam, "group": group, "brands": [], "sizes": [s[0] for s in spec["sizes"]],
                        "lengths": list(spec["lengths"]), "family_words": []}
            for (brand, model), template in zip(brands, templates, strict=True):
                style = rng.randrange(3)
                fw = rng.choice(spec["words"])
                tail = rng.choice(spec["tails"])
                factor = rng.uniform(0.85, 1.25)
                fam_info["brands"].append({"brand": brand, "model": model, "template": template,
                                           "size_style": style, "family_word": fw})
                if fw not in fam_info["family_words"]:
                    fam_info["family_words"].append(fw)
                for size, spellings, _terms in spec["sizes"]:
                    for length in spec["lengths"] or [None]:
                        name = template.format(fw=fw, size=spellings[style], len=f"{length}M" if length else "",
                                               tail=tail, brand=brand, model=model)
                        name = " ".join(name.split())
                        base = spec["price"][size] * (length or 1)
                        p = {"product_code": next(codes), "product_name": name, "product_group": group,
                             "unit": spec["unit"], "price": round(base * factor, 2), "family": fam,
                             "brand": brand, "size": size, "length_m": length}
                        self.products.append(p)
                        self.by_key[(fam, brand, size, length)] = p
            self.families[fam] = fam_info
        misc_group = f"{rng.randint(900, 989)}{rng.randint(1, 9)}00"
        fam_info = {"family": "misc", "group": misc_group, "brands": [], "sizes": [], "lengths": [], "family_words": []}
        self.misc = []
        for name, unit, price, terms in MISC_PRODUCTS:
            p = {"product_code": next(codes), "product_name": name, "product_group": misc_group, "unit": unit,
                 "price": price, "family": "misc", "brand": None, "size": None, "length_m": None, "terms": terms}
            self.products.append(p)
            self.misc.append(p)
        self.families["misc"] = fam_info
        names = [p["product_name"] for p in self.products]
        assert len(set(names)) == len(names), "product names must be unique"
        self.products.sort(key=lambda p: (p["product_group"], p["product_name"]))

    # truths to plant ----------------------------------------------------------------------
    def plant_truths(self) -> None:
        rng = self.rng
        others = [f for f in self.families if f not in ("copper", "misc")]
        n_pref = 1 if len(others) == 3 else rng.choice([1, 2])
        self.pref_families = sorted(rng.sample(others, n_pref), key=others.index)
        self.brand_prefs = {}
        for fam in self.pref_families:
            brands = [b["brand"] for b in self.families[fam]["brands"]]
            prefer, over = rng.sample(brands, 2)
            self.brand_prefs[fam] = {"prefer": prefer, "over": over}
        swap_fams = [f for f in others if f not in self.pref_families]
        self.swap_truths = []
        n_swaps = rng.randint(2, 4)
        used: set[tuple] = set()
        for i in range(n_swaps):
            fam = swap_fams[i % len(swap_fams)] if i < len(swap_fams) else rng.choice(swap_fams)
            spec = FAMILY_POOL[fam]
            sizes = [s[0] for s in spec["sizes"]]
            for _ in range(50):
                vi = rng.randrange(len(sizes))
                wi = vi + rng.choice([-1, 1])
                if 0 <= wi < len(sizes) and (fam, sizes[vi]) not in used:
                    break
            else:
                continue
            used.add((fam, sizes[vi]))
            brand = rng.choice(self.families[fam]["brands"])["brand"]
            length = spec["default_length"]
            term = self._fresh_term(fam, sizes[vi], length, reserved_ok=True)
            self.reserved_terms.add(_norm(term))
            a = self.by_key[(fam, brand, sizes[wi], length)]
            b = self.by_key[(fam, brand, sizes[vi], length)]
            self.swap_truths.append({"family": fam, "term": term, "from": a, "to": b})

    # terms --------------------------------------------------------------------------------
    def _term(self, fam: str, size: str, length: int | None, brand: str | None = None) -> str:
        rng = self.rng
        spec = FAMILY_POOL[fam]
        word = rng.choice(spec["typos"]) if rng.random() < 0.15 else rng.choice(spec["term_words"])
        spell = rng.choice([s for s in spec["sizes"] if s[0] == size][0][2])
        parts = [word, spell]
        if length and (length != spec["default_length"] or rng.random() < 0.55):
            parts.append(rng.choice([f"{length}m", f"{length} m", f"{length}m", f"{length} metrin"]))
        if brand:
            parts.insert(rng.choice([0, 1]), brand.lower())
        term = " ".join(parts)
        if rng.random() < 0.1:
            term = term.capitalize()
        return term

    def _fresh_term(self, fam, size, length, brand=None, reserved_ok=False) -> str:
        for _ in range(100):
            term = self._term(fam, size, length, brand)
            if reserved_ok or _norm(term) not in self.reserved_terms:
                return term
        raise RuntimeError("could not draw a customer term")

    # people, customers, times ---------------------------------------------------------------
    def build_people(self) -> None:
        rng = self.rng
        n = rng.randint(3, 6)
        firsts = rng.sample(FIRST_NAMES, n)
        lasts = rng.sample(LAST_NAMES, n)
        habits = rng.sample(list(HABITS), len(HABITS))
        self.noise_rate = round(rng.uniform(0.03, 0.12), 3)
        self.salespeople = []
        for i, (f, last) in enumerate(zip(firsts, lasts, strict=True)):
            habit = habits[i] if i < len(habits) else rng.choice(habits)
            self.salespeople.append({"email": f"{f}.{last}@lvi-tukku.fi", "habit": habit,
                                     "rates": {k: round(self.noise_rate * NOISE_SHARE[k] * m, 4)
                                               for k, m in HABITS[habit].items()},
                                     "weight": round(rng.uniform(0.6, 1.6), 2)})
        self.customers = [{"name": c, "discount_percent": rng.choice([0, 5, 8, 10, 12, 15])}
                          for c in rng.sample(CUSTOMERS, rng.randint(7, len(CUSTOMERS)))]
        self.one_off_budget = rng.randint(3, 6)

    def times(self) -> list[datetime]:
        rng = self.rng
        start = datetime(2025, rng.randint(1, 6), rng.randint(1, 28), tzinfo=UTC)
        span_days = max(20, int(self.n_offers * 0.8))
        seen, out = set(), []
        while len(out) < self.n_offers:
            day = start + timedelta(days=rng.randrange(span_days))
            if day.weekday() >= 5:
                continue
            t = day + timedelta(seconds=rng.randrange(5 * 3600, 15 * 3600))
            if t not in seen:
                seen.add(t)
                out.append(t)
        return sorted(out)

    # offers -------------------------------------------------------------------------------
    def _ai_line(self, offer_rng_kind: str) -> dict:
        """One request line: what the customer wrote and what the AI matched."""
        rng = self.rng
        if offer_rng_kind == "swap":
            st = rng.choice(self.swap_truths)
            prod = st["from"]
            qty = self._qty(st["family"], None)
            return {"term": st["term"], "product": prod, "quantity": qty, "swap": st}
        if offer_rng_kind == "misc":
            prod = rng.choice(self.misc)
            return {"term": rng.choice(prod["terms"]), "product": prod, "quantity": rng.randint(1, 5), "swap": None}
        fam = offer_rng_kind
        spec = FAMILY_POOL[fam]
        size = rng.choice([s[0] for s in spec["sizes"]])
        length = spec["default_length"]
        if fam == "copper":
            length = 3 if rng.random() < 0.72 else 5
        elif fam == "composite":
            length = 5 if rng.random() < 0.6 else 3
        brands = [b["brand"] for b in self.families[fam]["brands"]]
        term_brand = None
        if fam in self.brand_prefs:
            pref = self.brand_prefs[fam]
            rest = [b for b in brands if b not in (pref["prefer"], pref["over"])]
            r = rng.random()
            brand = pref["over"] if r < 0.55 else pref["prefer"] if (r < 0.85 or not rest) else rng.choice(rest)
        else:
            brand = rng.choice(brands)
            if rng.random() < 0.15:
                term_brand = brand
        term = self._fresh_term(fam, size, length, term_brand)
        prod = self.by_key[(fam, brand, size, length)]
        return {"term": term, "product": prod, "quantity": self._qty(fam, length), "swap": None}

    def _qty(self, fam: str, length: int | None) -> int:
        """Quantity in sales units (sections for pipes); copper runs are short (<= 9 m) or long."""
        rng = self.rng
        if fam == "copper":
            return rng.randint(1, 3) if rng.random() < 0.45 else rng.randint(4, 20)
        return rng.randint(*QTY_RANGE.get(fam, (1, 5)))

    def _correct(self, line: dict, person: dict, customer: dict) -> tuple[dict | None, str, dict | None]:
        """The salesperson's final row for a line, its label and a noise event (or None)."""
        prod, qty = line["product"], line["quantity"]
        disc = customer["discount_percent"]
        final, label = prod, "unchanged"
        if line["swap"] is not None:
            final, label = line["swap"]["to"], "product_swap"
        elif prod["family"] == "copper" and prod["length_m"] == 3 and qty * 3 > RUN_THRESHOLD_M:
            final = self.by_key[("copper", prod["brand"], prod["size"], 5)]
            qty, label = math.ceil(qty * 3 / 5), "length_preference"
        elif prod["family"] in self.brand_prefs and prod["brand"] == self.brand_prefs[prod["family"]]["over"]:
            pref = self.brand_prefs[prod["family"]]["prefer"]
            final, label = self.by_key[(prod["family"], pref, prod["size"], prod["length_m"])], "brand_preference"
        row = {"product_code": final["product_code"], "product_name": final["product_name"], "quantity": qty,
               "unit": final["unit"], "price": final["price"], "discount_percent": float(disc)}
        event = None
        if label == "unchanged":
            event = self._noise(line, row, person)
            if event is not None:
                label = event["kind"]
                if label == "line_deleted":
                    row = None
        return row, label, event

    def _noise(self, line: dict, row: dict, person: dict) -> dict | None:
        rng = self.rng
        prod = line["product"]
        r = rng.random()
        acc = 0.0
        kind = None
        for k, rate in person["rates"].items():
            acc += rate
            if r < acc:
                kind = k
                break
        if kind is None:
            return None
        ev = {"kind": kind, "from_code": prod["product_code"], "to_code": prod["product_code"]}
        if kind == "quantity_edit":
            if prod["family"] == "copper":
                return None  # keeps the run-length evidence clean
            new = max(1, row["quantity"] + rng.choice([-3, -2, -1, 1, 2, 5, 10]))
            if new == row["quantity"]:
                new += 1
            ev.update(from_quantity=row["quantity"], to_quantity=new)
            row["quantity"] = new
        elif kind == "price_edit":
            new = round(row["price"] * rng.choice([0.8, 0.85, 0.9, 0.95, 1.1]), 2)
            ev.update(from_price=row["price"], to_price=new)
            row["price"] = new
        elif kind == "discount_edit":
            new = float(rng.choice([d for d in (0, 5, 10, 15, 20, 25) if d != row["discount_percent"]]))
            ev.update(from_discount=row["discount_percent"], to_discount=new)
            row["discount_percent"] = new
        elif kind == "one_off_swap":
            target = self._one_off_target(prod)
            if target is None:
                return None
            ev["to_code"] = target["product_code"]
            for k in ("product_code", "product_name", "unit", "price"):
                row[k] = target[k]
        return ev

    def _one_off_target(self, prod: dict) -> dict | None:
        """Another product of the same family that no pattern and no other one-off uses."""
        rng = self.rng
        fam = prod["family"]
        if self.one_off_budget <= 0 or fam in ("copper", "misc") or fam in self.brand_prefs:
            return None
        swap_pairs = {(s["from"]["product_code"], s["to"]["product_code"]) for s in self.swap_truths}
        swap_codes = {c for pair in swap_pairs for c in pair}
        if prod["product_code"] in swap_codes:
            return None
        spec = FAMILY_POOL[fam]
        if rng.random() < 0.5:
            sizes = [s[0] for s in spec["sizes"] if s[0] != prod["size"]]
            target = self.by_key[(fam, prod["brand"], rng.choice(sizes), prod["length_m"])]
        else:
            brands = [b["brand"] for b in self.families[fam]["brands"] if b["brand"] != prod["brand"]]
            to_brand = rng.choice(brands)
            if (fam, prod["brand"], to_brand) in self.one_off_brand_dirs:
                return None
            target = self.by_key[(fam, to_brand, prod["size"], prod["length_m"])]
        pair = (prod["product_code"], target["product_code"])
        if pair in self.one_off_pairs or pair in swap_pairs or target["product_code"] in swap_codes:
            return None
        self.one_off_pairs.add(pair)
        self.one_off_pairs.add(pair[::-1])
        if target["brand"] != prod["brand"]:
            self.one_off_brand_dirs.add((fam, prod["brand"], target["brand"]))
        self.one_off_budget -= 1
        return target

    def build_offers(self) -> None:
        rng = self.rng
        kinds = [f for f in self.families if f != "misc"] + ["swap", "misc"]
        weights = [3.0 if f == "copper" else 2.6 if f in self.brand_prefs else 1.6 for f in kinds[:-2]] + [0.4 * len(self.swap_truths), 0.8]
        number = rng.randint(700_000, 760_000)
        self.offers = []
        times = self.times()
        n_hold = max(1, round(self.n_offers * 0.2))
        for i, ts in enumerate(times):
            number += rng.randint(1, 9)
            person = rng.choices(self.salespeople, weights=[p["weight"] for p in self.salespeople])[0]
            customer = rng.choice(self.customers)
            lines = []
            for _ in range(rng.randint(2, 8)):
                line = self._ai_line(rng.choices(kinds, weights=weights)[0])
                if any(line["product"] is x["product"] for x in lines):
                    continue  # one line per product in an offer
                lines.append(line)
            rows, table, events = [], [], []
            for j, line in enumerate(lines):
                row, label, ev = self._correct(line, person, customer)
                if row is not None:
                    rows.append(row)
                if ev is not None:
                    events.append({"line": j, **ev})
                prod = line["product"]
                table.append({"line": j, "customer_term": line["term"], "ai_product_code": prod["product_code"],
                              "ai_quantity": line["quantity"],
                              "final_product_code": row["product_code"] if row else None,
                              "final_quantity": row["quantity"] if row else None,
                              "final_price": row["price"] if row else None,
                              "final_discount_percent": row["discount_percent"] if row else None,
                              "label": label})
            updated = ts + timedelta(minutes=rng.randint(20, 3 * 24 * 60))
            self.offers.append({"offer_number": str(number), "timestamp": ts, "updated_at": updated,
                                "salesperson": person["email"], "customer": customer,
                                "split": "holdout" if i >= len(times) - n_hold else "train",
                                "lines": lines, "rows": rows, "table": table, "events": events})

    # checks -------------------------------------------------------------------------------
    def support(self) -> dict:
        """Evidence in the training offers for each planted truth."""
        sup: dict = {"swap": {}, "brand": {}, "long": set(), "short": set(), "long_sizes": set(),
                     "short_sizes": set(), "noise": {}, "holdout_labels": set()}
        for o in self.offers:
            for line, t in zip(o["lines"], o["table"], strict=True):
                prod = line["product"]
                if o["split"] == "holdout":
                    sup["holdout_labels"].add(t["label"])
                    continue
                if t["label"] == "product_swap":
                    s = sup["swap"].setdefault(line["term"], {"offers": set(), "people": set()})
                    s["offers"].add(o["offer_number"])
                    s["people"].add(o["salesperson"])
                elif t["label"] == "brand_preference":
                    s = sup["brand"].setdefault(prod["family"], {"offers": set(), "people": set(), "sizes": set()})
                    s["offers"].add(o["offer_number"])
                    s["people"].add(o["salesperson"])
                    s["sizes"].add(prod["size"])
                elif t["label"] == "length_preference":
                    sup["long"].add(o["offer_number"])
                    sup["long_sizes"].add(prod["size"])
                elif prod["family"] == "copper" and prod["length_m"] == 3 and t["label"] == "unchanged":
                    sup["short"].add(o["offer_number"])
                    sup["short_sizes"].add(prod["size"])
                elif t["label"] not in ("unchanged",):
                    sup["noise"][t["label"]] = sup["noise"].get(t["label"], 0) + 1
        return sup

    def ok(self) -> bool:
        sup = self.support()
        if len(self.swap_truths) < 2:
            return False
        for st in self.swap_truths:
            s = sup["swap"].get(st["term"])
            if not s or len(s["offers"]) < 3:
                return False
        for fam in self.brand_prefs:
            s = sup["brand"].get(fam)
            if not s or len(s["offers"]) < 3 or len(s["sizes"]) < 2 or len(s["people"]) < 2:
                return False
        if len(sup["long"]) < 3 or len(sup["short"]) < 3 or len(sup["long_sizes"]) < 2 or len(sup["short_sizes"]) < 2:
            return False
        if sup["noise"].get("one_off_swap", 0) < 1:
            return False
        if not {"quantity_edit", "line_deleted"} <= set(sup["noise"]):
            return False
        if not {"price_edit", "discount_edit"} & set(sup["noise"]):
            return False
        return {"brand_preference", "length_preference", "product_swap"} <= sup["holdout_labels"]

    # truth --------------------------------------------------------------------------------
    def truth(self, holdout_inline: bool) -> dict:
        train = [o for o in self.offers if o["split"] == "train"]
        hold = [o for o in self.offers if o["split"] == "holdout"]
        agg: dict[tuple, dict] = {}
        for o in train:
            for line, t in zip(o["lines"], o["table"], strict=True):
                prod = line["product"]
                if t["label"] in ("product_swap", "brand_preference", "length_preference"):
                    key = (line["term"], prod["product_code"], t["final_product_code"], t["label"])
                    a = agg.setdefault(key, {"offers": set(), "people": set()})
                    a["offers"].add(o["offer_number"])
                    a["people"].add(o["salesperson"])
        kept: dict[tuple, set] = {}
        for o in train:
            for line, t in zip(o["lines"], o["table"], strict=True):
                if line["product"]["family"] == "copper" and line["product"]["length_m"] == 3 and t["label"] == "unchanged":
                    kept.setdefault((line["term"], line["product"]["product_code"]), set()).add(o["offer_number"])
        names = {p["product_code"]: p["product_name"] for p in self.products}
        swaps = []
        for (term, frm, to, origin), a in sorted(agg.items()):
            s = {"customer_term": term, "from_code": frm, "to_code": to,
                 "condition": dict(LENGTH_CONDITION) if origin == "length_preference" else None,
                 "origin": origin, "from_name": names[frm], "to_name": names[to],
                 "support_offers": len(a["offers"]), "support_salespeople": len(a["people"])}
            if origin == "length_preference":
                s["quantity_rule"] = "ceil(quantity*3/5)"
                s["kept_offers"] = len(kept.get((term, frm), ()))
            swaps.append(s)
        sup = self.support()
        rules = []
        for fam, pref in self.brand_prefs.items():
            info = self.families[fam]
            s = sup["brand"][fam]
            rules.append({"kind": "brand_preference", "family": fam, "family_group": info["group"],
                          "family_words": list(info["family_words"]), "prefer_brand": pref["prefer"],
                          "over_brand": pref["over"], "sizes": sorted(s["sizes"]),
                          "support_offers": len(s["offers"]), "support_salespeople": len(s["people"]),
                          "text": f"Within {' / '.join(info['family_words'])} (product group {info['group']}), "
                                  f"prefer {pref['prefer']} over {pref['over']} in the same size"})
        copper = self.families["copper"]
        rules.append({"kind": "length_preference", "family": "copper", "family_group": copper["group"],
                      "family_words": list(copper["family_words"]), "prefer": "5M", "over": "3M",
                      "condition": dict(LENGTH_CONDITION), "quantity_rule": "ceil(quantity*3/5)",
                      "sizes": sorted(sup["long_sizes"]), "support_offers": len(sup["long"]),
                      "kept_short_run_offers": len(sup["short"]),
                      "text": "For projects requiring total pipe length >10m, prefer 5m sections over 3m sections "
                              f"({' / '.join(copper['family_words'])}, product group {copper['group']}; "
                              "quantity = ceil(quantity*3/5))"})
        noise = [{"offer_number": o["offer_number"], "split": o["split"], "salesperson": o["salesperson"],
                  "events": o["events"]} for o in self.offers if o["events"]]

        def offer_entry(o: dict) -> dict:
            base = HOLDOUT_DIR if (o["split"] == "holdout" and not holdout_inline) else Path()
            return {"offer_number": o["offer_number"], "timestamp": o["timestamp"].strftime(ISO_FORMAT),
                    "salesperson": o["salesperson"], "customer": o["customer"]["name"], "split": o["split"],
                    "request_file": str(base / REQUESTS_DIR / _request_name(o)),
                    "erp_file": str(base / OFFERS_DIR / f"{o['offer_number']}.json"), "lines": o["table"]}

        holdout_entries = [offer_entry(o) for o in hold]
        fams = []
        for f, info in self.families.items():
            fams.append({"family": f, "group": info["group"], "family_words": info["family_words"],
                         "brands": [b["brand"] for b in info["brands"]],
                         "brand_templates": {b["brand"]: b["template"] for b in info["brands"]},
                         "sizes": info["sizes"], "lengths_m": info["lengths"]})
        truth = {
            "seed": self.seed,
            "params": {"offers": self.n_offers, "families": list(self.families), "n_salespeople": len(self.salespeople),
                       "noise_rate": self.noise_rate, "brand_preference_families": self.pref_families,
                       "product_swap_families": sorted({s["family"] for s in self.swap_truths}),
                       "holdout_layout": "inline" if holdout_inline else "separate",
                       "timestamp_in_file_name": STAMP_FORMAT, "run_threshold_m": RUN_THRESHOLD_M},
            "split": {"cutoff": hold[0]["timestamp"].strftime(ISO_FORMAT) if hold else None,
                      "train": [o["offer_number"] for o in train], "holdout": [o["offer_number"] for o in hold]},
            "catalog": {"families": fams,
                        "products": {p["product_code"]: {"family": p["family"], "brand": p["brand"], "size": p["size"],
                                                         "length_m": p["length_m"], "group": p["product_group"]}
                                     for p in self.products}},
            "salespeople": [{k: v for k, v in p.items() if k != "weight"} for p in self.salespeople],
            "swaps": swaps,
            "planted_swaps": [{"customer_term": s["term"], "from_code": s["from"]["product_code"],
                               "to_code": s["to"]["product_code"], "condition": None, "family": s["family"]}
                              for s in self.swap_truths],
            "rules": rules,
            "noise_offers": noise,
            "holdout_offers": holdout_entries,
            "offers": [offer_entry(o) for o in self.offers],
        }
        truth["holdout_scores"] = {"baseline": _share(holdout_entries, lambda t: t["ai_product_code"]),
                                   "oracle": _share(holdout_entries, lambda t: _oracle_code(t))}
        return truth


def _oracle_code(t: dict) -> str | None:
    """What a proposer knowing every planted truth proposes: the final code unless the change was noise."""
    if t["label"] in ("product_swap", "brand_preference", "length_preference", "unchanged",
                      "quantity_edit", "price_edit", "discount_edit"):
        return t["final_product_code"]
    return t["ai_product_code"]


def _share(entries: list[dict], propose) -> float:
    n = changed = 0
    for e in entries:
        for t in e["lines"]:
            n += 1
            changed += propose(t) != t["final_product_code"]
    return round(changed / n, 4) if n else 0.0


def score_holdout(truth: dict, proposals: dict) -> dict:
    """Share of holdout lines the salesperson would still change after the proposer.

    proposals: offer_number -> list with one entry per request line: a product code, a dict with
    "product_code" (and optionally "quantity"), or None meaning "drop the line". A missing offer
    counts as the AI's request unchanged. A line the salesperson deleted counts as changed unless
    the proposal is None.
    """
    lines = changed = changed_full = 0
    for e in truth["holdout_offers"]:
        props = proposals.get(e["offer_number"])
        for t in e["lines"]:
            p = props[t["line"]] if props is not None else {"product_code": t["ai_product_code"],
                                                             "quantity": t["ai_quantity"]}
            if isinstance(p, str):
                p = {"product_code": p}
            code = p["product_code"] if p else None
            qty = p.get("quantity", t["ai_quantity"]) if p else None
            lines += 1
            changed += code != t["final_product_code"]
            changed_full += code != t["final_product_code"] or (code is not None and qty != t["final_quantity"])
    return {"lines": lines, "still_changed": changed, "share": round(changed / lines, 4) if lines else 0.0,
            "still_changed_with_quantity": changed_full,
            "share_with_quantity": round(changed_full / lines, 4) if lines else 0.0}


def _request_name(o: dict) -> str:
    return f"{o['offer_number']}_{o['timestamp'].strftime(STAMP_FORMAT)}.json"


def _dump(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write(world: _World, home: Path, truth: dict, holdout_inline: bool) -> None:
    rng = random.Random(f"seed-format-world:ai:{world.seed}")
    (home / "erp").mkdir(parents=True, exist_ok=True)
    with (home / "erp" / "products.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["product_code", "product_name", "product_group", "unit", "price"])
        for p in world.products:
            w.writerow([p["product_code"], p["product_name"], p["product_group"], p["unit"], f"{p['price']:.2f}"])
    for o in world.offers:
        base = home / HOLDOUT_DIR if (o["split"] == "holdout" and not holdout_inline) else home
        items = []
        disc = float(o["customer"]["discount_percent"])
        for line in o["lines"]:
            p = line["product"]
            items.append({
                "product_code": p["product_code"], "product_name": p["product_name"], "quantity": line["quantity"],
                "unit": p["unit"], "price": p["price"], "confidence_score": round(rng.uniform(0.55, 0.98), 2),
                "match_method": rng.choice(MATCH_METHODS), "product_group": p["product_group"],
                "match_details": {"original_customer_term": line["term"]},
                "pricing": {"list_price": p["price"], "discount_percent": disc,
                            "net_price": round(p["price"] * (1 - disc / 100), 2),
                            "line_total": round(p["price"] * (1 - disc / 100) * line["quantity"], 2),
                            "currency": "EUR"},
            })
        request = {"offer_number": o["offer_number"], "timestamp": o["timestamp"].strftime(ISO_FORMAT),
                   "email": o["salesperson"], "customer": o["customer"]["name"], "ai_matched_products": items}
        _dump(base / REQUESTS_DIR / _request_name(o), request)
        _dump(base / OFFERS_DIR / f"{o['offer_number']}.json",
              {"offer_number": o["offer_number"], "updated_at": o["updated_at"].strftime(ISO_FORMAT), "rows": o["rows"]})
    _dump(home / "world_truth.json", truth)
    learn = home / "world_truth_learnings"
    learn.mkdir(parents=True, exist_ok=True)
    day = truth["split"]["cutoff"][:10] if truth["split"]["cutoff"] else "2025-01-01"
    with (learn / "product_swaps.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["customer_term", "matched_product_code", "matched_product_name", "confidence_score", "reasoning",
                    "match_type", "timestamp", "source_files"])
        for s in truth["swaps"]:
            if s["origin"] != "product_swap":
                continue  # brand and length changes are general rules (general_rules.txt)
            w.writerow([s["customer_term"], s["to_code"], s["to_name"], "1.0",
                        f"salespeople replaced {s['from_code']} with {s['to_code']} for this term in "
                        f"{s['support_offers']} offers", "product_swap", f"{day}T00:00:00Z",
                        f"{s['support_offers']} offers"])
    (learn / "general_rules.txt").write_text("".join(f"{day}: {r['text']}\n" for r in truth["rules"]), encoding="utf-8")


def build_world(home, seed: int, offers: int = 150, holdout_inline: bool = False) -> dict:
    """Write a world for `seed` into `home` and return its ground truth."""
    if offers < 30:
        raise ValueError("offers must be at least 30 (the truths need >= 3 independent offers each)")
    home = Path(home)
    for attempt in range(200):
        world = _World(seed, attempt, offers)
        world.build_catalog()
        world.plant_truths()
        world.build_people()
        world.build_offers()
        if world.ok():
            break
    else:
        raise RuntimeError(f"seed {seed}: no attempt met the evidence requirements")
    truth = world.truth(holdout_inline)
    truth["params"]["attempt"] = attempt
    _write(world, home, truth, holdout_inline)
    return truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", required=True, type=Path)
    ap.add_argument("--seed", required=True, type=int)
    ap.add_argument("--offers", type=int, default=150)
    ap.add_argument("--holdout-inline", action="store_true",
                    help="write the holdout offers to the ordinary paths too (default: <home>/holdout/)")
    args = ap.parse_args(argv)
    truth = build_world(args.home, args.seed, args.offers, holdout_inline=args.holdout_inline)
    summary = {"home": str(args.home), **{k: truth["params"][k] for k in ("families", "n_salespeople", "noise_rate",
                                                                          "brand_preference_families")},
               "train": len(truth["split"]["train"]), "holdout": len(truth["split"]["holdout"]),
               "swaps": len(truth["swaps"]), "rules": [r["text"] for r in truth["rules"]],
               "noise_offers": len(truth["noise_offers"]), "holdout_scores": truth["holdout_scores"]}
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
