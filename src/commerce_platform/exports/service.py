"""Service entry points used by the CLI, the Lambda handler and the Streamlit console."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

from ..errors import CommerceError, NotFound, ValidationFailed
from ..logs import get_logger
from ..ports.fetcher import ImageFetcher
from ..ports.iceberg_table import Filter, IcebergTable
from ..ports.image_embeddings import get_image_embedder
from ..ports.urlsafety import UrlPolicy
from .iceberg import day_filter, export_table
from .models import PERMANENT, RETRYABLE, SaleRow, classify, failure_class, parse_day, reason_of
from .pipeline import EmbeddingCache, Pipeline, PipelineConfig, ProgressFn, RunStats, new_run_id, pages_async
from .progress import ProgressStore, sort_key
from .source import SalesSource, default_source_url

log = get_logger("exports.service")


def run_sync(coro):
    """Run ``coro`` to completion from synchronous code, even when the caller already runs an
    event loop (Jupyter, an async web handler): asyncio.run() refuses that, so the coroutine then
    runs on its own loop in a worker thread while the caller waits."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="exports-sync") as pool:
        return pool.submit(asyncio.run, coro).result()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def make_fetcher(settings, objects, backoff: float = 0.5, timeout: float = 30.0) -> ImageFetcher:
    return ImageFetcher(UrlPolicy(settings.allowed_fetch_hosts()), store=objects,
                        concurrency=settings.exports.download_concurrency, timeout=timeout, backoff=backoff)


def _status(stats: RunStats) -> str:
    if stats.total == 0:  # nothing to export is not a success to celebrate: say so (ARCHITECTURE 7.4)
        return "EMPTY"
    return "COMPLETE" if stats.errors == 0 else "PARTIAL"


def _empty_note(src: SalesSource, day: date, tenant: str | None) -> str:
    where = f" for tenant {tenant!r}" if tenant else ""
    note = f"the source has no sales on {day}{where}; nothing was exported"
    if tenant and not src.has_tenant(tenant):
        note += f" (tenant {tenant!r} has no sales on any day: check the tenant id)"
    return note


def run_export(settings, date: str | date | None = None, tenant: str | None = None, source: str | None = None,
               retry_failed: bool = False, progress: ProgressFn | None = None, *, runs: ProgressStore, objects,
               embedder=None, sink=None, fetcher: ImageFetcher | None = None,
               cache: EmbeddingCache | None = None) -> dict[str, Any]:
    """Export one UTC day (default yesterday) of sales; returns the run summary (the 7.4 fields and more).

    Raises CommerceError only when the run itself fails (the progress record then says FAILED); bad rows
    and failed images are counted and the run is COMPLETE or PARTIAL (EMPTY: the source had no sales
    for the day and tenant; the summary's "note" says so). ``runs`` (the progress records) and ``objects``
    (the object store of the image fetcher and the embedding cache) come from the composition root
    (``wiring.run_export``).
    """
    day = parse_day(date)
    tenant = tenant or None
    store = runs
    embedder = embedder or get_image_embedder(settings)
    run_id = new_run_id()
    write_id = str(uuid.uuid4())
    t0 = time.perf_counter()
    started, started_epoch = _now(), time.time()
    with store.lock(day) as lock:
        interrupted = _close_interrupted_runs(store, day, run_id, lock)
        # Read before this run's record replaces theirs: runs that died before committing, by write id.
        dead_write_ids = [str(i["writeId"]) for i in store.day_records(day)
                          if i.get("status") == "FAILED" and i.get("writeId")]
        record_tenant = tenant  # which progress record this run updates
        previous = store.get(day, tenant)
        if retry_failed and previous is None and tenant:  # the tenant was exported by a whole-day run
            previous, record_tenant = store.get(day, None), None
        base = {"runId": run_id, "startTime": started, "endTime": None, "mode": "retry-failed" if retry_failed else "full",
                "embeddingModel": embedder.name, "writeId": write_id}
        if interrupted.get(sort_key(record_tenant)):
            base["interruptedRunId"] = interrupted[sort_key(record_tenant)]
        if retry_failed and previous is None:
            raise NotFound(f"no export of {day}{' for tenant ' + tenant if tenant else ''} to retry",
                           hint="run 'commerce export run --date ...' first")
        kept = {k: v for k, v in (previous or {}).items() if k not in ("PK", "SK", "ttl", "date", "tenant")}
        if retry_failed:  # the day's numbers stay visible while the retry runs
            store.put(day, record_tenant, **{**kept, "status": "RUNNING", **base})
        else:
            store.put(day, tenant, status="RUNNING", totalCount=0, successCount=0, errorCount=0, **base)
        stats = RunStats()
        extra: dict[str, Any] = {}
        try:
            sink = sink or export_table(settings)
            cache = cache or embedding_cache(settings, objects, embedder)
            _remove_orphans(sink, started_epoch, dead_write_ids)
            if retry_failed:
                stats, permanent = _retry(settings, objects, sink, cache, day, tenant, embedder, fetcher, stats,
                                          progress, write_id)
            else:
                src = SalesSource(source or default_source_url(settings))
                src.check()
                replacement = sink.replace(day_filter(day, tenant), write_id=write_id)
                stats = run_sync(_pipeline(settings, objects, sink, cache, replacement, embedder, fetcher, stats, progress,
                                           raw_pages=src.pages(day, tenant),
                                           expected=src.count(day, tenant) if progress else None))
                replacement.commit()
                if stats.total == 0:
                    extra["note"] = _empty_note(src, day, tenant)
        except BaseException as exc:
            message = str(exc) if isinstance(exc, CommerceError) else f"{type(exc).__name__}: {exc}"
            if retry_failed:  # nothing was committed: the day keeps its numbers and status
                store.put(day, record_tenant, **{**kept, "lastRetryError": message, "lastRetryAt": _now()})
            else:
                store.put(day, tenant, status="FAILED", error=message, **{**base, "endTime": _now()},
                          **_counts(stats))
            log.error("export run failed", date=str(day), tenant=tenant, error=message)
            raise
        if retry_failed:
            assert previous is not None  # checked before the run started (NotFound)
            # Not retried: image failures that fail the same way on every fetch (read from the table)
            # and rejected rows (never in the table: the source data must be fixed).
            rejected = {k: v for k, v in (previous.get("reasons") or {}).items()
                        if failure_class(k) == PERMANENT and k not in permanent}
            not_retried = {**rejected, **permanent}
            reasons = Counter(not_retried) + stats.reasons  # what still fails after this retry, by reason
            counts = {
                "totalCount": previous.get("totalCount", 0),
                "successCount": previous.get("successCount", 0) + stats.embedded,
                "errorCount": max(0, previous.get("errorCount", 0) - stats.embedded),
                "retried": stats.total, "recovered": stats.embedded,
                "permanent": sum(not_retried.values()), "permanentReasons": not_retried,
            }
            status = "COMPLETE" if counts["errorCount"] == 0 else "PARTIAL"
            extra.update({k: previous[k] for k in ("exportedCount", "rejectedCount") if k in previous})
            extra["imageErrorCount"] = max(0, previous.get("imageErrorCount", 0) - stats.embedded)
            summary_counts = {**stats.as_dict(), **extra, **counts, "reasons": dict(reasons),
                              "failureClasses": classify(reasons)}
        else:
            status = _status(stats)
            summary_counts = {**stats.as_dict(), **extra}
        item = store.put(day, record_tenant, status=status, **{**base, "endTime": _now()},
                         seconds=round(time.perf_counter() - t0, 3), **summary_counts)
    log.info("export run finished", date=str(day), tenant=tenant, status=status, totalCount=stats.total,
             successCount=stats.embedded, errorCount=stats.errors)
    return {k: v for k, v in item.items() if k not in ("PK", "SK")}


