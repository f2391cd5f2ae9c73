"""Execution accuracy of a SQL generator on the shipped evaluation set.

A question counts as correct when the predicted SQL's result matches the gold SQL's:
same number of rows, and every gold column's values (as a multiset, numbers within 0.5%)
equal the values of some predicted column. Extra predicted columns are allowed (the
copilot shows names next to ids); ordering is ignored. Items whose gold is an error
(``expect``: not_understood / not_found) are correct when the copilot raises that error.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import CommerceError, NotFound, NotUnderstood

REL_TOL = 0.005


def load_eval_set(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped dev set, or a set at ``path`` (the blind held-out set lives in benchmarks/data)."""
    if path is not None:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    text = resources.files("commerce_platform.copilot").joinpath("eval_set.json").read_text(encoding="utf-8")
    return json.loads(text)


def with_typo(question: str, seed: int = 0) -> str | None:
    """The question with two adjacent letters swapped in one word of 5+ letters (chosen by a
    stable hash of the question and ``seed``), or None when it has no such word."""
    words = question.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and len(set(w.lower())) > 2]
    if not candidates:
        return None
    key = question if seed == 0 else f"{seed}:{question}"  # seed 0 keeps the figures published before seeds
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    i = candidates[digest % len(candidates)]
    w = words[i]
    for k in range(1 + digest % (len(w) - 2), len(w) - 1):  # never the first letter (people rarely slip there)
        if w[k] != w[k + 1]:
            words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
            return " ".join(words)
    return None


def typo_items(items: list[dict[str, Any]], seed: int = 0) -> list[dict[str, Any]]:
    out = []
    for item in items:
        if not item.get("gold_sql"):
            continue
        typo = with_typo(item["question"], seed)
        if typo:
            out.append({**item, "id": item["id"] + "-typo", "question": typo, "split": "typo"})
    return out


def _norm(v: Any) -> Any:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return float(v)
    if v is None:
        return None
    return str(v)[:10] if _looks_date(v) else str(v)


def _looks_date(v: Any) -> bool:
    s = str(v)
    return len(s) >= 10 and s[4] == "-" and s[7] == "-" and s[:4].isdigit()


def _sort_key(v: Any) -> tuple:
    if v is None:
        return (0, 0.0, "")
    if isinstance(v, float):
        return (1, v, "")
    return (2, 0.0, v)


