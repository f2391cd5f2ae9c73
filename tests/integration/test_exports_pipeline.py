"""Export runs end to end: SQLite and PostgreSQL sources, loopback image server, local and S3 (moto)
Iceberg warehouses, re-runs, failed images, --retry-failed, locks and schema evolution."""

from __future__ import annotations

import pytest

try:  # tests/ may or may not be a package
    from tests.fixtures_exports import create_sales, draw_image, sale
except ImportError:  # pragma: no cover
    from fixtures_exports import create_sales, draw_image, sale

from commerce_platform import wiring
from commerce_platform.errors import ConfigurationError, LockHeld
from commerce_platform.exports import service
from commerce_platform.exports.iceberg import export_table
from commerce_platform.ports.fetcher import ImageFetcher
from commerce_platform.ports.urlsafety import UrlPolicy

pytestmark = pytest.mark.integration
DAY = "2026-03-10"


@pytest.fixture
def xsettings(settings):
    settings.fetch_allow_hosts = "127.0.0.1"
    settings.exports.flush_rows = 4  # several appends per run, still one commit
    return settings


def fetcher_for(settings):
    from commerce_platform.factory import object_store

    return ImageFetcher(UrlPolicy(settings.allowed_fetch_hosts()), store=object_store(settings), concurrency=8,
                        timeout=2.0, backoff=0.01)


def rows_for(server, flaky: str) -> list[dict]:
    u = server.url
    return [
        sale("s01", u("/img/mug-red.png")), sale("s02", u("/img/mug-blue.png")),
        sale("s03", u("/img/lamp.png"), tenant="t2"), sale("s04", u("/img/watch.png"), tenant="t2"),
        sale("s05", u("/img/shared.png")), sale("s06", u("/img/shared.png"), tenant="t2", hour=23),
        sale("s07", u(flaky)),                                  # fails in the first run
        sale("s08", None),                                      # null image URL: exported, counted
        sale("s09", u("/img/x.png"), price=None),               # rejected
        sale("s10", u("/img/x.png"), currency="XXX"),           # rejected
        sale("s11", u("/redirect?to=http://10.0.0.1/a.png")),  # redirect to a private address
        sale("s12", u("/img/other-day.png"), day="2026-03-11"),
        sale("s13", u("/img/before.png"), day="2026-03-09", hour=23),
    ]


def run(settings, source, **kw):
    return wiring.run_export(settings, date=DAY, source=source, fetcher=fetcher_for(settings), **kw)


def table_rows(settings, **kw):
    table = export_table(settings).scan(**kw)
    return [] if table is None else table.to_pylist()