def _close_interrupted_runs(store: ProgressStore, day: date, run_id: str, lock) -> dict[str, str]:
    """Mark FAILED the day's records still saying RUNNING: this run holds the day's lock, so the
    runs they describe are dead (killed, or their lock taken over). Returns {sort key: dead run id}."""
    closed: dict[str, str] = {}
    taken_from = (lock.taken_over_from or {}).get("owner")
    for item in store.day_records(day):
        if item.get("status") != "RUNNING":
            continue
        reason = (f"interrupted: run {item.get('runId')} stopped before finishing"
                  f"{' (its process ' + taken_from + ' is gone)' if taken_from else ''}; run {run_id} took over its lock."
                  " Nothing of it was committed; the new run replaces the day.")
        store.put(day, item.get("tenant"), **{**{k: v for k, v in item.items() if k not in ("PK", "SK", "ttl", "date", "tenant")},
                                              "status": "FAILED", "error": reason, "endTime": _now()})
        closed[item["SK"]] = str(item.get("runId"))
        log.warning("export run was interrupted; marked FAILED", date=str(day), tenant=item.get("tenant"),
                    interrupted_run=item.get("runId"), run=run_id)
    return closed


def _remove_orphans(sink: IcebergTable, started_epoch: float, write_ids: list[str]) -> None:
    """Data files of runs of this day that died before their commit (named by the write ids their
    records keep), plus any unreferenced file past the grace period. Never fails the run."""
    try:
        removed = sink.remove_orphan_files(started_epoch, write_ids)
        if removed:
            log.warning("removed data files of interrupted export runs", files=removed, table=sink.identifier)
    except Exception as exc:  # noqa: BLE001 - cleanup is best effort; the export itself must go on
        log.warning("orphan data files not removed; the next run tries again", error=f"{type(exc).__name__}: {exc}")


def _counts(stats: RunStats) -> dict[str, int]:
    return {"totalCount": stats.total, "successCount": stats.embedded, "errorCount": stats.errors}


def embedding_cache(settings, objects, embedder) -> EmbeddingCache:
    return EmbeddingCache(objects, settings.exports.embeddings_bucket, embedder.name)


