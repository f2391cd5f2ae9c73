"""Lambda entry point of the copilot HTTP app (API Gateway REST v1 and HTTP API v2 events).

The seed's console test payload ``{"path": "/copilot/inventory", "httpMethod": "GET"}`` lacks
fields Mangum needs to recognise a v1 event; ``normalize_event`` fills them in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from ..lambda_runtime import lambda_logger

_app: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None


def normalize_event(event: Any) -> Any:
    """A partial REST (v1) event completed as API Gateway would send it; any other event unchanged."""
    if not isinstance(event, dict) or event.get("version") == "2.0":
        return event
    rest = APIGatewayProxyEvent(event)
    if "httpMethod" not in rest and not ("path" in rest and "requestContext" not in rest):
        return event
    method, path = rest.get("httpMethod", "GET"), rest.get("path", "/")
    resource = rest.get("resource", path)
    context = {"resourcePath": resource, "httpMethod": method, "path": path, "stage": "$default",
               "requestId": "local", "identity": {"sourceIp": "127.0.0.1", "userAgent": "lambda-test"},
               **(rest.get("requestContext") or {})}
    return {**event, "httpMethod": method, "path": path, "resource": resource,
            "headers": dict(rest.get("headers") or {}), "multiValueHeaders": dict(rest.get("multiValueHeaders") or {}),
            "queryStringParameters": rest.get("queryStringParameters") or None,
            "multiValueQueryStringParameters": rest.get("multiValueQueryStringParameters") or None,
            "pathParameters": rest.get("pathParameters"), "stageVariables": rest.get("stageVariables"),
            "isBase64Encoded": rest.get("isBase64Encoded", False), "body": rest.get("body"),
            "requestContext": context}


def _get_app() -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    global _app
    if _app is None:
        from ..config import load_settings
        from .common import lambda_handler_for
        from .copilot_app import create_app

        settings = load_settings()
        lambda_logger(settings.log_level)
        _app = lambda_handler_for(create_app(settings))
    return _app


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _get_app()(normalize_event(event), context)
