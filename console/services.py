"""Thin adapters between the console pages and the service packages.

Plain Python (no Streamlit import): every function takes ``Settings`` and returns plain data, so the
pages stay thin and these helpers are testable on their own. Where a service lacks a read the console
needs (recent tickets, the customer list, product group / brand of a learned swap, exported sale ids,
adapter health), it is composed here from the service's public objects.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from commerce_platform.config import Settings

# ----------------------------------------------------------------------------- numbers and months
# One place decides how the console writes a number or a month, so every table and chart agrees:
# thousands separators (60,337.14) and months as "Jan 2026", never the lake's "2026-01-01".

# Integer columns that are names, not quantities: "1,234" would misread as an amount, "2,026" as a year.
PLAIN_INT_WORDS = ("id", "year", "port", "turn", "chunk", "offer", "number", "code", "sku")
# Money keeps its cents even when they are zero; other whole-valued floats (quantities 60.0) lose them.
MONEY_WORDS = ("price", "revenue", "amount", "cost", "sales", "value", "total", "eur", "margin")


def number_text(value: Any, decimals: int = 2) -> str:
    """60337.14 -> '60,337.14', 1234 -> '1,234', None -> ''; anything else as it is."""
    if value is None or (isinstance(value, float) and value != value):  # NaN is a missing value
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if hasattr(value, "item"):  # numpy scalars from a DataFrame cell
            return number_text(value.item(), decimals)
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{decimals}f}"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date()
    return _day(str(value)) if value is not None else None


def month_label(value: Any) -> str:
    """'2026-01-01' / date / Timestamp -> 'Jan 2026'; a value that is no date stays as it is."""
    d = _as_date(value)
    return d.strftime("%b %Y") if d else ("" if value is None else str(value))


def is_month_column(name: str, values: Iterable[Any]) -> bool:
    """A column named month (month, order_month, month_start) whose values are all dates."""
    n = name.lower()
    if not (n == "month" or n.endswith("_month") or n.startswith("month")):
        return False
    values = [v for v in values if v is not None]
    return bool(values) and all(not isinstance(v, (int, float)) and _as_date(v) is not None for v in values)


def _plain_int(name: str) -> bool:
    n = name.lower()
    return any(n == w or n.endswith("_" + w) or n.startswith(w + "_") for w in PLAIN_INT_WORDS)


def column_formatters(columns: list[str], rows: list[list[Any]],
                      decimals: dict[str, int] | None = None) -> dict[str, Callable[[Any], str]]:
    """column -> how its cells are written: months as 'Jan 2026', amounts and counts with thousands
    separators (2 decimals unless ``decimals`` says otherwise), id / year columns plain."""
    decimals = decimals or {}
    out: dict[str, Callable[[Any], str]] = {}
    for i, c in enumerate(columns):
        values = [r[i] for r in rows]
        if is_month_column(c, values):
            out[c] = month_label
        elif any(_is_number(v) for v in values) and all(_is_number(v) or v is None for v in values):
            if _plain_int(c):
                out[c] = lambda v: "" if v is None else str(v)
            else:
                whole = all(float(v).is_integer() for v in values if v is not None)
                money = any(w in c.lower() for w in MONEY_WORDS)
                default = 0 if whole and not money else 2
                out[c] = lambda v, d=decimals.get(c, default): number_text(v, d)
    return out


def styled(frame, decimals: dict[str, int] | None = None):
    """A DataFrame for st.dataframe with the console's number and month formats. A Styler only changes
    what is displayed: the values underneath stay numbers and dates, so sorting a column still works."""
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    formats = column_formatters([str(c) for c in frame.columns], rows, decimals)
    return frame.style.format(formats, na_rep="")

# ----------------------------------------------------------------------------- offers / learnings


def catalog_index(settings: Settings) -> dict[str, dict[str, str]]:
    """product_code -> {name, group, brand}. The brand is the one the offers service reads from the
    catalog's product lines (offers.families), wherever the name puts it, so the console's brand filter
    names the same brands as the learned rules; a product outside any line has none."""
    from commerce_platform import factory
    from commerce_platform.offers.families import Families

    catalog = factory.erp(settings).catalog()
    families = Families(catalog)
    out = {}
    for p in catalog:
        attrs = families.attrs(p.product_code)
        brand = attrs.brand if attrs is not None and families.is_line(attrs) else ""
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
    from commerce_platform import wiring as offers  # the offers entry points with their ports
    from commerce_platform.errors import CommerceError

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
    from commerce_platform.wiring import run_learning as _run

    return _run(settings, progress=progress).as_dict()


def bulk_candidates(swaps: list[dict], min_confidence: float) -> list[dict]:
    """The swaps a bulk action would change: pending ones at or above the confidence."""
    return [s for s in swaps if s["status"] == "pending" and s["confidence"] >= min_confidence - 1e-9]


def bulk_review(settings: Settings, ids: list[str], status: str) -> dict[str, Any]:
    """Approve or reject many learnings with the offers service's own review (what `commerce learn review`
    calls). Returns the action with each item's previous status, which is what undo needs."""
    from commerce_platform import wiring as offers  # the offers entry points with their ports

    before = {s["id"]: s["status"] for s in offers.list_learnings(settings)["swaps"]}
    changed = []
    for learning_id in ids:
        item = offers.review(settings, learning_id, status)
        changed.append({"id": learning_id, "previous": before.get(learning_id, "pending"),
                        "label": f"{item['customer_term']} -> {item['product_code']}"})
    return {"status": status, "changed": changed}


