"""Tutor HTTP app (ARCHITECTURE section 8): generate / evaluate / remediate exercises, health, metrics.

Thin: parse the request, call TutorService, shape the response. Also served on Lambda
through ``tutor_lambda.handler``.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, Field

from ..config import Settings, load_settings
from ..tutor.models import Difficulty
from .common import Principal, current_principal, own_id


# Request bodies (module level so FastAPI resolves them). Response text limits are checked by the
# service, which answers 422 naming the field.
class GenerateBody(BaseModel):
    topic: str = Field(max_length=200)
    difficulty: Difficulty | None = None
    count: int = Field(default=3, ge=1, le=10)
    learner_id: str | None = Field(default=None, max_length=100)


class EvaluateBody(BaseModel):
    exercise_id: str = Field(max_length=100)
    response: str
    learner_id: str | None = Field(default=None, max_length=100)


class RemediateBody(EvaluateBody):
    """The same fields as an evaluation (the response to remediate)."""


def create_app(settings: Settings | None = None, *, service=None):
    """The learner is always the authenticated caller (api/common.py): a ``learner_id`` in a body
    or path that is not the caller's own is refused with 403."""
    from fastapi import Depends, Path, Request
    from fastapi.concurrency import run_in_threadpool
    from fastapi.responses import Response

    from ..tutor.metrics import TutorMetrics
    from .common import create_base_app, health_response

    settings = settings or load_settings()
    app = create_base_app(settings, "Commerce tutor")
    metrics = TutorMetrics()
    if service is None:
        from .. import wiring

        service = wiring.tutor_service(settings, metrics=metrics)
    else:
        metrics = service.metrics
    app.state.tutor = service
    app.state.metrics = metrics

    @app.middleware("http")
    async def _measure(request: Request, call_next):
        start = time.perf_counter()
        route = request.url.path if request.url.path in _ROUTES else "other"
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            metrics.requests.labels(route, request.method, str(status)).inc()
            metrics.latency.labels(route).observe(time.perf_counter() - start)

    caller = Depends(current_principal)

    # No return annotations naming JSONResponse/Response: imported here, not at module level, they
    # are unresolvable forward references that made /openapi.json answer 500.
    @app.get("/health", response_model=None)
    async def health():
        return health_response(await run_in_threadpool(service.health))

    @app.get("/api/exercise/topics")
    async def topics(principal: Principal = caller) -> dict[str, Any]:
        return await run_in_threadpool(service.topics)

    @app.post("/api/exercise/generate")
    async def generate(body: GenerateBody, principal: Principal = caller) -> dict[str, Any]:
        learner = own_id(principal, body.learner_id, "learner_id")
        return await run_in_threadpool(service.generate, body.topic, body.difficulty, body.count, learner)

    @app.post("/api/exercise/evaluate")
    async def evaluate(body: EvaluateBody, principal: Principal = caller) -> dict[str, Any]:
        learner = own_id(principal, body.learner_id, "learner_id")
        return await run_in_threadpool(service.evaluate, body.exercise_id, body.response, learner)

    @app.post("/api/exercise/remediate")
    async def remediate(body: RemediateBody, principal: Principal = caller) -> dict[str, Any]:
        learner = own_id(principal, body.learner_id, "learner_id")
        return await run_in_threadpool(service.remediate, body.exercise_id, body.response, learner)

    @app.get("/api/learners/{learner_id}/mastery")
    async def mastery(learner_id: str = Path(min_length=1, max_length=100),
                      principal: Principal = caller) -> dict[str, Any]:
        return await run_in_threadpool(service.mastery, own_id(principal, learner_id, "learner_id"))

    if not settings.is_production:
        @app.get("/metrics", response_model=None, response_class=Response,
                 responses={200: {"content": {"text/plain": {}}, "description": "Prometheus exposition"}})
        async def metrics_route():
            body, content_type = metrics.exposition()
            return Response(body, media_type=content_type)

    return app


_ROUTES = {"/health", "/metrics", "/api/exercise/generate", "/api/exercise/evaluate", "/api/exercise/remediate",
           "/api/exercise/topics"}
