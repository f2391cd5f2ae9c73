"""Async image fetcher: http/https through httpx with the safety rules, s3://bucket/key through the object store.

Rules: URL check before every hop (redirects followed by hand, at most 5), 30 s timeout per attempt,
10 MB cap enforced while streaming, content type must be an image, a real decode check (Pillow),
3 retries with exponential backoff on timeouts, connection errors and 5xx (never on 4xx).
"""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from ..errors import Refused
from ..logs import get_logger
from .urlsafety import UrlPolicy

log = get_logger("ports.fetcher")

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset(range(500, 600)) | {429}
ACCEPTED_TYPES = ("image/",)
LENIENT_TYPES = ("application/octet-stream", "binary/octet-stream", "")  # decided by the decode check


@dataclass(frozen=True)
class Fetched:
    data: bytes
    content_type: str
    url: str


class FetchError(Exception):
    """A fetch that failed for a reason worth counting (reason is a models.REASONS code)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class _Retryable(Exception):
    pass


def sniff_image(data: bytes, url: str) -> str:
    """Pillow decode check; returns the image MIME type or raises FetchError."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        raise FetchError("not_an_image", f"{url} returned an HTML/XML page, not an image")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or ""
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FetchError("undecodable", f"{url}: {exc}") from None
    return Image.MIME.get(fmt, "image/" + fmt.lower())


@lru_cache(maxsize=1)
def _tls_context():
    import ssl

    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover
        return ssl.create_default_context()


class ImageFetcher:
    """Use as ``async with ImageFetcher(...) as f: await f.fetch(url)``."""

    def __init__(self, policy: UrlPolicy, store=None, concurrency: int = 32, timeout: float = 30.0,
                 max_bytes: int = MAX_BYTES, retries: int = 3, backoff: float = 0.5) -> None:
        self.policy = policy
        self.store = store
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self._sem = asyncio.Semaphore(self.concurrency)
        self._clients: asyncio.Queue | None = None
        self._all_clients: list = []
        self._checked: dict[str, list[str]] = {}

    async def __aenter__(self) -> ImageFetcher:
        import httpx

        # One small client per download slot: httpcore's shared pool rescans every connection on each
        # request, which costs more CPU than the downloads themselves at 32 concurrent requests.
        self._clients = asyncio.Queue()
        tls = _tls_context()  # building one costs ~0.1 s: share it between the clients
        for _ in range(self.concurrency):
            client = httpx.AsyncClient(
                verify=tls, follow_redirects=False, trust_env=False, timeout=httpx.Timeout(self.timeout),
                limits=httpx.Limits(max_connections=2, max_keepalive_connections=1),
                headers={"User-Agent": "commerce-platform-smartgo-exporter/1.0", "Accept": "image/*"},
            )
            self._all_clients.append(client)
            self._clients.put_nowait(client)
        return self

    async def __aexit__(self, *exc) -> None:
        for client in self._all_clients:
            await client.aclose()
        self._all_clients.clear()

    async def fetch(self, url: str) -> Fetched:
        async with self._sem:
            if url.startswith("s3://"):
                return await self._fetch_object(url)
            client = await self._clients.get()
            try:
                return await self._fetch_http(url, client)
            finally:
                self._clients.put_nowait(client)

    async def _fetch_object(self, url: str) -> Fetched:
        parts = urlsplit(url)
        bucket, key = parts.netloc, parts.path.lstrip("/")
        if self.store is None or not bucket or not key:
            raise FetchError("url_refused", f"{url}: no object store configured for s3:// URLs")
        try:
            data = await asyncio.to_thread(self.store.get_bytes, bucket, key)
        except Exception as exc:  # NotFound, botocore errors
            raise FetchError("http_error", f"{url}: {exc}") from None
        if len(data) > self.max_bytes:
            raise FetchError("too_large", f"{url} is {len(data)} bytes (cap {self.max_bytes})")
        return Fetched(data, sniff_image(data, url), url)

    async def _check(self, url: str) -> str:
        """The checked address to connect to (pinned: no second DNS lookup an attacker could rebind)."""
        try:
            parts = urlsplit(url)
            cache_key = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        except ValueError:
            cache_key = url
        if cache_key not in self._checked:
            try:
                self._checked[cache_key] = await asyncio.to_thread(self.policy.check, url)
            except Refused as exc:
                raise FetchError("url_refused", f"{url}: {exc.message}") from None
        return self._checked[cache_key][0]

    async def _fetch_http(self, url: str, client) -> Fetched:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            address = await self._check(current)
            result = await self._get_with_retries(current, client, address)
            if isinstance(result, Fetched):
                return result
            current = urljoin(current, result)  # a redirect location
        raise FetchError("too_many_redirects", f"{url}: more than {MAX_REDIRECTS} redirects")

    async def _get_with_retries(self, url: str, client, address: str) -> Fetched | str:
        import httpx

        attempt = 0
        while True:
            try:
                return await self._get_once(url, client, address)
            except (_Retryable, httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt >= self.retries:
                    reason = "http_error" if isinstance(exc, _Retryable) else "network_error"
                    raise FetchError(reason, f"{url}: {exc or type(exc).__name__} after {attempt + 1} attempts") from None
                delay = self.backoff * (2 ** attempt)
                attempt += 1
                log.info("image fetch retry", url=url, attempt=attempt, error=str(exc) or type(exc).__name__)
                await asyncio.sleep(delay)

    async def _get_once(self, url: str, client, address: str) -> Fetched | str:
        import httpx

        started = time.monotonic()
        target = httpx.URL(url)
        headers, extensions = {}, {}
        if target.host != address:  # connect to the checked address; keep Host and TLS SNI/verification
            headers["Host"] = target.netloc.decode("ascii")
            if target.scheme == "https":
                extensions["sni_hostname"] = target.host
            target = target.copy_with(host=address)
        async with client.stream("GET", target, headers=headers, extensions=extensions) as resp:
            if resp.status_code in (301, 302, 303, 307, 308):
                location = resp.headers.get("location")
                if not location:
                    raise FetchError("http_error", f"{url}: redirect {resp.status_code} without Location")
                return location
            if resp.status_code in RETRY_STATUSES:
                raise _Retryable(f"HTTP {resp.status_code}")
            if resp.status_code >= 400 or resp.status_code < 200:
                raise FetchError("http_error", f"{url}: HTTP {resp.status_code}")
            ctype = resp.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if not (ctype.startswith(ACCEPTED_TYPES) or ctype in LENIENT_TYPES):
                raise FetchError("not_an_image", f"{url}: content type {ctype!r} is not an image")
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError("too_large", f"{url}: Content-Length {declared} exceeds {self.max_bytes} bytes")
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError("too_large", f"{url}: more than {self.max_bytes} bytes")
                if time.monotonic() - started > self.timeout:
                    raise httpx.ReadTimeout(f"{url}: download exceeded {self.timeout} s")
                chunks.append(chunk)
        data = b"".join(chunks)
        return Fetched(data, sniff_image(data, url), url)
