"""Copilot HTTP app (ARCHITECTURE section 8): thin routes over CopilotService.

GET /health; POST /copilot/chat; GET /copilot/inventory; GET /copilot/conversations?user_id=;
GET /copilot/conversations/{id}; POST /copilot/conversations/{id}/approve (thumbs up, reviewers).

The caller is the authenticated principal (api/common.py): a ``user_id`` in a body or query that
is not the caller's own is refused with 403; conversations of others read as missing (404).
"""

from __future__ import annotations

from ..config import Settings
from ..copilot.models import ApproveRequest, ChatRequest
from ..errors import without_paths
from .common import Principal, create_base_app, current_principal, health_response, own_id


def create_app(settings: Settings, service=None):
    from fastapi import Depends, Path, Query
    from fastapi.concurrency import run_in_threadpool

    from .. import wiring

    app = create_base_app(settings, "Commerce retail copilot")
    svc = service or wiring.copilot_service(settings)
    app.state.copilot = svc
    conv_id = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    caller = Depends(current_principal)

    @app.get("/health")
    def health():
        checks: dict[str, str] = {}
        try:
            tables = svc.tables
            unreadable = sorted(getattr(tables, "unreadable", None) or ())
            checks["lake"] = (f"ok ({len(tables)} tables)" if not unreadable else
                              f"degraded ({len(tables)} tables readable; cannot read {', '.join(unreadable)})")
        except Exception as exc:  # noqa: BLE001 - health reports, never raises
            # /health is public: a file or folder shows by its last name only, never the server's layout
            reason = str(getattr(exc, "message", exc.__class__.__name__))
            checks["lake"] = f"unavailable: {without_paths(reason, last_names=True)}"
        status = "ok" if all(v.startswith("ok") for v in checks.values()) else "degraded"
        body = {"status": status, "service": "copilot", "checks": checks, "llm": settings.llm.provider}
        return health_response(body)  # no lake: nothing to answer

    @app.post("/copilot/chat")
    async def chat(request: ChatRequest, principal: Principal = caller) -> dict:
        sent = request.user_id if "user_id" in request.model_fields_set else None
        request = request.model_copy(update={"user_id": own_id(principal, sent, "user_id")})
        answer = await run_in_threadpool(svc.chat, request)
        return answer.model_dump()

    @app.get("/copilot/inventory")
    async def inventory(limit: int = Query(100, ge=1, le=1000), principal: Principal = caller) -> dict:
        return await run_in_threadpool(svc.inventory, limit)

    @app.get("/copilot/conversations")
    async def conversations(user_id: str | None = Query(None, min_length=1, max_length=128),
                            principal: Principal = caller) -> dict:
        user_id = own_id(principal, user_id, "user_id")
        items = await run_in_threadpool(svc.list_conversations, user_id)
        return {"user_id": user_id, "conversations": items}

    @app.get("/copilot/conversations/{conversation_id}")
    async def conversation(conversation_id: str = conv_id, principal: Principal = caller) -> dict:
        return await run_in_threadpool(svc.get_conversation, conversation_id, principal.id)

    @app.post("/copilot/conversations/{conversation_id}/approve")
    async def approve(body: ApproveRequest, conversation_id: str = conv_id, principal: Principal = caller) -> dict:
        return await run_in_threadpool(lambda: svc.approve(conversation_id, body.turn, body.approved,
                                                           user_id=principal.id, reviewer=principal.reviewer))

    return app

