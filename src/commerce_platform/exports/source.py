"""The SmartGo sales of one UTC day, streamed in pages (ARCHITECTURE 7.2), through the SmartGo port."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from ..ports.smartgo_source import SmartGoSales
from .models import day_bounds


def default_source_url(settings) -> str:
    if settings.export_source_url:
        return str(settings.export_source_url)
    return f"sqlite:///{settings.paths.root / 'smartgo' / 'smartgo.db'}"


class SalesSource:
    """A day's raw rows (driver values, validated later so one bad row never stops a page)."""

    def __init__(self, url: str, page_size: int = 1000, port: SmartGoSales | None = None) -> None:
        self.port = port or SmartGoSales(url, page_size=page_size)

    def count(self, day: date, tenant: str | None = None) -> int:
        return self.port.count(*day_bounds(day), tenant)

    def has_tenant(self, tenant: str) -> bool:
        return self.port.has_tenant(tenant)

    def pages(self, day: date, tenant: str | None = None) -> Iterator[list[dict[str, Any]]]:
        return self.port.pages(*day_bounds(day), tenant)

    def check(self) -> None:
        self.port.check()
