"""Question -> query with an LLM (Bedrock Claude / Gemini through the LLM port).

The model answers with a query form (JSON naming only the semantic layer's measures,
dimensions, attributes and conditions); the same planner as the offline path compiles it,
so glossary filters and joins are applied by construction. Raw SQL is accepted only as a
fallback, and only when it keeps the glossary (revenue without cancelled/returned orders,
...). The prompt carries the whole schema and glossary, the form's schema, and the shipped
question/SQL pairs most like the question (plus approved ones). Guard refusals, execution
errors, glossary violations, invalid forms, an empty result and a row count the question
contradicts go back to the model (at most ``max_attempts`` tries); then the caller falls
back to the offline parser or fails clearly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlglot
from sqlglot import exp

from ..errors import CommerceError, UpstreamError, ValidationFailed
from ..logs import get_logger
from ..ports.llm import parse_json_answer
from .planner import Planner, fragment
from .query import OPS, Filter, Period, QueryForm
from .semantic import SemanticLayer, Vocabulary

log = get_logger("copilot.llm")

SYSTEM = (
    "You translate questions about a retail data lake into a query form (JSON) that a planner compiles to SQL. "
    "Use only the names listed under QUERY FORM. Obey the glossary exactly. Resolve relative dates against the "
    "given as-of date. Answer with JSON only: {\"form\": {...}, \"explanation\": \"<one sentence>\"}. Only when "
    "the form cannot express the question, answer {\"sql\": \"<one read-only DuckDB SELECT>\", \"explanation\": "
    "\"...\"} (the same glossary applies). If the lake cannot answer, {\"form\": null, \"sql\": null, "
    "\"explanation\": \"<why>\"}."
)
TOP_N = re.compile(r"\btop\s+(\d+)\b|\b(\d+)\s+(?:best|biggest|largest|most)\b", re.IGNORECASE)


@dataclass
class Attempt:
    sql: str | None
    error: str | None = None
    form: dict[str, Any] | None = None


@dataclass
class Generation:
    sql: str | None
    result: Any = None
    explanation: str = ""
    attempts: list[Attempt] = field(default_factory=list)
    form: QueryForm | None = None


def form_schema(layer: SemanticLayer) -> str:
    """The query form's JSON schema in words, every allowed name listed from the layer."""
    attributes = [f"{t}.{c}" for t, spec in layer.tables.items() for c in spec["columns"]]
    return "\n".join([
        'QUERY FORM (JSON object; omit what you do not need):',
        '  kind: "aggregate" | "list" | "bought_together" | "recommend_customer"',
        f'  subject: one of {sorted(layer.entities)} (what is listed or counted)',
        f'  measures: list of {sorted(layer.measures)} or "count" (of the subject) or "count:<subject>"'
        ' or "sum:<attribute>" / "avg:" / "min:" / "max:" / "median:" (a plain aggregate, no glossary filter)',
        f'  dimensions: list of {sorted(layer.dimensions)}; grain: one of {sorted(layer.grains)}',
        f'  filters: list of {{"field": <dimension | attribute | measure>, "op": one of {list(OPS)}, "values": [...]}}',
        f'  attributes: {attributes}',
        f'  predicates: list of {sorted(layer.predicates)} (prefix "not_" to negate)',
        '  period: {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "label": "..."} (inclusive);'
        ' period_field: the attribute the period filters (default: the measure\'s date)',
        '  compare: {"dimension": <dimension>, "values": [...]} (side by side)',
        '  derived: {"kind": "share", "condition": {"predicate": ...} | {"filter": {...}}} | {"kind": "growth"};'
        ' compare_period: a period (growth is vs this period)',
        '  order_by: a measure or attribute; direction: "desc" | "asc"; limit: integer',
        '  unit: "hours" | "days" | "minutes" (delivery_time)',
        '  show: list of attributes or measures to show next to a list',
    ])


