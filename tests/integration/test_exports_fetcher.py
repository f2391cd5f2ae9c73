"""The image fetcher against a real loopback HTTP server with latency and fault injection."""

from __future__ import annotations

import asyncio
import time
import tracemalloc

import pytest

try:  # tests/ may or may not be a package
    from tests.fixtures_exports import ImageServer, draw_image
except ImportError:  # pragma: no cover
    from fixtures_exports import ImageServer, draw_image

from commerce_platform.ports.fetcher import FetchError, ImageFetcher
from commerce_platform.ports.urlsafety import UrlPolicy

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server():
    srv = ImageServer(slow_seconds=2.0).start()
    yield srv
    srv.stop()


def fetch(url: str, allow=("127.0.0.1",), timeout: float = 1.0, retries: int = 3, store=None, backoff: float = 0.01,
          **kw):
    async def go():
        async with ImageFetcher(UrlPolicy(allow), store=store, concurrency=8, timeout=timeout, retries=retries,
                                backoff=backoff, **kw) as f:
            return await f.fetch(url)

    return asyncio.run(go())


def test_fetches_an_image(server):
    got = fetch(server.url("/img/red-mug.png"))
    assert got.data == draw_image("red-mug.png") and got.content_type == "image/png"


def test_loopback_is_refused_unless_allow_listed(server):
    with pytest.raises(FetchError) as info:
        fetch(server.url("/img/a.png"), allow=())
    assert info.value.reason == "url_refused"


def test_500s_then_success_is_retried(server):
    got = fetch(server.url("/flaky/f1.png?fails=2"))
    assert got.data == draw_image("f1.png")
    assert server.hits["/flaky/f1.png"] == 3


def test_persistent_500_gives_up_after_three_retries(server):
    with pytest.raises(FetchError) as info:
        fetch(server.url("/flaky/f2.png?fails=99"))
    assert info.value.reason == "http_error"
    assert server.hits["/flaky/f2.png"] == 4  # first attempt + 3 retries


def test_404_is_not_retried(server):
    with pytest.raises(FetchError) as info:
        fetch(server.url("/missing.png"))
    assert info.value.reason == "http_error"
    assert server.hits["/missing.png"] == 1


def test_slow_server_times_out_after_retries(server):
    t0 = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(server.url("/slow/s.png"), timeout=0.3, retries=1)
    assert info.value.reason == "network_error"
    assert time.monotonic() - t0 < 2.0


def test_slow_drip_hits_the_total_deadline(server):
    with pytest.raises(FetchError) as info:
        fetch(server.url("/drip/d.png"), timeout=0.3, retries=0)
    assert info.value.reason == "network_error"


@pytest.mark.parametrize(("path", "reason"), [
    ("/big.png", "too_large"),
    ("/big-declared.png", "too_large"),
    ("/html.png", "not_an_image"),
    ("/html-as-image.png", "not_an_image"),
    ("/text.png", "not_an_image"),
    ("/loop", "too_many_redirects"),
    ("/redirect?to=http://10.0.0.1/a.png", "url_refused"),
    ("/redirect?to=http://169.254.169.254/latest/meta-data/", "url_refused"),
    ("/redirect?to=file:///etc/passwd", "url_refused"),
])
def test_faults_are_refused_with_a_reason(server, path, reason):
    with pytest.raises(FetchError) as info:
        fetch(server.url(path))
    assert info.value.reason == reason


def test_redirect_to_an_allowed_image_is_followed(server):
    got = fetch(server.url("/redirect?to=/img/after-redirect.png"))
    assert got.data == draw_image("after-redirect.png")


def test_s3_urls_go_through_the_object_store(settings):
    from commerce_platform.factory import object_store

    store = object_store(settings)
    store.put_bytes("smartgo-images", "t/a.png", draw_image("s3-a.png"))
    store.put_bytes("smartgo-images", "t/page.png", b"<html><body>404</body></html>")
    assert fetch("s3://smartgo-images/t/a.png", store=store).data == draw_image("s3-a.png")
    for url, reason in [("s3://smartgo-images/t/page.png", "not_an_image"), ("s3://smartgo-images/t/none.png", "http_error")]:
        with pytest.raises(FetchError) as info:
            fetch(url, store=store)
        assert info.value.reason == reason


