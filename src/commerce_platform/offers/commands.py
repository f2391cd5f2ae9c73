"""``commerce learn ...``, ``commerce offers match`` and ``commerce offers propose``."""

from __future__ import annotations


def register(sub, common) -> None:
    learn = sub.add_parser("learn", parents=[common], help="the nightly offer-learning agent and its review")
    lsub = learn.add_subparsers(dest="learn_command", metavar="ACTION")
    lsub.required = True
    run = lsub.add_parser("run", parents=[common], help="compare AI offers with final ERP offers and learn")
    run.add_argument("--dry-run", action="store_true", help="compute learnings but write nothing")
    run.set_defaults(func=_run)
    review = lsub.add_parser("review", parents=[common], help="list, approve or reject learnings")
    rsub = review.add_subparsers(dest="review_command", metavar="ACTION")
    rsub.required = True
    lst = rsub.add_parser("list", parents=[common], help="list swaps and rules with their review status")
    lst.add_argument("--status", choices=["pending", "approved", "rejected"],
                     help="only learnings with this review status (default: all)")
    lst.set_defaults(func=_review_list)
    for verb in ("approve", "reject"):
        p = rsub.add_parser(verb, parents=[common], help=f"{verb} a learning by id (see 'list')")
        p.add_argument("ids", nargs="+", metavar="ID", help="learning ids as 'list' prints them (s-... or r-...)")
        p.set_defaults(func=_review_set, status="approved" if verb == "approve" else "rejected")

    offers = sub.add_parser("offers", parents=[common], help="product matching with learned swaps")
    osub = offers.add_subparsers(dest="offers_command", metavar="ACTION")
    osub.required = True
    match = osub.add_parser("match", parents=[common], help="match a customer's term to products")
    match.add_argument("term", metavar="TERM", help='the customer\'s words for a product, e.g. "kupariputki 15mm"')
    match.add_argument("-k", type=int, default=5, help="how many matches (default 5)")
    match.set_defaults(func=_match)
    propose = osub.add_parser("propose", parents=[common],
                              help="propose a whole offer: learned swaps and rules applied to a request's lines")
    propose.add_argument("request", metavar="REQUEST.json",
                         help="an offer request (format 5.1) or just its ai_matched_products lines")
    propose.set_defaults(func=_propose)


def _run(ctx) -> int:
    from ..wiring import run_learning

    last = [0]

    def progress(done: int, total: int) -> None:
        if done == total or done - last[0] >= max(1, total // 10):
            last[0] = done
            ctx.progress(f"learn: {done}/{total} offers")

    summary = run_learning(ctx.settings, dry_run=ctx.args.dry_run, progress=progress)
    if not summary.offers_processed:
        ctx.progress(f"learn: no offer requests in {ctx.settings.offers.bucket}/offer-requests/ (the offer automation "
                     "records them; 'commerce demo' builds a demo world)")
    doc = summary.as_dict()
    ctx.emit(doc, lambda: (
        f"offers processed {summary.offers_processed}: successful {summary.successful}, skipped (unchanged) "
        f"{summary.skipped}, failed {summary.failed}; with learnings {summary.with_learnings}, total learnings "
        f"{summary.total_learnings} (new swaps {summary.new_swaps}, new rules {summary.new_rules})"
        + ("" if not summary.failures else "\nfailed offers (retried next run):\n" + "\n".join(
            f"  {f['offer_number']}: {f['reason']}: {f['detail']}" for f in summary.failures))
        + "".join(f"\nrepaired {r['file']}: {r['problem']}: {r['action']}" for r in summary.repaired)
        + "".join(f"\nneeds repair {r['file']}: {r['problem']}: {r['action']} (a learning run without --dry-run "
                  "repairs it)" for r in summary.needs_repair)
        + (" [dry run: nothing written]" if summary.dry_run else "")))
    return 0


def _review_list(ctx) -> int:
    from ..wiring import list_learnings

    doc = list_learnings(ctx.settings, ctx.args.status)

    def text() -> str:
        lines = [f"{'ID':<11} {'STATUS':<9} {'CONF':>5} {'N':>3}  TERM -> PRODUCT"]
        for s in doc["swaps"]:
            lines.append(f"{s['id']:<11} {s['status']:<9} {s['confidence']:>5.2f} {s['evidence_count']:>3}  "
                         f"{s['customer_term']} -> {s['product_code']} {s['product_name']}")
        lines.append("")
        lines.append(f"{'ID':<11} {'STATUS':<9} {'SUPPORT':>7}  RULE")
        for r in doc["rules"]:
            lines.append(f"{r['id']:<11} {r['status']:<9} {r['support']:>7}  {r['day']}: {r['rule']}")
        return "\n".join(lines)

    ctx.emit(doc, text)
    return 0


def _review_set(ctx) -> int:
    from ..wiring import review

    results = [review(ctx.settings, i, ctx.args.status) for i in ctx.args.ids]
    ctx.emit({"updated": results}, lambda: "\n".join(f"{r['id']}: {r['status']}" for r in results))
    return 0


def _match(ctx) -> int:
    from ..wiring import match_term

    doc = match_term(ctx.settings, ctx.args.term, ctx.args.k)
    ctx.emit(doc, lambda: doc.get("note") or "\n".join(
        f"{m['score']:.3f}  {m['source']:<8} {m['product_code']}  {m['product_name']}" for m in doc["matches"]))
    return 0


def _propose(ctx) -> int:
    from ..wiring import propose_offer
    from .service import read_request_file

    doc = propose_offer(ctx.settings, read_request_file(ctx.args.request))

    def text() -> str:
        lines = [f"offer {doc['offer_number'] or '(no number)'}"]
        for n, line in enumerate(doc["lines"], start=1):
            lines.append(f"{n:>3}. {line['customer_term']!r}: {line['quantity']:g} {line['unit']} "
                         f"{line['product_code']} {line['product_name']}  [{line['source']}: {line['reason']}]")
        return "\n".join(lines)

    ctx.emit(doc, text)
    return 0
