"""``commerce kb sync [--docs DIR]`` and ``commerce kb search QUERY [-k N] [--json]``."""

from __future__ import annotations


def register(sub, common) -> None:
    p = sub.add_parser("kb", parents=[common], help="support knowledge base: sync documents, search")
    kb_sub = p.add_subparsers(dest="kb_command", metavar="KB_COMMAND")
    kb_sub.required = True
    s = kb_sub.add_parser("sync", parents=[common],
                          help="sync the kb-docs bucket into the index (with --docs: mirror DIR into the bucket first)")
    s.add_argument("--docs", help="folder of .md/.txt/.html documents; the bucket is made to hold exactly these")
    s.set_defaults(func=run_sync)
    q = kb_sub.add_parser("search", parents=[common], help="search the knowledge base")
    q.add_argument("query", help="what to look for, in plain words")
    q.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    q.add_argument("--category", help="only documents of this category (default: all)")
    q.set_defaults(func=run_search)
    d = kb_sub.add_parser("docs", parents=[common], help="per-document sync status")
    d.set_defaults(func=run_docs)


def run_sync(ctx) -> int:
    from .. import wiring

    report = wiring.knowledge_base(ctx.settings).sync(docs_dir=ctx.args.docs).to_dict()
    ctx.emit(report, lambda: (
        f"kb sync ({report['backend']}): {len(report['added'])} added, {len(report['changed'])} changed, "
        f"{len(report['deleted'])} deleted, {report['unchanged']} unchanged, {len(report['skipped'])} skipped; "
        f"{report['documents']} documents, {report['chunks']} chunks in {report['seconds']} s"
        + "".join(f"\n  skipped {s['source']}: {s['error']}" for s in report["skipped"])))
    return 0


def run_search(ctx) -> int:
    from .. import wiring
    from ..errors import ValidationFailed

    if not 1 <= ctx.args.k <= 100:
        raise ValidationFailed("-k must be between 1 and 100", field="k")
    filters = {"category": ctx.args.category} if ctx.args.category else None
    results = wiring.knowledge_base(ctx.settings).search(ctx.args.query, k=ctx.args.k, filters=filters)
    doc = {"query": ctx.args.query, "results": [{"source": r.source, "text": r.text, "score": round(r.score, 4),
                                                 "heading": r.heading} for r in results]}

    def text() -> str:
        if not results:
            return "no results (is the knowledge base synced? run 'commerce kb sync')"
        return "\n".join(f"{i}. [{r.score:.3f}] {r.source} - {r.heading}\n   {r.text[:200]}"
                         for i, r in enumerate(results, 1))

    ctx.emit(doc, text)
    return 0


def run_docs(ctx) -> int:
    from .. import wiring

    docs = wiring.knowledge_base(ctx.settings).documents()
    ctx.emit({"documents": docs}, lambda: "\n".join(
        f"{d['status']:<8} {d.get('chunks') or 0:>3} chunks  {d['source']}" + (f"  ({d['error']})" if d.get("error") else "")
        for d in docs) or "no documents")
    return 0
