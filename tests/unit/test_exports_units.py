"""Exporter pure logic: URL safety rules, row validation, offline embedder, Arrow batches, event dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pytest

from commerce_platform.errors import Refused, ValidationFailed
from commerce_platform.exports.models import RowRejected, SaleRow, parse_day, validate_row
from commerce_platform.ports.urlsafety import UrlPolicy

try:  # tests/ may or may not be a package
    from tests.fixtures_exports import draw_image, pixel_bomb_png
except ImportError:  # pragma: no cover
    from fixtures_exports import draw_image, pixel_bomb_png

pytestmark = pytest.mark.unit

DNS = {"example.com": ["93.184.216.34"], "localhost": ["127.0.0.1"], "intranet.corp": ["192.168.1.5"],
       "dual.example": ["93.184.216.34", "10.1.2.3"], "v6.example": ["2606:2800:220:1::1"]}


def fake_resolver(host: str, port: int) -> list[str]:
    if host not in DNS:
        raise OSError("name does not resolve")
    return DNS[host]


@pytest.mark.parametrize(("url", "allow", "ok"), [
    ("http://example.com/a.png", [], True),
    ("https://v6.example/a.png", [], True),
    ("ftp://example.com/a.png", [], False),
    ("file:///etc/passwd", [], False),
    ("gopher://example.com/", [], False),
    ("http://10.0.0.1/a.png", [], False),
    ("http://172.16.3.4/a.png", [], False),
    ("http://169.254.169.254/latest/meta-data/", [], False),
    ("http://169.254.169.254/latest/meta-data/", ["169.254.0.0/16"], False),  # metadata never allowed
    ("http://metadata.google.internal/computeMetadata/v1/", [], False),
    ("http://127.0.0.1:8080/a.png", [], False),
    ("http://127.0.0.1:8080/a.png", ["127.0.0.1"], True),
    ("http://127.0.0.1:8080/a.png", ["127.0.0.0/8"], True),
    ("http://localhost/a.png", [], False),
    ("http://localhost/a.png", ["localhost"], True),
    ("http://[::1]/a.png", [], False),
    ("http://[::ffff:10.0.0.1]/a.png", [], False),
    ("http://0.0.0.0/a.png", [], False),
    ("http://intranet.corp/a.png", [], False),
    ("http://intranet.corp/a.png", ["192.168.0.0/16"], True),
    ("http://dual.example/a.png", [], False),  # one internal address is enough to refuse
    ("http://nowhere.invalid/a.png", [], False),
    ("http://user:pw@example.com/a.png", [], False),
    ("http:///a.png", [], False),
])
def test_url_policy(url, allow, ok):
    policy = UrlPolicy(allow, resolver=fake_resolver)
    if ok:
        assert policy.check(url)
    else:
        with pytest.raises(Refused):
            policy.check(url)


# IPv6 addresses that carry an IPv4 address are judged by it too (a 6to4 relay forwards
# 2002:7f00:1:: to 127.0.0.1). Resolved through DNS, as an attacker's AAAA record would be.
TUNNEL_DNS = {
    "sixtofour-loopback.test": "2002:7f00:1::1",           # 6to4 of 127.0.0.1
    "sixtofour-private.test": "2002:a00:1::",              # 6to4 of 10.0.0.1
    "sixtofour-cgnat.test": "2002:6440:1::",               # 6to4 of 100.64.0.1 (shared address space)
    "sixtofour-metadata.test": "2002:a9fe:a9fe::1",        # 6to4 of 169.254.169.254
    "sixtofour-public.test": "2002:5db8:d822::1",          # 6to4 of 93.184.216.34
    "teredo-private-client.test": "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # client 10.0.0.1 (XORed)
    "teredo-metadata-client.test": "2001:0:4136:e378:8000:63bf:5601:5601",  # client 169.254.169.254
    "teredo-loopback-server.test": "2001:0:7f00:1:8000:63bf:a247:29dd",    # server 127.0.0.1
    "nat64-loopback.test": "64:ff9b::7f00:1",              # NAT64 of 127.0.0.1
    "nat64-local-use.test": "64:ff9b:1::a00:1",            # RFC 8215 local-use NAT64 of 10.0.0.1
    "mapped-loopback.test": "::ffff:127.0.0.1",
    "compatible-private.test": "::10.0.0.1",               # deprecated IPv4-compatible form
    "plain-v6.test": "2606:2800:220:1::1",
}


@pytest.mark.parametrize(("host", "allow", "ok", "says"), [
    ("sixtofour-loopback.test", [], False, "127.0.0.1"),
    ("sixtofour-private.test", [], False, "10.0.0.1"),
    ("sixtofour-cgnat.test", [], False, "100.64.0.1"),
    ("sixtofour-metadata.test", [], False, "metadata"),
    ("sixtofour-metadata.test", ["2002::/16"], False, "metadata"),  # metadata never allowed
    ("sixtofour-metadata.test", ["sixtofour-metadata.test"], False, "metadata"),
    ("sixtofour-public.test", [], True, ""),
    ("sixtofour-loopback.test", ["2002:7f00::/32"], True, ""),  # explicitly allow-listed
    ("teredo-private-client.test", [], False, "10.0.0.1"),
    ("teredo-metadata-client.test", ["2001::/32"], False, "metadata"),
    ("teredo-loopback-server.test", [], False, "127.0.0.1"),
    ("nat64-loopback.test", [], False, "127.0.0.1"),
    ("nat64-local-use.test", [], False, "10.0.0.1"),
    ("mapped-loopback.test", [], False, "127.0.0.1"),
    ("compatible-private.test", [], False, "10.0.0.1"),
    ("plain-v6.test", [], True, ""),
])
def test_url_policy_judges_ipv6_tunnels_by_the_embedded_ipv4(host, allow, ok, says):
    policy = UrlPolicy(allow, resolver=lambda h, port: [TUNNEL_DNS[h]])
    if ok:
        assert policy.check(f"http://{host}/a.png") == [TUNNEL_DNS[host]]
        return
    with pytest.raises(Refused) as info:
        policy.check(f"http://{host}/a.png")
    assert says in info.value.message


@pytest.mark.parametrize(("address", "embedded"), [
    ("2002:aabb:ccdd::1", ["170.187.204.221"]),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", ["65.54.227.120", "192.0.2.45"]),  # RFC 4380 example
    ("64:ff9b::c000:221", ["192.0.2.33"]),
    ("::ffff:10.1.2.3", ["10.1.2.3"]),
    ("::10.1.2.3", ["10.1.2.3"]),
    ("::1", []),
    ("2606:2800:220:1::1", []),
    ("10.1.2.3", []),
])
def test_embedded_ipv4(address, embedded):
    import ipaddress

    from commerce_platform.ports.urlsafety import embedded_ipv4

    assert [str(a) for a in embedded_ipv4(ipaddress.ip_address(address))] == embedded


GOOD = {"sale_id": "s1", "tenant_id": "t1", "product_id": "p", "title": "T", "category": "mug", "brand": "B",
        "sold_price": "12.5", "currency": "eur", "sold_at": "2026-03-10 12:00:00.000000", "image_url": " http://x/y.png "}


@pytest.mark.parametrize(("change", "reason"), [
    ({"sold_price": None}, "missing_price"),
    ({"sold_price": ""}, "missing_price"),
    ({"sold_price": "abc"}, "invalid_price"),
    ({"sold_price": "-1"}, "invalid_price"),
    ({"sold_price": 0}, "invalid_price"),
    ({"sold_price": "NaN"}, "invalid_price"),
    ({"sold_price": "99999999"}, "invalid_price"),
    ({"currency": "XXX"}, "unknown_currency"),
    ({"currency": None}, "unknown_currency"),
    ({"tenant_id": None}, "missing_tenant"),
    ({"sold_at": None}, "missing_sold_at"),
])
def test_validate_row_rejects(change, reason):
    with pytest.raises(RowRejected) as info:
        validate_row({**GOOD, **change})
    assert info.value.reason == reason


def test_validate_row_normalises():
    row = validate_row(GOOD)
    assert row.sold_price == Decimal("12.50") and row.currency == "EUR" and row.image_url == "http://x/y.png"
    assert row.sold_at == datetime(2026, 3, 10, 12, tzinfo=UTC)
    assert validate_row({**GOOD, "image_url": "  "}).image_url is None


@pytest.mark.parametrize(("value", "expected"), [("2026-03-10", date(2026, 3, 10)), (date(2026, 1, 2), date(2026, 1, 2))])
def test_parse_day(value, expected):
    assert parse_day(value) == expected


def test_parse_day_default_is_yesterday_and_bad_input_names_the_field():
    assert (datetime.now(UTC).date() - parse_day(None)).days == 1
    with pytest.raises(ValidationFailed) as info:
        parse_day("10.03.2026")
    assert info.value.field == "date"


def _cos(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_offline_embedder_is_deterministic_normalised_and_groups_look_alikes():
    from commerce_platform.demo.smartgo import _draw
    from commerce_platform.ports.image_embeddings import OfflineImageEmbedder

    emb = OfflineImageEmbedder()
    a1 = _draw("sneakers", "Fjellrev", 1)
    v1 = emb.embed(a1)
    assert v1.shape == (1024,) and v1.dtype == np.float32
    assert abs(np.linalg.norm(v1) - 1) < 1e-5
    assert np.array_equal(v1, OfflineImageEmbedder().embed(a1))  # same image, same vector
    same_product = emb.embed(_draw("sneakers", "Fjellrev", 2))
    others = [emb.embed(_draw(c, b, 1)) for c, b in [("watch", "Nordvik"), ("mug", "Havtorn"), ("lamp", "Solberg")]]
    assert all(_cos(v1, same_product) > _cos(v1, o) for o in others)
    # Same category, other brand (colour) is closer than other category and other brand.
    assert _cos(v1, emb.embed(_draw("sneakers", "Nordvik", 1))) > _cos(v1, emb.embed(_draw("watch", "Nordvik", 1)))


_PIXEL_BOMB_PROBE = """
import sys
from pathlib import Path