def form_from_json(data: Any, layer: SemanticLayer, vocab: Vocabulary | None = None) -> QueryForm:
    """A model's form checked name by name against the layer (ValidationFailed names the culprit)."""
    if not isinstance(data, dict):
        raise ValidationFailed("form must be a JSON object", field="form")
    attributes = {f"{t}.{c}" for t, spec in layer.tables.items() for c in spec["columns"]}
    counts = {"count", *(f"count:{e}" for e in layer.entities)}
    aggregates = {f"{fn}:{a}" for fn in ("sum", "avg", "min", "max", "median") for a in attributes}
    measures = set(layer.measures) | counts | aggregates

    def check(value: Any, allowed: set[str] | list[str], what: str) -> Any:
        if value not in allowed:
            raise ValidationFailed(f"{what} {value!r} is not in the semantic layer", field=what,
                                   hint=f"use one of {sorted(allowed)[:40]}")
        return value

    known = set(QueryForm.__dataclass_fields__) - {"notes", "lookup", "within"}
    unknown = set(data) - known
    if unknown:
        raise ValidationFailed(f"unknown form keys {sorted(unknown)}", field="form", hint=f"use {sorted(known)}")
    form = QueryForm(kind=check(data.get("kind", "aggregate"), ["aggregate", "list", "bought_together",
                                                                 "recommend_customer"], "kind"))
    if data.get("subject") is not None:
        form.subject = check(data["subject"], set(layer.entities), "subject")
    form.measures = [check(m, measures, "measure") for m in data.get("measures") or []]
    form.dimensions = [check(d, set(layer.dimensions), "dimension") for d in data.get("dimensions") or []]
    if data.get("grain"):
        form.grain = check(data["grain"], set(layer.grains), "grain")
    for f in data.get("filters") or []:
        if not isinstance(f, dict) or not isinstance(f.get("values", []), list):
            raise ValidationFailed("a filter is {field, op, values: [...]}", field="filters")
        check(f.get("field"), set(layer.dimensions) | attributes | measures, "filter field")
        check(f.get("op"), set(OPS), "filter op")
        form.filters.append(Filter(f["field"], f["op"], list(f.get("values", []))))
        known = _known_values(f["field"], layer, vocab)
        unknown_values = [v for v in f.get("values", []) if known and f["op"] in ("=", "in", "not in")
                          and str(v) not in known]
        if unknown_values:
            raise ValidationFailed(f"{unknown_values[0]!r} is not a {f['field']} of the lake", field="filters",
                                   hint=f"known: {', '.join(sorted(known)[:30])}")
    predicates = set(layer.predicates) | {f"not_{p}" for p in layer.predicates}
    form.predicates = [check(p, predicates, "predicate") for p in data.get("predicates") or []]
    for key in ("period", "compare_period"):
        if data.get(key):
            p = data[key]
            try:
                period = Period(str(p["start"]), str(p["end"]), str(p.get("label") or f"{p['start']} to {p['end']}"))
                period.start_date, period.end_date  # noqa: B018 - validates the dates
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationFailed(f"{key} needs ISO dates start and end", field=key) from exc
            setattr(form, key, period)
    if data.get("period_field"):
        form.period_field = check(data["period_field"], attributes, "period_field")
    if data.get("compare"):
        c = data["compare"]
        form.compare = {"dimension": check(c.get("dimension"), set(layer.dimensions), "compare dimension"),
                        "values": list(c.get("values") or [])}
    if data.get("derived"):
        form.derived = dict(data["derived"])
        check(form.derived.get("kind"), ["share", "growth"], "derived kind")
    if data.get("order_by"):
        form.order_by = check(data["order_by"], measures | attributes, "order_by")
    form.direction = check(data.get("direction", "desc"), ["asc", "desc"], "direction")
    if data.get("limit") is not None:
        if not isinstance(data["limit"], int) or not 1 <= data["limit"] <= 1000:
            raise ValidationFailed("limit must be an integer from 1 to 1000", field="limit")
        form.limit = data["limit"]
    if data.get("unit"):
        form.unit = check(data["unit"], set(layer.measures["delivery_time"]["units"]), "unit")
    form.show = [check(s, attributes | measures, "show") for s in data.get("show") or []]
    return form


def _known_values(name: str, layer: SemanticLayer, vocab: Vocabulary | None) -> set[str]:
    """The lake's values of a categorical dimension (empty: anything goes, e.g. names)."""
    if vocab is None or name not in layer.dimensions:
        return set()
    return set(vocab.values.get(layer.dimensions[name]["column"].split(".")[1], []))


def glossary_violations(sql: str, layer: SemanticLayer) -> list[str]:
    """Raw SQL that aggregates a glossary measure's columns must keep that measure's filter
    (rules read from the layer: each measure's columns and its status exclusions)."""
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError:
        return []  # the guard reports unparsable SQL
    aggregated = {c.name for agg in tree.find_all(exp.Sum, exp.Avg) for c in agg.find_all(exp.Column)}
    problems = []
    for name, measure in layer.measures.items():
        flt = measure.get("filter")
        if not flt or "status" not in flt:
            continue
        columns = {c.name for key in ("sql", "line_sql") if measure.get(key)
                   for c in fragment(measure[key]).find_all(exp.Column)}
        if not aggregated & columns - {"quantity"} and not (name == "units_sold" and "quantity" in aggregated):
            continue
        excluded = {v.name for v in fragment(flt).find_all(exp.Literal)}
        if not _excludes(tree, excluded):
            problems.append(f"{name} must count only {measure['definition']} ({flt})")
    return sorted(set(problems))


