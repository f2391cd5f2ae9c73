"""Support desk HTTP app (FastAPI; also a Lambda handler through api/support_lambda.py).

GET /health; POST /tickets; GET /tickets/{id}/context; POST /tickets/{id}/feedback; POST /kb/sync.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..config import Settings
from .common import create_base_app, health_response

MAX_BODY_CHARS = 20_000


class TicketIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    customer_id: str = Field(min_length=1, max_length=64)
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    channel: Literal["email", "chat", "phone", "web", "store"] = "email"

    @field_validator("customer_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("customer_id", "subject", "body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class FeedbackIn(BaseModel):
    suggestion_id: str = Field(min_length=1, max_length=600)
    helpful: bool
    comment: str | None = Field(default=None, max_length=2000)


class SyncIn(BaseModel):
    keys: list[str] | None = None  # sync only these bucket keys (created/updated or deleted)


def create_app(settings: Settings):
    from fastapi import Body

    from .. import wiring

    app = create_base_app(settings, "Support desk")
    desk = wiring.support_desk(settings)  # the handler wires the desk's stores; the services only receive them
    app.state.desk = desk

    @app.get("/health")
    def health():
        return health_response(desk.health())  # 503 naming what is down, each probed with a timeout

    @app.post("/tickets", status_code=201)
    def create_ticket(ticket: TicketIn):
        return desk.create_ticket(ticket.customer_id, ticket.subject, ticket.body, ticket.channel)

    @app.get("/tickets/{ticket_id}/context")
    def ticket_context(ticket_id: str):
        return desk.ticket_context(ticket_id)

    @app.post("/tickets/{ticket_id}/feedback")
    def feedback(ticket_id: str, fb: FeedbackIn):
        return desk.record_feedback(ticket_id, fb.suggestion_id, fb.helpful, fb.comment)

    @app.post("/kb/sync")
    def kb_sync(req: SyncIn | None = Body(default=None)):
        if req is not None and req.keys:
            return desk.kb.sync_keys(created=req.keys).to_dict()
        return desk.sync_kb()

    return app
