"""Offer request contexts in the object store: ``offer-requests/{offer_number}_{timestamp}.json``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import NamedTuple

from pydantic import ValidationError

from ..errors import ValidationFailed
from ..ports.objectstore import ObjectStore
from .models import OfferRequest

PREFIX = "offer-requests/"
_KEY = re.compile(r"^offer-requests/(?P<offer>[A-Za-z0-9-]+)_(?P<stamp>[0-9TZ_:.+-]+)\.json$")


def request_key(offer_number: str, timestamp: str) -> str:
    return f"{PREFIX}{offer_number}_{timestamp}.json"


def record_offer_request(store: ObjectStore, bucket: str, request: OfferRequest | dict,
                         timestamp: datetime | None = None) -> str:
    """What the offer automation calls after it has made an AI offer: store its context.

    Validates the context (extra fields are kept) and returns the key written."""
    try:
        model = request if isinstance(request, OfferRequest) else OfferRequest.model_validate(request)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ValidationFailed(f"offer request field {'.'.join(map(str, err['loc']))}: {err['msg']}",
                               field=".".join(map(str, err["loc"]))) from exc
    stamp = (timestamp or datetime.now(UTC)).strftime("%Y%m%d_%H%M%S")
    key = request_key(model.offer_number, stamp)
    store.put_bytes(bucket, key, model.model_dump_json(indent=1).encode("utf-8"), "application/json")
    return key


class RequestRef(NamedTuple):  # a tuple: 10,000 of them are built every night
    offer_number: str
    stamp: str
    key: str

    @property
    def file_name(self) -> str:
        return self.key.rsplit("/", 1)[-1]


def newest_requests(store: ObjectStore, bucket: str, unparsable: list[str] | None = None) -> list[RequestRef]:
    """List every request context page by page; the newest context per offer wins."""
    newest: dict[str, tuple[str, str]] = {}  # offer -> (stamp, key); refs are built once, at the end
    match = _KEY.match
    for page in store.list_pages(bucket, PREFIX):
        for info in page:
            key = info.key
            m = match(key)
            if not m:
                if unparsable is not None:
                    unparsable.append(key)
                continue
            offer, stamp = m.group("offer", "stamp")
            cur = newest.get(offer)
            if cur is None or stamp > cur[0]:
                newest[offer] = (stamp, key)
    return [RequestRef(offer, stamp, key) for offer, (stamp, key) in sorted(newest.items())]


def load_request(store: ObjectStore, bucket: str, ref: RequestRef) -> OfferRequest:
    raw = store.get_bytes(bucket, ref.key)
    try:
        return OfferRequest.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"{ref.key}: not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})",
                               hint="the file is skipped and retried next night") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ValidationFailed(f"{ref.key}: field {'.'.join(map(str, err['loc']))}: {err['msg']}",
                               hint="fix the offer automation's output") from exc
