"""Lambda entry point of the tutor app (API Gateway REST or HTTP API events through Mangum)."""

from __future__ import annotations

from .common import lambda_handler_for
from .tutor_app import create_app

_app = lambda_handler_for(create_app())


def handler(event, context):
    return _app(event, context)
