"""``commerce copilot ask`` and ``commerce copilot check-sql`` (ARCHITECTURE section 6)."""

from __future__ import annotations


def register(sub, common) -> None:
    p = sub.add_parser("copilot", parents=[common], help="ask the retail copilot; check SQL against the guard")
    csub = p.add_subparsers(dest="copilot_command", metavar="COMMAND")
    csub.required = True
    ask = csub.add_parser("ask", parents=[common], help="answer a question with guarded SQL over the retail lake")
    ask.add_argument("question", help='the question in plain words, e.g. "top 10 customers last month"')
    ask.add_argument("--lake", help="folder of <table>.parquet files (default: <home>/lake/retail)")
    ask.add_argument("--as-of", dest="as_of", help="date that 'last month', 'this year' are relative to (YYYY-MM-DD)")
    ask.add_argument("--conversation", dest="conversation_id", help="continue this conversation (follow-ups)")
    ask.add_argument("--user", dest="user_id", default="cli", help="user id stored with the conversation")
    ask.set_defaults(func=run_ask, needs_home=_without_lake)
    check = csub.add_parser("check-sql", parents=[common], help="exit 0 if the guard allows SQL, 3 if it refuses")
    check.add_argument("sql", help="one SQL statement (quote it)")
    check.add_argument("--lake", help="folder of <table>.parquet files (tables allowed = those present)")
    check.set_defaults(func=run_check, needs_home=_without_lake)


def _without_lake(args) -> bool:
    """With --lake the data comes from that folder: the command works without a data home."""
    return not args.lake


def run_ask(ctx) -> int:
    from .. import wiring

    svc = wiring.copilot_service(ctx.settings, lake=ctx.args.lake)
    answer = svc.ask(ctx.args.question, conversation_id=ctx.args.conversation_id, user_id=ctx.args.user_id,
                     as_of=ctx.args.as_of)
    doc = answer.model_dump(include={"question", "sql", "columns", "rows", "answer", "provider", "query_type",
                                     "conversation_id", "turn", "interpretation", "row_count", "truncated", "as_of"})

    def text() -> str:
        lines = [answer.answer, "", answer.sql, ""]
        if answer.columns:
            lines.append(" | ".join(answer.columns))
            lines += [" | ".join("" if v is None else str(v) for v in row) for row in answer.rows[:20]]
            if len(answer.rows) > 20:
                lines.append(f"... {len(answer.rows) - 20} more rows (use --json for all)")
        lines.append(f"\n(conversation {answer.conversation_id}; provider {answer.provider})")
        return "\n".join(lines)

    ctx.emit(doc, text)
    return 0


def run_check(ctx) -> int:
    from .. import wiring

    svc = wiring.copilot_service(ctx.settings, lake=ctx.args.lake)
    result = svc.check_sql(ctx.args.sql)
    ctx.emit({"allowed": True, "sql": result.sql, "tables": list(result.tables), "limit_added": result.limited},
             f"allowed: {result.sql}")
    return 0