def test_run_rerun_and_retry_failed(xsettings, server, tmp_path):
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, rows_for(server, "/flaky/late.png?fails=9"))
    first = run(xsettings, src)
    assert first["status"] == "PARTIAL"
    assert (first["totalCount"], first["successCount"], first["errorCount"]) == (11, 6, 5)
    assert first["rejectedCount"] == 2 and first["imageErrorCount"] == 3
    # 5xx on every attempt is server_error (retryable), unlike a 4xx http_error (permanent)
    assert first["reasons"] == {"missing_price": 1, "unknown_currency": 1, "server_error": 1, "no_image_url": 1,
                                "url_refused": 1}
    assert first["failureClasses"] == {"retryable": 1, "permanent": 4}
    assert server.hits["/img/shared.png"] == 1  # the same URL is fetched once per run
    rows = {r["sale_id"]: r for r in table_rows(xsettings)}
    assert sorted(rows) == ["s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s11"]
    assert rows["s07"]["embedding"] is None and rows["s07"]["embedding_error"].startswith("server_error")
    assert rows["s08"]["embedding_error"].startswith("no_image_url")
    assert rows["s11"]["embedding_error"].startswith("url_refused")
    assert len(rows["s01"]["embedding"]) == 1024 and rows["s01"]["embedding_error"] is None
    assert rows["s05"]["image_sha256"] == rows["s06"]["image_sha256"]
    assert (rows["s01"]["year"], rows["s01"]["month"]) == (2026, 3)

    again = run(xsettings, src)  # re-run: one row per sale, nothing embedded twice (flaky still failing)
    ids = [r["sale_id"] for r in table_rows(xsettings)]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 9
    assert again["embeddingsComputed"] == 0 and again["embeddingsReused"] >= 5

    retried = run(xsettings, src, retry_failed=True)  # the flaky image answers now
    # only the retryable failure is fetched again; no URL, a refused URL and two bad rows are permanent
    assert retried["recovered"] == 1 and retried["retried"] == 1 and retried["permanent"] == 4
    assert retried["permanentReasons"] == {"missing_price": 1, "unknown_currency": 1, "no_image_url": 1,
                                           "url_refused": 1}
    assert retried["failureClasses"] == {"retryable": 0, "permanent": 4}
    assert (retried["successCount"], retried["errorCount"], retried["status"]) == (7, 4, "PARTIAL")
    rows = {r["sale_id"]: r for r in table_rows(xsettings)}
    assert len(rows) == 9 and rows["s07"]["embedding_error"] is None and len(rows["s07"]["embedding"]) == 1024
    failed = service.failed_images(xsettings, DAY)
    assert sorted(f["sale_id"] for f in failed) == ["s08", "s11"]
    status = wiring.progress_store(xsettings).get(DAY)
    assert status["status"] == "PARTIAL" and status["ttl"] > 0

    parts = service.table_partitions(xsettings)
    assert {(p["tenant_id"], p["rows"]) for p in parts} == {("t1", 6), ("t2", 3)}
    assert all(p["files"] <= 4 for p in parts)  # few files, not one per sale


def test_tenant_run_replaces_only_that_tenant(xsettings, server, tmp_path):
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, rows_for(server, "/img/fine.png"))
    run(xsettings, src)
    before = {r["sale_id"]: r["exported_at"] for r in table_rows(xsettings)}
    summary = run(xsettings, src, tenant="t2")
    assert summary["totalCount"] == 3 and summary["status"] == "COMPLETE"
    after = {r["sale_id"]: r["exported_at"] for r in table_rows(xsettings)}
    assert sorted(after) == sorted(before)
    assert all(after[s] == before[s] for s in ("s01", "s02", "s05"))
    assert all(after[s] > before[s] for s in ("s03", "s04", "s06"))


def test_without_pyiceberg_streaming_helpers_the_public_overwrite_gives_the_same_table(
        xsettings, server, tmp_path, monkeypatch):
    """pyiceberg's batch writer is private API: without it an export still replaces its day (and
    only its tenant) exactly once per sale, through Transaction.overwrite."""
    from commerce_platform.ports import iceberg_table

    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, rows_for(server, "/img/fine.png"))
    run(xsettings, src)
    streamed = sorted((r["sale_id"], r["image_sha256"], r["embedding_error"]) for r in table_rows(xsettings))
    monkeypatch.setattr(iceberg_table, "_data_file_builder", lambda: None)
    for _ in range(2):  # re-runs replace, never duplicate
        summary = run(xsettings, src)
        held = sorted((r["sale_id"], r["image_sha256"], r["embedding_error"]) for r in table_rows(xsettings))
        assert summary["status"] == "PARTIAL" and held == streamed
    other = {r["sale_id"]: r["exported_at"] for r in table_rows(xsettings)}
    run(xsettings, src, tenant="t2")
    after = {r["sale_id"]: r["exported_at"] for r in table_rows(xsettings)}
    assert sorted(after) == sorted(other) and after["s01"] == other["s01"] and after["s03"] > other["s03"]