def undo_bulk(settings: Settings, action: dict[str, Any]) -> dict[str, Any]:
    """Put the learnings of a bulk action back to their previous status. One reviewed again by hand since
    the bulk action keeps the newer decision: undo must not overwrite it."""
    from commerce_platform import wiring as offers  # the offers entry points with their ports

    now = {s["id"]: s["status"] for s in offers.list_learnings(settings)["swaps"]}
    restored, kept = [], []
    for item in action["changed"]:
        if now.get(item["id"]) == action["status"]:
            offers.review(settings, item["id"], item["previous"])
            restored.append(item["id"])
        else:
            kept.append(item["id"])
    return {"restored": restored, "kept": kept}


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
    if "stock" in ys and labels and len(rows) <= 50:  # stock is charted as stock, not as the first number
        return {"kind": "stock", "x": labels[0], "y": ["stock"] + [c for c in ("reorder_level",) if c in ys]}
    if ys and labels and len(rows) <= 50:
        return {"kind": "bar", "x": labels[-1] if len(labels) > 1 and labels[0].endswith("_id") else labels[0],
                "y": ys[:1]}
    return None


STOCK_STATES = {"out of stock": "#c62828", "at or below reorder level": "#ef6c00", "above reorder level": "#2e7d32",
                "in stock": "#1565c0"}  # "in stock": a result without reorder levels (a copilot answer)
# Axis numbers: thousands separators, up to two decimals, no trailing zeros (100,000 / 4.5), never "1e+5".
AXIS_FORMAT = ",.2~f"


def stock_rows(items: list[dict[str, Any]], label: str = "name") -> list[dict[str, Any]]:
    """Products with their stock, reorder level and state; the label says "0 - out of stock" so an empty
    bar still reads as a product with nothing left, not as a missing one."""
    out = []
    for it in items:
        stock = it.get("stock") or 0
        reorder = it.get("reorder_level")
        if stock <= 0:
            state = "out of stock"
        elif reorder is None:
            state = "in stock"
        elif stock <= reorder:
            state = "at or below reorder level"
        else:
            state = "above reorder level"
        text = "0 - out of stock" if stock <= 0 else number_text(stock)
        out.append({"product": str(it.get(label) or it.get("sku") or it.get("product_id")), "stock": stock,
                    "reorder_level": reorder, "state": state, "label": text})
    return out


def units_short(items: list[dict[str, Any]]) -> int:
    """How many units it takes to bring every product back up to its reorder level."""
    return sum(max(0, (it.get("reorder_level") or 0) - (it.get("stock") or 0)) for it in items)