async def _pipeline(settings, objects, sink: IcebergTable, cache: EmbeddingCache, replacement, embedder, fetcher, stats,
                    progress, raw_pages=None, rows=None, expected: int | None = None) -> RunStats:
    cfg = PipelineConfig(download_concurrency=settings.exports.download_concurrency,
                         embed_concurrency=settings.exports.embed_concurrency, flush_rows=settings.exports.flush_rows)
    fetcher = fetcher or make_fetcher(settings, objects)
    async with fetcher:
        pipe = Pipeline(fetcher, embedder, replacement, sink.arrow_schema(), cache, cfg, progress, stats)
        pipe.expected = len(rows) if rows is not None else expected
        return await pipe.run(raw_pages=pages_async(raw_pages) if raw_pages is not None else None, rows=rows)


def _retry(settings, objects, sink: IcebergTable, cache: EmbeddingCache, day: date, tenant, embedder, fetcher, stats,
           progress, write_id: str | None = None) -> tuple[RunStats, dict[str, int]]:
    """Re-fetch and embed the day's retryable image failures; returns the stats and the permanent
    failures left alone, by reason (a missing URL or an HTML page fails the same way every time)."""
    rows: list[SaleRow] = []
    permanent: Counter[str] = Counter()
    for r in sink.rows((*day_filter(day, tenant), Filter("embedding_error", "not_null"))):
        if failure_class(r["embedding_error"]) == RETRYABLE:
            rows.append(_row_from_table(r))
        else:
            permanent[reason_of(r["embedding_error"]) or "embedding_failed"] += 1
    if not rows:
        return stats, dict(permanent)
    replacement = sink.replace(day_filter(day, tenant, sale_ids=[r.sale_id for r in rows]), write_id=write_id)
    stats = run_sync(_pipeline(settings, objects, sink, cache, replacement, embedder, fetcher, stats, progress,
                               rows=rows))
    replacement.commit()
    return stats, dict(permanent)


def _row_from_table(r: dict[str, Any]) -> SaleRow:
    return SaleRow(sale_id=r["sale_id"], tenant_id=r["tenant_id"], product_id=r.get("product_id"), title=r.get("title"),
                   category=r.get("category"), brand=r.get("brand"), sold_price=r["sold_price"],
                   currency=r["currency"], sold_at=r["sold_at"], image_url=r.get("image_url"))


def list_runs(runs: ProgressStore) -> list[dict[str, Any]]:
    """Progress records, newest day first (the ``export status`` view)."""
    return [{k: v for k, v in item.items() if k not in ("PK", "SK")} for item in runs.runs()]


def table_partitions(settings) -> list[dict[str, Any]]:
    """Partition (tenant_id, year, month) -> rows and data files."""
    return export_table(settings).partitions()


def failed_images(settings, date: str | date | None = None, tenant: str | None = None) -> list[dict[str, Any]]:
    """Exported sales without an embedding, with the reason (optionally for one day)."""
    filters: tuple[Filter, ...] = (Filter("embedding_error", "not_null"),)
    if date is not None:
        filters = (*day_filter(parse_day(date), tenant), *filters)
    rows = export_table(settings).rows(filters, columns=("sale_id", "tenant_id", "sold_at", "image_url",
                                                         "embedding_error"))
    return sorted(rows, key=lambda r: (r["sold_at"], r["sale_id"]))


def get_sale(settings, sale_id: str, columns: tuple[str, ...] | None = None) -> dict[str, Any]:
    rows = export_table(settings).rows((Filter("sale_id", "==", sale_id),), columns=columns)
    if not rows:
        raise NotFound(f"sale {sale_id!r} is not in the export table",
                       hint="check the sale id or run 'commerce export run' for its day")
    return rows[0]


def embedded_sales(settings, columns: tuple[str, ...], limit: int | None = None) -> list[dict[str, Any]]:
    """Exported sales that have an image embedding, newest first (the console's similar-pricing picker)."""
    rows = export_table(settings).rows((Filter("embedding_error", "is_null"),), columns=columns)
    rows.sort(key=lambda r: (str(r.get("sold_at")), r.get("sale_id")), reverse=True)
    return rows if limit is None else rows[:limit]


def sale_image(settings, sale_id: str, *, objects) -> tuple[bytes, str]:
    """The sale's product image (bytes, MIME type), fetched under the same safety rules as the export."""
    row = get_sale(settings, sale_id, columns=("sale_id", "image_url"))
    url = row.get("image_url")
    if not url:
        raise NotFound(f"sale {sale_id!r} has no image URL")

    async def _get():
        async with make_fetcher(settings, objects, backoff=0.2, timeout=10.0) as fetcher:
            return await fetcher.fetch(url)

    from ..ports.fetcher import FetchError

    try:
        fetched = run_sync(_get())
    except FetchError as exc:
        raise ValidationFailed(f"image of sale {sale_id} cannot be shown: {exc}", field="image_url") from None
    return fetched.data, fetched.content_type


def similar_sales(settings, sale_id: str, k: int = 5) -> dict[str, Any]:
    from .similar import similar_sales as _similar

    return _similar(export_table(settings), sale_id, k)