def test_lock_blocks_a_second_run_and_failures_are_recorded(xsettings, server, tmp_path):
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("a1", server.url("/img/a1.png"))])
    with wiring.progress_store(xsettings).lock(DAY), pytest.raises(LockHeld):
        run(xsettings, src)
    with pytest.raises(ConfigurationError):
        run(xsettings, f"sqlite:///{tmp_path / 'empty.db'}")
    assert wiring.progress_store(xsettings).get(DAY)["status"] == "FAILED"
    assert run(xsettings, src)["status"] == "COMPLETE"  # the lock was released


def test_schema_evolution_adds_nullable_columns(xsettings, server, tmp_path):
    from pyiceberg.schema import Schema
    from pyiceberg.types import NestedField, StringType

    from commerce_platform.exports.iceberg import EXPORT_TABLE
    from commerce_platform.ports.iceberg_table import IcebergTable, iceberg_schema

    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("e1", server.url("/img/e1.png"))])
    run(xsettings, src)
    sink = export_table(xsettings)
    base = iceberg_schema(EXPORT_TABLE)
    wanted = Schema(*base.fields, NestedField(field_id=100, name="colour_hint", field_type=StringType(), required=False))
    IcebergTable.evolve(sink.table(), wanted)
    create_sales(src, [sale("e2", server.url("/img/e2.png"), day="2026-03-11")])
    wiring.run_export(xsettings, date="2026-03-11", source=src, fetcher=fetcher_for(xsettings))
    rows = {r["sale_id"]: r for r in table_rows(xsettings)}
    assert set(rows) == {"e1", "e2"} and rows["e1"]["colour_hint"] is None and rows["e2"]["colour_hint"] is None
    assert len(rows["e1"]["embedding"]) == 1024


def test_postgres_source(xsettings, server, pg_url):
    create_sales(pg_url, rows_for(server, "/img/fine-pg.png"))
    summary = run(xsettings, pg_url)
    assert (summary["totalCount"], summary["successCount"], summary["errorCount"]) == (11, 7, 4)
    assert len(table_rows(xsettings)) == 9


def test_postgres_source_is_paged(xsettings, server, pg_url):
    from commerce_platform.exports.models import parse_day
    from commerce_platform.exports.source import SalesSource

    create_sales(pg_url, [sale(f"p{i:03d}", server.url(f"/img/p{i}.png"), hour=i % 24) for i in range(25)])
    pages = list(SalesSource(pg_url, page_size=10).pages(parse_day(DAY)))
    assert [len(p) for p in pages] == [10, 10, 5]
    assert len({r["sale_id"] for p in pages for r in p}) == 25


def test_s3_warehouse_on_moto(xsettings, server, tmp_path, moto_server):
    import boto3

    boto3.client("s3", endpoint_url=moto_server, region_name="eu-north-1").create_bucket(
        Bucket="lake-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    xsettings.exports.iceberg_warehouse = "s3://lake-bucket/warehouse"
    xsettings.aws.s3_endpoint_url = moto_server
    xsettings.aws.region = "eu-north-1"
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale(f"m{i}", server.url(f"/img/m{i}.png"), tenant=f"t{i % 2}") for i in range(6)])
    assert run(xsettings, src)["status"] == "COMPLETE"
    run(xsettings, src)
    sink = export_table(xsettings)
    files = sink.data_files()
    assert files and all(f.startswith("s3://lake-bucket/warehouse/") for f in files)
    assert any("tenant_id=t1/year=2026/month=3" in f for f in files)
    ids = [r["sale_id"] for r in sink.scan().to_pylist()]
    assert sorted(ids) == [f"m{i}" for i in range(6)]


