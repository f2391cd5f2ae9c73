"""The retail lake (ARCHITECTURE 7.1) as Parquet in ``<home>/lake/retail/<table>.parquet``.

Deterministic (seeded numpy RNG), fully vectorized, and written in row groups so that
``scale=1000`` (about 10 million order_items) builds in bounded memory. Orders span the
fixed period 2024-07-01 .. 2026-10-31 so evaluation questions with a fixed ``--as-of``
always have the same answers.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

START = date(2024, 7, 1)
END = date(2026, 10, 31)
AS_OF = date(2026, 11, 1)  # the as-of date the evaluation set assumes

CATEGORIES = {
    "Plumbing": ["Copper Pipe", "Pipe Fitting", "Shower Mixer", "Basin Tap", "Drain Trap"],
    "Electrical": ["Cable Reel", "Wall Socket", "Circuit Breaker", "Extension Cord", "Switch Plate"],
    "Tools": ["Cordless Drill", "Hammer", "Screwdriver Set", "Angle Grinder", "Tape Measure"],
    "Garden": ["Garden Hose", "Lawn Mower", "Pruning Shears", "Wheelbarrow", "Rake"],
    "Kitchen": ["Cutting Board", "Chef Knife", "Frying Pan", "Kettle", "Blender"],
    "Lighting": ["LED Bulb", "Ceiling Lamp", "Floor Lamp", "Spotlight", "Desk Lamp"],
    "Heating": ["Radiator", "Heat Pump", "Thermostat", "Oil Heater", "Floor Heating Mat"],
    "Paint": ["Wall Paint", "Primer", "Paint Roller", "Brush Set", "Wood Stain"],
}
BRANDS = ["Nordline", "Fiskars", "Bosch", "Makita", "Oras", "Philips", "Gustavsberg", "Tikkurila", "Ensto", "Husqvarna"]
CITIES = [("Helsinki", "FI"), ("Espoo", "FI"), ("Tampere", "FI"), ("Turku", "FI"), ("Oulu", "FI"),
          ("Stockholm", "SE"), ("Gothenburg", "SE"), ("Oslo", "NO"), ("Copenhagen", "DK"), ("Tallinn", "EE")]
CITY_WEIGHTS = [0.2, 0.1, 0.1, 0.08, 0.06, 0.14, 0.08, 0.1, 0.08, 0.06]
WAREHOUSES = ["Vantaa", "Kuopio", "Jonkoping", "Drammen"]
CARRIERS = ["Posti", "DHL", "PostNord", "Bring", "Schenker"]
FIRST = ["Anna", "Mikko", "Laura", "Juha", "Emma", "Oskar", "Sofia", "Erik", "Aino", "Lars", "Ingrid", "Matti",
         "Elsa", "Nils", "Helmi", "Ville", "Maja", "Sami", "Liisa", "Karl"]
LAST = ["Virtanen", "Korhonen", "Nieminen", "Johansson", "Andersson", "Hansen", "Larsen", "Makela", "Lindqvist",
        "Berg", "Heikkinen", "Koskinen", "Nilsson", "Olsen", "Laine", "Tamm", "Salo", "Dahl", "Lund", "Rask"]
COMPANY = ["Rakennus", "Build", "Kiinteisto", "Huolto", "Bygg", "Talo", "Remont", "Asennus"]
STATUSES = ["pending", "paid", "shipped", "delivered", "cancelled", "returned"]
CHANNELS = ["web", "store", "b2b"]

BASE_CUSTOMERS = 300
BASE_ORDERS = 3500
BASE_PRODUCTS = 120
ORDER_CHUNK = 400_000


def _sizes(scale: float) -> tuple[int, int, int]:
    scale = max(float(scale), 0.01)
    customers = max(20, int(BASE_CUSTOMERS * scale))
    orders = max(100, int(BASE_ORDERS * scale))
    products = max(40, int(BASE_PRODUCTS * min(scale, 1.0) if scale < 1 else BASE_PRODUCTS * scale ** 0.5))
    return customers, orders, products


def _customers(rng, n: int, days_total: int):
    import numpy as np
    import pyarrow as pa

    ids = np.arange(1, n + 1)
    business = rng.random(n) < 0.3
    first = np.array(FIRST)[(ids * 7) % len(FIRST)]
    last = np.array(LAST)[(ids * 13 + ids // len(FIRST)) % len(LAST)]
    company = np.array(COMPANY)[ids % len(COMPANY)]
    person = np.char.add(np.char.add(first, " "), last)
    names = np.where(business, np.char.add(np.char.add(company, " "), np.char.add(last, " Oy")), person)
    # keep names unique: append the id when a name repeats
    _, first_idx, inverse = np.unique(names, return_index=True, return_inverse=True)
    dup = first_idx[inverse] != np.arange(n)
    names = np.where(dup, np.char.add(np.char.add(names, " "), ids.astype(str)), names)
    city_idx = rng.choice(len(CITIES), size=n, p=CITY_WEIGHTS)
    cities = np.array([c for c, _ in CITIES])[city_idx]
    countries = np.array([k for _, k in CITIES])[city_idx]
    emails = np.char.add(np.char.add(np.char.lower(np.char.replace(names, " ", ".")), "@"),
                         np.where(business, "company.example", "mail.example"))
    signup = np.datetime64(START) - 400 + rng.integers(0, days_total + 380, n)
    return pa.table({
        "customer_id": pa.array(ids, pa.int32()),
        "name": pa.array(names.tolist(), pa.string()),
        "email": pa.array(emails.tolist(), pa.string()),
        "segment": pa.array(np.where(business, "business", "consumer").tolist(), pa.string()),
        "city": pa.array(cities.tolist(), pa.string()),
        "country": pa.array(countries.tolist(), pa.string()),
        "signup_date": pa.array(signup.astype("datetime64[D]"), pa.date32()),
    }), business


def _products(rng, n: int):
    import numpy as np
    import pyarrow as pa

    ids = np.arange(1, n + 1)
    cats = list(CATEGORIES)
    cat_idx = (ids - 1) % len(cats)
    item_idx = ((ids - 1) // len(cats)) % 5
    brand_idx = (ids * 3 + (ids - 1) // 40) % len(BRANDS)
    variant = (ids - 1) // (len(cats) * 5)
    cat_arr = np.array(cats)[cat_idx]
    items = np.array([CATEGORIES[c][i] for c, i in zip(cat_arr.tolist(), item_idx.tolist(), strict=True)])
    names = np.char.add(np.char.add(np.array(BRANDS)[brand_idx], " "), items)
    names = np.where(variant > 0, np.char.add(np.char.add(names, " "), (variant + 1).astype(str)), names)
    price = np.round(np.exp(rng.normal(3.3, 0.9, n)), 2) + 2.0
    cost = np.round(price * rng.uniform(0.45, 0.8, n), 2)
    sku = np.char.add("SKU-", np.char.zfill(ids.astype(str), 6))
    return pa.table({
        "product_id": pa.array(ids, pa.int32()),
        "sku": pa.array(sku.tolist(), pa.string()),
        "name": pa.array(names.tolist(), pa.string()),
        "category": pa.array(cat_arr.tolist(), pa.string()),
        "brand": pa.array(np.array(BRANDS)[brand_idx].tolist(), pa.string()),
        "unit_price": pa.array(price, pa.float64()),
        "unit_cost": pa.array(cost, pa.float64()),
        "active": pa.array(rng.random(n) > 0.06, pa.bool_()),
    })


def _inventory(rng, n_products: int):
    import numpy as np
    import pyarrow as pa

    pid = np.repeat(np.arange(1, n_products + 1), len(WAREHOUSES))
    wh = np.tile(np.array(WAREHOUSES), n_products)
    m = len(pid)
    qty = rng.integers(0, 400, m)
    roll = rng.random(m)
    qty = np.where(roll < 0.10, 0, np.where(roll < 0.25, rng.integers(1, 15, m), qty))
    # a few products are out of stock everywhere
    gone = rng.random(n_products) < 0.05
    qty = np.where(np.repeat(gone, len(WAREHOUSES)), 0, qty)
    reorder = rng.integers(10, 40, m)
    updated = np.datetime64("2026-10-31T18:00:00") - rng.integers(0, 86400 * 20, m).astype("timedelta64[s]")
    return pa.table({
        "product_id": pa.array(pid, pa.int32()),
        "warehouse": pa.array(wh.tolist(), pa.string()),
        "quantity_on_hand": pa.array(qty, pa.int32()),
        "reorder_level": pa.array(reorder, pa.int32()),
        "updated_at": pa.array(updated.astype("datetime64[us]"), pa.timestamp("us")),
    })


def _labels(codes, labels: list[str]):
    """Plain string column from integer codes (via a dictionary array: no Python strings per row)."""
    import numpy as np
    import pyarrow as pa

    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)),
                                          pa.array(labels, pa.string())).cast(pa.string())


def _order_chunk(rng, first_id: int, n: int, n_customers: int, business, prices, n_products: int,
                 days_total: int, shipment_start: int):
    """One chunk of orders with their items and shipments (all vectorized)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    order_id = np.arange(first_id, first_id + n)
    # customers: skewed so some buy a lot; ~8% of customers never order (the top ids)
    active_customers = max(1, int(n_customers * 0.92))
    cust = (rng.zipf(1.25, n) - 1) % active_customers + 1
    cust = np.where(rng.random(n) < 0.5, rng.integers(1, active_customers + 1, n), cust)
    # order dates: growth over time plus a December peak
    u = rng.random(n) ** 0.8
    day = (u * days_total).astype(np.int64)
    odate = np.datetime64(START) + day
    month = (odate.astype("datetime64[M]").astype(int) % 12) + 1
    bump = (month == 12) & (rng.random(n) < 0.2)
    day = np.where(bump, np.minimum(day + 3, days_total - 1), day)
    odate = np.datetime64(START) + day
    age = days_total - 1 - day
    is_business = business[cust - 1]
    channel = np.where(is_business & (rng.random(n) < 0.8), 2, np.where(rng.random(n) < 0.6, 0, 1))
    r = rng.random(n)
    status = np.select([r < 0.06, r < 0.10], [4, 5], default=3)
    recent = age < 25
    rr = rng.random(n)
    status = np.where(recent & (rr < 0.3), 0, np.where(recent & (rr < 0.6), 1, np.where(recent & (rr < 0.85), 2, status)))
    status = np.where((age >= 25) & (age < 40) & (rr < 0.3), 2, status)
    # items: 1..6 lines per order, products skewed (popular ones)
    lines = rng.integers(1, 6, n)
    total_lines = int(lines.sum())
    item_order = np.repeat(order_id, lines)
    anchor = np.repeat(rng.integers(1, n_products + 1, n), lines)
    pop = (rng.zipf(1.3, total_lines) - 1) % n_products + 1
    mix = rng.random(total_lines)
    product = np.where(mix < 0.35, pop, np.where(mix < 0.6, ((anchor + 8 - 1) % n_products) + 1,
                                                  rng.integers(1, n_products + 1, total_lines)))
    qty = np.where(np.repeat(is_business, lines), rng.integers(1, 25, total_lines), rng.integers(1, 4, total_lines))
    unit_price = prices[product - 1]
    disc = np.where(rng.random(total_lines) < 0.25, rng.choice([5.0, 10.0, 15.0, 20.0], total_lines), 0.0)
    net = qty * unit_price * (1 - disc / 100)
    totals = np.round(np.bincount(np.repeat(np.arange(n), lines), weights=net, minlength=n), 2)
    orders = pa.table({
        "order_id": pa.array(order_id, pa.int32()),
        "customer_id": pa.array(cust, pa.int32()),
        "order_date": pa.array(odate.astype("datetime64[D]"), pa.date32()),
        "status": _labels(status, STATUSES),
        "channel": _labels(channel, CHANNELS),
        "total_amount": pa.array(totals, pa.float64()),
    })
    items = pa.table({
        "order_id": pa.array(item_order, pa.int32()),
        "product_id": pa.array(product, pa.int32()),
        "quantity": pa.array(qty, pa.int32()),
        "unit_price": pa.array(unit_price, pa.float64()),
        "discount_percent": pa.array(disc, pa.float64()),
    })
    shipped_mask = np.isin(status, [2, 3, 5])
    s_orders = order_id[shipped_mask]
    m = len(s_orders)
    s_dates = odate[shipped_mask].astype("datetime64[s]")
    shipped_at = s_dates + (rng.integers(1, 3, m) * 86400 + rng.integers(8 * 3600, 18 * 3600, m)).astype("timedelta64[s]")
    delivered = np.isin(status[shipped_mask], [3, 5])
    delivered_at = shipped_at + (rng.integers(1, 6, m) * 86400).astype("timedelta64[s]")
    carrier_idx = rng.integers(0, len(CARRIERS), m)
    ship_ids = np.arange(shipment_start, shipment_start + m)
    prefix = _labels(carrier_idx, [c[:2].upper() + "-" for c in CARRIERS])
    digits = pc.utf8_lpad(pa.array(ship_ids * 7919 % 10_000_000).cast(pa.string()), 9, "0")
    tracking = pc.binary_join_element_wise(prefix, digits, "")
    shipments = pa.table({
        "shipment_id": pa.array(ship_ids, pa.int32()),
        "order_id": pa.array(s_orders, pa.int32()),
        "carrier": _labels(carrier_idx, CARRIERS),
        "shipped_at": pa.array(shipped_at.astype("datetime64[us]"), pa.timestamp("us")),
        "delivered_at": pa.array(np.where(delivered, delivered_at, np.datetime64("NaT")).astype("datetime64[us]"),
                                 pa.timestamp("us"), mask=~delivered),
        "tracking_number": tracking,
    })
    return orders, items, shipments


