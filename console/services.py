"""Thin adapters between the console pages and the service packages.

Plain Python (no Streamlit import): every function takes ``Settings`` and returns plain data, so the
pages stay thin and these helpers are testable on their own. Where a service lacks a read the console
needs (recent tickets, the customer list, product group / brand of a learned swap, exported sale ids,
adapter health), it is composed here from the service's public objects.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from commerce_platform.config import Settings

# ----------------------------------------------------------------------------- offers / learnings


def catalog_index(settings: Settings) -> dict[str, dict[str, str]]:
    """product_code -> {name, group, brand}. Brand = the last word of the name when it is a maker's name
    (the catalog puts it there: 'KUPARIPUTKI 15MM 3M LUVATA')."""
    from commerce_platform import factory

    out = {}
    for p in factory.erp(settings).catalog():
        words = p.product_name.split()
        last = words[-1] if words else ""
        brand = last if last.isalpha() and last.upper() != p.product_group.upper() and len(words) > 1 else ""
        out[p.product_code] = {"name": p.product_name, "group": p.product_group, "brand": brand}
    return out


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)[:19]).date()
    except ValueError:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None


def learnings_view(settings: Settings, status: str | None = None, brand: str | None = None,
                   group: str | None = None, since: date | None = None) -> dict[str, list[dict]]:
    """Swaps and rules filtered by status, brand, product group and date (swap timestamp / rule day)."""
    from commerce_platform.errors import CommerceError
    from commerce_platform.offers import service as offers

    data = offers.list_learnings(settings, status=status)
    try:
        catalog = catalog_index(settings)
    except CommerceError:  # learnings stay reviewable without the ERP; group/brand are then unknown
        catalog = {}
    swaps = []
    for s in data["swaps"]:
        info = catalog.get(s["product_code"], {})
        s = {**s, "product_group": info.get("group", ""), "brand": info.get("brand", ""), "day": _day(s["timestamp"])}
        if brand and s["brand"] != brand:
            continue
        if group and s["product_group"] != group:
            continue
        if since and (s["day"] is None or s["day"] < since):
            continue
        swaps.append(s)
    rules = []
    for r in data["rules"]:
        r = {**r, "day_date": _day(r["day"])}
        if group and r["group"] != group:
            continue
        if brand and brand.upper() not in r["rule"].upper().split():
            continue
        if since and (r["day_date"] is None or r["day_date"] < since):
            continue
        rules.append(r)
    return {"swaps": swaps, "rules": rules}


def evidence_rows(swap: dict) -> list[dict[str, Any]]:
    """The source offers of a swap: the AI line and the final ERP line side by side."""
    rows = []
    for e in sorted(swap.get("evidence", []), key=lambda e: e.get("timestamp") or e.get("source_file", "")):
        rows.append({
            "offer": e.get("offer_number"), "source file": e.get("source_file"),
            "customer term": e.get("customer_term") or swap.get("customer_term"),
            "AI line": f"{e.get('ai_code') or '?'} {e.get('ai_name') or ''}".strip(),
            "AI qty": e.get("ai_quantity"),
            "final line": f"{e.get('final_code') or '?'} {e.get('final_name') or ''}".strip(),
            "final qty": e.get("final_quantity"), "when": e.get("timestamp"),
        })
    return rows


def run_learning(settings: Settings, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    from commerce_platform.offers.agent import run_learning as _run

    return _run(settings, progress=progress).as_dict()


# ----------------------------------------------------------------------------- copilot

TIME_WORDS = ("date", "day", "month", "week", "year", "quarter", "period", "time", "at")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def chart_spec(columns: list[str], rows: list[list[Any]]) -> dict[str, Any] | None:
    """Which chart fits a result: {"kind": "line"|"bar", "x": column, "y": [numeric columns]} or None.

    A time series (a date/month/year column + numbers, >= 2 rows) is a line chart; a breakdown (one text
    label column + numbers, 2..50 rows) is a bar chart; a single number or a wide listing gets no chart.
    """
    if len(rows) < 2 or len(columns) < 2:
        return None
    numeric = [c for i, c in enumerate(columns)
               if all(_is_number(r[i]) or r[i] is None for r in rows) and any(_is_number(r[i]) for r in rows)]
    labels = [c for c in columns if c not in numeric]
    timeish = [c for c in columns if any(w == c.lower() or c.lower().endswith("_" + w) or c.lower().startswith(w)
                                         for w in TIME_WORDS)]
    for c in timeish:  # e.g. month '2026-01-01', or a numeric year column
        i = columns.index(c)
        if all(_day(str(r[i])) is not None or (_is_number(r[i]) and 1900 <= r[i] <= 2200) for r in rows):
            ys = [n for n in numeric if n != c and not n.endswith("_id")]
            if ys:
                return {"kind": "line", "x": c, "y": ys[:3]}
    ys = [n for n in numeric if not n.endswith("_id") and n != "id"]
    if ys and labels and len(rows) <= 50:
        return {"kind": "bar", "x": labels[-1] if len(labels) > 1 and labels[0].endswith("_id") else labels[0],
                "y": ys[:1]}
    return None


# ----------------------------------------------------------------------------- exports


def exported_sales(settings: Settings, limit: int = 300) -> list[dict[str, Any]]:
    """Embedded sales (newest first) to pick from in the similar-pricing lookup."""
    from pyiceberg.expressions import IsNull

    from commerce_platform.exports.iceberg import IcebergSink

    table = IcebergSink.from_settings(settings).scan(
        IsNull("embedding_error"), columns=("sale_id", "title", "brand", "sold_price", "currency", "sold_at"))
    if table is None:
        return []
    rows = sorted(table.to_pylist(), key=lambda r: (str(r["sold_at"]), r["sale_id"]), reverse=True)[:limit]
    return [{**r, "sold_price": float(r["sold_price"]) if r["sold_price"] is not None else None} for r in rows]


def sale_images(settings: Settings, sale_ids: list[str]) -> dict[str, bytes | str]:
    """sale_id -> image bytes, or the reason it cannot be shown (fetched in parallel)."""
    from concurrent.futures import ThreadPoolExecutor

    from commerce_platform.exports.service import sale_image

    def one(sale_id: str) -> bytes | str:
        try:
            return sale_image(settings, sale_id)[0]
        except Exception as exc:  # noqa: BLE001 - one missing image does not hide the others
            return f"{getattr(exc, 'message', None) or exc}"

    with ThreadPoolExecutor(max_workers=6) as pool:
        return dict(zip(sale_ids, pool.map(one, sale_ids), strict=True))


def runs_frame_rows(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Progress records -> the table rows the exports page shows (duration from the times if needed)."""
    out = []
    for r in runs:
        seconds = r.get("seconds")
        if seconds is None and r.get("startTime") and r.get("endTime"):
            try:
                seconds = round((datetime.fromisoformat(r["endTime"]) - datetime.fromisoformat(r["startTime"]))
                                .total_seconds(), 3)
            except ValueError:
                seconds = None
        out.append({"date": r.get("date"), "tenant": r.get("tenant") or "*", "status": r.get("status"),
                    "total": r.get("totalCount", 0), "embedded": r.get("successCount", 0),
                    "errors": r.get("errorCount", 0), "seconds": seconds, "mode": r.get("mode"),
                    "error": r.get("error"), "ended": r.get("endTime")})
    return out