def test_embedder_failure_keeps_the_sale(xsettings, server, tmp_path):
    from commerce_platform.ports.image_embeddings import OfflineImageEmbedder

    class Picky(OfflineImageEmbedder):
        name = "picky"

        def embed(self, image: bytes):
            if image == draw_image("boom.png"):
                raise ValueError("cannot embed this one")
            return super().embed(image)

    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("k1", server.url("/img/boom.png")), sale("k2", server.url("/img/fine-k2.png")),
                       sale("k3", server.url("/img/boom.png"))])
    summary = run(xsettings, src, embedder=Picky())
    assert (summary["status"], summary["successCount"], summary["errorCount"]) == ("PARTIAL", 1, 2)
    rows = {r["sale_id"]: r for r in table_rows(xsettings)}
    assert rows["k1"]["embedding_error"].startswith("embedding_failed") and rows["k2"]["embedding_model"] == "picky"


def test_overlapping_runs_of_different_days_both_commit(xsettings):
    from datetime import UTC, datetime

    from commerce_platform.exports.iceberg import day_filter
    from commerce_platform.exports.models import SaleRow, parse_day
    from commerce_platform.exports.pipeline import rows_to_arrow

    sink_a, sink_b = export_table(xsettings), export_table(xsettings)

    def batch(sink, day):
        row = SaleRow(sale_id=f"o-{day}", tenant_id="t1", product_id="p", title="t", category="c", brand="b",
                      sold_price=1, currency="EUR", sold_at=datetime.fromisoformat(f"{day}T08:00:00+00:00"),
                      image_url=None, embedding_error="no_image_url: test")
        return rows_to_arrow([row], sink.arrow_schema(), datetime.now(UTC))

    a = sink_a.replace(day_filter(parse_day("2026-03-10")))
    b = sink_b.replace(day_filter(parse_day("2026-03-11")))  # started before a commits
    a.append(batch(sink_a, "2026-03-10"))
    b.append(batch(sink_b, "2026-03-11"))
    a.commit()
    b.commit()
    assert sorted(r["sale_id"] for r in table_rows(xsettings)) == ["o-2026-03-10", "o-2026-03-11"]


def test_retry_failed_for_one_tenant_of_a_whole_day_run(xsettings, server, tmp_path):
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("r1", server.url("/flaky/r1.png?fails=4")), sale("r2", server.url("/img/r2.png"), tenant="t2")])
    assert run(xsettings, src)["status"] == "PARTIAL"  # r1 failed: 4 attempts, 4 HTTP 500s
    retried = run(xsettings, src, tenant="t1", retry_failed=True)
    assert (retried["recovered"], retried["status"]) == (1, "COMPLETE")
    record = wiring.progress_store(xsettings).get(DAY)
    assert (record["status"], record["successCount"], record["errorCount"]) == ("COMPLETE", 2, 0)
    with pytest.raises(Exception, match="no export"):
        wiring.run_export(xsettings, date="2026-03-12", retry_failed=True)


def test_a_day_or_tenant_without_sales_ends_empty_and_says_why(xsettings, server, tmp_path):
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("e1", server.url("/img/e1.png"))])
    future = wiring.run_export(xsettings, date="2030-01-01", source=src, fetcher=fetcher_for(xsettings))
    assert (future["status"], future["totalCount"]) == ("EMPTY", 0)  # was COMPLETE with 0 rows
    assert "no sales on 2030-01-01" in future["note"]
    nobody = run(xsettings, src, tenant="nonexistent-tenant")
    assert nobody["status"] == "EMPTY" and "check the tenant id" in nobody["note"]
    store = wiring.progress_store(xsettings)
    assert store.get("2030-01-01")["status"] == "EMPTY"
    assert store.get(DAY, "nonexistent-tenant")["status"] == "EMPTY"
    quiet = run(xsettings, src, tenant="t1")  # a real tenant: no "check the tenant id"
    assert quiet["status"] == "COMPLETE" and "note" not in quiet