def stock_chart(items: list[dict[str, Any]], label: str = "name"):
    """Stock per product as bars, the reorder level as a black tick on each bar, a red dot and a
    "0 - out of stock" label where nothing is left (a zero-length bar alone is invisible)."""
    import altair as alt
    import pandas as pd

    rows = stock_rows(items, label)
    frame = pd.DataFrame(rows)
    present = [k for k in STOCK_STATES if k in set(frame["state"])]  # the legend names only what is shown
    colour = alt.Color("state:N", title=None, legend=alt.Legend(orient="bottom"),
                       scale=alt.Scale(domain=present, range=[STOCK_STATES[k] for k in present]))
    tips = [alt.Tooltip("product:N"), alt.Tooltip("stock:Q", format=","), alt.Tooltip("state:N")]
    has_reorder = frame["reorder_level"].notna().any()
    if has_reorder:
        tips.insert(2, alt.Tooltip("reorder_level:Q", title="reorder level", format=","))
    base = alt.Chart(frame).encode(y=alt.Y("product:N", sort=None, title=None, axis=alt.Axis(labelLimit=240)))
    layers = [
        base.mark_bar().encode(x=alt.X("stock:Q", title="units in stock", axis=alt.Axis(format=AXIS_FORMAT)),
                               color=colour, tooltip=tips),
        base.transform_filter("datum.stock <= 0").mark_point(filled=True, size=80, color=STOCK_STATES["out of stock"])
            .encode(x="stock:Q", tooltip=tips),
        base.mark_text(align="left", dx=7).encode(x="stock:Q", text="label:N"),
    ]
    if has_reorder:
        layers.insert(1, base.mark_tick(color="#212121", thickness=3, size=20)
                      .encode(x=alt.X("reorder_level:Q"), tooltip=tips))
    # a fixed step per product: a total height gets squeezed by the layout and every other name is dropped
    return alt.layer(*layers).properties(height=alt.Step(30))


