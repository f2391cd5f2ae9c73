"""Async image fetcher: http/https through httpx with the safety rules, s3://bucket/key through the object store.

Rules: URL check before every hop (redirects followed by hand, at most 5), one 30 s deadline per
attempt covering connect, headers and body (a server trickling its headers cannot hold a download slot),
10 MB cap on the decoded bytes enforced while streaming (gzip/deflate decoded here, in bounded steps, so
a compression bomb stops at the cap), content type must be an image, a real decode check (Pillow,
with the pixel cap of ports.image_embeddings), 3 retries with jittered exponential backoff on timeouts,
connection errors, 429 and 5xx (never on other 4xx).
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from ..errors import Refused
from ..logs import get_logger
from .image_embeddings import ImageRejected, open_image
from .urlsafety import UrlPolicy

if TYPE_CHECKING:
    import ssl

    import httpx
    from tenacity import RetryCallState

    from .objectstore import ObjectStore

log = get_logger("ports.fetcher")

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset(range(500, 600)) | {429}
ACCEPTED_TYPES = ("image/",)
LENIENT_TYPES = ("application/octet-stream", "binary/octet-stream", "")  # decided by the decode check
# Content encodings decoded here with a cap on the output; images are compressed already, so servers
# rarely use these, and anything else (br, zstd, stacked encodings) is refused rather than trusted.
DECODED_ENCODINGS = ("gzip", "x-gzip", "deflate")


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


class _AttemptTimedOut(Exception):
    """One attempt (connect + headers + body) overran the deadline; retried like a network timeout."""


def sniff_image(data: bytes, url: str) -> str:
    """Pillow decode check; returns the image MIME type or raises FetchError."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        raise FetchError("not_an_image", f"{url} returned an HTML/XML page, not an image")
    from PIL import Image, UnidentifiedImageError

    try:
        # open_image refuses a header declaring more pixels than the cap (a 140 KB PNG can declare
        # 12000x12000); verify() reads the chunks without decoding the pixels.
        with open_image(data, url) as img:
            fmt = img.format or ""
            img.verify()
    except ImageRejected as exc:
        raise FetchError(exc.reason, exc.detail) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FetchError("undecodable", f"{url}: {exc}") from None
    return Image.MIME.get(fmt, "image/" + fmt.lower())


class _CappedDecoder:
    """Content-Encoding decoder that never produces more than ``limit`` bytes in all (FetchError beyond).

    httpx's own decoder inflates each network chunk in one call, so a 64 KB chunk of a gzip bomb becomes
    ~64 MB before any cap can look at it (and stacked encodings multiply that); here every zlib call is
    bounded by the room left under the cap.
    """

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in DECODED_ENCODINGS):
            raise FetchError("undecodable", f"{url}: Content-Encoding {encoding!r} is not supported (only one of "
                                            f"{', '.join(DECODED_ENCODINGS)}); serve the image uncompressed")
        self.coding = codings[0] if codings else ""
        self.limit = limit
        self.url = url
        self.size = 0
        self._zlib: zlib._Decompress | None = None
        self._head = b""

    def _inflater(self, data: bytes) -> zlib._Decompress:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is zlib-wrapped by the standard, raw deflate by some servers: tell by the header.
        wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def _count(self, out: bytes) -> bytes:
        self.size += len(out)
        if self.size > self.limit:
            what = f"{self.coding}-decoded body is more than {self.limit} bytes (a compression bomb?)" \
                if self.coding else f"more than {self.limit} bytes"
            raise FetchError("too_large", f"{self.url}: {what}")
        return out

    def feed(self, data: bytes) -> bytes:
        if not self.coding:
            return self._count(data)
        if self._zlib is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            self._zlib = self._inflater(data)
        parts = []
        try:
            while data and not self._zlib.eof:
                # At most one byte past the cap per call: exceeding it is detected without inflating more.
                parts.append(self._count(self._zlib.decompress(data, self.limit - self.size + 1)))
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise FetchError("undecodable", f"{self.url}: corrupt {self.coding} body ({exc})") from None
        return b"".join(parts)

    def finish(self) -> None:
        """Raise if a compressed body ended early (an empty one is left to the decode check)."""
        if self.coding and (self._head or (self._zlib is not None and not self._zlib.eof)):
            raise FetchError("undecodable", f"{self.url}: truncated {self.coding} body")


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    import ssl

    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover
        return ssl.create_default_context()