def test_retry_retries_only_retryable_failures_and_counts_the_permanent(xsettings, server, tmp_path):
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("p1", server.url("/flaky/down.png?fails=999")),  # 5xx every time: retryable
                       sale("p2", server.url("/missing.png")),              # 404: permanent
                       sale("p3", server.url("/html.png")),                 # not an image: permanent
                       sale("p4", None),                                    # no URL: permanent
                       sale("p5", server.url("/img/ok.png"), price="-1")])  # bad price: rejected, permanent
    first = run(xsettings, src)
    assert first["failureClasses"] == {"retryable": 1, "permanent": 4}
    hits = dict(server.hits)
    retried = run(xsettings, src, retry_failed=True)
    # was "retried 3, recovered 0" (every failed row fetched again); now only the 5xx one is
    assert (retried["retried"], retried["recovered"], retried["permanent"]) == (1, 0, 4)
    assert retried["permanentReasons"] == {"http_error": 1, "not_an_image": 1, "no_image_url": 1, "invalid_price": 1}
    assert server.hits["/missing.png"] == hits["/missing.png"] and server.hits["/html.png"] == hits["/html.png"]
    assert retried["status"] == "PARTIAL" and retried["errorCount"] == 5


def test_glue_catalog_with_s3_warehouse_on_moto(xsettings, server, tmp_path, moto_server):
    import boto3

    boto3.client("s3", endpoint_url=moto_server, region_name="eu-north-1").create_bucket(
        Bucket="glue-lake", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    xsettings.exports.iceberg_catalog = "glue"
    xsettings.exports.iceberg_warehouse = "s3://glue-lake/warehouse"
    xsettings.aws.s3_endpoint_url = moto_server
    xsettings.aws.region = "eu-north-1"
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale(f"g{i}", server.url(f"/img/g{i}.png"), tenant=f"t{i % 2}") for i in range(4)])

    def sink():
        return export_table(xsettings, **{"glue.endpoint": moto_server})

    for _ in range(2):
        summary = wiring.run_export(xsettings, date=DAY, source=src, fetcher=fetcher_for(xsettings), sink=sink())
        assert summary["status"] == "COMPLETE"
    ids = [r["sale_id"] for r in sink().scan().to_pylist()]
    assert sorted(ids) == ["g0", "g1", "g2", "g3"]
    tables = boto3.client("glue", endpoint_url=moto_server, region_name="eu-north-1").get_tables(
        DatabaseName="pricing_intelligence")["TableList"]
    assert [t["Name"] for t in tables] == ["smartgo_sales"]
    assert tables[0]["Parameters"]["table_type"].upper() == "ICEBERG"


def test_decompression_bombs_are_counted_bad_images_and_the_run_goes_on(xsettings, server, tmp_path):
    """Pixel bombs (refused at the fetch's decode check, or by the embedder's decode cap) and a gzip bomb
    are exported without an embedding, counted under too_large; the good image next to them is embedded."""
    src = f"sqlite:///{tmp_path / 'sg.db'}"
    create_sales(src, [sale("b1", server.url("/pixel-bomb/5000x5000.png")),     # 25 MP: embedder refuses
                       sale("b2", server.url("/pixel-bomb/12000x12000.png")),   # 144 MP: fetcher refuses
                       sale("b3", server.url("/gzip-bomb.png?mb=100")),         # 100 KB -> 100 MB
                       sale("b4", server.url("/img/fine-b4.png"))])
    summary = run(xsettings, src)
    assert (summary["status"], summary["successCount"], summary["errorCount"]) == ("PARTIAL", 1, 3)
    assert summary["reasons"] == {"too_large": 3} and summary["exportedCount"] == 4
    rows = {r["sale_id"]: r for r in table_rows(xsettings)}
    assert "5000x5000" in rows["b1"]["embedding_error"] and rows["b1"]["image_sha256"]  # fetched, not decoded
    assert "12000x12000" in rows["b2"]["embedding_error"] and rows["b2"]["embedding"] is None
    assert "compression bomb" in rows["b3"]["embedding_error"]
    assert rows["b4"]["embedding_error"] is None and len(rows["b4"]["embedding"]) == 1024
