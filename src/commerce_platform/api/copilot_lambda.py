"""Lambda entry point of the copilot HTTP app (API Gateway REST v1 and HTTP API v2 events).

The seed's console test payload ``{"path": "/copilot/inventory", "httpMethod": "GET"}`` lacks
fields Mangum needs to recognise a v1 event; ``normalize_event`` fills them in.
"""

from __future__ import annotations

from typing import Any

_app = None


def normalize_event(event: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(event, dict) or "version" in event and event.get("version") == "2.0":
        return event
    if "httpMethod" in event or ("path" in event and "requestContext" not in event):
        e = dict(event)
        e.setdefault("httpMethod", "GET")
        e.setdefault("path", "/")
        e.setdefault("resource", e["path"])
        e["headers"] = dict(e.get("headers") or {})
        e["multiValueHeaders"] = dict(e.get("multiValueHeaders") or {})
        e["queryStringParameters"] = e.get("queryStringParameters") or None
        e["multiValueQueryStringParameters"] = e.get("multiValueQueryStringParameters") or None
        e.setdefault("pathParameters", None)
        e.setdefault("stageVariables", None)
        e.setdefault("isBase64Encoded", False)
        e.setdefault("body", None)
        ctx = dict(e.get("requestContext") or {})
        ctx.setdefault("resourcePath", e["resource"])
        ctx.setdefault("httpMethod", e["httpMethod"])
        ctx.setdefault("path", e["path"])
        ctx.setdefault("stage", "$default")
        ctx.setdefault("requestId", "local")
        ctx.setdefault("identity", {"sourceIp": "127.0.0.1", "userAgent": "lambda-test"})
        e["requestContext"] = ctx
        return e
    return event


def _get_app():
    global _app
    if _app is None:
        from ..config import load_settings
        from .common import lambda_handler_for
        from .copilot_app import create_app

        _app = lambda_handler_for(create_app(load_settings()))
    return _app


def handler(event, context):
    return _get_app()(normalize_event(event), context)
