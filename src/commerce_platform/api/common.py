"""What every HTTP app shares: one JSON error shape, the caller's identity, a streamed body cap,
CORS, the Lambda adapter.

Error body (every 4xx/5xx): ``{"error": "<Kind>", "message": "...", "field": "..."?, "hint": "..."?}``.

Identity (ARCHITECTURE): on AWS the principal is the JWT ``sub`` the API Gateway authorizer put in
the event (Mangum hands the event over as ``scope["aws.event"]``); locally each X-Api-Key of
COMMERCE_API_KEYS names a principal (COMMERCE_API_KEY is one principal, "local"); with no keys a
local app is open as the one "local" principal. Routes take identity only from here, never from a
body or query.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request  # a direct requirement of every HTTP function (starlette is not)
from pydantic import BaseModel

from ..config import LOCAL_PRINCIPAL, Settings
from ..errors import CommerceError, Forbidden, MissingExtraError, require, without_paths

MAX_BODY_BYTES = 256 * 1024


class ErrorBody(BaseModel):
    """The one error shape of every HTTP app (documented in each app's OpenAPI)."""

    error: str
    message: str
    field: str | None = None
    hint: str | None = None


_ERRORS = {400: "Bad request", 401: "Missing or wrong credentials", 403: "Not allowed for this caller",
           404: "Not found", 405: "Method not allowed", 413: "Request body too large",
           422: "Invalid input (the field is named)", 500: "Unexpected server error",
           502: "A dependency failed", 503: "A backing component is down (named in the message)"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in _ERRORS.items()}


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


# ----------------------------------------------------------------------------------- identity

@dataclass(frozen=True)
class Principal:
    id: str
    reviewer: bool = False
    source: str = "local"  # jwt | api_key | local


def _claims(event: Any) -> dict[str, Any] | None:
    """JWT claims of an API Gateway event: HTTP API (v2) or REST API with a Cognito authorizer (v1)."""
    if not isinstance(event, dict) or not isinstance(event.get("requestContext"), dict):
        return None  # no API Gateway event: a local app (Powertools is then not even needed)
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent, APIGatewayProxyEventV2

    claims = (APIGatewayProxyEventV2(event).request_context.authorizer.jwt_claim
              or APIGatewayProxyEvent(event).request_context.authorizer.claims)
    return claims if isinstance(claims, dict) else None


def _groups(value: Any) -> set[str]:
    """A groups claim as API Gateway passes it: a list, "[a b]" (HTTP API) or "a,b" (REST API)."""
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    if isinstance(value, str):
        return {g for g in re.split(r"[\s,]+", value.strip().strip("[]")) if g}
    return set()


class Unauthenticated(Exception):
    pass


def resolve_principal(scope: dict[str, Any], headers: dict[str, str], settings: Settings,
                      keys: dict[str, str]) -> Principal:
    """The caller of a request, or Unauthenticated (never from the body or query)."""
    reviewers = settings.reviewer_names()
    claims = _claims(scope.get("aws.event"))
    if claims and str(claims.get("sub") or "").strip():
        groups = _groups(claims.get(settings.api.reviewer_claim))
        return Principal(str(claims["sub"]).strip(), reviewer=settings.api.reviewer_group in groups, source="jwt")
    if keys:
        given = headers.get("x-api-key", "").encode()
        name = None
        for key, principal in keys.items():  # compare with every key: timing says nothing about which
            if hmac.compare_digest(given, key.encode()):
                name = principal
        if name is None:
            raise Unauthenticated("missing or wrong X-Api-Key header")
        return Principal(name, reviewer=name in reviewers, source="api_key")
    if settings.profile == "aws":  # on AWS a caller without the authorizer's claims is nobody
        raise Unauthenticated("no authenticated caller (the API Gateway JWT authorizer passed no claims)")
    return Principal(LOCAL_PRINCIPAL, reviewer=LOCAL_PRINCIPAL in reviewers, source="local")


def own_id(principal: Principal, value: str | None, field: str) -> str:
    """The caller's own id; a different ``value`` sent in a body, query or path is refused."""
    if value is not None and value != principal.id:
        raise Forbidden(f"{field} must be your own id: a caller sees and changes only their own data",
                        field=field, hint=f"leave {field} out; the authenticated caller is used")
    return principal.id


def current_principal(request: Request) -> Principal:
    """FastAPI dependency: the principal the guard put on the request."""
    principal = getattr(request.state, "principal", None)
    if principal is None:  # a public path has no caller; a route that needs one must not be public
        raise Forbidden("this route needs an authenticated caller")
    return principal


# ----------------------------------------------------------------------------------- guard

async def _send_error(send, status: int, body: dict[str, Any], headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": payload})


class GuardMiddleware:
    """Pure ASGI: the caller's identity, then the body, capped at ``max_body`` bytes while it
    streams (Content-Length or chunked alike), so no oversized body is ever read whole."""

    def __init__(self, app, *, settings: Settings, public_paths: tuple[str, ...], max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.settings = settings
        self.public_paths = public_paths
        self.max_body = max_body
        self.keys = settings.api_principals()

    def _too_large(self):
        return error_body("PayloadTooLarge", f"request body over {self.max_body} bytes", hint="send a smaller body")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return await _send_error(send, 413, self._too_large(), [(b"connection", b"close")])
        if scope.get("path") not in self.public_paths and scope.get("method") != "OPTIONS":
            try:
                principal = resolve_principal(scope, headers, self.settings, self.keys)
            except Unauthenticated as exc:
                hint = ("send your key in the X-Api-Key header" if self.keys
                        else "call through the API Gateway with a bearer token")
                return await _send_error(send, 401, error_body("Unauthorized", str(exc), hint=hint),
                                         [(b"www-authenticate", b"ApiKey" if self.keys else b"Bearer")])
            scope.setdefault("state", {})["principal"] = principal
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None  # the client left: nothing to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:  # stop reading here: the rest never reaches memory
                return await _send_error(send, 413, self._too_large(), [(b"connection", b"close")])
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


# ----------------------------------------------------------------------------------- app

def _scrubber(settings: Settings):
    """Public messages never show where files live: the data home and SQLite URLs are masked."""
    roots = sorted({str(settings.paths.root), str(settings.paths.root.parent)}, key=len, reverse=True)
    known = [(root, "<home>") for root in roots]

    def scrub(text: str | None) -> str | None:
        return without_paths(text, known, sqlite_urls=True) if text else text

    return scrub


def create_base_app(settings: Settings, title: str, *, public_paths: tuple[str, ...] = ("/health",)):
    """A FastAPI app with the platform's error handlers, identity, body-size cap and CORS."""
    try:
        from fastapi import FastAPI
        from fastapi.exceptions import RequestValidationError
        from fastapi.middleware.cors import CORSMiddleware
        from fastapi.responses import JSONResponse
        from starlette.exceptions import HTTPException as StarletteHTTPException
    except ImportError as exc:  # pragma: no cover
        raise MissingExtraError("api", "fastapi") from exc

    app = FastAPI(title=title, docs_url=None if settings.is_production else "/docs", responses=ERROR_RESPONSES)
    app.state.settings = settings
    scrub = _scrubber(settings)
    app.state.scrub = scrub  # for health reports built from exception messages

    @app.exception_handler(CommerceError)
    async def _commerce_error(_request: Request, exc: CommerceError):
        body = exc.to_dict()
        body["message"] = scrub(body["message"])
        if body.get("hint"):
            body["hint"] = scrub(body["hint"])
        return JSONResponse(body, status_code=exc.http_status)

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
        kind = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
                405: "MethodNotAllowed", 413: "PayloadTooLarge"}.get(exc.status_code, "HTTPError")
        # keep the headers (Allow on a 405)
        return JSONResponse(error_body(kind, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception):
        from ..logs import get_logger

        get_logger("api").error("unhandled error", exc_info=exc, path=str(_request.url.path))
        return JSONResponse(error_body("InternalError", "the server failed to handle the request",
                                       hint="retry later; the failure is logged"), status_code=500)

    app.add_middleware(GuardMiddleware, settings=settings, public_paths=public_paths)
    origins = [o for o in settings.api.cors_origins if not (settings.is_production and o == "*")]
    app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                       allow_headers=["Content-Type", "X-Api-Key", "Authorization"])
    return app


def lambda_handler_for(app: Any) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """Mangum adapter: accepts API Gateway REST (v1) and HTTP API (v2) events; logs through the
    Lambda logger (Powertools) with the invocation's keys."""
    from ..lambda_runtime import with_lambda_context

    mangum = require("mangum", "api")
    return with_lambda_context(mangum.Mangum(app, lifespan="off", api_gateway_base_path="/"))
