"""``commerce export run|status|similar`` (ARCHITECTURE section 6)."""

from __future__ import annotations

from typing import Any


def register(sub, common) -> None:
    p = sub.add_parser("export", parents=[common], help="SmartGo exporter: sales with image embeddings into Iceberg")
    verbs = p.add_subparsers(dest="export_command", metavar="VERB")
    verbs.required = True

    run = verbs.add_parser("run", parents=[common], help="export one UTC day (default yesterday)")
    run.add_argument("--date", help="YYYY-MM-DD (UTC; default yesterday)")
    run.add_argument("--tenant", help="only this tenant (default: all tenants)")
    run.add_argument("--source", help="SQLAlchemy URL of the SmartGo database (default: the demo in the home)")
    run.add_argument("--retry-failed", action="store_true", help="embed the images that failed in earlier runs")
    run.set_defaults(func=_run)

    status = verbs.add_parser("status", parents=[common], help="export runs and table partitions")
    status.set_defaults(func=_status)

    similar = verbs.add_parser("similar", parents=[common], help="price a sale by its visually similar sold items")
    similar.add_argument("--sale-id", required=True, help="an exported sale, e.g. SG-20261128-00001")
    similar.add_argument("-k", type=int, default=5, help="how many similar sold items to price by (default 5)")
    similar.set_defaults(func=_similar)


def _run(ctx) -> int:
    from ..wiring import run_export

    def progress(p: dict[str, Any]) -> None:
        ctx.progress(f"export: {p['processed']} rows processed ({p['successCount']} embedded, {p['errorCount']} errors)")

    summary = run_export(ctx.settings, date=ctx.args.date, tenant=ctx.args.tenant, source=ctx.args.source,
                         retry_failed=ctx.args.retry_failed, progress=progress)

    def text() -> str:
        return run_text(summary)

    ctx.emit(summary, text)
    return 0


def run_text(summary: dict[str, Any]) -> str:
    """The run summary as a user reads it: status, counts, what failed and whether a retry can help."""
    lines = [f"export {summary['date']}{' tenant ' + summary['tenant'] if summary.get('tenant') else ''}: "
             f"{summary['status']}" + (f" - {summary['note']}" if summary.get("note") else ""),
             f"  total {summary['totalCount']}, embedded {summary['successCount']}, errors {summary['errorCount']}"
             f" (rejected {summary.get('rejectedCount', 0)}, image errors {summary.get('imageErrorCount', 0)})"]
    if summary.get("reasons"):
        lines.append("  reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["reasons"].items())))
    if summary.get("mode") == "retry-failed":
        lines.append(f"  retried {summary.get('retried', 0)} retryable failure(s), recovered {summary.get('recovered', 0)}; "
                     f"{summary.get('permanent', 0)} permanent failure(s) not retried"
                     + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(summary["permanentReasons"].items())) + ")"
                        if summary.get("permanentReasons") else "")
                     + (": fix the source data" if summary.get("permanent") else ""))
    elif summary.get("errorCount"):
        classes = summary.get("failureClasses") or {}
        parts = []
        if classes.get("retryable"):
            parts.append(f"{classes['retryable']} retryable (timeouts, 5xx, connection errors): "
                         f"'commerce export run --date {summary['date']} --retry-failed'")
        if classes.get("permanent"):
            parts.append(f"{classes['permanent']} permanent (no URL, not an image, too large, bad rows): "
                         "fix the source data, a retry cannot help")
        lines.extend(f"  {p}" for p in parts)
    if summary.get("seconds") is not None:
        lines.append(f"  {summary['seconds']} s, {summary.get('downloads', 0)} downloads, "
                     f"{summary.get('embeddingsComputed', 0)} embeddings computed, "
                     f"{summary.get('embeddingsReused', 0)} reused")
    return "\n".join(lines)


def _status(ctx) -> int:
    from ..wiring import list_runs
    from .service import table_partitions

    doc = {"runs": list_runs(ctx.settings), "partitions": table_partitions(ctx.settings)}

    def text() -> str:
        if not doc["runs"]:
            return "no export runs yet (run 'commerce export run')"
        lines = ["date        tenant           status    total  embedded  errors  end"]
        for r in doc["runs"]:
            lines.append(f"{r.get('date', ''):<11} {r.get('tenant') or '*':<16} {r.get('status', ''):<9} "
                         f"{r.get('totalCount', 0):>5}  {r.get('successCount', 0):>8}  {r.get('errorCount', 0):>6}  "
                         f"{r.get('endTime') or ''}")
        if doc["partitions"]:
            lines.append("")
            lines.append("partition (tenant/year/month)          rows  files")
            for p in doc["partitions"]:
                name = f"{p['tenant_id']}/{p['year']}/{p['month']:02d}"
                lines.append(f"{name:<36} {p['rows']:>6}  {p['files']:>5}")
        return "\n".join(lines)

    ctx.emit(doc, text)
    return 0


def _similar(ctx) -> int:
    from .service import similar_sales

    result = similar_sales(ctx.settings, ctx.args.sale_id, ctx.args.k)

    def text() -> str:
        lines = [f"{result['sale_id']}: {result['title']} ({result['category']}, {result['brand']}) sold for "
                 f"{result['sold_price']:.2f} {result['currency']}",
                 f"suggested price: {result['suggested_price']} {result['currency']} "
                 f"(median of {len(result['neighbours'])} nearest)"]
        for n in result["neighbours"]:
            lines.append(f"  {n['similarity']:.3f}  {n['sale_id']:<22} {n['sold_price']:>9.2f}  {n['title']}")
        return "\n".join(lines)

    ctx.emit(result, text)
    return 0
