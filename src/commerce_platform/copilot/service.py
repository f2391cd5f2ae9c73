"""The copilot's service entry point (CLI, HTTP app, Lambda and Streamlit console call this).

    svc = wiring.copilot_service(settings)   # the composition root hands in the ports
    svc.ask("revenue by month for 2025", user_id="anna", as_of="2026-11-01") -> Answer
    svc.list_conversations("anna"); svc.get_conversation(cid); svc.approve(cid, turn)
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlglot import exp

from ..config import Settings
from ..errors import CommerceError, NotFound, NotUnderstood, ValidationFailed
from ..lazy import resolve
from ..logs import get_logger
from ..ports.query_engine import LAKE_TABLES, QueryResult, engine_for
from .answers import compose, describe_form
from .guard import DEFAULT_MAX_ROWS, GuardResult, check_sql
from .models import Answer, ChatRequest, QueryType
from .parser import MAX_QUESTION_CHARS, ParseResult, parser_for
from .parser import query_type as query_type_of
from .query import QueryForm
from .semantic import SemanticLayer, vocabulary_for

log = get_logger("copilot")
MAX_FAILED_TURNS = 10


def parse_as_of(value: str | date | None) -> date:
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(f"as_of {value!r} is not a date", field="as_of", hint="use YYYY-MM-DD") from exc


class CopilotService:
    def __init__(self, settings: Settings, *, llm: Any, store: Any, embedder: Any, lake: Path | str | None = None,
                 engine=None) -> None:
        """``llm`` (None: offline), ``store`` (a ConversationStore) and ``embedder`` come from the composition
        root (``wiring.copilot_service``), each either the port or a ``Lazy`` one built on first use."""
        self.settings = settings
        self.lake = Path(lake) if lake else None
        self._engine = engine
        self._llm = llm
        self._store = store
        self._embedder = embedder
        self.layer = SemanticLayer.load()

    # ----- collaborators (lazy: check-sql needs none of them)
    @property
    def engine(self):
        """The injected engine, else the cached one for the lake (picks up a rebuilt lake)."""
        if self._engine is not None:
            return self._engine
        return engine_for(self.settings, self.lake)

    @property
    def store(self):
        return resolve(self._store)

    @property
    def llm(self):
        return resolve(self._llm)

    @property
    def embedder(self):
        return resolve(self._embedder)

    @property
    def tables(self) -> frozenset[str]:
        return getattr(self.engine, "tables", None) or frozenset(self.layer.tables)

    # ----- SQL
    def check_sql(self, sql: str) -> GuardResult:
        tables = frozenset(self.layer.tables) if self.lake is None and self._engine is None else self.tables
        return check_sql(sql, tables=tables)

    def run_sql(self, sql: str) -> tuple[GuardResult, QueryResult]:
        guarded = check_sql(sql, tables=self.tables)
        return guarded, self.engine.execute(guarded.sql)

    # ----- questions
    def ask(self, question: str, conversation_id: str | None = None, user_id: str = "anonymous",
            as_of: str | date | None = None) -> Answer:
        question = (question or "").strip()
        if not question:
            raise ValidationFailed("the question is empty", field="question", hint="ask about orders, stock, sales")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValidationFailed(f"the question is longer than {MAX_QUESTION_CHARS} characters", field="question",
                                   hint="ask a shorter question")
        day = parse_as_of(as_of)
        store = self.store
        new_conversation = conversation_id is None
        conversation_id = conversation_id or store.new_id()
        previous = [] if new_conversation else store.turns(conversation_id)
        if previous and previous[0].user_id != user_id:
            raise NotFound(f"conversation {conversation_id!r} does not exist", field="conversation_id")
        number = (previous[-1].turn + 1) if previous else 1
        context = QueryForm.from_dict(next((t.frame for t in reversed(previous) if t.status == "ok" and t.frame), None))
        history = [t.model_dump() for t in previous if t.status == "ok"][-5:]
        try:
            answer, frame = self._answer(question, day, context, history)
        except CommerceError as exc:
            # A refused question is kept in its conversation (the user sees what was not understood),
            # but it never opens one and at most MAX_FAILED_TURNS are kept per conversation: a fuzzing
            # or confused caller must not grow the table.
            failed = sum(t.status == "failed" for t in previous)
            if previous and failed < MAX_FAILED_TURNS:
                store.add_turn(conversation_id, user_id, question, status="failed", error=exc.to_dict(),
                               number=number, as_of=day.isoformat())
            log.info("copilot question failed", conversation_id=conversation_id, error=type(exc).__name__)
            raise
        answer.conversation_id = conversation_id
        answer.turn = number
        store.add_turn(conversation_id, user_id, question, answer=answer, frame=frame, number=number,
                       as_of=day.isoformat())
        log.info("copilot answered", conversation_id=conversation_id, provider=answer.provider,
                 query_type=answer.query_type, rows=answer.row_count)
        return answer

    def _answer(self, question: str, day: date, context: QueryForm | None,
                history: list[dict[str, Any]]) -> tuple[Answer, dict | None]:
        engine = self.engine
        t0 = time.perf_counter()
        parsed: ParseResult | None = None
        offline_error: CommerceError | None = None
        try:
            parsed = parser_for(engine).parse(question, day, context)
        except (NotUnderstood, ValidationFailed) as exc:
            offline_error = exc
            if isinstance(exc, ValidationFailed) and exc.field != "question":
                raise
        t_parse = time.perf_counter() - t0
        provider = "offline"
        attempts = 1
        sql = guarded = result = None
        text: str | None = None
        llm_form: QueryForm | None = None
        disagreement = ""
        llm = self.llm
        if llm is not None:
            from .conversations import shipped_examples, similar_examples
            from .generator import LLMGenerator

            gen = LLMGenerator(llm, self.layer, vocabulary_for(engine))
            examples = [*similar_examples(question, self.store.examples_list(), self.embedder, k=3),
                        *similar_examples(question, shipped_examples(), self.embedder, k=5)]
            generation = gen.generate(question, day, self.run_sql, history, examples)
            attempts = len(generation.attempts)
            if generation.sql:
                guarded, result = generation.result
                sql, provider, llm_form = generation.sql, gen.name, generation.form
                text = gen.summarize(question, result.columns, result.rows)
                disagreement = self._disagreement(parsed, result)
            else:
                provider = "offline (llm fallback)"
        if sql is None:
            if parsed is None:
                assert offline_error is not None
                if isinstance(offline_error, NotUnderstood):
                    offline_error.hint = self._close_questions(question) or offline_error.hint
                raise offline_error
            t1 = time.perf_counter()
            guarded = check_sql(parsed.sql, tables=self.tables)
            t_guard = time.perf_counter() - t1
            result = engine.execute(guarded.sql)
            sql = parsed.sql
        else:
            t_guard = 0.0
        assert guarded is not None and result is not None
        if parsed is not None and parsed.lookup and provider.startswith("offline"):
            self._check_exists(*parsed.lookup, result)
        form = llm_form if llm_form is not None else (
            parsed.form if parsed is not None and provider.startswith("offline") else None)
        interpretation = describe_form(form, self.layer) if form is not None else ""
        truncated = guarded.limited and len(result.rows) >= DEFAULT_MAX_ROWS
        query_type = query_type_of(form) if form is not None else (
            parsed.query_type if parsed else _guess_type(guarded.tables))
        if text is None:
            text = compose(question, result.columns, result.rows, interpretation, truncated, frame=form,
                           note=self._coverage_note(engine, form, result.rows))
        elif interpretation:
            text = f"{text} Computed: {interpretation}."
        if disagreement:
            text = f"{text} {disagreement}"
        answer = Answer(question=question, sql=guarded.sql, columns=result.columns, rows=result.rows, answer=text,
                        provider=provider, query_type=query_type, interpretation=interpretation,
                        row_count=len(result.rows), truncated=truncated, as_of=day.isoformat(), attempts=attempts,
                        seconds={"generate": round(t_parse, 4), "guard": round(t_guard, 4),
                                 "execute": result.seconds})
        return answer, form.to_dict() if form is not None else None

    def _close_questions(self, question: str) -> str | None:
        """Questions like this one that the copilot answers (the shipped examples nearest in
        wording), so a refusal shows a way forward rather than a fixed list."""
        from .conversations import shipped_examples, similar_examples

        try:
            close = similar_examples(question, shipped_examples(), self.embedder, k=3)
        except Exception as exc:  # noqa: BLE001 - suggestions are a courtesy; the refusal stands without them
            log.info("no close questions", error=type(exc).__name__)
            return None
        return ("questions like it that I can answer: " + "; ".join(f"'{e['question']}'" for e in close)) if close \
            else None

    def _check_exists(self, kind: str, ident: int, result: QueryResult) -> None:
        """An answer about an id that does not exist is "not found", not an empty list or a 0."""
        empty = not result.rows or all(v in (None, 0) for row in result.rows for v in row)
        if not empty:
            return
        entity = self.layer.entities[f"{kind}s"]
        key = exp.column(entity["key"])
        probe = exp.select(key).from_(entity["table"]).where(key.eq(exp.Literal.number(ident))).limit(1)
        if not self.engine.execute(check_sql(probe.sql("duckdb"), tables=self.tables).sql).rows:
            raise NotFound(f"{kind} {ident} does not exist", field="question", hint=f"check the {kind} number")

    def _disagreement(self, parsed: ParseResult | None, result: QueryResult) -> str:
        """When the offline parser understood the question too and its answer differs, say so:
        two readings of one question are worth a second look."""
        if parsed is None:
            return ""
        from .evaluation import results_match

        try:
            offline = self.engine.execute(check_sql(parsed.sql, tables=self.tables).sql)
        except CommerceError:
            return ""
        if results_match(offline.rows, result.rows):
            return ""
        return (f"Note: the offline parser read the question differently ({parsed.interpretation}) and got "
                f"{len(offline.rows):,} row(s) that differ from this answer.")

    # The table and noun behind each period column the parser filters on.
    _PERIOD_NOUNS = {"orders": "orders", "customers": "sign-ups", "shipments": "shipments"}

    @staticmethod
    def _coverage_note(engine, frame: QueryForm | None, rows: list[list[Any]]) -> str:
        """When a period finds nothing, say which dates the lake holds: "no orders last week"
        reads differently when the data ends a month ago."""
        if frame is None or not frame.period:
            return ""
        empty = not rows or (len(rows) == 1 and all(v in (0, None) for v in rows[0]))
        if not empty:
            return ""
        table, column = (frame.period_field or "orders.order_date").split(".")
        noun = CopilotService._PERIOD_NOUNS.get(table, table)
        col = exp.column(column)
        sql = exp.select(exp.alias_(exp.Min(this=col), "first_day"), exp.alias_(exp.Max(this=col.copy()), "last_day")
                         ).from_(table).sql("duckdb")
        try:  # on the engine that answered: no second look-up of the lake
            guarded = check_sql(sql, tables=getattr(engine, "tables", None) or LAKE_TABLES)
            first, last = engine.execute(guarded.sql).rows[0]
        except (CommerceError, IndexError, ValueError):
            return ""  # the note is a courtesy; the answer stands without it
        if first is None:
            return f"The lake holds no {noun}."
        return f"The lake's {noun} run from {str(first)[:10]} to {str(last)[:10]}."

    def chat(self, request: ChatRequest) -> Answer:
        return self.ask(request.question, request.conversation_id, request.user_id, request.as_of)

    def inventory(self, limit: int = 100) -> dict[str, Any]:
        """Low-stock overview (GET /copilot/inventory): products at or below their reorder level."""
        stock = exp.select("product_id", exp.alias_(exp.Sum(this=exp.column("quantity_on_hand")), "stock"),
                           exp.alias_(exp.Sum(this=exp.column("reorder_level")), "reorder_level")
                           ).from_("inventory").group_by("product_id")
        sql = (exp.select("p.product_id", "p.sku", "p.name", "p.category", "s.stock", "s.reorder_level")
               .with_("s", as_=stock).from_("s").join("products AS p", on="p.product_id = s.product_id")
               .where("s.stock <= s.reorder_level").order_by("s.stock", "p.name").limit(int(limit)).sql("duckdb"))
        guarded, result = self.run_sql(sql)
        items = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
        return {"low_stock": items, "count": len(items), "out_of_stock": sum(1 for i in items if i["stock"] == 0),
                "sql": guarded.sql}

    # ----- conversations
    # ``user_id`` is the authenticated caller (the HTTP apps pass their principal); None means a
    # trusted in-process caller (CLI, console) that sees every conversation.
    def list_conversations(self, user_id: str) -> list[dict[str, Any]]:
        if not user_id or not user_id.strip():
            raise ValidationFailed("user_id is required", field="user_id", hint="pass ?user_id=<id>")
        return self.store.list_for_user(user_id)

    def get_conversation(self, conversation_id: str, user_id: str | None = None) -> dict[str, Any]:
        conversation = self.store.get(conversation_id)
        if user_id is not None and conversation["user_id"] != user_id:
            # someone else's conversation reads as a missing one: its existence is not disclosed
            raise NotFound(f"conversation {conversation_id!r} does not exist (or has expired)",
                           field="conversation_id", hint="list your conversations with GET /copilot/conversations")
        return conversation

    def approve(self, conversation_id: str, turn: int, approved: bool = True, *, user_id: str | None = None,
                reviewer: bool = True) -> dict[str, Any]:
        """Thumbs up: the turn's question/SQL becomes an example in every user's LLM prompts, so
        only a reviewer may approve (or withdraw) one, and only on their own conversation."""
        from ..errors import Forbidden  # local: ask()/_answer() and their imports change separately

        if not reviewer:
            raise Forbidden("approving an answer as a shared example needs the reviewer role", field="approved",
                            hint="ask a reviewer (COMMERCE_REVIEWERS, or the reviewer group on AWS) to approve it")
        if user_id is not None:
            self.get_conversation(conversation_id, user_id)
        return self.store.approve(conversation_id, turn, approved)


def _guess_type(tables: tuple[str, ...]) -> QueryType:
    if "inventory" in tables:
        return "inventory"
    if "shipments" in tables:
        return "order_status"
    if "order_items" in tables or "products" in tables:
        return "sales_report"
    if tables == ("customers",):
        return "customers"
    return "orders"
