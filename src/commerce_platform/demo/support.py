"""Support demo: customers, orders and interactions in the customer database / key-value store,
and the shipped knowledge documents uploaded to the kb-docs bucket and synced."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

FIRST = ["Aino", "Eero", "Liisa", "Mikko", "Sanna", "Juha", "Elina", "Timo", "Kaisa", "Ville", "Anna", "Lars",
         "Ingrid", "Erik", "Karin", "Nils", "Sofia", "Oskar", "Maja", "Henrik"]
LAST = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Lehtonen", "Hämäläinen", "Laine", "Heikkinen",
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Hansen", "Larsen"]
CITIES = [("Helsinki", "FI"), ("Espoo", "FI"), ("Tampere", "FI"), ("Turku", "FI"), ("Oulu", "FI"),
          ("Stockholm", "SE"), ("Göteborg", "SE"), ("Oslo", "NO"), ("Tallinn", "EE")]
COMPANIES = ["Putkityö Laine Oy", "LVI-Huolto Nieminen", "Aurora Rakennus Oy", "Nordic Pipe AB", "Fjord VVS AS",
             "Kaarna Kiinteistöt Oy"]
ITEMS = ["composite pipe 16 mm 50 m", "ball valve DN20", "apartment water meter Q3 2.5", "floor drain 75 mm",
         "circulation pump CP-25", "booster pump BP-40", "copper pipe 15 mm 5 m", "thermostatic mixing valve",
         "press fittings set", "PTFE tape 12 m"]
STATUSES = ["delivered"] * 6 + ["shipped", "paid", "pending", "cancelled", "returned"]
MESSAGES = [
    ("email", "Thanks, the pump arrived quickly and works great!"),
    ("chat", "My order is late again and nobody answers, this is really frustrating."),
    ("phone", "Asked about the warranty of a water meter, good help."),
    ("email", "Kiitos nopeasta toimituksesta, kaikki toimii hyvin."),
    ("email", "Paketti on taas myöhässä ja olen todella pettynyt."),
    ("chat", "The valve I received is leaking and the box was damaged."),
    ("email", "Could you send the invoice as Finvoice? Thanks."),
    ("phone", "Not happy: wrong item delivered twice."),
    ("chat", "Ei toimi, pumppu on rikki jo toisen kerran."),
    ("email", "Excellent service at the Espoo store, very helpful staff."),
]


def build(settings, scale: float = 1.0) -> dict:
    from .. import wiring
    from ..support.kb_eval import demo_docs_dir

    rng = random.Random(5)
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    service = wiring.customer_service(settings, now=lambda: datetime.now(UTC))
    customers, orders = [], []
    n_customers = max(10, int(40 * min(scale, 25)))
    for i in range(1, n_customers + 1):
        business = i % 3 == 0
        city, country = rng.choice(CITIES)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        cid = f"C{i:04d}"
        customers.append({
            "customer_id": cid, "name": f"{first} {last}",
            "email": f"{first.lower()}.{last.lower()}{i}@example.com".replace("ä", "a").replace("ö", "o"),
            "company": rng.choice(COMPANIES) if business else None, "segment": "business" if business else "consumer",
            "city": city, "country": country, "language": "fi" if country == "FI" and i % 2 else "en",
            "tier": "gold" if business and i % 2 else "standard",
            "created_at": now - timedelta(days=rng.randint(60, 2000)),
        })
        # Recency varies on purpose so churn risk differs across customers.
        last_days = [5, 20, 45, 100, 200, 400][i % 6]
        for j in range(rng.randint(1, 6)):
            orders.append({
                "order_id": f"SO-{i:04d}-{j + 1}", "customer_id": cid,
                "order_date": now - timedelta(days=last_days + j * rng.randint(10, 60)),
                "status": rng.choice(STATUSES), "channel": "b2b" if business else rng.choice(["web", "store"]),
                "total_amount": round(rng.uniform(15, 4000 if business else 600), 2), "currency": "EUR",
                "summary": ", ".join(rng.sample(ITEMS, rng.randint(1, 3))),
            })
    service.upsert_customers(customers)
    service.add_orders(orders)
    interactions = 0
    for i in range(1, n_customers + 1):
        # A rebuild (demo --force) replaces the demo's contacts instead of adding a second set: their
        # keys carry a timestamp and a random suffix, so writing them again would duplicate them.
        for item in service.interactions.query(f"C{i:04d}"):
            if item.get("kind") == "contact":
                service.interactions.delete(item["customer_id"], item["sk"])
        for _ in range(rng.randint(0, 3)):
            channel, text = rng.choice(MESSAGES)
            service.record_interaction(f"C{i:04d}", text, channel=channel, kind="contact",
                                       at=datetime.now(UTC) - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23)))
            interactions += 1
    kb = wiring.knowledge_base(settings)
    report = kb.sync(docs_dir=demo_docs_dir())
    tickets = build_tickets(settings, kb)  # after the sync: the tickets carry KB suggestions
    return {"customers": len(customers), "orders": len(orders), "interactions": interactions,
            "kb_documents": report.documents, "kb_chunks": report.chunks, "tickets": tickets}


# (customer, subject, message, channel): open tickets so the support console has recent ones to open.
TICKETS = [
    ("C0002", "Order still not delivered", "I ordered a circulation pump CP-25 ten days ago and it has not arrived. "
     "Where is my delivery?", "email"),
    ("C0003", "Leaking ball valve", "The ball valve DN20 I received is leaking and the box was damaged. Can I "
     "return it?", "chat"),
    ("C0006", "Invoice as Finvoice", "Could you send our company's invoices as Finvoice from now on?", "email"),
    ("C0009", "Pump warranty", "Our booster pump BP-40 broke after two years, is it covered by the warranty?", "phone"),
    ("C0010", "Picking up from the store", "Can I pick up my click and collect order at the Espoo store on "
     "Saturday?", "web"),
]


def build_tickets(settings, kb=None) -> int:
    """The demo tickets, through the support desk's own intake (sentiment, interaction, suggestions).
    Idempotent: a ticket whose customer and subject already exist is not created again, so running
    ``commerce demo`` twice does not double them. Returns how many tickets were created."""
    from .. import wiring

    desk = wiring.support_desk(settings, kb=kb)
    existing = {(t.get("customer_id"), t.get("subject")) for t in desk.tickets.scan()}
    created = 0
    for customer_id, subject, body, channel in TICKETS:
        if (customer_id, subject) in existing:
            continue
        desk.create_ticket(customer_id, subject, body, channel)
        created += 1
    return created
