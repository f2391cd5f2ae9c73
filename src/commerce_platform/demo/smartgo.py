"""SmartGo demo: a SQLite ``sales`` database (ARCHITECTURE 7.2) with several marketplace tenants and
sales for each of the last 7 days, plus product images drawn with Pillow (per category and brand) in the
local object store bucket ``smartgo-images`` (image_url ``s3://smartgo-images/<key>``).

A few bad rows each day exercise the exporter's counting paths: a null image URL, a missing and a
negative price, an unknown currency and an HTML error page where an image should be.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

SEED = 20240611
TENANTS = {  # tenant -> currency
    "nordic-outlet": "EUR", "stockholm-style": "SEK", "oslo-gear": "NOK", "copenhagen-home": "DKK",
}
CATEGORIES = {  # category -> (base price in EUR, title nouns)
    "sneakers": (89, ["Runner", "Court Classic", "Trail Pro"]),
    "handbag": (149, ["Tote", "Crossbody", "Shopper"]),
    "watch": (199, ["Chrono", "Diver", "Field Watch"]),
    "t-shirt": (25, ["Logo Tee", "Basic Tee", "Pocket Tee"]),
    "mug": (15, ["Espresso Cup", "Coffee Mug", "Tea Mug"]),
    "lamp": (69, ["Desk Lamp", "Floor Lamp", "Pendant"]),
}
BRANDS = {  # brand -> (primary colour, accent colour)
    "Nordvik": ((28, 60, 140), (240, 240, 240)),
    "Fjellrev": ((200, 40, 40), (30, 30, 30)),
    "Solberg": ((240, 190, 30), (60, 60, 60)),
    "Havtorn": ((40, 140, 80), (250, 230, 200)),
    "Kuura": ((120, 60, 160), (220, 220, 230)),
}
FX = {"EUR": 1.0, "SEK": 11.4, "NOK": 11.6, "DKK": 7.46}
IMAGE_SIZE = 192


def _draw(category: str, brand: str, variant: int) -> bytes:
    from PIL import Image, ImageDraw

    primary, accent = BRANDS[brand]
    rng = random.Random(f"{category}/{brand}/{variant}")
    shade = lambda c, d: tuple(max(0, min(255, v + d)) for v in c)  # noqa: E731
    p = shade(primary, rng.randint(-25, 25))
    bg = (rng.randint(235, 250),) * 3
    img = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), bg)
    d = ImageDraw.Draw(img)
    s = IMAGE_SIZE
    dx, dy = rng.randint(-8, 8), rng.randint(-8, 8)
    if category == "sneakers":
        d.polygon([(30 + dx, 120 + dy), (60 + dx, 80 + dy), (110 + dx, 85 + dy), (165 + dx, 115 + dy),
                   (165 + dx, 135 + dy), (30 + dx, 135 + dy)], fill=p)
        d.rectangle([25 + dx, 135 + dy, 170 + dx, 148 + dy], fill=accent)
        for i in range(4):
            d.line([(70 + 10 * i + dx, 88 + dy), (80 + 10 * i + dx, 100 + dy)], fill=accent, width=3)
    elif category == "handbag":
        d.arc([65 + dx, 30 + dy, 127 + dx, 100 + dy], 180, 360, fill=accent, width=8)
        d.rounded_rectangle([40 + dx, 65 + dy, 152 + dx, 160 + dy], radius=12, fill=p)
        d.rectangle([86 + dx, 80 + dy, 106 + dx, 92 + dy], fill=accent)
    elif category == "watch":
        d.rectangle([80 + dx, 10, 112 + dx, s - 10], fill=accent)
        d.ellipse([50 + dx, 50 + dy, 142 + dx, 142 + dy], fill=p, outline=accent, width=6)
        d.ellipse([64 + dx, 64 + dy, 128 + dx, 128 + dy], fill=(245, 245, 245))
        d.line([(96 + dx, 96 + dy), (96 + dx, 72 + dy)], fill=(20, 20, 20), width=3)
        d.line([(96 + dx, 96 + dy), (114 + dx, 104 + dy)], fill=(20, 20, 20), width=3)
    elif category == "t-shirt":
        d.polygon([(60 + dx, 30), (132 + dx, 30), (175 + dx, 65), (155 + dx, 90), (140 + dx, 80),
                   (140 + dx, 170), (52 + dx, 170), (52 + dx, 80), (37 + dx, 90), (17 + dx, 65)], fill=p)
        d.ellipse([80 + dx, 22, 112 + dx, 44], fill=bg)
        d.rectangle([82 + dx, 90 + dy, 110 + dx, 110 + dy], fill=accent)
    elif category == "mug":
        d.rounded_rectangle([45 + dx, 55 + dy, 130 + dx, 160 + dy], radius=8, fill=p)
        d.ellipse([118 + dx, 80 + dy, 160 + dx, 130 + dy], outline=p, width=10)
        d.rectangle([45 + dx, 55 + dy, 130 + dx, 66 + dy], fill=accent)
    else:  # lamp
        d.polygon([(60 + dx, 30 + dy), (132 + dx, 30 + dy), (155 + dx, 90 + dy), (37 + dx, 90 + dy)], fill=p)
        d.rectangle([92 + dx, 90 + dy, 100 + dx, 160], fill=accent)
        d.rectangle([60 + dx, 160, 132 + dx, 172], fill=accent)
    for _ in range(20):  # a little texture so photos of the same product differ slightly
        x, y = rng.randrange(s), rng.randrange(s)
        d.point((x, y), fill=shade(bg, -30))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


HTML_ERROR_PAGE = b"<!DOCTYPE html><html><head><title>404</title></head><body>Image not found</body></html>"


def build(settings, scale: float = 1.0, today: datetime | None = None) -> dict:
    from ..factory import object_store
    from ..ports.smartgo_source import write_sales

    rng = random.Random(SEED)
    bucket = settings.export_images_bucket
    store = object_store(settings)
    # Products: every tenant sells a catalogue of (category, brand, variant); images keyed by product.
    products: dict[str, list[dict]] = {}
    images = 0
    for tenant in TENANTS:
        catalogue = []
        for n in range(max(6, int(18 * min(scale, 3)))):
            category = rng.choice(sorted(CATEGORIES))
            brand = rng.choice(sorted(BRANDS))
            variant = rng.randint(1, 3)
            base, nouns = CATEGORIES[category]
            pid = f"{tenant[:3].upper()}-{n:04d}"
            key = f"{tenant}/{category}/{brand.lower()}-{variant}.png"
            if not store.exists(bucket, key):
                store.put_bytes(bucket, key, _draw(category, brand, variant), content_type="image/png")
                images += 1
            catalogue.append({"product_id": pid, "category": category, "brand": brand,
                              "title": f"{brand} {rng.choice(nouns)} {variant}",
                              "price_eur": base * rng.uniform(0.7, 1.4), "image_url": f"s3://{bucket}/{key}"})
        products[tenant] = catalogue
    store.put_bytes(bucket, "errors/missing.png", HTML_ERROR_PAGE, content_type="text/html")

    db_dir = settings.paths.root / "smartgo"
    db_dir.mkdir(parents=True, exist_ok=True)
    db_path = db_dir / "smartgo.db"
    if db_path.exists():
        db_path.unlink()

    today = (today or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = []
    bad = 0
    for back in range(7, 0, -1):
        day = today - timedelta(days=back)
        count = int(rng.randint(100, 300) * scale)
        for i in range(count):
            tenant = rng.choice(sorted(TENANTS))
            product = rng.choice(products[tenant])
            currency = TENANTS[tenant]
            price = Decimal(str(round(product["price_eur"] * FX[currency] * rng.uniform(0.85, 1.15), 2)))
            rows.append({
                "sale_id": f"SG-{day:%Y%m%d}-{i:05d}", "tenant_id": tenant, "product_id": product["product_id"],
                "title": product["title"], "category": product["category"], "brand": product["brand"],
                "sold_price": price, "currency": currency,
                "sold_at": (day + timedelta(seconds=rng.randrange(86400))).replace(tzinfo=None),
                "image_url": product["image_url"],
            })
        # The bad rows of the day (each counted by the exporter with its sale id).
        template = dict(rows[-1])
        changes: list[dict[str, Any]] = [{"image_url": None}, {"sold_price": None}, {"sold_price": Decimal("-5.00")},
                                         {"currency": "XXX"}, {"image_url": f"s3://{bucket}/errors/missing.png"}]
        for n, change in enumerate(changes):
            rows.append({**template, **change, "sale_id": f"SG-{day:%Y%m%d}-BAD{n}"})
            bad += 1
    write_sales(f"sqlite:///{db_path}", rows)
    return {"database": str(db_path), "tenants": len(TENANTS), "days": 7, "sales": len(rows), "bad_rows": bad,
            "images": images, "bucket": bucket}
