"""Lambda for S3 "Object Created" / "Object Deleted" events of the kb-docs bucket, delivered by
EventBridge: syncs just the changed documents (or starts a Bedrock ingestion job on AWS).
Plain S3 notification events (``Records``) are accepted too."""

from __future__ import annotations

from typing import Any

from ..config import load_settings
from ..logs import get_logger

log = get_logger(__name__)


def parse_events(event: dict[str, Any], bucket: str) -> tuple[list[str], list[str], list[str]]:
    """(created keys, deleted keys, ignored descriptions) from an EventBridge or S3 event."""
    from urllib.parse import unquote_plus

    created: list[str] = []
    deleted: list[str] = []
    ignored: list[str] = []
    entries = []
    if "detail" in event:
        d = event.get("detail") or {}
        entries.append((event.get("detail-type", ""), (d.get("bucket") or {}).get("name"),
                        (d.get("object") or {}).get("key")))
    for rec in event.get("Records", []) or []:
        s3 = rec.get("s3") or {}
        name = rec.get("eventName", "")
        kind = "Object Created" if name.startswith("ObjectCreated") else "Object Deleted" if name.startswith(
            "ObjectRemoved") else name
        entries.append((kind, (s3.get("bucket") or {}).get("name"), unquote_plus((s3.get("object") or {}).get("key", ""))))
    for kind, name, key in entries:
        if not key or name != bucket:
            ignored.append(f"{kind} {name}/{key}")
        elif kind == "Object Created":
            created.append(key)
        elif kind == "Object Deleted":
            deleted.append(key)
        else:
            ignored.append(f"{kind} {name}/{key}")
    return created, deleted, ignored


def handle(event: dict[str, Any], settings=None) -> dict[str, Any]:
    from .kb import KnowledgeBase

    settings = settings or load_settings()
    created, deleted, ignored = parse_events(event, settings.support.kb_bucket)
    if ignored:
        log.info("kb sync event parts ignored", ignored=ignored)
    if not created and not deleted:
        return {"synced": False, "ignored": ignored}
    report = KnowledgeBase(settings).sync_keys(created=created, deleted=deleted)
    return {"synced": True, "created": created, "deleted": deleted, "ignored": ignored, "report": report.to_dict()}


def handler(event, context):
    return handle(event)