from tests.fixtures_exports import draw_image, pixel_bomb_png
from commerce_platform.ports.image_embeddings import OfflineImageEmbedder


def peak_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


bomb = pixel_bomb_png(int(sys.argv[1]), int(sys.argv[2]))
embedder = OfflineImageEmbedder()
embedder.embed(draw_image("warm-up.png"))  # imports and numpy buffers before the baseline
before = peak_kb()
try:
    embedder.embed(bomb)
    outcome = "embedded"
except Exception as exc:  # ImageRejected("too_large") expected
    outcome = getattr(exc, "reason", type(exc).__name__)
print(outcome, len(bomb), peak_kb() - before)
"""


@pytest.mark.parametrize(("width", "height"), [(12000, 12000), (9000, 9000), (5000, 5000)])
def test_offline_embedder_refuses_pixel_bombs_with_a_small_peak(width, height):
    """A 140 KB PNG declaring 12000x12000 palette pixels cost 728 MB to embed; refused from its header
    (or, under the header cap, before decoding), the embedding adds next to nothing to the peak RSS.
    In a subprocess: Pillow's pixel buffers are outside tracemalloc's view, and VmHWM is per process."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _PIXEL_BOMB_PROBE, str(width), str(height)], cwd=root,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    outcome, size, grown_kb = done.stdout.split()
    assert outcome == "too_large"
    assert int(size) < 200_000  # the file is small; the cost was all in decoding
    assert int(grown_kb) < 20 * 1024, f"peak RSS grew {int(grown_kb) / 1024:.0f} MB embedding a {width}x{height} bomb"