def export_outcome(summary: dict[str, Any]) -> tuple[str, str]:
    """(success | info | warning, markdown) for a finished run or retry."""
    text = (f"Export {summary.get('date')} ({summary.get('mode')}): **{summary['status']}** - total "
            f"{summary.get('totalCount', 0)}, embedded {summary.get('successCount', 0)}, errors {summary.get('errorCount', 0)}")
    if summary.get("note"):
        text += f" - {summary['note']}"
    if summary.get("mode") == "retry-failed":
        text += (f"; retried {summary.get('retried', 0)}, recovered {summary.get('recovered', 0)}; "
                 f"{summary.get('permanent', 0)} permanent failure(s) not retried (fix the source data)")
    kind = {"COMPLETE": "success", "EMPTY": "info"}.get(summary["status"], "warning")
    return kind, text


def failed_images_state(runs: list[dict[str, Any]], failed: list[dict[str, Any]]) -> tuple[str, str]:
    """What the "Failed images" panel says. Green only when sales were exported and all have an
    embedding: an empty home, or days that were all EMPTY/FAILED, have nothing to be green about."""
    from commerce_platform.exports.models import PERMANENT, failure_class

    if failed:
        permanent = sum(1 for f in failed if failure_class(f.get("embedding_error")) == PERMANENT)
        return "warning", (f"{len(failed)} exported sale(s) without an image embedding: {len(failed) - permanent} "
                           f"retryable, {permanent} permanent (a retry cannot fix those; fix the source data).")
    if not any((r.get("exportedCount") or r.get("successCount") or 0) > 0 for r in runs):
        return "info", "No sale has been exported yet, so there are no image embeddings to check."
    return "success", "Every exported sale has an image embedding."


# ----------------------------------------------------------------------------- support


