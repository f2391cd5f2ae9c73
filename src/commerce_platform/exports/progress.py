"""Export progress (ARCHITECTURE 7.4) through the key-value port: ``EXPORT#<date>`` / ``METADATA``."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..ports.kv import Lock, TableSpec

PROGRESS_TABLE = TableSpec("export_progress", "PK", "SK")
TTL_SECONDS = 90 * 24 * 3600
LOCK_TTL_SECONDS = 600  # renewed by a heartbeat while the run lasts
STATUSES = ("RUNNING", "COMPLETE", "PARTIAL", "FAILED", "EMPTY")  # EMPTY: no sales that day (and tenant)


def run_key(day: date | str) -> str:
    return f"EXPORT#{day}"


def sort_key(tenant: str | None) -> str:
    """``METADATA`` for a whole day; ``METADATA#<tenant>`` for a single-tenant run of that day."""
    return "METADATA" if not tenant else f"METADATA#{tenant}"


class ProgressStore:
    def __init__(self, table) -> None:
        self.table = table

    def put(self, day: date | str, tenant: str | None, **fields: Any) -> dict[str, Any]:
        item = {"PK": run_key(day), "SK": sort_key(tenant), "date": str(day), "tenant": tenant, **fields}
        self.table.put(item, ttl_seconds=TTL_SECONDS)
        return item

    def get(self, day: date | str, tenant: str | None = None) -> dict[str, Any] | None:
        return self.table.get(run_key(day), sort_key(tenant))

    def day_records(self, day: date | str) -> list[dict[str, Any]]:
        """The day's progress records (the whole-day one and any single-tenant ones)."""
        return [i for i in self.table.query(run_key(day), "METADATA")]

    def runs(self) -> list[dict[str, Any]]:
        items = [i for i in self.table.scan()
                 if str(i.get("PK", "")).startswith("EXPORT#") and str(i.get("SK", "")).startswith("METADATA")]
        return sorted(items, key=lambda i: (i.get("date", ""), i.get("SK", "")), reverse=True)

    def lock(self, day: date | str) -> Lock:
        return Lock(self.table, f"export-{day}", ttl_seconds=LOCK_TTL_SECONDS)
