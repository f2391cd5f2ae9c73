"""Lambda for S3 "Object Created" / "Object Deleted" events of the kb-docs bucket, delivered by
EventBridge: syncs just the changed documents (or starts a Bedrock ingestion job on AWS).
Plain S3 notification events (``Records``) are accepted too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..config import load_settings
from ..lambda_runtime import lambda_logger, with_lambda_context
from ..logs import get_logger

log = get_logger(__name__)
T = TypeVar("T")


def _part(read: Callable[[T], str], event: T) -> str | None:
    """A field of an event data class, None when the event lacks it (such parts are ignored)."""
    try:
        return read(event)
    except (KeyError, TypeError):
        return None


def parse_events(event: dict[str, Any], bucket: str) -> tuple[list[str], list[str], list[str]]:
    """(created keys, deleted keys, ignored descriptions) from an EventBridge or S3 event."""
    from urllib.parse import unquote_plus

    from aws_lambda_powertools.utilities.data_classes import S3Event, S3EventBridgeNotificationEvent

    created: list[str] = []
    deleted: list[str] = []
    ignored: list[str] = []
    entries: list[tuple[str, str | None, str | None]] = []
    if "detail" in event:
        bridge = S3EventBridgeNotificationEvent(event)
        entries.append((str(bridge.get("detail-type") or ""), _part(lambda e: e.detail.bucket.name, bridge),
                        _part(lambda e: e.detail.object["key"], bridge)))  # as sent (the seed's behaviour)
    for rec in S3Event(event).records if event.get("Records") else ():
        name = str(rec.get("eventName") or "")
        kind = "Object Created" if name.startswith("ObjectCreated") else "Object Deleted" if name.startswith(
            "ObjectRemoved") else name
        # S3 notifications URL-encode keys (the data class hands them over encoded)
        encoded = _part(lambda r: r.s3.get_object.key, rec)
        entries.append((kind, _part(lambda r: r.s3.bucket.name, rec), unquote_plus(encoded) if encoded else ""))
    for kind, bucket_name, key in entries:
        if not key or bucket_name != bucket:
            ignored.append(f"{kind} {bucket_name}/{key}")
        elif kind == "Object Created":
            created.append(key)
        elif kind == "Object Deleted":
            deleted.append(key)
        else:
            ignored.append(f"{kind} {bucket_name}/{key}")
    return created, deleted, ignored


def handle(event: dict[str, Any], settings=None) -> dict[str, Any]:
    from .. import wiring

    settings = settings or load_settings()
    created, deleted, ignored = parse_events(event, settings.support.kb_bucket)
    if ignored:
        log.info("kb sync event parts ignored", ignored=ignored)
    if not created and not deleted:
        return {"synced": False, "ignored": ignored}
    report = wiring.knowledge_base(settings).sync_keys(created=created, deleted=deleted)
    return {"synced": True, "created": created, "deleted": deleted, "ignored": ignored, "report": report.to_dict()}


@with_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    settings = load_settings()
    lambda_logger(settings.log_level)
    return handle(event, settings)
