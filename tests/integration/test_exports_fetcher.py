"""The image fetcher against a real loopback HTTP server with latency and fault injection."""

from __future__ import annotations

import asyncio
import time

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


def fetch(url: str, allow=("127.0.0.1",), timeout: float = 1.0, retries: int = 3, store=None):
    async def go():
        async with ImageFetcher(UrlPolicy(allow), store=store, concurrency=8, timeout=timeout, retries=retries,
                                backoff=0.01) as f:
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
