"""What every HTTP app shares: one JSON error shape, API-key auth, CORS, the Lambda adapter.

Error body (every 4xx/5xx): ``{"error": "<Kind>", "message": "...", "field": "..."?, "hint": "..."?}``.
"""

from __future__ import annotations

import hmac
from typing import Any

from ..config import Settings
from ..errors import CommerceError, MissingExtraError, require

MAX_BODY_BYTES = 256 * 1024


def error_body(kind: str, message: str, field: str | None = None, hint: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": kind, "message": message}
    if field:
        body["field"] = field
    if hint:
        body["hint"] = hint
    return body


def health_response(report: dict[str, Any]):
    """A health report as JSON: 503 unless its status is "ok", so load balancers and monitors see
    a component that is down; the body says which."""
    from fastapi.responses import JSONResponse

    return JSONResponse(report, status_code=200 if report.get("status") == "ok" else 503)


def create_base_app(settings: Settings, title: str, *, public_paths: tuple[str, ...] = ("/health",)):
    """A FastAPI app with the platform's error handlers, body-size cap, API key and CORS."""
    try:
        from fastapi import FastAPI, Request
        from fastapi.exceptions import RequestValidationError
        from fastapi.middleware.cors import CORSMiddleware
        from fastapi.responses import JSONResponse
        from starlette.exceptions import HTTPException as StarletteHTTPException
    except ImportError as exc:  # pragma: no cover
        raise MissingExtraError("api", "fastapi") from exc

    app = FastAPI(title=title, docs_url=None if settings.is_production else "/docs")
    app.state.settings = settings

    @app.exception_handler(CommerceError)
    async def _commerce_error(_request: Request, exc: CommerceError):
        return JSONResponse(exc.to_dict(), status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header"):  # where, not which field
            loc = loc[1:]
        field = ".".join(loc) or None
        msg = first.get("msg", "invalid request")
        if first.get("type") == "json_invalid":
            msg, field = "request body is not valid JSON", None
        return JSONResponse(error_body("ValidationFailed", f"{field + ': ' if field else ''}{msg}", field,
                                       "fix the field and send the request again"), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException):
        kind = {404: "NotFound", 405: "MethodNotAllowed", 401: "Unauthorized"}.get(exc.status_code, "HTTPError")
        return JSONResponse(error_body(kind, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception):
        from ..logs import get_logger

        get_logger("api").error("unhandled error", exc_info=exc, path=str(_request.url.path))
        return JSONResponse(error_body("InternalError", "the server failed to handle the request",
                                       hint="retry later; the failure is logged"), status_code=500)

    api_key = settings.api_key.get_secret_value() if settings.api_key else None

    @app.middleware("http")
    async def _guard(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse(error_body("PayloadTooLarge", f"request body over {MAX_BODY_BYTES} bytes",
                                           hint="send a smaller body"), status_code=413)
        if api_key and request.url.path not in public_paths and request.method != "OPTIONS":
            given = request.headers.get("x-api-key", "")
            if not hmac.compare_digest(given.encode(), api_key.encode()):
                return JSONResponse(error_body("Unauthorized", "missing or wrong X-Api-Key header",
                                               hint="send the key configured in COMMERCE_API_KEY"), status_code=401)
        return await call_next(request)

    origins = [o for o in settings.cors_origins if not (settings.is_production and o == "*")]
    app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                       allow_headers=["Content-Type", "X-Api-Key", "Authorization"])
    return app


def lambda_handler_for(app):
    """Mangum adapter: accepts API Gateway REST (v1) and HTTP API (v2) events."""
    mangum = require("mangum", "api")
    return mangum.Mangum(app, lifespan="off", api_gateway_base_path="/")
