"""SQL generation with an LLM (Bedrock Claude / Gemini through the LLM port).

The prompt holds the semantic layer pruned to the tables the question touches, the
glossary, the low-cardinality values, recent conversation turns and the most similar
approved question/SQL pairs. The model answers JSON ``{"sql": ..., "explanation": ...}``.
Guard refusals and execution errors go back to the model (self-correction), at most
``max_attempts`` tries; then the caller falls back to the offline parser or fails clearly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import CommerceError, UpstreamError, ValidationFailed
from ..logs import get_logger
from ..ports.llm import parse_json_answer
from .semantic import SemanticLayer, Vocabulary

log = get_logger("copilot.llm")

SYSTEM = (
    "You translate questions about a retail data lake into ONE read-only DuckDB SQL SELECT statement. "
    "Use only the tables and columns listed. Obey the glossary exactly (revenue excludes cancelled and returned "
    "orders). Resolve relative dates against the given as-of date and write dates as DATE 'YYYY-MM-DD'. "
    "Never modify data, never read files, never use table functions. Answer with JSON only: "
    '{"sql": "<one SELECT>", "explanation": "<one sentence>"}. If the question cannot be answered from these '
    'tables, answer {"sql": null, "explanation": "<why>"}.'
)


@dataclass
class Attempt:
    sql: str | None
    error: str | None = None


@dataclass
class Generation:
    sql: str | None
    result: Any = None
    explanation: str = ""
    attempts: list[Attempt] = field(default_factory=list)


class LLMGenerator:
    def __init__(self, llm, layer: SemanticLayer, vocabulary: Vocabulary | None = None, max_attempts: int = 3) -> None:
        self.llm = llm
        self.layer = layer
        self.vocab = vocabulary
        self.max_attempts = max_attempts

    @property
    def name(self) -> str:
        return getattr(self.llm, "name", "llm")

    def build_prompt(self, question: str, as_of: date, history: list[dict[str, Any]] | None = None,
                     examples: list[dict[str, Any]] | None = None, attempts: list[Attempt] | None = None) -> str:
        tables = self.layer.relevant_tables(question + " " + " ".join(h.get("question", "") for h in history or []))
        parts = [f"As-of date: {as_of.isoformat()}", "", "Schema:",
                 self.layer.describe(tables, self.vocab.values if self.vocab else None)]
        if examples:
            parts += ["", "Approved examples (question -> SQL):"]
            parts += [f"Q: {e['question']}\nSQL: {e['sql']}" for e in examples]
        if history:
            parts += ["", "Conversation so far (the new question may be a follow-up):"]
            parts += [f"Q: {h['question']}\nSQL: {h.get('sql_query') or ''}" for h in history]
        if attempts:
            parts += ["", "Your previous attempts failed; fix the SQL:"]
            parts += [f"SQL: {a.sql}\nError: {a.error}" for a in attempts]
        parts += ["", f"Question: {question}"]
        return "\n".join(parts)

    def generate(self, question: str, as_of: date, run, history: list[dict[str, Any]] | None = None,
                 examples: list[dict[str, Any]] | None = None) -> Generation:
        """``run(sql) -> result`` guards and executes; CommerceError from it is fed back to the model."""
        attempts: list[Attempt] = []
        explanation = ""
        for n in range(1, self.max_attempts + 1):
            prompt = self.build_prompt(question, as_of, history, examples, attempts)
            try:
                data = parse_json_answer(self.llm.complete(prompt, SYSTEM))
            except ValidationFailed as exc:
                attempts.append(Attempt(None, f"your answer was not the JSON object asked for: {exc.message}"))
                continue
            except UpstreamError as exc:
                log.warning("llm call failed", error=str(exc), attempt=n)
                attempts.append(Attempt(None, str(exc)))
                break
            if not isinstance(data, dict) or "sql" not in data:
                attempts.append(Attempt(None, 'answer must be a JSON object with the key "sql"'))
                continue
            explanation = str(data.get("explanation") or "")
            sql = data.get("sql")
            if not sql:
                attempts.append(Attempt(None, explanation or "model declined"))
                return Generation(None, None, explanation, attempts)
            try:
                result = run(str(sql))
            except CommerceError as exc:
                attempts.append(Attempt(str(sql), exc.message))
                log.info("llm sql rejected, retrying", attempt=n, error=exc.message)
                continue
            attempts.append(Attempt(str(sql)))
            return Generation(str(sql), result, explanation, attempts)
        return Generation(None, None, explanation, attempts)

    def summarize(self, question: str, columns: list[str], rows: list[list[Any]]) -> str | None:
        prompt = (f"Question: {question}\nColumns: {columns}\nFirst rows: {json.dumps(rows[:20], default=str)}\n"
                  f"Row count: {len(rows)}\nAnswer the question in one or two sentences using only these numbers. "
                  'Reply as JSON {"answer": "..."}')
        try:
            data = parse_json_answer(self.llm.complete(prompt, "You summarize query results for store managers."))
        except CommerceError:
            return None
        text = data.get("answer") if isinstance(data, dict) else None
        return str(text) if text else None