def test_decode_cap_counts_the_pixels_after_jpeg_draft():
    """A 17.6 MP JPEG decodes at 1/8 scale (cheap) and is embedded; a PNG of the same size cannot be
    decoded at reduced scale and is refused with the reason and what to do."""
    import io

    from PIL import Image

    from commerce_platform.ports.image_embeddings import (
        MAX_DECODE_PIXELS,
        ImageRejected,
        OfflineImageEmbedder,
    )

    side = 4200
    assert side * side > MAX_DECODE_PIXELS
    out = io.BytesIO()
    Image.new("L", (side, side), 128).save(out, format="JPEG")
    assert OfflineImageEmbedder().embed(out.getvalue()).shape == (1024,)
    with pytest.raises(ImageRejected) as info:
        OfflineImageEmbedder().embed(pixel_bomb_png(side, side))
    assert info.value.reason == "too_large" and "4200x4200" in info.value.detail and "4096x4096" in info.value.detail


def test_titan_prepare_refuses_pixel_bombs_before_calling_bedrock():
    from commerce_platform.ports.image_embeddings import ImageRejected, TitanImageEmbedder

    calls = []

    class Client:
        def invoke_model(self, **kw):
            calls.append(kw)
            raise AssertionError("a refused image must not reach Bedrock")

    titan = TitanImageEmbedder(client=Client())
    for width, height in [(12000, 12000), (5000, 5000)]:
        with pytest.raises(ImageRejected) as info:
            titan.embed(pixel_bomb_png(width, height))
        assert info.value.reason == "too_large"
    assert calls == [] and titan.prepare(draw_image("titan-ok.png"))


