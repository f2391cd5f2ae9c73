import pytest

from commerce_platform import wiring

pytestmark = pytest.mark.functional


def test_demo_support_data_is_usable(demo_settings):
    kb = wiring.knowledge_base(demo_settings)
    docs = kb.documents()
    indexed = [d for d in docs if d["status"] == "indexed"]
    assert len(indexed) >= 15 and {d["category"] for d in indexed} >= {
        "returns", "delivery", "warranty", "payment", "installation", "account"}
    desk = wiring.support_desk(demo_settings)
    levels = {desk.customers.get_context(f"C{i:04d}")["churn_risk"]["level"] for i in range(1, 41)}
    assert {"low", "medium"} <= levels  # the demo spreads recency and mood on purpose
    out = desk.create_ticket("C0003", "Pump warranty", "My circulation pump broke after 3 years, is it covered?")
    assert out["customer_context"]["status"] == "known" and out["customer_context"]["recent_orders"]
    assert out["suggestions"][0]["source"].startswith("warranty/")


def test_demo_has_open_tickets_and_a_second_build_adds_none(demo_settings):
    from commerce_platform.demo.support import TICKETS, build_tickets

    desk = wiring.support_desk(demo_settings)
    tickets = list(desk.tickets.scan())
    assert {(t["customer_id"], t["subject"]) for t in tickets} >= {(c, s) for c, s, _b, _ch in TICKETS}
    assert all(t["status"] == "open" and t["suggestions"] and t["sentiment"] for t in tickets)
    assert build_tickets(demo_settings) == 0  # idempotent: `commerce demo` run again
    assert len(list(desk.tickets.scan())) == len(tickets)
    ctx = desk.ticket_context(tickets[0]["ticket_id"])
    assert ctx["customer_context"]["status"] == "known" and ctx["customer_context"]["open_tickets"] >= 1
