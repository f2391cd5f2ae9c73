"""Lambda entry point for the EventBridge schedule: export yesterday (relative to the event time).

An EventBridge scheduled event has ``time`` (ISO timestamp); ``detail`` may carry {"date", "tenant"} for
manual invocations. Thin: read the event (Powertools' EventBridgeEvent), call run_export, return its summary.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source

from ..lambda_runtime import lambda_logger, with_lambda_context


def export_date(event: dict[str, Any] | EventBridgeEvent) -> str:
    bridge = event if isinstance(event, EventBridgeEvent) else EventBridgeEvent(event)
    detail = bridge.get("detail") or {}
    if detail.get("date"):
        return str(detail["date"])
    when = bridge.time if bridge.get("time") else None
    moment = datetime.fromisoformat(when.replace("Z", "+00:00")) if when else datetime.now().astimezone()
    return (moment - timedelta(days=1)).date().isoformat()


@with_lambda_context
@event_source(data_class=EventBridgeEvent)
def handler(event: EventBridgeEvent, context: Any) -> dict[str, Any]:
    from ..config import load_settings
    from ..wiring import run_export

    settings = load_settings()
    lambda_logger(settings.log_level)
    detail = event.get("detail") or {}
    summary = run_export(settings, date=export_date(event), tenant=detail.get("tenant"),
                         retry_failed=bool(detail.get("retry_failed")))
    return {"statusCode": 200, "body": summary}