class ImageFetcher:
    """Use as ``async with ImageFetcher(...) as f: await f.fetch(url)``."""

    def __init__(self, policy: UrlPolicy, store: ObjectStore | None = None, concurrency: int = 32,
                 timeout: float = 30.0, max_bytes: int = MAX_BYTES, retries: int = 3, backoff: float = 0.5,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """``timeout``: the deadline of one attempt, connect to last body byte; ``backoff``: the base of the
        jittered exponential wait between attempts (attempt n waits between backoff*2**n/2 and backoff*2**n)."""
        self.policy = policy
        self.store = store
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self._sem = asyncio.Semaphore(self.concurrency)
        self._clients: asyncio.Queue[httpx.AsyncClient] | None = None
        self._all_clients: list[httpx.AsyncClient] = []
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
                headers={"User-Agent": "commerce-platform-smartgo-exporter/1.0", "Accept": "image/*",
                         "Accept-Encoding": "gzip, deflate"},
            )
            self._all_clients.append(client)
            self._clients.put_nowait(client)
        return self

    async def __aexit__(self, *exc: object) -> None:
        for client in self._all_clients:
            await client.aclose()
        self._all_clients.clear()

    async def fetch(self, url: str) -> Fetched:
        async with self._sem:
            if url.startswith("s3://"):
                return await self._fetch_object(url)
            if self._clients is None:
                raise RuntimeError("use the fetcher as `async with ImageFetcher(...) as f`")
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
                # The DNS lookup is part of the deadline too (the thread may linger; the slot does not).
                self._checked[cache_key] = await asyncio.wait_for(asyncio.to_thread(self.policy.check, url),
                                                                  self.timeout)
            except Refused as exc:
                raise FetchError("url_refused", f"{url}: {exc.message}") from None
            except TimeoutError:
                raise FetchError("network_error", f"{url}: the host name did not resolve within {self.timeout} s; "
                                                  "check the image host's DNS") from None
        return self._checked[cache_key][0]

    async def _fetch_http(self, url: str, client: httpx.AsyncClient) -> Fetched:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            address = await self._check(current)
            result = await self._get_with_retries(current, client, address)
            if isinstance(result, Fetched):
                return result
            current = urljoin(current, result)  # a redirect location
        raise FetchError("too_many_redirects", f"{url}: more than {MAX_REDIRECTS} redirects")

    async def _get_with_retries(self, url: str, client: httpx.AsyncClient, address: str) -> Fetched | str:
        import httpx
        from tenacity import (
            AsyncRetrying,
            retry_if_exception_type,
            stop_after_attempt,
            wait_exponential,
            wait_random_exponential,
        )

        retryable = (_Retryable, _AttemptTimedOut, httpx.TimeoutException, httpx.TransportError)

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            log.info("image fetch retry", url=url, attempt=state.attempt_number,
                     wait=round(wait, 3), error=str(exc) or type(exc).__name__)

        # "Equal jitter": half of each exponential step fixed, half random, so a burst of failures
        # (a CDN hiccup under 32 downloads) does not come back in lockstep, yet never retries at once.
        half = self.backoff / 2
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retries + 1), retry=retry_if_exception_type(retryable),
            wait=wait_exponential(multiplier=half, exp_base=2) + wait_random_exponential(multiplier=half, exp_base=2),
            sleep=self.sleep, before_sleep=before_sleep, reraise=True)
        try:
            async for attempt in retrying:
                with attempt:
                    result = await self._get_within_deadline(url, client, address)
        except retryable as exc:
            reason = "http_error" if isinstance(exc, _Retryable) else "network_error"
            raise FetchError(reason, f"{url}: {exc or type(exc).__name__} after {self.retries + 1} attempts") from None
        return result

    async def _get_within_deadline(self, url: str, client: httpx.AsyncClient, address: str) -> Fetched | str:
        # httpx's timeouts are per socket operation: a server sending one header byte a second never
        # trips them. One deadline over the whole attempt does.
        try:
            async with asyncio.timeout(self.timeout):
                return await self._get_once(url, client, address)
        except TimeoutError:
            raise _AttemptTimedOut(f"no complete answer within {self.timeout} s "
                                   "(connect, headers and body share one deadline)") from None

    async def _get_once(self, url: str, client: httpx.AsyncClient, address: str) -> Fetched | str:
        import httpx

        target = httpx.URL(url)
        headers, extensions = {}, {}
        if target.host != address:  # connect to the checked address; keep Host and TLS SNI/verification
            headers["Host"] = target.netloc.decode("ascii")
            if target.scheme == "https":
                extensions["sni_hostname"] = target.host
            target = target.copy_with(host=address)
        async with client.stream("GET", target, headers=headers, extensions=extensions) as resp:
            if resp.status_code in (301, 302, 303, 307, 308):
                location: str | None = resp.headers.get("location")
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
            decoder = _CappedDecoder(resp.headers.get("content-encoding", ""), self.max_bytes, url)
            chunks: list[bytes] = []
            async for raw in resp.aiter_raw():  # raw: httpx would inflate each chunk without a bound
                chunks.append(decoder.feed(raw))
            decoder.finish()
        data = b"".join(chunks)
        return Fetched(data, sniff_image(data, url), url)
