"""Churn-risk evaluation: agreement of the support desk's churn band with a support lead's.

Loads benchmarks/data/churn_cases.json (customer situations: profile and orders, earlier contacts
with their text, other open tickets, the ticket being handled now, and the band a support lead
expects), replays each one through the real path (customer database, interactions store,
SupportDesk.create_ticket) in a throwaway home and prints the agreement, per expected band, and
the confusion matrix.

    .venv/bin/python benchmarks/eval_churn.py [--json] [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

CASES = Path(__file__).parent / "data" / "churn_cases.json"
BANDS = ("low", "medium", "high", "unknown")


def replay(cases: list[dict], home: Path) -> list[dict]:
    from commerce_platform import wiring
    from commerce_platform.config import load_settings

    settings = load_settings(home)
    now = datetime.now(UTC)
    service = wiring.customer_service(settings)
    desk = wiring.support_desk(settings, customers=service)
    out = []
    for n, case in enumerate(cases, 1):
        cid = f"EVAL{n:03d}"
        profile = case.get("customer")
        if profile is not None:
            service.upsert_customers([{"customer_id": cid, "name": f"Case {case['id']}",
                                       "segment": profile.get("segment", "consumer"),
                                       "tier": profile.get("tier", "standard"),
                                       "created_at": now - timedelta(days=900)}])
            service.add_orders([{"order_id": f"{cid}-{j}", "customer_id": cid,
                                 "order_date": now - timedelta(days=o["days_ago"]), "status": o["status"],
                                 "total_amount": 100.0} for j, o in enumerate(profile.get("orders", []))])
        for i in case.get("interactions", []):
            service.record_interaction(cid, i["text"], channel=i.get("channel", "email"), kind="contact",
                                       at=now - timedelta(days=i["days_ago"]))
        for j in range(case.get("open_tickets", 0)):
            desk.tickets.put({"ticket_id": f"{cid}-open-{j}", "customer_id": cid, "subject": "earlier",
                              "body": "earlier ticket", "status": "open", "created_at": now.isoformat()})
        t = case["ticket"]
        result = desk.create_ticket(cid, t["subject"], t["body"], channel=t.get("channel", "email"))
        risk = result["customer_context"]["churn_risk"]
        out.append({"id": case["id"], "expected": case["expected"], "got": risk.get("level"),
                    "score": risk.get("score"), "components": risk.get("components"),
                    "sentiment": result["sentiment"]["score"]})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)

    import logging

    logging.disable(logging.WARNING)  # the desk logs each ticket; the figures are what matters here
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    with tempfile.TemporaryDirectory() as tmp:
        rows = replay(cases, Path(tmp) / "home")
    agree = sum(r["expected"] == r["got"] for r in rows)
    per_band = {b: (sum(1 for r in rows if r["expected"] == b and r["got"] == b),
                    sum(1 for r in rows if r["expected"] == b)) for b in BANDS}
    confusion = Counter((r["expected"], r["got"]) for r in rows)
    # A high-risk customer shown as low (or the reverse) is the costly mistake: counted on its own.
    far = sum(1 for r in rows if {r["expected"], r["got"]} == {"low", "high"})
    doc = {"cases": len(rows), "agreement": round(agree / len(rows), 3), "agreed": agree,
           "per_band": {b: {"agreed": a, "of": n} for b, (a, n) in per_band.items()},
           "low_high_swaps": far, "rows": rows}
    if args.json:
        print(json.dumps(doc, indent=2))
        return 0
    print(f"churn risk agreement with the support lead: {agree}/{len(rows)} = {doc['agreement']:.3f}")
    print("per expected band: " + ", ".join(f"{b} {a}/{n}" for b, (a, n) in per_band.items()))
    print(f"low<->high swaps (the costly mistake): {far}")
    print("confusion (expected -> got):")
    for b in BANDS:
        print(f"  {b:<8}" + "  ".join(f"{g} {confusion[(b, g)]}" for g in BANDS if confusion[(b, g)]))
    if args.show_misses:
        for r in rows:
            if r["expected"] != r["got"]:
                print(f"  miss {r['id']}: expected {r['expected']}, got {r['got']} (score {r['score']}, "
                      f"sentiment {r['sentiment']}, {r['components']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
