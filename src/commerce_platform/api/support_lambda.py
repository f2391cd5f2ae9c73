"""Lambda entry point of the support HTTP app (API Gateway v1/v2 through Mangum)."""

from __future__ import annotations

from ..config import load_settings
from .common import lambda_handler_for
from .support_app import create_app

_app = lambda_handler_for(create_app(load_settings()))


def handler(event, context):
    return _app(event, context)