def _excludes(tree: exp.Expr, excluded: set[str]) -> bool:
    """True when some status condition keeps every excluded status out."""
    not_equal: set[str] = set()
    for cond in tree.find_all(exp.In, exp.EQ, exp.NEQ):
        if not _is_status(cond):
            continue
        values = {v.name for v in cond.find_all(exp.Literal)}
        parent = cond.parent.parent if isinstance(cond.parent, exp.Paren) else cond.parent
        negated = isinstance(parent, exp.Not)
        if isinstance(cond, exp.NEQ):
            not_equal |= values
        elif negated and excluded <= values or not negated and values and not values & excluded:
            return True
    return excluded <= not_equal


def _is_status(node: exp.Expr) -> bool:
    return isinstance(node.this, exp.Column) and node.this.name == "status"


class LLMGenerator:
    def __init__(self, llm, layer: SemanticLayer, vocabulary: Vocabulary | None = None, max_attempts: int = 3) -> None:
        self.llm = llm
        self.layer = layer
        self.vocab = vocabulary
        self.max_attempts = max_attempts
        self.planner = Planner(layer)

    @property
    def name(self) -> str:
        return getattr(self.llm, "name", "llm")

    def build_prompt(self, question: str, as_of: date, history: list[dict[str, Any]] | None = None,
                     examples: list[dict[str, Any]] | None = None, attempts: list[Attempt] | None = None) -> str:
        parts = [f"As-of date: {as_of.isoformat()}", "", "Schema:",
                 self.layer.describe(None, self.vocab.values if self.vocab else None), "", form_schema(self.layer)]
        approved = [e for e in examples or [] if e.get("source") != "shipped"]
        shipped = [e for e in examples or [] if e.get("source") == "shipped"]
        for title, group in (("Approved examples", approved), ("Examples shipped with the schema", shipped)):
            if group:
                parts += ["", f"{title} (question -> SQL over this lake):"]
                parts += [f"Q: {e['question']}\nSQL: {e['sql']}" for e in group]
        if history:
            parts += ["", "Conversation so far (the new question may be a follow-up; carry its form over):"]
            parts += [f"Q: {h['question']}\nForm: {json.dumps(h.get('frame'))}\nSQL: {h.get('sql_query') or ''}"
                      for h in history]
        if attempts:
            parts += ["", "Your previous attempts were not accepted; fix them:"]
            parts += [f"Form: {json.dumps(a.form)}\nSQL: {a.sql}\nProblem: {a.error}" for a in attempts]
        parts += ["", f"Question: {question}"]
        return "\n".join(parts)

    def generate(self, question: str, as_of: date, run, history: list[dict[str, Any]] | None = None,
                 examples: list[dict[str, Any]] | None = None) -> Generation:
        """``run(sql) -> (guarded, result)`` guards and executes; its CommerceError goes back to the model."""
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
            if not isinstance(data, dict) or not ({"form", "sql"} & set(data)):
                attempts.append(Attempt(None, 'answer must be a JSON object with the key "form" (or "sql")'))
                continue
            explanation = str(data.get("explanation") or "")
            raw_form, sql = data.get("form"), data.get("sql")
            if not raw_form and not sql:
                attempts.append(Attempt(None, explanation or "model declined"))
                return Generation(None, None, explanation, attempts)
            form = None
            try:
                if raw_form:
                    form = form_from_json(raw_form, self.layer, self.vocab)
                    form.as_of = as_of.isoformat()  # an age ("days waiting") counts up to the asked day
                    sql = self.planner.plan(form).sql(dialect="duckdb")
                else:
                    problems = glossary_violations(str(sql), self.layer)
                    if problems:
                        raise ValidationFailed("the SQL breaks the glossary: " + "; ".join(problems), field="sql")
                guarded, result = run(str(sql))
            except CommerceError as exc:
                attempts.append(Attempt(str(sql) if sql else None, exc.message, raw_form))
                log.info("llm answer rejected, retrying", attempt=n, error=exc.message)
                continue
            problem = self._contradiction(question, result, attempts, str(sql))
            if problem and n < self.max_attempts:
                attempts.append(Attempt(str(sql), problem, raw_form))
                continue
            attempts.append(Attempt(str(sql), None, raw_form))
            return Generation(str(sql), (guarded, result), explanation, attempts, form)
        return Generation(None, None, explanation, attempts)

    @staticmethod
    def _contradiction(question: str, result, attempts: list[Attempt], sql: str) -> str | None:
        """An empty result or a row count the question rules out; asked once per SQL (the same
        SQL again means the model stands by it)."""
        if any(a.sql == sql and a.error for a in attempts):
            return None
        if not result.rows:
            return "the query returned no rows: check the filters and values against the schema"
        m = TOP_N.search(question)
        if m and len(result.rows) > int(m.group(1) or m.group(2)):
            return f"the question asks for {m.group(1) or m.group(2)} rows, the query returned {len(result.rows)}"
        return None

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
