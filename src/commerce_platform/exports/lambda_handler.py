"""Lambda entry point for the EventBridge schedule: export yesterday (relative to the event time).

An EventBridge scheduled event has ``time`` (ISO timestamp); ``detail`` may carry {"date", "tenant"} for
manual invocations. Thin: parse the event, call run_export, return its summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any


def export_date(event: dict[str, Any]) -> str:
    detail = event.get("detail") or {}
    if detail.get("date"):
        return str(detail["date"])
    when = event.get("time")
    moment = datetime.fromisoformat(when.replace("Z", "+00:00")) if when else datetime.now().astimezone()
    return (moment - timedelta(days=1)).date().isoformat()


def _app(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from ..config import load_settings
    from ..logs import configure_logging
    from .service import run_export

    settings = load_settings()
    configure_logging(settings.log_level)
    detail = event.get("detail") or {}
    summary = run_export(settings, date=export_date(event), tenant=detail.get("tenant"),
                         retry_failed=bool(detail.get("retry_failed")))
    return {"statusCode": 200, "body": summary}


def handler(event, context):
    return _app(event, context)
