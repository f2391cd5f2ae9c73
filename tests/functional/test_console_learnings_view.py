"""The console's learnings adapter on the demo home: product group / brand from the catalog, date filter."""

from __future__ import annotations

import sys

import pytest

from tests.fixtures_console import REPO

pytestmark = pytest.mark.functional
sys.path.insert(0, str(REPO / "console"))
import services  # noqa: E402 - the console folder is not a package; a broken import must fail, not skip


def test_learnings_view_filters_by_group_brand_and_date(demo_settings):
    from datetime import date

    from commerce_platform.wiring import run_learning

    run_learning(demo_settings)
    everything = services.learnings_view(demo_settings)
    assert everything["swaps"] and everything["rules"]
    group = everything["swaps"][0]["product_group"]
    by_group = services.learnings_view(demo_settings, group=group)["swaps"]
    assert by_group and all(s["product_group"] == group for s in by_group)
    brand = next(s["brand"] for s in everything["swaps"] if s["brand"])
    by_brand = services.learnings_view(demo_settings, brand=brand)
    assert all(s["brand"] == brand for s in by_brand["swaps"])
    assert all(brand in r["rule"].split() for r in by_brand["rules"])
    assert services.learnings_view(demo_settings, since=date(2999, 1, 1)) == {"swaps": [], "rules": []}
    assert services.learnings_view(demo_settings, status="approved")["swaps"] == []


def test_bulk_review_and_undo_through_the_offers_review(demo_settings):
    from commerce_platform.wiring import list_learnings, review, run_learning

    run_learning(demo_settings)

    def status():
        return {s["id"]: s["status"] for s in list_learnings(demo_settings)["swaps"]}

    chosen = services.bulk_candidates(services.learnings_view(demo_settings)["swaps"], 0.95)
    ids = [s["id"] for s in chosen]
    assert ids and len(ids) < len(status())
    action = services.bulk_review(demo_settings, ids, "rejected")
    assert action["status"] == "rejected" and [c["id"] for c in action["changed"]] == ids
    assert all(c["previous"] == "pending" for c in action["changed"])
    assert {i for i, st in status().items() if st == "rejected"} == set(ids)

    review(demo_settings, ids[0], "approved")  # a reviewer changes one by hand: undo keeps that
    result = services.undo_bulk(demo_settings, action)
    assert result == {"restored": ids[1:], "kept": ids[:1]}
    now = status()
    assert now[ids[0]] == "approved" and all(now[i] == "pending" for i in ids[1:])