def _column_equal(a: list[Any], b: list[Any]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(sorted(a, key=_sort_key), sorted(b, key=_sort_key), strict=True):
        if isinstance(x, float) and isinstance(y, float):
            if not math.isclose(x, y, rel_tol=REL_TOL, abs_tol=1e-6):
                return False
        elif x != y:
            return False
    return True


def results_match(gold_rows: list[list[Any]], pred_rows: list[list[Any]]) -> bool:
    if len(gold_rows) != len(pred_rows):
        return False
    if not gold_rows:
        return True
    gold_cols = list(zip(*[[_norm(v) for v in r] for r in gold_rows], strict=True))
    pred_cols = list(zip(*[[_norm(v) for v in r] for r in pred_rows], strict=True))
    # rows labelled "Q3" / "Q4 2025" are quarters, named elsewhere in the row by their first days
    quarters = any(all(isinstance(v, str) and QUARTER_LABEL.match(v) for v in p) for p in pred_cols)
    return all(any(_column_equal(list(g), labelled) for p in pred_cols
                   for labelled in _as_labelled(list(p), list(g), quarters)) for g in gold_cols)


MONTH_LABEL = re.compile(r"\d{4}-\d{2}")
QUARTER_LABEL = re.compile(r"Q[1-4]\b")


def _as_labelled(pred: list[Any], gold: list[Any], quarters: bool = False) -> list[list[Any]]:
    """The column as written, and the same periods written as the gold writes them: a month as its first day or
    as "2026-03" (or, when all fall in one year, as its number 3), a quarter of one year (rows the answer labels
    as quarters) as its number (quarter(date)), a year, or the same quarter or month of several years, as its
    year (writers differ; the period is the same)."""
    def all_(values: list[Any], test: Callable[[Any], bool]) -> bool:
        return all(v is not None and test(v) for v in values)
    labellings = [pred]
    first_days = all_(pred, lambda v: isinstance(v, str) and _looks_date(v) and v.endswith("-01"))
    if first_days and all_(gold, lambda v: isinstance(v, str) and MONTH_LABEL.fullmatch(v) is not None):
        labellings.append([v[:7] for v in pred])
    years = all_(pred, lambda v: isinstance(v, float) and v.is_integer() and 1900 < v < 2100)
    if years and all_(gold, lambda v: isinstance(v, str) and _looks_date(v) and v.endswith("-01-01")):
        labellings.append([f"{int(v)}-01-01" for v in pred])
    if not first_days or not all_(gold, lambda v: isinstance(v, float) and v.is_integer()):
        return labellings
    if len({v[4:] for v in pred}) == 1 and len({v[:4] for v in pred}) == len(pred):
        labellings.append([float(v[:4]) for v in pred])  # one period of each year ("Q4 2024 vs Q4 2025"), by year
    if len({v[:4] for v in pred}) == 1:
        labellings.append([float(v[5:7]) for v in pred])  # the months of one year, as their numbers (month(date))
        if quarters and all(v[5:7] in ("01", "04", "07", "10") for v in pred):
            labellings.append([float((int(v[5:7]) - 1) // 3 + 1) for v in pred])  # its quarters (quarter(date))
    return labellings


@dataclass
class ItemResult:
    id: str
    category: str
    question: str
    split: str
    correct: bool
    sql: str | None
    error: str | None = None

    @property
    def outcome(self) -> str:
        """correct | refused (said it did not understand, or failed) | silent_wrong (answered wrongly)."""
        if self.correct:
            return "correct"
        # an error the user sees (the guard refusing the SQL, a failed query) is a refusal, never silent
        if self.error and self.error.startswith(("not understood", "not found", "NotUnderstood", "ValidationFailed",
                                                 "GuardRefused", "Refused", "QueryFailed", "error")):
            return "refused"
        return "silent_wrong"


def evaluate(generate, engine, items: list[dict[str, Any]], as_of: date) -> list[ItemResult]:
    """``generate(question, as_of, context_questions) -> sql`` (raises CommerceError when it cannot)."""
    out: list[ItemResult] = []
    for item in items:
        expect = item.get("expect")
        sql = None
        try:
            sql = generate(item["question"], as_of, item.get("context") or [])
            if expect:
                pred = engine.execute(sql)
                ok = False
                err: str | None = f"expected {expect}, got SQL with {len(pred.rows)} rows"
                if expect == "not_found" and not pred.rows:
                    ok, err = True, None
                out.append(ItemResult(item["id"], item["category"], item["question"], item.get("split", "dev"), ok, sql, err))
                continue
            try:
                pred = engine.execute(sql)
            except CommerceError as exc:
                out.append(ItemResult(item["id"], item["category"], item["question"], item.get("split", "dev"),
                                      False, sql, f"error: {exc.message}"))
                continue
            gold = engine.execute(item["gold_sql"])
            ok = results_match(gold.rows, pred.rows)
            err = None if ok else f"result differs: gold {len(gold.rows)} rows, got {len(pred.rows)}"
            out.append(ItemResult(item["id"], item["category"], item["question"], item.get("split", "dev"), ok, sql, err))
        except NotUnderstood as exc:
            out.append(ItemResult(item["id"], item["category"], item["question"], item.get("split", "dev"), expect == "not_understood", sql,
                                  None if expect == "not_understood" else f"not understood: {exc.message}"))
        except NotFound as exc:
            out.append(ItemResult(item["id"], item["category"], item["question"], item.get("split", "dev"), expect == "not_found", sql,
                                  None if expect == "not_found" else f"not found: {exc.message}"))
        except CommerceError as exc:
            out.append(ItemResult(item["id"], item["category"], item["question"], item.get("split", "dev"), False, sql,
                                  f"{type(exc).__name__}: {exc.message}"))
        except Exception as exc:  # noqa: BLE001 - a crash is counted (as a failure), never hidden
            out.append(ItemResult(item["id"], item["category"], item["question"], item.get("split", "dev"), False, sql,
                                  f"error: crash {type(exc).__name__}: {exc}"))
    return out


def offline_generator(engine):
    """The offline parser as a ``generate`` function (context questions replayed for follow-ups)."""
    from .guard import check_sql
    from .parser import parser_for

    parser = parser_for(engine)

    def generate(question: str, as_of: date, context: list[str]) -> str:
        form = None
        for previous in context:
            form = parser.parse(previous, as_of, form).form
        return check_sql(parser.parse(question, as_of, form).sql).sql

    return generate


def _group(results: list[ItemResult], attr: str) -> dict[str, list[ItemResult]]:
    out: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        out[getattr(r, attr)].append(r)
    return out


def report(results: list[ItemResult]) -> dict[str, Any]:
    by_cat: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        by_cat[r.category].append(r)
    total = len(results)
    correct = sum(r.correct for r in results)

    def counts(rs: list[ItemResult]) -> dict[str, Any]:
        n = len(rs)
        c: dict[str, Any] = {"total": n, "correct": sum(r.correct for r in rs),
             "silent_wrong": sum(r.outcome == "silent_wrong" for r in rs),
             "refused": sum(r.outcome == "refused" for r in rs)}
        c["accuracy"] = round(c["correct"] / n, 4) if n else 0.0
        c["silent_wrong_rate"] = round(c["silent_wrong"] / n, 4) if n else 0.0
        return c

    return {
        "silent_wrong": sum(r.outcome == "silent_wrong" for r in results),
        "refused": sum(r.outcome == "refused" for r in results),
        "by_category": {c: counts(rs) for c, rs in sorted(by_cat.items())},
        "total": total, "correct": correct, "accuracy": round(correct / total, 4) if total else 0.0,
        "categories": {c: {"total": len(rs), "correct": sum(r.correct for r in rs),
                           "accuracy": round(sum(r.correct for r in rs) / len(rs), 4)} for c, rs in sorted(by_cat.items())},
        "splits": {sp: {"total": len(rs), "correct": sum(r.correct for r in rs),
                        "accuracy": round(sum(r.correct for r in rs) / len(rs), 4)}
                   for sp, rs in sorted(_group(results, "split").items())},
        "misses": [{"id": r.id, "split": r.split, "category": r.category, "question": r.question, "sql": r.sql,
                    "error": r.error, "outcome": r.outcome}
                   for r in results if not r.correct],
    }
