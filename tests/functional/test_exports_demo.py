"""The SmartGo demo exported offline: default day, status, similar-product pricing, console helpers, Lambda."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commerce_platform import wiring
from commerce_platform.exports import service

pytestmark = pytest.mark.functional


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from commerce_platform.config import load_settings
    from commerce_platform.demo import smartgo

    settings = load_settings(tmp_path_factory.mktemp("sg") / "home")
    built = smartgo.build(settings)
    updates: list[dict] = []
    summary = wiring.run_export(settings, progress=updates.append)  # default: yesterday
    summary["_progress"] = updates
    return settings, built, summary


def test_demo_is_deterministic(tmp_path):
    import sqlalchemy as sa

    from commerce_platform.config import load_settings
    from commerce_platform.demo import smartgo

    now = datetime(2026, 3, 20, tzinfo=UTC)
    dumps = []
    for name in ("a", "b"):
        s = load_settings(tmp_path / name)
        info = smartgo.build(s, today=now)
        assert 7 * 100 <= info["sales"] <= 7 * 305 and info["tenants"] >= 3
        eng = sa.create_engine(f"sqlite:///{info['database']}")
        with eng.connect() as conn:
            dumps.append(conn.execute(sa.text("select * from sales order by sale_id")).all())
        eng.dispose()
    assert dumps[0] == dumps[1]
    days = {str(r.sold_at)[:10] for r in dumps[0]}
    assert days == {(now - timedelta(days=d)).date().isoformat() for d in range(1, 8)}


def test_default_run_exports_yesterday(exported):
    settings, built, summary = exported
    assert summary["date"] == (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert summary["status"] == "PARTIAL"
    assert summary["rejectedCount"] == 3 and summary["imageErrorCount"] == 2
    assert summary["reasons"] == {"missing_price": 1, "invalid_price": 1, "unknown_currency": 1,
                                  "no_image_url": 1, "not_an_image": 1}
    assert summary["successCount"] == summary["totalCount"] - 5
    last = summary["_progress"][-1]  # the console's progress bar: processed out of total
    assert last["processed"] == last["total"] == summary["totalCount"]
    assert summary["embeddingsComputed"] <= built["images"]  # each distinct image embedded once
    runs = wiring.list_runs(settings)
    assert runs[0]["date"] == summary["date"] and runs[0]["status"] == "PARTIAL"
    parts = service.table_partitions(settings)
    assert len(parts) >= 3 and sum(p["rows"] for p in parts) == summary["exportedCount"]
    assert all(p["files"] == 1 for p in parts)


def test_similar_sales_suggests_a_price_from_look_alikes(exported):
    settings, _built, _summary = exported
    table = service.export_table(settings).scan(
        columns=("sale_id", "category", "brand", "currency", "embedding_error"))
    from collections import Counter

    rows = [r for r in table.to_pylist() if r["embedding_error"] is None]
    groups = Counter((r["currency"], r["category"]) for r in rows)
    query = next(r for r in rows if groups[(r["currency"], r["category"])] >= 8)  # a well-stocked category
    result = service.similar_sales(settings, query["sale_id"], k=5)
    assert len(result["neighbours"]) == 5 and query["sale_id"] not in {n["sale_id"] for n in result["neighbours"]}
    assert all(n["currency"] == query["currency"] for n in result["neighbours"])
    sims = [n["similarity"] for n in result["neighbours"]]
    assert sims == sorted(sims, reverse=True)
    assert sum(n["category"] == query["category"] for n in result["neighbours"]) >= 4
    prices = sorted(n["sold_price"] for n in result["neighbours"])
    assert result["suggested_price"] == pytest.approx(prices[2])


def test_failed_images_and_sale_image(exported):
    settings, _built, summary = exported
    failed = service.failed_images(settings, summary["date"])
    assert {f["embedding_error"].split(":")[0] for f in failed} == {"no_image_url", "not_an_image"}
    ok = service.export_table(settings).scan(columns=("sale_id", "embedding_error")).to_pylist()
    sale_id = next(r["sale_id"] for r in ok if r["embedding_error"] is None)
    data, ctype = wiring.sale_image(settings, sale_id)
    assert ctype == "image/png" and data.startswith(b"\x89PNG")


def test_unknown_sale_is_not_found(exported):
    from commerce_platform.errors import NotFound

    with pytest.raises(NotFound):
        service.similar_sales(exported[0], "no-such-sale")


def test_lambda_handler_exports_the_day_before_the_schedule(tmp_path, monkeypatch):
    import json
    from pathlib import Path

    from commerce_platform.config import load_settings
    from commerce_platform.demo import smartgo
    from commerce_platform.exports.lambda_handler import handler

    monkeypatch.setenv("COMMERCE_HOME", str(tmp_path / "home"))
    smartgo.build(load_settings(tmp_path / "home"))
    event = json.loads((Path(__file__).parents[1] / "events" / "exports_schedule.json").read_text())
    event["time"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    out = handler(event, None)
    assert out["statusCode"] == 200 and out["body"]["status"] == "PARTIAL"
    assert out["body"]["date"] == (datetime.now(UTC) - timedelta(days=1)).date().isoformat()


def test_service_calls_work_inside_a_running_event_loop(exported):
    """Jupyter and async web handlers call the service with a loop already running."""
    import asyncio

    settings, _built, summary = exported
    ok = service.export_table(settings).scan(columns=("sale_id", "embedding_error")).to_pylist()
    sale_id = next(r["sale_id"] for r in ok if r["embedding_error"] is None)

    async def caller():
        data, _ctype = wiring.sale_image(settings, sale_id)
        again = wiring.run_export(settings, date=summary["date"])
        return data, again

    data, again = asyncio.run(caller())
    assert data.startswith(b"\x89PNG")
    assert again["date"] == summary["date"] and again["totalCount"] == summary["totalCount"]


def test_streaming_similar_search_equals_the_whole_matrix(exported):
    """Top-k merged batch by batch (here 7 rows at a time) is exactly the top-k over every row."""
    import numpy as np

    settings, _built, _summary = exported
    sink = service.export_table(settings)
    table = sink.scan(columns=("sale_id", "currency", "embedding", "embedding_error", "embedding_model"))
    rows = [r for r in table.to_pylist() if r["embedding_error"] is None]
    for query in rows[:: max(1, len(rows) // 12)]:
        same = [r for r in rows if r["currency"] == query["currency"] and r["sale_id"] != query["sale_id"]
                and r["embedding_model"] == query["embedding_model"]]
        q = np.asarray(query["embedding"], dtype=np.float64)
        mat = np.asarray([r["embedding"] for r in same], dtype=np.float32).astype(np.float64)
        scores = np.round((mat @ q) / (np.linalg.norm(mat, axis=1) * np.linalg.norm(q)), 9)
        expected = [same[i]["sale_id"] for i in np.lexsort(([r["sale_id"] for r in same], -scores))[:6]]
        from commerce_platform.exports.similar import similar_sales

        got = similar_sales(sink, query["sale_id"], k=6, batch_rows=7)
        assert [n["sale_id"] for n in got["neighbours"]] == expected
        assert got == similar_sales(sink, query["sale_id"], k=6)  # batch size changes nothing