def recent_tickets(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    from commerce_platform import factory
    from commerce_platform.support.customers import TICKETS

    items = sorted(factory.kv_table(settings, TICKETS).scan(), key=lambda t: t.get("created_at", ""), reverse=True)
    return [{"ticket_id": t["ticket_id"], "created_at": t.get("created_at"), "customer_id": t.get("customer_id"),
             "subject": t.get("subject"), "channel": t.get("channel"), "status": t.get("status"),
             "sentiment": (t.get("sentiment") or {}).get("label")} for t in items[:limit]]


def list_customers(settings: Settings, limit: int = 500) -> list[dict[str, Any]]:
    """Customers of the support database (id, name, company) for the new-ticket form."""
    from commerce_platform.support.customers import CustomerService

    return CustomerService(settings).list_customers(limit)


# ----------------------------------------------------------------------------- health


def _probe(name: str, backend: str, fn: Callable[[], str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        detail = fn()
        status = "ok"
    except Exception as exc:  # noqa: BLE001 - health reports, never raises
        detail, status = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"[:300], "down"
    return {"adapter": name, "backend": backend, "status": status, "detail": detail,
            "ms": round(1000 * (time.perf_counter() - t0), 1)}


def health_checks(settings: Settings) -> list[dict[str, Any]]:
    """Each adapter the factory builds from these settings, and whether it answers."""
    from commerce_platform import factory
    from commerce_platform.ports.kv import TableSpec
    from commerce_platform.ports.objectstore import list_all

    aws = settings.profile == "aws"
    checks = []

    def objects() -> str:
        store = factory.object_store(settings)
        n = sum(1 for _ in list_all(store, settings.offers_bucket, "learnings/"))
        return f"bucket {settings.offers_bucket}: {n} learning files"

    checks.append(_probe("object store", "S3" if aws else f"local files {settings.paths.objects}", objects))

    def kv() -> str:
        table = factory.kv_table(settings, TableSpec("console_health", "pk"))
        table.put({"pk": "ping", "at": time.time()}, ttl_seconds=60)
        return "write + read ok" if table.get("ping") else "written item not readable"

    checks.append(_probe("key-value tables", "DynamoDB" if aws else f"SQLite {settings.paths.platform_db}", kv))

    def service_db() -> str:
        import sqlalchemy as sa

        with factory.sql_engine(settings.service_db_url()).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return settings.service_db_url().split("@")[-1]

    checks.append(_probe("service database", "PostgreSQL" if settings.database_url else "SQLite", service_db))

    def erp() -> str:
        return f"{len(factory.erp(settings).catalog())} catalog products"

    checks.append(_probe("ERP", "Lemonsoft" if settings.lemonsoft_url else "local ERP files", erp))

    def llm() -> str:
        model = factory.llm(settings)
        return "offline: deterministic algorithms, no LLM" if model is None else f"{type(model).__name__} configured"

    checks.append(_probe("LLM", settings.llm_provider, llm))

    def embedder() -> str:
        vec = factory.text_embedder(settings).embed(["kupariputki 15mm"])
        return f"{vec.shape[1]}-d vectors"

    checks.append(_probe("text embeddings", settings.text_embedder, embedder))

    def kb_index() -> str:
        return f"{len(factory.vector_index(settings, 'kb').items())} KB chunks indexed"

    checks.append(_probe("vector index", "local numpy index", kb_index))

    def lake() -> str:
        from commerce_platform.copilot.service import CopilotService

        _, result = CopilotService(settings).run_sql("SELECT COUNT(*) AS n FROM orders")
        return f"retail lake: {result.rows[0][0]} orders"

    checks.append(_probe("query engine", "Athena" if aws else "DuckDB", lake))

    def iceberg() -> str:
        from commerce_platform.exports.service import table_partitions

        parts = table_partitions(settings)
        return f"{len(parts)} partitions, {sum(p['rows'] for p in parts)} rows"

    checks.append(_probe("Iceberg table", settings.export_iceberg_catalog + " catalog", iceberg))

    if settings.redis_url:
        def redis_ping() -> str:
            from commerce_platform.ports.cache import redis_client

            redis_client(settings.redis_url, connect_timeout=2.0).ping()
            return "PONG"

        checks.append(_probe("cache", "Redis", redis_ping))
    else:
        checks.append({"adapter": "cache", "backend": "in-process LRU", "status": "ok",
                       "detail": "no COMMERCE_REDIS_URL: each process caches for itself", "ms": 0.0})
    return checks


def understood(turn: dict) -> tuple[str, str]:
    """(prose, what was understood): the answer's closing "Computed: ..." shown on its own line
    above the table, so staff see what was computed before they read the numbers."""
    prose, interpretation = turn.get("response") or "", turn.get("interpretation") or ""
    tail = f" Computed: {interpretation}."
    if interpretation and tail in prose:
        prose = prose.replace(tail, "", 1)
    return prose, interpretation