def test_pillow_pixel_limit_is_set_deliberately():
    from PIL import Image

    from commerce_platform.ports.image_embeddings import MAX_IMAGE_PIXELS, open_image

    with open_image(draw_image("limit.png")):
        pass
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS


def test_rows_to_arrow_keeps_failed_rows_with_null_embeddings():
    import pyarrow as pa

    from commerce_platform.exports.iceberg import EXPORT_TABLE
    from commerce_platform.exports.pipeline import rows_to_arrow
    from commerce_platform.ports.iceberg_table import iceberg_schema

    schema = iceberg_schema(EXPORT_TABLE).as_arrow()
    base = dict(tenant_id="t", product_id="p", title="x", category="c", brand="b", sold_price=Decimal("1.00"),
                currency="EUR", sold_at=datetime(2026, 3, 10, tzinfo=UTC), image_url="u")
    rows = [SaleRow(sale_id="a", **base, embedding=np.ones(1024, np.float32), embedding_model="m"),
            SaleRow(sale_id="b", **base, embedding_error="http_error: 404")]
    table = rows_to_arrow(rows, schema, datetime.now(UTC))
    assert isinstance(table, pa.Table) and table.num_rows == 2
    emb = table.column("embedding").to_pylist()
    assert len(emb[0]) == 1024 and emb[1] is None
    assert table.column("year").to_pylist() == [2026, 2026] and table.column("month").to_pylist() == [3, 3]


@pytest.mark.parametrize(("event", "expected"), [
    ("exports_schedule.json", "2026-03-10"),
    ("exports_manual.json", "2026-03-10"),
])
def test_lambda_export_date(event, expected):
    import json
    from pathlib import Path

    load_event = lambda name: json.loads((Path(__file__).parents[1] / "events" / name).read_text())  # noqa: E731
    from commerce_platform.exports.lambda_handler import export_date

    assert export_date(load_event(event)) == expected


def test_system_resolver_puts_ipv4_first(monkeypatch):
    """The fetcher connects to the first checked address; v6 first fails where there is no v6 egress."""
    import socket

    from commerce_platform.ports import urlsafety

    infos = [(socket.AF_INET6, 0, 0, "", ("2606:4700::1", 443, 0, 0)), (socket.AF_INET, 0, 0, "", ("93.184.216.34", 443)),
             (socket.AF_INET6, 0, 0, "", ("2001:db8::1", 443, 0, 0)), (socket.AF_INET, 0, 0, "", ("1.2.3.4", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: infos)
    assert urlsafety.system_resolver("example.com", 443) == ["1.2.3.4", "93.184.216.34", "2001:db8::1", "2606:4700::1"]


@pytest.mark.parametrize(("error", "cls"), [
    ("network_error: http://x/a.png: ConnectTimeout after 4 attempts", "retryable"),
    ("server_error: http://x/a.png: HTTP 503 after 4 attempts", "retryable"),
    ("http_error: http://x/a.png: HTTP 503 after 4 attempts", "retryable"),  # rows written before server_error
    ("http_error: http://x/a.png: HTTP 429 after 4 attempts", "retryable"),
    ("embedding_failed: the image embedder failed", "retryable"),
    ("http_error: http://x/a.png: HTTP 404", "permanent"),
    ("no_image_url: image_url is empty", "permanent"),
    ("not_an_image: http://x/a.html returned an HTML/XML page", "permanent"),
    ("too_large: http://x/a.png is 20000000 bytes", "permanent"),
    ("url_refused: http://10.0.0.1/a.png", "permanent"),
    ("invalid_price", "permanent"), ("missing_price", "permanent"),
])
def test_failure_class_keeps_with_the_reason_code(error, cls):
    from commerce_platform.exports.models import failure_class

    assert failure_class(error) == cls


def test_fetch_reason_splits_http_errors_by_status_and_classify_counts():
    from commerce_platform.exports.models import REASONS, classify, fetch_reason

    assert fetch_reason("http_error", "u: HTTP 502 after 4 attempts") == "server_error"
    assert fetch_reason("http_error", "u: HTTP 404") == "http_error"
    assert fetch_reason("network_error", "u: HTTP 503") == "network_error"
    assert "server_error" in REASONS
    assert classify({"server_error": 2, "no_image_url": 1, "missing_price": 3}) == {"retryable": 2, "permanent": 4}
