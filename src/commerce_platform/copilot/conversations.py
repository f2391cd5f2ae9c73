"""Conversation history and approved question/SQL pairs, through the key-value port.

Items (one per turn, the seed's shape plus the answer table): ``conversation_id`` (hash
key), ``turn_id`` = ``TURN#0001`` (sort key), ``user_id`` (the ``user_id-index``), ``timestamp``,
``question``, ``sql_query``, ``response``, ``query_type``, ``status`` ok|failed, ``ttl``.
Approved pairs live in the ``copilot_examples`` table and feed the LLM prompt.
"""

from __future__ import annotations

import hashlib
import uuid
import weakref
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ..errors import NotFound
from ..ports.kv import KeyValueTable, TableSpec
from .models import Turn

CONVERSATIONS = TableSpec(name="conversations", hash_key="conversation_id", sort_key="turn_id", index_key="user_id")
EXAMPLES = TableSpec(name="copilot_examples", hash_key="example_id")
STORED_ROWS = 50


def turn_key(n: int) -> str:
    return f"TURN#{n:04d}"


class ConversationStore:
    def __init__(self, table: KeyValueTable, examples: KeyValueTable, ttl_days: int = 30) -> None:
        self.table = table
        self.examples = examples
        self.ttl_seconds = int(ttl_days) * 86400

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def turns(self, conversation_id: str) -> list[Turn]:
        return [Turn.model_validate(i) for i in self.table.query(conversation_id, sort_prefix="TURN#")]

    def add_turn(self, conversation_id: str, user_id: str, question: str, *, status: str = "ok",
                 answer: Any = None, frame: dict | None = None, error: dict | None = None, number: int | None = None,
                 as_of: str | None = None) -> Turn:
        if number is None:
            existing = self.turns(conversation_id)
            number = (existing[-1].turn + 1) if existing else 1
        item: dict[str, Any] = {
            "conversation_id": conversation_id, "turn_id": turn_key(number), "turn": number, "user_id": user_id,
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "question": question, "status": status,
            "frame": frame, "error": error, "approved": False, "as_of": as_of,
        }
        if answer is not None:
            item.update({"sql_query": answer.sql, "response": answer.answer, "query_type": answer.query_type,
                         "provider": answer.provider, "columns": answer.columns, "rows": answer.rows[:STORED_ROWS],
                         "interpretation": answer.interpretation})
        self.table.put(item, ttl_seconds=self.ttl_seconds)
        return Turn.model_validate(self.table.get(conversation_id, turn_key(number)))

    def history(self, conversation_id: str, limit: int = 5) -> list[Turn]:
        return [t for t in self.turns(conversation_id) if t.status == "ok"][-limit:]

    def get(self, conversation_id: str) -> dict[str, Any]:
        turns = self.turns(conversation_id)
        if not turns:
            raise NotFound(f"conversation {conversation_id!r} does not exist (or has expired)",
                           field="conversation_id", hint="list conversations with GET /copilot/conversations?user_id=")
        return {"conversation_id": conversation_id, "user_id": turns[0].user_id,
                "turns": [t.model_dump() for t in turns]}

    def list_for_user(self, user_id: str) -> list[dict[str, Any]]:
        by_conv: dict[str, list[dict[str, Any]]] = {}
        for item in self.table.query_index(user_id):
            by_conv.setdefault(item["conversation_id"], []).append(item)
        out = []
        for cid, items in by_conv.items():
            items.sort(key=lambda i: i["turn_id"])
            out.append({"conversation_id": cid, "user_id": user_id, "title": items[0]["question"][:80],
                        "turns": len(items), "started_at": items[0]["timestamp"],
                        "updated_at": items[-1]["timestamp"]})
        out.sort(key=lambda c: c["updated_at"], reverse=True)
        return out

    def approve(self, conversation_id: str, turn: int, approved: bool = True) -> dict[str, Any]:
        item = self.table.get(conversation_id, turn_key(turn))
        if item is None:
            raise NotFound(f"turn {turn} of conversation {conversation_id!r} does not exist", field="turn")
        if item.get("status") != "ok" or not item.get("sql_query"):
            raise NotFound(f"turn {turn} of conversation {conversation_id!r} has no answer to approve", field="turn")
        item["approved"] = approved
        ttl = item.pop("ttl", None)
        self.table.put(item, ttl_seconds=None if ttl is None else max(1, int(ttl) - int(datetime.now(UTC).timestamp())))
        example_id = hashlib.sha256(item["question"].strip().lower().encode()).hexdigest()[:24]
        if approved:
            self.examples.put({"example_id": example_id, "question": item["question"], "sql": item["sql_query"],
                               "query_type": item.get("query_type"), "source": f"{conversation_id}#{turn}",
                               "approved_at": datetime.now(UTC).isoformat(timespec="seconds")})
        else:
            self.examples.delete(example_id)
        return {"conversation_id": conversation_id, "turn": turn, "approved": approved, "example_id": example_id}

    def examples_list(self) -> list[dict[str, Any]]:
        return list(self.examples.scan())


@lru_cache(maxsize=1)
def _shipped() -> tuple[dict[str, Any], ...]:
    from .evaluation import load_eval_set

    return tuple({"question": i["question"], "sql": i["gold_sql"], "source": "shipped"}
                 for i in load_eval_set()["items"] if i.get("gold_sql") and not i.get("context"))


def shipped_examples() -> list[dict[str, Any]]:
    """The question/SQL pairs shipped with the package (the dev set): examples for LLM prompts."""
    return list(_shipped())


# Example questions are embedded once per embedder (the shipped ones are the same every call).
_EXAMPLE_VECTORS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def similar_examples(question: str, examples: list[dict[str, Any]], embedder, k: int = 5) -> list[dict[str, Any]]:
    """The ``k`` example pairs most similar to ``question`` (cosine on text embeddings)."""
    if not examples:
        return []
    import numpy as np

    try:
        cache = _EXAMPLE_VECTORS.setdefault(embedder, {})
    except TypeError:  # an embedder that cannot be weakly referenced: no cache
        cache = {}
    missing = [e["question"] for e in examples if e["question"] not in cache]
    if missing:
        cache.update(zip(missing, embedder.embed(missing), strict=True))
    query = embedder.embed([question])[0]
    scores = np.array([cache[e["question"]] for e in examples]) @ query
    order = np.argsort(-scores)[:k]
    return [{**examples[i], "score": round(float(scores[i]), 4)} for i in order if scores[i] > 0.1]
