"""Lambda entry point of the support HTTP app (API Gateway v1/v2 through Mangum)."""

from __future__ import annotations

from typing import Any

from ..config import load_settings
from ..lambda_runtime import lambda_logger
from .common import lambda_handler_for
from .support_app import create_app

_settings = load_settings()
lambda_logger(_settings.log_level)
_app = lambda_handler_for(create_app(_settings))


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _app(event, context)
