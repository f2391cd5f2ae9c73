"""ERP port: the final offers salespeople sent. Local folder ``<home>/erp`` or Lemonsoft REST."""

from __future__ import annotations

import abc
import csv
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import ValidationError

from ..erp_models import CatalogProduct, ErpOffer
from ..errors import NotFound, UpstreamError, ValidationFailed
from ..files import atomic_write

if TYPE_CHECKING:
    import httpx


def valid_offer_number(number: object) -> bool:
    """Letters, digits and dashes only: an offer number never names a path outside the folder."""
    return str(number).replace("-", "").isalnum()


PRODUCTS_HEADER = ["product_code", "product_name", "product_group", "unit", "price"]


def _field_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"field {'.'.join(map(str, err['loc']))}: {err['msg']}"


def _product(row: Mapping[str, Any], where: str) -> CatalogProduct:
    try:
        return CatalogProduct.model_validate(row)
    except ValidationError as exc:
        raise ValidationFailed(f"{where}: {_field_error(exc)}") from exc


class ERP(abc.ABC):
    """Base of the ERP adapters. The base owns the offer-number check, the document's shape check,
    turning documents and product rows into the ``erp_models`` types (a bad field is a
    ValidationFailed naming where), and the catalog cache. A backend implements ``_read_offer``
    (decoded JSON, or NotFound / UpstreamError from its transport), ``_read_products`` and
    ``_where``, and may rename its fields (``_to_document``) or give cheap ``offer_versions``."""

    read_concurrency: int = 1  # how many offer documents a caller may fetch at once
    _catalog: list[CatalogProduct] | None = None

    # -- primitives -------------------------------------------------------------------------
    @abc.abstractmethod
    def _read_offer(self, offer_number: str) -> object:
        """The offer's document as decoded JSON; NotFound when the ERP has no such offer."""

    @abc.abstractmethod
    def _read_products(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """The catalog's rows, each with where it came from (for messages)."""

    @abc.abstractmethod
    def _where(self, offer_number: str) -> str:
        """Names the offer's source in messages."""

    def _to_document(self, raw: dict[str, Any], offer_number: str) -> dict[str, Any]:
        """The backend's fields as the 5.3 document's (as is where the ERP stores 5.3)."""
        return raw

    # -- the port ---------------------------------------------------------------------------
    def get_offer_document(self, offer_number: str) -> dict[str, Any]:
        """The raw 5.3 JSON document."""
        if not valid_offer_number(offer_number):
            raise ValidationFailed(f"invalid offer number {offer_number!r}", field="offer_number")
        raw = self._read_offer(offer_number)
        doc = self._to_document(raw, offer_number) if isinstance(raw, dict) else None
        if doc is None or not isinstance(doc.get("rows", []), list):
            raise ValidationFailed(f"{self._where(offer_number)}: expected an object with a 'rows' list")
        return doc

    def get_offer(self, offer_number: str) -> ErpOffer:
        return parse_offer_document(self.get_offer_document(offer_number), self._where(offer_number))

    def offer_versions(self, offer_numbers: Iterable[str]) -> dict[str, str]:
        """A cheap token per offer that changes whenever the offer may have changed (like the stat
        data git keeps in its index). Offers without a token are read and hashed: by default all."""
        return {}

    def catalog(self) -> list[CatalogProduct]:
        if self._catalog is None:
            self._catalog = [_product(row, where) for where, row in self._read_products()]
        return self._catalog


class LocalERP(ERP):
    """``<home>/erp/products.csv`` and ``<home>/erp/offers/<offer_number>.json`` (format 5.3)."""

    read_concurrency = 1  # a file read takes microseconds: threads would only add overhead

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._offers_dir = str(self.root / "offers")
        self._catalog: list[CatalogProduct] | None = None

    def _where(self, offer_number: str) -> str:
        return f"{self._offers_dir}/{offer_number}.json"

    def _read_offer(self, offer_number: str) -> object:
        path = os.path.join(self._offers_dir, f"{offer_number}.json")
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except FileNotFoundError:
            raise NotFound(f"offer {offer_number} is not in the ERP ({path})") from None
        try:
            return orjson.loads(raw)
        except ValueError as exc:
            raise ValidationFailed(f"{path}: not valid JSON ({exc})", hint="fix or re-export the offer") from exc

    # A file modified this recently gets no version (git's "racy" rule): a second edit within the
    # same timestamp tick, of the same size, would otherwise look unchanged next night.
    racy_seconds = 2.0

    def offer_versions(self, offer_numbers: Iterable[str]) -> dict[str, str]:
        """One stat per offer file: inode, size, mtime and ctime (ns). A rewrite through a rename
        (``save_offer``, most exporters) gets a new inode; an in-place edit moves mtime/ctime."""
        versions: dict[str, str] = {}
        fresh_after = time.time_ns() - int(self.racy_seconds * 1e9)
        try:
            folder = os.open(self._offers_dir, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return versions  # no offers folder: every read reports it
        try:  # stat relative to the folder: no path join or lookup of the parents per offer
            for number in offer_numbers:
                if not valid_offer_number(number):
                    continue  # never stat outside the offers folder; reading it reports the error
                try:
                    st = os.stat(f"{number}.json", dir_fd=folder)
                except OSError:
                    continue
                if st.st_mtime_ns >= fresh_after:
                    continue  # read and hashed every night until it has settled
                versions[number] = f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
        finally:
            os.close(folder)
        return versions

    def save_offer(self, offer: ErpOffer) -> None:
        atomic_write(self.root / "offers" / f"{offer.offer_number}.json",
                     offer.model_dump_json(indent=2).encode("utf-8"))  # a rename: a new inode (offer_versions)

    def _read_products(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        return _catalog_rows(self.root / "products.csv")


def parse_offer_document(doc: dict[str, Any], where: str) -> ErpOffer:
    try:
        return ErpOffer.model_validate(doc)
    except ValidationError as exc:
        raise ValidationFailed(f"{where}: {_field_error(exc)}") from exc


def _catalog_rows(path: Path) -> Iterator[tuple[str, Mapping[str, Any]]]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = set(PRODUCTS_HEADER) - set(reader.fieldnames or [])
            if missing:
                raise ValidationFailed(f"{path}: missing columns {sorted(missing)}", hint=f"header must be {','.join(PRODUCTS_HEADER)}")
            for line_no, row in enumerate(reader, start=2):
                yield f"{path} line {line_no}", row
    except FileNotFoundError:
        raise NotFound(f"catalog {path} does not exist", hint="run 'commerce demo' or point --home at an ERP export") from None


def read_catalog_csv(path: Path) -> list[CatalogProduct]:
    return [_product(row, where) for where, row in _catalog_rows(path)]


def write_catalog_csv(path: Path, products: list[CatalogProduct]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(PRODUCTS_HEADER)
        for p in products:
            w.writerow([p.product_code, p.product_name, p.product_group, p.unit, f"{p.price:.2f}"])


class LemonsoftERP(ERP):
    """Lemonsoft REST client: session login, token refresh on 401, retries on timeouts/5xx."""

    def __init__(self, base_url: str, username: str, password: str, database: str = "", api_key: str = "",
                 timeout: float = 30.0, retries: int = 3, transport: httpx.BaseTransport | None = None, backoff: float = 0.5,
                 concurrency: int = 8) -> None:
        import httpx

        # Each offer is one round trip: the agent keeps this many in flight (httpx.Client is
        # thread-safe and pools connections).
        self.read_concurrency = max(1, concurrency)

        self.base_url = base_url.rstrip("/")
        self._creds = {"UserName": username, "Password": password, "Database": database, "ApiKey": api_key}
        self.retries = max(1, retries)
        self.backoff = backoff
        self._client = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)
        self._token: str | None = None
        self._lock = threading.Lock()
        self._catalog: list[CatalogProduct] | None = None

    def close(self) -> None:
        self._client.close()

    def _login(self) -> str:
        resp = self._client.post("/api/auth/login", json=self._creds)
        if resp.status_code in (401, 403):
            raise UpstreamError("Lemonsoft rejected the login", hint="check COMMERCE_LEMONSOFT_USERNAME / PASSWORD")
        resp.raise_for_status()
        token: str | None = resp.json().get("session_id") or resp.json().get("token")
        if not token:
            raise UpstreamError("Lemonsoft login answered without a session id")
        return token

    def _request(self, method: str, path: str) -> Any:  # decoded JSON: an object, or a list (products)
        import httpx
        from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

        def retryable(exc: BaseException) -> bool:
            if isinstance(exc, httpx.TransportError):  # timeouts, connection errors
                return True
            return isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code >= 500

        def once() -> Any:
            with self._lock:
                if self._token is None:
                    self._token = self._login()
                token = self._token
            resp = self._client.request(method, path, headers={"Authorization": f"Bearer {token}"})
            if resp.status_code == 401:  # session expired: log in again once
                with self._lock:
                    if self._token == token:  # not yet renewed by a concurrent request
                        self._token = self._login()
                    token = self._token
                resp = self._client.request(method, path, headers={"Authorization": f"Bearer {token}"})
            if resp.status_code == 404:
                raise NotFound(f"Lemonsoft has no {path}")
            resp.raise_for_status()
            return resp.json()

        try:
            for attempt in Retrying(stop=stop_after_attempt(self.retries), reraise=True,
                                    wait=wait_exponential_jitter(initial=self.backoff, max=8, jitter=self.backoff),
                                    retry=retry_if_exception(retryable)):
                with attempt:
                    return once()
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            raise UpstreamError(f"Lemonsoft {method} {path} failed after {self.retries} tries: {exc}",
                                hint="the offer is retried on the next run") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _where(self, offer_number: str) -> str:
        return f"Lemonsoft offer {offer_number}"

    def _read_offer(self, offer_number: str) -> object:
        return self._request("GET", f"/api/offers/{offer_number}")

    def _to_document(self, raw: dict[str, Any], offer_number: str) -> dict[str, Any]:
        return {
            "offer_number": str(raw.get("offer_number") or raw.get("number") or offer_number),
            "updated_at": raw.get("updated_at") or raw.get("modified") or "",
            "rows": raw.get("rows") or raw.get("offer_rows") or [],
        }

    # offer_versions: the base's none. The Lemonsoft API we target has no "changed since" listing:
    # every offer is fetched and hashed (its updated_at is not trusted alone, a salesperson's edit
    # may not move it).

    def _read_products(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        data = self._request("GET", "/api/products")
        items = data.get("products", data) if isinstance(data, dict) else data
        for i, item in enumerate(items):
            yield f"Lemonsoft product {i}", item