def build_lake(lake: Path, scale: float = 1.0, seed: int = 7) -> dict:
    """Write the six tables into ``lake``; returns row counts and seconds."""
    import numpy as np
    import pyarrow.parquet as pq

    started = time.perf_counter()
    lake = Path(lake)
    lake.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_customers, n_orders, n_products = _sizes(scale)
    days_total = (END - START).days + 1
    customers, business = _customers(rng, n_customers, days_total)
    products = _products(rng, n_products)
    inventory = _inventory(rng, n_products)
    for name, table in (("customers", customers), ("products", products), ("inventory", inventory)):
        _write_atomic(lake / f"{name}.parquet", [table])
    prices = products.column("unit_price").to_numpy()
    writers: dict = {}
    counts = {"customers": n_customers, "products": n_products, "inventory": inventory.num_rows,
              "orders": 0, "order_items": 0, "shipments": 0}
    try:
        next_id, next_ship = 1, 1
        while next_id <= n_orders:
            n = min(ORDER_CHUNK, n_orders - next_id + 1)
            chunk = _order_chunk(rng, next_id, n, n_customers, business, prices, n_products, days_total, next_ship)
            for name, table in zip(("orders", "order_items", "shipments"), chunk, strict=True):
                if name not in writers:
                    tmp = lake / f".{name}.parquet.tmp"
                    writers[name] = (pq.ParquetWriter(tmp, table.schema, compression="zstd"), tmp)
                writers[name][0].write_table(table, row_group_size=256_000)
                counts[name] += table.num_rows
            next_ship += chunk[2].num_rows
            next_id += n
    finally:
        for name, (writer, tmp) in writers.items():
            writer.close()
            tmp.replace(lake / f"{name}.parquet")
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


def _write_atomic(path: Path, tables) -> None:
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(tables[0], tmp, compression="zstd")
    tmp.replace(path)


def build(settings, scale: float = 1.0) -> dict:
    """``commerce demo`` hook: the lake into ``settings.paths.retail_lake``."""
    counts = build_lake(settings.paths.retail_lake, scale=scale)
    return {"lake": str(settings.paths.retail_lake), **counts}
