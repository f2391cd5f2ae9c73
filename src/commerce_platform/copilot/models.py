"""Request and answer models of the copilot (HTTP bodies, CLI JSON, stored turns)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from .parser import MAX_QUESTION_CHARS

QueryType = Literal["inventory", "orders", "customers", "sales_report", "order_status", "recommendation"]


class ChatRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    conversation_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    user_id: str = Field(default="anonymous", min_length=1, max_length=128)
    as_of: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the question is empty")
        return v.strip()


class ApproveRequest(BaseModel):
    turn: int = Field(ge=1)
    approved: bool = True


class Answer(BaseModel):
    question: str
    sql: str
    columns: list[str]
    rows: list[list[Any]]
    answer: str
    provider: str
    query_type: QueryType
    conversation_id: str | None = None
    turn: int | None = None
    interpretation: str = ""
    row_count: int = 0
    truncated: bool = False
    as_of: str | None = None
    seconds: dict[str, float] = Field(default_factory=dict)
    attempts: int = 1


class Turn(BaseModel):
    conversation_id: str
    turn_id: str
    turn: int
    user_id: str
    timestamp: str
    question: str
    status: Literal["ok", "failed"]
    sql_query: str | None = None
    response: str | None = None
    query_type: str | None = None
    provider: str | None = None
    columns: list[str] = Field(default_factory=list)
    rows: list[list[Any]] = Field(default_factory=list)
    error: dict[str, Any] | None = None
    frame: dict[str, Any] | None = None
    interpretation: str | None = None
    approved: bool = False
    as_of: str | None = None
    ttl: int | None = None