def answer_chart(columns: list[str], rows: list[list[Any]], spec: dict[str, Any]):
    """The Altair chart for a copilot answer and its ``chart_spec``: months on the axis as "Jan 2026",
    numbers with thousands separators, a value label on each bar (so a zero still shows)."""
    import altair as alt
    import pandas as pd

    if spec["kind"] == "stock":
        items = [dict(zip(columns, r, strict=True)) for r in rows]
        return stock_chart(items, label=spec["x"])
    x, ys = spec["x"], spec["y"]
    frame = pd.DataFrame(rows, columns=columns)[[x, *ys]]
    long = frame.melt(id_vars=[x], value_vars=ys, var_name="measure", value_name="value")
    tip_value = alt.Tooltip("value:Q", format=",.2f")
    if spec["kind"] == "line":
        if is_month_column(x, frame[x].tolist()):
            long[x] = pd.to_datetime(long[x].astype(str))
            # one tick per month (not per 30 days, which labels a month twice and skips the last one)
            enc_x = alt.X(f"yearmonth({x}):T", title=None,
                          axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount={"interval": "month", "step": 1}))
            tip_x = alt.Tooltip(f"yearmonth({x}):T", format="%b %Y")
        elif all(_is_number(v) for v in frame[x]):  # years: categories, never "2,026"
            enc_x, tip_x = alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=0)), alt.Tooltip(f"{x}:O")
        else:
            long[x] = pd.to_datetime(long[x].astype(str).str[:19])
            enc_x = alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%d %b %Y"))
            tip_x = alt.Tooltip(f"{x}:T", format="%d %b %Y")
        return alt.Chart(long).mark_line(point=True).encode(
            x=enc_x, y=alt.Y("value:Q", title=", ".join(ys), axis=alt.Axis(format=AXIS_FORMAT)),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom") if len(ys) > 1 else None),
            tooltip=[tip_x, alt.Tooltip("measure:N"), tip_value]).properties(height=260)
    base = alt.Chart(long).encode(y=alt.Y(f"{x}:N", sort=None, title=None, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_bar().encode(x=alt.X("value:Q", title=ys[0], axis=alt.Axis(format=AXIS_FORMAT)),
                                  tooltip=[alt.Tooltip(f"{x}:N"), tip_value])
    # whole units for amounts and counts, two decimals for small measures (a share, an average rating)
    label_format = ",.0f" if long["value"].abs().max() >= 100 else ",.2f"
    text = base.mark_text(align="left", dx=4).encode(x="value:Q", text=alt.Text("value:Q", format=label_format))
    return alt.layer(bars, text).properties(height=alt.Step(26))


# ----------------------------------------------------------------------------- exports


def exported_sales(settings: Settings, limit: int = 300) -> list[dict[str, Any]]:
    """Embedded sales (newest first) to pick from in the similar-pricing lookup."""
    from commerce_platform.exports.service import embedded_sales

    rows = embedded_sales(settings, ("sale_id", "title", "brand", "sold_price", "currency", "sold_at"), limit=limit)
    return [{**r, "sold_price": float(r["sold_price"]) if r["sold_price"] is not None else None} for r in rows]


def sale_images(settings: Settings, sale_ids: list[str]) -> dict[str, bytes | str]:
    """sale_id -> image bytes, or the reason it cannot be shown (fetched in parallel)."""
    from concurrent.futures import ThreadPoolExecutor

    from commerce_platform.wiring import sale_image

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
    """The newest ``limit`` tickets (id, time, customer, subject, channel, status, sentiment label),
    newest first: one read of ``limit`` items of the tickets' time index, never a scan of the tickets."""
    from commerce_platform import factory

    return factory.ticket_store(settings).recent(limit)


def kb_search(settings: Settings, query: str, k: int = 5, kb=None) -> list[dict[str, Any]]:
    """The support knowledge base's own search (hybrid BM25 + vectors): rank, source, heading, score,
    text. ``kb`` is a KnowledgeBase already open (the console caches one); else one is opened."""
    from commerce_platform import wiring

    results = kb.search(query, k=k) if kb is not None else wiring.kb_search(settings, query, k=k)
    return [{"rank": n, "source": r.source, "heading": r.heading or r.title, "score": round(float(r.score), 3),
             "text": r.text} for n, r in enumerate(results, start=1)]


def list_customers(settings: Settings, limit: int = 500) -> list[dict[str, Any]]:
    """Customers of the support database (id, name, company) for the new-ticket form."""
    from commerce_platform import wiring

    return wiring.customer_service(settings).list_customers(limit)


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
        n = sum(1 for _ in list_all(store, settings.offers.bucket, "learnings/"))
        return f"bucket {settings.offers.bucket}: {n} learning files"

    checks.append(_probe("object store", "S3" if aws else f"local files {settings.paths.objects}", objects))

    def kv() -> str:
        table = factory.kv_table(settings, TableSpec("console_health", "pk"))
        table.put({"pk": "ping", "at": time.time()}, ttl_seconds=60)
        return "write + read ok" if table.get("ping") else "written item not readable"

    checks.append(_probe("key-value tables", "DynamoDB" if aws else f"SQLite {settings.paths.platform_db}", kv))

    def service_db() -> str:
        from commerce_platform.ports.sql import ping

        ping(factory.sql_engine(settings.service_db_url()))
        return settings.service_db_url().split("@")[-1]

    checks.append(_probe("service database", "PostgreSQL" if settings.database_url else "SQLite", service_db))

    def erp() -> str:
        return f"{len(factory.erp(settings).catalog())} catalog products"

    checks.append(_probe("ERP", "Lemonsoft" if settings.offers.lemonsoft_url else "local ERP files", erp))

    def llm() -> str:
        model = factory.llm(settings)
        return "offline: deterministic algorithms, no LLM" if model is None else f"{type(model).__name__} configured"

    checks.append(_probe("LLM", settings.llm.provider, llm))

    def embedder() -> str:
        vec = factory.text_embedder(settings).embed(["kupariputki 15mm"])
        return f"{vec.shape[1]}-d vectors"

    checks.append(_probe("text embeddings", settings.text_embedder, embedder))

    def kb_index() -> str:
        return f"{len(factory.vector_index(settings, 'kb').items())} KB chunks indexed"

    checks.append(_probe("vector index", "local numpy index", kb_index))

    def lake() -> str:
        from commerce_platform import wiring

        _, result = wiring.copilot_service(settings).run_sql("SELECT COUNT(*) AS n FROM orders")
        return f"retail lake: {result.rows[0][0]} orders"

    checks.append(_probe("query engine", "Athena" if aws else "DuckDB", lake))

    def iceberg() -> str:
        from commerce_platform.exports.service import table_partitions

        parts = table_partitions(settings)
        return f"{len(parts)} partitions, {sum(p['rows'] for p in parts)} rows"

    checks.append(_probe("Iceberg table", settings.exports.iceberg_catalog + " catalog", iceberg))

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
