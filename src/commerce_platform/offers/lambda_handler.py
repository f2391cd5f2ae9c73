"""Scheduled Lambda for the learning agent (EventBridge). ``{"test": true, "debug": true}`` is a dry run."""

from __future__ import annotations

from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from ..config import load_settings
    from ..logs import configure_logging
    from .agent import run_learning

    event = event or {}
    settings = load_settings()
    configure_logging("DEBUG" if event.get("debug") else settings.log_level)
    summary = run_learning(settings, dry_run=bool(event.get("test")))
    return {"statusCode": 200, "body": summary.as_dict()}
