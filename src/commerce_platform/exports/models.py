"""Rows, validation rules (data, not code) and the export table's columns (ARCHITECTURE 7.2, 7.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

from ..errors import ValidationFailed
from ..ports.smartgo_source import SALES_COLUMNS

NAMESPACE = "pricing_intelligence"
TABLE_NAME = "smartgo_sales"
TABLE_IDENTIFIER = f"{NAMESPACE}.{TABLE_NAME}"
SOURCE_COLUMNS = SALES_COLUMNS

# ISO 4217 currencies SmartGo marketplaces sell in; anything else is rejected and counted.
KNOWN_CURRENCIES = frozenset({
    "EUR", "SEK", "NOK", "DKK", "ISK", "USD", "GBP", "CHF", "PLN", "CZK", "HUF", "RON", "BGN", "CAD", "AUD",
    "JPY", "CNY",
})
MAX_PRICE = Decimal("10000000")

# Why a row was rejected or its image was not embedded: code -> explanation (used in logs and status).
REASONS = {
    "missing_price": "sold_price is missing",
    "invalid_price": "sold_price is not a positive number below 10,000,000",
    "unknown_currency": "currency is not a known ISO 4217 code",
    "missing_tenant": "tenant_id is missing",
    "missing_sold_at": "sold_at is missing",
    "no_image_url": "image_url is empty",
    "url_refused": "image URL refused by the URL safety check",
    "http_error": "image server answered with an HTTP error (4xx, or no redirect target)",
    "server_error": "image server answered 5xx or 429 on every attempt",
    "network_error": "image download failed (timeout or connection error) after retries",
    "too_large": "image is larger than the 10 MB cap",
    "not_an_image": "downloaded content is not an image (wrong content type or HTML page)",
    "undecodable": "image bytes could not be decoded",
    "too_many_redirects": "too many redirects",
    "embedding_failed": "the image embedder failed",
}


# Failure classes: a retryable failure may succeed on a later run (the server or network was down, the
# embedder hiccuped); a permanent one cannot until the data changes (no URL, not an image, too large, a
# refused URL, a bad price: rejected rows never reach the table at all). --retry-failed retries only
# the retryable ones. The class is a function of the reason code, so the code stored in embedding_error
# ("code: detail") carries it with the failure.
RETRYABLE = "retryable"
PERMANENT = "permanent"
RETRYABLE_REASONS = frozenset({"network_error", "server_error", "embedding_failed"})
_SERVER_STATUS = re.compile(r"\bHTTP (5\d\d|429)\b")


def reason_of(error: str | None) -> str | None:
    """The reason code at the front of an embedding_error ("code: detail")."""
    return None if not error else error.split(":", 1)[0]


def fetch_reason(reason: str, detail: str) -> str:
    """The fetcher reports 4xx and exhausted 5xx/429 retries both as http_error; they differ in class."""
    return "server_error" if reason == "http_error" and _SERVER_STATUS.search(detail or "") else reason


def failure_class(error_or_reason: str | None) -> str:
    """retryable | permanent for an embedding_error or a reason code (rows written before server_error
    existed say "http_error: ... HTTP 503 after 4 attempts": still retryable)."""
    reason = reason_of(error_or_reason) or ""
    if reason == "http_error":
        reason = fetch_reason(reason, (error_or_reason or "").split(":", 1)[-1])
    return RETRYABLE if reason in RETRYABLE_REASONS else PERMANENT


def classify(reasons: dict[str, int]) -> dict[str, int]:
    """Reason counts -> {"retryable": n, "permanent": m}."""
    out = {RETRYABLE: 0, PERMANENT: 0}
    for reason, n in reasons.items():
        out[failure_class(reason)] += n
    return out


@dataclass
class SaleRow:
    sale_id: str
    tenant_id: str
    product_id: str | None
    title: str | None
    category: str | None
    brand: str | None
    sold_price: Decimal
    currency: str
    sold_at: datetime
    image_url: str | None
    image_sha256: str | None = None
    embedding: np.ndarray | None = None
    embedding_model: str | None = None
    embedding_error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class RowRejected(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail or REASONS[reason]}")
        self.reason = reason


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        raise RowRejected("missing_sold_at", f"sold_at {value!r} is not a timestamp")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def validate_row(raw: dict[str, Any]) -> SaleRow:
    """A source row as a SaleRow, or RowRejected naming the field that is wrong."""
    if not raw.get("tenant_id"):
        raise RowRejected("missing_tenant")
    if raw.get("sold_at") is None:
        raise RowRejected("missing_sold_at")
    price = raw.get("sold_price")
    if price is None or (isinstance(price, str) and not price.strip()):
        raise RowRejected("missing_price")
    try:
        price = Decimal(str(price))
    except InvalidOperation:
        raise RowRejected("invalid_price", f"sold_price {price!r} is not a number") from None
    if not price.is_finite() or price <= 0 or price >= MAX_PRICE:
        raise RowRejected("invalid_price", f"sold_price {price} is not a positive number below 10,000,000")
    currency = (raw.get("currency") or "").strip().upper()
    if currency not in KNOWN_CURRENCIES:
        raise RowRejected("unknown_currency", f"currency {raw.get('currency')!r} is not a known ISO 4217 code")
    url = (raw.get("image_url") or "").strip() or None
    return SaleRow(
        sale_id=str(raw["sale_id"]), tenant_id=str(raw["tenant_id"]), product_id=_opt(raw.get("product_id")),
        title=_opt(raw.get("title")), category=_opt(raw.get("category")), brand=_opt(raw.get("brand")),
        sold_price=price.quantize(Decimal("0.01")), currency=currency, sold_at=_as_utc(raw["sold_at"]),
        image_url=url,
    )


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def parse_day(value: str | date | None) -> date:
    """--date: YYYY-MM-DD, default yesterday (UTC)."""
    if value is None:
        return (datetime.now(UTC) - timedelta(days=1)).date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(f"--date {value!r} is not a date", field="date", hint="use YYYY-MM-DD") from None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)