def test_connects_to_the_checked_address(server):
    """The host name is resolved once, by the policy, and that address is used (no DNS rebinding window)."""
    resolved = []

    def resolver(host, port):
        resolved.append(host)
        return ["127.0.0.1"]

    async def go():
        policy = UrlPolicy(["images.test"], resolver=resolver)
        async with ImageFetcher(policy, concurrency=2, timeout=2.0, backoff=0.01) as f:
            return [await f.fetch(f"http://images.test:{server.port}/img/pinned-{i}.png") for i in range(3)]

    got = asyncio.run(go())
    assert [g.data for g in got] == [draw_image(f"pinned-{i}.png") for i in range(3)]
    assert resolved == ["images.test"]  # one lookup per host per run


def test_trickled_headers_hit_the_attempt_deadline_and_free_the_slot(server):
    """A server sending one header byte every 0.1 s never trips httpx's per-read timeout; the deadline
    per attempt (connect + headers + body) must, and the download slot must work again afterwards."""
    async def go():
        # concurrency=1: the second fetch reuses the very client (slot) the timed-out attempts used.
        async with ImageFetcher(UrlPolicy(["127.0.0.1"]), concurrency=1, timeout=0.5, retries=1, backoff=0.01) as f:
            t0 = time.monotonic()
            with pytest.raises(FetchError) as info:
                await asyncio.wait_for(f.fetch(server.url("/trickle-headers/t.png")), 10)  # old code: hangs
            elapsed = time.monotonic() - t0
            after = await f.fetch(server.url("/img/after-trickle.png"))
        return info.value, elapsed, after

    error, elapsed, after = asyncio.run(go())
    assert error.reason == "network_error" and "0.5 s" in error.detail and "2 attempts" in error.detail
    assert 0.9 < elapsed < 2.5  # two attempts of 0.5 s, not the ~70 s the headers take to trickle
    assert server.hits["/trickle-headers/t.png"] == 2
    assert after.data == draw_image("after-trickle.png")


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "raw-deflate", "identity"])
def test_compressed_images_are_decoded(server, encoding):
    got = fetch(server.url(f"/encoded/enc-{encoding}.png?as={encoding}"))
    assert got.data == draw_image(f"enc-{encoding}.png") and got.content_type == "image/png"


def test_gzip_bomb_stops_at_the_cap_without_inflating_the_rest(server):
    """100 MB of zeros in a 100 KB gzip body: the decoder must stop at the cap, not inflate each
    network chunk whole (httpx's decoder turns one 64 KB chunk into 64 MB)."""
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            # refused by size, not by time: a loaded machine must not turn it into a timeout
            fetch(server.url("/gzip-bomb.png?mb=100"), max_bytes=1024 * 1024, timeout=10.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while refusing a 1 MB-capped gzip bomb"
    assert info.value.reason == "too_large" and "compression bomb" in info.value.detail


@pytest.mark.parametrize(("query", "says"), [
    ("/gzip-bomb.png?mb=200&layers=2", "'gzip, gzip' is not supported"),  # stacked: ratios multiply
    ("/encoded/e-br.png?as=br", "'br' is not supported"),
    ("/encoded/e-corrupt.png?as=corrupt-gzip", "corrupt gzip body"),
])
def test_unsupported_or_corrupt_encodings_are_bad_images(server, query, says):
    with pytest.raises(FetchError) as info:
        fetch(server.url(query))
    assert info.value.reason == "undecodable" and says in info.value.detail


def test_pixel_bomb_is_refused_before_decoding(server):
    """A 140 KB PNG declaring 12000x12000 pixels is refused from its header alone."""
    with pytest.raises(FetchError) as info:
        fetch(server.url("/pixel-bomb/12000x12000.png"), timeout=10.0)  # refused by its header, not by time
    assert info.value.reason == "too_large" and "12000x12000" in info.value.detail


def test_retries_wait_with_jittered_exponential_backoff(server):
    """Attempt n waits between backoff*2**n/2 and backoff*2**n, randomly (no lockstep retries)."""
    def waits_for(name: str) -> list[float]:
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)

        with pytest.raises(FetchError):
            fetch(server.url(f"/flaky/{name}.png?fails=99"), retries=3, backoff=1.0, sleep=sleep)
        assert server.hits[f"/flaky/{name}.png"] == 4  # what is retried did not change
        return slept

    first, second = waits_for("jitter-a"), waits_for("jitter-b")
    for waits in (first, second):
        assert len(waits) == 3
        assert all(2 ** n / 2 <= w <= 2 ** n for n, w in enumerate(waits)), waits
    assert first != second
