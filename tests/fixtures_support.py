"""Shared helpers for the support tests: small knowledge documents in the kb-docs bucket."""

from __future__ import annotations

DOCS = {
    "returns/returns.md": "---\ncategory: returns\n---\n# Returns\n\nConsumers may return unused products "
                          "within 30 days of delivery. Refunds are paid within 14 days.\n",
    "delivery/shipping.md": "---\ncategory: delivery\n---\n# Shipping\n\nStandard parcel delivery costs 9.90 EUR. "
                            "Orders over 150 EUR ship free.\n",
    "warranty/pumps.txt": "Pump warranty\n\nCirculation pumps have a 5-year warranty when installed by a certified "
                          "installer.\n",
}


def put_docs(settings, docs: dict[str, str] | None = None):
    from commerce_platform import factory

    store = factory.object_store(settings)
    for key, text in (DOCS if docs is None else docs).items():
        store.put_bytes(settings.kb_bucket, key, text.encode())
    return store
