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

    from commerce_platform.offers.agent import run_learning

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
