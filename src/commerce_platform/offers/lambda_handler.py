"""Scheduled Lambda for the learning agent (EventBridge). ``{"test": true, "debug": true}`` is a dry run."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent

from ..lambda_runtime import lambda_logger, with_lambda_context


@with_lambda_context
def handler(raw_event: dict[str, Any] | None, context: Any) -> dict[str, Any]:
    from ..config import load_settings
    from ..wiring import run_learning

    event = EventBridgeEvent(raw_event or {})  # a console test may send no event at all

    settings = load_settings()
    # The schedule's event carries nothing the run needs; a manual invocation may ask for a dry run.
    lambda_logger("DEBUG" if event.get("debug") else settings.log_level)
    summary = run_learning(settings, dry_run=bool(event.get("test")))
    return {"statusCode": 200, "body": summary.as_dict()}
